//! BLEU against sacreBLEU 2.6.0 on the shared WMT22 corpora: system scores (`systems.csv`,
//! metric `BLEU`, all references) to 4 decimals and sentence BLEU with effective order
//! (`sentences.csv`, column `bleu`, all references) to 1e-4 for every segment.

mod common;

use std::collections::HashMap;
use std::time::Instant;

use mtharness::metrics::Bleu;
use mtharness::metrics::{add_stats, SegmentMetric};

/// System scores: sacreBLEU prints 2 decimals; we ask for 4 (|diff| < 5e-5).
const SYSTEM_TOLERANCE: f64 = 5e-5;
/// Sentence scores: every segment within 1e-4.
const SENTENCE_TOLERANCE: f64 = 1e-4;

#[test]
fn bleu_matches_sacrebleu_on_wmt22() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let bleu = Bleu::default();
    for corpus in common::CORPORA {
        let set = common::load_set(&shared, corpus);
        assert!(
            !set.refs.is_empty() && !set.systems.is_empty(),
            "{corpus}: no data"
        );
        let nseg = set.refs[0].1.len();
        for (name, lines) in set.refs.iter().chain(&set.systems) {
            assert_eq!(
                lines.len(),
                nseg,
                "{corpus}: {name} has {} lines",
                lines.len()
            );
        }

        // sentences.csv: (system, line) -> bleu
        let mut oracle_sent: HashMap<(String, usize), f64> = HashMap::new();
        for row in common::oracle_csv(&shared, corpus, "sentences.csv") {
            let line: usize = row["line"].parse().unwrap();
            oracle_sent.insert((row["system"].clone(), line), row["bleu"].parse().unwrap());
        }

        let mut max_sys_diff: f64 = 0.0;
        let mut max_sent_diff: f64 = 0.0;
        let mut segments = 0usize;
        let start = Instant::now();
        let mut stats_time = std::time::Duration::ZERO;
        for (system, hyps) in &set.systems {
            let t = Instant::now();
            let seg_stats: Vec<Vec<f64>> = (0..nseg)
                .map(|i| {
                    let refs: Vec<&str> = set.refs.iter().map(|(_, r)| r[i].as_str()).collect();
                    bleu.segment_stats(&hyps[i], &refs)
                })
                .collect();
            stats_time += t.elapsed();

            let mut sum = vec![0.0; bleu.stat_names().len()];
            for s in &seg_stats {
                add_stats(&mut sum, s);
            }
            let ours = bleu.corpus_score(&sum);
            let oracle = common::oracle_system_score(&shared, corpus, system, "BLEU");
            let diff = (ours - oracle).abs();
            println!("{corpus} {system}: BLEU {ours:.10} oracle {oracle:.10} diff {diff:.2e}");
            assert!(
                diff < SYSTEM_TOLERANCE,
                "{corpus} {system}: {ours} vs {oracle}"
            );
            max_sys_diff = max_sys_diff.max(diff);

            for (i, s) in seg_stats.iter().enumerate() {
                let want = oracle_sent
                    .get(&(system.clone(), i + 1))
                    .unwrap_or_else(|| {
                        panic!("{corpus}: no sentence oracle for {system} line {}", i + 1)
                    });
                let got = bleu.sentence_score(s);
                let d = (got - want).abs();
                assert!(
                    d < SENTENCE_TOLERANCE,
                    "{corpus} {system} line {}: sentence BLEU {got} vs {want}\n  hyp {:?}",
                    i + 1,
                    hyps[i]
                );
                max_sent_diff = max_sent_diff.max(d);
                segments += 1;
            }
        }
        println!(
            "{corpus}: {} systems x {nseg} segments, {} refs: max |diff| system {max_sys_diff:.3e}, \
             sentence {max_sent_diff:.3e} ({segments} segments); BLEU stats {:.1} ms, all {:.1} ms",
            set.systems.len(),
            set.refs.len(),
            stats_time.as_secs_f64() * 1e3,
            start.elapsed().as_secs_f64() * 1e3,
        );
    }
}
