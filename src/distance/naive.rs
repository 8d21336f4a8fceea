//! Textbook dynamic-programming kernels, kept as the slow reference that the bit-parallel kernels
//! are tested against. Nothing here is used on the hot path.

/// Levenshtein distance (unit costs) by the Wagner-Fischer recurrence.
///
/// O(|a| * |b|) time, O(|a|) memory.
pub fn distance<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut row: Vec<usize> = (0..=a.len()).collect();
    for (j, y) in b.iter().enumerate() {
        let mut diag = row[0];
        row[0] = j + 1;
        for (i, x) in a.iter().enumerate() {
            let up = row[i + 1];
            let cost = if x == y { diag } else { diag + 1 };
            row[i + 1] = cost.min(up + 1).min(row[i] + 1);
            diag = up;
        }
    }
    row[a.len()]
}

/// The full `(|a|+1) x (|b|+1)` distance matrix, `d[i][j]` = distance of `a[..i]` and `b[..j]`.
///
/// O(|a| * |b|) time and memory: for tests and tiny inputs only.
pub fn matrix<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Vec<usize>> {
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let sub = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    d
}

/// Edit operations turning `a` into `b`, read off the full matrix with the same preference order
/// as the bit-parallel traceback in `super::editops` (and rapidfuzz): walking back from the end,
/// a deletion when `d[i][j] = d[i-1][j] + 1`; otherwise step to column `j-1` and take an
/// insertion when `d[i][j-1] = d[i-1][j-1] - 1`; otherwise a diagonal step (substitution when the
/// elements differ). Common prefix and suffix are stripped first, as rapidfuzz does.
///
/// O(|a| * |b|) time and memory: the reference for the bit-parallel version.
pub fn editops<T: PartialEq>(a: &[T], b: &[T]) -> Vec<super::EditOp> {
    use super::{EditKind, EditOp};
    let (prefix, suffix) = super::kernel::common_affix(a, b);
    let s1 = &a[prefix..a.len() - suffix];
    let s2 = &b[prefix..b.len() - suffix];
    let d = matrix(s1, s2);
    let mut ops = Vec::new();
    let (mut i, mut j) = (s1.len(), s2.len());
    let op = |kind, i: usize, j: usize| EditOp {
        kind,
        src_pos: i + prefix,
        dest_pos: j + prefix,
    };
    // Deliberate variant of `editops::align`'s walk (the fast kernel's traceback over recorded
    // delta bits): the same preferences read off the full matrix, kept independent on purpose.
    while i > 0 && j > 0 {
        if d[i][j] == d[i - 1][j] + 1 {
            i -= 1;
            ops.push(op(EditKind::Delete, i, j));
        } else {
            j -= 1;
            if j > 0 && d[i][j] + 1 == d[i - 1][j] {
                ops.push(op(EditKind::Insert, i, j));
            } else {
                i -= 1;
                if s1[i] != s2[j] {
                    ops.push(op(EditKind::Replace, i, j));
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
    ops.reverse();
    ops
}
