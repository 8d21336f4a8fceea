//! Word and character error rates, faithful to jiwer 4.0.0 (`process_words`) and rapidfuzz
//! 3.14.6 (`Levenshtein.distance` on code points).
//!
//! # Word metrics: WER, MER, WIL, WIP
//! One hypothesis against the **first** reference only (the shared oracle ran jiwer on
//! reference A; jiwer has no multi-reference mode). Text goes through jiwer's default transform
//! `wer_default` ([`jiwer_words`]), words are interned to `u32` ids, and the alignment is the
//! one rapidfuzz's `Levenshtein.opcodes(ref, hyp)` reports ([`crate::distance::edit_counts`]),
//! so the counts — not only their sum — equal jiwer's.
//!
//! Statistics (additive): `[hits, substitutions, deletions, insertions]`. With
//! `N_ref = H+S+D` and `N_hyp = H+S+I`, micro-averaged over summed counts like jiwer:
//! - WER = (S+D+I) / N_ref
//! - MER = (S+D+I) / (H+S+D+I)
//! - WIP = (H / N_ref) * (H / N_hyp), 0 when `N_hyp = 0`; WIL = 1 - WIP
//!
//! jiwer's empty-reference case (`process.py`, checked in the 4.0.0 source; it does not raise):
//! when `N_ref = 0`, WER = I (a count, not a rate: jiwer returns `num_insertions`), MER = 0 and
//! WIP = 1 if the hypothesis is empty too, else MER = 1 and WIP = 0.
//!
//! Scores are reported in percent (jiwer's value times 100, as the oracle's `systems.csv` does),
//! so an empty reference with 3 inserted words scores WER 300.
//!
//! # Character metrics: CER, CharSim
//! Code-point Levenshtein on the raw lines (no transform, no strip: exactly what the oracle's
//! `make_oracle.py` computes with rapidfuzz; `jiwer.cer` would strip the ends first), first
//! reference only. Statistics `[char_edits, ref_chars, hyp_chars]`.
//! - CER = sum edits / sum reference chars * 100; with no reference characters at all, jiwer's
//!   convention applies: CER = sum edits * 100 (edits are then the inserted characters).
//! - CharSim = 100 * (1 - sum edits / sum max(ref_chars, hyp_chars)): rapidfuzz's
//!   `normalized_similarity` (distance over the maximum possible distance, which is the longer
//!   length at unit costs), micro-averaged over the corpus; 100 when every line is empty.

use std::cell::RefCell;

use crate::distance::{char_levenshtein_lengths, dense_edit_counts};
use crate::distance::{EditCounts, SpanInterner};
use crate::metrics::{copy_stats, SegmentMetric, VERSION};
use crate::text::tokenize::{py_space_width, skip_py_word_bytes, BYTE_WORD, PY_SPACE_CLASS};

/// jiwer's `str.isspace()` / `re` `\s` on `str`: Unicode `White_Space` plus the four
/// information separators U+001C..U+001F (bidirectional class B/S), which Python also counts.
#[cfg(test)]
use crate::text::tokenize::is_python_whitespace as is_py_space;

/// Words of `s` as jiwer 4.0.0's default transform `wer_default` yields them:
/// `RemoveMultipleSpaces` (`re.sub(r"\s\s+", " ", s)`), `Strip` (`s.strip()`),
/// `ReduceToListOfListOfWords` (`s.split(" ")`, empty words dropped).
///
/// Consequences worth knowing: only runs of two or more whitespace characters and single
/// spaces separate words; a *single* tab or no-break space between two words does not, so
/// `"a\tb"` is one word (`"a\tb"`) while `"a\t\tb"` and `"a \tb"` are two. Leading and trailing
/// whitespace of any kind is stripped. An empty or all-whitespace line has no words.
///
/// Appends to `out` (caller-owned, cleared first). O(|s|).
pub fn jiwer_words<'a>(s: &'a str, out: &mut Vec<&'a str>) {
    out.clear();
    jiwer_word_spans(s, |start, end| out.push(&s[start..end]));
}

/// The byte ranges of [`jiwer_words`]`(s)`, in order, passed to `emit(start, end)`.
/// Scanned byte by byte ([`jiwer_word_spans_bytes`]); [`jiwer_word_spans_chars`] is its
/// code-point oracle in the tests.
fn jiwer_word_spans(s: &str, emit: impl FnMut(usize, usize)) {
    jiwer_word_spans_bytes(s, emit);
}

/// [`jiwer_word_spans_chars`] scanning bytes: a byte that starts no whitespace character is
/// part of a word, so only whitespace runs look at characters. O(|s|).
fn jiwer_word_spans_bytes(s: &str, mut emit: impl FnMut(usize, usize)) {
    let n = s.len();
    let bytes = s.as_bytes();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < n {
        // The common separator: one space followed by a byte that starts no whitespace.
        if bytes[i] == b' '
            && bytes
                .get(i + 1)
                .is_some_and(|&b| PY_SPACE_CLASS[usize::from(b)] == BYTE_WORD)
        {
            if let Some(st) = start.take() {
                emit(st, i);
            }
            i += 1;
            continue;
        }
        let w = py_space_width(s, i);
        if w == 0 {
            if start.is_none() {
                start = Some(i);
            }
            // The rest of the word: bytes of class 0 cannot start whitespace.
            i = skip_py_word_bytes(bytes, i + 1);
            continue;
        }
        // A whitespace run starts at `i`: find its end, counting characters.
        let first_is_space = s.as_bytes()[i] == b' ';
        let mut end = i + w;
        let mut run = 1usize;
        while end < n {
            let w = py_space_width(s, end);
            if w == 0 {
                break;
            }
            end += w;
            run += 1;
        }
        if run >= 2 || first_is_space || start.is_none() || end == n {
            // Separator (collapsed to one space, or a space, or stripped at an end).
            if let Some(st) = start.take() {
                emit(st, i);
            }
        }
        // Otherwise a single non-space whitespace character inside a word: part of it.
        i = end;
    }
    if let Some(st) = start {
        emit(st, n);
    }
}

/// The general word splitter on code points (the reference the byte scanner is tested
/// against). O(|s|).
#[cfg(test)]
fn jiwer_word_spans_chars(s: &str, mut emit: impl FnMut(usize, usize)) {
    let mut start: Option<usize> = None; // start of the current word
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_py_space(c) {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        // A whitespace run starts at `i`; find its end.
        let mut end = i + c.len_utf8();
        let mut run = 1usize;
        while let Some(&(j, d)) = chars.peek() {
            if !is_py_space(d) {
                break;
            }
            end = j + d.len_utf8();
            run += 1;
            chars.next();
        }
        let at_edge = start.is_none() || end == s.len();
        if run >= 2 || c == ' ' || at_edge {
            // Separator (collapsed to one space, or a space, or stripped at an end).
            if let Some(st) = start.take() {
                emit(st, i);
            }
        }
        // Otherwise a single non-space whitespace char inside a word: part of the word.
    }
    if let Some(st) = start {
        emit(st, s.len());
    }
}

/// Per-thread buffers of [`word_counts`].
#[derive(Default)]
struct WordScratch {
    spans: [Vec<(usize, usize)>; 2],
    ids: [Vec<u32>; 2],
    interner: SpanInterner,
}

thread_local! {
    static WORD_SCRATCH: RefCell<WordScratch> = RefCell::new(WordScratch::default());
}

/// jiwer's counts for one reference/hypothesis pair under `wer_default`.
/// Words are interned to dense `u32` ids per pair (ids only need to compare equal within it),
/// then counted by [`dense_edit_counts`]. No allocation once the per-thread buffers have grown.
pub fn word_counts(reference: &str, hypothesis: &str) -> EditCounts {
    let texts = [reference, hypothesis];
    WORD_SCRATCH.with(|cell| {
        let mut guard = cell.borrow_mut();
        let s = &mut *guard;
        for (side, text) in texts.iter().enumerate() {
            let spans = &mut s.spans[side];
            spans.clear();
            jiwer_word_spans(text, |a, b| spans.push((a, b)));
        }
        s.interner.reset(s.spans[0].len() + s.spans[1].len());
        for side in 0..2 {
            let ids = &mut s.ids[side];
            ids.clear();
            for &(a, b) in &s.spans[side] {
                ids.push(s.interner.intern(side as u32, a, b, |t| texts[t as usize]));
            }
        }
        dense_edit_counts(&s.ids[0], &s.ids[1])
    })
}

/// Which of jiwer's word measures a [`WordMetric`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordMeasure {
    /// Word error rate.
    Wer,
    /// Match error rate.
    Mer,
    /// Word information lost.
    Wil,
    /// Word information preserved (higher is better).
    Wip,
}

impl WordMeasure {
    pub const ALL: [WordMeasure; 4] = [
        WordMeasure::Wer,
        WordMeasure::Mer,
        WordMeasure::Wil,
        WordMeasure::Wip,
    ];

    pub fn name(self) -> &'static str {
        match self {
            WordMeasure::Wer => "WER",
            WordMeasure::Mer => "MER",
            WordMeasure::Wil => "WIL",
            WordMeasure::Wip => "WIP",
        }
    }
}

/// Names of the word statistics, in order.
pub const WORD_STATS: [&str; 4] = ["hits", "substitutions", "deletions", "insertions"];

/// A jiwer word measure over the first reference (see the module docs). All four measures
/// share the statistics `[hits, substitutions, deletions, insertions]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordMetric {
    pub measure: WordMeasure,
}

impl WordMetric {
    pub fn new(measure: WordMeasure) -> WordMetric {
        WordMetric { measure }
    }
    pub fn wer() -> WordMetric {
        WordMetric::new(WordMeasure::Wer)
    }
}

/// jiwer 4.0.0's measures (as fractions) from summed `[H, S, D, I]`, `process.py` edge cases
/// included. Returns `(wer, mer, wil, wip)`.
pub fn jiwer_measures(stats: &[f64]) -> (f64, f64, f64, f64) {
    let get = |k: usize| stats.get(k).copied().unwrap_or(0.0);
    let (h, s, d, i) = (get(0), get(1), get(2), get(3));
    let n_ref = h + s + d;
    let n_hyp = h + s + i;
    let (wer, mer, wip) = if n_ref == 0.0 {
        if n_hyp == 0.0 {
            (i, 0.0, 1.0)
        } else {
            (i, 1.0, 0.0)
        }
    } else {
        let wip = if n_hyp >= 1.0 {
            (h / n_ref) * (h / n_hyp)
        } else {
            0.0
        };
        ((s + d + i) / n_ref, (s + d + i) / (h + s + d + i), wip)
    };
    (wer, mer, 1.0 - wip, wip)
}

/// The first reference, or the empty string when there is none (then every hypothesis word
/// is an insertion, as jiwer counts an empty reference).
fn first_ref<'a>(refs: &[&'a str]) -> &'a str {
    refs.first().copied().unwrap_or("")
}

/// `[hits, substitutions, deletions, insertions]` of `hyp` against the first reference.
fn word_stats(hyp: &str, refs: &[&str]) -> [f64; 4] {
    let c = word_counts(first_ref(refs), hyp);
    [
        c.hits as f64,
        c.substitutions as f64,
        c.deletions as f64,
        c.insertions as f64,
    ]
}

impl SegmentMetric for WordMetric {
    fn name(&self) -> String {
        self.measure.name().to_string()
    }

    fn stat_names(&self) -> Vec<String> {
        WORD_STATS.iter().map(|s| s.to_string()).collect()
    }

    fn segment_stats(&self, hyp: &str, refs: &[&str]) -> Vec<f64> {
        word_stats(hyp, refs).to_vec()
    }

    /// The four counts written in place (no allocation).
    fn write_segment_stats(&self, hyp: &str, refs: &[&str], out: &mut [f64]) {
        copy_stats(&word_stats(hyp, refs), out);
    }

    fn corpus_score(&self, stats: &[f64]) -> f64 {
        let (wer, mer, wil, wip) = jiwer_measures(stats);
        100.0
            * match self.measure {
                WordMeasure::Wer => wer,
                WordMeasure::Mer => mer,
                WordMeasure::Wil => wil,
                WordMeasure::Wip => wip,
            }
    }

    /// `nrefs:N|ref:first|transform:jiwer-default|compat:jiwer-4.0.0|version:mtharness-X`
    /// (the same for WER, MER, WIL and WIP: the metric name stands beside it in every report).
    fn signature(&self, nrefs: usize) -> String {
        format!(
            "nrefs:{nrefs}|ref:first|transform:jiwer-default|compat:jiwer-4.0.0|version:mtharness-{VERSION}"
        )
    }

    fn higher_is_better(&self) -> bool {
        self.measure == WordMeasure::Wip
    }
}

/// Names of the character statistics, in order.
pub const CHAR_STATS: [&str; 3] = ["char_edits", "ref_chars", "hyp_chars"];

/// Character statistics of one pair: `[edits, ref code points, hyp code points]`.
/// Symmetric distance, so the pair is passed reference first; code-point lengths come from the
/// kernel's own scan.
fn char_stats(hyp: &str, reference: &str) -> [f64; 3] {
    let (edits, ref_chars, hyp_chars) = char_levenshtein_lengths(reference, hyp);
    [edits as f64, ref_chars as f64, hyp_chars as f64]
}

/// [`CharSim`]'s statistics `[char_edits, max_chars]`.
fn char_sim_stats(hyp: &str, reference: &str) -> [f64; 2] {
    let s = char_stats(hyp, reference);
    [s[0], s[1].max(s[2])]
}

/// Character error rate on code points of the raw lines, first reference (module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cer;

impl SegmentMetric for Cer {
    fn name(&self) -> String {
        "CER".to_string()
    }

    fn stat_names(&self) -> Vec<String> {
        CHAR_STATS.iter().map(|s| s.to_string()).collect()
    }

    fn segment_stats(&self, hyp: &str, refs: &[&str]) -> Vec<f64> {
        char_stats(hyp, first_ref(refs)).to_vec()
    }

    /// The three counts written in place (no allocation).
    fn write_segment_stats(&self, hyp: &str, refs: &[&str], out: &mut [f64]) {
        copy_stats(&char_stats(hyp, first_ref(refs)), out);
    }

    fn corpus_score(&self, stats: &[f64]) -> f64 {
        let edits = stats.first().copied().unwrap_or(0.0);
        let ref_chars = stats.get(1).copied().unwrap_or(0.0);
        if ref_chars == 0.0 {
            100.0 * edits // jiwer: an empty reference scores the insertions themselves
        } else {
            100.0 * edits / ref_chars
        }
    }

    /// `nrefs:N|ref:first|unit:codepoints|transform:none|compat:rapidfuzz-3.14.6|version:mtharness-X`.
    fn signature(&self, nrefs: usize) -> String {
        format!(
            "nrefs:{nrefs}|ref:first|unit:codepoints|transform:none|compat:rapidfuzz-3.14.6|version:mtharness-{VERSION}"
        )
    }

    fn higher_is_better(&self) -> bool {
        false
    }
}

/// Character Levenshtein similarity, rapidfuzz `normalized_similarity` micro-averaged:
/// `100 * (1 - sum edits / sum max(ref_chars, hyp_chars))`. Statistics `[char_edits, max_chars]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CharSim;

impl SegmentMetric for CharSim {
    fn name(&self) -> String {
        "CharSim".to_string()
    }

    fn stat_names(&self) -> Vec<String> {
        vec!["char_edits".to_string(), "max_chars".to_string()]
    }

    fn segment_stats(&self, hyp: &str, refs: &[&str]) -> Vec<f64> {
        char_sim_stats(hyp, first_ref(refs)).to_vec()
    }

    /// The two statistics written in place (no allocation).
    fn write_segment_stats(&self, hyp: &str, refs: &[&str], out: &mut [f64]) {
        copy_stats(&char_sim_stats(hyp, first_ref(refs)), out);
    }

    fn corpus_score(&self, stats: &[f64]) -> f64 {
        let edits = stats.first().copied().unwrap_or(0.0);
        let max_chars = stats.get(1).copied().unwrap_or(0.0);
        if max_chars == 0.0 {
            100.0 // two empty strings are identical (rapidfuzz: similarity 1.0)
        } else {
            100.0 * (1.0 - edits / max_chars)
        }
    }

    /// `nrefs:N|ref:first|unit:codepoints|denom:max-len|compat:rapidfuzz-3.14.6|version:mtharness-X`.
    fn signature(&self, nrefs: usize) -> String {
        format!(
            "nrefs:{nrefs}|ref:first|unit:codepoints|denom:max-len|compat:rapidfuzz-3.14.6|version:mtharness-{VERSION}"
        )
    }

    fn higher_is_better(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        jiwer_words(s, &mut out);
        out
    }

    fn stats(reference: &str, hyp: &str) -> Vec<f64> {
        WordMetric::wer().segment_stats(hyp, &[reference])
    }

    #[test]
    fn python_whitespace_set() {
        // Python 3: [c for c in range(0x110000) if chr(c).isspace()]
        let py: Vec<u32> = [
            0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000,
            0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
            0x2029, 0x202f, 0x205f, 0x3000,
        ]
        .to_vec();
        let ours: Vec<u32> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| is_py_space(c))
            .map(u32::from)
            .collect();
        assert_eq!(ours, py);
    }

    #[test]
    fn jiwer_default_transform() {
        // Expected lists printed by jiwer 4.0.0's wer_default.
        assert_eq!(words("a\tb c"), ["a\tb", "c"]);
        assert_eq!(words("a\t\tb"), ["a", "b"]);
        assert_eq!(words(" a \tb "), ["a", "b"]);
        assert_eq!(words("\ta b\t"), ["a", "b"]);
        assert_eq!(words("a\u{a0}b"), ["a\u{a0}b"]);
        assert_eq!(words("a\u{a0} b"), ["a", "b"]);
        assert_eq!(words("a\u{1c}b"), ["a\u{1c}b"]);
        assert_eq!(words("a\u{1c}\u{1d}b"), ["a", "b"]);
        assert_eq!(words("a\u{200b}b"), ["a\u{200b}b"]);
        assert_eq!(words("a\nb"), ["a\nb"]);
        assert_eq!(words("a\u{85}b c"), ["a\u{85}b", "c"]);
        assert!(words("").is_empty());
        assert!(words("  ").is_empty());
        assert!(words("\t").is_empty());
        assert_eq!(words("x"), ["x"]);
    }

    #[test]
    fn counts_match_jiwer() {
        // jiwer.process_words(ref, hyp) in jiwer 4.0.0: (H, S, D, I).
        assert_eq!(stats("a\tb c", "a b c"), [1.0, 1.0, 0.0, 1.0]);
        assert_eq!(stats("x y", "   "), [0.0, 0.0, 2.0, 0.0]);
        assert_eq!(stats("  ", "x y"), [0.0, 0.0, 0.0, 2.0]);
        assert_eq!(
            stats("the cat sat on the mat", "the cat the sat mat on"),
            [4.0, 0.0, 2.0, 2.0]
        );
    }

    #[test]
    fn measures_match_jiwer() {
        // the cat ...: wer 0.6666666666666666 mer 0.5 wil 0.5555555555555556 wip 0.4444444444444444
        let s = [4.0, 0.0, 2.0, 2.0];
        let (wer, mer, wil, wip) = jiwer_measures(&s);
        assert!((wer - 2.0 / 3.0).abs() < 1e-15);
        assert!((mer - 0.5).abs() < 1e-15);
        assert!((wil - 0.5555555555555556).abs() < 1e-15);
        assert!((wip - 0.4444444444444444).abs() < 1e-15);
        let m = |k| WordMetric::new(k).corpus_score(&s);
        assert!((m(WordMeasure::Wer) - 200.0 / 3.0).abs() < 1e-12);
        assert!((m(WordMeasure::Wip) - 44.44444444444444).abs() < 1e-12);
    }

    #[test]
    fn empty_reference_is_jiwer_insertion_count() {
        // jiwer #98 / process.py: empty reference => wer = number of insertions (a count).
        let m = WordMetric::wer();
        let s = m.segment_stats("one two three", &[""]);
        assert_eq!(s, [0.0, 0.0, 0.0, 3.0]);
        assert_eq!(m.corpus_score(&s), 300.0);
        assert_eq!(WordMetric::new(WordMeasure::Mer).corpus_score(&s), 100.0);
        assert_eq!(WordMetric::new(WordMeasure::Wip).corpus_score(&s), 0.0);
        // Both empty: no error, everything preserved.
        let e = m.segment_stats("", &[""]);
        assert_eq!(m.corpus_score(&e), 0.0);
        assert_eq!(WordMetric::new(WordMeasure::Wip).corpus_score(&e), 100.0);
        assert_eq!(WordMetric::new(WordMeasure::Wil).corpus_score(&e), 0.0);
        // No reference given at all: treated as an empty reference, no panic.
        assert_eq!(m.segment_stats("a", &[]), [0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn mixed_empty_reference_corpus() {
        // jiwer.process_words(['', 'hello world'], ['a b', 'hello']):
        // H=1 S=0 D=1 I=2, wer 1.5 mer 0.75 wil 0.8333333333333334 wip 0.16666666666666666
        let m = WordMetric::wer();
        let mut sum = m.segment_stats("a b", &[""]);
        crate::metrics::add_stats(&mut sum, &m.segment_stats("hello", &["hello world"]));
        assert_eq!(sum, [1.0, 0.0, 1.0, 2.0]);
        let (wer, mer, wil, wip) = jiwer_measures(&sum);
        assert_eq!((wer, mer), (1.5, 0.75));
        assert!((wil - 0.8333333333333334).abs() < 1e-15);
        assert!((wip - 0.16666666666666666).abs() < 1e-15);
    }

    #[test]
    fn first_reference_only() {
        let m = WordMetric::wer();
        assert_eq!(
            m.segment_stats("a b", &["a c", "a b"]),
            [1.0, 1.0, 0.0, 0.0]
        );
    }

    #[test]
    fn character_metrics() {
        let s = Cer.segment_stats("kitten", &["sitting"]);
        assert_eq!(s, [3.0, 7.0, 6.0]);
        assert!((Cer.corpus_score(&s) - 300.0 / 7.0).abs() < 1e-12);
        // Raw lines: surrounding spaces count (make_oracle.py does not strip).
        assert_eq!(Cer.segment_stats(" ab", &["ab"]), [1.0, 2.0, 3.0]);
        // Code points.
        assert_eq!(Cer.segment_stats("naïve", &["naive"]), [1.0, 5.0, 5.0]);
        assert_eq!(Cer.corpus_score(&[2.0, 0.0, 2.0]), 200.0);
        let c = CharSim.segment_stats("kitten", &["sitting"]);
        assert_eq!(c, [3.0, 7.0]);
        assert!((CharSim.corpus_score(&c) - 100.0 * (1.0 - 3.0 / 7.0)).abs() < 1e-12);
        assert_eq!(
            CharSim.corpus_score(&CharSim.segment_stats("", &[""])),
            100.0
        );
    }

    #[test]
    fn signatures() {
        assert!(WordMetric::wer().signature(2).starts_with(
            "nrefs:2|ref:first|transform:jiwer-default|compat:jiwer-4.0.0|version:mtharness-"
        ));
        assert!(Cer
            .signature(1)
            .starts_with("nrefs:1|ref:first|unit:codepoints|"));
        assert!(!WordMetric::wer().higher_is_better());
        assert!(WordMetric::new(WordMeasure::Wip).higher_is_better());
        assert!(CharSim.higher_is_better());
    }

    /// The old interning (a fresh hash map per pair) and the textbook full-matrix traceback:
    /// the oracle of [`word_counts`].
    fn slow_counts<'a>(reference: &'a str, hypothesis: &'a str) -> EditCounts {
        let (rw, hw) = (words(reference), words(hypothesis));
        let mut ids: std::collections::HashMap<&'a str, u32> = Default::default();
        let mut intern = |w: &&'a str| -> u32 {
            let next = ids.len() as u32;
            *ids.entry(*w).or_insert(next)
        };
        let r: Vec<u32> = rw.iter().map(&mut intern).collect();
        let h: Vec<u32> = hw.iter().map(&mut intern).collect();
        EditCounts::from_ops(&crate::distance::naive::editops(&r, &h), r.len())
    }

    fn chars_spans(s: &str) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        jiwer_word_spans_chars(s, |a, b| v.push((a, b)));
        v
    }

    /// Word strings over a tiny vocabulary with whitespace oddities between them.
    fn sentence(max_words: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(
            (
                prop::sample::select(vec!["a", "b", "cc", "a,", "ж", "1", "a\u{a0}b", "x\ty"]),
                prop::sample::select(vec![
                    " ", " ", " ", "  ", "\t", "\t\t", " \u{1c}", "\u{1f}", "\u{a0} ", "\n",
                ]),
            ),
            0..max_words,
        )
        .prop_map(|v| v.into_iter().map(|(w, sp)| format!("{w}{sp}")).collect())
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn byte_splitter_equals_char_splitter(
            s in prop::collection::vec(
                prop::sample::select(vec![
                    'a', 'b', ' ', '\t', '\n', '\x0b', '\x0c', '\r', '\u{1c}', '\u{1f}', ',', '7',
                    // Python whitespace beyond ASCII, and non-whitespace sharing its lead bytes.
                    '\u{85}', '\u{a0}', '\u{1680}', '\u{2000}', '\u{2028}', '\u{202f}',
                    '\u{205f}', '\u{3000}', '\u{a9}', '\u{1681}', '\u{201c}', '\u{2060}',
                    '\u{3001}', '\u{200b}', 'ж', '日',
                ]),
                0..40,
            ).prop_map(|v| v.into_iter().collect::<String>())
        ) {
            let mut fast = Vec::new();
            jiwer_word_spans_bytes(&s, |a, b| fast.push((a, b)));
            prop_assert_eq!(fast, chars_spans(&s));
        }

        #[test]
        fn word_counts_equal_slow_twin(r in sentence(90), h in sentence(90)) {
            prop_assert_eq!(word_counts(&r, &h), slow_counts(&r, &h));
        }
    }
}
