//! Banded dynamic programming over beads.

use std::ops::Range;

use super::profile::{Profiles, Scorer};
use super::{length_cost, Aligner};

/// One aligned pair of ranges `(refs, hyps)`.
pub(crate) type Pair = (Range<usize>, Range<usize>);

const NO_BEAD: u8 = u8::MAX;

/// The DP band: row `i` (reference prefix length) holds columns `lo[i]..=hi[i]` (MT prefix
/// lengths), centred on `i·m/n`. Cells are stored row after row in one flat array.
struct Band {
    lo: Vec<usize>,
    hi: Vec<usize>,
    offset: Vec<usize>,
}

impl Band {
    /// O(n) time and memory; `n >= 1`.
    fn new(n: usize, m: usize, w: usize) -> Band {
        let mut band = Band {
            lo: Vec::with_capacity(n + 1),
            hi: Vec::with_capacity(n + 1),
            offset: Vec::with_capacity(n + 2),
        };
        band.offset.push(0);
        for i in 0..=n {
            let centre = (i * m + n / 2) / n;
            let lo = centre.saturating_sub(w);
            let hi = (centre + w).min(m);
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

/// Best bead path from `(0, 0)` to `(n, m)`, in order. Reruns with a doubled band while the path
/// touches the band's edge (or the end is unreachable); the last round covers the whole matrix
/// if it has to, so the result is always a full path.
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
    loop {
        let full = w >= m;
        let band = Band::new(n, m, w);
        let mut cost = vec![f64::INFINITY; band.cells()];
        let mut back = vec![NO_BEAD; band.cells()];
        cost[0] = 0.0;
        for i in 0..=n {
            for j in band.lo[i]..=band.hi[i] {
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
                        c += cfg.similarity_weight * scorer.overlap(r, h).uncovered;
                    }
                    if c < best {
                        best = c;
                        best_k = k as u8;
                    }
                }
                if let Some(here) = band.index(i, j) {
                    cost[here] = best;
                    back[here] = best_k;
                }
            }
        }
        match trace(&band, &back, beads, n, m) {
            Some((path, touched)) if full || !touched => return path,
            _ if full => {
                // Unreachable: the full matrix always connects through 1-0 and 0-1 beads.
                let skips = (0..n).map(|i| (i..i + 1, 0..0));
                return skips.chain((0..m).map(|j| (0..0, j..j + 1))).collect();
            }
            _ => w = w.saturating_mul(2),
        }
    }
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
