//! TER, translation edit rate (Snover et al., 2006), exactly as sacreBLEU 2.6.0 computes it
//! (sacrebleu/metrics/ter.py and lib_ter.py, a near-exact Tercom port): the minimum number of
//! word insertions, deletions, substitutions and block shifts that turn the hypothesis into a
//! reference, divided by the reference length.
//!
//! Pipeline of one segment: [`TercomTokenizer`] (after Python's `rstrip()`) -> words interned to
//! `u32` ids -> greedy shift search with sacreBLEU's limits (block size 10, distance 50,
//! 1000 evaluated candidates) over a banded edit distance (beam 25 around the pseudo-diagonal,
//! which changes results on long or unbalanced segments and is reproduced exactly) ->
//! statistics `[num_edits, ref_length]`.
//!
//! Multi-reference: the fewest edits over the references (the first on ties) and the *mean*
//! reference length (sacreBLEU `_compute_segment_statistics`). Corpus score:
//! `100 * sum(edits) / sum(ref_length)`; when the summed reference length is 0 the score is 100
//! if there are edits and 0 otherwise (sacreBLEU `_compute_score_from_stats`, issue #232).
//!
//! References are tokenised twice, hypotheses once, as in sacreBLEU 2.6.0: its
//! `Metric._cache_references` runs `TER._preprocess_segment` (rstrip, then the tokenizer) over
//! each reference, and `TER._extract_reference_info` runs it again over the result. Lower-casing
//! and whitespace splitting give the same words the second time, but Tercom normalisation
//! (`normalized`) does not: `Jim's, car.` becomes `jim's , car .` and then `jim 's , car .`,
//! so a hypothesis identical to its reference has TER 40 with `normalized` (`jim's , car .`
//! against `jim 's , car .`: 2 edits over 5 reference words). The second pass runs only when
//! `normalized` or `no_punct` is on (with neither it changes nothing).
//!
//! Cost: a pair of `n` hypothesis and `m` reference words takes O(n * m) memory (the forward
//! and backward matrices of the shift search) and O(rounds * n * band) time. Pairs with
//! `(n + 1) * (m + 2)` above [`MAX_TER_CELLS`] (about 2,000 words a side) are scored without
//! shift search: their edits are the banded edit distance, computed in O(n + m) memory, never
//! fewer than sacreBLEU's. [`unshifted_pairs`] counts them (the command line warns).
//!
//! Differences from sacreBLEU: none on results known below that size. With no reference at all
//! (sacreBLEU divides by zero) the segment is scored against one empty reference.

mod beam;
mod shift;
mod tokenizer;

#[cfg(test)]
mod reference;

use std::cell::RefCell;

pub use beam::TerOp;
pub use shift::{unshifted_pairs, Shift, MAX_TER_CELLS};
pub use tokenizer::TercomTokenizer;

use crate::distance::{FxHashMap, SpanInterner};
use crate::metrics::{copy_stats, NpFloat, SegmentMetric, VERSION};
use crate::text::tokenize::{for_each_py_word, rstrip_py};
use shift::TerEngine;

/// sacreBLEU's TER options. `Default` is sacreBLEU's default: no normalisation, punctuation
/// kept, no Asian support, lowercased.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ter {
    pub normalized: bool,
    pub no_punct: bool,
    pub asian_support: bool,
    pub case_sensitive: bool,
}

/// Edits of one hypothesis against one reference, with how they were found (for reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerAlignment {
    /// Number of edits: shifts plus insertions, deletions and substitutions after the shifts.
    pub edits: usize,
    /// The shifts, in the order they were applied.
    pub shifts: Vec<Shift>,
    /// Traceback of the shifted hypothesis against the reference, first word first:
    /// `Match`/`Substitution`/`Deletion` consume a hypothesis word, `Match`/`Substitution`/
    /// `Insertion` a reference word.
    pub ops: Vec<TerOp>,
    /// For each word of the shifted hypothesis, its position in the original hypothesis.
    pub shifted_hyp: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Per-thread buffers, so that scoring a segment allocates little.
#[derive(Default)]
struct Scratch {
    engine: TerEngine,
    hyp_text: String,
    ref_texts: Vec<String>,
    ids: Vec<u32>,
    perm: Vec<usize>,
    /// `ids[bounds[k]..bounds[k + 1]]` are the words of text `k` (hypothesis first).
    bounds: Vec<usize>,
    interner: SpanInterner,
}

/// Text `t` of a segment: 0 is the hypothesis, `k >= 1` reference `k - 1`.
fn segment_text<'t>(hyp: &'t str, refs: &'t [String], t: u32) -> &'t str {
    match t.checked_sub(1) {
        None => hyp,
        Some(k) => refs.get(k as usize).map_or("", String::as_str),
    }
}

/// Word ids in order of first appearance (the crate's FxHash map; HashDoS is not a concern
/// for one segment's words).
type Interner<'a> = FxHashMap<&'a str, u32>;

/// The ids of `hyp_words` followed by those of `ref_words`, equal words getting equal ids, for
/// the word-level entry points; the hypothesis' are `ids[..hyp_words.len()]`.
fn intern_pair(hyp_words: &[&str], ref_words: &[&str]) -> Vec<u32> {
    let mut map = Interner::default();
    let mut ids = Vec::with_capacity(hyp_words.len() + ref_words.len());
    for &w in hyp_words.iter().chain(ref_words) {
        let next = map.len() as u32;
        ids.push(*map.entry(w).or_insert(next));
    }
    ids
}

/// sacreBLEU `translation_edit_rate`: `(number of edits, reference length)` of tokenized
/// words. An empty reference gives `(hyp length, 0)`.
pub fn translation_edit_rate(hyp_words: &[&str], ref_words: &[&str]) -> (usize, usize) {
    let ids = intern_pair(hyp_words, ref_words);
    let (h, r) = ids.split_at(hyp_words.len());
    let mut engine = TerEngine::default();
    let mut perm = Vec::new();
    (engine.run(h, r, false, &mut perm).edits, r.len())
}

/// The edits of `hyp_words` against `ref_words` as sacreBLEU's TER finds them: the applied
/// shifts, the final traceback and the shifted word order. `edits` equals
/// [`translation_edit_rate`]'s. Past [`MAX_TER_CELLS`] there are no shifts and `ops` pairs
/// words by position (no matrix is kept to trace).
pub fn ter_alignment(hyp_words: &[&str], ref_words: &[&str]) -> TerAlignment {
    let ids = intern_pair(hyp_words, ref_words);
    let (h, r) = ids.split_at(hyp_words.len());
    let mut engine = TerEngine::default();
    let mut perm = Vec::new();
    let out = engine.run(h, r, true, &mut perm);
    TerAlignment {
        edits: out.edits,
        shifts: out.shifts,
        ops: engine.ops().to_vec(),
        shifted_hyp: perm,
    }
}

impl Ter {
    /// The tokenizer these options select.
    pub fn tokenizer(&self) -> TercomTokenizer {
        TercomTokenizer {
            normalized: self.normalized,
            no_punct: self.no_punct,
            asian_support: self.asian_support,
            case_sensitive: self.case_sensitive,
        }
    }

    /// sacreBLEU `_preprocess_segment`: the tokenized words of a raw segment, joined by spaces.
    /// What a hypothesis goes through.
    pub fn preprocess(&self, sent: &str) -> String {
        self.tokenizer().tokenize(rstrip_py(sent))
    }

    /// What sacreBLEU makes of a reference: [`Ter::preprocess`] twice (see the module docs).
    pub fn preprocess_reference(&self, sent: &str) -> String {
        self.preprocess(&self.preprocess(sent))
    }

    /// Whether the second tokenisation of references can change them: only normalisation and
    /// punctuation removal can; lower-casing and whitespace splitting give the same words again.
    fn retokenizes_references(&self) -> bool {
        self.normalized || self.no_punct
    }

    /// `[fewest edits over the references, mean reference length]`. O(words) for tokenizing
    /// and interning plus the shift search per reference.
    fn stats(&self, hyp: &str, refs: &[&str]) -> [f64; 2] {
        let tok = self.tokenizer();
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let s = &mut *guard;
            tok.tokenize_into(rstrip_py(hyp), &mut s.hyp_text);
            let nrefs = refs.len().max(1);
            if s.ref_texts.len() < nrefs {
                s.ref_texts.resize_with(nrefs, String::new);
            }
            for (k, text) in s.ref_texts[..nrefs].iter_mut().enumerate() {
                // no reference at all: one empty reference (sacreBLEU would divide by zero)
                let raw = rstrip_py(refs.get(k).copied().unwrap_or(""));
                if self.retokenizes_references() {
                    tok.tokenize_into(&tok.tokenize(raw), text);
                } else {
                    tok.tokenize_into(raw, text);
                }
            }
            let Scratch {
                engine,
                hyp_text,
                ref_texts,
                ids,
                perm,
                bounds,
                interner,
            } = s;
            let refs_used = &ref_texts[..nrefs];
            let texts = |t: u32| segment_text(hyp_text, refs_used, t);
            interner
                .reset((hyp_text.len() + refs_used.iter().map(String::len).sum::<usize>()) / 4 + 8);
            ids.clear();
            bounds.clear();
            bounds.push(0);
            for t in 0..=nrefs as u32 {
                for_each_py_word(texts(t), |a, b| ids.push(interner.intern(t, a, b, texts)));
                bounds.push(ids.len());
            }
            let n = bounds[1];
            let mut best: Option<usize> = None;
            let mut ref_lengths = 0usize;
            for w in bounds[1..].windows(2) {
                let r = &ids[w[0]..w[1]];
                let edits = engine.run(&ids[..n], r, false, perm).edits;
                ref_lengths += r.len();
                if best.is_none_or(|b| edits < b) {
                    best = Some(edits);
                }
            }
            [best.unwrap_or(0) as f64, ref_lengths as f64 / nrefs as f64]
        })
    }
}

impl SegmentMetric for Ter {
    fn name(&self) -> String {
        "TER".to_string()
    }

    fn stat_names(&self) -> Vec<String> {
        vec!["num_edits".to_string(), "ref_length".to_string()]
    }

    fn segment_stats(&self, hyp: &str, refs: &[&str]) -> Vec<f64> {
        self.stats(hyp, refs).to_vec()
    }

    /// The two statistics written in place (no allocation once the thread's scratch has
    /// grown).
    fn write_segment_stats(&self, hyp: &str, refs: &[&str], out: &mut [f64]) {
        copy_stats(&self.stats(hyp, refs), out);
    }

    fn corpus_score(&self, stats: &[f64]) -> f64 {
        let edits = stats.first().copied().unwrap_or(0.0);
        let ref_len = stats.get(1).copied().unwrap_or(0.0);
        let rate = if ref_len > 0.0 {
            edits / ref_len
        } else if edits > 0.0 {
            1.0 // empty reference(s), non-empty hypothesis (sacreBLEU issue #232)
        } else {
            0.0 // both empty
        };
        100.0 * rate
    }

    /// `TER._compute_score_from_stats` on `float32` statistics: `100 * edits / ref_len` in
    /// single precision.
    fn resampled_score(&self, stats: &[f64]) -> NpFloat {
        let edits = stats.first().copied().unwrap_or(0.0);
        let ref_len = stats.get(1).copied().unwrap_or(0.0);
        let rate = if ref_len > 0.0 {
            NpFloat::F32(edits as f32) / NpFloat::F32(ref_len as f32)
        } else if edits > 0.0 {
            NpFloat::Py(1.0)
        } else {
            NpFloat::Py(0.0)
        };
        NpFloat::Py(100.0) * rate
    }

    /// sacreBLEU's TER signature with our version:
    /// `nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:mtharness-0.1.0`.
    fn signature(&self, nrefs: usize) -> String {
        let yn = |b: bool| if b { "yes" } else { "no" };
        format!(
            "nrefs:{nrefs}|case:{}|tok:tercom|norm:{}|punct:{}|asian:{}|version:mtharness-{VERSION}",
            if self.case_sensitive { "mixed" } else { "lc" },
            yn(self.normalized),
            yn(!self.no_punct),
            yn(self.asian_support),
        )
    }

    fn higher_is_better(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn two_row_distance_equals_the_matrix_and_long_pairs_use_it() {
        let mut x = 12345u64;
        let mut word = |vocab: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) % vocab) as u32
        };
        let mut ed = beam::BeamEditDistance::default();
        for (n, m) in [
            (0, 3),
            (3, 0),
            (1, 1),
            (7, 90),
            (90, 7),
            (60, 61),
            (300, 280),
        ] {
            let h: Vec<u32> = (0..n).map(|_| word(6)).collect();
            let r: Vec<u32> = (0..m).map(|_| word(6)).collect();
            let two_rows = ed.distance(&h, &r);
            ed.reset(n, m);
            assert_eq!(two_rows, ed.forward(&h, &r, 0), "{n} x {m}");
        }
        // Past the cell budget: no shift, the banded distance; ops pair words by position.
        let n = 2100;
        let h: Vec<u32> = (0..n).map(|_| word(40)).collect();
        let r: Vec<u32> = h.iter().rev().copied().collect();
        assert!((n + 1) * (n + 2) > MAX_TER_CELLS);
        let before = unshifted_pairs();
        let mut engine = TerEngine::default();
        let mut perm = Vec::new();
        let out = engine.run(&h, &r, true, &mut perm);
        assert!(out.shifts.is_empty() && unshifted_pairs() > before);
        assert_eq!(out.edits as u32, ed.distance(&h, &r));
        assert_eq!(engine.ops().len(), n);
        assert_eq!(perm, (0..n).collect::<Vec<_>>());
    }

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    fn score(hyp: &str, refs: &[&str]) -> f64 {
        let t = Ter::default();
        t.sentence_score(&t.segment_stats(hyp, refs))
    }

    #[test]
    fn edge_cases() {
        // empty hypothesis: every reference word is an insertion
        assert_eq!(Ter::default().segment_stats("", &["a b c"]), vec![3.0, 3.0]);
        assert_eq!(score("", &["a b c"]), 100.0);
        // empty reference, non-empty hypothesis: 100 (sacreBLEU issue #232)
        assert_eq!(Ter::default().segment_stats("a b", &[""]), vec![2.0, 0.0]);
        assert_eq!(score("a b", &[""]), 100.0);
        // both empty (or whitespace only): 0
        assert_eq!(score("", &[""]), 0.0);
        assert_eq!(score(" \t", &["\u{1f}"]), 0.0);
        // identical, up to case (lowercased by default)
        assert_eq!(score("The cat sat.", &["the cat sat."]), 0.0);
        let cs = Ter {
            case_sensitive: true,
            ..Ter::default()
        };
        assert_eq!(cs.segment_stats("The cat", &["the cat"]), vec![1.0, 2.0]);
        // no reference at all: scored against an empty one
        assert_eq!(Ter::default().segment_stats("a", &[]), vec![1.0, 0.0]);
    }

    #[test]
    fn references_are_tokenised_twice_like_sacrebleu() {
        // TER(**opts)._extract_corpus_statistics([hyp], [[ref]]) with sacreBLEU 2.6.0
        let opts = |normalized, no_punct, asian_support, case_sensitive| Ter {
            normalized,
            no_punct,
            asian_support,
            case_sensitive,
        };
        let jim = "Jim's, car.";
        let cases = [
            (opts(true, false, false, false), jim, jim, [2.0, 5.0]),
            (opts(true, false, true, false), jim, jim, [2.0, 5.0]),
            (opts(true, false, false, true), jim, jim, [2.0, 5.0]),
            (opts(true, true, false, false), jim, jim, [2.0, 3.0]),
            (opts(false, true, false, false), jim, jim, [0.0, 2.0]),
            (opts(true, false, false, false), "x", jim, [5.0, 5.0]),
            (opts(true, true, false, false), "x", jim, [3.0, 3.0]),
            (
                opts(true, false, false, false),
                "The cat sat on the mat.",
                "The cat, it sat on the mat!",
                [3.0, 9.0],
            ),
            (
                opts(true, true, false, false),
                "The cat sat on the mat.",
                "The cat, it sat on the mat!",
                [1.0, 7.0],
            ),
            (
                opts(true, false, false, false),
                "It costs $5.50 (approx.) - ok?",
                "It costs $5.50 (approx.) - ok?",
                [0.0, 11.0],
            ),
            (
                opts(true, false, true, false),
                "我们的车。",
                "我们的车。",
                [0.0, 5.0],
            ),
            (
                opts(true, false, false, false),
                "A &amp;amp; B",
                "A &amp;amp; B",
                [0.0, 5.0],
            ),
            (
                opts(true, true, false, false),
                "A &amp;amp; B",
                "A &amp;amp; B",
                [0.0, 4.0],
            ),
        ];
        for (ter, hyp, reference, expected) in cases {
            assert_eq!(
                ter.segment_stats(hyp, &[reference]),
                expected,
                "{ter:?} {hyp:?} {reference:?}"
            );
        }
        let ter = opts(true, false, false, false);
        assert_eq!(ter.preprocess(jim), "jim's , car .");
        assert_eq!(ter.preprocess_reference(jim), "jim 's , car .");
        assert_eq!(ter.sentence_score(&ter.segment_stats(jim, &[jim])), 40.0);
    }

    #[test]
    fn multi_reference_takes_fewest_edits_and_mean_length() {
        let s = Ter::default().segment_stats("a b c", &["a b c d e", "x y"]);
        assert_eq!(s, vec![2.0, 3.5]);
    }

    #[test]
    fn hand_checked_shift() {
        // "b c d a" -> "a b c d": without shifts 2 edits (insert a, delete a); moving "a"
        // (position 3, one word) to the front costs 1 shift and leaves 0 edits.
        let al = ter_alignment(&words("b c d a"), &words("a b c d"));
        assert_eq!(al.edits, 1);
        assert_eq!(
            al.shifts,
            vec![Shift {
                start: 3,
                length: 1,
                target: 0
            }]
        );
        assert_eq!(al.shifted_hyp, vec![3, 0, 1, 2]);
        assert_eq!(al.ops, vec![TerOp::Match; 4]);
        // a block of three moved as one shift, plus one substitution
        let al = ter_alignment(&words("d e f x a b c"), &words("a b c d e f y"));
        assert_eq!(al.edits, 2);
        assert_eq!(al.shifts.len(), 1);
        assert_eq!(al.shifts[0].length, 3);
        assert_eq!(
            al.ops.iter().filter(|&&o| o == TerOp::Substitution).count(),
            1
        );
    }

    #[test]
    fn signature_and_name() {
        let t = Ter::default();
        assert_eq!(
            t.signature(1),
            format!(
                "nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:mtharness-{VERSION}"
            )
        );
        let t = Ter {
            normalized: true,
            no_punct: true,
            asian_support: true,
            case_sensitive: true,
        };
        assert!(t
            .signature(2)
            .starts_with("nrefs:2|case:mixed|tok:tercom|norm:yes|punct:no|asian:yes|"));
        assert_eq!(t.name(), "TER");
        assert!(!t.higher_is_better());
        assert_eq!(t.corpus_score(&[3.0, 0.0]), 100.0);
        assert_eq!(t.corpus_score(&[0.0, 0.0]), 0.0);
        assert_eq!(t.corpus_score(&[1.0, 4.0]), 25.0);
    }

    #[test]
    fn very_unbalanced_lengths_widen_the_beam() {
        // ratio m/n > 50 takes sacreBLEU's widened beam branch
        let h = words("a b");
        let r: Vec<String> = (0..130).map(|k| format!("w{}", k % 7)).collect();
        let r = strs(&r);
        assert_eq!(
            translation_edit_rate(&h, &r).0,
            reference::translation_edit_rate(&h, &r).0
        );
        assert_eq!(
            translation_edit_rate(&r, &h).0,
            reference::translation_edit_rate(&r, &h).0
        );
    }

    fn sentence(vocab: usize, max_len: usize) -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec((0..vocab).prop_map(|k| format!("w{k}")), 0..max_len)
    }

    /// The words of a generated sentence as the functions under test take them.
    fn strs(words: &[String]) -> Vec<&str> {
        words.iter().map(String::as_str).collect()
    }

    /// The fast engine's edit count and exact shifts (start, length, target) against the slow
    /// twin's; returns the edit count.
    fn fast_matches_slow(h: &[&str], r: &[&str]) -> Result<usize, TestCaseError> {
        let (slow_edits, slow_shifts) = reference::translation_edit_rate(h, r);
        let al = ter_alignment(h, r);
        prop_assert_eq!(al.edits, slow_edits);
        let fast_shifts: Vec<_> = al
            .shifts
            .iter()
            .map(|s| (s.start, s.length, s.target))
            .collect();
        prop_assert_eq!(fast_shifts, slow_shifts);
        Ok(slow_edits)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The fast engine (forward/backward matrices, stamps) agrees with the slow twin on
        /// edit counts and on the exact shifts applied.
        #[test]
        fn fast_equals_slow_twin(h in sentence(5, 30), r in sentence(5, 30)) {
            let (h, r) = (strs(&h), strs(&r));
            let slow_edits = fast_matches_slow(&h, &r)?;
            prop_assert_eq!(translation_edit_rate(&h, &r).0, slow_edits);
            // identical sentences take the early exit
            let same = ter_alignment(&h, &h);
            prop_assert_eq!(same.edits, reference::translation_edit_rate(&h, &h).0);
            prop_assert!(same.ops.iter().all(|&o| o == TerOp::Match));
            prop_assert_eq!(same.ops.len(), h.len());
        }

        /// The traceback is consistent: it consumes both sentences, and its edits plus the
        /// shifts make the edit count.
        #[test]
        fn alignment_is_consistent(h in sentence(4, 25), r in sentence(4, 25)) {
            let (h, r) = (strs(&h), strs(&r));
            let al = ter_alignment(&h, &r);
            let consumed_h = al.ops.iter().filter(|&&o| o != TerOp::Insertion).count();
            let consumed_r = al.ops.iter().filter(|&&o| o != TerOp::Deletion).count();
            prop_assert_eq!(consumed_h, h.len());
            prop_assert_eq!(consumed_r, r.len());
            let errors = al.ops.iter().filter(|&&o| o != TerOp::Match).count();
            prop_assert_eq!(errors + al.shifts.len(), al.edits);
            let mut sorted = al.shifted_hyp.clone();
            sorted.sort_unstable();
            prop_assert_eq!(sorted, (0..h.len()).collect::<Vec<_>>());
            // matches pair equal words of the shifted hypothesis and the reference
            let (mut i, mut j) = (0, 0);
            for op in &al.ops {
                match op {
                    TerOp::Match | TerOp::Substitution => {
                        prop_assert_eq!(h[al.shifted_hyp[i]] == r[j], *op == TerOp::Match);
                        i += 1;
                        j += 1;
                    }
                    TerOp::Deletion => i += 1,
                    TerOp::Insertion => j += 1,
                }
            }
        }
    }

    /// A reference and a hypothesis made from it by moving phrases and substituting words: many
    /// shift candidates with positive gains, several targets per moved block.
    fn shuffled_pair(
        vocab: usize,
        max_len: usize,
    ) -> impl Strategy<Value = (Vec<String>, Vec<String>)> {
        (
            sentence(vocab, max_len),
            prop::collection::vec((0..1000usize, 1..12usize, 0..1000usize), 0..5),
            prop::collection::vec((0..1000usize, 0..vocab + 3), 0..4),
        )
            .prop_map(|(r, moves, subs)| {
                let mut h = r.clone();
                for (from, len, to) in moves {
                    if h.is_empty() {
                        break;
                    }
                    let from = from % h.len();
                    let len = len.min(h.len() - from);
                    let block: Vec<String> = h.drain(from..from + len).collect();
                    let to = to % (h.len() + 1);
                    h.splice(to..to, block);
                }
                for (at, w) in subs {
                    if !h.is_empty() {
                        let at = at % h.len();
                        h[at] = format!("w{w}");
                    }
                }
                (h, r)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]

        /// Moved phrases, short and long (past the band's 25 words): same edits and shifts.
        #[test]
        fn fast_equals_slow_twin_moved_phrases((h, r) in shuffled_pair(8, 70)) {
            let (h, r) = (strs(&h), strs(&r));
            fast_matches_slow(&h, &r)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]

        /// Long, repetitive sentences exercise the band, the distance limit and the budget.
        #[test]
        fn fast_equals_slow_twin_long(h in sentence(3, 90), r in sentence(3, 90)) {
            let (h, r) = (strs(&h), strs(&r));
            prop_assert_eq!(translation_edit_rate(&h, &r).0, reference::translation_edit_rate(&h, &r).0);
        }
    }
}
