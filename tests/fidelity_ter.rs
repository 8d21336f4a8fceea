//! TER against sacreBLEU 2.6.0 on the shared WMT22 test sets (../shared/oracle, made by
//! make_oracle.py): system scores to 4 decimals, every sentence score within 1e-4.

mod common;

use mtharness::metrics::Ter;
use mtharness::metrics::{add_stats, SegmentMetric};

/// systems.csv prints 10 decimals; sacreBLEU reports 4 (half a unit of the 4th decimal).
const SYSTEM_TOLERANCE: f64 = 5e-5;
/// sentences.csv prints 10 decimals.
const SENTENCE_TOLERANCE: f64 = 1e-4;

#[test]
fn ter_matches_sacrebleu_on_wmt22() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let ter = Ter::default();
    for corpus in common::CORPORA {
        let set = common::load_set(&shared, corpus);
        let sentences = common::oracle_csv(&shared, corpus, "sentences.csv");
        let nrefs = set.refs.len();
        let (mut max_sys, mut max_sent, mut differ, mut segments) = (0f64, 0f64, 0usize, 0usize);
        for (system, hyps) in &set.systems {
            let oracle: Vec<f64> = sentences
                .iter()
                .filter(|row| &row["system"] == system)
                .map(|row| row["ter"].parse().unwrap())
                .collect();
            assert_eq!(oracle.len(), hyps.len(), "{corpus} {system}: oracle rows");
            let mut total = vec![0.0; 2];
            for (i, hyp) in hyps.iter().enumerate() {
                let refs: Vec<&str> = set
                    .refs
                    .iter()
                    .map(|(_, lines)| lines[i].as_str())
                    .collect();
                let stats = ter.segment_stats(hyp, &refs);
                add_stats(&mut total, &stats);
                let diff = (ter.sentence_score(&stats) - oracle[i]).abs();
                max_sent = max_sent.max(diff);
                segments += 1;
                if diff >= SENTENCE_TOLERANCE {
                    differ += 1;
                    eprintln!(
                        "{corpus} {system} line {}: ours {} oracle {}",
                        i + 1,
                        ter.sentence_score(&stats),
                        oracle[i]
                    );
                }
            }
            let ours = ter.corpus_score(&total);
            let expected = common::oracle_system_score(&shared, corpus, system, "TER");
            let diff = (ours - expected).abs();
            max_sys = max_sys.max(diff);
            println!(
                "{corpus} {system}: TER {ours:.4} (sacreBLEU {expected:.4}, |diff| {diff:.2e})"
            );
            assert!(
                diff < SYSTEM_TOLERANCE,
                "{corpus} {system}: {ours} vs {expected}"
            );
        }
        println!(
            "{corpus}: {} systems, nrefs {nrefs}: max |system diff| {max_sys:.2e}, max |sentence diff| {max_sent:.2e}, {differ} of {segments} segments differ",
            set.systems.len()
        );
        assert_eq!(differ, 0, "{corpus}: sentence scores differ");
    }
}

#[test]
fn ter_signature_has_our_version() {
    let sig = Ter::default().signature(2);
    assert!(
        sig.starts_with("nrefs:2|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:mtharness-")
    );
}

/// Throughput on ru-en (5 systems x 2016 segments), one thread; prints segments/s. Checks the
/// system scores against the oracle so a fast wrong kernel cannot pass. Meaningful in release:
/// `cargo test --release --test fidelity_ter -- --nocapture`.
#[test]
fn ter_throughput_ru_en() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let set = common::load_set(&shared, "wmt22-ru-en");
    let ter = Ter::default();
    let refs = &set.refs[0].1;
    let start = std::time::Instant::now();
    let mut segments = 0usize;
    let mut scores = Vec::new();
    for (_, hyps) in &set.systems {
        let mut total = vec![0.0; 2];
        for (hyp, r) in hyps.iter().zip(refs) {
            add_stats(&mut total, &ter.segment_stats(hyp, &[r.as_str()]));
            segments += 1;
        }
        scores.push(ter.corpus_score(&total));
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "TER ru-en: {segments} segments in {secs:.3} s, {:.0} segments/s (one thread)",
        segments as f64 / secs
    );
    // the same work on all cores (rayon), summed per system
    use rayon::prelude::*;
    let start = std::time::Instant::now();
    let parallel: Vec<f64> = set
        .systems
        .iter()
        .map(|(_, hyps)| {
            let total = hyps
                .par_iter()
                .zip(refs.par_iter())
                .map(|(hyp, r)| ter.segment_stats(hyp, &[r.as_str()]))
                .reduce(
                    || vec![0.0; 2],
                    |mut a, b| {
                        add_stats(&mut a, &b);
                        a
                    },
                );
            ter.corpus_score(&total)
        })
        .collect();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "TER ru-en: {segments} segments in {secs:.3} s, {:.0} segments/s ({} threads)",
        segments as f64 / secs,
        rayon::current_num_threads()
    );
    assert_eq!(parallel, scores);
    for ((system, _), ours) in set.systems.iter().zip(scores) {
        let expected = common::oracle_system_score(&shared, "wmt22-ru-en", system, "TER");
        assert!(
            (ours - expected).abs() < SYSTEM_TOLERANCE,
            "{system}: {ours} vs {expected}"
        );
    }
}
