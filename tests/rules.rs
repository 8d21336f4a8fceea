//! End-to-end tests of `mtharness rules apply` and `mtharness rules test` on the seed article
//! (corpora/sample) and its rule file (corpora/sample/rules.toml).
//!
//! The MT has three boilerplate lines the reference does not, so the article folder is scored
//! through sentence alignment. Most tests here run `rules test` on a line-aligned copy instead
//! (`line_aligned_sample`): one paragraph a line, the reference padded with empty lines where
//! the MT has its boilerplate.

mod common;

use common::mtharness;
use std::path::{Path, PathBuf};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/sample");
const DOC: &str = "000_ce49ac1db8a694aa.txt";

fn paragraphs(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Writes `ref.txt` and `hyp.txt` (line-aligned) into `dir`; returns their paths.
fn line_aligned_sample(dir: &Path) -> (PathBuf, PathBuf) {
    let mt = paragraphs(&Path::new(SAMPLE).join("mt/seed-mt").join(DOC));
    let mut reference = paragraphs(&Path::new(SAMPLE).join("ref").join(DOC));
    assert_eq!(mt.len(), reference.len() + 3, "three boilerplate lines");
    reference.resize(mt.len(), String::new());
    let (r, h) = (dir.join("ref.txt"), dir.join("hyp.txt"));
    std::fs::write(&r, reference.join("\n") + "\n").unwrap();
    std::fs::write(&h, mt.join("\n") + "\n").unwrap();
    (r, h)
}

fn rules_test(rules: &Path, r: &Path, h: &Path, csv: &Path) -> (i32, String, String) {
    mtharness(&[
        "rules",
        "test",
        rules.to_str().unwrap(),
        "-r",
        r.to_str().unwrap(),
        "-i",
        h.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ])
}

/// System-level gains printed in the table: `    BLEU  69.50 ->  76.95  +7.45 ...`.
fn system_gains(stdout: &str) -> Vec<(String, f64)> {
    stdout
        .lines()
        .filter(|l| l.starts_with("    ") && l.contains(" -> "))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[0].to_string(), f[4].parse::<f64>().unwrap())
        })
        .collect()
}

#[test]
fn sample_rules_gain_on_every_metric_and_make_no_document_worse() {
    let tmp = tempfile::tempdir().unwrap();
    let (r, h) = line_aligned_sample(tmp.path());
    let rules = Path::new(SAMPLE).join("rules.toml");
    let csv = tmp.path().join("csv");
    let (code, out, err) = rules_test(&rules, &r, &h, &csv);
    assert_eq!(code, 0, "{out}\n{err}");
    let gains = system_gains(&out);
    assert_eq!(gains.len(), 6, "{out}");
    for (m, g) in &gains {
        assert!(*g > 0.0, "{m} gain {g}\n{out}");
    }
    assert!(out.contains("Documents worse: 0 of 1"), "{out}");
    assert!(out.contains("Segments worse: 0"), "{out}");
    assert!(out.contains("paired bootstrap (p = "), "{out}");
    // Every rule fired once and helped or was neutral on every metric.
    let rows = std::fs::read_to_string(csv.join("rules.csv")).unwrap();
    let mut n = 0;
    for row in rows.lines().skip(1) {
        let f: Vec<&str> = row.split(',').collect();
        assert_eq!(f[2], "1", "{row}");
        assert!(
            f[4..10].iter().all(|g| g.parse::<f64>().unwrap() >= 0.0),
            "{row}"
        );
        n += 1;
    }
    assert_eq!(n, 11);
    assert!(csv.join("rules_segments.csv").is_file());
    // The gate against its own baseline passes.
    let (code, out, _) = mtharness(&[
        "rules",
        "test",
        rules.to_str().unwrap(),
        "-r",
        r.to_str().unwrap(),
        "-i",
        h.to_str().unwrap(),
        "--baseline",
        csv.join("rules.csv").to_str().unwrap(),
        "--min-gain",
        "BLEU=5",
        "--min-gain",
        "chrf=1",
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = mtharness(&[
        "rules",
        "test",
        rules.to_str().unwrap(),
        "-r",
        r.to_str().unwrap(),
        "-i",
        h.to_str().unwrap(),
        "--min-gain",
        "BLEU=50",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("below --min-gain"), "{out}");
}

#[test]
fn a_bad_rule_is_named_with_its_segment_and_fails_the_gate() {
    let tmp = tempfile::tempdir().unwrap();
    let (r, h) = line_aligned_sample(tmp.path());
    let mut text = std::fs::read_to_string(Path::new(SAMPLE).join("rules.toml")).unwrap();
    // Regex rules run after the literal pass, without word boundary: every "ceasefire" (the
    // title's, and the ones the literal rules just wrote) becomes "ceaseceasefire".
    text.push_str(
        "\n[[rule]]\nid = \"fire-everywhere\"\npattern = \"fire\"\nregex = true\nreplace = \"ceasefire\"\n",
    );
    let rules = tmp.path().join("bad.toml");
    std::fs::write(&rules, text).unwrap();
    let (code, out, err) = rules_test(&rules, &r, &h, &tmp.path().join("csv"));
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("Gates: FAILED"), "{out}");
    assert!(
        out.contains("segment 1: worse on") && out.contains("(rules: fire-everywhere)"),
        "{out}"
    );
    assert!(out.contains("[-ceasefire-]{+ceaseceasefire+}"), "{out}");

    // The brief's word-boundary form of the same rule cannot hurt here: the specific literal
    // rules win the leftmost-longest pass, and alone it only fixes "fire" -> "ceasefire".
    let mut text = std::fs::read_to_string(Path::new(SAMPLE).join("rules.toml")).unwrap();
    text.push_str(
        "\n[[rule]]\nid = \"fire-word\"\npattern = \"fire\"\nword_boundary = true\nreplace = \"ceasefire\"\n",
    );
    std::fs::write(&rules, text).unwrap();
    let (code, out, _) = rules_test(&rules, &r, &h, &tmp.path().join("csv2"));
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_failing_example_fails_the_gate() {
    let tmp = tempfile::tempdir().unwrap();
    let (r, h) = line_aligned_sample(tmp.path());
    let rules = tmp.path().join("ex.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"hegseth\"\npattern = \"Hegesh\"\nreplace = \"Hegseth\"\n\
         [[rule.example]]\ninput = \"Hegesh\"\nexpect = \"Hegsteh\"\n",
    )
    .unwrap();
    let (code, out, _) = rules_test(&rules, &r, &h, &tmp.path().join("csv"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("rule \"hegseth\": example"), "{out}");
}

#[test]
fn apply_writes_a_clean_corpus_folder_and_hits() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("clean");
    let rules = Path::new(SAMPLE).join("rules.toml");
    let (code, so, se) = mtharness(&[
        "rules",
        "apply",
        rules.to_str().unwrap(),
        SAMPLE,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{so}\n{se}");
    let mt = paragraphs(&out.join("mt/seed-mt").join(DOC));
    let reference = paragraphs(&out.join("ref").join(DOC));
    assert_eq!(mt.len(), reference.len(), "boilerplate lines removed");
    let text = mt.join("\n");
    for bad in [
        "possible fire",
        "Hegesh",
        "Source link",
        "UU.",
        "reading of the call",
    ] {
        assert!(!text.contains(bad), "{bad}");
    }
    assert!(text.contains("a possible ceasefire") && text.contains("Pete Hegseth"));
    assert_eq!(
        std::fs::read(out.join("ref").join(DOC)).unwrap(),
        std::fs::read(Path::new(SAMPLE).join("ref").join(DOC)).unwrap()
    );
    let hits = std::fs::read_to_string(out.join("hits.csv")).unwrap();
    assert!(
        hits.starts_with("rule,system,document,segment,count\n"),
        "{hits}"
    );
    assert!(
        hits.contains("hegseth,seed-mt,000_ce49ac1db8a694aa,"),
        "{hits}"
    );
    assert_eq!(hits.lines().count(), 12, "{hits}");

    // Line-aligned MT files keep their line count: deleted segments become empty lines.
    let (_, h) = line_aligned_sample(tmp.path());
    let out2 = tmp.path().join("clean2");
    let (code, so, se) = mtharness(&[
        "rules",
        "apply",
        rules.to_str().unwrap(),
        h.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{so}\n{se}");
    let lines: Vec<String> = std::fs::read_to_string(out2.join("hyp.txt"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), 15);
    assert!(lines[12..].iter().all(String::is_empty), "{lines:?}");
}

#[test]
fn a_bad_rule_file_exits_2_naming_the_rule_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("bad.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"x\"\npattern = \"a(\"\nregex = true\n",
    )
    .unwrap();
    let (code, out, err) = mtharness(&[
        "rules",
        "apply",
        rules.to_str().unwrap(),
        SAMPLE,
        "--out",
        tmp.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("bad.toml:1") && err.contains("\"x\""), "{err}");
}

/// Regression: on the sample folder the boilerplate rules change segment counts, so before was
/// aligned sentence by sentence and after paired paragraph by paragraph; the segment
/// comparison then set unrelated segments side by side and reported 14 "worse" segments.
#[test]
fn rules_test_on_the_sample_folder_gains_everywhere_with_nothing_worse() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = common::run(
        common::bin()
            .args(["rules", "test"])
            .arg(root.join("corpora/sample/rules.toml"))
            .arg(root.join("corpora/sample")),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("Documents worse: 0 of 1"), "{out}");
    assert!(out.contains("Segments worse: 0"), "{out}");
    for m in ["BLEU", "chrF", "chrF++", "TER", "WER", "CER"] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{m} ")))
            .unwrap_or_else(|| panic!("no {m} line in {out}"));
        assert!(line.contains(" +"), "{m} did not gain: {line}");
    }
}
