//! TER against sacreBLEU 2.6.0 on the shared WMT22 test sets (../shared/oracle, made by
//! make_oracle.py): system scores to 4 decimals, every sentence score within 1e-4.

mod common;

use mtharness::metrics::ter::Ter;
use mtharness::metrics::{add_stats, Metric};

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
