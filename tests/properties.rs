//! Invariants of the whole scoring path, as property tests with bounded case counts (so the
//! suite stays fast): a segment against itself is perfect on every metric, scores stay in range,
//! TER never exceeds the plain word edit rate, system scores equal the score of summed segment
//! statistics, results do not depend on document order, normalisation is idempotent, and the
//! statistics written in place (`write_segment_stats`, the flat rows of an evaluation) are
//! those `segment_stats` returns.

use proptest::prelude::*;

use mtharness::corpus::{Corpus, Document};
use mtharness::distance::levenshtein;
use mtharness::eval::{evaluate, EvalOptions};
use mtharness::metrics::{add_stats, build_metrics, MetricOptions, METRIC_NAMES};
use mtharness::metrics::{translation_edit_rate, Ter};
use mtharness::text::Normalizer;

/// Words from a small vocabulary (so hypotheses and references share words), with punctuation,
/// digits, curly quotes and non-ASCII letters.
fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "the",
            "The",
            "war",
            "ceasefire",
            "U.S.",
            "3.5",
            "1,000",
            "“quote”",
            "don’t",
            "—",
            "Россия",
            "über",
            "fire",
            ",",
            ".",
            "a",
            "Trump",
            "Putin",
            "e\u{301}",
            "ﬁ",
        ]),
        0..14,
    )
    .prop_map(|w| w.join(" "))
}

fn all_metrics() -> Vec<mtharness::metrics::MetricSpec> {
    let names: Vec<String> = METRIC_NAMES.iter().map(|s| s.to_string()).collect();
    build_metrics(&names, &MetricOptions::default()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn a_segment_against_itself_is_perfect(s in words()) {
        prop_assume!(!s.trim().is_empty());
        for spec in all_metrics() {
            let m = &spec.metric;
            let st = m.segment_stats(&s, &[&s]);
            let (sent, corp) = (m.sentence_score(&st), m.corpus_score(&st));
            let perfect = if m.higher_is_better() { 100.0 } else { 0.0 };
            // chrF of a text shorter than its n-gram orders still scores 100 (effective order).
            prop_assert!((sent - perfect).abs() < 1e-9, "{} sentence {sent} on {s:?}", spec.id);
            // Corpus BLEU has no effective order (sacreBLEU): a segment shorter than 4 tokens
            // scores 0 against itself there, so only the sentence score is perfect for BLEU.
            if spec.id != "BLEU" {
                prop_assert!((corp - perfect).abs() < 1e-9, "{} corpus {corp} on {s:?}", spec.id);
            }
        }
    }

    #[test]
    fn scores_stay_in_range(h in words(), r in words()) {
        for spec in all_metrics() {
            let st = spec.metric.segment_stats(&h, &[&r]);
            prop_assert!(st.iter().all(|x| x.is_finite() && *x >= 0.0), "{} stats {st:?}", spec.id);
            let score = spec.metric.sentence_score(&st);
            prop_assert!(score.is_finite() && score >= 0.0, "{} {score}", spec.id);
            if matches!(spec.id.as_str(), "BLEU" | "chrF" | "chrF++" | "MER" | "WIL" | "WIP" | "CharSim") {
                prop_assert!(score <= 100.0 + 1e-9, "{} {score} > 100", spec.id);
            }
        }
    }

    #[test]
    fn write_segment_stats_overwrites_the_slice_with_segment_stats(
        h in words(),
        r in words(),
        r2 in words(),
        junk in -1e9f64..1e9,
    ) {
        for refs in [vec![], vec![r.as_str()], vec![r.as_str(), r2.as_str()]] {
            for spec in all_metrics() {
                let want = spec.metric.segment_stats(&h, &refs);
                prop_assert_eq!(want.len(), spec.metric.stat_names().len(), "{}", &spec.id);
                // Any previous content is overwritten.
                let mut out = vec![junk; want.len()];
                spec.metric.write_segment_stats(&h, &refs, &mut out);
                prop_assert_eq!(&out, &want, "{} on {:?} / {:?}", &spec.id, &h, &refs);
            }
        }
    }

    #[test]
    fn evaluation_rows_are_the_segment_stats_of_each_pair(
        pairs in prop::collection::vec((words(), words()), 1..6),
    ) {
        let doc = Document {
            id: "d".into(),
            source: None,
            refs: vec![pairs.iter().map(|p| p.1.clone()).collect()],
            hyps: vec![pairs.iter().map(|p| p.0.clone()).collect()],
            lines: (1..=pairs.len()).collect(),
        };
        let corpus = Corpus {
            name: "p".into(),
            ref_names: vec!["A".into()],
            system_names: vec!["S".into()],
            documents: vec![doc],
        };
        let ev = evaluate(&corpus, all_metrics(), &EvalOptions::default()).unwrap();
        let sys = &ev.systems[0];
        let width: usize = ev.metrics.iter().map(|m| m.metric.stat_names().len()).sum();
        prop_assert_eq!(sys.layout().width(), width);
        prop_assert_eq!(sys.flat_segment_stats().len(), pairs.len() * width);
        for (k, (h, r)) in pairs.iter().enumerate() {
            let row = sys.segment(k);
            prop_assert_eq!(row.len(), ev.metrics.len());
            for (m, spec) in ev.metrics.iter().enumerate() {
                let want = spec.metric.segment_stats(h, &[r.as_str()]);
                prop_assert_eq!(sys.segment_stats(k, m), want.as_slice(), "{}", &spec.id);
                prop_assert_eq!(&row[m], want.as_slice(), "{}", &spec.id);
            }
        }
        // Out of range: empty, never a panic.
        prop_assert!(sys.segment(pairs.len()).row().is_empty());
        prop_assert!(sys.segment_stats(0, ev.metrics.len()).is_empty());
    }

    #[test]
    fn ter_never_exceeds_the_word_edit_distance(h in words(), r in words()) {
        let ter = Ter::default();
        let (hp, rp) = (ter.preprocess(&h), ter.preprocess(&r));
        let hw: Vec<&str> = hp.split_whitespace().collect();
        let rw: Vec<&str> = rp.split_whitespace().collect();
        let (edits, _) = translation_edit_rate(&hw, &rw);
        prop_assert!(edits <= levenshtein(&hw, &rw), "TER {edits} > Levenshtein on {hw:?} / {rw:?}");
    }

    #[test]
    fn normalisation_is_idempotent(s in words()) {
        let n: Normalizer = "nfkc,quotes,dashes,punct,lc,ws".parse().unwrap();
        let once = n.normalize(&s).into_owned();
        prop_assert_eq!(n.normalize(&once).into_owned(), once);
    }

    #[test]
    fn system_score_is_the_score_of_summed_segment_stats_and_ignores_document_order(
        pairs in prop::collection::vec((words(), words()), 1..12),
        split in 0usize..12,
    ) {
        let split = split.min(pairs.len());
        let doc = |id: &str, ps: &[(String, String)]| Document {
            id: id.to_string(),
            source: None,
            refs: vec![ps.iter().map(|p| p.1.clone()).collect()],
            hyps: vec![ps.iter().map(|p| p.0.clone()).collect()],
            lines: (1..=ps.len()).collect(),
        };
        let (a, b) = pairs.split_at(split);
        let corpus = |docs: Vec<Document>| Corpus {
            name: "p".into(),
            ref_names: vec!["A".into()],
            system_names: vec!["S".into()],
            documents: docs,
        };
        let fwd = evaluate(corpus(vec![doc("a", a), doc("b", b)]), all_metrics(), &EvalOptions::default()).unwrap();
        let rev = evaluate(corpus(vec![doc("b", b), doc("a", a)]), all_metrics(), &EvalOptions::default()).unwrap();
        for (m, spec) in fwd.metrics.iter().enumerate() {
            let mut sum = vec![0.0; spec.metric.stat_names().len()];
            for k in 0..fwd.systems[0].segments.len() {
                add_stats(&mut sum, fwd.systems[0].segment_stats(k, m));
            }
            prop_assert_eq!(&sum, &fwd.systems[0].stats[m]);
            let (x, y) = (fwd.system_score(0, m), rev.system_score(0, m));
            prop_assert!((x - y).abs() < 1e-9 || (x.is_nan() && y.is_nan()), "{}: {x} vs {y}", spec.id);
        }
    }
}
