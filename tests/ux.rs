//! The command line's comfort features: progress reporting (never changes results, silent when
//! standard error is not a terminal) and the HTML pages of `compare` and `rules test` (table
//! values as printed, corpus text escaped).

mod common;

use common::mtharness;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use mtharness::compare::{compare, CompareOptions};
use mtharness::eval::{evaluate, EvalOptions};
use mtharness::metrics::{build_metrics, MetricOptions};
use mtharness::progress::{Progress, ProgressHandle};
use mtharness::{Corpus, Document};

/// A corpus segment that would run a script if it reached the page unescaped.
const PLANTED: &str = "the cat said <script>alert(1)</script> & left";
const PLANTED_ESCAPED: &str = "the cat said &lt;script&gt;alert(1)&lt;/script&gt; &amp; left";

const REF: [&str; 8] = [
    PLANTED,
    "a small house stood by the river",
    "we walked home after the long game",
    "the weather was cold and windy today",
    "she reads a book every single week",
    "the cat slept on the warm red chair",
    "they opened the shop early on monday",
    "music played softly in the quiet room",
];

/// Writes a reference and two systems (one close to the reference, one further) as line files.
fn write_corpus(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let r = dir.join("ref.en");
    let a = dir.join("good.en");
    let b = dir.join("poor.en");
    std::fs::write(&r, REF.join("\n") + "\n").unwrap();
    let good: Vec<String> = REF
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if i % 3 == 1 {
                s.replacen("the", "a", 1)
            } else {
                s.to_string()
            }
        })
        .collect();
    std::fs::write(&a, good.join("\n") + "\n").unwrap();
    let poor: Vec<String> = REF
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let w: Vec<&str> = s.split(' ').collect();
            if i == 0 {
                s.to_string()
            } else {
                w[..w.len() - 2].join(" ")
            }
        })
        .collect();
    std::fs::write(&b, poor.join("\n") + "\n").unwrap();
    (r, a, b)
}

fn fmt2(x: f64) -> String {
    format!("{x:.2}")
}

#[test]
fn compare_html_has_the_comparison_table_and_escapes_corpus_text() {
    let tmp = tempfile::tempdir().unwrap();
    let (r, a, b) = write_corpus(tmp.path());
    let html = tmp.path().join("cmp.html");
    let args = [
        "compare",
        "-r",
        r.to_str().unwrap(),
        "-i",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-m",
        "bleu",
        "chrf",
        "--paired-bs-n",
        "200",
        "-f",
        "json",
        "--html",
        html.to_str().unwrap(),
    ];
    let (code, out, err) = mtharness(&args);
    assert_eq!(code, 0, "{err}");
    // Standard error is a pipe here: indicatif draws nothing.
    assert_eq!(
        err, "",
        "progress must stay off when stderr is not a terminal"
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let page = std::fs::read_to_string(&html).unwrap();
    let systems = json["systems"].as_array().unwrap();
    assert_eq!(systems.len(), 2);
    for sys in systems {
        assert!(page.contains(sys["name"].as_str().unwrap()));
        for m in sys["metrics"].as_array().unwrap() {
            let score = fmt2(m["score"].as_f64().unwrap());
            assert!(
                page.contains(&format!("<td class=\"n\">{score}</td>")),
                "score {score} missing"
            );
            let ci = &m["interval"];
            let cell = format!(
                "{} ± {}",
                fmt2(ci["mean"].as_f64().unwrap()),
                fmt2(ci["half_width"].as_f64().unwrap())
            );
            assert!(page.contains(&cell), "interval {cell} missing");
            if let Some(p) = m["p_value"].as_f64() {
                let star = if m["significant"].as_bool().unwrap() {
                    "*"
                } else {
                    ""
                };
                let cell = format!("{p:.4}{star}");
                assert!(page.contains(&cell), "p-value {cell} missing");
                let d = &m["docs"];
                let cell = format!(
                    "+{} -{} ={}",
                    d["wins"].as_u64().unwrap(),
                    d["losses"].as_u64().unwrap(),
                    d["ties"].as_u64().unwrap()
                );
                assert!(page.contains(&cell), "docs {cell} missing");
            }
        }
    }
    for m in json["metrics"].as_array().unwrap() {
        let sig = m["signature"].as_str().unwrap();
        assert!(page.contains(sig), "signature {sig} missing");
    }
    // The document view shows the planted segment, escaped.
    assert!(
        !page.contains("<script>alert"),
        "corpus text reached the page raw"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "planted segment missing"
    );
}

#[test]
fn rules_test_html_has_systems_rules_and_worse_segments_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let (r, a, _) = write_corpus(tmp.path());
    let rules = tmp.path().join("rules.toml");
    // Turns the correct "cat" of the planted segment (and line 6) into "dog": worse segments.
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"cat-dog\"\npattern = \"cat\"\nreplace = \"dog\"\nword_boundary = true\n",
    )
    .unwrap();
    let html = tmp.path().join("rules.html");
    let (code, out, err) = mtharness(&[
        "rules",
        "test",
        rules.to_str().unwrap(),
        "-r",
        r.to_str().unwrap(),
        "-i",
        a.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "the gate must fail: {out}\n{err}");
    assert_eq!(
        err, "",
        "progress must stay off when stderr is not a terminal"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    // System scores as the text report prints them: `    BLEU  69.50 ->  76.95  ...`.
    let mut checked = 0;
    for line in out.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() >= 5 && f[2] == "->" && ["BLEU", "chrF", "TER"].contains(&f[0]) {
            let cells = format!(
                "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
                f[1], f[3], f[4]
            );
            assert!(page.contains(&cells), "{cells} missing");
            checked += 1;
        }
    }
    assert!(checked >= 2, "no system rows parsed from\n{out}");
    assert!(page.contains("<td>cat-dog</td>"), "rule row missing");
    assert!(page.contains("Gates failed"));
    assert!(page.contains("[-cat-]{+dog+}"), "word diff missing");
    assert!(page.contains(PLANTED_ESCAPED), "before text missing");
    assert!(
        page.contains(&PLANTED_ESCAPED.replace("cat", "dog")),
        "after text missing"
    );
    assert!(
        !page.contains("<script>"),
        "corpus text reached the page raw"
    );

    // --quiet: nothing on stdout, same exit code, same page.
    let html2 = tmp.path().join("rules2.html");
    let (code2, out2, _) = mtharness(&[
        "rules",
        "test",
        rules.to_str().unwrap(),
        "-r",
        r.to_str().unwrap(),
        "-i",
        a.to_str().unwrap(),
        "--html",
        html2.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!((code2, out2.as_str()), (1, ""));
    assert_eq!(std::fs::read(&html2).unwrap(), page.as_bytes());
}

/// Records every call; `inc` is lock-free.
#[derive(Default)]
struct Recorder {
    stages: Mutex<Vec<(String, u64)>>,
    done: AtomicU64,
    calls: AtomicU64,
}

impl Progress for Recorder {
    fn start(&self, stage: &str, total: u64) {
        self.stages.lock().unwrap().push((stage.to_string(), total));
    }
    fn inc(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
        self.calls.fetch_add(1, Ordering::Relaxed);
    }
    fn finish(&self) {}
}

fn big_corpus() -> Corpus {
    let n = 2000;
    let refs: Vec<String> = (0..n)
        .map(|i| format!("{} segment number {i} of the test", REF[i % REF.len()]))
        .collect();
    let hyps = |k: usize| -> Vec<String> {
        refs.iter()
            .enumerate()
            .map(|(i, s)| {
                if i % (k + 2) == 0 {
                    s.replacen("the", "a", 1)
                } else {
                    s.clone()
                }
            })
            .collect()
    };
    Corpus {
        name: "progress".into(),
        ref_names: vec!["ref".into()],
        system_names: vec!["a".into(), "b".into()],
        documents: vec![Document {
            id: "d".into(),
            source: None,
            refs: vec![refs.clone()],
            hyps: vec![hyps(0), hyps(1)],
            lines: (1..=n).collect(),
        }],
    }
}

#[test]
fn progress_counts_every_unit_in_chunks_and_changes_nothing() {
    let corpus = big_corpus();
    let metrics =
        || build_metrics(&["bleu".into(), "chrf".into()], &MetricOptions::default()).unwrap();
    let rec = Arc::new(Recorder::default());
    let with = EvalOptions {
        progress: ProgressHandle::new(rec.clone()),
        ..EvalOptions::default()
    };
    let ev_with = evaluate(&corpus, metrics(), &with).unwrap();
    let ev_without = evaluate(&corpus, metrics(), &EvalOptions::default()).unwrap();
    assert_eq!(ev_with.systems, ev_without.systems);
    let stages = rec.stages.lock().unwrap().clone();
    assert_eq!(
        stages,
        vec![
            ("aligning".to_string(), 2),
            ("scoring a".to_string(), 2000),
            ("scoring b".to_string(), 2000)
        ]
    );
    assert_eq!(rec.done.load(Ordering::Relaxed), 2 + 2 * 2000);
    // Chunks, not segments: each rayon job reports every 256 units and its remainder, so far
    // fewer calls than segments.
    let calls = rec.calls.load(Ordering::Relaxed);
    assert!((2 + 2 * 8..500).contains(&calls), "{calls} progress calls");

    let rec2 = Arc::new(Recorder::default());
    let opts = CompareOptions {
        n_samples: 100,
        progress: ProgressHandle::new(rec2.clone()),
        ..CompareOptions::default()
    };
    let c_with = compare(&ev_with, &opts).unwrap();
    let c_without = compare(
        &ev_without,
        &CompareOptions {
            n_samples: 100,
            ..CompareOptions::default()
        },
    )
    .unwrap();
    assert_eq!(c_with, c_without);
    assert_eq!(
        rec2.stages.lock().unwrap().clone(),
        vec![("resampling".to_string(), 4)]
    );
    assert_eq!(rec2.done.load(Ordering::Relaxed), 4);
}
