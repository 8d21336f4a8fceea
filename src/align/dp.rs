//! Banded dynamic programming over beads.

use std::ops::Range;

use super::profile::{Profiles, Scorer};
use super::{length_cost, Aligner};

/// One aligned pair of ranges `(refs, hyps)`.
pub(crate) type Pair = (Range<usize>, Range<usize>);

const NO_BEAD: u8 = u8::MAX;

/// The DP band: row `i` (reference prefix length) holds columns `lo[i]..=hi[i]` (MT prefix
/// lengths) around a centre: first the diagonal `i·m/n`, later the previous round's path.
/// Cells are stored row after row in one flat array.
struct Band {
    lo: Vec<usize>,
    hi: Vec<usize>,
    offset: Vec<usize>,
}

impl Band {
    /// Row `i` spans `centre[i].0 - w ..= centre[i].1 + w` (clipped to `0..=m`).
    /// O(n) time and memory.
    fn new(centres: &[(usize, usize)], m: usize, w: usize) -> Band {
        let rows = centres.len();
        let mut band = Band {
            lo: Vec::with_capacity(rows),
            hi: Vec::with_capacity(rows),
            offset: Vec::with_capacity(rows + 1),
        };
        band.offset.push(0);
        for (i, &(a, b)) in centres.iter().enumerate() {
            let lo = a.saturating_sub(w);
            let hi = b.saturating_add(w).min(m);
            band.lo.push(lo);
            band.hi.push(hi);
            let last = band.offset[i];
            band.offset.push(last + (hi - lo + 1));
        }
        band
    }

    fn cells(&self) -> usize {
        self.offset.last().copied().unwrap_or(0)
    }

    fn index(&self, i: usize, j: usize) -> Option<usize> {
        if j < self.lo[i] || j > self.hi[i] {
            return None;
        }
        Some(self.offset[i] + j - self.lo[i])
    }
}

/// Best bead path from `(0, 0)` to `(n, m)`, in order.
///
/// While the path touches the band's edge, the DP reruns with the band re-centred on that path
/// (so a drift away from the diagonal, e.g. after a run of additions, is followed without
/// widening); every [`RECENTRES_PER_WIDTH`] such rounds the half-width doubles. The round whose
/// band covers the whole matrix is final, so the result is always a full path.
pub(crate) fn banded(
    cfg: &Aligner,
    rp: &Profiles,
    hp: &Profiles,
    scorer: &mut Scorer,
) -> Vec<Pair> {
    let (n, m) = (rp.len(), hp.len());
    if n == 0 || m == 0 {
        let skips = (0..n).map(|i| (i..i + 1, 0..0));
        return skips.chain((0..m).map(|j| (0..0, j..j + 1))).collect();
    }
    let beads = &cfg.beads;
    let priors: Vec<f64> = beads.iter().map(|&(_, p)| -f64::ln(p)).collect();
    // Consecutive rows must overlap, so the band is at least as wide as one row's step.
    let mut w = cfg.initial_band.max(m.div_ceil(n) + 1);
    let mut centres: Vec<(usize, usize)> = (0..=n)
        .map(|i| {
            let c = (i * m + n / 2) / n;
            (c, c)
        })
        .collect();
    let mut rounds = 0;
    loop {
        let full = w >= m;
        let band = Band::new(&centres, m, w);
        let mut cost = vec![f64::INFINITY; band.cells()];
        let mut back = vec![NO_BEAD; band.cells()];
        // Per cell (i, j): coverage of reference i-1 by MT j-1 and of MT j-1 by reference i-1.
        let mut pair = vec![(0f64, 0f64); band.cells()];
        cost[0] = 0.0;
        for i in 0..=n {
            for j in band.lo[i]..=band.hi[i] {
                let Some(here) = band.index(i, j) else {
                    continue;
                };
                let one_to_one = (i > 0 && j > 0).then(|| scorer.pair(i - 1, j - 1));
                if let Some(o) = one_to_one {
                    let uh = o.uncovered - o.ref_uncovered;
                    pair[here] = (1.0 - o.ref_uncovered, 1.0 - uh);
                }
                if i == 0 && j == 0 {
                    continue;
                }
                let mut best = f64::INFINITY;
                let mut best_k = NO_BEAD;
                for (k, &((a, b), _)) in beads.iter().enumerate() {
                    if a > i || b > j {
                        continue;
                    }
                    let Some(p) = band.index(i - a, j - b) else {
                        continue;
                    };
                    let base = cost[p];
                    if !base.is_finite() {
                        continue;
                    }
                    let mut c = base + priors[k];
                    if c >= best {
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
                                let bound = uncovered_bound(&band, &pair, r.clone(), h.clone());
                                if c + cfg.similarity_weight * bound >= best {
                                    continue;
                                }
                                scorer.overlap(r, h).uncovered
                            }
                        };
                        c += cfg.similarity_weight * uncovered;
                    }
                    if c < best {
                        best = c;
                        best_k = k as u8;
                    }
                }
                cost[here] = best;
                back[here] = best_k;
            }
        }
        rounds += 1;
        if rounds % RECENTRES_PER_WIDTH == 0 {
            w = w.saturating_mul(2);
        }
        match trace(&band, &back, beads, n, m) {
            Some((path, touched)) if full || !touched => return path,
            Some((path, _)) => centres = path_centres(&path, n),
            None if full => {
                // Unreachable: the full matrix always connects through 1-0 and 0-1 beads.
                let skips = (0..n).map(|i| (i..i + 1, 0..0));
                return skips.chain((0..m).map(|j| (0..0, j..j + 1))).collect();
            }
            // The first band always contains the diagonal staircase and later ones the previous
            // path, so this is not expected; widening makes progress all the same.
            None => w = w.saturating_mul(2),
        }
    }
}

/// A lower bound on a bead's uncovered sum from the pairwise coverages of its sentences: a
/// sentence matches the merged other side at most as much as the sum of its matches with each
/// sentence there (`min(c, Σ c_y) <= Σ min(c, c_y)`), and its marginal coverage is at most that.
/// 0 (no bound) when a pair lies outside the band.
fn uncovered_bound(band: &Band, pair: &[(f64, f64)], r: Range<usize>, h: Range<usize>) -> f64 {
    let mut bound = 0.0;
    for x in r.clone() {
        let mut s = 0.0;
        for y in h.clone() {
            let Some(p) = band.index(x + 1, y + 1) else {
                return 0.0;
            };
            s += pair[p].0;
        }
        bound += 1.0 - s.min(1.0);
    }
    for y in h {
        let mut s = 0.0;
        for x in r.clone() {
            let Some(p) = band.index(x + 1, y + 1) else {
                return 0.0;
            };
            s += pair[p].1;
        }
        bound += 1.0 - s.min(1.0);
    }
    bound
}

/// Rounds of re-centring at one band width before the width doubles.
const RECENTRES_PER_WIDTH: usize = 3;

/// For each row `0..=n`, the first and last column the path visits in it.
fn path_centres(path: &[Pair], n: usize) -> Vec<(usize, usize)> {
    let mut centres = vec![(usize::MAX, 0); n + 1];
    let mut visit = |i: usize, j: usize| {
        let c = &mut centres[i];
        *c = (c.0.min(j), c.1.max(j));
    };
    visit(0, 0);
    for (r, h) in path {
        visit(r.end, h.end);
    }
    // Rows inside a multi-row bead get the bead's start column.
    let mut last = (0, 0);
    for c in centres.iter_mut() {
        if c.0 == usize::MAX {
            *c = (last.1, last.1);
        }
        last = *c;
    }
    centres
}

/// Follows back pointers from `(n, m)`. Returns the path in order and whether it touched an
/// edge of the band that is not an edge of the matrix; `None` if `(n, m)` was not reached.
fn trace(
    band: &Band,
    back: &[u8],
    beads: &[((usize, usize), f64)],
    n: usize,
    m: usize,
) -> Option<(Vec<Pair>, bool)> {
    let (mut i, mut j) = (n, m);
    let mut path = Vec::new();
    let mut touched = false;
    while i > 0 || j > 0 {
        let k = back[band.index(i, j)?];
        let &((a, b), _) = beads.get(usize::from(k))?;
        path.push((i - a..i, j - b..j));
        i -= a;
        j -= b;
        if (i, j) != (0, 0) && ((j == band.lo[i] && j > 0) || (j == band.hi[i] && j < m)) {
            touched = true;
        }
    }
    path.reverse();
    Some((path, touched))
}
