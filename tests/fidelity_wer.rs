//! WER and CER against the oracle (jiwer 4.0.0 and rapidfuzz 3.14.6 on reference A of both
//! shared WMT22 corpora): word counts exactly, character edits exactly, scores to 4 decimals.

mod common;

use mtharness::metrics::add_stats;
use mtharness::metrics::{Cer, WordMetric};
use mtharness::SegmentMetric;

/// The oracle prints 10 decimals; we must agree to the 4 that reports show.
const SCORE_TOL: f64 = 5e-5;

fn sum_stats(metric: &dyn SegmentMetric, hyps: &[String], refs: &[String]) -> Vec<f64> {
    assert_eq!(hyps.len(), refs.len(), "line counts differ");
    let mut sum = vec![0.0; metric.stat_names().len()];
    for (h, r) in hyps.iter().zip(refs) {
        add_stats(&mut sum, &metric.segment_stats(h, &[r.as_str()]));
    }
    sum
}

#[test]
fn wer_and_cer_match_oracle() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let wer = WordMetric::wer();
    let mut checked = 0;
    let mut max_wer_diff: f64 = 0.0;
    let mut max_cer_diff: f64 = 0.0;
    for corpus in common::CORPORA {
        let set = common::load_set(&shared, corpus);
        let (ref_name, reference) = &set.refs[0];
        assert_eq!(ref_name, "A");
        let wer_rows = common::oracle_csv(&shared, corpus, "wer.csv");
        let char_rows = common::oracle_csv(&shared, corpus, "chars.csv");
        assert_eq!(wer_rows.len(), set.systems.len());
        for (system, hyp) in &set.systems {
            let w = sum_stats(&wer, hyp, reference);
            let c = sum_stats(&Cer, hyp, reference);
            let row = wer_rows
                .iter()
                .find(|r| &r["system"] == system)
                .expect("system in wer.csv");
            let crow = char_rows
                .iter()
                .find(|r| &r["system"] == system)
                .expect("system in chars.csv");
            let int = |s: &str| s.parse::<f64>().expect("integer in oracle csv");
            let want = [
                int(&row["hits"]),
                int(&row["substitutions"]),
                int(&row["deletions"]),
                int(&row["insertions"]),
            ];
            let wer_score = wer.corpus_score(&w);
            let cer_score = Cer.corpus_score(&c);
            let oracle_wer = common::oracle_system_score(&shared, corpus, system, "WER");
            let oracle_cer = common::oracle_system_score(&shared, corpus, system, "CER");
            println!(
                "{corpus} {system}: H/S/D/I {:?} (oracle {:?}) WER {wer_score:.6} (oracle {oracle_wer:.6}) \
                 char edits {} (oracle {}) CER {cer_score:.6} (oracle {oracle_cer:.6})",
                w, want, c[0], crow["char_edits"]
            );
            assert_eq!(w, want, "{corpus} {system}: word counts");
            assert_eq!(
                c[0],
                int(&crow["char_edits"]),
                "{corpus} {system}: char edits"
            );
            assert_eq!(
                c[1],
                int(&crow["ref_chars"]),
                "{corpus} {system}: ref chars"
            );
            assert_eq!(
                c[2],
                int(&crow["hyp_chars"]),
                "{corpus} {system}: hyp chars"
            );
            max_wer_diff = max_wer_diff.max((wer_score - oracle_wer).abs());
            max_cer_diff = max_cer_diff.max((cer_score - oracle_cer).abs());
            assert!(
                (wer_score - oracle_wer).abs() < SCORE_TOL,
                "{corpus} {system}: WER"
            );
            assert!(
                (cer_score - oracle_cer).abs() < SCORE_TOL,
                "{corpus} {system}: CER"
            );
            checked += 1;
        }
    }
    println!("{checked} systems; max |WER - oracle| = {max_wer_diff:e}, max |CER - oracle| = {max_cer_diff:e}");
    assert_eq!(checked, 9);
}
