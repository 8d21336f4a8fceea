//! Unit tests of the chrF metric (`super`).

use super::segment::{with_thread_segmenter, Segmenter};
use super::*;
use crate::ngram::reference::SortedCounter;
use crate::ngram::Trie;
use proptest::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;

/// sacreBLEU's algorithm with strings and counters, as a slow twin of the id kernel.
fn naive_stats(m: &Chrf, hyp: &str, refs: &[&str]) -> Vec<f64> {
    fn counter(items: Vec<String>) -> HashMap<String, usize> {
        let mut c = HashMap::new();
        for s in items {
            *c.entry(s).or_insert(0) += 1;
        }
        c
    }
    fn ngrams(m: &Chrf, text: &str) -> Vec<HashMap<String, usize>> {
        let line: Vec<char> = if m.whitespace {
            text.chars().collect()
        } else {
            text.chars().filter(|c| !is_py_whitespace(*c)).collect()
        };
        let mut all: Vec<_> = (1..=m.char_order)
            .map(|n| {
                counter(
                    (0..(line.len() + 1).saturating_sub(n))
                        .map(|i| line[i..i + n].iter().collect())
                        .collect(),
                )
            })
            .collect();
        let mut words = Vec::new();
        split_punctuation(text, |w| words.push(w.to_string()));
        for n in 1..=m.word_order {
            all.push(counter(
                (0..(words.len() + 1).saturating_sub(n))
                    .map(|i| words[i..i + n].join(" "))
                    .collect(),
            ));
        }
        all
    }
    let prep = |s: &str| {
        if m.lowercase {
            s.to_lowercase()
        } else {
            s.to_string()
        }
    };
    let h = ngrams(m, &prep(hyp));
    let mut best = vec![0.0; m.stats_len()];
    let mut best_f = -1.0;
    for r in refs {
        let r = ngrams(m, &prep(r));
        let mut stats = Vec::new();
        for (hc, rc) in h.iter().zip(&r) {
            let hyp_count: usize = hc.values().sum();
            let matches: usize = hc
                .iter()
                .map(|(g, c)| (*c).min(rc.get(g).copied().unwrap_or(0)))
                .sum();
            let ref_count: usize = rc.values().sum();
            stats.push(if rc.is_empty() { 0 } else { hyp_count } as f64);
            stats.push(ref_count as f64);
            stats.push(matches as f64);
        }
        let f = m.f_score::<f64>(&stats);
        if f > best_f {
            best_f = f;
            best = stats;
        }
    }
    best
}

fn sentence(m: &Chrf, hyp: &str, refs: &[&str]) -> f64 {
    m.sentence_score(&m.segment_stats(hyp, refs))
}

#[test]
fn identical_strings_score_100() {
    for m in [Chrf::default(), Chrf::plus_plus()] {
        let s = "The quick brown fox (jumps) over the lazy dog.";
        assert_eq!(sentence(&m, s, &[s]), 100.0);
        assert_eq!(sentence(&m, "Привет, мир!", &["Привет, мир!"]), 100.0);
    }
}

#[test]
fn empty_hypothesis_scores_0() {
    for m in [Chrf::default(), Chrf::plus_plus()] {
        let stats = m.segment_stats("", &["A reference."]);
        assert_eq!(sentence(&m, "", &["A reference."]), 0.0);
        // Nothing hypothesised, every reference n-gram counted.
        assert_eq!(&stats[..3], &[0.0, 11.0, 0.0]);
        assert_eq!(stats, naive_stats(&m, "", &["A reference."]));
    }
}

#[test]
fn empty_reference_scores_0_and_drops_hyp_counts() {
    for m in [Chrf::default(), Chrf::plus_plus()] {
        let stats = m.segment_stats("Some output", &[""]);
        assert!(stats.iter().all(|&x| x == 0.0), "{stats:?}");
        assert_eq!(sentence(&m, "Some output", &[""]), 0.0);
        assert_eq!(sentence(&m, "", &[""]), 0.0);
    }
    // A reference shorter than the higher orders: those orders have no hypothesis count.
    let m = Chrf::default();
    let stats = m.segment_stats("abcdef", &["ab"]);
    assert_eq!(&stats[..9], &[6.0, 2.0, 2.0, 5.0, 1.0, 1.0, 0.0, 0.0, 0.0]);
    assert!(stats[9..].iter().all(|&x| x == 0.0));
}

#[test]
fn no_references_gives_zero_stats() {
    let m = Chrf::plus_plus();
    assert_eq!(m.segment_stats("x", &[]), vec![0.0; 24]);
}

#[test]
fn unicode_text_counts_code_points() {
    let m = Chrf::default();
    // "é" precomposed is one code point; U+3000 (ideographic space) and NBSP are removed.
    let stats = m.segment_stats("café\u{3000}naïve\u{a0}x", &["café naïve"]);
    assert_eq!(stats[0], 10.0); // hyp unigrams: c a f é n a ï v e x
    assert_eq!(stats[1], 9.0);
    assert_eq!(stats[2], 9.0);
    assert_eq!(
        stats,
        naive_stats(&m, "café\u{3000}naïve\u{a0}x", &["café naïve"])
    );
    // U+001F is whitespace for Python's str.split(), not for Rust's char::is_whitespace.
    assert_eq!(m.segment_stats("a\u{1f}b", &["ab"])[0], 2.0);
    // Lowercasing (Python str.lower) of Cyrillic and Greek with final sigma.
    let lc = Chrf {
        lowercase: true,
        ..Chrf::default()
    };
    // Python's str.lower gives "οδος" with a final sigma (U+03C2), as str::to_lowercase does.
    let final_sigma = "\u{3bf}\u{3b4}\u{3bf}\u{3c2} москва";
    let medial_sigma = "\u{3bf}\u{3b4}\u{3bf}\u{3c3} москва";
    assert_eq!(sentence(&lc, "ΟΔΟΣ МОСКВА", &[final_sigma]), 100.0);
    assert!(sentence(&lc, "ΟΔΟΣ МОСКВА", &[medial_sigma]) < 100.0);
    assert!(sentence(&m, "ΟΔΟΣ МОСКВА", &[final_sigma]) < 10.0);
}

fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    split_punctuation(s, |w| out.push(w));
    out
}

#[test]
fn punctuation_splitting_as_sacrebleu() {
    assert_eq!(words("Hello, world!"), ["Hello", ",", "world", "!"]);
    // Only one character is split, trailing first (sacreBLEU issue #124).
    assert_eq!(words("(hi)"), ["(hi", ")"]);
    assert_eq!(words("(hi"), ["(", "hi"]);
    assert_eq!(words("..."), ["..", "."]);
    assert_eq!(words("\"quoted\""), ["\"quoted", "\""]);
    // Single characters stay, punctuation or not; non-ASCII punctuation is not split.
    assert_eq!(words(". a ,"), [".", "a", ","]);
    assert_eq!(words("«ja» — nein…"), ["«ja»", "—", "nein…"]);
    assert_eq!(words("Straße."), ["Straße", "."]);
    assert_eq!(words("  \t\n "), Vec::<&str>::new());
    assert_eq!(words("a\u{a0}b\u{1c}c"), ["a", "b", "c"]);
}

#[test]
fn plus_plus_word_stats() {
    let m = Chrf::plus_plus();
    let stats = m.segment_stats("the cat, the cat", &["the cat the dog"]);
    // Words: the cat , the cat | the cat the dog; "the cat" is clipped to one bigram match.
    assert_eq!(&stats[18..], &[5.0, 4.0, 3.0, 4.0, 3.0, 1.0]);
    assert_eq!(
        stats,
        naive_stats(&m, "the cat, the cat", &["the cat the dog"])
    );
}

#[test]
fn best_reference_first_on_ties() {
    let m = Chrf::default();
    // Both references score the same F (a permutation); the first one's stats are kept.
    let a = m.segment_stats("abc", &["abcx", "xabc"]);
    let b = m.segment_stats("abc", &["abcx"]);
    assert_eq!(a, b);
    // The better reference wins wherever it is.
    let c = m.segment_stats("abc", &["zzz", "abc"]);
    assert_eq!(m.sentence_score(&c), 100.0);
}

#[test]
fn names_and_signature() {
    let chrf = Chrf::default();
    let pp = Chrf::plus_plus();
    assert_eq!(chrf.name(), "chrF2");
    assert_eq!(pp.name(), "chrF2++");
    assert_eq!(chrf.short_name(), "chrF");
    assert_eq!(pp.short_name(), "chrF++");
    assert_eq!(
        pp.signature(2),
        format!("nrefs:2|case:mixed|eff:yes|nc:6|nw:2|space:no|version:mtharness-{VERSION}")
    );
    let other = Chrf {
        lowercase: true,
        whitespace: true,
        eps_smoothing: true,
        ..Chrf::default()
    };
    assert!(other
        .signature(1)
        .starts_with("nrefs:1|case:lc|eff:no|nc:6|nw:0|space:yes|version:"));
    assert_eq!(pp.stat_names().len(), 24);
    assert_eq!(pp.stat_names()[0], "c1_hyp");
    assert_eq!(pp.stat_names()[23], "w2_match");
}

#[test]
fn eps_smoothing_averages_order_f_scores() {
    let m = Chrf {
        eps_smoothing: true,
        ..Chrf::default()
    };
    // Unigrams match fully (F = 1); orders 2..6 have no hypothesis n-grams (F = eps).
    let s = sentence(&m, "a", &["a"]);
    assert!((s - 100.0 / 6.0).abs() < 1e-9, "{s}");
    // Effective order ignores the empty orders.
    assert_eq!(sentence(&Chrf::default(), "a", &["a"]), 100.0);
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just('b'),
            Just('c'),
            Just('A'),
            Just('é'),
            Just(' '),
            Just('\u{1f}'),
            Just('.'),
            Just('('),
            Just(')'),
            Just(','),
        ],
        0..30,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn kernel_matches_naive_twin(
        hyp in text(),
        refs in proptest::collection::vec(text(), 1..4),
        char_order in 0usize..8,
        word_order in 0usize..4,
        lowercase: bool,
        whitespace: bool,
    ) {
        let m = Chrf { char_order, word_order, beta: 2, lowercase, whitespace, eps_smoothing: false };
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        prop_assert_eq!(m.segment_stats(&hyp, &refs), naive_stats(&m, &hyp, &refs));
    }
}

/// Characters that stress the kernels and the one-pass scan: ASCII letters in both
/// cases, digits, punctuation at word edges, non-ASCII letters of 2 to 4 bytes (with
/// final-sigma Greek, and one that is ASCII punctuation's look-alike), and every kind of
/// Python whitespace (ASCII, U+001C..U+001F, U+0085, NBSP, U+1680, U+2000.., U+2028,
/// U+3000) next to look-alikes that are not whitespace (U+200B, U+2060, U+180E).
pub(super) fn odd_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'e'),
        1 => proptest::char::range('A', 'C'),
        1 => proptest::char::range('0', '2'),
        2 => proptest::sample::select(vec!['.', ',', '(', ')', '"', '-', '!', '\'']),
        2 => proptest::sample::select(vec!['é', 'ß', 'Ж', 'ж', 'Σ', 'σ', 'ς', '中', '«', '…', '😀']),
        3 => proptest::sample::select(vec![
            ' ', ' ', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1c}', '\u{1d}', '\u{1e}',
            '\u{1f}', '\u{85}', '\u{a0}', '\u{1680}', '\u{2000}', '\u{200a}', '\u{2028}',
            '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}', '\u{200b}', '\u{2060}',
            '\u{180e}',
        ]),
    ]
}

/// Up to 40 [`odd_char`]s.
pub(super) fn short_odd_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(odd_char(), 0..40).prop_map(|v| v.into_iter().collect())
}

/// A piece of `piece` [`odd_char`]s repeated `times` times (so n-grams and words repeat).
pub(super) fn repeated_odd_text(
    piece: std::ops::Range<usize>,
    times: std::ops::Range<usize>,
) -> impl Strategy<Value = String> {
    (proptest::collection::vec(odd_char(), piece), times)
        .prop_map(|(v, k)| v.into_iter().collect::<String>().repeat(k))
}

/// Short odd strings, and now and then one over 1000 characters (a short piece repeated,
/// so n-grams repeat and clipping matters).
fn odd_text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => short_odd_text(),
        1 => repeated_odd_text(1..12, 90..140),
    ]
}

fn reference_stats(m: &Chrf, hyp: &str, refs: &[&str]) -> Vec<f64> {
    let mut out = vec![f64::NAN; m.stats_len()];
    reference::segment_stats_into(m, hyp, refs, &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn fast_kernel_matches_reference(
        hyp in odd_text(),
        refs in proptest::collection::vec(odd_text(), 0..4),
        char_order in 1usize..=6,
        word_order in 0usize..=2,
        lowercase: bool,
        whitespace: bool,
        eps_smoothing: bool,
    ) {
        let m = Chrf { char_order, word_order, beta: 2, lowercase, whitespace, eps_smoothing };
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        let mut fast = vec![f64::NAN; m.stats_len()];
        m.segment_stats_into(&hyp, &refs, &mut fast);
        prop_assert_eq!(&fast, &reference_stats(&m, &hyp, &refs));
        // The same buffers again (thread-local scratch reused): same answer.
        prop_assert_eq!(m.segment_stats(&hyp, &refs), fast);
    }

    #[test]
    fn split_spans_match_reference_splitter(text in odd_text()) {
        let mut fast = Vec::new();
        split_punctuation(&text, |w| fast.push(w));
        let mut slow = Vec::new();
        reference::split_punctuation(&text, |w| slow.push(w));
        prop_assert_eq!(fast, slow);
    }
}

thread_local! {
    static PACKED: RefCell<Segmenter<SortedCounter>> = RefCell::new(Segmenter::default());
}

/// The statistics by the packed-key kernel, with this thread's buffers.
fn packed_stats(m: &Chrf, hyp: &str, refs: &[&str]) -> Vec<f64> {
    let mut out = vec![f64::NAN; m.stats_len()];
    with_thread_segmenter(&PACKED, m, hyp, refs, &mut out);
    out
}

/// The statistics by the trie kernel with its hashed table only, fresh buffers.
fn hashed_trie_stats(m: &Chrf, hyp: &str, refs: &[&str]) -> Vec<f64> {
    let mut out = vec![f64::NAN; m.stats_len()];
    let mut segmenter = Segmenter::default();
    segmenter.char_counter = Trie::hashed_only();
    segmenter.word_counter = Trie::hashed_only();
    segmenter.segment(m, hyp, refs, &mut out);
    out
}

/// A text spliced from pieces of `base` (char ranges `start % len .. + take`, so that
/// n-grams of every order recur, repeat and get clipped) and short odd noise.
fn splice(base: &[char], pieces: &[(usize, usize, String)]) -> String {
    let mut out = String::new();
    for (start, take, noise) in pieces {
        if !base.is_empty() {
            let start = start % base.len();
            let end = (start + take).min(base.len());
            out.extend(&base[start..end]);
        }
        out.push_str(noise);
    }
    out
}

/// A hypothesis and up to three references that share long pieces of one odd text.
fn related_texts() -> impl Strategy<Value = (String, Vec<String>)> {
    fn pieces() -> impl Strategy<Value = Vec<(usize, usize, String)>> {
        let noise = proptest::collection::vec(odd_char(), 0..3)
            .prop_map(|v| v.into_iter().collect::<String>());
        proptest::collection::vec((0usize..200, 0usize..25, noise), 0..6)
    }
    (
        odd_text(),
        pieces(),
        proptest::collection::vec(pieces(), 0..4),
    )
        .prop_map(|(base, hyp, refs)| {
            let base: Vec<char> = base.chars().collect();
            let refs = refs.iter().map(|r| splice(&base, r)).collect();
            (splice(&base, &hyp), refs)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    /// The trie kernel (dense table, and hashed table), the packed-key kernel and the
    /// reference kernel count the same, for any orders (including 0 and beyond 6), on
    /// texts that share n-grams of every order.
    #[test]
    fn trie_kernels_match_reference_and_packed(
        (hyp, refs) in related_texts(),
        char_order in 0usize..=9,
        word_order in 0usize..=3,
        lowercase: bool,
        whitespace: bool,
    ) {
        let m = Chrf { char_order, word_order, beta: 2, lowercase, whitespace, eps_smoothing: false };
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        let expected = reference_stats(&m, &hyp, &refs);
        let mut dense = vec![f64::NAN; m.stats_len()];
        segment::segment_stats_into(&m, &hyp, &refs, &mut dense);
        prop_assert_eq!(&dense, &expected);
        prop_assert_eq!(&hashed_trie_stats(&m, &hyp, &refs), &expected);
        prop_assert_eq!(&packed_stats(&m, &hyp, &refs), &expected);
    }
}

#[test]
fn orders_beyond_the_dense_table_use_the_hashed_trie() {
    // 40 orders exceed the dense trie's counters; 1500 distinct characters its table.
    let long = Chrf {
        char_order: 40,
        word_order: 3,
        ..Chrf::default()
    };
    let hyp = "abcabcabc abcabd x".repeat(4);
    let refs = [hyp.as_str(), "abcabcabd abc y z abcabcabc abcabd"];
    assert_eq!(
        long.segment_stats(&hyp, &refs),
        reference_stats(&long, &hyp, &refs)
    );
    let m = Chrf::plus_plus();
    let wide = alphabet_text(1500, 1);
    let other = alphabet_text(1500, 7);
    let refs = [other.as_str(), &wide[..600]];
    assert_eq!(
        m.segment_stats(&wide, &refs),
        reference_stats(&m, &wide, &refs)
    );
}

/// Texts over an alphabet of `n` distinct CJK characters (each once, then shuffled by a
/// stride so the reference shares n-grams only partly).
fn alphabet_text(n: u32, stride: u32) -> String {
    (0..n)
        .filter_map(|i| char::from_u32(0x4e00 + (i * stride) % n))
        .collect()
}

#[test]
fn widest_packed_alphabet_and_fallback_match_reference() {
    // The packed-key kernel's limit: 1023 distinct characters pack into 60 bits at
    // order 6, 1024 and more fall back to the reference kernel. The trie kernel (which
    // `segment_stats` runs) keeps 300 distinct characters in its dense table and 1023
    // and more in its hashed one. All agree with the naive twin.
    for n in [300u32, 1023, 1024, 1500] {
        let hyp = alphabet_text(n, 1);
        let r1 = format!("{}{}", &alphabet_text(n, 7), &hyp[..30]);
        for m in [Chrf::default(), Chrf::plus_plus()] {
            let refs = [r1.as_str(), hyp.as_str()];
            let stats = m.segment_stats(&hyp, &refs);
            assert_eq!(stats, reference_stats(&m, &hyp, &refs), "{n}");
            assert_eq!(stats, packed_stats(&m, &hyp, &refs), "{n}");
            assert_eq!(stats, naive_stats(&m, &hyp, &refs), "{n}");
        }
    }
}

#[test]
fn beta_zero_and_one_agree_with_reference() {
    // Other recall weights change which reference is best, not the counting.
    for beta in [0, 1, 3] {
        let m = Chrf {
            beta,
            word_order: 2,
            ..Chrf::default()
        };
        let refs = ["xyz abc", "abc", "ab ab"];
        assert_eq!(
            m.segment_stats("ab abc", &refs),
            reference_stats(&m, "ab abc", &refs)
        );
    }
}
