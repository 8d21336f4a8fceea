//! Hostile and broken input: spreadsheet formulas in CSV cells, ids that try to leave the output
//! folder, oversized lines and documents, and a run killed while it writes a report.
//! TESTING.md lists every bad input the suite tries and the test that proves the behaviour.

mod common;
use common::{bin, run, stderr};

use std::path::{Path, PathBuf};

/// A hostile system name and segment text: both would run as formulas in a spreadsheet.
const EVIL_SYSTEM: &str = "=HYPERLINK(\"x\")";
const EVIL_SEGMENT: &str = "+1 cmd";

/// A TSV corpus with the system `=HYPERLINK("x")` (whose every hypothesis is `+1 cmd`), a
/// plain system `ok`, document `@doc` and references `+1 cmd ...`.
fn evil_tsv(dir: &Path) -> PathBuf {
    let p = dir.join("evil.tsv");
    let mut s = String::from("doc\tseg\tsystem\thyp\tref\n");
    for (i, r) in ["+1 cmd now", "-2 the cat sat", "a plain line"]
        .iter()
        .enumerate()
    {
        s += &format!("@doc\t{}\t{EVIL_SYSTEM}\t{EVIL_SEGMENT}\t{r}\n", i + 1);
        s += &format!("@doc\t{}\tok\t{r}\t{r}\n", i + 1);
    }
    std::fs::write(&p, s).unwrap();
    p
}

/// All cells of a CSV file (header included).
fn cells(path: &Path) -> Vec<String> {
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for rec in rd.records() {
        out.extend(rec.unwrap().iter().map(String::from));
    }
    out
}

/// Writes every CSV report mtharness has for `tsv` into `dir`, with `extra` flags.
fn write_all_reports(tsv: &Path, dir: &Path, extra: &[&str]) {
    let rules = dir.join("rules.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"plain\"\npattern = \"plain\"\nreplace = \"simple\"\n",
    )
    .unwrap();
    let glossary = dir.join("glossary.csv");
    std::fs::write(&glossary, "id,expected\n=cmd,cmd\n").unwrap();
    let out = dir.join("out");
    let runs: Vec<Vec<String>> = vec![
        vec!["score".into(), tsv.display().to_string()],
        vec![
            "compare".into(),
            tsv.display().to_string(),
            "--baseline".into(),
            "ok".into(),
            "--paired-bs-n".into(),
            "50".into(),
            "--confidence-n".into(),
            "50".into(),
        ],
        vec![
            "terms".into(),
            tsv.display().to_string(),
            "--glossary".into(),
            glossary.display().to_string(),
        ],
        vec![
            "rules".into(),
            "test".into(),
            rules.display().to_string(),
            tsv.display().to_string(),
        ],
        vec!["align".into(), tsv.display().to_string()],
    ];
    for args in runs {
        let o = run(bin()
            .args(&args)
            .arg("--csv")
            .arg(&out)
            .args(extra)
            .arg("-q")
            .env("MTHARNESS_SEED", "1"));
        // `rules test` has no -q; retry without it when clap refuses it.
        let o = if o.status.code() == Some(2) && stderr(&o).contains("'-q'") {
            run(bin().args(&args).arg("--csv").arg(&out).args(extra))
        } else {
            o
        };
        assert!(
            matches!(o.status.code(), Some(0) | Some(1)),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

const ALL_CSVS: [&str; 10] = [
    "segments.csv",
    "documents.csv",
    "systems.csv",
    "compare.csv",
    "terms.csv",
    "rules.csv",
    "rules_segments.csv",
    "hits.csv",
    "alignments.csv",
    // Read but never escaped: must round-trip (see the stats file docs in src/shard/mod.rs).
    "stats.csv",
];

#[test]
fn formula_cells_are_neutralised_in_every_csv_report() {
    let tmp = tempfile::tempdir().unwrap();
    let tsv = evil_tsv(tmp.path());
    write_all_reports(&tsv, tmp.path(), &[]);
    let out = tmp.path().join("out");
    let mut seen_system = Vec::new();
    for name in &ALL_CSVS[..9] {
        let p = out.join(name);
        assert!(p.exists(), "{name} was not written");
        let cells = cells(&p);
        for c in &cells {
            assert!(
                !c.starts_with(['=', '+', '@', '\t', '\r']),
                "{name}: cell {c:?} would run as a formula"
            );
            // `-` may only start a number (a negative gain stays a number).
            if c.starts_with('-') {
                assert!(
                    c.parse::<f64>().is_ok(),
                    "{name}: text cell {c:?} starts with -"
                );
            }
        }
        if cells.iter().any(|c| c == &format!("'{EVIL_SYSTEM}")) {
            seen_system.push(*name);
        }
    }
    for name in [
        "segments.csv",
        "documents.csv",
        "systems.csv",
        "compare.csv",
    ] {
        assert!(seen_system.contains(&name), "{name}: system name not found");
    }
    let segs = cells(&out.join("alignments.csv"));
    assert!(segs.contains(&format!("'{EVIL_SEGMENT}")), "{segs:?}");
    assert!(segs.contains(&"'@doc".to_string()));
    assert!(cells(&out.join("terms.csv")).contains(&"'=cmd".to_string()));
}

#[test]
fn no_csv_escape_keeps_cells_as_they_are() {
    let tmp = tempfile::tempdir().unwrap();
    let tsv = evil_tsv(tmp.path());
    write_all_reports(&tsv, tmp.path(), &["--no-csv-escape"]);
    let out = tmp.path().join("out");
    for name in [
        "segments.csv",
        "documents.csv",
        "systems.csv",
        "compare.csv",
    ] {
        let c = cells(&out.join(name));
        assert!(c.contains(&EVIL_SYSTEM.to_string()), "{name}: {c:?}");
        assert!(!c.iter().any(|x| x.starts_with('\'')), "{name}: {c:?}");
    }
    let al = cells(&out.join("alignments.csv"));
    assert!(al.contains(&EVIL_SEGMENT.to_string()));
    assert!(al.contains(&"@doc".to_string()));
    assert!(cells(&out.join("terms.csv")).contains(&"=cmd".to_string()));
}

#[test]
fn stats_files_keep_names_exactly_so_merge_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let tsv = evil_tsv(tmp.path());
    let stats = tmp.path().join("stats.csv");
    let o = run(bin()
        .arg("score")
        .arg(&tsv)
        .args(["--shard", "0/1", "--stats"])
        .arg(&stats)
        .arg("-q"));
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&stats).unwrap();
    assert!(text.contains("@doc") && !text.contains("'@doc"), "{text}");
    let out = tmp.path().join("merged");
    let o = run(bin()
        .arg("merge")
        .arg(&stats)
        .arg("--csv")
        .arg(&out)
        .arg("-q"));
    assert!(o.status.success(), "{}", stderr(&o));
    // The merged reports are reports: escaped again.
    assert!(cells(&out.join("systems.csv")).contains(&format!("'{EVIL_SYSTEM}")));
}

#[test]
fn ids_that_leave_the_output_folder_are_refused() {
    for bad in ["../evil", "a/b", "..", ".", "", "/etc", "a\\b"] {
        let e = mtharness::rules::file_component(bad, "document id").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("document id") && msg.contains(&format!("{bad:?}")),
            "{msg}"
        );
    }
    for ok in ["doc1", "000_ce49ac1db8a694aa", "sys.v2", "..evil", "a b"] {
        assert_eq!(
            mtharness::rules::file_component(ok, "system name").unwrap(),
            ok
        );
    }
}

#[cfg(unix)]
#[test]
fn rules_apply_refuses_a_symlinked_folder_in_the_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("corpus");
    std::fs::create_dir_all(c.join("ref")).unwrap();
    std::fs::create_dir_all(c.join("mt/sys")).unwrap();
    std::fs::write(c.join("ref/d.txt"), "a\n").unwrap();
    std::fs::write(c.join("mt/sys/d.txt"), "a\n").unwrap();
    // A loop: ref/loop -> ref.
    std::os::unix::fs::symlink(c.join("ref"), c.join("ref/loop")).unwrap();
    let rules = tmp.path().join("r.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"x\"\npattern = \"a\"\nreplace = \"b\"\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = run(bin()
        .args(["rules", "apply"])
        .arg(&rules)
        .arg(&c)
        .arg("--out")
        .arg(&out));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
}

/// Segments of the large corpus of the kill test: enough that writing segments.csv takes a
/// while (hundreds of milliseconds) on any machine.
const KILL_TEST_SEGMENTS: usize = 300_000;

#[cfg(unix)]
#[test]
fn a_run_killed_while_writing_leaves_no_partial_report() {
    use std::io::Write;
    use std::time::{Duration, Instant};
    let tmp = tempfile::tempdir().unwrap();
    let (r, h) = (tmp.path().join("ref.en"), tmp.path().join("hyp.sys.en"));
    {
        let mut rw = std::io::BufWriter::new(std::fs::File::create(&r).unwrap());
        let mut hw = std::io::BufWriter::new(std::fs::File::create(&h).unwrap());
        for i in 0..KILL_TEST_SEGMENTS {
            writeln!(rw, "the cat {i} sat").unwrap();
            writeln!(hw, "a cat {i} sat").unwrap();
        }
    }
    let out = tmp.path().join("report");
    std::fs::create_dir_all(&out).unwrap();
    // A previous complete report that an interrupted run must leave as it was.
    let old = "system,document\nprevious,run\n";
    std::fs::write(out.join("segments.csv"), old).unwrap();
    let mut child = bin()
        .arg("score")
        .arg("-r")
        .arg(&r)
        .arg("-i")
        .arg(&h)
        .args(["-m", "bleu", "--csv"])
        .arg(&out)
        .arg("-q")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut caught = false;
    while start.elapsed() < Duration::from_secs(20) {
        let tmp_seen = std::fs::read_dir(&out).unwrap().any(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.starts_with(".mth.") && n.ends_with(".tmp")
        });
        if tmp_seen {
            child.kill().unwrap(); // SIGKILL on Unix
            caught = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.wait();
    assert!(caught, "the temporary file of segments.csv was never seen");
    assert_eq!(
        std::fs::read_to_string(out.join("segments.csv")).unwrap(),
        old,
        "a killed run replaced the complete report"
    );
    assert!(!out.join("documents.csv").exists() && !out.join("systems.csv").exists());
    // The killed run's temporary file is removed by the next run writing into the folder.
    let status = bin()
        .args(["score", "-r"])
        .arg(&r)
        .arg("-i")
        .arg(&h)
        .args(["-m", "bleu", "--csv"])
        .arg(&out)
        .arg("-q")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".mth."))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn a_regex_rule_too_big_to_compile_is_a_clear_error() {
    let toml = "[[rule]]\nid = \"huge\"\npattern = '\\w{50000}'\nregex = true\n";
    let e = mtharness::rules::parse_rules(toml, Path::new("r.toml")).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("regex too big") && msg.contains("huge"),
        "{msg}"
    );
    assert!(
        msg.contains(&mtharness::rules::REGEX_SIZE_LIMIT.to_string()),
        "{msg}"
    );
}

/// Line-aligned files: `ref.en` and `hyp.sys.en` with `lines`, `docids` when given.
fn line_aligned(dir: &Path, lines: &[&str], docids: Option<&[&str]>) -> Vec<String> {
    let r = dir.join("ref.en");
    let h = dir.join("hyp.sys.en");
    std::fs::write(&r, lines.join("\n") + "\n").unwrap();
    std::fs::write(&h, lines.join("\n") + "\n").unwrap();
    let mut args = vec![
        "score".to_string(),
        "-r".into(),
        r.display().to_string(),
        "-i".into(),
        h.display().to_string(),
        "-q".into(),
    ];
    if let Some(ids) = docids {
        let d = dir.join("docids");
        std::fs::write(&d, ids.join("\n") + "\n").unwrap();
        args.extend(["--docids".into(), d.display().to_string()]);
    }
    args
}

#[test]
fn a_line_over_the_limit_names_file_line_limit_and_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let long = "x".repeat(2000);
    let args = line_aligned(tmp.path(), &["short", &long, "short"], None);
    let o = run(bin().args(&args).args(["--max-line-bytes", "1000"]));
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("ref.en:2") && e.contains("2000 bytes") && e.contains("limit of 1000"),
        "{e}"
    );
    assert!(e.contains("--max-line-bytes"), "{e}");
    // Raised, it passes; the default (1 MiB) passes too.
    assert!(run(bin().args(&args).args(["--max-line-bytes", "2000"]))
        .status
        .success());
    assert!(run(bin().args(&args)).status.success());
}

#[test]
fn a_line_over_the_default_limit_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let long = "y ".repeat(mtharness::corpus::DEFAULT_MAX_LINE_BYTES / 2 + 1);
    let args = line_aligned(tmp.path(), &[&long], None);
    let o = run(bin().args(&args));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--max-line-bytes"), "{}", stderr(&o));
}

#[test]
fn a_document_over_the_limit_names_document_limit_and_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = ["a", "b", "c", "d", "e"];
    let args = line_aligned(tmp.path(), &lines, Some(&["big"; 5]));
    let o = run(bin().args(&args).args(["--max-doc-segments", "3"]));
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("\"big\"") && e.contains("5 segments") && e.contains("limit of 3"),
        "{e}"
    );
    assert!(e.contains("--max-doc-segments"), "{e}");
    assert!(run(bin().args(&args).args(["--max-doc-segments", "5"]))
        .status
        .success());
    // Without --docids the file is one implicit document of any length.
    let args = line_aligned(tmp.path(), &lines, None);
    assert!(run(bin().args(&args).args(["--max-doc-segments", "3"]))
        .status
        .success());
}

#[test]
fn limits_apply_to_table_inputs_too() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("t.jsonl");
    let long = "z".repeat(300);
    std::fs::write(
        &p,
        format!("{{\"doc\":\"d1\",\"system\":\"s\",\"hyp\":\"{long}\",\"ref\":\"r\"}}\n"),
    )
    .unwrap();
    let o = run(bin()
        .arg("score")
        .arg(&p)
        .args(["--max-line-bytes", "100", "-q"]));
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("t.jsonl") && e.contains("d1") && e.contains("system s"),
        "{e}"
    );
}

#[test]
fn a_baseline_rules_csv_with_escaped_names_reads_back_the_names() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("rules.csv");
    std::fs::write(
        &p,
        "rule,system,hits,segments_changed,gain_BLEU,segments_worse\n'-fix,'=sys,1,1,-0.5100,0\n",
    )
    .unwrap();
    let rows = mtharness::rules::read_rules_csv(&p).unwrap();
    assert_eq!(rows[0].rule, "-fix");
    assert_eq!(rows[0].system, "=sys");
    assert_eq!(rows[0].gains, vec![("BLEU".to_string(), -0.51)]);
}
