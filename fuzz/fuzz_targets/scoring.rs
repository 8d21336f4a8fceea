//! The scoring path on two arbitrary strings: normalisation (every step), tokenisation (every
//! tokeniser), every metric of `build_metrics` plus the proper-noun error rate, the sentence
//! splitter, the aligner, resegmentation, `eval::evaluate` with alignment, and the edit
//! distances with their traceback. Cheap invariants are asserted: statistics and scores finite,
//! non-negative and in range, a text against itself perfect, normalisation idempotent,
//! Levenshtein symmetric and equal to the textbook kernel, edit operations that really turn one
//! side into the other, aligner beads that tile both sides, BLEU's one-reference fast paths
//! equal to its general counter.
//!
//! Input: two flag bytes, then `A 0xFF B` (invalid UTF-8 replaced). Flags (byte 0): bits 0-1
//! Unicode form (none, nfc, nfkc), bit 2 quotes, bit 3 dashes, bit 4 punct, bit 5 lc, bit 6 ws,
//! bit 7 resegment. Byte 1: bits 0-2 BLEU tokeniser, bit 3 lower-case, bits 4-5 BLEU smoothing,
//! bit 6 TER case-sensitive / normalized / no-punct / asian (all on), bit 7 splitter language
//! `de` instead of `en`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtharness::align::{resegment, Aligner};
use mtharness::corpus::{Corpus, Document};
use mtharness::distance::{char_levenshtein, edit_counts, editops, levenshtein, naive, EditKind};
use mtharness::eval::{evaluate, AlignMode, EvalOptions};
use mtharness::metrics::Smooth;
use mtharness::metrics::{translation_edit_rate, Ter};
use mtharness::metrics::NameErrorRate;
use mtharness::metrics::word_counts;
use mtharness::metrics::{build_metrics, MetricOptions, METRIC_NAMES};
use mtharness::text::{Normalizer, UnicodeForm};
use mtharness::text::Splitter;
use mtharness::text::{Tokenizer, TOKENIZER_NAMES};
use mtharness::SegmentMetric;

/// Largest `|a| * |b|` compared against the O(nm) textbook kernels (a fraction of a second).
const NAIVE_MAX_CELLS: usize = 250_000;
/// sacreBLEU lib_ter.py `_BEAM_WIDTH` (our `metrics::ter::beam::BEAM_WIDTH`, crate-private).
const TER_BEAM_WIDTH: usize = 25;
/// Scores that are percentages of agreement (at most 100); the error rates are unbounded.
const BOUNDED: [&str; 7] = ["BLEU", "chrF", "chrF++", "MER", "WIL", "WIP", "CharSim"];

fn normalizer(f: u8) -> Normalizer {
    Normalizer {
        unicode: match f & 3 {
            1 => UnicodeForm::Nfc,
            2 => UnicodeForm::Nfkc,
            _ => UnicodeForm::None,
        },
        quotes: f & 4 != 0,
        dashes: f & 8 != 0,
        strip_punct: f & 16 != 0,
        lowercase: f & 32 != 0,
        whitespace: f & 64 != 0,
    }
}

fn metric_options(g: u8) -> MetricOptions {
    let ter = g & 64 != 0;
    let tokenize = TOKENIZER_NAMES[usize::from(g & 7) % TOKENIZER_NAMES.len()];
    MetricOptions {
        tokenize: tokenize.parse().expect("a tokenizer name"),
        lowercase: g & 8 != 0,
        smooth: Smooth::from_name(Smooth::NAMES[usize::from(g >> 4) & 3], None)
            .expect("a smoothing name"),
        ter: Ter {
            case_sensitive: ter,
            normalized: ter,
            no_punct: ter,
            asian_support: ter,
        },
    }
}

/// Every check on one sequence pair: symmetric, equal to the textbook kernel when small, edit
/// operations as many as the distance and replaying `a` into `b`, jiwer counts consistent.
fn check_distance<T: Eq + std::hash::Hash + Copy + std::fmt::Debug>(a: &[T], b: &[T]) {
    let d = levenshtein(a, b);
    assert_eq!(d, levenshtein(b, a), "asymmetric");
    assert!(d <= a.len().max(b.len()));
    if a.len() * b.len() <= NAIVE_MAX_CELLS {
        assert_eq!(d, naive::distance(a, b), "bit-parallel vs textbook");
    }
    let ops = editops(a, b);
    assert_eq!(ops.len(), d, "editops count vs distance");
    if a.len() * b.len() <= NAIVE_MAX_CELLS {
        assert_eq!(ops, naive::editops(a, b), "editops vs textbook traceback");
    }
    // Replay: walk a, applying ops in order; the result must be b.
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    for op in &ops {
        assert!(
            op.src_pos >= i && op.src_pos <= a.len(),
            "op {op:?} out of order"
        );
        out.extend_from_slice(&a[i..op.src_pos]);
        i = op.src_pos;
        match op.kind {
            EditKind::Replace => {
                out.push(b[op.dest_pos]);
                i += 1;
            }
            EditKind::Insert => out.push(b[op.dest_pos]),
            EditKind::Delete => i += 1,
        }
        assert_eq!(
            out.len(),
            op.dest_pos + usize::from(op.kind != EditKind::Delete)
        );
    }
    out.extend_from_slice(&a[i..]);
    assert_eq!(out, b, "edit operations do not turn a into b");
    let c = edit_counts(a, b);
    assert_eq!(c.hits + c.substitutions + c.deletions, a.len());
    assert_eq!(c.hits + c.substitutions + c.insertions, b.len());
    assert_eq!(c.edits(), d);
}

fn check_metrics(metrics: &[(String, Box<dyn SegmentMetric>)], a: &str, b: &str) {
    // A text against itself is perfect when it has a word character (texts of only spaces or
    // punctuation are empty to some metrics and score 0 there, as in sacreBLEU and jiwer).
    let has_word = a.chars().any(|c| c.is_ascii_alphanumeric());
    for (id, m) in metrics {
        for (hyp, refs) in [(a, vec![b]), (b, vec![a]), (a, vec![b, a]), (a, vec![a])] {
            let st = m.segment_stats(hyp, &refs);
            assert_eq!(st.len(), m.stat_names().len(), "{id} stats length");
            assert!(
                st.iter().all(|x| x.is_finite() && *x >= 0.0),
                "{id} stats {st:?}"
            );
            for score in [m.sentence_score(&st), m.corpus_score(&st)] {
                assert!(score.is_finite() && score >= 0.0, "{id} score {score}");
                if BOUNDED.contains(&id.as_str()) {
                    assert!(score <= 100.0 + 1e-9, "{id} score {score} > 100");
                }
            }
        }
        // BLEU counts one reference by its fast paths (bit matrices up to 64 tokens a side,
        // else the trie) and several by the general counter: the same reference twice must
        // give the same statistics (clipping by the maximum over identical references).
        if id == "BLEU" {
            for (hyp, r) in [(a, b), (b, a)] {
                assert_eq!(
                    m.segment_stats(hyp, &[r]),
                    m.segment_stats(hyp, &[r, r]),
                    "BLEU: one reference against the same reference twice"
                );
            }
        }
        if has_word {
            let st = m.segment_stats(a, &[a]);
            let perfect = if m.higher_is_better() { 100.0 } else { 0.0 };
            let sent = m.sentence_score(&st);
            assert!(
                (sent - perfect).abs() < 1e-9,
                "{id} self sentence score {sent}"
            );
            // Corpus BLEU has no effective order: short texts score 0 against themselves.
            if id != "BLEU" {
                let corp = m.corpus_score(&st);
                assert!(
                    (corp - perfect).abs() < 1e-9,
                    "{id} self corpus score {corp}"
                );
            }
        }
    }
}

fn check_alignment(splitter: &Splitter, a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    let split = |t: &str| {
        let spans = splitter.split_spans(t);
        let mut end = 0;
        for r in &spans {
            assert!(
                r.start >= end && r.start < r.end && r.end <= t.len(),
                "span {r:?}"
            );
            let s = &t[r.clone()];
            assert_eq!(s, s.trim(), "untrimmed sentence");
            end = r.end;
        }
        spans
            .into_iter()
            .map(|r| t[r].to_string())
            .collect::<Vec<_>>()
    };
    let (sa, sb) = (split(a), split(b));
    let ra: Vec<&str> = sa.iter().map(String::as_str).collect();
    let rb: Vec<&str> = sb.iter().map(String::as_str).collect();
    let beads = Aligner::default().align(&ra, &rb);
    let (mut i, mut j) = (0, 0);
    for bead in &beads {
        assert_eq!(
            (bead.refs.start, bead.hyps.start),
            (i, j),
            "beads do not tile"
        );
        assert!(
            !(bead.refs.is_empty() && bead.hyps.is_empty()),
            "empty bead"
        );
        assert!(
            (0.0..=1.0).contains(&bead.similarity),
            "similarity {}",
            bead.similarity
        );
        (i, j) = (bead.refs.end, bead.hyps.end);
    }
    assert_eq!(
        (i, j),
        (ra.len(), rb.len()),
        "beads do not cover both sides"
    );
    let cut = resegment(&ra, b);
    if !ra.is_empty() {
        assert_eq!(cut.len(), ra.len(), "resegment count");
        let words: Vec<&str> = cut.iter().flat_map(|s| s.split_whitespace()).collect();
        assert_eq!(
            words,
            b.split_whitespace().collect::<Vec<_>>(),
            "resegment lost words"
        );
    }
    (sa, sb)
}

fuzz_target!(|data: &[u8]| {
    let (f, g, rest) = match data {
        [f, g, rest @ ..] => (*f, *g, rest),
        _ => return,
    };
    let (a, b) = match rest.iter().position(|&x| x == 0xFF) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));

    let n = normalizer(f);
    for t in [&a, &b] {
        let once = n.normalize(t).into_owned();
        assert_eq!(n.normalize(&once), once, "normalisation is not idempotent");
    }
    let (a, b) = (n.normalize(&a).into_owned(), n.normalize(&b).into_owned());

    for name in TOKENIZER_NAMES {
        let tok: Tokenizer = name.parse().expect("known tokenizer");
        let _ = tok.tokenize(&a);
        let _ = tok.tokenize(&b);
    }

    let opts = metric_options(g);
    let names: Vec<String> = METRIC_NAMES.iter().map(|s| s.to_string()).collect();
    let mut metrics: Vec<(String, Box<dyn SegmentMetric>)> = build_metrics(&names, &opts)
        .expect("every metric name with valid options")
        .into_iter()
        .map(|s| (s.id, s.metric))
        .collect();
    metrics.push(("NameErr".into(), Box::new(NameErrorRate)));
    check_metrics(&metrics, &a, &b);

    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    check_distance(&ca, &cb);
    assert_eq!(char_levenshtein(&a, &b), levenshtein(&ca, &cb));
    check_distance(a.as_bytes(), b.as_bytes());
    let (wa, wb): (Vec<&str>, Vec<&str>) = (
        a.split_whitespace().collect(),
        b.split_whitespace().collect(),
    );
    check_distance(&wa, &wb);
    let c = word_counts(&a, &b);
    assert!(c.edits() <= c.hits + c.substitutions + c.deletions + c.insertions);
    let ter = Ter::default();
    let (hp, rp) = (ter.preprocess(&b), ter.preprocess(&a));
    let hw: Vec<&str> = hp.split_whitespace().collect();
    let rw: Vec<&str> = rp.split_whitespace().collect();
    // TER's edit distance is sacreBLEU's banded one (beam of 25 words around the diagonal), so
    // it is only bounded by the exact word edit distance when the band spans every reference
    // position: fewer than `TER_BEAM_WIDTH` reference words. Longer pairs can exceed it, in
    // sacreBLEU as here (the first smoke run found such a pair: 135 > Levenshtein).
    if rw.len() < TER_BEAM_WIDTH {
        let (edits, _) = translation_edit_rate(&hw, &rw);
        assert!(
            edits <= levenshtein(&hw, &rw),
            "TER {edits} > word edit distance"
        );
    }

    let splitter = Splitter::new(if g & 128 != 0 { "de" } else { "en" });
    let (sa, sb) = check_alignment(&splitter, &a, &b);
    let corpus = Corpus {
        name: "fuzz".into(),
        ref_names: vec!["A".into()],
        system_names: vec!["S".into()],
        documents: vec![Document {
            id: "d".into(),
            source: None,
            lines: (1..=sa.len()).collect(),
            refs: vec![sa],
            hyps: vec![sb],
        }],
    };
    let eval_opts = EvalOptions {
        normalizer: n,
        align: AlignMode::Always,
        splitter,
        resegment: f & 128 != 0,
        ..EvalOptions::default()
    };
    let specs = build_metrics(&names, &opts).expect("metrics");
    if let Ok(ev) = evaluate(&corpus, specs, &eval_opts) {
        for m in 0..ev.metrics.len() {
            let s = ev.system_score(0, m);
            assert!(
                s.is_finite() && s >= 0.0,
                "{} system score {s}",
                ev.metrics[m].id
            );
        }
    }
});
