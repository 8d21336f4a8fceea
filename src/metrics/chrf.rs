//! chrF (Popović 2015) and chrF++ (Popović 2017), faithful to sacreBLEU 2.6.0
//! (`sacrebleu/metrics/chrf.py`, `sacrebleu/metrics/helpers.py`).
//!
//! # Statistics
//!
//! One segment yields `3 * (char_order + word_order)` additive statistics: for every character
//! order `1..=char_order`, then every word order `1..=word_order`, the triple
//! `[hyp n-grams, ref n-grams, matched n-grams]`, where the match count is the clipped
//! intersection `sum over n-grams g of min(hyp_count(g), ref_count(g))`. As in sacreBLEU the
//! hypothesis count of an order is 0 when the reference has no n-gram of that order.
//!
//! With several references, the statistics of the reference whose *sentence* F-score is highest
//! are kept; the first reference wins ties (sacreBLEU starts from `-1` and replaces only on
//! a strictly greater score). A segment scored against no reference at all has all-zero
//! statistics (sacreBLEU would fail on it).
//!
//! # Text handling
//!
//! * `lowercase`: the hypothesis and references are lowercased first (Python `str.lower`,
//!   here [`str::to_lowercase`]; both apply the final-sigma rule, and they can only differ where
//!   the two Unicode versions differ).
//! * Character n-grams run over Unicode scalar values (Python code points). Unless
//!   `whitespace` is set, every whitespace character is removed first, where whitespace is
//!   Python's `str.isspace` (see [`is_py_whitespace`]), as `''.join(line.split())` does.
//! * Word n-grams run over the words of `str.split()`, after sacreBLEU's punctuation splitting
//!   ([`punctuation_split`]): a word of two or more characters loses *one* trailing ASCII
//!   punctuation character into its own token, or else one leading one (so `(hi)` becomes
//!   `(hi` and `)`, sacreBLEU issue #124). Note that word n-grams are taken from the text
//!   *with* its whitespace whatever `whitespace` says, as sacreBLEU does.
//!
//! # Score
//!
//! Default (effective order, `eff:yes`): precision and recall are averaged over the orders where
//! both the hypothesis and the reference have n-grams, then combined into
//! `F_beta = (1 + beta^2) P R / (beta^2 P + R)`, times 100. With `eps_smoothing` (`eff:no`),
//! the F-score of every order is computed with `1e-16` standing in for undefined precision,
//! recall or F, and the mean over all orders is returned (chrF++.py, Moses and NLTK style).
//! The floating-point operations are done in sacreBLEU's order, so the scores agree to the
//! last bit or so.
//!
//! # Complexity
//!
//! For a hypothesis of `h` and references of `r_1 .. r_k` characters (or words) and maximum
//! order `N`, one segment costs O(N (h + sum_i r_i)): one scan per text gives its characters
//! and words dense per-segment ids (`segment.rs`), the hypothesis n-grams become the nodes of
//! a trie (a dense, stamped transition table; a hash table for very long hypotheses), and
//! each reference walks it (`crate::ngram::trie`). No string is built per n-gram and nothing
//! is allocated per segment once the thread's buffers have grown. The hash-map kernel
//! (`reference.rs`) is the slow twin the property tests compare against, and the fallback
//! for hypotheses too long for 31-bit node ids.

use super::{SegmentMetric, VERSION};

pub(crate) mod reference;
mod segment;

/// Default character n-gram order (sacreBLEU `CHRF.CHAR_ORDER`).
pub const CHAR_ORDER: usize = 6;
/// Default word n-gram order of chrF (sacreBLEU `CHRF.WORD_ORDER`).
pub const WORD_ORDER: usize = 0;
/// Word n-gram order of chrF++ (sacreBLEU docs: "If equals to 2, the metric is referred to as
/// chrF++").
pub const WORD_ORDER_PLUS_PLUS: usize = 2;
/// Default recall weight (sacreBLEU `CHRF.BETA`, per Popović, WMT16).
pub const BETA: u32 = 2;
/// Stand-in for an undefined precision, recall or F-score (sacreBLEU `_compute_f_score`, `eps`).
const EPS: f64 = 1e-16;

/// chrF / chrF++ configuration. `Chrf::default()` is chrF (sacreBLEU `CHRF()`),
/// [`Chrf::plus_plus`] is chrF++ (`CHRF(word_order=2)`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Chrf {
    /// Maximum character n-gram order (6).
    pub char_order: usize,
    /// Maximum word n-gram order (0 for chrF, 2 for chrF++).
    pub word_order: usize,
    /// Recall is `beta` times as important as precision (2).
    pub beta: u32,
    /// Lowercase hypothesis and references first (`case:lc`).
    pub lowercase: bool,
    /// Keep whitespace inside character n-grams (`space:yes`).
    pub whitespace: bool,
    /// chrF++.py-style epsilon smoothing instead of effective order (`eff:no`).
    pub eps_smoothing: bool,
}

impl Default for Chrf {
    fn default() -> Chrf {
        Chrf {
            char_order: CHAR_ORDER,
            word_order: WORD_ORDER,
            beta: BETA,
            lowercase: false,
            whitespace: false,
            eps_smoothing: false,
        }
    }
}

impl Chrf {
    /// chrF++: chrF with word unigrams and bigrams.
    pub fn plus_plus() -> Chrf {
        Chrf {
            word_order: WORD_ORDER_PLUS_PLUS,
            ..Chrf::default()
        }
    }

    /// The name the oracle files and sacreBLEU's CLI metric list use: `chrF`, `chrF++`
    /// (one `+` per word order, without beta).
    pub fn short_name(&self) -> String {
        format!("chrF{}", "+".repeat(self.word_order))
    }

    /// Number of n-gram orders (character, then word).
    pub fn orders(&self) -> usize {
        self.char_order + self.word_order
    }

    /// Number of statistics per segment: `3 * orders()`.
    pub fn stats_len(&self) -> usize {
        3 * self.orders()
    }

    /// Writes the statistics of `hyp` against `refs` into `out` (`stats_len()` entries, any
    /// previous content overwritten). See the module docs for the layout and the choice
    /// among several references. `out` is a caller-owned buffer of at least `stats_len()`
    /// entries (a shorter one is a programming error and panics).
    ///
    /// Runs the trie kernel (`ngram::trie`, no allocation once its thread-local
    /// buffers have grown), or the hash-map kernel of `reference` for a hypothesis too long
    /// for 31-bit node ids. All kernels give the same statistics (property-tested).
    pub fn segment_stats_into(&self, hyp: &str, refs: &[&str], out: &mut [f64]) {
        segment::segment_stats_into(self, hyp, refs, out);
    }

    /// sacreBLEU's `_compute_f_score`, operation for operation. `stats` has `stats_len()`
    /// entries; the result is in `[0, 100]`.
    fn f_score(&self, stats: &[f64]) -> f64 {
        let order = self.orders();
        if order == 0 {
            // sacreBLEU divides by zero here (eps smoothing) or returns 0; we return 0.
            return 0.0;
        }
        let factor = f64::from(self.beta) * f64::from(self.beta);
        let mut score = 0.0;
        let mut effective_order = 0u32;
        let (mut avg_prec, mut avg_rec) = (0.0, 0.0);
        for triple in stats.chunks_exact(3).take(order) {
            let (n_hyp, n_ref, n_match) = (triple[0], triple[1], triple[2]);
            let prec = if n_hyp > 0.0 { n_match / n_hyp } else { EPS };
            let rec = if n_ref > 0.0 { n_match / n_ref } else { EPS };
            let denom = factor * prec + rec;
            score += if denom > 0.0 {
                (1.0 + factor) * prec * rec / denom
            } else {
                EPS
            };
            if n_hyp > 0.0 && n_ref > 0.0 {
                avg_prec += prec;
                avg_rec += rec;
                effective_order += 1;
            }
        }
        if self.eps_smoothing {
            return 100.0 * score / order as f64;
        }
        if effective_order == 0 {
            return 0.0;
        }
        avg_prec /= f64::from(effective_order);
        avg_rec /= f64::from(effective_order);
        if avg_prec + avg_rec != 0.0 {
            let mut f = (1.0 + factor) * avg_prec * avg_rec;
            f /= factor * avg_prec + avg_rec;
            100.0 * f
        } else {
            0.0
        }
    }
}

impl SegmentMetric for Chrf {
    /// sacreBLEU's display name: `chrF2`, `chrF2++` (`chrF{beta}` and one `+` per word order).
    fn name(&self) -> String {
        format!("chrF{}{}", self.beta, "+".repeat(self.word_order))
    }

    /// `c1_hyp, c1_ref, c1_match, ..., c6_match, w1_hyp, ..., w2_match`.
    fn stat_names(&self) -> Vec<String> {
        let char_orders = (1..=self.char_order).map(|n| format!("c{n}"));
        let word_orders = (1..=self.word_order).map(|n| format!("w{n}"));
        char_orders
            .chain(word_orders)
            .flat_map(|o| ["hyp", "ref", "match"].map(|k| format!("{o}_{k}")))
            .collect()
    }

    fn segment_stats(&self, hyp: &str, refs: &[&str]) -> Vec<f64> {
        let mut out = vec![0.0; self.stats_len()];
        self.segment_stats_into(hyp, refs, &mut out);
        out
    }

    /// [`Chrf::segment_stats_into`]: no allocation once the kernel's thread-local buffers
    /// have grown.
    fn write_segment_stats(&self, hyp: &str, refs: &[&str], out: &mut [f64]) {
        self.segment_stats_into(hyp, refs, out);
    }

    /// Effective-order (or eps-smoothed) F-beta of summed statistics, in `[0, 100]`.
    fn corpus_score(&self, stats: &[f64]) -> f64 {
        self.f_score(stats)
    }

    /// sacreBLEU's signature fields in its order, e.g.
    /// `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:mtharness-0.1.0`.
    /// `eff:yes` means effective-order averaging (no eps smoothing); beta is in the name, not
    /// here, as in sacreBLEU. The version is mtharness's, as the scores are ours.
    fn signature(&self, nrefs: usize) -> String {
        format!(
            "nrefs:{nrefs}|case:{}|eff:{}|nc:{}|nw:{}|space:{}|version:mtharness-{VERSION}",
            if self.lowercase { "lc" } else { "mixed" },
            if self.eps_smoothing { "no" } else { "yes" },
            self.char_order,
            self.word_order,
            if self.whitespace { "yes" } else { "no" },
        )
    }

    fn higher_is_better(&self) -> bool {
        true
    }
}

/// Python's `str.isspace`, which `str.split()` splits on (the one definition is
/// [`crate::text::tokenize::is_python_whitespace`]).
pub use crate::text::tokenize::is_python_whitespace as is_py_whitespace;

/// sacreBLEU's `CHRF._remove_punctuation` as a token list: splits `text` on whitespace
/// (Python `str.split()`) and calls `emit` for every token after [`punctuation_split`].
/// `"(hi)"` gives `"(hi"`, `")"`; `"..."` gives `".."`, `"."`. The kernel fuses this into its
/// n-gram counting; the tests check it against the reference splitter.
#[cfg(test)]
pub(crate) fn split_punctuation<'a>(text: &'a str, mut emit: impl FnMut(&'a str)) {
    let bytes = text.as_bytes();
    crate::text::tokenize::for_each_py_word(text, |start, end| {
        punctuation_split(bytes, start, end, |a, b| emit(&text[a..b]))
    });
}

/// sacreBLEU's punctuation split of the whitespace-delimited word `bytes[start..end]`
/// (non-empty, on character boundaries): one trailing ASCII punctuation character comes off
/// a word of two or more characters, or else one leading one; `emit` gets the one or two
/// pieces in order.
#[inline(always)]
pub(crate) fn punctuation_split(
    bytes: &[u8],
    start: usize,
    end: usize,
    mut emit: impl FnMut(usize, usize),
) {
    // The first and last characters are ASCII exactly when their bytes are; an ASCII
    // punctuation end of a word of two or more bytes leaves at least one more character.
    let (first, last) = (bytes[start], bytes[end - 1]);
    let long = end - start >= 2;
    let cut = if long && ASCII_PUNCTUATION[usize::from(last)] {
        end - 1
    } else if long && ASCII_PUNCTUATION[usize::from(first)] {
        start + 1
    } else {
        emit(start, end);
        return;
    };
    emit(start, cut);
    emit(cut, end);
}

/// Whether a byte is ASCII punctuation (`u8::is_ascii_punctuation`, Python's
/// `string.punctuation`), as one table load.
const ASCII_PUNCTUATION: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_punctuation();
        b += 1;
    }
    t
};

#[cfg(test)]
mod tests {
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
            let f = m.f_score(&stats);
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
}
