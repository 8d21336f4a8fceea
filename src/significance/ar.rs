//! Paired approximate randomisation ([`paired_approximate_randomization`]): trials that swap
//! each segment's statistics between the two systems with probability 1/2, and their kernel,
//! which reads only the swapped rows.
//!
//! The swaps are sacreBLEU's `rng.integers(2, size=(n_trials, n), dtype=bool)`: one bit per
//! element in row-major order, so trial `t`, segment `j` is bit `t * n + j` of numpy's stream
//! ([`TrialBits`]). No draw is rejected, so every trial jumps straight to its first bit and the
//! trials run in parallel.

use rayon::prelude::*;

use super::bootstrap::{bootstrap_ci, interval_from};
use super::numpy::Pcg64;
use super::{add_row, check_pair, check_samples, p_value, resolve_seed};
use super::{Observed, PairedResult, PairedTest, Scores, StatsMatrix};
use crate::error::Result;
use crate::metrics::SegmentMetric;

/// The swap bits of one trial, 64 segments at a time: bit `i` of the `k`-th word is the mask
/// element of segment `64 k + i`.
struct TrialBits {
    rng: Pcg64,
    /// Bit offset of the trial's first element within a 64-bit output.
    offset: u32,
    /// The 64-bit output holding the next element (when `offset > 0`).
    current: u64,
}

impl TrialBits {
    /// Bits `first..` of the mask stream of a generator freshly seeded as `base`. O(log first).
    fn new(base: &Pcg64, first: u128) -> TrialBits {
        let mut rng = base.clone();
        rng.advance(first / 64);
        let offset = (first % 64) as u32;
        let current = if offset > 0 { rng.next_u64() } else { 0 };
        TrialBits {
            rng,
            offset,
            current,
        }
    }

    #[inline(always)]
    fn next_word(&mut self) -> u64 {
        if self.offset == 0 {
            return self.rng.next_u64();
        }
        let low = self.current >> self.offset;
        self.current = self.rng.next_u64();
        low | (self.current << (64 - self.offset))
    }
}

/// Sum over segments whose bit is set in `bits` of the rows of `diff` into `acc`: one 64-bit
/// word decides 64 consecutive segments. O(n * width / 2) expected, reading only the swapped
/// rows in increasing order. (A blocked, branch-free variant like
/// [`block_sums`](super::bootstrap::block_sums) measured 2x slower: it reads every row for
/// every trial.)
fn swapped_sum(diff: &[f64], acc: &mut [f64], bits: &mut TrialBits) {
    let width = acc.len();
    let n = diff.len() / width;
    acc.fill(0.0);
    let mut start = 0;
    while start < n {
        let mut word = bits.next_word();
        let left = n - start;
        if left < 64 {
            word &= (1u64 << left) - 1;
        }
        while word != 0 {
            let j = start + word.trailing_zeros() as usize;
            if let Some(row) = diff.get(j * width..(j + 1) * width) {
                add_row(acc, row);
            }
            word &= word - 1;
        }
        start += 64;
    }
}

/// Paired approximate randomisation (sacreBLEU `--paired-ar`): `n_trials` random swaps of
/// per-segment statistics; see the [module docs](super) for the p-value. `confidence` = `Some(m)`
/// adds `m`-resample bootstrap intervals for both systems (sacreBLEU's `n_ar_confidence`): the
/// baseline's from a freshly seeded generator (as [`bootstrap_ci`]), the system's from the
/// draws that follow the trials' bits, as sacreBLEU draws them. `None` leaves `baseline` and
/// `system` empty.
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
    let n = baseline.len() as u128;
    let base_totals = baseline.totals();
    let sys_totals = system.totals();
    let observed = Observed::new(metric, &base_totals, &sys_totals);
    let rng = Pcg64::seeded(seed);

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
                let mut bits = TrialBits::new(&rng, t as u128 * n);
                swapped_sum(&diff, acc, &mut bits);
                for i in 0..w {
                    a[i] = sys_totals[i] + acc[i];
                    b[i] = base_totals[i] - acc[i];
                }
                (metric.corpus_score(a) - metric.corpus_score(b)).abs()
            },
        )
        .collect();
    let p = p_value(&Scores::F64(stats), observed.delta);
    let intervals = match confidence {
        None => None,
        Some(m) => {
            let base = bootstrap_ci(metric, baseline, m, Some(seed))?;
            // The bool masks used ceil(n_trials * n / 32) 32-bit draws.
            let mut after = rng.clone();
            after.skip_u32((n_trials as u128 * n).div_ceil(32));
            let sys = interval_from(metric, system, m, &mut after);
            Some((base, sys))
        }
    };
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
    fn trial_bits_follow_numpys_bool_stream() {
        // Bit k of the stream is bit k % 64 of 64-bit output k / 64 (numpy's
        // `integers(2, dtype=bool)`, checked against numpy in `numpy.rs`).
        let base = Pcg64::seeded(5);
        let mut g = base.clone();
        let words: Vec<u64> = (0..6).map(|_| g.next_u64()).collect();
        let bit = |k: usize| (words[k / 64] >> (k % 64)) & 1;
        for first in [0usize, 1, 37, 64, 100] {
            let mut tb = TrialBits::new(&base, first as u128);
            let (w0, w1) = (tb.next_word(), tb.next_word());
            for i in 0..128 {
                let got = if i < 64 { w0 >> i } else { w1 >> (i - 64) } & 1;
                assert_eq!(got, bit(first + i), "first {first}, bit {i}");
            }
        }
    }

    #[test]
    fn swapped_sum_masks_the_tail() {
        // 70 segments of [1.0]: every sum is the popcount of the trial's 70 bits.
        let diff = vec![1.0; 70];
        let mut acc = [0.0];
        let base = Pcg64::seeded(7);
        for t in 0..50u128 {
            let mut bits = TrialBits::new(&base, t * 70);
            swapped_sum(&diff, &mut acc, &mut bits);
            let mut check = TrialBits::new(&base, t * 70);
            let ones = check.next_word().count_ones() + (check.next_word() & 0x3F).count_ones();
            assert_eq!(acc[0], f64::from(ones));
        }
    }
}
