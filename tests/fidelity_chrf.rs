//! chrF and chrF++ against sacreBLEU 2.6.0 on the shared WMT22 corpora: system scores from
//! `oracle/<corpus>/systems.csv` (every reference) to 4 decimals, sentence scores from
//! `sentences.csv` (columns `chrf`, `chrfpp`) within 1e-4 on every segment.

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use mtharness::metrics::add_stats;
use mtharness::metrics::Chrf;
use mtharness::SegmentMetric;

/// sacreBLEU prints system scores with 4 decimals in its 2.6.0 `-w 4` output: agree to that.
const SYSTEM_TOLERANCE: f64 = 5e-5;
/// Sentence scores: the task's tolerance (the oracle prints 10 decimals).
const SENTENCE_TOLERANCE: f64 = 1e-4;

fn check_corpus(corpus: &str) {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let set = common::load_set(&shared, corpus);
    assert!(
        !set.refs.is_empty() && !set.systems.is_empty(),
        "{corpus}: no data"
    );
    let n = set.refs[0].1.len();
    for (name, lines) in set.refs.iter().chain(&set.systems) {
        assert_eq!(lines.len(), n, "{corpus}: {name} has {} lines", lines.len());
    }

    // (system, 1-based line) -> (chrf, chrfpp)
    let mut sentence_oracle: HashMap<(String, usize), (f64, f64)> = HashMap::new();
    for row in common::oracle_csv(&shared, corpus, "sentences.csv") {
        let line: usize = row["line"].parse().unwrap();
        let chrf: f64 = row["chrf"].parse().unwrap();
        let chrfpp: f64 = row["chrfpp"].parse().unwrap();
        sentence_oracle.insert((row["system"].clone(), line), (chrf, chrfpp));
    }

    let metrics = [(Chrf::default(), "chrf"), (Chrf::plus_plus(), "chrfpp")];

    // Time spent in segment_stats alone (printed; release: `cargo test --release`).
    let mut stats_time = Duration::ZERO;
    for (metric, column) in &metrics {
        let mut max_system_diff: f64 = 0.0;
        let mut max_sentence_diff: f64 = 0.0;
        let mut sentences = 0usize;
        for (system, hyps) in &set.systems {
            let mut total = vec![0.0; metric.stat_names().len()];
            for (i, hyp) in hyps.iter().enumerate() {
                let refs: Vec<&str> = set.refs.iter().map(|(_, r)| r[i].as_str()).collect();
                let t = Instant::now();
                let stats = metric.segment_stats(hyp, &refs);
                stats_time += t.elapsed();
                add_stats(&mut total, &stats);

                let oracle = sentence_oracle
                    .get(&(system.clone(), i + 1))
                    .unwrap_or_else(|| {
                        panic!("{corpus}: no sentence oracle for {system} {}", i + 1)
                    });
                let expected = if *column == "chrf" {
                    oracle.0
                } else {
                    oracle.1
                };
                let got = metric.sentence_score(&stats);
                let diff = (got - expected).abs();
                assert!(
                    diff < SENTENCE_TOLERANCE,
                    "{corpus} {system} line {} {}: got {got}, sacreBLEU {expected}",
                    i + 1,
                    metric.name()
                );
                max_sentence_diff = max_sentence_diff.max(diff);
                sentences += 1;
            }
            let got = metric.corpus_score(&total);
            let expected =
                common::oracle_system_score(&shared, corpus, system, &metric.short_name());
            let diff = (got - expected).abs();
            assert!(
                diff < SYSTEM_TOLERANCE,
                "{corpus} {system} {}: got {got}, sacreBLEU {expected}",
                metric.name()
            );
            max_system_diff = max_system_diff.max(diff);
        }
        assert_eq!(sentences, set.systems.len() * n);
        eprintln!(
            "{corpus} {}: {} systems x {n} segments, {} refs; max |diff| system {max_system_diff:.3e}, sentence {max_sentence_diff:.3e}",
            metric.name(),
            set.systems.len(),
            set.refs.len(),
        );
    }
    eprintln!(
        "{corpus}: chrF + chrF++ statistics of {} systems x {n} segments in {stats_time:.3?}",
        set.systems.len()
    );
}

#[test]
fn chrf_matches_sacrebleu_on_wmt22_ru_en() {
    check_corpus("wmt22-ru-en");
}

#[test]
fn chrf_matches_sacrebleu_on_wmt22_de_en() {
    check_corpus("wmt22-de-en");
}

/// The oracle's signature without its version equals ours without its version.
#[test]
fn signature_matches_sacrebleu_but_version() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    for corpus in common::CORPORA {
        let nrefs = common::load_set(&shared, corpus).refs.len();
        for metric in [Chrf::default(), Chrf::plus_plus()] {
            let row = common::oracle_csv(&shared, corpus, "systems.csv")
                .into_iter()
                .find(|r| r["metric"] == metric.short_name())
                .unwrap_or_else(|| panic!("{corpus}: no {} row", metric.short_name()));
            let strip = |s: &str| s.rsplit_once("|version:").map(|(a, _)| a.to_string());
            assert_eq!(
                strip(&metric.signature(nrefs)),
                strip(&row["signature"]),
                "{corpus}"
            );
        }
    }
}
