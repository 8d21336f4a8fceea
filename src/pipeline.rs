//! The scoring core every path shares: segment pairs in, additive statistics out, sums.
//!
//! - One scoring loop (`score_rows`) turns segment pairs into rows of statistics, every
//!   metric's back to back, in parallel; [`crate::eval`] (and through it [`crate::shard`], the
//!   rules test, `compare` and the HTML report), [`crate::stream`] and [`Scorer`] all score
//!   through it, each saying only where a pair's texts are.
//! - [`accumulate`] is the one place rows are summed (into a document sum, a system sum, a
//!   shard sum or a [`Stats`]), in segment order, so that every path forms the same sums with
//!   the same bits.
//! - [`Stats`] is the library's value of summed statistics: it records the metrics that made
//!   it, adds with `+` (exactly for counts; TER's reference length averaged over several
//!   references is the one fractional statistic), and gives corpus scores with
//!   [`Stats::scores`]. It is what the Python package returns and what a cluster job reduces.
//!
//! ```
//! use mtharness::{Metric, Scorer};
//! let hyps = ["the cat sat on the mat", "a dog"];
//! let refs = [vec!["the cat sat on a mat", "the dog"]];
//! let scorer = Scorer::new([Metric::bleu(), Metric::chrf(), Metric::Wer]).unwrap();
//! let all = scorer.stats(&hyps, &refs).unwrap();
//! let parts = scorer.stats(&hyps[..1], &[&refs[0][..1]]).unwrap()
//!     + scorer.stats(&hyps[1..], &[&refs[0][1..]]).unwrap();
//! assert_eq!(all, parts);
//! assert_eq!(all.segments(), 2);
//! let wer = all.score("WER").unwrap();
//! assert!((wer - 100.0 * 2.0 / 8.0).abs() < 1e-9);
//! ```

use std::ops::{Add, AddAssign};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::eval::{SegmentStats, StatsLayout};
use crate::metrics::{add_stats, check_unique, Metric, MetricSpec};
use crate::progress::ProgressHandle;

/// Segments scored per parallel batch by [`Scorer::stats`]: enough work for rayon to balance,
/// small enough that a batch's rows (segments * statistics * 8 bytes, about 2 MB for the
/// default metrics) bound the memory whatever the corpus length. Ours.
const BATCH: usize = 8192;

/// Adds a segment's `row` into per-metric sums `sums[m]`: the one place statistics are summed.
/// Sums formed in the same segment order have the same bits, whichever path formed them.
/// O(statistics).
pub fn accumulate(sums: &mut [Vec<f64>], row: SegmentStats<'_>) {
    for (sum, stats) in sums.iter_mut().zip(row.iter()) {
        add_stats(sum, stats);
    }
}

/// Adds per-metric sums `b` into `a` (document sums into a system sum, shards into a whole).
pub fn add_sums(a: &mut [Vec<f64>], b: &[Vec<f64>]) {
    for (x, y) in a.iter_mut().zip(b) {
        add_stats(x, y);
    }
}

/// Zero sums for `metrics`: one vector per metric, as long as its statistics.
pub fn zero_sums(metrics: &[MetricSpec]) -> Vec<Vec<f64>> {
    metrics
        .iter()
        .map(|m| vec![0.0; m.metric.stat_names().len()])
        .collect()
}

/// Statistics of one pair for every metric, written into `row` (a row of `layout`).
pub(crate) fn write_row(
    metrics: &[MetricSpec],
    layout: &StatsLayout,
    hyp: &str,
    refs: &[&str],
    row: &mut [f64],
) {
    for (m, spec) in metrics.iter().enumerate() {
        if let Some(out) = row.get_mut(layout.range(m)) {
            spec.metric.write_segment_stats(hyp, refs, out);
        }
    }
}

/// Rows of statistics of pairs `0..n` (row-major in `layout`): the scoring loop of every path.
/// `pair(i, buf, score)` finds pair `i`'s texts and calls `score(hyp, refs)` once; `buf` is a
/// per-job buffer it may fill with borrowed reference texts, so that the usual pair allocates
/// nothing. Rows are written in parallel, each by one job, so the result does not depend on
/// the thread count; `progress` ticks once per pair (in per-job batches).
/// O(n * metric cost) time, O(n * width) memory for the result.
pub(crate) fn score_rows<'a, F>(
    specs: &[MetricSpec],
    layout: &StatsLayout,
    n: usize,
    progress: &ProgressHandle,
    pair: F,
) -> Vec<f64>
where
    F: Fn(usize, &mut Vec<&'a str>, &mut dyn FnMut(&str, &[&str])) + Sync,
{
    let width = layout.width();
    let mut rows = vec![0.0; n * width];
    rows.par_chunks_mut(width.max(1)).enumerate().for_each_init(
        || (progress.counter(), Vec::new()),
        |(count, buf), (i, row)| {
            pair(i, buf, &mut |hyp, refs| {
                write_row(specs, layout, hyp, refs, row)
            });
            count.tick();
        },
    );
    rows
}

/// A set of metrics ready to score: turns segment pairs into statistics. Built once, used from
/// any number of threads.
///
/// ```
/// use mtharness::{Metric, Scorer};
/// let scorer = Scorer::new([Metric::bleu(), Metric::ter()]).unwrap();
/// let one = scorer.segment("the cat sat", &["the cat sat down"]);
/// let scores = one.sentence_scores();
/// assert_eq!(scores[1].0, "TER");
/// assert!((scores[1].1 - 25.0).abs() < 1e-9);
/// ```
pub struct Scorer {
    metrics: Vec<Metric>,
    specs: Vec<MetricSpec>,
    layout: StatsLayout,
}

impl Scorer {
    /// A scorer of `metrics`, in that order. Two metrics with the same column name
    /// ([`Metric::id`]) are a configuration error.
    pub fn new(metrics: impl IntoIterator<Item = Metric>) -> Result<Scorer> {
        let metrics: Vec<Metric> = metrics.into_iter().collect();
        check_unique(&metrics)?;
        let specs: Vec<MetricSpec> = metrics.iter().map(Metric::spec).collect();
        let layout = StatsLayout::new(&specs);
        Ok(Scorer {
            metrics,
            specs,
            layout,
        })
    }

    /// The metrics, in scoring order.
    pub fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// Statistics of one hypothesis against its references (one per reference set).
    /// O(metric cost of the pair).
    pub fn segment(&self, hyp: &str, refs: &[&str]) -> Stats {
        let mut row = vec![0.0; self.layout.width()];
        write_row(&self.specs, &self.layout, hyp, refs, &mut row);
        let mut stats = self.zero(refs.len());
        stats.add_row(self.layout.view(&row));
        stats
    }

    /// Summed statistics of line-aligned `hyps` against reference streams `refs` (sacreBLEU's
    /// convention: `refs[r][i]` is reference set `r`'s translation of segment `i`). Scored in
    /// parallel, summed in segment order: the result does not depend on the thread count.
    /// A reference set of another length than `hyps`, or no reference set, is an error.
    /// O(segments * metric cost) time, O(threads + batch) memory.
    pub fn stats<H, R, S>(&self, hyps: &[H], refs: &[R]) -> Result<Stats>
    where
        H: AsRef<str> + Sync,
        R: AsRef<[S]> + Sync,
        S: AsRef<str> + Sync,
    {
        if refs.is_empty() {
            return Err(Error::config("no reference given"));
        }
        for (r, set) in refs.iter().enumerate() {
            let n = set.as_ref().len();
            if n != hyps.len() {
                return Err(Error::mismatch(format!(
                    "reference set {} has {n} segments and the hypotheses {}",
                    r + 1,
                    hyps.len()
                )));
            }
        }
        let mut stats = self.zero(refs.len());
        let none = ProgressHandle::none();
        for start in (0..hyps.len()).step_by(BATCH) {
            let end = (start + BATCH).min(hyps.len());
            let rows = score_rows(
                &self.specs,
                &self.layout,
                end - start,
                &none,
                |k, buf, score| {
                    let i = start + k;
                    buf.clear();
                    buf.extend(refs.iter().map(|r| r.as_ref()[i].as_ref()));
                    score(hyps[i].as_ref(), buf)
                },
            );
            for k in 0..end - start {
                stats.add_row(self.layout.row(&rows, k));
            }
        }
        Ok(stats)
    }

    /// Zero statistics of these metrics for `nrefs` reference sets.
    pub fn zero(&self, nrefs: usize) -> Stats {
        Stats {
            metrics: self.metrics.clone(),
            nrefs,
            segments: 0,
            sums: zero_sums(&self.specs),
        }
    }
}

/// Summed sufficient statistics of any number of segments, with the metrics that made them.
/// Adds with `+` and `sum()` (the [`Default`] value, with no metrics, is the identity), is
/// plain data (serde), and gives corpus scores. Scores of a sum equal the scores of scoring
/// all its segments at once.
///
/// ```
/// use mtharness::{Metric, Scorer, Stats};
///
/// let scorer = Scorer::new([Metric::bleu(), Metric::ter()])?;
/// let hyps = ["the cat sat on the mat", "a dog barked loudly", "it rained all day"];
/// let refs = ["the cat sat on a mat", "the dog barked loudly", "it rained all day long"];
/// let whole = scorer.stats(&hyps, &[&refs])?;
/// // Parts scored apart (on other threads, processes or machines) add up to the whole.
/// let parts: Stats = (0..3).map(|i| scorer.segment(hyps[i], &[refs[i]])).sum();
/// assert_eq!(parts.scores(), whole.scores());
/// assert_eq!(parts.segments(), 3);
/// // Plain data: a stats value survives a round trip through JSON exactly.
/// let back: Stats = serde_json::from_str(&serde_json::to_string(&whole).unwrap()).unwrap();
/// assert_eq!(back, whole);
/// // Sentence scores of one segment (sacreBLEU's `sentence_bleu` for BLEU).
/// let one = scorer.segment(hyps[0], &[refs[0]]).sentence_scores();
/// assert_eq!(one[0].0, "BLEU");
/// # Ok::<(), mtharness::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    metrics: Vec<Metric>,
    nrefs: usize,
    segments: usize,
    sums: Vec<Vec<f64>>,
}

impl Stats {
    /// The metrics, in order.
    pub fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// Segment pairs summed.
    pub fn segments(&self) -> usize {
        self.segments
    }

    /// Reference sets per segment.
    pub fn nrefs(&self) -> usize {
        self.nrefs
    }

    /// Metric `m`'s summed statistics (empty when `m` is out of range).
    pub fn metric_stats(&self, m: usize) -> &[f64] {
        self.sums.get(m).map_or(&[], Vec::as_slice)
    }

    /// Corpus score of the metric with column name `id` (`BLEU`, `chrF++`, `WER`, ...).
    pub fn score(&self, id: &str) -> Option<f64> {
        let m = self.metrics.iter().position(|x| x.id() == id)?;
        Some(self.metrics[m].scorer().corpus_score(self.metric_stats(m)))
    }

    /// Corpus score of every metric, `(id, score)` in metric order.
    pub fn scores(&self) -> Vec<(String, f64)> {
        self.each(|m, s| m.corpus_score(s))
    }

    /// The reference implementation's sentence-level score of every metric (sacreBLEU's
    /// `sentence_bleu` uses effective order), meant for the statistics of one segment.
    pub fn sentence_scores(&self) -> Vec<(String, f64)> {
        self.each(|m, s| m.sentence_score(s))
    }

    /// sacreBLEU-style signature of every metric, `(id, signature)`.
    pub fn signatures(&self) -> Vec<(String, String)> {
        self.metrics
            .iter()
            .map(|m| (m.id().to_string(), m.scorer().signature(self.nrefs)))
            .collect()
    }

    fn each(&self, f: impl Fn(&dyn crate::SegmentMetric, &[f64]) -> f64) -> Vec<(String, f64)> {
        self.metrics
            .iter()
            .zip(&self.sums)
            .map(|(m, s)| (m.id().to_string(), f(m.scorer().as_ref(), s)))
            .collect()
    }

    /// Adds one segment's row of statistics.
    pub(crate) fn add_row(&mut self, row: SegmentStats<'_>) {
        accumulate(&mut self.sums, row);
        self.segments += 1;
    }

    /// Adds `other` into `self`. Statistics of other metrics or another number of reference
    /// sets are an error (nothing is added); the empty [`Stats::default`] adds to anything.
    pub fn try_add(&mut self, other: &Stats) -> Result<()> {
        if other.metrics.is_empty() && other.segments == 0 {
            return Ok(());
        }
        if self.metrics.is_empty() && self.segments == 0 {
            *self = other.clone();
            return Ok(());
        }
        if self.metrics != other.metrics || self.nrefs != other.nrefs {
            return Err(Error::config(format!(
                "cannot add statistics of different metrics or reference counts: [{}] with \
                 {} reference set(s) and [{}] with {}",
                ids(&self.metrics),
                self.nrefs,
                ids(&other.metrics),
                other.nrefs
            )));
        }
        add_sums(&mut self.sums, &other.sums);
        self.segments += other.segments;
        Ok(())
    }
}

fn ids(metrics: &[Metric]) -> String {
    metrics
        .iter()
        .map(Metric::id)
        .collect::<Vec<_>>()
        .join(", ")
}

impl AddAssign<&Stats> for Stats {
    /// [`Stats::try_add`]; panics when the metrics differ (as adding arrays of different
    /// shapes does); use `try_add` to get the error instead.
    fn add_assign(&mut self, other: &Stats) {
        if let Err(e) = self.try_add(other) {
            panic!("{e}");
        }
    }
}

impl AddAssign for Stats {
    fn add_assign(&mut self, other: Stats) {
        *self += &other;
    }
}

impl Add for Stats {
    type Output = Stats;
    fn add(mut self, other: Stats) -> Stats {
        self += &other;
        self
    }
}

impl std::iter::Sum for Stats {
    fn sum<I: Iterator<Item = Stats>>(iter: I) -> Stats {
        iter.fold(Stats::default(), |a, b| a + b)
    }
}

/// Corpus scores of `hyps` against reference streams `refs` with `metrics`, `(id, score)` in
/// metric order: the one-call form of [`Scorer::stats`] and [`Stats::scores`].
///
/// ```
/// use mtharness::{score, Metric};
/// let hyps = vec!["the cat sat on the mat".to_string()];
/// let refs = vec!["the cat sat on the mat".to_string()];
/// let scores = score(&hyps, &[&refs], &[Metric::bleu(), Metric::chrf()]).unwrap();
/// assert_eq!(scores[0].0, "BLEU");
/// assert!((scores[0].1 - 100.0).abs() < 1e-9); // sacreBLEU's arithmetic: 100.00000000000004
/// assert_eq!(scores[1].0, "chrF");
/// ```
pub fn score<H, R, S>(hyps: &[H], refs: &[R], metrics: &[Metric]) -> Result<Vec<(String, f64)>>
where
    H: AsRef<str> + Sync,
    R: AsRef<[S]> + Sync,
    S: AsRef<str> + Sync,
{
    Ok(Scorer::new(metrics.iter().cloned())?
        .stats(hyps, refs)?
        .scores())
}
