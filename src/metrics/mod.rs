//! Metrics. Each metric turns one segment (a hypothesis and its references) into a flat vector of
//! additive *sufficient statistics*; document, system and shard scores are computed from the
//! element-wise sums of those vectors, never from averaged segment scores. This is sacreBLEU's
//! design, and it is what makes significance tests (which resample stored statistics) and
//! sharding over many machines exact.

pub mod bleu;
pub mod chrf;
pub mod ter;
pub mod terms;
pub mod wer;

/// A translation-quality metric over sufficient statistics.
pub trait Metric: Send + Sync {
    /// Display name, e.g. `BLEU`, `chrF2++`, `TER`.
    fn name(&self) -> String;

    /// Names of the sufficient statistics, in the order [`Metric::segment_stats`] returns them.
    /// Used as CSV column names (prefixed with the metric name).
    fn stat_names(&self) -> Vec<String>;

    /// Sufficient statistics of one hypothesis against its references (one or more, in the
    /// order of the reference sets). The returned vector has `stat_names().len()` entries.
    fn segment_stats(&self, hyp: &str, refs: &[&str]) -> Vec<f64>;

    /// Corpus-level (document, system, shard) score from summed statistics.
    fn corpus_score(&self, stats: &[f64]) -> f64;

    /// Score of one segment from its own statistics, as the reference implementation's
    /// sentence-level score (e.g. sacreBLEU's `sentence_bleu` uses effective order).
    fn sentence_score(&self, stats: &[f64]) -> f64 {
        self.corpus_score(stats)
    }

    /// A sacreBLEU-style signature, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`.
    fn signature(&self, nrefs: usize) -> String;

    /// True for BLEU and chrF, false for error rates (TER, WER, CER).
    fn higher_is_better(&self) -> bool;
}

/// Adds `b` into `a` element-wise. Both must have the same length.
pub fn add_stats(a: &mut [f64], b: &[f64]) {
    debug_assert_eq!(a.len(), b.len());
    for (x, y) in a.iter_mut().zip(b) {
        *x += *y;
    }
}

/// The version that signatures carry: mtharness's own, since the scores are ours; the
/// `compat` field says which reference implementation they are faithful to.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
