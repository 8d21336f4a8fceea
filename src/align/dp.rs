//! Banded dynamic programming over beads, with a band that follows the best partial path.

use std::ops::Range;

use super::profile::{Profiles, Scorer};
use super::{length_cost, Aligner};

/// One aligned pair of ranges `(refs, hyps)`.
pub(crate) type Pair = (Range<usize>, Range<usize>);

const NO_BEAD: u8 = u8::MAX;

/// The DP band, built row by row: row `i` (reference prefix length) holds columns
/// `lo[i]..=hi[i]` (MT prefix lengths). Cells are stored row after row in one flat array.
/// Invariant: `offset.len() == lo.len() + 1 == hi.len() + 1`, `lo[i] <= hi[i]`.
#[derive(Default)]
struct Band {
    lo: Vec<usize>,
    hi: Vec<usize>,
    offset: Vec<usize>,
}

impl Band {
    fn with_rows(rows: usize) -> Band {
        let mut offset = Vec::with_capacity(rows + 1);
        offset.push(0);
        Band {
            lo: Vec::with_capacity(rows),
            hi: Vec::with_capacity(rows),
            offset,
        }
    }

    /// Appends the next row `lo..=hi`; returns the index of its first cell.
    fn push_row(&mut self, lo: usize, hi: usize) -> usize {
        let start = self.cells();
        self.lo.push(lo);
        self.hi.push(hi);
        self.offset.push(start + (hi - lo + 1));
        start
    }

    /// Keeps rows `0..rows`.
    fn truncate(&mut self, rows: usize) {
        self.lo.truncate(rows);
        self.hi.truncate(rows);
        self.offset.truncate(rows + 1);
    }

    fn cells(&self) -> usize {
        self.offset.last().copied().unwrap_or(0)
    }

    /// The cell of `(i, j)`, if row `i` exists and holds column `j`.
    fn index(&self, i: usize, j: usize) -> Option<usize> {
        let (&lo, &hi) = (self.lo.get(i)?, self.hi.get(i)?);
        if j < lo || j > hi {
            return None;
        }
        Some(self.offset[i] + j - lo)
    }
}

/// Best bead path from `(0, 0)` to `(n, m)`, in order.
///
/// One forward pass fills a band whose centre follows the best partial path: row `i` is centred
/// on the cheapest cell of row `i - 1` plus the diagonal's step `m/n`, so a drift away from the
/// diagonal (a run of additions or omissions) is followed as it happens. The last row always
/// reaches column `m`. Where the traced path touches the band's edge (a better path might leave
/// the band), the half-width of the rows around the touch grows by [`WIDEN`] and the pass
/// resumes from the first changed row: the rows before it are kept. A row whose band holds
/// `0..=m` cannot be touched, so the loop ends; after [`LOCAL_ROUNDS`] rounds every row widens.
///
/// Memory O((n + m)·w) for half-width w; time O((n + m)·w·B) for B n-grams per bead, when the
/// band holds the path at its initial width (one pass), plus the re-run rows otherwise.
pub(crate) fn banded(
    cfg: &Aligner,
    rp: &Profiles,
    hp: &Profiles,
    scorer: &mut Scorer,
) -> Vec<Pair> {
    let (n, m) = (rp.len(), hp.len());
    if n == 0 || m == 0 {
        return all_skips(n, m);
    }
    // Consecutive rows must overlap, so the band is at least as wide as one row's step.
    let w0 = cfg.initial_band.max(m.div_ceil(n) + 1);
    let mut pass = Pass::new(cfg, n, m, w0);
    let mut from = 0;
    for round in 1.. {
        pass.run(cfg, rp, hp, scorer, from);
        let Some((path, touched)) = trace(&pass.band, &pass.back, &cfg.beads, n, m) else {
            // Not expected: the band is connected from (0, 0) to (n, m). Widen everything.
            pass.widen_all();
            from = 0;
            continue;
        };
        // Rows already at the widest band cannot widen: the path is the best within it.
        let touched: Vec<usize> = touched
            .into_iter()
            .filter(|&r| pass.width[r] < pass.max_width)
            .collect();
        if touched.is_empty() {
            return path;
        }
        if round >= LOCAL_ROUNDS {
            pass.widen_all();
            from = 0;
        } else {
            from = pass.widen_around(&touched);
        }
    }
    unreachable!("the loop above only ends by returning")
}

/// Rounds of local widening before every row widens (bounds the number of passes).
const LOCAL_ROUNDS: usize = 6;

/// How much faster than the diagonal the band's left edge may move right per row: the argmin
/// of a row jitters by a few columns, and a left edge that jumped with it would cut off the path.
const MAX_EDGE_RISE: usize = 2;

/// Factor by which the band's half-width grows where the path touches its edge.
const WIDEN: usize = 4;

/// The widest half-width a row's band grows to (beads either side of the path's centre). It
/// bounds the cost of documents that do not align (unrelated or shuffled text, where the path
/// touches every edge) at O((n + m)·MAX_HALF_WIDTH) cells, linear in the document; a path that
/// would need a wider detour is the best within the band. Ours: the third widening of the
/// default initial band (8 -> 32 -> 128 -> 512) stops at 256, about 5 million cells for a
/// document of 10,000 reference sentences.
pub(crate) const MAX_HALF_WIDTH: usize = 256;

fn all_skips(n: usize, m: usize) -> Vec<Pair> {
    let skips = (0..n).map(|i| (i..i + 1, 0..0));
    skips.chain((0..m).map(|j| (0..0, j..j + 1))).collect()
}

/// The state of the forward pass: the band and its cells, row by row, so a pass can resume
/// from any row with the rows before it kept.
struct Pass {
    n: usize,
    m: usize,
    /// Half-width of the band per row (`0..=n`).
    width: Vec<usize>,
    /// The widest half-width: `m` (the whole row), at most [`MAX_HALF_WIDTH`] unless the
    /// initial band is wider.
    max_width: usize,
    band: Band,
    cost: Vec<f64>,
    /// Bead index per cell, [`NO_BEAD`] if unreachable.
    back: Vec<u8>,
    /// Per cell (i, j): coverage of reference i-1 by MT j-1 and of MT j-1 by reference i-1.
    pair: Vec<(f64, f64)>,
    /// Per row, the column of its cheapest cell (ranked as in [`Pass::run`]).
    cheapest: Vec<usize>,
    priors: Vec<f64>,
    /// Credit per consumed MT sentence when ranking the cells of a row.
    credit: f64,
}

impl Pass {
    fn new(cfg: &Aligner, n: usize, m: usize, w: usize) -> Pass {
        let priors: Vec<f64> = cfg.beads.iter().map(|&(_, p)| -f64::ln(p)).collect();
        // Cells of one row are ranked by `cost - credit·j`: a cell further right has consumed
        // more MT sentences, which a cell to its left must still pay for. `credit` is half the
        // price of one skip (1-0 or 0-1), so a path of an omission and an addition neither
        // gains nor loses against staying put. Ranking by raw cost drifts left, since omitting
        // a sentence is cheaper than a weak 1-1 match whose MT sentence is paid for later.
        let skip_price = |shape| {
            cfg.beads
                .iter()
                .zip(&priors)
                .find(|((t, _), _)| *t == shape)
                .map_or(0.0, |(_, &p)| p)
        };
        let credit = (2.0 * cfg.skip_cost + skip_price((1, 0)) + skip_price((0, 1))) / 4.0;
        let cells = (n + 1) * (2 * w + 1);
        Pass {
            n,
            m,
            width: vec![w; n + 1],
            max_width: m.min(MAX_HALF_WIDTH.max(w)),
            band: Band::with_rows(n + 1),
            cost: Vec::with_capacity(cells),
            back: Vec::with_capacity(cells),
            pair: Vec::with_capacity(cells),
            cheapest: Vec::with_capacity(n + 1),
            priors,
            credit,
        }
    }

    /// Multiplies every row's half-width by [`WIDEN`] (at most `max_width`).
    fn widen_all(&mut self) {
        for w in &mut self.width {
            *w = w.saturating_mul(WIDEN).min(self.max_width);
        }
    }

    /// Widens the rows around each touched row; returns the first row whose band changed.
    fn widen_around(&mut self, touched: &[usize]) -> usize {
        let mut first = self.n;
        let old = self.width.clone();
        for &r in touched {
            let w = old[r].saturating_mul(WIDEN).min(self.max_width);
            // The detour the wider band allows may start and end up to `w` rows away.
            let (a, b) = (r.saturating_sub(w), (r + w).min(self.n));
            for x in &mut self.width[a..=b] {
                *x = (*x).max(w);
            }
            first = first.min(a);
        }
        first
    }

    /// Drops rows `from..` and computes them again with the current widths.
    fn run(&mut self, cfg: &Aligner, rp: &Profiles, hp: &Profiles, sc: &mut Scorer, from: usize) {
        let (n, m) = (self.n, self.m);
        let from = from.min(self.band.lo.len());
        self.band.truncate(from);
        self.cheapest.truncate(from);
        let cells = self.band.cells();
        self.cost.truncate(cells);
        self.back.truncate(cells);
        self.pair.truncate(cells);
        for i in from..=n {
            let w = self.width[i];
            // The diagonal's step from row i-1 to row i (m/n, spread evenly).
            let step = if i == 0 {
                0
            } else {
                i * m / n - (i - 1) * m / n
            };
            let (lo, hi) = if i == 0 {
                (0, w.min(m))
            } else {
                // The path is monotone: the left edge never falls back and rises by at most a
                // little more than the diagonal's step; the right edge never falls back.
                let target = (self.cheapest[i - 1] + step).min(m);
                let (plo, phi) = (self.band.lo[i - 1], self.band.hi[i - 1]);
                let lo = target
                    .saturating_sub(w)
                    .clamp(plo, plo + step + MAX_EDGE_RISE)
                    .min(m);
                let hi = if i == n {
                    m
                } else {
                    (target + w).max(phi).min(m)
                };
                (lo.min(hi), hi)
            };
            let start = self.band.push_row(lo, hi);
            let cells = self.band.cells();
            self.cost.resize(cells, f64::INFINITY);
            self.back.resize(cells, NO_BEAD);
            self.pair.resize(cells, (0.0, 0.0));
            let mut row_best = (f64::INFINITY, lo);
            for j in lo..=hi {
                let here = start + j - lo;
                let (best, best_k) = self.cell(cfg, rp, hp, sc, i, j, here);
                self.cost[here] = best;
                self.back[here] = best_k;
                let key = best - self.credit * j as f64;
                if key < row_best.0 {
                    row_best = (key, j);
                }
            }
            self.cheapest.push(row_best.1);
        }
    }

    /// The cheapest way into cell `(i, j)` (stored at `here`): its cost and bead index.
    #[allow(clippy::too_many_arguments)]
    fn cell(
        &mut self,
        cfg: &Aligner,
        rp: &Profiles,
        hp: &Profiles,
        sc: &mut Scorer,
        i: usize,
        j: usize,
        here: usize,
    ) -> (f64, u8) {
        let one_to_one = (i > 0 && j > 0).then(|| sc.pair(i - 1, j - 1));
        if let Some(o) = one_to_one {
            let uh = o.uncovered - o.ref_uncovered;
            self.pair[here] = (1.0 - o.ref_uncovered, 1.0 - uh);
        }
        if i == 0 && j == 0 {
            return (0.0, NO_BEAD);
        }
        let mut best = f64::INFINITY;
        let mut best_k = NO_BEAD;
        for (k, &((a, b), _)) in cfg.beads.iter().enumerate() {
            if a > i || b > j {
                continue;
            }
            let Some(p) = self.band.index(i - a, j - b) else {
                continue;
            };
            let mut c = self.cost[p] + self.priors[k];
            // Also skips unreachable predecessors (infinite cost).
            if c.is_nan() || c >= best {
                continue;
            }
            if a == 0 || b == 0 {
                c += cfg.skip_cost * (a + b) as f64;
            } else {
                let (r, h) = (i - a..i, j - b..j);
                c += cfg.length_weight
                    * length_cost(rp.span_length(r.clone()), hp.span_length(h.clone()));
                if c >= best {
                    continue;
                }
                let uncovered = match one_to_one {
                    Some(o) if (a, b) == (1, 1) => o.uncovered,
                    _ => {
                        let bound = uncovered_bound(&self.band, &self.pair, r.clone(), h.clone());
                        if c + cfg.similarity_weight * bound >= best {
                            continue;
                        }
                        sc.overlap(r, h).uncovered
                    }
                };
                c += cfg.similarity_weight * uncovered;
            }
            if c < best {
                best = c;
                best_k = k as u8;
            }
        }
        (best, best_k)
    }
}

/// A lower bound on a bead's uncovered sum from the pairwise coverages of its sentences: a
/// sentence matches the merged other side at most as much as the sum of its matches with each
/// sentence there (`min(c, Σ c_y) <= Σ min(c, c_y)`), and its marginal coverage is at most that.
/// 0 (no bound) when a pair lies outside the band.
fn uncovered_bound(band: &Band, pair: &[(f64, f64)], r: Range<usize>, h: Range<usize>) -> f64 {
    let cell = |x: usize, y: usize| band.index(x + 1, y + 1).map(|p| pair[p]);
    // the reference sentences first, then the hypothesis sentences
    add_side_bound(0.0, r.clone(), h.clone(), |x, y| Some(cell(x, y)?.0))
        .and_then(|bound| add_side_bound(bound, h, r, |y, x| Some(cell(x, y)?.1)))
        .unwrap_or(0.0)
}

/// `bound` plus `1 - min(1, Σ_inner cov(o, i))` for each `o` of `outer`, in order: one side's
/// share of [`uncovered_bound`]. `None` as soon as `cov` is (a pair outside the band).
fn add_side_bound(
    mut bound: f64,
    outer: Range<usize>,
    inner: Range<usize>,
    cov: impl Fn(usize, usize) -> Option<f64>,
) -> Option<f64> {
    for o in outer {
        let mut s = 0.0;
        for i in inner.clone() {
            s += cov(o, i)?;
        }
        bound += 1.0 - s.min(1.0);
    }
    Some(bound)
}

/// Follows back pointers from `(n, m)`. Returns the path in order and the rows where it touched
/// an edge of the band that is not an edge of the matrix (a cell of the path on the edge, or a
/// row passed over by a multi-row bead whose band does not hold the bead's columns inside its
/// edges); `None` if `(n, m)` was not reached.
fn trace(
    band: &Band,
    back: &[u8],
    beads: &[((usize, usize), f64)],
    n: usize,
    m: usize,
) -> Option<(Vec<Pair>, Vec<usize>)> {
    let (mut i, mut j) = (n, m);
    let mut path = Vec::new();
    let mut touched = Vec::new();
    while i > 0 || j > 0 {
        let k = back[band.index(i, j)?];
        let &((a, b), _) = beads.get(usize::from(k))?;
        path.push((i - a..i, j - b..j));
        for r in i - a + 1..i {
            let lo_open = band.lo[r] < j - b || band.lo[r] == 0;
            let hi_open = band.hi[r] > j || band.hi[r] == m;
            if !(lo_open && hi_open) {
                touched.push(r);
            }
        }
        i -= a;
        j -= b;
        if (i, j) != (0, 0) && ((j == band.lo[i] && j > 0) || (j == band.hi[i] && j < m)) {
            touched.push(i);
        }
    }
    path.reverse();
    Some((path, touched))
}
