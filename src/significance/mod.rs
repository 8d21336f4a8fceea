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
//! # Random numbers and arithmetic (as sacreBLEU)
//!
//! The resamples are sacreBLEU's own, drawn from numpy's `default_rng(seed)` (`SeedSequence`
//! and PCG64, reimplemented bit for bit in the `numpy` submodule), so the same seed gives the
//! same resamples, intervals and p-values:
//!
//! * paired bootstrap and [`bootstrap_ci`]: resample `k` is row `k` of
//!   `rng.choice(n, size=(N, n))` from a freshly seeded generator (one per system, as
//!   sacreBLEU seeds one per comparison), so a system's interval is the same in both;
//! * approximate randomisation: trial `t` swaps the segments whose element of
//!   `rng.integers(2, size=(N, n), dtype=bool)` is set; its system interval (when asked for)
//!   uses the `choice` draws that follow, its baseline interval a freshly seeded generator.
//!
//! sacreBLEU sums resampled statistics in numpy `float32` (exact for the integer statistics
//! of BLEU, chrF and TER below 2^24; we sum in `f64`), and numpy's type promotion then computes
//! parts of each resample's score in single precision:
//! [`SegmentMetric::resampled_score`] reproduces that per metric, and the means, differences and
//! comparisons over the resampled scores stay in the array's precision (`float32` for chrF and
//! TER), with numpy's pairwise summation. The scores of the actual corpora and the
//! approximate-randomisation trials are double precision, as in sacreBLEU.
//!
//! Results are bit-identical for a given seed whatever the number of rayon threads: a
//! sequential pass finds where each block of resamples begins in numpy's stream, and the blocks
//! are then summed in parallel; AR trials jump straight to their first bit.
//!
//! # Where we differ from sacreBLEU
//!
//! * sacreBLEU's paired tests treat a seed of 0 as "no seed" (`self._seed if self._seed else
//!   None`); here 0 is an ordinary seed. `None` (`SACREBLEU_SEED=none`) draws a seed from the OS.
//! * Statistics that are not integers (TER's mean reference length over three or more
//!   references) are summed in `f64`, sacreBLEU's `float32` sums may round them.
//!
//! # Cost
//!
//! Bootstrap: a resample is computed as `sum_j count_j * row_j`, where `count_j` is how often
//! its draws picked segment `j` (the same draws as gathering rows one by one, which a unit test
//! checks); up to 16 resamples share one sequential pass over the statistics. That is
//! `O(N * n * width)` multiply-adds plus `2 * N * n` random draws (one sequential pass to find
//! the blocks, one inside them), with no random gathers and no `N x n` index matrix, parallel
//! over blocks of resamples. Measured (optimised test build, 2 cores shared with other builds):
//! 1,000 paired resamples of 200,000 segments x 10 statistics take about 2.6 s of CPU, of
//! which the sequential pass over numpy's 2 x 10^8 draws is 0.25 s and the draws inside the
//! blocks 0.5 s (a row-gathering kernel took 7 s of CPU).
//!
//! AR: `O(N * n * width / 2)`: only the swapped rows are read, since the pseudo-systems are the
//! system's totals plus the sum of `baseline - system` over swapped segments, and the
//! baseline's totals minus that sum (exact for integer statistics). 1,000 trials over 200,000
//! segments take about 1 s of CPU.
//!
//! # Example
//!
//! ```
//! use mtharness::significance::{bootstrap_ci, paired_bootstrap, StatsMatrix};
//! use mtharness::{Metric, SegmentMetric};
//!
//! let bleu = Metric::bleu().scorer();
//! let refs: Vec<String> = (0..50).map(|i| format!("the cat number {i} sat on the mat")).collect();
//! let rows = |hyp: &dyn Fn(usize) -> String| -> Vec<Vec<f64>> {
//!     (0..refs.len()).map(|i| bleu.segment_stats(&hyp(i), &[refs[i].as_str()])).collect()
//! };
//! let width = bleu.stat_names().len();
//! let baseline = StatsMatrix::from_rows(width, &rows(&|i| format!("a cat {i} sat")))?;
//! let system = StatsMatrix::from_rows(width, &rows(&|i| refs[i].clone()))?;
//! let ci = bootstrap_ci(bleu.as_ref(), &system, 100, Some(12345))?;
//! assert!(ci.lower <= ci.score && ci.score <= ci.upper);
//! let test = paired_bootstrap(bleu.as_ref(), &baseline, &system, 100, Some(12345))?;
//! assert!(test.delta > 0.0 && test.p_value < 0.05);
//! # Ok::<(), mtharness::Error>(())
//! ```

use serde::Serialize;

use crate::error::{Error, Result};
use crate::metrics::{NpFloat, SegmentMetric};
use numpy::{pairwise_sum, Float};

mod ar;
mod bootstrap;
mod numpy;

pub use ar::paired_approximate_randomization;
pub use bootstrap::{bootstrap_ci, paired_bootstrap};

/// Bootstrap resamples for confidence intervals and the paired bootstrap test: sacreBLEU
/// `PairedTest._DEFAULT_SAMPLES['bs']`, CLI `--confidence-n` and `--paired-bs-n` defaults.
pub const DEFAULT_BOOTSTRAP_SAMPLES: usize = 1000;

/// Approximate-randomisation trials: sacreBLEU `PairedTest._DEFAULT_SAMPLES['ar']`, CLI
/// `--paired-ar-n` default.
pub const DEFAULT_AR_TRIALS: usize = 10_000;

/// Seed used when `SACREBLEU_SEED` is unset: sacreBLEU `os.environ.get('SACREBLEU_SEED', '12345')`.
pub const DEFAULT_SEED: u64 = 12345;

/// Most bootstrap resamples or randomisation trials one test draws (1,000,000, a thousand
/// times sacreBLEU's default of 1,000 resamples): the cost of a test grows with the count
/// times the segments, so a mistyped count fails at once instead of running for days.
pub const MAX_SAMPLES: usize = 1_000_000;

/// The environment variable sacreBLEU reads its seed from; the value `none` (any case) means
/// "seed from the OS".
pub const SEED_ENV: &str = "SACREBLEU_SEED";

/// sacreBLEU marks a p-value with `*` unless `p > 0.05` (`print_results_table` in
/// `sacrebleu/utils.py`), so `p == 0.05` counts as significant.
pub const SIGNIFICANCE_LEVEL: f64 = 0.05;

/// The percentile interval drops `n / 40` resamples on each side: 95% (sacreBLEU `estimate_ci`).
const CI_TAIL_DIVISOR: usize = 40;

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
// Shared by bootstrap.rs and ar.rs: estimates, p-values, input checks, observed scores
// ---------------------------------------------------------------------------------------------

/// Resampled scores as sacreBLEU's numpy arrays hold them: `float64`, or `float32` when every
/// score is a `float32` (chrF and TER from `float32` statistics, see
/// [`SegmentMetric::resampled_score`]); the arithmetic on them stays in the array's precision.
#[derive(Debug, Clone, PartialEq)]
enum Scores {
    F64(Vec<f64>),
    F32(Vec<f32>),
}

impl Scores {
    /// `np.array(scores)`: `float32` if all are, else `float64`.
    fn new(scores: &[NpFloat]) -> Scores {
        let all32: Option<Vec<f32>> = scores
            .iter()
            .map(|s| match s {
                NpFloat::F32(x) => Some(*x),
                NpFloat::Py(_) => None,
            })
            .collect();
        match all32 {
            Some(v) if !v.is_empty() => Scores::F32(v),
            _ => Scores::F64(scores.iter().map(|s| s.value()).collect()),
        }
    }

    fn to_f64(&self) -> Vec<f64> {
        match self {
            Scores::F64(v) => v.clone(),
            Scores::F32(v) => v.iter().map(|&x| f64::from(x)).collect(),
        }
    }

    /// The paired bootstrap's statistics: `d = np.abs(system - self)`, then `d - d.mean()`.
    fn centred_abs_diffs(&self, system: &Scores) -> Scores {
        fn centre<T: Float>(d: Vec<T>, n: T) -> Vec<T> {
            let mean = pairwise_sum(&d) / n;
            d.into_iter().map(|x| x - mean).collect()
        }
        match (self, system) {
            (Scores::F32(b), Scores::F32(s)) => {
                let d = b.iter().zip(s).map(|(b, s)| (s - b).abs()).collect();
                Scores::F32(centre(d, b.len() as f32))
            }
            _ => {
                let (b, s) = (self.to_f64(), system.to_f64());
                let d = b.iter().zip(&s).map(|(b, s)| (s - b).abs()).collect();
                Scores::F64(centre(d, b.len() as f64))
            }
        }
    }
}

/// sacreBLEU `estimate_ci` over resampled scores (sorted with `total_cmp`, so NaN scores sort
/// last as in numpy, instead of panicking), in the scores' precision: numpy's pairwise mean,
/// `0.5 * (upper - lower)`. `scores` must not be empty. O(N log N).
fn estimate(score: f64, scores: &Scores) -> Interval {
    fn pick<T: Float>(sorted: &[T], n_as: T, half: T) -> (T, T, T, T) {
        let n = sorted.len();
        let lo = n / CI_TAIL_DIVISOR;
        let (lower, upper) = (sorted[lo], sorted[n - lo - 1]);
        (
            pairwise_sum(sorted) / n_as,
            half * (upper - lower),
            lower,
            upper,
        )
    }
    let (mean, half_width, lower, upper) = match scores {
        Scores::F64(v) => {
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            pick(&sorted, sorted.len() as f64, 0.5)
        }
        Scores::F32(v) => {
            let mut sorted = v.clone();
            sorted.sort_by(f32::total_cmp);
            let (m, h, l, u) = pick(&sorted, sorted.len() as f32, 0.5);
            (f64::from(m), f64::from(h), f64::from(l), f64::from(u))
        }
    };
    let n_samples = match scores {
        Scores::F64(v) => v.len(),
        Scores::F32(v) => v.len(),
    };
    Interval {
        score,
        mean,
        half_width,
        lower,
        upper,
        n_samples,
    }
}

/// `(count + 1) / (n + 1)` with `count` = statistics strictly greater than `observed`
/// (sacreBLEU `_compute_p_value`; a `float32` array compares with `observed` rounded to
/// `float32`, as numpy does with a Python float).
fn p_value(stats: &Scores, observed: f64) -> (usize, f64) {
    let (count, n) = match stats {
        Scores::F64(v) => (v.iter().filter(|&&s| s > observed).count(), v.len()),
        Scores::F32(v) => {
            let o = observed as f32;
            (v.iter().filter(|&&s| s > o).count(), v.len())
        }
    };
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
    if n > MAX_SAMPLES {
        return Err(Error::config(format!(
            "{n} {what}: expected at most {MAX_SAMPLES}"
        )));
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_uses_sacrebleu_indices() {
        // n = 80: lower index 2, upper index 77.
        let scores: Vec<f64> = (0..80).rev().map(f64::from).collect();
        let iv = estimate(1.0, &Scores::F64(scores));
        assert_eq!((iv.lower, iv.upper), (2.0, 77.0));
        assert_eq!(iv.half_width, 37.5);
        assert_eq!(iv.mean, 39.5);
        // n < 40: the full range.
        let iv = estimate(1.0, &Scores::F64(vec![3.0, 1.0, 2.0]));
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
