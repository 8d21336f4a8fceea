//! Edit distance: the one Levenshtein implementation every metric uses.
//!
//! - [`levenshtein`]: unit-cost edit distance of two slices of any `Eq + Hash + Copy` element
//!   (bytes, `char`s, `u32` token ids). Strips the common prefix and suffix, answers trivial
//!   cases directly, then runs a bit-parallel kernel (Myers 1999 / Hyyrö 2003): one 64-bit word
//!   when the shorter side has at most 64 elements, otherwise the multi-word block kernel over
//!   an Ukkonen band.
//! - [`char_levenshtein`]: the same on Unicode code points of two strings (what rapidfuzz's
//!   `Levenshtein.distance` computes on Python `str`).
//! - [`editops`] / [`edit_counts`]: one optimal alignment, chosen among the many exactly as
//!   rapidfuzz 3.14.6 `Levenshtein.editops` chooses it, so hits, substitutions, deletions and
//!   insertions equal what jiwer 4.0.0 reports (see `editops.rs` for the tie-breaking rule).
//!
//! `naive` holds the textbook O(nm) dynamic programme the fast kernels are tested against.
//!
//! # Example
//!
//! ```
//! use mtharness::distance::{char_levenshtein, editops, levenshtein, EditKind};
//!
//! let a: Vec<&str> = "the cat sat".split(' ').collect();
//! let b: Vec<&str> = "the cat sat down".split(' ').collect();
//! assert_eq!(levenshtein(&a, &b), 1);
//! assert_eq!(char_levenshtein("kitten", "sitting"), 3);
//! let ops = editops(&a, &b);
//! assert_eq!(ops.len(), 1);
//! assert_eq!(ops[0].kind, EditKind::Insert);
//! ```

mod bitpar;
mod editops;
mod intern;
mod kernel;
pub mod naive;
mod pattern;

use std::cell::RefCell;
use std::hash::Hash;

pub use intern::SpanInterner;
pub(crate) use intern::{word_key, KEY_HASHED};
use kernel::common_affix;
use pattern::{BlockMasks, WORD};
pub use pattern::{FxHashMap, FxHasher};

/// Kind of one edit operation turning `a` into `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EditKind {
    /// `a[src_pos]` becomes `b[dest_pos]`.
    Replace,
    /// `b[dest_pos]` is inserted before `a[src_pos]`.
    Insert,
    /// `a[src_pos]` is deleted (it would sit before `b[dest_pos]`).
    Delete,
}

/// One edit operation, with rapidfuzz's position convention (`Editop`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EditOp {
    pub kind: EditKind,
    pub src_pos: usize,
    pub dest_pos: usize,
}

/// Operation counts of an alignment of `a` (reference) with `b` (hypothesis), jiwer's names.
/// Invariants: `hits + substitutions + deletions == |a|`,
/// `hits + substitutions + insertions == |b|`, `substitutions + deletions + insertions` is the
/// Levenshtein distance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct EditCounts {
    pub hits: usize,
    pub substitutions: usize,
    pub deletions: usize,
    pub insertions: usize,
}

impl EditCounts {
    /// Counts of `ops` (as returned by [`editops`]) for a source of `a_len` elements.
    pub fn from_ops(ops: &[EditOp], a_len: usize) -> EditCounts {
        let mut c = EditCounts::default();
        for op in ops {
            match op.kind {
                EditKind::Replace => c.substitutions += 1,
                EditKind::Insert => c.insertions += 1,
                EditKind::Delete => c.deletions += 1,
            }
        }
        c.hits = a_len - c.substitutions - c.deletions;
        c
    }

    /// `substitutions + deletions + insertions`.
    pub fn edits(&self) -> usize {
        self.substitutions + self.deletions + self.insertions
    }
}

impl std::ops::AddAssign<&EditCounts> for EditCounts {
    fn add_assign(&mut self, o: &EditCounts) {
        self.hits += o.hits;
        self.substitutions += o.substitutions;
        self.deletions += o.deletions;
        self.insertions += o.insertions;
    }
}

/// Levenshtein distance (insertions, deletions, substitutions all cost 1) of `a` and `b`.
///
/// Symmetric. O(|a| + |b|) after affix stripping when the shorter side has at most 64 elements,
/// otherwise O(|long| * band / 64) with band <= |short|; O(|a| + |b|) memory.
pub fn levenshtein<T: Eq + Hash + Copy>(a: &[T], b: &[T]) -> usize {
    let (prefix, suffix) = common_affix(a, b);
    let a = &a[prefix..a.len() - suffix];
    let b = &b[prefix..b.len() - suffix];
    if a.is_empty() || b.is_empty() {
        return a.len() + b.len();
    }
    if a.len() == 1 && b.len() == 1 {
        return 1; // they differ, or the affix would have taken them
    }
    // The shorter side is the pattern (bits); the longer one is scanned.
    let (p, t) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if p.len() <= WORD {
        return single_word_distance(p, t);
    }
    let enc = pattern::encode(p, t);
    {
        let pm = BlockMasks::new(&enc.pattern, enc.n_symbols);
        bitpar::block(&pm, p.len(), &enc.text, t.len(), None, None).dist
    }
}

/// Up to this many distinct pattern symbols, text elements find their match mask by a linear
/// scan instead of hashing (faster for the short segments that dominate MT test sets).
const LINEAR_SCAN_SYMBOLS: usize = 16;

/// [`levenshtein`] for a pattern of 1..=64 elements: builds the match masks of its distinct
/// symbols directly, then one Hyyrö word. O(|p| + |t|) time (times the scan length for the
/// linear-scan path), one small allocation.
fn single_word_distance<T: Eq + Hash + Copy>(p: &[T], t: &[T]) -> usize {
    let mut symbols: Vec<(T, u64)> = Vec::with_capacity(p.len());
    for (i, x) in p.iter().enumerate() {
        match symbols.iter_mut().find(|(y, _)| y == x) {
            Some((_, m)) => *m |= 1u64 << i,
            None => symbols.push((*x, 1u64 << i)),
        }
    }
    if symbols.len() <= LINEAR_SCAN_SYMBOLS {
        let mask = |x: &T| symbols.iter().find(|(y, _)| y == x).map_or(0, |&(_, m)| m);
        bitpar::single_word(t.iter().map(mask), p.len(), None)
    } else {
        let map: FxHashMap<T, u64> = symbols.iter().copied().collect();
        let mask = |x: &T| map.get(x).copied().unwrap_or(0);
        bitpar::single_word(t.iter().map(mask), p.len(), None)
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Per-thread buffers of the string and dense-id entry points, so that a call allocates
/// nothing once they have grown.
#[derive(Default)]
struct Scratch {
    kernel: kernel::Kernel,
    a: Vec<u32>,
    b: Vec<u32>,
    /// Codes of the non-ASCII code points of the current pair (`128..`).
    chars: FxHashMap<char, u32>,
}

/// Number of codes reserved for ASCII: an ASCII character's code is its value.
const ASCII_CODES: u32 = 128;

/// Codes of the code points of `s` into `out`: ASCII characters are their own code, other
/// characters get `128 + k` in order of first appearance (shared through `map`). Returns the
/// number of code points.
fn encode_chars(s: &str, map: &mut FxHashMap<char, u32>, out: &mut Vec<u32>) -> usize {
    out.clear();
    for c in s.chars() {
        let code = if c.is_ascii() {
            c as u32
        } else {
            let next = ASCII_CODES + map.len() as u32;
            *map.entry(c).or_insert(next)
        };
        out.push(code);
    }
    out.len()
}

/// Levenshtein distance of two strings on Unicode code points (rapidfuzz
/// `Levenshtein.distance` on Python `str`). ASCII inputs are compared as bytes without copying;
/// other inputs are coded into per-thread buffers (no allocation once grown).
///
/// O(|a| + |b|) when the shorter string has at most 64 code points after stripping the common
/// affix, else O(|a| * |b| / 64).
pub fn char_levenshtein(a: &str, b: &str) -> usize {
    char_levenshtein_lengths(a, b).0
}

/// [`char_levenshtein`] plus the code-point lengths of `a` and `b`: `(distance, |a|, |b|)`.
pub fn char_levenshtein_lengths(a: &str, b: &str) -> (usize, usize, usize) {
    SCRATCH.with(|cell| {
        let mut guard = cell.borrow_mut();
        let s = &mut *guard;
        if a.is_ascii() && b.is_ascii() {
            let d = s.kernel.distance(a.as_bytes(), b.as_bytes(), 256);
            return (d, a.len(), b.len());
        }
        s.chars.clear();
        let la = encode_chars(a, &mut s.chars, &mut s.a);
        let lb = encode_chars(b, &mut s.chars, &mut s.b);
        let alphabet = ASCII_CODES as usize + s.chars.len();
        let d = if kernel::fits(alphabet, la, lb) {
            s.kernel.distance(&s.a, &s.b, alphabet)
        } else {
            levenshtein(&s.a, &s.b)
        };
        (d, la, lb)
    })
}

/// One more than the largest id of `a` and `b` (0 when both are empty).
fn dense_alphabet(a: &[u32], b: &[u32]) -> usize {
    a.iter().chain(b).max().map_or(0, |&m| m as usize + 1)
}

/// [`levenshtein`] for *dense* ids (interned words: ids `0..k` for `k` distinct words). Any
/// ids are accepted; the fast allocation-free kernel runs when the largest id times the
/// pattern's 64-bit blocks stays under a table limit, else the general kernel.
pub fn dense_levenshtein(a: &[u32], b: &[u32]) -> usize {
    let alphabet = dense_alphabet(a, b);
    if !kernel::fits(alphabet, a.len(), b.len()) {
        return levenshtein(a, b);
    }
    SCRATCH.with(|cell| cell.borrow_mut().kernel.distance(a, b, alphabet))
}

/// [`edit_counts`] for dense ids (see [`dense_levenshtein`]): identical counts, computed
/// without listing the operations and without allocating when the reference side `a` has at
/// most 64 ids after affix stripping (the common case for sentences); otherwise
/// [`edit_counts`] itself.
pub fn dense_edit_counts(a: &[u32], b: &[u32]) -> EditCounts {
    let alphabet = dense_alphabet(a, b);
    if kernel::fits(alphabet, 1, 1) {
        let fast = SCRATCH.with(|cell| cell.borrow_mut().kernel.counts(a, b, alphabet));
        if let Some(c) = fast {
            return c;
        }
    }
    edit_counts(a, b)
}

/// Edit operations turning `a` into `b`, in order of position, as rapidfuzz 3.14.6
/// `Levenshtein.editops(a, b)` returns them (same alignment among the optimal ones).
///
/// Their number is [`levenshtein`]`(a, b)`. Time as the distance kernels (twice, for large
/// inputs split by Hirschberg's method); memory O(|a| * |b| / 32) bytes up to 1 MiB, then
/// Hirschberg's split keeps it there.
pub fn editops<T: Eq + Hash + Copy>(a: &[T], b: &[T]) -> Vec<EditOp> {
    let enc = pattern::encode(a, b);
    let mut ops = Vec::new();
    editops::align_hirschberg(
        &enc.pattern,
        &enc.text,
        0,
        0,
        a.len().max(b.len()),
        &mut ops,
    );
    ops
}

/// Hits, substitutions, deletions and insertions of [`editops`]`(a, b)`: jiwer 4.0.0's counts
/// when `a` is the reference and `b` the hypothesis.
pub fn edit_counts<T: Eq + Hash + Copy>(a: &[T], b: &[T]) -> EditCounts {
    EditCounts::from_ops(&editops(a, b), a.len())
}

#[cfg(test)]
mod tests;
