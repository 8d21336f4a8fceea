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

use super::{NpFloat, SegmentMetric, StatArith, VERSION};

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

    /// sacreBLEU's `_compute_f_score`, operation for operation, on statistics given as Python
    /// numbers (`N` = `f64`: corpus and sentence scores) or as numpy `float32` (`N` =
    /// [`NpFloat`]: a bootstrap resample, where most of the arithmetic is single precision).
    /// `stats` has `stats_len()` entries; the result is in `[0, 100]`.
    fn f_score<N: StatArith>(&self, stats: &[f64]) -> N {
        let order = self.orders();
        if order == 0 {
            // sacreBLEU divides by zero here (eps smoothing) or returns 0; we return 0.
            return N::py(0.0);
        }
        let stat = N::stat;
        let py = N::py;
        let factor = py(f64::from(self.beta) * f64::from(self.beta));
        let mut score = py(0.0);
        let mut effective_order = 0u32;
        let (mut avg_prec, mut avg_rec) = (py(0.0), py(0.0));
        for triple in stats.chunks_exact(3).take(order) {
            let (n_hyp, n_ref, n_match) = (triple[0], triple[1], triple[2]);
            let prec = if n_hyp > 0.0 {
                stat(n_match) / stat(n_hyp)
            } else {
                py(EPS)
            };
            let rec = if n_ref > 0.0 {
                stat(n_match) / stat(n_ref)
            } else {
                py(EPS)
            };
            let denom = factor * prec + rec;
            score = score
                + if denom.value() > 0.0 {
                    (py(1.0) + factor) * prec * rec / denom
                } else {
                    py(EPS)
                };
            if n_hyp > 0.0 && n_ref > 0.0 {
                avg_prec = avg_prec + prec;
                avg_rec = avg_rec + rec;
                effective_order += 1;
            }
        }
        if self.eps_smoothing {
            return py(100.0) * score / py(order as f64);
        }
        if effective_order == 0 {
            return py(0.0);
        }
        avg_prec = avg_prec / py(f64::from(effective_order));
        avg_rec = avg_rec / py(f64::from(effective_order));
        if (avg_prec + avg_rec).value() != 0.0 {
            let mut f = (py(1.0) + factor) * avg_prec * avg_rec;
            f = f / (factor * avg_prec + avg_rec);
            py(100.0) * f
        } else {
            py(0.0)
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
        self.f_score::<f64>(stats)
    }

    /// `_compute_f_score` on `float32` statistics (sacreBLEU's bootstrap).
    fn resampled_score(&self, stats: &[f64]) -> NpFloat {
        self.f_score::<NpFloat>(stats)
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
mod tests;
