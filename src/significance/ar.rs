//! Paired approximate randomisation ([`paired_approximate_randomization`]): trials that swap
//! each segment's statistics between the two systems with probability 1/2, and their kernel,
//! which reads only the swapped rows.

use rayon::prelude::*;

use super::bootstrap::paired_scores;
use super::rng::{Rng, DOMAIN_AR};
use super::{add_row, check_pair, check_samples, p_value, resolve_seed};
use super::{Observed, PairedResult, PairedTest, StatsMatrix};
use crate::error::Result;
use crate::metrics::SegmentMetric;

/// Sum over segments whose bit is set in trial `rng`'s masks of the rows of `diff` into `acc`:
/// one 64-bit word decides 64 consecutive segments. O(n * width / 2) expected, reading only
/// the swapped rows in increasing order. (A blocked, branch-free variant like
/// [`block_sums`](super::bootstrap::block_sums) measured 2x slower: it reads every row for
/// every trial.)
fn swapped_sum(diff: &[f64], acc: &mut [f64], rng: &mut Rng) {
    let width = acc.len();
    let n = diff.len() / width;
    acc.fill(0.0);
    let mut start = 0;
    while start < n {
        let mut bits = rng.next_u64();
        let left = n - start;
        if left < 64 {
            bits &= (1u64 << left) - 1;
        }
        while bits != 0 {
            let j = start + bits.trailing_zeros() as usize;
            if let Some(row) = diff.get(j * width..(j + 1) * width) {
                add_row(acc, row);
            }
            bits &= bits - 1;
        }
        start += 64;
    }
}

/// Paired approximate randomisation (sacreBLEU `--paired-ar`): `n_trials` random swaps of
/// per-segment statistics; see the [module docs](super) for the p-value. `confidence` = `Some(m)`
/// adds `m`-resample bootstrap intervals for both systems (sacreBLEU's `n_ar_confidence`, off by
/// default in its CLI); `None` leaves `baseline` and `system` empty.
///
/// O(n_trials * n * width / 2) time, parallel over trials; O(n * width + n_trials) memory.
pub fn paired_approximate_randomization(
    metric: &dyn SegmentMetric,
    baseline: &StatsMatrix,
    system: &StatsMatrix,
    n_trials: usize,
    confidence: Option<usize>,
    seed: Option<u64>,
) -> Result<PairedResult> {
    check_pair(metric, baseline, system)?;
    check_samples(n_trials, "approximate randomisation trials")?;
    if let Some(m) = confidence {
        check_samples(m, "bootstrap resamples")?;
    }
    let given_seed = seed;
    let seed = resolve_seed(seed);
    let w = baseline.width();
    let base_totals = baseline.totals();
    let sys_totals = system.totals();
    let observed = Observed::new(metric, &base_totals, &sys_totals);

    // Pseudo-system A takes the baseline's statistics where the trial's bit is set and the
    // system's elsewhere (sacreBLEU: `pos_sel @ bl_stats + neg_sel @ sys_stats`); B the rest.
    let diff: Vec<f64> = baseline
        .as_flat()
        .iter()
        .zip(system.as_flat())
        .map(|(b, s)| b - s)
        .collect();
    let stats: Vec<f64> = (0..n_trials)
        .into_par_iter()
        .map_init(
            || (vec![0.0; w], vec![0.0; w], vec![0.0; w]),
            |(acc, a, b), t| {
                let mut rng = Rng::stream(seed, DOMAIN_AR, t as u64);
                swapped_sum(&diff, acc, &mut rng);
                for i in 0..w {
                    a[i] = sys_totals[i] + acc[i];
                    b[i] = base_totals[i] - acc[i];
                }
                (metric.corpus_score(a) - metric.corpus_score(b)).abs()
            },
        )
        .collect();
    let p = p_value(stats.iter().copied(), n_trials, observed.delta);
    let intervals =
        confidence.map(|m| observed.intervals(&paired_scores(metric, baseline, system, m, seed)));
    Ok(observed.result(
        PairedTest::ApproximateRandomization,
        n_trials,
        given_seed,
        p,
        intervals,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swapped_sum_masks_the_tail() {
        // 70 segments of [1.0]: every sum is the popcount of the drawn bits, at most 70.
        let diff = vec![1.0; 70];
        let mut acc = [0.0];
        for t in 0..50 {
            let mut rng = Rng::stream(7, DOMAIN_AR, t);
            swapped_sum(&diff, &mut acc, &mut rng);
            let mut check = Rng::stream(7, DOMAIN_AR, t);
            let bits = check.next_u64().count_ones() + (check.next_u64() & 0x3F).count_ones();
            assert_eq!(acc[0], f64::from(bits));
        }
    }
}
