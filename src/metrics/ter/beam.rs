//! sacreBLEU's beam-limited word edit distance (`BeamEditDistance` in lib_ter.py), on interned
//! word ids.
//!
//! Row `i` of the dynamic-programming matrix (hypothesis prefix of `i` words) is only computed
//! in a band `lo[i]..hi[i]` of reference positions around the pseudo-diagonal
//! `floor(i * m / n)`; cells outside the band are infinite. The band changes results (it is a
//! pruning, not an optimisation), so it is reproduced exactly, with the same `f64` arithmetic.
//! sacreBLEU's row cache (a trie keyed on hypothesis prefixes) only saves time: row `i` depends
//! on the first `i` words only. Here the same saving comes from keeping the whole forward matrix
//! of the current hypothesis plus a *backward* matrix (cost from a cell to the end, through band
//! cells only): a shifted candidate that differs from the current hypothesis only in positions
//! `a..b` needs rows `a+1..=b` and one combination row, `min_j F'[b][j] + B[b][j]`, which is exact
//! because the banded distance is a shortest path in a fixed DAG of band cells. The backward
//! matrix is built lazily, once a round has evaluated a few candidates; before that a candidate
//! runs on to the last row. After a shift is applied only the rows from its first changed
//! position on are recomputed.
//!
//! Matrices are stored with a row stride of `m + 2`; only band cells and the few cells next to
//! the band that the next step reads ("gaps", set to [`INF`]) are ever written or read, so no
//! matrix is cleared between uses.

/// Unreachable cell (sacreBLEU `_INT_INFINITY`). Finite costs are at most `n + m`, so `INF + 1`
/// cannot overflow and `min(.., INF)` keeps unreachable cells exactly at `INF`.
pub(crate) const INF: u32 = u32::MAX / 4;

/// Half width of the band around the pseudo-diagonal (sacreBLEU lib_ter.py `_BEAM_WIDTH`,
/// "Tercom-inspired").
pub(crate) const BEAM_WIDTH: usize = 25;

/// Band limits for a hypothesis of `n` words against a reference of `m` words.
#[derive(Debug, Default, Clone)]
pub(crate) struct Band {
    pub n: usize,
    pub m: usize,
    /// `lo[i]..hi[i]` are the computed reference positions of row `i`, `0 <= i <= n`.
    pub lo: Vec<usize>,
    pub hi: Vec<usize>,
}

impl Band {
    /// sacreBLEU `_edit_distance`: `length_ratio = m / n` (1 for an empty hypothesis), the beam
    /// widened to `ceil(ratio / 2 + 25)` when `25 < ratio / 2`, row `i` spans
    /// `max(0, floor(i * ratio) - beam) .. min(m + 1, floor(i * ratio) + beam)`, the last row
    /// always extends to `m + 1`. Row 0 (the initial row) is complete. O(n).
    pub fn reset(&mut self, n: usize, m: usize) {
        self.n = n;
        self.m = m;
        self.lo.clear();
        self.hi.clear();
        self.lo.push(0);
        self.hi.push(m + 1);
        let ratio = if n == 0 { 1.0 } else { m as f64 / n as f64 };
        let half = ratio / 2.0;
        let beam = if (BEAM_WIDTH as f64) < half {
            (half + BEAM_WIDTH as f64).ceil() as i64
        } else {
            BEAM_WIDTH as i64
        };
        for i in 1..=n {
            let diag = (i as f64 * ratio).floor() as i64;
            let lo = (diag - beam).max(0) as usize;
            let mut hi = (diag + beam).min(m as i64 + 1).max(0) as usize;
            if i == n {
                hi = m + 1;
            }
            self.lo.push(lo);
            self.hi.push(hi.max(lo));
        }
    }

    #[inline]
    pub fn stride(&self) -> usize {
        self.m + 2
    }
}

/// Sets to [`INF`] the cells of `row` in `need_lo..need_hi` that lie outside its band
/// `lo..hi`, so that a step may read `need_lo..need_hi` without bounds logic.
#[inline]
fn fill_gaps(row: &mut [u32], lo: usize, hi: usize, need_lo: usize, need_hi: usize) {
    let need_hi = need_hi.min(row.len());
    if need_lo < lo {
        row[need_lo..lo.min(need_hi)].fill(INF);
    }
    if need_hi > hi {
        row[hi.max(need_lo)..need_hi].fill(INF);
    }
}

/// One forward row: `cur[lo..hi]` from `prev` (valid, or `INF`, on `lo-1..hi`), for hypothesis
/// word `w`. The value of a cell is the minimum of diagonal (cost 0 on a match, else 1),
/// vertical (+1) and horizontal (+1) moves; column 0 only has the vertical move. O(hi - lo).
#[inline(always)]
fn step_forward(prev: &[u32], cur: &mut [u32], lo: usize, hi: usize, w: u32, r: &[u32]) {
    let mut j = lo;
    let mut left = INF;
    if j == 0 {
        // sacreBLEU assigns column 0 unconditionally; prev[0] is finite whenever lo == 0
        left = prev[0] + 1;
        cur[0] = left;
        j = 1;
    }
    if j >= hi {
        return;
    }
    // Two passes with the same values as the textbook cell order: first the diagonal and
    // vertical candidates of cells j..hi (independent of each other, so the loop vectorises),
    // then the serial horizontal pass `v = min(t, left + 1)`.
    let len = hi - j;
    let diag_prev = &prev[j - 1..hi - 1];
    let up_prev = &prev[j..hi];
    let words = &r[j - 1..hi - 1];
    let out = &mut cur[j..hi];
    for k in 0..len {
        let diag = diag_prev[k] + u32::from(w != words[k]);
        let up = up_prev[k] + 1;
        out[k] = diag.min(up);
    }
    // No clamp at INF here (it would lengthen the serial chain): an unreachable cell exceeds
    // INF by at most its row number, never beats a finite value and cannot overflow (INF is a
    // quarter of u32::MAX); the results are clamped where they leave the matrix.
    for c in out.iter_mut() {
        let v = (*c).min(left + 1);
        *c = v;
        left = v;
    }
}

/// One backward row: `cur[lo..hi]` (cost from a cell to the end) from `next` (valid, or
/// `INF`, on `lo..min(hi + 1, m + 1)`), for hypothesis word `w`. The mirror of
/// [`step_forward`]; results are clamped at [`INF`]. O(hi - lo).
#[inline(always)]
fn step_backward(next: &[u32], cur: &mut [u32], lo: usize, hi: usize, w: u32, r: &[u32]) {
    let m = r.len();
    // As in `step_forward`: the independent diagonal and vertical candidates first (cells
    // left of column m have a diagonal), then the serial horizontal pass.
    let split = hi.min(m).max(lo);
    {
        let out = &mut cur[lo..split];
        let down = &next[lo..split];
        let diag = &next[lo + 1..split + 1];
        let words = &r[lo..split];
        for k in 0..out.len() {
            out[k] = (down[k] + 1).min(diag[k] + u32::from(w != words[k]));
        }
    }
    if split < hi {
        cur[split] = next[split] + 1; // column m: no diagonal
    }
    let mut right = INF;
    for c in cur[lo..hi].iter_mut().rev() {
        let v = (*c).min(right + 1).min(INF);
        *c = v;
        right = v;
    }
}

/// Forward row `i` of `band` into `cur`, from row `i - 1` in `prev` (its gaps filled first).
#[inline(always)]
fn forward_row(band: &Band, prev: &mut [u32], cur: &mut [u32], i: usize, w: u32, r: &[u32]) {
    let (lo, hi) = (band.lo[i], band.hi[i]);
    fill_gaps(
        prev,
        band.lo[i - 1],
        band.hi[i - 1],
        lo.saturating_sub(1),
        hi,
    );
    step_forward(prev, cur, lo, hi, w, r);
}

/// Backward row `i` of `band` into `cur`, from row `i + 1` in `next` (its gaps filled first).
#[inline(always)]
fn backward_row(band: &Band, next: &mut [u32], cur: &mut [u32], i: usize, w: u32, r: &[u32]) {
    let (lo, hi) = (band.lo[i], band.hi[i]);
    fill_gaps(
        next,
        band.lo[i + 1],
        band.hi[i + 1],
        lo,
        (hi + 1).min(band.m + 1),
    );
    step_backward(next, cur, lo, hi, w, r);
}

/// Rows of one shifted hypothesis shared by the candidates of a `(start, length)` group (see
/// [`BeamEditDistance::right_shift_cost`] and [`BeamEditDistance::left_shift_cost`]): row
/// `k` of `buf` (stride `m + 2`) is the `k + 1`-th row away from the group's fixed end.
#[derive(Debug, Default)]
pub(crate) struct SharedRows {
    buf: Vec<u32>,
    /// Rows of `buf` computed so far.
    len: usize,
    /// Which group (round, start) the rows belong to.
    tag: (u64, usize),
}

impl SharedRows {
    /// Forgets the rows unless they belong to group `tag`.
    pub fn claim(&mut self, tag: (u64, usize)) {
        if self.tag != tag {
            self.tag = tag;
            self.len = 0;
        }
    }

    /// Computes the missing rows of the first `count` (stride `s`): `row(k, prev, cur)` writes
    /// row `k` into `cur` from row `k - 1` in `prev`, which is `first` for `k = 0`.
    #[inline]
    fn extend(
        &mut self,
        count: usize,
        s: usize,
        first: &mut [u32],
        mut row: impl FnMut(usize, &mut [u32], &mut [u32]),
    ) {
        if self.buf.len() < count * s {
            self.buf.resize(count * s, INF);
        }
        for k in self.len..count {
            let (done, rest) = self.buf.split_at_mut(k * s);
            let prev = if k == 0 {
                &mut *first
            } else {
                &mut done[(k - 1) * s..]
            };
            row(k, prev, &mut rest[..s]);
        }
        self.len = self.len.max(count);
    }
}

/// Edit operations of the traceback, from the hypothesis' point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TerOp {
    /// Hypothesis word equals the reference word.
    Match,
    /// Hypothesis word replaced by the reference word.
    Substitution,
    /// Reference word missing from the hypothesis (sacreBLEU trace `'i'` before flipping).
    Insertion,
    /// Hypothesis word with no reference counterpart (sacreBLEU trace `'d'` before flipping).
    Deletion,
}

/// Reusable buffers for the banded distance of many hypotheses (same length `n`) against one
/// reference.
#[derive(Debug, Default)]
pub(crate) struct BeamEditDistance {
    pub band: Band,
    /// Forward matrix of the current hypothesis.
    fwd: Vec<u32>,
    /// Backward matrix of the current hypothesis (cost from a cell to `(n, m)`).
    bwd: Vec<u32>,
    /// Rolling rows for candidates.
    roll_a: Vec<u32>,
    seed: Vec<u32>,
    /// `bwd` belongs to the current hypothesis.
    bwd_ready: bool,
}

impl BeamEditDistance {
    /// Prepares for hypotheses of `n` words against a reference of `m` words.
    pub fn reset(&mut self, n: usize, m: usize) {
        self.band.reset(n, m);
        self.bwd_ready = false;
        let size = (n + 1) * self.band.stride();
        if self.fwd.len() < size {
            self.fwd.resize(size, INF);
            self.bwd.resize(size, INF);
        }
        let s = self.band.stride();
        if self.roll_a.len() < s {
            self.roll_a.resize(s, INF);
            self.seed.resize(s, INF);
        }
    }

    /// Computes rows `from + 1..=n` of the forward matrix of `h` (length `n`) against `r`; rows
    /// `0..=from` must be those of a hypothesis with the same first `from` words (`from = 0`
    /// computes everything). Returns the banded edit distance and forgets the backward
    /// matrix. O((n - from) * band width + m).
    pub fn forward(&mut self, h: &[u32], r: &[u32], from: usize) -> u32 {
        let band = &self.band;
        let (n, m, s) = (band.n, band.m, band.stride());
        debug_assert_eq!(h.len(), n);
        debug_assert_eq!(r.len(), m);
        self.bwd_ready = false;
        if from == 0 {
            // the initial row is j insertions
            for (j, v) in self.fwd[..=m].iter_mut().enumerate() {
                *v = j as u32;
            }
        }
        for i in from.max(1)..=n {
            let (before, after) = self.fwd.split_at_mut(i * s);
            forward_row(
                band,
                &mut before[(i - 1) * s..],
                &mut after[..s],
                i,
                h[i - 1],
                r,
            );
        }
        self.fwd[n * s + m].min(INF)
    }

    /// The banded distance of `h` against `r` (what [`Self::forward`] returns from a
    /// [`Self::reset`]), with two rows instead of the matrices: O(n * band width) time, O(n + m)
    /// memory. For segments too long for the shift search (see `MAX_TER_CELLS`).
    pub fn distance(&mut self, h: &[u32], r: &[u32]) -> u32 {
        self.band.reset(h.len(), r.len());
        self.bwd_ready = false;
        let band = &self.band;
        let (n, m, s) = (band.n, band.m, band.stride());
        let mut prev = vec![INF; s];
        let mut cur = vec![INF; s];
        // the initial row is j insertions
        for (j, v) in prev[..=m].iter_mut().enumerate() {
            *v = j as u32;
        }
        for i in 1..=n {
            forward_row(band, &mut prev, &mut cur, i, h[i - 1], r);
            std::mem::swap(&mut prev, &mut cur);
        }
        prev[m].min(INF)
    }

    /// Whether [`Self::backward`] ran since the last [`Self::forward`].
    pub fn has_backward(&self) -> bool {
        self.bwd_ready
    }

    /// Computes rows `stop..=n` of the backward matrix of `h` (the hypothesis of the last
    /// [`Self::forward`]): the banded cost from each band cell to `(n, m)`. Rows above `stop`
    /// are left stale: callers only read rows `>= stop`. O((n - stop) * band width + m).
    pub fn backward(&mut self, h: &[u32], r: &[u32], stop: usize) {
        let band = &self.band;
        let (n, m, s) = (band.n, band.m, band.stride());
        // last row: (m - j) insertions to the corner
        {
            let last = &mut self.bwd[n * s..(n + 1) * s];
            let lo = band.lo[n];
            for (j, v) in last[lo..=m].iter_mut().enumerate() {
                *v = (m - lo - j) as u32;
            }
        }
        for i in (stop.min(n)..n).rev() {
            let (before, after) = self.bwd.split_at_mut((i + 1) * s);
            backward_row(band, &mut after[..s], &mut before[i * s..], i, h[i], r);
        }
        debug_assert!(stop > 0 || self.bwd[0] == self.fwd[n * s + m]);
        self.bwd_ready = true;
    }

    /// Puts band row `i` (cells `lo[i]..hi[i]` of `src`, `INF` elsewhere) into `self.seed`
    /// over the cells that forward row `i + 1` reads. O(band width).
    fn seed_row(seed: &mut [u32], band: &Band, i: usize, src: &[u32]) {
        let (lo, hi) = (band.lo[i], band.hi[i]);
        for j in band.lo[i + 1].saturating_sub(1)..band.hi[i + 1] {
            seed[j] = if (lo..hi).contains(&j) { src[j] } else { INF };
        }
    }

    /// Forward rows `from + 1..=from + words.len()` of a hypothesis whose row `from` is in
    /// `self.seed` (see [`Self::seed_row`]) and whose next words are `words` (at least one);
    /// the last row ends up in `self.roll_a`. O(words.len() * band width).
    fn forward_block(&mut self, from: usize, words: &[u32], r: &[u32]) {
        let band = &self.band;
        let mut prev = std::mem::take(&mut self.seed);
        let mut cur = std::mem::take(&mut self.roll_a);
        let (mut plo, mut phi) = (band.lo[from + 1].saturating_sub(1), band.hi[from + 1]);
        for (k, &w) in words.iter().enumerate() {
            let i = from + 1 + k;
            let (lo, hi) = (band.lo[i], band.hi[i]);
            fill_gaps(&mut prev, plo, phi, lo.saturating_sub(1), hi);
            step_forward(&prev, &mut cur, lo, hi, w, r);
            std::mem::swap(&mut prev, &mut cur);
            plo = lo;
            phi = hi;
        }
        self.roll_a = prev;
        self.seed = cur;
    }

    /// `min_j F(i, j) + G(i, j)` over the band of row `i`, clamped at `INF`: the banded
    /// distance of a path through row `i` with forward row `f` and backward row `g`.
    fn combine(band: &Band, i: usize, f: &[u32], g: &[u32]) -> u32 {
        let (lo, hi) = (band.lo[i], band.hi[i]);
        f[lo..hi]
            .iter()
            .zip(&g[lo..hi])
            .map(|(a, b)| a + b)
            .min()
            .unwrap_or(INF)
            .min(INF)
    }

    /// Banded distance of the hypothesis `h` of the last [`Self::forward`] (its backward
    /// matrix must be ready) after the block `h[start..start + length]` moved right over the
    /// `gap` words after it (`start + length + gap <= n`). Rows `start + 1..=start + gap` then
    /// hold `h[start + length..]` whatever the gap, so they are kept in `rows` for the whole
    /// `(start, length)` group and computed once up to its largest gap; the `length` block
    /// rows follow, combined with backward row `start + gap + length` (the words after it are
    /// unchanged). O((new shared rows + length) * band width).
    pub fn right_shift_cost(
        &mut self,
        h: &[u32],
        r: &[u32],
        start: usize,
        length: usize,
        gap: usize,
        rows: &mut SharedRows,
    ) -> u32 {
        let s = self.band.stride();
        let band = &self.band;
        let first = &mut self.fwd[start * s..(start + 1) * s];
        // shared row k is forward row start + k + 1 (from forward row `start` for k = 0)
        rows.extend(gap, s, first, |k, prev, cur| {
            forward_row(band, prev, cur, start + k + 1, h[start + length + k], r);
        });
        let from = start + gap;
        let src = if gap == 0 {
            &self.fwd[start * s..(start + 1) * s]
        } else {
            &rows.buf[(gap - 1) * s..gap * s]
        };
        Self::seed_row(&mut self.seed, &self.band, from, src);
        self.forward_block(from, &h[start..start + length], r);
        let end = from + length;
        Self::combine(
            &self.band,
            end,
            &self.roll_a,
            &self.bwd[end * s..(end + 1) * s],
        )
    }

    /// Banded distance of `h` (as for [`Self::right_shift_cost`]) after the block
    /// `h[start..start + length]` moved left to `target < start`. Backward rows
    /// `start + length - 1` down to `target + length` then hold `h[target..start]` whatever
    /// the target, so they are kept in `rows` for the `(start, length)` group and computed
    /// once down to its smallest target; `length` forward block rows from forward row
    /// `target` are combined with the shared backward row `target + length`.
    /// O((new shared rows + length) * band width).
    pub fn left_shift_cost(
        &mut self,
        h: &[u32],
        r: &[u32],
        start: usize,
        length: usize,
        target: usize,
        rows: &mut SharedRows,
    ) -> u32 {
        let s = self.band.stride();
        let gap = start - target;
        let top = start + length;
        let band = &self.band;
        let first = &mut self.bwd[top * s..(top + 1) * s];
        // shared row k is backward row top - k - 1 (from backward row `top` for k = 0)
        rows.extend(gap, s, first, |k, next, cur| {
            let i = top - k - 1;
            backward_row(band, next, cur, i, h[i - length], r);
        });
        Self::seed_row(
            &mut self.seed,
            &self.band,
            target,
            &self.fwd[target * s..(target + 1) * s],
        );
        self.forward_block(target, &h[start..top], r);
        let end = target + length;
        Self::combine(
            &self.band,
            end,
            &self.roll_a,
            &rows.buf[(gap - 1) * s..gap * s],
        )
    }

    /// Forward value of cell `(i, j)` of the current hypothesis (`INF` outside the band).
    #[inline]
    fn fwd_at(&self, i: usize, j: usize) -> u32 {
        if (self.band.lo[i]..self.band.hi[i]).contains(&j) {
            self.fwd[i * self.band.stride() + j]
        } else {
            INF
        }
    }

    /// The traceback of the current hypothesis, first operation first, as sacreBLEU builds its
    /// trace: at each cell the first of (diagonal, vertical, horizontal) that reaches the cell's
    /// value (sacreBLEU keeps the first option with the minimal cost); column 0 is vertical,
    /// row 0 horizontal. O(n + m).
    pub fn trace(&self, h: &[u32], r: &[u32], ops: &mut Vec<TerOp>) {
        ops.clear();
        let (mut i, mut j) = (self.band.n, self.band.m);
        while i > 0 || j > 0 {
            let op = if i == 0 {
                TerOp::Insertion
            } else if j == 0 {
                TerOp::Deletion
            } else {
                let v = self.fwd_at(i, j);
                let same = h[i - 1] == r[j - 1];
                if self.fwd_at(i - 1, j - 1) + u32::from(!same) == v {
                    if same {
                        TerOp::Match
                    } else {
                        TerOp::Substitution
                    }
                } else if self.fwd_at(i - 1, j) + 1 == v {
                    TerOp::Deletion
                } else {
                    TerOp::Insertion
                }
            };
            match op {
                TerOp::Match | TerOp::Substitution => {
                    i -= 1;
                    j -= 1;
                }
                TerOp::Deletion => i -= 1,
                TerOp::Insertion => j -= 1,
            }
            ops.push(op);
        }
        ops.reverse();
    }
}
