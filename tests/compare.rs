//! `compare`: N systems against a baseline on WMT22 ru-en, checked against sacreBLEU 2.6.0's
//! `--paired-bs` / `--paired-ar` tables (`../shared/oracle/wmt22-ru-en/significance.json`,
//! first system ALMAnaCH-Inria as baseline, BLEU and chrF), plus document counts, ranking,
//! determinism across thread counts and the command line.

mod common;

use std::path::{Path, PathBuf};

use mtharness::compare::{compare, CompareOptions, Comparison};
use mtharness::corpus::{self, LoadSpec};
use mtharness::eval::{evaluate, AlignMode, EvalOptions, Evaluation};
use mtharness::metrics::{build_metrics, MetricOptions};
use mtharness::significance::{PairedTest, DEFAULT_AR_TRIALS, DEFAULT_BOOTSTRAP_SAMPLES};
use mtharness::Corpus;

const SET: &str = "wmt22-ru-en";

/// Means, half-widths and p-values as sacreBLEU prints them (`-w 4`): the same resamples from
/// numpy's generator give the same numbers, so they agree to half a unit of the last digit.
const CI_TOLERANCE: f64 = 5e-5;

/// sacreBLEU prints 4 decimals (`-w 4`).
const SCORE_TOLERANCE: f64 = 5e-5;

fn corpus_dir(shared: &Path) -> PathBuf {
    shared.join("corpora").join(SET)
}

/// The systems' files in sacreBLEU's command order (sorted by name).
fn hyp_files(shared: &Path) -> Vec<PathBuf> {
    let set = common::load_set(shared, SET);
    set.systems
        .iter()
        .map(|(n, _)| corpus_dir(shared).join(format!("hyp.{n}.en")))
        .collect()
}

fn load(shared: &Path) -> Corpus {
    let dir = corpus_dir(shared);
    corpus::load(&LoadSpec {
        refs: vec![dir.join("ref.A.en")],
        hyps: hyp_files(shared),
        docids: Some(dir.join("docids")),
        ..LoadSpec::default()
    })
    .unwrap()
}

fn eval(corpus: &Corpus, metrics: &[&str]) -> Evaluation {
    let names: Vec<String> = metrics.iter().map(|s| s.to_string()).collect();
    let metrics = build_metrics(&names, &MetricOptions::default()).unwrap();
    evaluate(
        corpus,
        metrics,
        &EvalOptions {
            align: AlignMode::Never,
            ..EvalOptions::default()
        },
    )
    .unwrap()
}

fn oracle(shared: &Path, test: &str) -> Vec<common::OracleRow> {
    common::parse_oracle_table(&common::oracle_test_lines(shared, test)).1
}

/// Checks every system and metric of `cmp` against the oracle table; returns the largest
/// difference of a mean or half-width (0 when the oracle has no intervals).
fn check_against_oracle(cmp: &Comparison, rows: &[common::OracleRow]) -> f64 {
    assert_eq!(cmp.systems.len(), rows.len());
    assert_eq!(cmp.baseline, 0);
    let mut worst = 0.0f64;
    for (sys, row) in cmp.systems.iter().zip(rows) {
        let (name, cells) = (&row.system, &row.cells);
        assert_eq!(&sys.name, name, "systems in sacreBLEU's order");
        assert_eq!(sys.metrics.len(), cells.len());
        for (m, (r, cell)) in sys.metrics.iter().zip(cells).enumerate() {
            let what = format!("{name} {}", cmp.metrics[m].name);
            assert!(
                (r.score - cell.score).abs() < SCORE_TOLERANCE,
                "{what}: {r:?} vs {cell:?}"
            );
            if let Some((mean, half)) = cell.ci {
                let iv = r.interval.unwrap_or_else(|| panic!("{what}: no interval"));
                let d = (iv.mean - mean).abs().max((iv.half_width - half).abs());
                assert!(d <= CI_TOLERANCE, "{what}: {iv:?} vs {cell:?}");
                worst = worst.max(d);
            }
            match cell.p_value {
                None => assert!(sys.is_baseline && r.p_value.is_none(), "{what}"),
                Some(p) => {
                    assert_eq!(r.significant, Some(cell.starred), "{what}: {r:?}");
                    let ours = r.p_value.unwrap();
                    assert!((ours - p).abs() <= CI_TOLERANCE, "{what}: p {ours} vs {p}");
                }
            }
        }
    }
    worst
}

#[test]
fn paired_bootstrap_agrees_with_sacrebleu() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let ev = eval(&load(&shared), &["bleu", "chrf"]);
    let t = std::time::Instant::now();
    let cmp = compare(&ev, &CompareOptions::default()).unwrap();
    let took = t.elapsed();
    let worst = check_against_oracle(&cmp, &oracle(&shared, "paired-bs"));
    eprintln!(
        "paired-bs: max |mean or half-width - sacreBLEU| = {worst:.4}; compare took {took:.2?}"
    );
    assert_eq!(cmp.n_samples, DEFAULT_BOOTSTRAP_SAMPLES);
    assert_eq!(cmp.confidence_n, Some(DEFAULT_BOOTSTRAP_SAMPLES));
    assert!(cmp.metrics[0]
        .signature
        .starts_with("nrefs:1|bs:1000|seed:12345|"));
    // The terminal table has sacreBLEU's cells.
    let text = cmp.format_text();
    assert!(text.contains("│ Baseline: ALMAnaCH-Inria │"), "{text}");
    assert!(text.contains("BLEU (μ ± 95% CI)") && text.contains("chrF2 (μ ± 95% CI)"));
    assert!(text.contains("(p = 0.0010)*"), "{text}");
    assert!(text.contains("Paired bootstrap resampling test with 1000 resampling trials"));
}

#[test]
fn paired_ar_agrees_with_sacrebleu() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let ev = eval(&load(&shared), &["bleu", "chrf"]);
    // sacreBLEU's --paired-ar prints no intervals.
    let opts = CompareOptions {
        confidence: false,
        ..CompareOptions::with_test(PairedTest::ApproximateRandomization)
    };
    let t = std::time::Instant::now();
    let cmp = compare(&ev, &opts).unwrap();
    let took = t.elapsed();
    check_against_oracle(&cmp, &oracle(&shared, "paired-ar"));
    eprintln!("paired-ar (10,000 trials): compare took {took:.2?}");
    assert_eq!(cmp.n_samples, DEFAULT_AR_TRIALS);
    assert!(cmp
        .systems
        .iter()
        .all(|s| s.metrics.iter().all(|r| r.interval.is_none())));
    assert!(cmp.metrics[1]
        .signature
        .starts_with("nrefs:1|ar:10000|seed:12345|"));
    let text = cmp.format_text();
    assert!(text.contains("(p = 0.0001)*"), "{text}");
    assert!(!text.contains("μ ±"));
}

#[test]
fn documents_ranks_and_a_non_significant_pair() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let ev = eval(&load(&shared), &["bleu", "chrf", "ter"]);
    let opts = CompareOptions {
        baseline: Some("HuaweiTSC".into()),
        n_samples: 300,
        ..CompareOptions::default()
    };
    let cmp = compare(&ev, &opts).unwrap();
    assert_eq!(cmp.systems[cmp.baseline].name, "HuaweiTSC");
    assert!(cmp.documents > 100);
    for sys in &cmp.systems {
        for (m, r) in sys.metrics.iter().enumerate() {
            let base = cmp.systems[cmp.baseline].metrics[m].score;
            assert!((r.difference - (r.score - base)).abs() < 1e-12);
            match r.docs {
                None => assert!(sys.is_baseline),
                Some(d) => assert_eq!(d.wins + d.losses + d.ties, cmp.documents, "{d:?}"),
            }
        }
    }
    // The best-BLEU-on-documents direction follows the metric: ALMAnaCH-Inria is ~15 BLEU
    // worse, so it loses most documents on BLEU and chrF, and on TER (lower is better) too.
    let alm = &cmp.systems[0];
    assert_eq!(alm.name, "ALMAnaCH-Inria");
    for r in &alm.metrics {
        let d = r.docs.unwrap();
        assert!(d.losses > 5 * d.wins, "{d:?}");
        assert_eq!(r.significant, Some(true));
    }
    // Two close systems (BLEU 45.08 vs 45.06): not significant on BLEU.
    let jd = cmp
        .systems
        .iter()
        .find(|s| s.name == "JDExploreAcademy")
        .unwrap();
    assert_eq!(jd.metrics[0].significant, Some(false), "{jd:?}");
    // Ranks by BLEU: Lan-Bridge 45.22, HuaweiTSC 45.08, JD 45.06, Online-B 45.03, ALMAnaCH 30.33.
    let ranks: Vec<(&str, usize)> = cmp
        .systems
        .iter()
        .map(|s| (s.name.as_str(), s.rank))
        .collect();
    assert_eq!(
        ranks,
        [
            ("ALMAnaCH-Inria", 5),
            ("HuaweiTSC", 2),
            ("JDExploreAcademy", 3),
            ("Lan-Bridge", 1),
            ("Online-B", 4)
        ]
    );
}

#[test]
fn a_copy_of_the_baseline_ties_everywhere() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut c = load(&shared);
    c.system_names.truncate(2);
    c.system_names[1] = "copy".into();
    for d in &mut c.documents {
        let base = d.hyps[0].clone();
        d.hyps = vec![base.clone(), base];
    }
    let ev = eval(&c, &["bleu"]);
    let opts = CompareOptions {
        n_samples: 100,
        ..CompareOptions::default()
    };
    let cmp = compare(&ev, &opts).unwrap();
    let r = &cmp.systems[1].metrics[0];
    assert_eq!(r.difference, 0.0);
    let d = r.docs.unwrap();
    assert_eq!((d.wins, d.losses, d.ties), (0, 0, cmp.documents));
    assert_eq!((cmp.systems[0].rank, cmp.systems[1].rank), (1, 1));
    // sacreBLEU's (and multeval's) strict count: identical systems get the smallest p-value.
    assert_eq!(r.p_value, Some(1.0 / 101.0));
    assert_eq!(cmp.systems[0].metrics[0].interval, r.interval);
}

#[test]
fn bad_requests_are_errors() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let c = load(&shared);
    let ev = eval(&c, &["bleu"]);
    let unknown = CompareOptions {
        baseline: Some("nope".into()),
        ..CompareOptions::default()
    };
    let e = compare(&ev, &unknown).unwrap_err().to_string();
    assert!(e.contains("nope") && e.contains("HuaweiTSC"), "{e}");
    let mut one = c.clone();
    one.system_names.truncate(1);
    for d in &mut one.documents {
        d.hyps.truncate(1);
    }
    assert!(compare(&eval(&one, &["bleu"]), &CompareOptions::default()).is_err());
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let ev = eval(&load(&shared), &["bleu", "chrf"]);
    for opts in [
        CompareOptions {
            n_samples: 200,
            ..CompareOptions::default()
        },
        CompareOptions {
            n_samples: 500,
            confidence_n: 100,
            ..CompareOptions::with_test(PairedTest::ApproximateRandomization)
        },
    ] {
        let run = || {
            let cmp = compare(&ev, &opts).unwrap();
            let mut csv = Vec::new();
            cmp.write_csv(&mut csv, true).unwrap();
            (csv, cmp.to_json().unwrap())
        };
        let one = in_pool(1, run);
        let two = in_pool(2, run);
        assert_eq!(one.0, two.0, "compare.csv differs between 1 and 2 threads");
        assert_eq!(one.1, two.1, "JSON differs between 1 and 2 threads");
        assert_eq!(String::from_utf8(one.0).unwrap().lines().count(), 1 + 5 * 2);
    }
}

#[test]
fn cli_compare_writes_table_json_and_csv() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = corpus_dir(&shared);
    let out = std::env::temp_dir().join(format!("mth-compare-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let mut args: Vec<String> = vec!["compare".into(), "-r".into()];
    args.push(dir.join("ref.A.en").display().to_string());
    args.push("-i".into());
    args.extend(hyp_files(&shared).iter().map(|p| p.display().to_string()));
    args.extend(
        ["--docids", &dir.join("docids").display().to_string()]
            .iter()
            .map(|s| s.to_string()),
    );
    args.extend(
        ["-m", "bleu", "chrf", "--paired-bs-n", "200", "-w", "4"]
            .iter()
            .map(|s| s.to_string()),
    );

    let text = common::bin()
        .args(&args)
        .args(["--csv", &out.display().to_string()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.status.success(),
        "{}",
        String::from_utf8_lossy(&text.stderr)
    );
    assert!(stdout.contains("│ Baseline: ALMAnaCH-Inria │"), "{stdout}");
    assert!(
        stdout.contains(" - BLEU       nrefs:1|bs:200|seed:"),
        "{stdout}"
    );
    assert!(stdout.contains("30.3298 ("), "{stdout}");

    let csv = std::fs::read_to_string(out.join("compare.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "system,metric,score,ci_mean,ci_half_width,p_value,significant,doc_wins,doc_losses,\
         doc_ties,rank,signature"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 10);
    assert_eq!(&rows[0][..3], ["ALMAnaCH-Inria", "BLEU", "30.329767"]);
    assert_eq!(rows[0][5], "", "the baseline has no p-value");
    assert_eq!(&rows[2][..2], ["HuaweiTSC", "BLEU"]);
    assert_eq!(rows[2][6], "true");

    let json = common::bin()
        .args(&args)
        .args(["--paired-ar", "--paired-ar-n", "300", "-f", "json"])
        .output()
        .unwrap();
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["test"], "ar");
    assert_eq!(v["n_samples"], 300);
    assert_eq!(v["systems"][3]["name"], "Lan-Bridge");
    assert_eq!(v["systems"][3]["rank"], 1);
    assert!(v["systems"][1]["metrics"][0]["p_value"].is_number());

    let bad = common::bin()
        .args(&args)
        .args(["--baseline", "nope"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("nope"));
    let _ = std::fs::remove_dir_all(&out);
}
