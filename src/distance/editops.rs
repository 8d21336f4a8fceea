//! Edit-operation traceback with rapidfuzz 3.14.6's tie-breaking (`levenshtein_editops`), which
//! is what jiwer 4.0.0's `process_words` counts (via `Levenshtein.opcodes`).
//!
//! Among the many optimal alignments, rapidfuzz reports the one its backward walk over the
//! recorded bit-parallel delta vectors finds, preferring at every cell (pattern = `a`, text = `b`):
//! 1. a deletion of `a[i-1]` when the vertical delta at `(i, j)` is +1,
//! 2. else, stepping back one text position, an insertion of `b[j-1]` when the vertical delta
//!    at `(i, j-1)` is -1,
//! 3. else a diagonal step (a substitution when the elements differ, a hit otherwise).
//!
//! The deltas come from the band-limited kernels, so the exact band matters at its edges: we
//! run the same kernels with the same band as rapidfuzz (see `bitpar`). Inputs whose bit matrix
//! would reach 1 MiB are split first by Hirschberg's method, at the same split point rapidfuzz
//! chooses, so memory stays O(1 MiB + |a| + |b|) per level.

use super::bitpar::{self, DeltaMatrix};
use super::kernel::common_affix;
use super::pattern::{self, BlockMasks, WORD};
use super::{EditKind, EditOp};

/// rapidfuzz switches from the full bit matrix to Hirschberg's split when the two delta
/// matrices would take at least this many bytes (`levenshtein_align_hirschberg`).
const HIRSCHBERG_MATRIX_BYTES: usize = 1024 * 1024;
/// ... unless the pattern fits one word or the text is shorter than this (same function).
const HIRSCHBERG_MIN_TEXT: usize = 10;

/// Edit operations turning `a` into `b` on codes (see `pattern::encode`), appended to `ops`
/// in order. `max` is an upper bound of the distance.
pub fn align_hirschberg(
    a: &[u32],
    b: &[u32],
    src_pos: usize,
    dest_pos: usize,
    max: usize,
    ops: &mut Vec<EditOp>,
) {
    let (prefix, suffix) = common_affix(a, b);
    let (a, b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let (src_pos, dest_pos) = (src_pos + prefix, dest_pos + prefix);

    let max = max.min(a.len().max(b.len()));
    let full_band = a.len().min(max.saturating_mul(2).saturating_add(1));
    let matrix_bytes = (2 * full_band).saturating_mul(b.len()) / 8;
    if matrix_bytes < HIRSCHBERG_MATRIX_BYTES || a.len() <= WORD || b.len() < HIRSCHBERG_MIN_TEXT {
        align(a, b, max, src_pos, dest_pos, ops);
    } else {
        let split = hirschberg_split(a, b, max);
        align_hirschberg(
            &a[..split.a_mid],
            &b[..split.b_mid],
            src_pos,
            dest_pos,
            split.left_score,
            ops,
        );
        align_hirschberg(
            &a[split.a_mid..],
            &b[split.b_mid..],
            src_pos + split.a_mid,
            dest_pos + split.b_mid,
            split.right_score,
            ops,
        );
    }
}

/// Full traceback over the recorded delta matrix (rapidfuzz `levenshtein_align`).
fn align(a: &[u32], b: &[u32], max: usize, src_pos: usize, dest_pos: usize, ops: &mut Vec<EditOp>) {
    let (len1, len2) = (a.len(), b.len());
    let start = ops.len();
    let op = |kind, i: usize, j: usize| EditOp {
        kind,
        src_pos: i + src_pos,
        dest_pos: j + dest_pos,
    };
    let (mut i, mut j) = (len1, len2);
    if len1 > 0 && len2 > 0 {
        let (n_symbols, pattern, text) = recode(a, b);
        let max = max.min(len1.max(len2));
        let full_band = len1.min(max.saturating_mul(2).saturating_add(1));
        let matrix = if len1 <= WORD {
            let masks = pattern::single_word_masks(&pattern, n_symbols);
            let mut rec = DeltaMatrix::new(len2, 1);
            bitpar::single_word(
                text.iter().map(|&c| masks[c as usize]),
                len1,
                Some(&mut rec),
            );
            rec
        } else if full_band <= WORD {
            bitpar::small_band(&pattern, n_symbols, &text, max).1
        } else {
            let pm = BlockMasks::new(&pattern, n_symbols);
            let cols = bitpar::block_record_cols(len1, pm.words(), max);
            let mut rec = DeltaMatrix::new(len2, cols);
            bitpar::block(&pm, len1, &text, max, Some(&mut rec), None);
            rec
        };
        // Deliberate variant of `naive::editops`'s walk (its slow reference twin, which reads
        // the same preferences off the full DP matrix): kept apart so that the property tests
        // compare two independent tracebacks.
        while i > 0 && j > 0 {
            if matrix.vp(j - 1, i - 1) {
                i -= 1;
                ops.push(op(EditKind::Delete, i, j));
            } else {
                j -= 1;
                if j > 0 && matrix.vn(j - 1, i - 1) {
                    ops.push(op(EditKind::Insert, i, j));
                } else {
                    i -= 1;
                    if a[i] != b[j] {
                        ops.push(op(EditKind::Replace, i, j));
                    }
                }
            }
        }
    }
    while i > 0 {
        i -= 1;
        ops.push(op(EditKind::Delete, i, j));
    }
    while j > 0 {
        j -= 1;
        ops.push(op(EditKind::Insert, i, j));
    }
    ops[start..].reverse();
}

/// Re-encodes a sub-range so that pattern symbols are dense again (`0..n`, absent = `n`).
fn recode(a: &[u32], b: &[u32]) -> (u32, Vec<u32>, Vec<u32>) {
    let enc = pattern::encode(a, b);
    (enc.n_symbols, enc.pattern, enc.text)
}

/// Where Hirschberg's method splits: `a[..a_mid]` aligns with `b[..b_mid]` at cost
/// `left_score`, the rest at cost `right_score`.
struct Split {
    a_mid: usize,
    b_mid: usize,
    left_score: usize,
    right_score: usize,
}

/// Scores of the middle row's cells `first_pos..=last_pos` from a stopped block kernel.
fn row_scores(a: &[u32], b: &[u32], max: usize, stop_row: usize) -> Option<(usize, Vec<usize>)> {
    let (n_symbols, pattern, text) = recode(a, b);
    let pm = BlockMasks::new(&pattern, n_symbols);
    let out = bitpar::block(&pm, a.len(), &text, max, None, Some(stop_row));
    let row = out.row?;
    let first_pos = row.first_block * WORD;
    let last_pos = a.len().min(row.last_block * WORD + WORD);
    let mut scores = Vec::with_capacity(last_pos.saturating_sub(first_pos) + 1);
    let mut score = row.prev_score;
    scores.push(score);
    for i in first_pos..last_pos {
        let bit = 1u64 << (i % WORD);
        score = score + usize::from(row.vp[i / WORD] & bit != 0)
            - usize::from(row.vn[i / WORD] & bit != 0);
        scores.push(score);
    }
    Some((first_pos, scores))
}

/// rapidfuzz's `find_hirschberg_pos`: the middle text row is `b.len() / 2`; the split column
/// minimises forward plus backward score, the first (leftmost) minimum winning. When the band
/// for `max` turns out too narrow it retries with `2 * max`.
fn hirschberg_split(a: &[u32], b: &[u32], max: usize) -> Split {
    let mut max = max;
    loop {
        if let Some(split) = try_split(a, b, max) {
            return split;
        }
        if max >= a.len().max(b.len()) {
            // Cannot happen (the band is then complete); split at the trivial bound instead of looping.
            return Split {
                a_mid: a.len() / 2,
                b_mid: b.len() / 2,
                left_score: max,
                right_score: max,
            };
        }
        max = max.saturating_mul(2);
    }
}

fn try_split(a: &[u32], b: &[u32], max: usize) -> Option<Split> {
    let len1 = a.len();
    let left_size = b.len() / 2;
    let right_size = b.len() - left_size;
    let a_rev: Vec<u32> = a.iter().rev().copied().collect();
    let b_rev: Vec<u32> = b.iter().rev().copied().collect();
    let (right_first, right_scores) = row_scores(&a_rev, &b_rev, max, right_size - 1)?;
    let (left_first, left_scores) = row_scores(a, b, max, left_size - 1)?;

    let mut best = usize::MAX;
    let mut split = Split {
        a_mid: 0,
        b_mid: left_size,
        left_score: 0,
        right_score: 0,
    };
    // Column `left_first + k` on the left meets column `len1 - that` on the right.
    for (k, &left) in left_scores.iter().enumerate() {
        let col = left_first + k;
        let Some(ri) = len1.checked_sub(col + right_first) else {
            continue;
        };
        let Some(&right) = right_scores.get(ri) else {
            continue;
        };
        if left + right < best {
            best = left + right;
            split.left_score = left;
            split.right_score = right;
            split.a_mid = col;
        }
    }
    if split.left_score + split.right_score > max {
        return None;
    }
    Some(split)
}
