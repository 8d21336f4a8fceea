//! Statistical significance on stored sufficient statistics: bootstrap confidence intervals,
//! paired bootstrap resampling and paired approximate randomisation, as sacreBLEU 2.6.0 defines
//! them (`sacrebleu/significance.py`, `Metric.corpus_score(n_bootstrap=..)` in
//! `sacrebleu/metrics/base.py`, and the `--confidence`, `--paired-bs`, `--paired-ar` CLI options).
//!
//! Every test works on a [`StatsMatrix`]: the per-segment sufficient statistics of one system,
//! as [`SegmentMetric::segment_stats`] returns them, stored *flat and row-major* (segment `i` is
//! `data[i * width..(i + 1) * width]`, one allocation). Resampling therefore never re-tokenises:
//! a resample is the element-wise sum of `n` stored rows, scored once with
//! [`SegmentMetric::corpus_score`]. The flat layout is what lets the kernels stream the statistics
//! (a `Vec<Vec<f64>>` would add a pointer chase per segment).
//!
//! # Definitions (all as sacreBLEU)
//!
//! * **Interval** (`estimate_ci`): the `n` resampled scores are sorted; `lower = s[n / 40]`,
//!   `upper = s[n - n / 40 - 1]` (a 95% percentile interval), `half_width = (upper - lower) / 2`,
//!   `mean` = mean of the resampled scores. sacreBLEU prints `mean ± half_width`
//!   (`μ = 30.3134 ± 0.9126`): the mean of the resamples, *not* the actual score, and a
//!   symmetric half-width around it although the percentile interval need not be symmetric.
//! * **Paired bootstrap** (`_paired_bs_test`, Moses `bootstrap-hypothesis-difference-significance.pl`):
//!   the same `N` resamples (segment indices drawn with replacement) are applied to the baseline
//!   and the system. With `d_k = |sys_k - base_k|` and `d̄` their mean, the centred statistics
//!   are `d_k - d̄`; with the observed `δ = |sys - base|` of the actual corpus scores,
//!   `p = (#{k : d_k - d̄ > δ} + 1) / (N + 1)`. Both intervals come from those resamples.
//! * **Approximate randomisation** (`_paired_ar_test`, multeval): in each of `N` trials every
//!   segment's statistics are swapped between the two systems with probability 1/2, giving two
//!   pseudo-systems `A` and `B`; `p = (#{t : |A_t - B_t| > δ} + 1) / (N + 1)`.
//!
//! Both p-values count *strictly greater* statistics (multeval's "the != is important"), so a
//! system compared with itself (every statistic and `δ` exactly 0) gets `p = 1 / (N + 1)`, the
//! smallest p-value possible: sacreBLEU reports identical systems as significantly different
//! (the behaviour multeval issue #5 complained about). We keep that definition to stay faithful;
//! callers who compare a system with itself must not read that p-value as evidence.
//!
//! # Where we differ from sacreBLEU
//!
//! * Random numbers: sacreBLEU draws from numpy's `default_rng(seed)` (PCG64); reproducing that
//!   stream is not practical, so the same seed gives different resamples and the numbers agree
//!   with sacreBLEU only up to Monte-Carlo error (on WMT22 ru-en, means and half-widths within
//!   0.15 BLEU/chrF). We use our own xoshiro256** generator with one independent sub-stream per
//!   resample (or trial), keyed by `(seed, test, index)`: results are bit-identical for a given
//!   seed whatever the number of rayon threads, and the resamples of [`bootstrap_ci`] and
//!   [`paired_bootstrap`] are the same for the same seed (sacreBLEU has that property too: both
//!   draw the first block of a freshly seeded generator).
//! * sacreBLEU sums resampled statistics in `float32` (exact below 2^24 per statistic); we sum
//!   in `f64` (exact for integer statistics below 2^53).
//! * sacreBLEU's paired tests treat a seed of 0 as "no seed" (`self._seed if self._seed else
//!   None`); here 0 is an ordinary seed. `None` (`SACREBLEU_SEED=none`) draws a seed from the OS.
//! * For AR with a confidence estimate, sacreBLEU draws the system's bootstrap indices after
//!   the AR masks; we use the bootstrap sub-streams, so both intervals use the same resamples.
//!
//! # Cost
//!
//! Bootstrap: a resample is computed as `sum_j count_j * row_j`, where `count_j` is how often
//! its draws picked segment `j` (the same draws as gathering rows one by one, which a unit test
//! checks); up to 16 resamples share one sequential pass over the statistics. That is
//! `O(N * n * width)` multiply-adds plus `N * n` random draws, with no random gathers, parallel
//! over blocks of resamples. Measured (release, 2 shared cores): 1,000 paired resamples of
//! 200,000 segments x 10 statistics take about 1.6 s of CPU, under a second of wall time when
//! the machine is idle (a row-gathering kernel took 7 s of CPU).
//!
//! AR: `O(N * n * width / 2)`: only the swapped rows are read, since the pseudo-systems are the
//! system's totals plus the sum of `baseline - system` over swapped segments, and the
//! baseline's totals minus that sum (exact for integer statistics). 1,000 trials over 200,000
//! segments take about 0.9 s of CPU.

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::metrics::SegmentMetric;

/// Bootstrap resamples for confidence intervals and the paired bootstrap test: sacreBLEU
/// `PairedTest._DEFAULT_SAMPLES['bs']`, CLI `--confidence-n` and `--paired-bs-n` defaults.
pub const DEFAULT_BOOTSTRAP_SAMPLES: usize = 1000;

/// Approximate-randomisation trials: sacreBLEU `PairedTest._DEFAULT_SAMPLES['ar']`, CLI
/// `--paired-ar-n` default.
pub const DEFAULT_AR_TRIALS: usize = 10_000;

/// Seed used when `SACREBLEU_SEED` is unset: sacreBLEU `os.environ.get('SACREBLEU_SEED', '12345')`.
pub const DEFAULT_SEED: u64 = 12345;

/// The environment variable sacreBLEU reads its seed from; the value `none` (any case) means
/// "seed from the OS".
pub const SEED_ENV: &str = "SACREBLEU_SEED";

/// sacreBLEU marks a p-value with `*` unless `p > 0.05` (`print_results_table` in
/// `sacrebleu/utils.py`), so `p == 0.05` counts as significant.
pub const SIGNIFICANCE_LEVEL: f64 = 0.05;

/// The percentile interval drops `n / 40` resamples on each side: 95% (sacreBLEU `estimate_ci`).
const CI_TAIL_DIVISOR: usize = 40;

/// Sub-stream domains, so that bootstrap and AR draws for the same seed are independent.
const DOMAIN_BOOTSTRAP: u64 = 0xB007_57A9;
const DOMAIN_AR: u64 = 0xA9_0000_0001;

// ---------------------------------------------------------------------------------------------
// Statistics matrix
// ---------------------------------------------------------------------------------------------

/// Per-segment sufficient statistics of one system, flat and row-major.
///
/// Invariant: `width >= 1` and `data.len() == len() * width`.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsMatrix {
    data: Vec<f64>,
    width: usize,
}

impl StatsMatrix {
    /// An empty matrix whose rows will have `width` statistics. Fails if `width == 0`.
    pub fn new(width: usize) -> Result<StatsMatrix> {
        if width == 0 {
            return Err(Error::config("a statistics row needs at least one value"));
        }
        Ok(StatsMatrix {
            data: Vec::new(),
            width,
        })
    }

    /// Wraps flat row-major data. Fails unless `width >= 1` divides `data.len()`.
    pub fn from_flat(data: Vec<f64>, width: usize) -> Result<StatsMatrix> {
        if width == 0 || !data.len().is_multiple_of(width) {
            return Err(Error::mismatch(format!(
                "{} statistics cannot be split into rows of {width}",
                data.len()
            )));
        }
        Ok(StatsMatrix { data, width })
    }

    /// Copies rows (e.g. the vectors [`SegmentMetric::segment_stats`] returned). All rows must have
    /// `width` values. O(rows * width).
    pub fn from_rows<R: AsRef<[f64]>>(width: usize, rows: &[R]) -> Result<StatsMatrix> {
        let mut m = StatsMatrix::new(width)?;
        m.data.reserve(rows.len() * width);
        for row in rows {
            m.push(row.as_ref())?;
        }
        Ok(m)
    }

    /// Appends one segment's statistics. Fails if `row.len() != width`.
    pub fn push(&mut self, row: &[f64]) -> Result<()> {
        if row.len() != self.width {
            return Err(Error::mismatch(format!(
                "segment {} has {} statistics, expected {}",
                self.len() + 1,
                row.len(),
                self.width
            )));
        }
        self.data.extend_from_slice(row);
        Ok(())
    }

    /// Number of segments (rows).
    pub fn len(&self) -> usize {
        self.data.len() / self.width
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Number of statistics per segment.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Statistics of segment `i`, if it exists.
    pub fn row(&self, i: usize) -> Option<&[f64]> {
        self.data.get(i * self.width..(i + 1) * self.width)
    }

    /// The flat row-major data.
    pub fn as_flat(&self) -> &[f64] {
        &self.data
    }

    /// Element-wise sum of all rows, in row order (what the actual corpus score is computed from).
    pub fn totals(&self) -> Vec<f64> {
        let mut acc = vec![0.0; self.width];
        for row in self.data.chunks_exact(self.width) {
            add_row(&mut acc, row);
        }
        acc
    }
}

#[inline(always)]
fn add_row(acc: &mut [f64], row: &[f64]) {
    for (a, x) in acc.iter_mut().zip(row) {
        *a += *x;
    }
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/// A bootstrap estimate of one system's score (sacreBLEU `estimate_ci`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// The actual corpus score (from the sums of all segments, not resampled).
    pub score: f64,
    /// Mean of the resampled scores (sacreBLEU's `μ`).
    pub mean: f64,
    /// `(upper - lower) / 2`: what sacreBLEU prints after `±`.
    pub half_width: f64,
    /// Resampled score at sorted index `n / 40`.
    pub lower: f64,
    /// Resampled score at sorted index `n - n / 40 - 1`.
    pub upper: f64,
    /// Number of resamples.
    pub n_samples: usize,
}

impl Interval {
    /// sacreBLEU's confidence string, e.g. `μ = 30.3134 ± 0.9126` for `width = 4`.
    pub fn confidence_string(&self, width: usize) -> String {
        format!("μ = {:.w$} ± {:.w$}", self.mean, self.half_width, w = width)
    }

    /// A paired-test table cell as sacreBLEU prints it: `30.3298 (30.3134 ± 0.9126)`.
    pub fn table_cell(&self, width: usize) -> String {
        format!(
            "{:.w$} ({:.w$} ± {:.w$})",
            self.score,
            self.mean,
            self.half_width,
            w = width
        )
    }
}

/// Which paired test produced a [`PairedResult`]; serialised as sacreBLEU's signature key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PairedTest {
    /// Paired bootstrap resampling (`bs`).
    #[serde(rename = "bs")]
    Bootstrap,
    /// Paired approximate randomisation (`ar`).
    #[serde(rename = "ar")]
    ApproximateRandomization,
}

/// The outcome of comparing one system with a baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairedResult {
    pub test: PairedTest,
    /// Bootstrap resamples (`bs`) or AR trials (`ar`).
    pub n_samples: usize,
    /// The seed as given; `None` means it was drawn from the OS (sacreBLEU prints `seed:none`).
    pub seed: Option<u64>,
    /// Actual corpus scores.
    pub baseline_score: f64,
    pub system_score: f64,
    /// Observed statistic `|system_score - baseline_score|`.
    pub delta: f64,
    /// How many resamples/trials had a statistic strictly greater than `delta`.
    pub count_greater: usize,
    /// `(count_greater + 1) / (n_samples + 1)`.
    pub p_value: f64,
    /// `p_value <= SIGNIFICANCE_LEVEL` (sacreBLEU's `*`).
    pub significant: bool,
    /// Bootstrap estimates; always present for `bs`, present for `ar` only when a confidence
    /// estimate was asked for.
    pub baseline: Option<Interval>,
    pub system: Option<Interval>,
}

impl PairedResult {
    /// sacreBLEU's p-value cell: `(p = 0.0010)*`, the star when significant (always 4 decimals).
    pub fn p_value_cell(&self) -> String {
        let star = if self.significant { "*" } else { "" };
        format!("(p = {:.4}){star}", self.p_value)
    }

    /// The metric signature with the test fields sacreBLEU adds after `nrefs`:
    /// `nrefs:1|bs:1000|seed:12345|case:mixed|...` or `nrefs:1|ar:10000|seed:12345|...`
    /// (`bs:M|ar:N` when AR has a confidence estimate: the order of sacreBLEU's `Signature.info`).
    pub fn signature(&self, metric_signature: &str) -> String {
        let mut fields = Vec::new();
        match self.test {
            PairedTest::Bootstrap => fields.push(format!("bs:{}", self.n_samples)),
            PairedTest::ApproximateRandomization => {
                if let Some(ci) = &self.system {
                    fields.push(format!("bs:{}", ci.n_samples));
                }
                fields.push(format!("ar:{}", self.n_samples));
            }
        }
        fields.push(format!("seed:{}", seed_string(self.seed)));
        insert_signature_fields(metric_signature, &fields.join("|"))
    }
}

/// The signature of a single-system bootstrap estimate (`--confidence`):
/// `nrefs:1|bs:1000|seed:12345|...`.
pub fn bootstrap_signature(metric_signature: &str, n_samples: usize, seed: Option<u64>) -> String {
    insert_signature_fields(
        metric_signature,
        &format!("bs:{n_samples}|seed:{}", seed_string(seed)),
    )
}

fn seed_string(seed: Option<u64>) -> String {
    seed.map_or_else(|| "none".to_string(), |s| s.to_string())
}

/// Inserts `fields` after a leading `nrefs:..` field (sacreBLEU's order), else at the front.
fn insert_signature_fields(signature: &str, fields: &str) -> String {
    if signature.is_empty() {
        return fields.to_string();
    }
    match signature.split_once('|') {
        Some((first, rest)) if first.starts_with("nrefs:") => format!("{first}|{fields}|{rest}"),
        None if signature.starts_with("nrefs:") => format!("{signature}|{fields}"),
        _ => format!("{fields}|{signature}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------------

/// Parses a `SACREBLEU_SEED` value: `none` (any case) gives `None` (seed from the OS), a
/// non-negative integer gives `Some`. numpy rejects negative seeds, and so do we.
pub fn parse_seed(value: &str) -> Result<Option<u64>> {
    let v = value.trim();
    if v.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    v.parse::<u64>().map(Some).map_err(|_| {
        Error::config(format!(
            "{SEED_ENV}={value:?}: expected a non-negative integer or 'none'"
        ))
    })
}

/// The seed sacreBLEU would use: `SACREBLEU_SEED` if set (see [`parse_seed`]), else
/// [`DEFAULT_SEED`].
pub fn seed_from_env() -> Result<Option<u64>> {
    match std::env::var(SEED_ENV) {
        Ok(v) => parse_seed(&v),
        Err(std::env::VarError::NotPresent) => Ok(Some(DEFAULT_SEED)),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(Error::config(format!("{SEED_ENV} is not valid UTF-8")))
        }
    }
}

/// A concrete seed: the given one, or one drawn from the OS's hash randomness and the clock.
fn resolve_seed(seed: Option<u64>) -> u64 {
    match seed {
        Some(s) => s,
        None => {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
                h.write_u128(t.as_nanos());
            }
            h.finish()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Random numbers: xoshiro256** (Blackman & Vigna) seeded through SplitMix64
// ---------------------------------------------------------------------------------------------

/// SplitMix64 increment (Steele, Lea & Flood 2014).
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function: a bijective 64-bit mixer.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256**: 256-bit state, period 2^256 - 1, passes BigCrush; ~1 ns per draw.
#[derive(Debug, Clone)]
struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// An independent generator for sub-stream `index` of `domain` under `seed`: the key is
    /// mixed from all three, then expanded by SplitMix64 into the state (never all zero:
    /// SplitMix64 outputs four consecutive distinct values of a bijection).
    fn stream(seed: u64, domain: u64, index: u64) -> Rng {
        let mut key =
            mix64(mix64(seed ^ mix64(domain)).wrapping_add(index.wrapping_mul(GOLDEN_GAMMA)));
        let mut s = [0u64; 4];
        for x in &mut s {
            key = key.wrapping_add(GOLDEN_GAMMA);
            *x = mix64(key);
        }
        Rng { s }
    }

    #[inline(always)]
    fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform integer in `0..n` (`n >= 1`), unbiased (Lemire 2019, multiply and reject).
    #[inline(always)]
    fn below(&mut self, n: u64) -> u64 {
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }
}

// ---------------------------------------------------------------------------------------------
// Kernels
// ---------------------------------------------------------------------------------------------

/// Sums `n = data.len() / acc.len()` rows drawn with replacement by `rng` into `acc`: the
/// direct definition of a bootstrap resample, kept as the slow twin of [`block_sums`].
/// O(n * width), one random gather per draw.
#[cfg(test)]
fn resample_sum(data: &[f64], acc: &mut [f64], rng: &mut Rng) {
    let width = acc.len();
    let n = data.len() / width;
    acc.fill(0.0);
    for _ in 0..n {
        let j = rng.below(n as u64) as usize;
        if let Some(row) = data.get(j * width..(j + 1) * width) {
            add_row(acc, row);
        }
    }
}

/// Sum over segments whose bit is set in trial `rng`'s masks of the rows of `diff` into `acc`:
/// one 64-bit word decides 64 consecutive segments. O(n * width / 2) expected, reading only
/// the swapped rows in increasing order. (A blocked, branch-free variant like [`block_sums`]
/// measured 2x slower: it reads every row for every trial.)
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

/// sacreBLEU `estimate_ci` over resampled scores (sorted with `total_cmp`, so NaN scores sort
/// last instead of panicking). `scores` must not be empty. O(N log N).
fn estimate(score: f64, scores: &[f64]) -> Interval {
    let mut sorted = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let lo = n / CI_TAIL_DIVISOR;
    let hi = n - lo - 1;
    let lower = sorted[lo];
    let upper = sorted[hi];
    let mean = sorted.iter().sum::<f64>() / n as f64;
    Interval {
        score,
        mean,
        half_width: 0.5 * (upper - lower),
        lower,
        upper,
        n_samples: n,
    }
}

/// `(count + 1) / (n + 1)` with `count` = statistics strictly greater than `observed`
/// (sacreBLEU `_compute_p_value`).
fn p_value(stats: impl Iterator<Item = f64>, n: usize, observed: f64) -> (usize, f64) {
    let count = stats.filter(|&s| s > observed).count();
    (count, (count + 1) as f64 / (n + 1) as f64)
}

fn check_stats(metric: &dyn SegmentMetric, stats: &StatsMatrix, what: &str) -> Result<()> {
    let expected = metric.stat_names().len();
    if stats.width() != expected {
        return Err(Error::mismatch(format!(
            "{what}: {} statistics per segment, but {} has {expected}",
            stats.width(),
            metric.name()
        )));
    }
    if stats.is_empty() {
        return Err(Error::mismatch(format!("{what}: no segments to resample")));
    }
    Ok(())
}

fn check_pair(
    metric: &dyn SegmentMetric,
    baseline: &StatsMatrix,
    system: &StatsMatrix,
) -> Result<()> {
    check_stats(metric, baseline, "baseline")?;
    check_stats(metric, system, "system")?;
    if baseline.len() != system.len() {
        return Err(Error::mismatch(format!(
            "paired test: baseline has {} segments, system has {}",
            baseline.len(),
            system.len()
        )));
    }
    Ok(())
}

fn check_samples(n: usize, what: &str) -> Result<()> {
    if n == 0 {
        return Err(Error::config(format!("{what} must be at least 1")));
    }
    Ok(())
}

/// Resamples handled together by [`block_sums`]: one pass over the statistics serves this many. 16 measured fastest of 4, 8, 16 (1000 x 200,000 x 10).
const MAX_BLOCK: usize = 16;

/// Memory for one worker's draw counts (`block * n` u32 values); caps the block for huge corpora.
const COUNTS_BUDGET_BYTES: usize = 64 << 20;

/// Resamples per block for `n` segments: a function of `n` only, never of the thread count.
fn resample_block(n: usize) -> usize {
    (COUNTS_BUDGET_BYTES / (4 * n.max(1))).clamp(1, MAX_BLOCK)
}

/// Draw counts of one resample: `counts[j]` = how many of the `n` draws of sub-stream `k` picked
/// segment `j` (the same draws `resample_sum` makes). O(n), random writes into `4n` bytes.
fn draw_counts(counts: &mut [u32], seed: u64, k: u64) {
    let n = counts.len() as u64;
    counts.fill(0);
    let mut rng = Rng::stream(seed, DOMAIN_BOOTSTRAP, k);
    for _ in 0..n {
        let j = rng.below(n) as usize;
        if let Some(c) = counts.get_mut(j) {
            *c += 1;
        }
    }
}

/// Sums for resamples `first..first + m`, `acc[b * width..][..width]`
/// for resample `first + b`: `sum_j counts_b[j] * row_j`, segments in order.
///
/// This is the fast twin of `resample_sum`: instead of gathering `n` random rows per
/// resample, it streams the statistics once per block, multiplying each row by its draw count.
/// For integer statistics both give identical sums; for fractional ones `c * x` may differ from
/// `x + .. + x` in the last bit. O(n * m * width) time; `counts` holds `m * n` values.
fn block_sums(
    data: &[f64],
    width: usize,
    seed: u64,
    first: usize,
    m: usize,
    counts: &mut [u32],
    acc: &mut [f64],
) {
    let n = data.len() / width;
    for b in 0..m {
        draw_counts(&mut counts[b * n..(b + 1) * n], seed, (first + b) as u64);
    }
    acc.fill(0.0);
    for (j, row) in data.chunks_exact(width).enumerate() {
        for b in 0..m {
            let c = f64::from(counts[b * n + j]);
            for (a, x) in acc[b * width..(b + 1) * width].iter_mut().zip(row) {
                *a += c * *x;
            }
        }
    }
}

/// Scores of `n_samples` bootstrap resamples of `data` (rows of `width`), resample `k` drawn
/// from sub-stream `k`; `split` > 0 scores `acc[..split]` and `acc[split..]` separately.
/// Parallel over blocks of [`resample_block`] resamples; the result does not depend on the
/// thread count (each resample's sum is computed the same way, in segment order).
fn bootstrap_scores(
    metric: &dyn SegmentMetric,
    data: &[f64],
    width: usize,
    split: usize,
    n_samples: usize,
    seed: u64,
) -> Vec<(f64, f64)> {
    let n = data.len() / width;
    let block = resample_block(n);
    let blocks = n_samples.div_ceil(block);
    let per_block: Vec<Vec<(f64, f64)>> = (0..blocks)
        .into_par_iter()
        .map_init(
            || (vec![0u32; block * n], vec![0.0; block * width]),
            |(counts, acc), blk| {
                let first = blk * block;
                let m = block.min(n_samples - first);
                block_sums(data, width, seed, first, m, counts, acc);
                acc.chunks_exact(width)
                    .take(m)
                    .map(|sums| {
                        if split == 0 {
                            (metric.corpus_score(sums), 0.0)
                        } else {
                            (
                                metric.corpus_score(&sums[..split]),
                                metric.corpus_score(&sums[split..]),
                            )
                        }
                    })
                    .collect()
            },
        )
        .collect();
    per_block.into_iter().flatten().collect()
}

// ---------------------------------------------------------------------------------------------
// Public tests
// ---------------------------------------------------------------------------------------------

/// Bootstrap confidence interval of one system's score (sacreBLEU `corpus_score(n_bootstrap)`,
/// CLI `--confidence`). Its resamples are the ones [`paired_bootstrap`] uses for the same seed,
/// so it equals that test's `baseline` interval bit for bit.
///
/// O(n_samples * n * width) time, parallel over resamples; O(n_samples) memory.
pub fn bootstrap_ci(
    metric: &dyn SegmentMetric,
    stats: &StatsMatrix,
    n_samples: usize,
    seed: Option<u64>,
) -> Result<Interval> {
    check_stats(metric, stats, "system")?;
    check_samples(n_samples, "bootstrap resamples")?;
    let seed = resolve_seed(seed);
    let score = metric.corpus_score(&stats.totals());
    let scores: Vec<f64> =
        bootstrap_scores(metric, stats.as_flat(), stats.width(), 0, n_samples, seed)
            .into_iter()
            .map(|(s, _)| s)
            .collect();
    Ok(estimate(score, &scores))
}

/// Interleaves two equally shaped matrices row by row: `[base_i | sys_i]`, so that one drawn
/// index reads one contiguous block. O(n * width).
fn interleave(baseline: &StatsMatrix, system: &StatsMatrix) -> Vec<f64> {
    let w = baseline.width();
    let mut out = Vec::with_capacity(baseline.as_flat().len() * 2);
    for (b, s) in baseline
        .as_flat()
        .chunks_exact(w)
        .zip(system.as_flat().chunks_exact(w))
    {
        out.extend_from_slice(b);
        out.extend_from_slice(s);
    }
    out
}

/// What a paired test observes on the actual corpora: both corpus scores and the statistic.
struct Observed {
    baseline_score: f64,
    system_score: f64,
    /// `|baseline_score - system_score|`, what the resamples or trials are measured against.
    delta: f64,
}

impl Observed {
    /// From the summed statistics ([`StatsMatrix::totals`]) of both systems.
    fn new(metric: &dyn SegmentMetric, baseline_totals: &[f64], system_totals: &[f64]) -> Observed {
        let baseline_score = metric.corpus_score(baseline_totals);
        let system_score = metric.corpus_score(system_totals);
        Observed {
            baseline_score,
            system_score,
            delta: (baseline_score - system_score).abs(),
        }
    }

    /// Both systems' intervals from paired resample scores `(baseline, system)`.
    fn intervals(&self, scores: &[(f64, f64)]) -> (Interval, Interval) {
        let base: Vec<f64> = scores.iter().map(|&(b, _)| b).collect();
        let sys: Vec<f64> = scores.iter().map(|&(_, s)| s).collect();
        (
            estimate(self.baseline_score, &base),
            estimate(self.system_score, &sys),
        )
    }

    /// The outcome of `test` with `n_samples` resamples or trials, `(count_greater, p)` from
    /// [`p_value`], and the intervals if any.
    fn result(
        self,
        test: PairedTest,
        n_samples: usize,
        seed: Option<u64>,
        (count_greater, p): (usize, f64),
        intervals: Option<(Interval, Interval)>,
    ) -> PairedResult {
        let (baseline, system) = intervals.unzip();
        PairedResult {
            test,
            n_samples,
            seed,
            baseline_score: self.baseline_score,
            system_score: self.system_score,
            delta: self.delta,
            count_greater,
            p_value: p,
            significant: p <= SIGNIFICANCE_LEVEL,
            baseline,
            system,
        }
    }
}

/// Scores `(baseline, system)` of `n_samples` paired bootstrap resamples: the same drawn
/// segments for both, [`bootstrap_ci`]'s resamples for the same seed.
fn paired_scores(
    metric: &dyn SegmentMetric,
    baseline: &StatsMatrix,
    system: &StatsMatrix,
    n_samples: usize,
    seed: u64,
) -> Vec<(f64, f64)> {
    let w = baseline.width();
    bootstrap_scores(
        metric,
        &interleave(baseline, system),
        2 * w,
        w,
        n_samples,
        seed,
    )
}

/// Paired bootstrap resampling (sacreBLEU `--paired-bs`, Moses-style centred statistic); see
/// the module docs for the p-value. Returns both systems' intervals (`baseline` and `system`
/// are always `Some`), computed from the shared resamples.
///
/// O(n_samples * n * width) time, parallel over resamples; O(n * width + n_samples) memory.
pub fn paired_bootstrap(
    metric: &dyn SegmentMetric,
    baseline: &StatsMatrix,
    system: &StatsMatrix,
    n_samples: usize,
    seed: Option<u64>,
) -> Result<PairedResult> {
    check_pair(metric, baseline, system)?;
    check_samples(n_samples, "bootstrap resamples")?;
    let observed = Observed::new(metric, &baseline.totals(), &system.totals());
    let scores = paired_scores(metric, baseline, system, n_samples, resolve_seed(seed));

    let diffs: Vec<f64> = scores.iter().map(|&(b, s)| (s - b).abs()).collect();
    let mean_diff = diffs.iter().sum::<f64>() / n_samples as f64;
    let p = p_value(
        diffs.iter().map(|d| d - mean_diff),
        n_samples,
        observed.delta,
    );
    let intervals = observed.intervals(&scores);
    Ok(observed.result(PairedTest::Bootstrap, n_samples, seed, p, Some(intervals)))
}

/// Paired approximate randomisation (sacreBLEU `--paired-ar`): `n_trials` random swaps of
/// per-segment statistics; see the module docs for the p-value. `confidence` = `Some(m)` adds
/// `m`-resample bootstrap intervals for both systems (sacreBLEU's `n_ar_confidence`, off by
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
    fn below_stays_in_range_and_covers_it() {
        let mut rng = Rng::stream(1, 2, 3);
        let mut seen = [0usize; 7];
        for _ in 0..7000 {
            let x = rng.below(7) as usize;
            seen[x] += 1;
        }
        assert!(seen.iter().all(|&c| c > 800 && c < 1200), "{seen:?}");
        assert_eq!(rng.below(1), 0);
    }

    #[test]
    fn streams_differ() {
        let a = Rng::stream(12345, DOMAIN_BOOTSTRAP, 0).next_u64();
        let b = Rng::stream(12345, DOMAIN_BOOTSTRAP, 1).next_u64();
        let c = Rng::stream(12345, DOMAIN_AR, 0).next_u64();
        let d = Rng::stream(12346, DOMAIN_BOOTSTRAP, 0).next_u64();
        assert!(a != b && a != c && a != d && b != c);
    }

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

    #[test]
    fn block_sums_agree_with_direct_resampling() {
        // Integer statistics: the count-weighted sums equal the gathered ones exactly.
        let (n, w) = (301, 3);
        let mut g = Rng::stream(99, 0, 0);
        let data: Vec<f64> = (0..n * w).map(|_| g.below(50) as f64).collect();
        let mut counts = vec![0u32; MAX_BLOCK * n];
        let mut acc = vec![0.0; MAX_BLOCK * w];
        for (first, m) in [(0, MAX_BLOCK), (13, 5), (1000, 1)] {
            block_sums(&data, w, 7, first, m, &mut counts, &mut acc);
            for b in 0..m {
                let mut direct = vec![0.0; w];
                let mut rng = Rng::stream(7, DOMAIN_BOOTSTRAP, (first + b) as u64);
                resample_sum(&data, &mut direct, &mut rng);
                assert_eq!(
                    &acc[b * w..(b + 1) * w],
                    &direct[..],
                    "resample {}",
                    first + b
                );
            }
        }
    }

    #[test]
    fn estimate_uses_sacrebleu_indices() {
        // n = 80: lower index 2, upper index 77.
        let scores: Vec<f64> = (0..80).rev().map(f64::from).collect();
        let iv = estimate(1.0, &scores);
        assert_eq!((iv.lower, iv.upper), (2.0, 77.0));
        assert_eq!(iv.half_width, 37.5);
        assert_eq!(iv.mean, 39.5);
        // n < 40: the full range.
        let iv = estimate(1.0, &[3.0, 1.0, 2.0]);
        assert_eq!((iv.lower, iv.upper, iv.half_width), (1.0, 3.0, 1.0));
    }

    #[test]
    fn signature_fields_go_after_nrefs() {
        assert_eq!(
            bootstrap_signature("nrefs:1|case:mixed|version:2.6.0", 1000, Some(12345)),
            "nrefs:1|bs:1000|seed:12345|case:mixed|version:2.6.0"
        );
        assert_eq!(
            bootstrap_signature("case:lc", 10, None),
            "bs:10|seed:none|case:lc"
        );
    }

    #[test]
    fn seeds_parse_like_sacrebleu() {
        assert_eq!(parse_seed("12345").ok(), Some(Some(12345)));
        assert_eq!(parse_seed("None").ok(), Some(None));
        assert!(parse_seed("-1").is_err());
        assert!(parse_seed("abc").is_err());
    }
}
