//! BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.6.0 computes it
//! (`sacrebleu/metrics/bleu.py`, `helpers.py`, `utils.my_log`).
//!
//! One segment becomes the statistics vector
//! `[hyp_len, ref_len, correct_1..correct_N, total_1..total_N]` (N = `max_order`), where
//! `ref_len` is the length of the reference closest to the hypothesis (ties: the shorter one),
//! `correct_n` counts hypothesis n-grams clipped by their *maximum* count in any one reference,
//! and `total_n` counts hypothesis n-grams. With *no* reference (sacreBLEU would fail)
//! `ref_len` and all matches are 0. Corpus scores come from summed vectors
//! ([`compute_bleu`]); sentence scores use the same formula with effective order, as
//! sacreBLEU's `sentence_bleu` does.
//!
//! The counting is in `bleu/count.rs`: one dispatcher over three kernels, chosen by the
//! number of references and the lines' lengths (bit matrices, the n-gram trie, and a
//! multi-reference counter over interned n-gram ids), all giving the same numbers.
//!
//! Each line goes through the same pre-processing as `BLEU._preprocess_segment`: optional
//! lower-casing (`str.lower()`), Python's `rstrip()` (see
//! [`rstrip_py`]), then the tokeniser. The caller passes lines as its reader read them (sacreBLEU
//! reads files with `rstrip("\n")` per line; the trailing-space strip here is BLEU's own).

use crate::error::Error;
use crate::metrics::{NpFloat, SegmentMetric, StatArith, VERSION};
use crate::text::tokenize::{rstrip_py, Tokenizer};

mod count;
#[cfg(test)]
mod tests;

/// The default maximum n-gram order (sacreBLEU `MAX_NGRAM_ORDER`).
pub const MAX_NGRAM_ORDER: usize = 4;

/// The reference implementation our scores are faithful to (signature field `compat`).
pub const COMPAT: &str = "sacrebleu-2.6.0";

/// What `my_log(0)` returns in sacreBLEU (`utils.my_log`): log floored to a very low number, so a
/// zero precision drives the geometric mean to (practically) zero instead of failing.
const MY_LOG_ZERO: f64 = -9_999_999_999.0;

/// The value BLEU's logarithm takes: `ln(x)`, or [`MY_LOG_ZERO`] for exactly zero.
fn my_log(x: f64) -> f64 {
    if x == 0.0 {
        MY_LOG_ZERO
    } else {
        x.ln()
    }
}

/// Smoothing of zero n-gram precisions (Chen and Cherry, 2014, "A Systematic Comparison of
/// Smoothing Techniques for Sentence-Level BLEU"), as sacreBLEU's `smooth_method`.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Smooth {
    /// `none`: a zero precision stays zero.
    None,
    /// `floor` (method 1): a zero count becomes this value (default [`Smooth::DEFAULT_FLOOR`]).
    Floor(f64),
    /// `add-k` (method 2): add this to the matches and totals of orders 2 and up (default
    /// [`Smooth::DEFAULT_ADD_K`]).
    AddK(f64),
    /// `exp` (method 3, NIST mteval-v13a): the k-th zero precision becomes `1 / (2^k * total)`.
    /// sacreBLEU's default.
    #[default]
    Exp,
}

impl Smooth {
    /// sacreBLEU `BLEU.SMOOTH_DEFAULTS['floor']`.
    pub const DEFAULT_FLOOR: f64 = 0.1;
    /// sacreBLEU `BLEU.SMOOTH_DEFAULTS['add-k']`.
    pub const DEFAULT_ADD_K: f64 = 1.0;
    /// The method names sacreBLEU accepts.
    pub const NAMES: [&'static str; 4] = ["none", "floor", "add-k", "exp"];

    /// sacreBLEU's method name: `none`, `floor`, `add-k` or `exp`.
    pub fn name(&self) -> &'static str {
        match self {
            Smooth::None => "none",
            Smooth::Floor(_) => "floor",
            Smooth::AddK(_) => "add-k",
            Smooth::Exp => "exp",
        }
    }

    /// The method from its name and optional value (`None`: sacreBLEU's default value).
    pub fn from_name(name: &str, value: Option<f64>) -> Result<Smooth, Error> {
        let smooth = match name {
            "none" => Smooth::None,
            "floor" => Smooth::Floor(value.unwrap_or(Smooth::DEFAULT_FLOOR)),
            "add-k" => Smooth::AddK(value.unwrap_or(Smooth::DEFAULT_ADD_K)),
            "exp" => Smooth::Exp,
            _ => {
                return Err(Error::config(format!(
                    "unknown BLEU smoothing method {name:?}: expected one of {}",
                    Smooth::NAMES.join(", ")
                )))
            }
        };
        if let (Smooth::None | Smooth::Exp, Some(v)) = (smooth, value) {
            return Err(Error::config(format!(
                "BLEU smoothing method {name:?} takes no value (got {v})"
            )));
        }
        if let Some(v) = value.filter(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(Error::config(format!(
                "BLEU smoothing value {v} for {name:?}: expected a finite number >= 0"
            )));
        }
        Ok(smooth)
    }

    /// The signature form: `exp`, `none`, `floor[0.10]`, `add-k[1.00]` (value with 2 decimals,
    /// as `BLEUSignature`).
    pub fn signature(&self) -> String {
        match self {
            Smooth::None | Smooth::Exp => self.name().to_string(),
            Smooth::Floor(v) | Smooth::AddK(v) => format!("{}[{v:.2}]", self.name()),
        }
    }
}

/// A BLEU score with the details sacreBLEU's `BLEUScore` prints.
#[derive(Debug, Clone, PartialEq)]
pub struct BleuScore {
    /// BLEU in 0..=100.
    pub score: f64,
    /// n-gram precisions in percent (after smoothing), one per order.
    pub precisions: Vec<f64>,
    /// Brevity penalty.
    pub bp: f64,
    pub sys_len: f64,
    pub ref_len: f64,
}

/// `BLEU.compute_bleu`: BLEU from summed statistics.
///
/// `correct` and `total` are read up to `max_order` entries (missing entries count as 0).
/// The brevity penalty is `exp(1 - ref_len / sys_len)` when `sys_len < ref_len` (0 for an empty
/// hypothesis side). With no match at all the score is 0 (sacreBLEU #141). Otherwise, per order
/// n = 1..: `add-k` adds k to the matches and totals of n >= 2; a zero total stops the loop
/// (later precisions stay 0); `effective_order` makes the mean run over the orders seen so far;
/// a zero match count is smoothed (`exp`: 100 / (2^k * total), `floor`: 100 * v / total) or left 0;
/// the score is `bp * exp(mean(my_log(p)))`. The arithmetic follows sacreBLEU's operation order,
/// so results are bit-identical given the same `exp`/`ln`. O(max_order).
pub fn compute_bleu(
    correct: &[f64],
    total: &[f64],
    sys_len: f64,
    ref_len: f64,
    smooth: Smooth,
    effective_order: bool,
    max_order: usize,
) -> BleuScore {
    compute_bleu_np::<f64>(
        correct,
        total,
        sys_len,
        ref_len,
        smooth,
        effective_order,
        max_order,
    )
}

/// [`compute_bleu`] on statistics given as Python numbers (`N` = `f64`) or as numpy `float32`
/// (`N` = [`NpFloat`], sacreBLEU's bootstrap resamples): then the matches and totals, their
/// `add-k` smoothing and the precisions are single precision; the brevity penalty (from
/// `int(...)` lengths) and the mean of the logarithms stay double.
fn compute_bleu_np<N: StatArith>(
    correct: &[f64],
    total: &[f64],
    sys_len: f64,
    ref_len: f64,
    smooth: Smooth,
    effective_order: bool,
    max_order: usize,
) -> BleuScore {
    let mut bp = 1.0;
    if sys_len < ref_len {
        bp = if sys_len > 0.0 {
            (1.0 - ref_len / sys_len).exp()
        } else {
            0.0
        };
    }
    let (stat, py) = (N::stat, N::py);
    let mut precisions = vec![0.0; max_order];
    let mut correct: Vec<N> = (0..max_order)
        .map(|i| stat(correct.get(i).copied().unwrap_or(0.0)))
        .collect();
    let mut total: Vec<N> = (0..max_order)
        .map(|i| stat(total.get(i).copied().unwrap_or(0.0)))
        .collect();
    let result = |score: f64, precisions: Vec<f64>| BleuScore {
        score,
        precisions,
        bp,
        sys_len,
        ref_len,
    };

    // Early stop if there are no matches (sacreBLEU #141).
    if !correct.iter().any(|c| c.value() != 0.0) {
        return result(0.0, precisions);
    }

    let mut smooth_mteval = 1.0;
    let mut eff_order = max_order;
    for n in 1..=max_order {
        let i = n - 1;
        if let Smooth::AddK(k) = smooth {
            if n > 1 {
                correct[i] = correct[i] + py(k);
                total[i] = total[i] + py(k);
            }
        }
        if total[i].value() == 0.0 {
            break;
        }
        if effective_order {
            eff_order = n;
        }
        if correct[i].value() == 0.0 {
            match smooth {
                Smooth::Exp => {
                    smooth_mteval *= 2.0;
                    precisions[i] = (py(100.0) / (py(smooth_mteval) * total[i])).value();
                }
                Smooth::Floor(v) => precisions[i] = (py(100.0 * v) / total[i]).value(),
                Smooth::None | Smooth::AddK(_) => {}
            }
        } else {
            precisions[i] = (py(100.0) * correct[i] / total[i]).value();
        }
    }

    // `sum(...)` in Python adds left to right starting from 0, as this fold does.
    let log_sum = precisions[..eff_order]
        .iter()
        .fold(0.0, |acc, &p| acc + my_log(p));
    let score = bp * (log_sum / eff_order as f64).exp();
    result(score, precisions)
}

/// sacreBLEU's BLEU. `Default` is sacreBLEU's corpus BLEU: 13a, mixed case, `exp` smoothing,
/// order 4, no effective order (signature `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bleu {
    pub tokenizer: Tokenizer,
    /// Lower-case hypothesis and references (Rust's `str::to_lowercase`, which like Python's
    /// `str.lower()` applies full case mappings and the final-sigma rule). Checked against
    /// Python 3.11 on every code point and every line of the shared corpora: the mappings agree;
    /// the two differ only in whether `Σ` after a character whose properties changed between
    /// Unicode 14 (Python 3.11) and Rust's newer tables (e.g. U+0295, U+1AD0) is final (`ς`).
    pub lowercase: bool,
    pub smooth: Smooth,
    /// Maximum n-gram order (sacreBLEU `max_ngram_order`). 0 gives a score of 0.
    pub max_order: usize,
    /// Corpus scores over the orders with a non-zero total only (sentence scores always use it).
    pub effective_order: bool,
}

impl Default for Bleu {
    fn default() -> Bleu {
        Bleu {
            tokenizer: Tokenizer::default(),
            lowercase: false,
            smooth: Smooth::default(),
            max_order: MAX_NGRAM_ORDER,
            effective_order: false,
        }
    }
}

impl Bleu {
    /// Length of a statistics vector: `2 + 2 * max_order`.
    pub fn num_stats(&self) -> usize {
        2 + 2 * self.max_order
    }

    /// [`compute_bleu`]-style details of summed statistics, with this metric's smoothing
    /// and the given effective-order setting.
    pub fn score_details(&self, stats: &[f64], effective_order: bool) -> BleuScore {
        let n = self.max_order;
        let get = |i: usize| stats.get(i).copied().unwrap_or(0.0);
        let correct = stats.get(2..(2 + n).min(stats.len())).unwrap_or(&[]);
        let total = stats.get((2 + n).min(stats.len())..).unwrap_or(&[]);
        compute_bleu(
            correct,
            total,
            get(0),
            get(1),
            self.smooth,
            effective_order,
            n,
        )
    }

    /// The line as `BLEU._preprocess_segment` hands it to the tokeniser: lower-cased (into
    /// `lower`) when asked, then `rstrip()`-ed.
    fn prepare<'a>(&self, line: &'a str, lower: &'a mut String) -> &'a str {
        let line = if self.lowercase {
            lower.clear();
            lower.push_str(&line.to_lowercase());
            lower.as_str()
        } else {
            line
        };
        rstrip_py(line)
    }
}

/// `BLEU._get_closest_ref_len`: the reference length closest to `hyp_len`, the shorter on ties;
/// 0 without references.
fn closest_ref_len(hyp_len: usize, ref_lens: &[usize]) -> usize {
    let mut best: Option<(usize, usize)> = None; // (diff, len)
    for &len in ref_lens {
        let diff = hyp_len.abs_diff(len);
        best = match best {
            Some((d, l)) if d < diff || (d == diff && l <= len) => Some((d, l)),
            _ => Some((diff, len)),
        };
    }
    best.map_or(0, |(_, len)| len)
}

impl SegmentMetric for Bleu {
    fn name(&self) -> String {
        "BLEU".to_string()
    }

    fn stat_names(&self) -> Vec<String> {
        let mut names = vec!["hyp_len".to_string(), "ref_len".to_string()];
        names.extend((1..=self.max_order).map(|n| format!("correct_{n}")));
        names.extend((1..=self.max_order).map(|n| format!("total_{n}")));
        names
    }

    fn segment_stats(&self, hyp: &str, refs: &[&str]) -> Vec<f64> {
        let mut out = vec![0.0; self.num_stats()];
        self.write_segment_stats(hyp, refs, &mut out);
        out
    }

    /// Statistics of one segment into `out`, [`Bleu::num_stats`] entries (every one is
    /// written; see the module docs for the layout), by the kernel that `Bleu::count` picks
    /// for the segment, with this thread's buffers: no allocation once they have grown. A
    /// slice of another length gets the statistics' common prefix (a programming error,
    /// checked in debug builds).
    fn write_segment_stats(&self, hyp: &str, refs: &[&str], out: &mut [f64]) {
        if out.len() != self.num_stats() {
            out.fill(0.0);
            debug_assert_eq!(out.len(), self.num_stats());
            super::copy_stats(&self.segment_stats(hyp, refs), out);
            return;
        }
        count::with_scratch(|s| self.count(hyp, refs, s, out));
    }

    fn corpus_score(&self, stats: &[f64]) -> f64 {
        self.score_details(stats, self.effective_order).score
    }

    /// `compute_bleu` on `float32` statistics (sacreBLEU's bootstrap): single-precision
    /// n-gram precisions, a double-precision score.
    fn resampled_score(&self, stats: &[f64]) -> NpFloat {
        let n = self.max_order;
        let get = |i: usize| stats.get(i).copied().unwrap_or(0.0);
        let correct = stats.get(2..(2 + n).min(stats.len())).unwrap_or(&[]);
        let total = stats.get((2 + n).min(stats.len())..).unwrap_or(&[]);
        let s = compute_bleu_np::<NpFloat>(
            correct,
            total,
            get(0),
            get(1),
            self.smooth,
            self.effective_order,
            n,
        );
        NpFloat::Py(s.score)
    }

    /// sacreBLEU's `sentence_bleu` / `BLEU(effective_order=True).sentence_score`: effective
    /// order regardless of [`Bleu::effective_order`].
    fn sentence_score(&self, stats: &[f64]) -> f64 {
        self.score_details(stats, true).score
    }

    /// sacreBLEU's fields in its order, then `compat` and our own version:
    /// `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|compat:sacrebleu-2.6.0|version:mtharness-0.1.0`.
    /// sacreBLEU's own signature ends in `version:2.6.0` instead of the last two fields.
    fn signature(&self, nrefs: usize) -> String {
        format!(
            "nrefs:{nrefs}|case:{}|eff:{}|tok:{}|smooth:{}|compat:{COMPAT}|version:mtharness-{VERSION}",
            if self.lowercase { "lc" } else { "mixed" },
            if self.effective_order { "yes" } else { "no" },
            self.tokenizer.name(),
            self.smooth.signature(),
        )
    }

    fn higher_is_better(&self) -> bool {
        true
    }
}
