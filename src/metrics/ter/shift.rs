//! The greedy shift search of sacreBLEU's `translation_edit_rate` (lib_ter.py `_shift`,
//! `_find_shifted_pairs`, `_perform_shift`, `trace_to_alignment`), on interned word ids.
//!
//! Each round aligns the current hypothesis to the reference with the banded edit distance,
//! enumerates the shift candidates in sacreBLEU's order, keeps the best by
//! (gain, length, -start, -target) with the first one winning ties, and applies it if the gain
//! is positive. A global budget of [`MAX_SHIFT_CANDIDATES`] evaluated candidates per segment
//! ends the search, and the round that exhausts it discards its best shift (as sacreBLEU does).

use super::beam::{BeamEditDistance, SharedRows, TerOp};

/// Longest block of words a shift may move (sacreBLEU `_MAX_SHIFT_SIZE`, from Tercom).
pub(crate) const MAX_SHIFT_SIZE: usize = 10;
/// Largest distance between the block's hypothesis and reference positions (sacreBLEU
/// `_MAX_SHIFT_DIST`, from Tercom).
pub(crate) const MAX_SHIFT_DIST: usize = 50;
/// Budget of evaluated shift candidates per hypothesis/reference pair (sacreBLEU
/// `_MAX_SHIFT_CANDIDATES`, "our own limits").
pub(crate) const MAX_SHIFT_CANDIDATES: usize = 1000;
/// Largest `(n + 1) * (m + 2)` (hypothesis and reference words) for which the shift search
/// runs: 4,194,304 cells, about 2,000 words a side (16 MiB per matrix; the search keeps a
/// forward and a backward matrix plus rows shared by candidates, all sized by this product).
/// A longer pair gets no shift search: its edits are the banded edit distance alone, computed
/// with two rows (O(n * band width) time, O(n + m) memory), an upper bound of sacreBLEU's
/// count. Ours: sacreBLEU has no limit, and takes hours and gigabytes on such pairs.
pub const MAX_TER_CELLS: usize = 1 << 22;

/// Pairs scored without shift search since the process started (see [`MAX_TER_CELLS`]).
static UNSHIFTED_PAIRS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many hypothesis/reference pairs were too long for the shift search
/// ([`MAX_TER_CELLS`]) since the process started, for a warning.
pub fn unshifted_pairs() -> u64 {
    UNSHIFTED_PAIRS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Largest table of "already evaluated this round" stamps (n * 10 * (n + 1) entries, so
/// hypotheses up to about 300 words); longer hypotheses evaluate repeated shifts again, which
/// gives the same result. Ours, a memory bound only.
const MAX_SEEN_TABLE: usize = 1 << 20;

/// One applied shift: the block `start..start + length` of the hypothesis (as it was before
/// this shift) is moved so that it begins at sacreBLEU's insertion index `target` (positions
/// refer to the hypothesis before the move; see `perform_shift`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shift {
    pub start: usize,
    pub length: usize,
    pub target: usize,
}

/// sacreBLEU `_perform_shift`: moves `words[start..start + length]` to `target`, with Python's
/// slice clamping (the three branches are not symmetric: for `start <= target <= start +
/// length` the block moves right by `target - start`). Writes into `out` (cleared). O(n).
pub(crate) fn perform_shift<T: Copy>(
    words: &[T],
    start: usize,
    length: usize,
    target: usize,
    out: &mut Vec<T>,
) {
    let n = words.len();
    let sl = |a: usize, b: usize| &words[a.min(n)..b.min(n).max(a.min(n))];
    out.clear();
    let block = sl(start, start + length);
    if target < start {
        out.extend_from_slice(sl(0, target));
        out.extend_from_slice(block);
        out.extend_from_slice(sl(target, start));
        out.extend_from_slice(sl(start + length, n));
    } else if target > start + length {
        out.extend_from_slice(sl(0, start));
        out.extend_from_slice(sl(start + length, target));
        out.extend_from_slice(block);
        out.extend_from_slice(sl(target, n));
    } else {
        out.extend_from_slice(sl(0, start));
        out.extend_from_slice(sl(start + length, length + target));
        out.extend_from_slice(block);
        out.extend_from_slice(sl(length + target, n));
    }
}

/// The ranking key of a candidate; larger is better (sacreBLEU's tuple without the words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    gain: i64,
    length: usize,
    start: usize,
    target: usize,
}

impl Key {
    /// `(gain, length, -start, -target) > (other...)` in Python tuple order.
    fn beats(&self, o: &Key) -> bool {
        (self.gain, self.length, o.start, o.target) > (o.gain, o.length, self.start, self.target)
    }
}

/// Reusable state for TER of many pairs (one per thread).
#[derive(Debug, Default)]
pub(crate) struct TerEngine {
    ed: BeamEditDistance,
    hyp: Vec<u32>,
    cand: Vec<u32>,
    ops: Vec<TerOp>,
    /// `align1[r]` = sacreBLEU's `align[r] + 1` (insertion index before the aligned word + 1).
    align1: Vec<usize>,
    /// Prefix sums of sacreBLEU's `hyp_err` / `ref_err`.
    hyp_err: Vec<u32>,
    ref_err: Vec<u32>,
    /// Generation stamps of already evaluated (start, length, target) shifts this round.
    seen: Vec<u32>,
    generation: u32,
    use_seen: bool,
    /// Number of the current round (identifies the hypothesis for `shared`).
    round: u64,
    /// Rows shared by candidates moving the same block, per (length, direction).
    shared: Vec<SharedRows>,
    /// Positions of each word id in the reference: `ref_pos[ref_start[w]..ref_start[w + 1]]`,
    /// ascending (ids beyond the reference's largest have none).
    ref_start: Vec<usize>,
    ref_pos: Vec<u32>,
}

/// Result of [`TerEngine::run`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub edits: usize,
    pub shifts: Vec<Shift>,
}

impl TerEngine {
    /// Number of TER edits (shifts + banded edit distance after the shifts) of `hyp` against
    /// `r`. With `record`, the applied shifts are listed, `perm` receives the original position
    /// of each word of the final hypothesis and `self.ops` its final traceback.
    ///
    /// Per round O(n * band) for the alignment plus O((b - a) * band) per candidate, where `a..b`
    /// is the span the candidate changes; at most [`MAX_SHIFT_CANDIDATES`] candidates in all.
    pub fn run(&mut self, hyp: &[u32], r: &[u32], record: bool, perm: &mut Vec<usize>) -> Outcome {
        let (n, m) = (hyp.len(), r.len());
        let mut out = Outcome::default();
        perm.clear();
        if record {
            perm.extend(0..n);
        }
        if m == 0 {
            // sacreBLEU: empty reference, every hypothesis word is an edit
            out.edits = n;
            if record {
                self.ops.clear();
                self.ops.resize(n, TerOp::Deletion);
            }
            return out;
        }
        if hyp == r {
            // distance 0 and no shift can gain: sacreBLEU's search stops at once
            if record {
                self.ops.clear();
                self.ops.resize(n, TerOp::Match);
            }
            return out;
        }
        if (n + 1).saturating_mul(m + 2) > MAX_TER_CELLS {
            UNSHIFTED_PAIRS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            out.edits = self.ed.distance(hyp, r) as usize;
            if record {
                // no matrix to trace: words by position, then the longer side's rest
                self.ops.clear();
                self.ops.extend(hyp.iter().zip(r).map(|(a, b)| {
                    if a == b {
                        TerOp::Match
                    } else {
                        TerOp::Substitution
                    }
                }));
                let rest = if n > m {
                    TerOp::Deletion
                } else {
                    TerOp::Insertion
                };
                self.ops.extend(std::iter::repeat_n(rest, n.abs_diff(m)));
            }
            return out;
        }
        self.hyp.clear();
        self.hyp.extend_from_slice(hyp);
        self.index_reference(r);
        self.ed.reset(n, m);
        if self.shared.is_empty() {
            self.shared
                .resize_with(2 * MAX_SHIFT_SIZE, SharedRows::default);
        }
        let mut checked = 0usize;
        let mut scratch_perm = Vec::new();
        // rows 0..=from of the forward matrix are still those of the current hypothesis
        let mut from = 0;
        loop {
            let pre = self.ed.forward(&self.hyp, r, from);
            self.round += 1;
            self.align(r);
            let best = self.best_shift(r, pre, &mut checked);
            let stop = checked >= MAX_SHIFT_CANDIDATES || best.is_none_or(|k| k.gain <= 0);
            match best {
                Some(k) if !stop => {
                    from = shift_region(&self.hyp, k.start, k.length, k.target, &mut self.cand);
                    perform_shift(&self.hyp, k.start, k.length, k.target, &mut self.cand);
                    std::mem::swap(&mut self.hyp, &mut self.cand);
                    if record {
                        perform_shift(perm, k.start, k.length, k.target, &mut scratch_perm);
                        std::mem::swap(perm, &mut scratch_perm);
                        out.shifts.push(Shift {
                            start: k.start,
                            length: k.length,
                            target: k.target,
                        });
                    }
                    out.edits += 1;
                }
                _ => {
                    out.edits += pre as usize;
                    return out;
                }
            }
        }
    }

    /// Builds `ref_start`/`ref_pos` (counting sort of the reference positions by word id).
    /// O(m + largest id).
    fn index_reference(&mut self, r: &[u32]) {
        let vocab = r.iter().map(|&w| w as usize + 1).max().unwrap_or(0);
        self.ref_start.clear();
        self.ref_start.resize(vocab + 2, 0);
        for &w in r {
            self.ref_start[w as usize + 2] += 1;
        }
        for k in 2..self.ref_start.len() {
            self.ref_start[k] += self.ref_start[k - 1];
        }
        // ref_start[w + 1] is now the fill cursor of word w; after filling, the start of w + 1
        self.ref_pos.clear();
        self.ref_pos.resize(r.len(), 0);
        for (j, &w) in r.iter().enumerate() {
            let slot = &mut self.ref_start[w as usize + 1];
            self.ref_pos[*slot] = j as u32;
            *slot += 1;
        }
        self.ref_start.pop();
    }

    /// Final traceback of the last [`Self::run`] with `record` (hypothesis point of view).
    pub fn ops(&self) -> &[TerOp] {
        &self.ops
    }

    /// sacreBLEU `_flip_trace` + `trace_to_alignment` on the current hypothesis' traceback.
    fn align(&mut self, r: &[u32]) {
        self.ed.trace(&self.hyp, r, &mut self.ops);
        self.align1.clear();
        self.hyp_err.clear();
        self.ref_err.clear();
        self.hyp_err.push(0);
        self.ref_err.push(0);
        let mut pos_hyp1 = 0usize; // sacreBLEU pos_hyp + 1
        let (mut he, mut re) = (0u32, 0u32);
        for &op in &self.ops {
            match op {
                TerOp::Match | TerOp::Substitution => {
                    let e = u32::from(op == TerOp::Substitution);
                    pos_hyp1 += 1;
                    self.align1.push(pos_hyp1);
                    he += e;
                    re += e;
                    self.hyp_err.push(he);
                    self.ref_err.push(re);
                }
                TerOp::Deletion => {
                    // hypothesis word only ('i' after flipping)
                    pos_hyp1 += 1;
                    he += 1;
                    self.hyp_err.push(he);
                }
                TerOp::Insertion => {
                    // reference word only ('d' after flipping): aligned before the next hyp word
                    self.align1.push(pos_hyp1);
                    re += 1;
                    self.ref_err.push(re);
                }
            }
        }
        debug_assert_eq!(self.align1.len(), r.len());
        debug_assert_eq!(self.hyp_err.len(), self.hyp.len() + 1);
    }

    /// One call of sacreBLEU `_shift`: the best candidate (if any was evaluated). Updates the
    /// global candidate counter.
    fn best_shift(&mut self, r: &[u32], pre: u32, checked: &mut usize) -> Option<Key> {
        let (n, m) = (self.hyp.len(), r.len());
        let mut best: Option<Key> = None;
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.seen.fill(0);
            self.generation = 1;
        }
        let seen_len = n * MAX_SHIFT_SIZE * (n + 1);
        self.use_seen = seen_len <= MAX_SEEN_TABLE;
        if self.use_seen && self.seen.len() < seen_len {
            self.seen.resize(seen_len, 0);
        }
        for start_h in 0..n {
            let r_lo = start_h.saturating_sub(MAX_SHIFT_DIST);
            let r_hi = (start_h + MAX_SHIFT_DIST + 1).min(m);
            // sacreBLEU scans every start_r in r_lo..r_hi; only those holding the same word
            // yield anything, and they are visited here in the same (ascending) order
            let w = self.hyp[start_h] as usize;
            let (begin, end) = match self.ref_start.get(w..w + 2) {
                Some(span) => (span[0], span[1]),
                None => continue,
            };
            let first = begin + self.ref_pos[begin..end].partition_point(|&p| (p as usize) < r_lo);
            for k in first..end {
                let start_r = self.ref_pos[k] as usize;
                if start_r >= r_hi {
                    break;
                }
                let mut length = 0;
                while length < MAX_SHIFT_SIZE && self.hyp[start_h + length] == r[start_r + length] {
                    length += 1;
                    if self.consider(r, pre, start_h, start_r, length, &mut best, checked)
                        && *checked >= MAX_SHIFT_CANDIDATES
                    {
                        return best;
                    }
                    if start_h + length == n || start_r + length == m {
                        break;
                    }
                }
            }
        }
        best
    }

    /// The body of sacreBLEU's candidate loop for one matching block. Returns false when the
    /// block is filtered out (sacreBLEU's `continue`, which skips the budget check).
    #[allow(clippy::too_many_arguments)]
    fn consider(
        &mut self,
        r: &[u32],
        pre: u32,
        start_h: usize,
        start_r: usize,
        length: usize,
        best: &mut Option<Key>,
        checked: &mut usize,
    ) -> bool {
        // the hypothesis block must contain an error, and so must the reference block
        if self.hyp_err[start_h + length] == self.hyp_err[start_h] {
            return false;
        }
        if self.ref_err[start_r + length] == self.ref_err[start_r] {
            return false;
        }
        // don't shift within the block itself
        let a1 = self.align1[start_r];
        if start_h < a1 && a1 <= start_h + length {
            return false;
        }
        let n = self.hyp.len();
        let mut prev_idx = usize::MAX;
        for pos in start_r as isize - 1..(start_r + length) as isize {
            // position -1: insert before the beginning; otherwise before the aligned word + 1
            let idx = if pos < 0 {
                0
            } else {
                self.align1[pos as usize]
            };
            if idx == prev_idx {
                continue;
            }
            prev_idx = idx;
            *checked += 1;
            if self.use_seen {
                let slot = (start_h * MAX_SHIFT_SIZE + (length - 1)) * (n + 1) + idx;
                if self.seen[slot] == self.generation {
                    // evaluated this round already (from another reference position): its key
                    // is unchanged and the best only grew since, so it cannot win now
                    continue;
                }
                self.seen[slot] = self.generation;
            }
            let cost = self.shifted_cost(r, start_h, length, idx);
            let key = Key {
                gain: i64::from(pre) - i64::from(cost),
                length,
                start: start_h,
                target: idx,
            };
            if best.is_none_or(|b| key.beats(&b)) {
                *best = Some(key);
            }
        }
        true
    }

    /// Banded distance of the current hypothesis with one shift applied (sacreBLEU's
    /// `_perform_shift` then `_edit_distance`), sharing rows between the candidates that move
    /// the same block (see [`BeamEditDistance::right_shift_cost`]). Expected
    /// O((length + new shared rows) * band width).
    fn shifted_cost(&mut self, r: &[u32], start: usize, length: usize, target: usize) -> u32 {
        let n = self.hyp.len();
        if !self.ed.has_backward() {
            // candidates come by ascending start and read backward rows > start only
            self.ed.backward(&self.hyp, r, start + 1);
        }
        let end = start + length; // <= n: blocks come from matches inside the hypothesis
        let left = target < start;
        let rows = &mut self.shared[2 * (length - 1) + usize::from(left)];
        rows.claim((self.round, start));
        if left {
            self.ed
                .left_shift_cost(&self.hyp, r, start, length, target, rows)
        } else {
            // perform_shift's two right branches: the block lands after
            // words[end..target] (target > end) or words[end..length + target]
            // (start <= target <= end), Python slices clamped at n
            let stop = if target > end {
                target
            } else {
                length + target
            }
            .min(n);
            self.ed
                .right_shift_cost(&self.hyp, r, start, length, stop - end, rows)
        }
    }
}

/// The span that [`perform_shift`] changes: writes the new words of positions `a..b` into
/// `out` (cleared) and returns `a`; outside `a..b` the shifted words equal `words`. O(b - a).
pub(crate) fn shift_region<T: Copy>(
    words: &[T],
    start: usize,
    length: usize,
    target: usize,
    out: &mut Vec<T>,
) -> usize {
    let n = words.len();
    let end = (start + length).min(n);
    out.clear();
    if target < start {
        // block, then words[target..start]
        out.extend_from_slice(&words[start..end]);
        out.extend_from_slice(&words[target..start]);
        target
    } else if target > start + length {
        // words[start + length..target], then the block
        let t = target.min(n);
        out.extend_from_slice(&words[end.min(t)..t]);
        out.extend_from_slice(&words[start.min(n)..end]);
        start
    } else {
        // the block moves right over words[start + length..length + target]
        let stop = (length + target).min(n);
        out.extend_from_slice(&words[end.min(stop)..stop]);
        out.extend_from_slice(&words[start.min(n)..end]);
        start.min(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `shift_region` describes exactly what `perform_shift` changes, for every shift.
    #[test]
    fn region_matches_full_shift() {
        for n in 0..9usize {
            let words: Vec<u32> = (0..n as u32).collect();
            for start in 0..n {
                for length in 1..=n - start {
                    for target in 0..=n {
                        let mut full = Vec::new();
                        perform_shift(&words, start, length, target, &mut full);
                        assert_eq!(full.len(), n);
                        let mut mid = Vec::new();
                        let a = shift_region(&words, start, length, target, &mut mid);
                        let mut rebuilt = words.clone();
                        rebuilt[a..a + mid.len()].copy_from_slice(&mid);
                        assert_eq!(
                            rebuilt, full,
                            "n {n} start {start} length {length} target {target}"
                        );
                    }
                }
            }
        }
    }
}
