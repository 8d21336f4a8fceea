//! `mtharness compare --paired-bs` / `--paired-ar` against live sacreBLEU 2.6.0 on the shared
//! WMT22 corpora, through the binary: the same seed gives the same resamples (numpy's
//! generator, reimplemented), so every score, bootstrap mean and half-width agrees to the 10
//! decimals sacreBLEU printed, and every p-value to its 4.
//!
//! Expected values: `tests/fixtures/sacrebleu/significance.json`, written by
//! `tests/fixtures/sacrebleu/make_significance.py` (its docstring says how to run it). Each case
//! records the sacreBLEU command it ran, e.g. in `$MTHARNESS_SHARED/corpora/wmt22-de-en` with
//! `SACREBLEU_SEED=12345`:
//!
//! ```text
//! sacrebleu ref.A.en ref.B.en -i hyp.JDExploreAcademy.en hyp.LT22.en hyp.Online-B.en hyp.PROMT.en -m bleu chrf ter --paired-bs -w 10 -f text
//! ```
//!
//! and one case calls `PairedTest(..., test_type='ar', n_ar_confidence=1000)` (the Python API
//! behind `--paired-ar`, with intervals, which its command line cannot ask for).

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn fixture() -> Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sacrebleu/significance.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// `mtharness compare` for a fixture case: the sacreBLEU command's files, metrics, test,
/// sample count and seed, as JSON.
fn run_compare(shared: &Path, case: &Value) -> Value {
    let dir = shared
        .join("corpora")
        .join(case["corpus"].as_str().unwrap());
    let command = case["command"].as_str().unwrap();
    let seed = case["env"]
        .as_str()
        .unwrap()
        .strip_prefix("SACREBLEU_SEED=")
        .unwrap();
    let words: Vec<&str> = command.split_whitespace().collect();
    let (mut refs, mut hyps, mut metrics, mut extra) = (vec![], vec![], vec![], vec![]);
    if words[0] == "sacrebleu" {
        // sacrebleu REFS... -i HYPS... -m METRICS... --paired-xx [--paired-xx-n N] -w 10 -f text
        let mut it = words[1..].iter().peekable();
        while let Some(w) = it.next() {
            match *w {
                "-i" => {
                    while let Some(h) = it.next_if(|x| !x.starts_with('-')) {
                        hyps.push(dir.join(h));
                    }
                }
                "-m" => {
                    while let Some(m) = it.next_if(|x| !x.starts_with('-')) {
                        metrics.push(m.to_string());
                    }
                }
                "--paired-bs" => extra.push("--paired-bs".to_string()),
                // sacreBLEU's --paired-ar prints no intervals.
                "--paired-ar" => extra.extend(["--paired-ar".into(), "--no-confidence".into()]),
                "--paired-bs-n" | "--paired-ar-n" => {
                    extra.extend([w.to_string(), it.next().unwrap().to_string()])
                }
                "-w" | "-f" => {
                    it.next();
                }
                r if hyps.is_empty() => refs.push(dir.join(r)),
                other => panic!("unexpected word {other:?} in {command}"),
            }
        }
    } else {
        // The PairedTest call: AR with 1000-resample intervals, BLEU and chrF, all systems.
        refs = vec![dir.join("ref.A.en"), dir.join("ref.B.en")];
        for h in ["JDExploreAcademy", "LT22", "Online-B", "PROMT"] {
            hyps.push(dir.join(format!("hyp.{h}.en")));
        }
        metrics = vec!["bleu".into(), "chrf".into()];
        extra = vec!["--paired-ar".into(), "--confidence-n".into(), "1000".into()];
    }
    let out = Command::new(env!("CARGO_BIN_EXE_mtharness"))
        .arg("compare")
        .arg("-r")
        .args(&refs)
        .arg("-i")
        .args(&hyps)
        .arg("-m")
        .args(&metrics)
        .args(&extra)
        .args(["--seed", seed, "-f", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn paired_tests_print_sacrebleus_numbers() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let cases = fixture();
    let cases = cases.as_object().unwrap();
    assert_eq!(cases.len(), 6);
    let mut checked = 0;
    for (id, case) in cases {
        let ours = run_compare(&shared, case);
        let metric_names: Vec<&str> = ours["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        for row in case["rows"].as_array().unwrap() {
            let (system, metric) = (
                row["system"].as_str().unwrap(),
                row["metric"].as_str().unwrap(),
            );
            let what = format!("{id} {system} {metric}");
            let m = metric_names
                .iter()
                .position(|n| *n == metric)
                .unwrap_or_else(|| panic!("{what}: no such metric in {metric_names:?}"));
            let sys = ours["systems"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["name"] == system)
                .unwrap_or_else(|| panic!("{what}: no such system"));
            let cell = &sys["metrics"][m];
            let fmt = |v: &Value, decimals: usize| v.as_f64().map(|x| format!("{x:.decimals$}"));
            assert_eq!(
                fmt(&cell["score"], 10).as_deref(),
                row["score"].as_str(),
                "{what}: score"
            );
            if let Some(mean) = row["mean"].as_str() {
                let iv = &cell["interval"];
                assert_eq!(fmt(&iv["mean"], 10).as_deref(), Some(mean), "{what}: mean");
                assert_eq!(
                    fmt(&iv["half_width"], 10).as_deref(),
                    row["ci"].as_str(),
                    "{what}: half-width"
                );
            }
            assert_eq!(
                fmt(&cell["p_value"], 4).as_deref(),
                row["p"].as_str(),
                "{what}: p-value"
            );
            checked += 1;
        }
    }
    // 4x3 + 4x3 + 3x2 + 5x3 + 5x3 + 4x2 cells
    assert_eq!(checked, 68);
}
