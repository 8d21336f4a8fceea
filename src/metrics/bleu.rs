//! BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.6.0 computes it
//! (`sacrebleu/metrics/bleu.py`, `helpers.py`, `utils.my_log`).
//!
//! One segment becomes the statistics vector
//! `[hyp_len, ref_len, correct_1..correct_N, total_1..total_N]` (N = `max_order`), where
//! `ref_len` is the length of the reference closest to the hypothesis (ties: the shorter one),
//! `correct_n` counts hypothesis n-grams clipped by their *maximum* count in any one reference,
//! and `total_n` counts hypothesis n-grams. Corpus scores come from summed vectors
//! ([`compute_bleu`]); sentence scores use the same formula with effective order, as
//! sacreBLEU's `sentence_bleu` does.
//!
//! Each line goes through the same pre-processing as `BLEU._preprocess_segment`: optional
//! lower-casing (`str.lower()`), Python's `rstrip()` (see
//! [`rstrip_py`]), then the tokeniser. The caller passes lines as its reader read them (sacreBLEU
//! reads files with `rstrip("\n")` per line; the trailing-space strip here is BLEU's own).

use crate::distance::{FxHashMap, SpanInterner};
use crate::error::Error;
use crate::metrics::bitgrams::{self, BitScratch};
use crate::metrics::chrf::ClippedCounter;
use crate::metrics::{SegmentMetric, VERSION};
use crate::text::tokenize::{
    clean_13a, for_each_13a_token, for_each_py_word, rstrip_py, Tokenizer,
};

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
    let mut bp = 1.0;
    if sys_len < ref_len {
        bp = if sys_len > 0.0 {
            (1.0 - ref_len / sys_len).exp()
        } else {
            0.0
        };
    }
    let mut precisions = vec![0.0; max_order];
    let mut correct: Vec<f64> = (0..max_order)
        .map(|i| correct.get(i).copied().unwrap_or(0.0))
        .collect();
    let mut total: Vec<f64> = (0..max_order)
        .map(|i| total.get(i).copied().unwrap_or(0.0))
        .collect();
    let result = |score: f64, precisions: Vec<f64>| BleuScore {
        score,
        precisions,
        bp,
        sys_len,
        ref_len,
    };

    // Early stop if there are no matches (sacreBLEU #141).
    if !correct.iter().any(|&c| c != 0.0) {
        return result(0.0, precisions);
    }

    let mut smooth_mteval = 1.0;
    let mut eff_order = max_order;
    for n in 1..=max_order {
        let i = n - 1;
        if let Smooth::AddK(k) = smooth {
            if n > 1 {
                correct[i] += k;
                total[i] += k;
            }
        }
        if total[i] == 0.0 {
            break;
        }
        if effective_order {
            eff_order = n;
        }
        if correct[i] == 0.0 {
            match smooth {
                Smooth::Exp => {
                    smooth_mteval *= 2.0;
                    precisions[i] = 100.0 / (smooth_mteval * total[i]);
                }
                Smooth::Floor(v) => precisions[i] = 100.0 * v / total[i],
                Smooth::None | Smooth::AddK(_) => {}
            }
        } else {
            precisions[i] = 100.0 * correct[i] / total[i];
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

    /// Statistics of one segment, written into `out` (cleared and resized to
    /// [`Bleu::num_stats`]). See the module docs for the layout.
    ///
    /// Multi-reference: `correct_n` clips each n-gram by its maximum count over the references;
    /// `ref_len` is the closest reference length (ties: shorter). With *no* reference (sacreBLEU
    /// would fail) `ref_len` and all matches are 0.
    ///
    /// One reference (sacreBLEU's default): lines of at most 64 tokens a side (99.9% of WMT22
    /// ru-en) are counted by bit matrices of token equality (`count_short`, see
    /// `metrics::bitgrams`), longer ones with the hypothesis's n-grams in a trie the reference
    /// walks (`count_single_ref`). Otherwise (several references, or a hypothesis too long for
    /// the trie): tokens become `u32` ids once per segment; an n-gram is identified by the id
    /// of its (n-1)-gram prefix and its last token (ids from one counter, so they never collide
    /// across orders), so no n-gram allocates a key. Only reference n-grams get ids; a hypothesis
    /// n-gram whose prefix or last token is unknown cannot match. Expected O(T * max_order)
    /// for T tokens over hypothesis and references. Ids are `u32`: exact while the references
    /// of one segment have fewer than 2^32 - 1 distinct tokens and n-grams together.
    pub fn segment_stats_into(&self, hyp: &str, refs: &[&str], out: &mut Vec<f64>) {
        out.clear();
        out.resize(self.num_stats(), 0.0);
        self.write_stats(hyp, refs, out);
    }

    /// [`Bleu::segment_stats_into`] into a slice of [`Bleu::num_stats`] entries (every entry
    /// is written). A slice of another length gets the statistics' common prefix (a programming
    /// error, checked in debug builds).
    fn write_stats(&self, hyp: &str, refs: &[&str], out: &mut [f64]) {
        if out.len() != self.num_stats() {
            out.fill(0.0);
            debug_assert_eq!(out.len(), self.num_stats());
            let mut full = Vec::new();
            self.segment_stats_into(hyp, refs, &mut full);
            super::copy_stats(&full, out);
            return;
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.count(hyp, refs, &mut scratch, out),
            // Not re-entrant in practice; never panic.
            Err(_) => self.count(hyp, refs, &mut Scratch::default(), out),
        });
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

    /// Pre-processes one line as `BLEU._preprocess_segment` (lower-case, rstrip, tokenise),
    /// appending the text its tokens live in to `text` and the tokens' byte ranges in `text` to
    /// `tokens`. 13a (the default) goes through the fused scanner
    /// [`for_each_13a_token`]: the cleaned line is copied once and tokens are ranges of it,
    /// without building the tokenised string; the other tokenisers build that string and split
    /// it as sacreBLEU does.
    fn preprocess_tokens(
        &self,
        line: &str,
        lower: &mut String,
        tok: &mut String,
        text: &mut String,
        tokens: &mut Vec<(u32, u32)>,
    ) {
        let line = self.prepare(line, lower);
        let base = text.len();
        // Token ranges are u32: a segment's tokenised text is far below 4 GiB (inputs are
        // limited by the corpus readers); saturate rather than wrap if it ever is not.
        let at = |i: usize| u32::try_from(base + i).unwrap_or(u32::MAX);
        if self.tokenizer == Tokenizer::Tok13a {
            let clean = clean_13a(line);
            text.push_str(&clean);
            for_each_13a_token(&clean, |a, b| tokens.push((at(a), at(b))));
        } else {
            self.tokenizer.tokenize_into(line, tok);
            text.push_str(tok);
            // BLEU splits the tokenised line with Python's `str.split()`.
            for_each_py_word(tok, |a, b| tokens.push((at(a), at(b))));
        }
        text.push(' ');
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

    fn count(&self, hyp: &str, refs: &[&str], s: &mut Scratch, out: &mut [f64]) {
        let max_order = self.max_order;
        let Scratch {
            text,
            tok,
            lower,
            tokens,
            lines,
            ids,
            vocab,
            pairs,
            ref_max,
            counts,
            touched,
            single,
            bits,
            correct,
        } = s;

        // The default (13a, one reference): tokens go straight from the scanner into keys and
        // ranges of the cleaned lines, never stored as text.
        if let ([reference], Tokenizer::Tok13a, 1..) = (refs, self.tokenizer, max_order) {
            let reference = clean_13a(self.prepare(reference, lower));
            let hypothesis = clean_13a(self.prepare(hyp, tok));
            if bitgrams::fast() && u32::try_from(reference.len().max(hypothesis.len())).is_ok() {
                // Token keys and ranges once; short lines are counted by bit matrices,
                // others (0.1% on WMT) tokenised again for the trie.
                let (ref_bytes, hyp_bytes) = (reference.as_bytes(), hypothesis.as_bytes());
                bits.hyp.clear();
                bits.reference.clear();
                for_each_13a_token(
                    &hypothesis,
                    #[inline(always)]
                    |a, b| bits.hyp.push(hyp_bytes, a, b),
                );
                for_each_13a_token(
                    &reference,
                    #[inline(always)]
                    |a, b| bits.reference.push(ref_bytes, a, b),
                );
                if count_short(ref_bytes, hyp_bytes, bits, correct, out) {
                    return;
                }
            }
            if count_single_ref(
                Scan13a(&reference),
                Scan13a(&hypothesis),
                max_order,
                single,
                out,
            ) {
                return;
            }
        }

        // Tokenise every line once into one buffer; `lines[k]` = range in `tokens` of line k's
        // tokens (references first, then the hypothesis).
        text.clear();
        tokens.clear();
        lines.clear();
        for line in refs.iter().chain(std::iter::once(&hyp)) {
            let start = tokens.len();
            self.preprocess_tokens(line, lower, tok, text, tokens);
            lines.push((start, tokens.len()));
        }
        let text = text.as_str();
        let tokens = tokens.as_slice();
        let line_tokens = |(a, b): (usize, usize)| {
            tokens
                .get(a..b)
                .unwrap_or(&[])
                .iter()
                .map(|&(x, y)| text.get(x as usize..y as usize).unwrap_or(""))
        };

        // One reference, other tokenisers: the bit matrices or the single-reference counter on
        // the token ranges.
        if let ([ref_line], [hyp_line], 1..) = (
            &lines[..lines.len().saturating_sub(1)],
            &lines[lines.len().saturating_sub(1)..],
            max_order,
        ) {
            let ranges_of = |(a, b): (usize, usize)| tokens.get(a..b).unwrap_or(&[]);
            if bitgrams::fast() && u32::try_from(text.len()).is_ok() {
                let bytes = text.as_bytes();
                bits.hyp.clear();
                bits.reference.clear();
                for &(a, b) in ranges_of(*hyp_line) {
                    bits.hyp.push(bytes, a as usize, b as usize);
                }
                for &(a, b) in ranges_of(*ref_line) {
                    bits.reference.push(bytes, a as usize, b as usize);
                }
                if count_short(bytes, bytes, bits, correct, out) {
                    return;
                }
            }
            let ranges = |line| Ranges {
                text,
                ranges: ranges_of(line),
            };
            if count_single_ref(ranges(*ref_line), ranges(*hyp_line), max_order, single, out) {
                return;
            }
        }

        // The general counter: it writes only the orders the hypothesis has.
        out.fill(0.0);
        // Token vocabulary of the references: entries (hash, id, byte range in `text`).
        vocab.clear();
        pairs.clear();
        ref_max.clear();
        counts.clear();
        let mut next_id: u32 = 0;
        fn new_id(next_id: &mut u32, ref_max: &mut Vec<u32>, counts: &mut Vec<u32>) -> u32 {
            let id = *next_id;
            *next_id = next_id.saturating_add(1);
            ref_max.push(0);
            counts.push(0);
            id
        }

        let mut ref_lens: Vec<usize> = Vec::with_capacity(refs.len());
        let (ref_lines, hyp_line) = lines.split_at(lines.len().saturating_sub(1));
        for &line in ref_lines {
            ids.clear();
            for t in line_tokens(line) {
                if t.is_empty() {
                    continue;
                }
                let h = hash_token(t);
                let found = vocab.find(h, |e| e.0 == h && token_at(text, e) == t);
                let id = match found {
                    Some(e) => e.1,
                    None => {
                        let id = new_id(&mut next_id, ref_max, counts);
                        let start = t.as_ptr() as usize - text.as_ptr() as usize;
                        vocab.insert_unique(h, (h, id, start, start + t.len()), |e| e.0);
                        id
                    }
                };
                ids.push(id);
            }
            let len = ids.len();
            ref_lens.push(len);
            touched.clear();
            // Order 1: the token ids. Orders 2..: `ids` is overwritten in place with the
            // n-gram ids (position i holds the id of tokens i..i+n).
            let tokens_start = ids.len();
            ids.extend_from_within(..tokens_start);
            for n in 1..=max_order.min(len) {
                for i in 0..=(len - n) {
                    let id = if n == 1 {
                        ids[i]
                    } else {
                        let key = pair_key(ids[i], ids[tokens_start + i + n - 1]);
                        match pairs.get(&key) {
                            Some(&id) => id,
                            None => {
                                let id = new_id(&mut next_id, ref_max, counts);
                                pairs.insert(key, id);
                                id
                            }
                        }
                    };
                    ids[i] = id;
                    let c = &mut counts[id as usize];
                    if *c == 0 {
                        touched.push(id);
                    }
                    *c += 1;
                }
            }
            for &id in touched.iter() {
                let k = id as usize;
                ref_max[k] = ref_max[k].max(counts[k]);
                counts[k] = 0;
            }
        }

        // The hypothesis: look n-grams up, never insert. `counts` is all zeros again and now
        // counts the matches used per n-gram.
        let hyp_line = hyp_line.first().copied().unwrap_or((0, 0));
        ids.clear();
        ids.extend(line_tokens(hyp_line).filter(|t| !t.is_empty()).map(|t| {
            let h = hash_token(t);
            vocab
                .find(h, |e| e.0 == h && token_at(text, e) == t)
                .map_or(NONE, |e| e.1)
        }));
        let hyp_len = ids.len();
        let tokens_start = hyp_len;
        ids.extend_from_within(..tokens_start);
        for n in 1..=max_order.min(hyp_len) {
            let mut correct = 0u64;
            for i in 0..=(hyp_len - n) {
                let id = if n == 1 {
                    ids[i]
                } else {
                    let (prefix, last) = (ids[i], ids[tokens_start + i + n - 1]);
                    if prefix == NONE || last == NONE {
                        NONE
                    } else {
                        pairs.get(&pair_key(prefix, last)).copied().unwrap_or(NONE)
                    }
                };
                ids[i] = id;
                if id != NONE {
                    let k = id as usize;
                    if counts[k] < ref_max[k] {
                        counts[k] += 1;
                        correct += 1;
                    }
                }
            }
            out[2 + n - 1] = correct as f64;
            out[2 + max_order + n - 1] = (hyp_len - n + 1) as f64;
        }

        out[0] = hyp_len as f64;
        out[1] = closest_ref_len(hyp_len, &ref_lens) as f64;
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

/// Id of an n-gram (or token) absent from every reference.
const NONE: u32 = u32::MAX;

#[inline]
fn pair_key(prefix: u32, last: u32) -> u64 {
    (u64::from(prefix) << 32) | u64::from(last)
}

/// Statistics of a hypothesis against *one* reference from their tokens in `bits` (byte
/// ranges of `hyp_text` and `ref_text`), written into `out` (every entry; layout of
/// [`Bleu::segment_stats_into`], `max_order = out.len() / 2 - 1`) by bit matrices
/// ([`bitgrams::clipped_matches`]): the same numbers as the general counter (tested against
/// it and the naive twin). Returns false, having written nothing, when a side has more than
/// [`bitgrams::MAX_TOKENS`] tokens; the caller then uses [`count_single_ref`].
///
/// Measured against [`count_single_ref`] (token ids from a hash table, then the trie) on
/// WMT22 ru-en: see the module docs of [`bitgrams`].
fn count_short(
    ref_bytes: &[u8],
    hyp_bytes: &[u8],
    bits: &mut BitScratch,
    correct: &mut Vec<u64>,
    out: &mut [f64],
) -> bool {
    let max_order = (out.len() / 2).saturating_sub(1);
    // Up to 8 orders on the stack (no `memset` call); more in the per-thread buffer.
    let mut few = [0u64; 8];
    let correct = match few.get_mut(..max_order) {
        Some(c) => c,
        None => {
            correct.clear();
            correct.resize(max_order, 0);
            correct.as_mut_slice()
        }
    };
    if !bitgrams::clipped_matches(hyp_bytes, ref_bytes, bits, correct) {
        return false;
    }
    let (hyp_len, ref_len) = (bits.hyp.len(), bits.reference.len());
    out[0] = hyp_len as f64;
    out[1] = ref_len as f64;
    for (n, &c) in (1..=max_order).zip(correct.iter()) {
        out[2 + n - 1] = c as f64;
        out[2 + max_order + n - 1] = (hyp_len + 1).saturating_sub(n) as f64;
    }
    true
}

/// Per-thread buffers of [`count_single_ref`].
#[derive(Default)]
struct SingleRefScratch {
    /// The hypothesis's tokens (ids `0..`, used here plus one).
    vocab: SpanInterner,
    /// Token ids of the hypothesis (`1..`), then of the reference (0: absent from the
    /// hypothesis).
    hyp_ids: Vec<u32>,
    ref_ids: Vec<u32>,
    /// The hypothesis's n-grams as a trie, walked by the reference.
    trie: ClippedCounter,
    /// `[hyp count, ref count, clipped matches]` per order, from the trie.
    triples: Vec<f64>,
}

/// Statistics of a hypothesis against *one* reference, written into `out` (every entry;
/// layout of [`Bleu::segment_stats_into`]); the same numbers as the general counter (tested
/// against it and the naive twin).
///
/// The hypothesis's tokens get ids `1..=K` in order of first appearance; a reference token
/// gets its hypothesis id, or 0 when the hypothesis lacks it. The n-grams of the hypothesis
/// then go into the trie chrF counts with ([`ClippedCounter`]: a dense transition table with
/// per-segment stamps, or hashed when too large), and the reference walks it order by order,
/// branch-free, taking one from an n-gram's remaining hypothesis count at each occurrence:
/// the clipped matches. O(T * max_order) for T tokens, no allocation once the per-thread
/// buffers are warm. Measured against the previous kernel (reference n-grams packed 16 bits
/// a token into `u64` keys of an open-addressing table, looked up by the hypothesis): 2%
/// fewer instructions and 10-15% more segments per second, the walk's loads being
/// independent of one another and its steps free of unpredictable branches. Returns false
/// (having written nothing) when the trie cannot hold the hypothesis (over 2^30 n-grams); the
/// caller then counts with the general method.
///
/// Tried and dropped for the token ids (the largest cost left, about half the time): a
/// table with the prefix, length and id inline in 16-byte slots and stamped resets (6% more
/// instructions, same time); matching tokens by scanning arrays of token hashes with AVX2
/// compares instead of a hash table (18% more instructions and 17% slower: three arrays to
/// fill per token); interning from a buffer of token ranges instead of inside the scanner's
/// callback (7% slower).
fn count_single_ref(
    reference: impl TokenRanges,
    hypothesis: impl TokenRanges,
    max_order: usize,
    s: &mut SingleRefScratch,
    out: &mut [f64],
) -> bool {
    let (ref_text, hyp_text) = (reference.text(), hypothesis.text());
    // Text 0 is the reference, text 1 the hypothesis.
    let texts = |t: u32| if t == 0 { ref_text } else { hyp_text };
    let SingleRefScratch {
        vocab,
        hyp_ids,
        ref_ids,
        trie,
        triples,
    } = s;
    hyp_ids.clear();
    ref_ids.clear();
    vocab.reset(hypothesis.tokens_hint());
    hypothesis.for_each(
        #[inline(always)]
        |a, b| hyp_ids.push(vocab.intern(1, a, b, texts) + 1),
    );
    reference.for_each(
        #[inline(always)]
        |a, b| ref_ids.push(vocab.get(0, a, b, texts).map_or(0, |id| id + 1)),
    );
    let Ok(symbols) = u32::try_from(vocab.len()) else {
        return false;
    };
    if !trie.index(hyp_ids, symbols, max_order) {
        return false;
    }
    triples.clear();
    triples.resize(3 * max_order, 0.0);
    trie.clipped(ref_ids, triples);
    let (hyp_len, ref_len) = (hyp_ids.len(), ref_ids.len());
    out[0] = hyp_len as f64;
    out[1] = ref_len as f64;
    for (n, triple) in (1..=max_order).zip(triples.chunks_exact(3)) {
        out[2 + n - 1] = triple[2];
        out[2 + max_order + n - 1] = (hyp_len + 1).saturating_sub(n) as f64;
    }
    true
}

/// The tokens of one line for [`count_single_ref`]: byte ranges of [`TokenRanges::text`],
/// produced in order.
trait TokenRanges {
    /// The text the ranges index.
    fn text(&self) -> &str;
    /// A guess at the number of tokens (sizes the interner; more only grow it).
    fn tokens_hint(&self) -> usize;
    /// Calls `emit(start, end)` for every token, in order.
    fn for_each(&self, emit: impl FnMut(usize, usize));
}

/// A line already [`clean_13a`]-ed, tokenised by [`for_each_13a_token`] as it is read.
struct Scan13a<'a>(&'a str);

impl TokenRanges for Scan13a<'_> {
    fn text(&self) -> &str {
        self.0
    }

    fn tokens_hint(&self) -> usize {
        // Natural text has a token every 4 to 6 bytes.
        self.0.len() / 4 + 8
    }

    #[inline]
    fn for_each(&self, emit: impl FnMut(usize, usize)) {
        for_each_13a_token(self.0, emit);
    }
}

/// Tokens already cut: `(start, end)` byte ranges of `text`.
struct Ranges<'a> {
    text: &'a str,
    ranges: &'a [(u32, u32)],
}

impl TokenRanges for Ranges<'_> {
    fn text(&self) -> &str {
        self.text
    }

    fn tokens_hint(&self) -> usize {
        self.ranges.len()
    }

    #[inline]
    fn for_each(&self, mut emit: impl FnMut(usize, usize)) {
        for &(a, b) in self.ranges {
            emit(a as usize, b as usize);
        }
    }
}

/// A reference token: its hash, id and byte range in the segment's tokenised text.
type VocabEntry = (u64, u32, usize, usize);

#[inline]
fn token_at<'t>(text: &'t str, e: &VocabEntry) -> &'t str {
    text.get(e.2..e.3).unwrap_or("")
}

#[inline]
fn hash_token(t: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<crate::distance::FxHasher>::default().hash_one(t)
}

/// Per-thread buffers reused across segments.
#[derive(Default)]
struct Scratch {
    /// All tokenised lines of a segment, each followed by a space.
    text: String,
    /// One tokenised line.
    tok: String,
    /// One lower-cased line.
    lower: String,
    /// Byte ranges in `text` of the tokens of all lines.
    tokens: Vec<(u32, u32)>,
    /// Per line (references, then the hypothesis): its range in `tokens`.
    lines: Vec<(usize, usize)>,
    /// Token ids, then n-gram ids of the line being counted.
    ids: Vec<u32>,
    /// Reference tokens of the segment: (hash, id, start, end) with `start..end` in `text`.
    vocab: hashbrown::HashTable<VocabEntry>,
    /// (prefix id, last token id) -> n-gram id.
    pairs: FxHashMap<u64, u32>,
    /// Per id: maximum count in any reference.
    ref_max: Vec<u32>,
    /// Per id: count in the current reference, then matches used by the hypothesis.
    counts: Vec<u32>,
    /// Ids counted in the current reference.
    touched: Vec<u32>,
    /// Buffers of [`count_single_ref`].
    single: SingleRefScratch,
    /// Token keys and ranges of a hypothesis and its one reference, for [`count_short`].
    bits: BitScratch,
    /// Clipped matches per order from [`count_short`].
    correct: Vec<u64>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
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
        let mut out = Vec::with_capacity(self.num_stats());
        self.segment_stats_into(hyp, refs, &mut out);
        out
    }

    fn write_segment_stats(&self, hyp: &str, refs: &[&str], out: &mut [f64]) {
        self.write_stats(hyp, refs, out);
    }

    fn corpus_score(&self, stats: &[f64]) -> f64 {
        self.score_details(stats, self.effective_order).score
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn stats_layout_and_clipping() {
        let bleu = Bleu::default();
        // hyp tokens: the the the cat . ; ref: the cat sat . the
        let s = bleu.segment_stats("the the the cat.", &["the cat sat. the"]);
        // unigrams: the x3 (ref max 2) -> 2, cat 1, . 1 => 4 of 5
        // bigrams: "the the" x2 (0), "the cat" 1, "cat ." 0 => 1 of 4
        assert_eq!(s, vec![5.0, 5.0, 4.0, 1.0, 0.0, 0.0, 5.0, 4.0, 3.0, 2.0]);
        assert_eq!(bleu.stat_names().len(), s.len());
    }

    #[test]
    fn multi_reference_max_clip_and_closest_length() {
        let bleu = Bleu::default();
        // "a a a" vs refs "a b" (1 a) and "a a c d e" (2 a): clip by max = 2.
        let s = bleu.segment_stats("a a a", &["a b", "a a c d e"]);
        assert_eq!(s[2], 2.0);
        // hyp 3 tokens: |3-2| = 1, |3-5| = 2 -> 2.
        assert_eq!(s[1], 2.0);
        // Tie: hyp 3, refs of 2 and 4 -> the shorter.
        assert_eq!(closest_ref_len(3, &[4, 2]), 2);
        assert_eq!(closest_ref_len(3, &[2, 4]), 2);
        assert_eq!(closest_ref_len(3, &[]), 0);
        // A bigram seen once in each of two references is still clipped at 1.
        let s = bleu.segment_stats("x y x y", &["x y", "x y"]);
        assert_eq!(s[3], 1.0);
    }

    #[test]
    fn ngram_ids_do_not_collide_across_orders() {
        // Many distinct tokens so that token ids and n-gram ids interleave.
        let bleu = Bleu::default();
        let r = "a b c d e f g h i j k l";
        let s = bleu.segment_stats("a b c d x b c d e", &[r, "b c d e f g"]);
        let naive = naive_stats("a b c d x b c d e", &[r, "b c d e f g"], 4);
        assert_eq!(s, naive);
    }

    /// A deterministic pseudo-random number below `m` (xorshift64 on `state`).
    fn xorshift(state: &mut u64, m: u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state % m
    }

    /// Fewer than `max_len` pieces drawn from `pieces`, joined by a space (by two, one time in
    /// `double_space`, when that is not 0).
    fn random_line(state: &mut u64, pieces: &[&str], max_len: u64, double_space: u64) -> String {
        let len = xorshift(state, max_len);
        let words: Vec<&str> = (0..len)
            .map(|_| pieces[xorshift(state, pieces.len() as u64) as usize])
            .collect();
        let wide = double_space != 0 && xorshift(state, double_space) == 0;
        words.join(if wide { "  " } else { " " })
    }

    /// A slow, obviously correct twin of the counter (string n-grams, as sacreBLEU).
    fn naive_stats(hyp: &str, refs: &[&str], max_order: usize) -> Vec<f64> {
        fn ngrams(line: &str, max_order: usize) -> (HashMap<Vec<&str>, usize>, usize) {
            let toks: Vec<&str> = line.split_whitespace().collect();
            let mut m: HashMap<Vec<&str>, usize> = HashMap::new();
            for n in 1..=max_order {
                for w in toks.windows(n) {
                    *m.entry(w.to_vec()).or_default() += 1;
                }
            }
            (m, toks.len())
        }
        let mut ref_max: HashMap<Vec<&str>, usize> = HashMap::new();
        let mut lens = vec![];
        for r in refs {
            let (m, l) = ngrams(r, max_order);
            lens.push(l);
            for (k, v) in m {
                let e = ref_max.entry(k).or_default();
                *e = (*e).max(v);
            }
        }
        let (h, hl) = ngrams(hyp, max_order);
        let mut out = vec![0.0; 2 + 2 * max_order];
        out[0] = hl as f64;
        out[1] = closest_ref_len(hl, &lens) as f64;
        for (k, v) in h {
            let n = k.len();
            out[2 + max_order + n - 1] += v as f64;
            out[2 + n - 1] += v.min(ref_max.get(&k).copied().unwrap_or(0)) as f64;
        }
        out
    }

    #[test]
    fn single_reference_path_equals_general_path() {
        // One reference takes the fast paths (bit matrices, or the trie over 64 tokens), the
        // same reference twice the general one: the statistics must be equal (max clipping
        // over identical references changes nothing).
        let bleu = Bleu::default();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        const PIECES: [&str; 12] = [
            "the", "The", "war", "1,000", "U.S.", "«mir»", "—", "x-y", "3-4", "&amp;", "é", "a.b,",
        ];
        for _ in 0..2000 {
            let mut line = || random_line(&mut state, &PIECES, 30, 5);
            let hyp = line();
            let r = line();
            assert_eq!(
                bleu.segment_stats(&hyp, &[&r]),
                bleu.segment_stats(&hyp, &[&r, &r]),
                "{hyp:?} {r:?}"
            );
        }
        // A reference with 70,000 distinct tokens (the previous packed kernel's 16-bit ids
        // fell back there): same result.
        let r: String = (0..70_000).map(|i| format!("w{i} ")).collect();
        let hyp = "w1 w2 w3 w4 w69999 w5 w6 nope w7";
        let one = bleu.segment_stats(hyp, &[&r]);
        assert_eq!(one, bleu.segment_stats(hyp, &[&r, &r]));
        assert_eq!(&one[2..6], &[8.0, 4.0, 2.0, 1.0]);
        // A hypothesis that long is too big for the dense trie (the hashed one counts it).
        let long = bleu.segment_stats(&r, &[hyp]);
        assert_eq!(long, bleu.segment_stats(&r, &[hyp, hyp]));
        assert_eq!(&long[2..6], &[8.0, 4.0, 2.0, 1.0]);
    }

    #[test]
    fn bit_matrix_and_trie_counters_agree() {
        // The default path counts lines of up to 64 tokens a side by bit matrices and longer
        // ones with the trie: on short lines, the trie (called directly) must give the same.
        let mut state: u64 = 0x1234_5678_9abc_def1;
        const PIECES: [&str; 10] = [
            "the",
            "cat",
            "sat",
            "1,000",
            "U.S.",
            "«",
            "internationalisation",
            "é",
            "-",
            "x",
        ];
        let (mut single, mut bits, mut correct) = Default::default();
        let mut lengths = [0usize; 2];
        for max_order in [1, 2, 4, 5] {
            for _ in 0..500 {
                let mut line = || random_line(&mut state, &PIECES, 72, 0);
                let (hyp, r) = (line(), line());
                let mut trie = vec![0.0; 2 + 2 * max_order];
                assert!(count_single_ref(
                    Scan13a(&r),
                    Scan13a(&hyp),
                    max_order,
                    &mut single,
                    &mut trie
                ));
                let mut by_bits = vec![0.0; 2 + 2 * max_order];
                let bits: &mut BitScratch = &mut bits;
                bits.hyp.clear();
                bits.reference.clear();
                for_each_13a_token(&hyp, |a, b| bits.hyp.push(hyp.as_bytes(), a, b));
                for_each_13a_token(&r, |a, b| bits.reference.push(r.as_bytes(), a, b));
                let short = bits.hyp.len().max(bits.reference.len()) <= bitgrams::MAX_TOKENS;
                lengths[usize::from(short)] += 1;
                assert_eq!(
                    count_short(
                        r.as_bytes(),
                        hyp.as_bytes(),
                        bits,
                        &mut correct,
                        &mut by_bits
                    ),
                    short
                );
                if short {
                    assert_eq!(by_bits, trie, "{hyp:?} {r:?}");
                }
            }
        }
        // Both cases drawn: lines over 64 tokens (refused) and within.
        assert!(lengths[0] > 100 && lengths[1] > 500, "{lengths:?}");
    }

    #[test]
    fn tokenised_lines_split_on_python_whitespace() {
        // `none` keeps the line as it is; BLEU then splits it with `str.split()`: NBSP,
        // U+001C, tabs and runs of spaces separate tokens, U+200B does not.
        let bleu = Bleu {
            tokenizer: Tokenizer::None,
            ..Bleu::default()
        };
        let stats = bleu.segment_stats(" a\u{a0}b\u{1c}c  d\te\u{3000}", &["a b c d e"]);
        assert_eq!(stats, [5.0, 5.0, 5.0, 4.0, 3.0, 2.0, 5.0, 4.0, 3.0, 2.0]);
        let stats = bleu.segment_stats("a\u{200b}b c", &["a b c"]);
        assert_eq!(&stats[..3], [2.0, 3.0, 1.0]);
    }

    #[test]
    fn counter_matches_naive_twin_on_random_segments() {
        // Deterministic pseudo-random segments over a small vocabulary (many repeats).
        fn line(state: &mut u64, len: u64) -> String {
            const WORDS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];
            (0..len)
                .map(|_| WORDS[xorshift(state, WORDS.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        }
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for max_order in [1, 2, 4, 6] {
            let bleu = Bleu {
                tokenizer: Tokenizer::None,
                max_order,
                ..Bleu::default()
            };
            for _ in 0..300 {
                let len = xorshift(&mut state, 12);
                let hyp = line(&mut state, len);
                let nrefs = xorshift(&mut state, 3) + 1;
                let refs: Vec<String> = (0..nrefs)
                    .map(|_| {
                        let len = xorshift(&mut state, 12);
                        line(&mut state, len)
                    })
                    .collect();
                let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
                assert_eq!(
                    bleu.segment_stats(&hyp, &refs),
                    naive_stats(&hyp, &refs, max_order),
                    "{hyp:?} {refs:?}"
                );
            }
        }
    }

    #[test]
    fn empty_hypothesis_and_reference() {
        let bleu = Bleu::default();
        let s = bleu.segment_stats("", &["a b c"]);
        assert_eq!(s, vec![0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(bleu.corpus_score(&s), 0.0);
        assert_eq!(bleu.sentence_score(&s), 0.0);
        let s = bleu.segment_stats("a b c", &[""]);
        assert_eq!(s, vec![3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 2.0, 1.0, 0.0]);
        assert_eq!(bleu.sentence_score(&s), 0.0);
        let s = bleu.segment_stats("", &[""]);
        assert_eq!(bleu.sentence_score(&s), 0.0);
        // No reference at all: sacreBLEU fails; we give ref_len 0 and no matches.
        let s = bleu.segment_stats("a b", &[]);
        assert_eq!(s, vec![2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0]);
        // Trailing whitespace is stripped (rstrip), leading whitespace vanishes in tokenisation.
        assert_eq!(
            bleu.segment_stats("  a b \u{1f}\n", &["a b"]),
            bleu.segment_stats("a b", &["a b"])
        );
    }

    #[test]
    fn identical_sentence_is_100() {
        let bleu = Bleu::default();
        let s = bleu.segment_stats("The cat sat on the mat.", &["The cat sat on the mat."]);
        assert!(close(bleu.corpus_score(&s), 100.0));
        assert!(close(bleu.sentence_score(&s), 100.0));
    }

    #[test]
    fn lowercase_option() {
        let mut bleu = Bleu::default();
        let mixed = bleu.segment_stats("The CAT", &["the cat"]);
        assert_eq!(mixed[2], 0.0);
        bleu.lowercase = true;
        let lc = bleu.segment_stats("The CAT", &["the cat"]);
        assert_eq!(lc[2], 2.0);
        assert!(bleu.signature(1).contains("case:lc"));
    }

    // Hand-computed values from sacreBLEU's formulas. Stats: hyp_len 6, ref_len 7,
    // correct [4, 2, 0, 0], total [6, 5, 4, 3].
    const STATS: [f64; 10] = [6.0, 7.0, 4.0, 2.0, 0.0, 0.0, 6.0, 5.0, 4.0, 3.0];

    fn bleu_with(smooth: Smooth, effective_order: bool) -> Bleu {
        Bleu {
            smooth,
            effective_order,
            ..Bleu::default()
        }
    }

    #[test]
    fn smoothing_methods_by_hand() {
        let bp = (1.0f64 - 7.0 / 6.0).exp();
        let geo = |ps: &[f64]| {
            let logs: f64 = ps.iter().map(|&p| my_log(p)).sum();
            bp * (logs / ps.len() as f64).exp()
        };
        let p1 = 100.0 * 4.0 / 6.0;
        let p2 = 100.0 * 2.0 / 5.0;

        // exp: p3 = 100 / (2 * 4), p4 = 100 / (4 * 3).
        let exp = bleu_with(Smooth::Exp, false).corpus_score(&STATS);
        assert!(
            close(exp, geo(&[p1, p2, 100.0 / 8.0, 100.0 / 12.0])),
            "{exp}"
        );
        // floor 0.1: p3 = 100 * 0.1 / 4, p4 = 100 * 0.1 / 3.
        let floor = bleu_with(Smooth::Floor(0.1), false).corpus_score(&STATS);
        assert!(
            close(floor, geo(&[p1, p2, 10.0 / 4.0, 10.0 / 3.0])),
            "{floor}"
        );
        // add-k 1: orders >= 2 get +1: p2 = 3/6, p3 = 1/5, p4 = 1/4.
        let addk = bleu_with(Smooth::AddK(1.0), false).corpus_score(&STATS);
        assert!(close(addk, geo(&[p1, 50.0, 20.0, 25.0])), "{addk}");
        // none: log(0) = -9999999999 makes the score 0 ...
        let none = bleu_with(Smooth::None, false).corpus_score(&STATS);
        assert_eq!(none, 0.0);
        // ... also with effective order (the totals are non-zero, so all 4 orders count).
        assert_eq!(bleu_with(Smooth::None, true).corpus_score(&STATS), 0.0);
        // The numbers themselves (sacreBLEU 2.6.0 compute_bleu on these stats):
        assert!((exp - 19.433_094_436_376_08).abs() < 1e-9, "{exp}");
        assert!((floor - 10.335_094_640_592_34).abs() < 1e-9, "{floor}");
        assert!((addk - 30.414_436_445_480_18).abs() < 1e-9, "{addk}");
    }

    #[test]
    fn effective_order_and_zero_totals() {
        // A 2-token hypothesis: totals [2, 1, 0, 0], all matched.
        let stats = [2.0, 2.0, 2.0, 1.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0];
        // Effective order: geometric mean over 2 orders = 100.
        assert!(close(
            bleu_with(Smooth::Exp, true).corpus_score(&stats),
            100.0
        ));
        assert!(close(Bleu::default().sentence_score(&stats), 100.0));
        // Without it, orders 3 and 4 have precision 0 -> my_log floor -> 0.
        assert_eq!(Bleu::default().corpus_score(&stats), 0.0);
        // add-k turns zero totals into k, so nothing breaks the loop: p3 = p4 = 100.
        let addk = bleu_with(Smooth::AddK(1.0), false).corpus_score(&stats);
        assert!(close(addk, 100.0), "{addk}");
        // Brevity penalty with an empty side: sys_len 0 < ref_len -> bp 0.
        let d = Bleu::default()
            .score_details(&[0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], false);
        assert_eq!(d.bp, 0.0);
        // Short or empty stat vectors never panic.
        assert_eq!(Bleu::default().corpus_score(&[]), 0.0);
        assert_eq!(Bleu::default().corpus_score(&[1.0, 1.0, 1.0]), 0.0);
    }

    #[test]
    fn zero_max_order() {
        let bleu = Bleu {
            max_order: 0,
            ..Bleu::default()
        };
        let s = bleu.segment_stats("a b", &["a b"]);
        assert_eq!(s, vec![2.0, 2.0]);
        assert_eq!(bleu.corpus_score(&s), 0.0);
    }

    #[test]
    fn signature_and_smooth_names() {
        let b = Bleu::default();
        assert_eq!(
            b.signature(1),
            format!("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|compat:sacrebleu-2.6.0|version:mtharness-{VERSION}")
        );
        let b = Bleu {
            tokenizer: Tokenizer::Intl,
            lowercase: true,
            smooth: Smooth::Floor(Smooth::DEFAULT_FLOOR),
            effective_order: true,
            ..Bleu::default()
        };
        assert!(b
            .signature(2)
            .starts_with("nrefs:2|case:lc|eff:yes|tok:intl|smooth:floor[0.10]|"));
        assert_eq!(
            Smooth::from_name("add-k", None).unwrap().signature(),
            "add-k[1.00]"
        );
        assert_eq!(
            Smooth::from_name("floor", Some(0.25)).unwrap(),
            Smooth::Floor(0.25)
        );
        assert_eq!(Smooth::from_name("exp", None).unwrap(), Smooth::Exp);
        assert!(Smooth::from_name("exp", Some(1.0)).is_err());
        let e = Smooth::from_name("add_k", None).unwrap_err().to_string();
        assert!(e.contains("none, floor, add-k, exp"), "{e}");
        assert_eq!(b.name(), "BLEU");
        assert!(b.higher_is_better());
    }
}
