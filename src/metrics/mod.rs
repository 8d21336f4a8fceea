//! Metrics. Each metric turns one segment (a hypothesis and its references) into a flat vector of
//! additive *sufficient statistics*; document, system and shard scores are computed from the
//! element-wise sums of those vectors, never from averaged segment scores. This is sacreBLEU's
//! design, and it is what makes significance tests (which resample stored statistics) and
//! sharding over many machines exact.
//!
//! # Example
//!
//! The metrics by name, as `mtharness score -m` takes them, and three of the kernels behind them:
//!
//! ```
//! use mtharness::metrics::{build_metrics, compute_bleu, translation_edit_rate, word_counts};
//! use mtharness::metrics::{MetricOptions, Smooth};
//!
//! let metrics = build_metrics(&["bleu".into(), "wer".into()], &MetricOptions::default())?;
//! let stats = metrics[1].metric.segment_stats("the cat sat", &["the cat sat down"]);
//! assert_eq!(metrics[1].metric.corpus_score(&stats), 25.0); // WER, in percent
//!
//! // BLEU from its sufficient statistics (sacreBLEU's `BLEU.compute_bleu`).
//! let b = compute_bleu(&[3.0, 2.0, 1.0, 0.0], &[3.0, 2.0, 1.0, 0.0], 3.0, 4.0, Smooth::Exp, true, 4);
//! assert!((b.bp - (1.0f64 - 4.0 / 3.0).exp()).abs() < 1e-12);
//!
//! // TER's edits (with shifts) and reference length; jiwer's edit counts.
//! assert_eq!(translation_edit_rate(&["b", "c", "a"], &["a", "b", "c"]), (1, 3));
//! let counts = word_counts("the cat sat down", "the cat sat");
//! assert_eq!((counts.hits, counts.deletions), (3, 1));
//! # Ok::<(), mtharness::Error>(())
//! ```

pub(crate) mod bleu;
pub(crate) mod chrf;
pub(crate) mod ter;
pub(crate) mod terms;
pub(crate) mod wer;

pub use bleu::{compute_bleu, Bleu, BleuScore, Smooth, MAX_NGRAM_ORDER};
pub use chrf::Chrf;
pub use ter::{
    ter_alignment, translation_edit_rate, unshifted_pairs, Shift, Ter, TerAlignment, TerOp,
    TercomTokenizer, MAX_TER_CELLS,
};
pub use terms::{NameErrorRate, TermAccuracy};
pub use wer::{
    jiwer_measures, jiwer_words, word_counts, Cer, CharSim, WordMeasure, WordMetric, CHAR_STATS,
    WORD_STATS,
};

/// A translation-quality metric over sufficient statistics.
pub trait SegmentMetric: Send + Sync {
    /// Display name, e.g. `BLEU`, `chrF2++`, `TER`.
    fn name(&self) -> String;

    /// Names of the sufficient statistics, in the order [`SegmentMetric::segment_stats`] returns them.
    /// Used as CSV column names (prefixed with the metric name).
    fn stat_names(&self) -> Vec<String>;

    /// Sufficient statistics of one hypothesis against its references (one or more, in the
    /// order of the reference sets). The returned vector has `stat_names().len()` entries.
    fn segment_stats(&self, hyp: &str, refs: &[&str]) -> Vec<f64>;

    /// [`SegmentMetric::segment_stats`] written into `out`, a caller-owned slice of
    /// `stat_names().len()` entries whose previous content is overwritten (every entry is
    /// written). The scoring loop of [`crate::eval::evaluate`] calls this on its flat
    /// statistics buffer, so metrics that override it score without allocating.
    ///
    /// The default copies from [`SegmentMetric::segment_stats`] (one allocation); entries beyond the
    /// shorter of the two lengths are left alone (a length mismatch is a programming error,
    /// checked in debug builds).
    fn write_segment_stats(&self, hyp: &str, refs: &[&str], out: &mut [f64]) {
        copy_stats(&self.segment_stats(hyp, refs), out);
    }

    /// Corpus-level (document, system, shard) score from summed statistics.
    fn corpus_score(&self, stats: &[f64]) -> f64;

    /// The score sacreBLEU computes from bootstrap-resampled statistics. Its bootstrap stores
    /// the statistics as numpy `float32`, and numpy's type promotion then carries out some of
    /// the score's arithmetic in single precision (all of it for chrF and TER, the n-gram
    /// precisions for BLEU), so a resample's score can differ from [`SegmentMetric::corpus_score`]
    /// in the last digits; [`NpFloat::F32`] marks a `float32` result. The default is
    /// `corpus_score` in double precision (metrics that sacreBLEU does not have).
    fn resampled_score(&self, stats: &[f64]) -> NpFloat {
        NpFloat::Py(self.corpus_score(stats))
    }

    /// Score of one segment from its own statistics, as the reference implementation's
    /// sentence-level score (e.g. sacreBLEU's `sentence_bleu` uses effective order).
    fn sentence_score(&self, stats: &[f64]) -> f64 {
        self.corpus_score(stats)
    }

    /// A sacreBLEU-style signature, e.g.
    /// `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|compat:sacrebleu-2.6.0|version:mtharness-0.1.0`.
    fn signature(&self, nrefs: usize) -> String;

    /// True when a higher score is better (BLEU, chrF, WIP, CharSim), false for error rates
    /// (TER, WER, MER, WIL, CER).
    fn higher_is_better(&self) -> bool;
}

/// A number in sacreBLEU's numpy arithmetic: a Python float (`Py`, double precision) or a
/// numpy `float32`. Operations follow numpy 2's promotion rules (NEP 50): Python numbers are
/// "weak", so `Py op F32` rounds the Python operand to `float32` and computes in `float32`;
/// `Py op Py` stays in double precision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NpFloat {
    Py(f64),
    F32(f32),
}

/// The arithmetic of sacreBLEU's score formulas over statistics: `f64` for corpus and sentence
/// scores (Python floats throughout), [`NpFloat`] for a bootstrap resample (statistics as
/// numpy `float32`, constants as Python floats). Generic code pays for the float32 rules only
/// where they apply.
pub(crate) trait StatArith:
    Copy + std::ops::Add<Output = Self> + std::ops::Mul<Output = Self> + std::ops::Div<Output = Self>
{
    /// A constant (a Python float).
    fn py(x: f64) -> Self;
    /// An element of the statistics.
    fn stat(x: f64) -> Self;
    /// The value as `f64`.
    fn value(self) -> f64;
}

impl StatArith for f64 {
    fn py(x: f64) -> f64 {
        x
    }
    fn stat(x: f64) -> f64 {
        x
    }
    fn value(self) -> f64 {
        self
    }
}

impl StatArith for NpFloat {
    fn py(x: f64) -> NpFloat {
        NpFloat::Py(x)
    }
    fn stat(x: f64) -> NpFloat {
        NpFloat::F32(x as f32)
    }
    fn value(self) -> f64 {
        NpFloat::value(self)
    }
}

impl NpFloat {
    /// The value, widened to `f64` (exactly) for a `float32`.
    pub fn value(self) -> f64 {
        match self {
            NpFloat::Py(x) => x,
            NpFloat::F32(x) => f64::from(x),
        }
    }

    fn apply(
        self,
        other: NpFloat,
        op64: fn(f64, f64) -> f64,
        op32: fn(f32, f32) -> f32,
    ) -> NpFloat {
        match (self, other) {
            (NpFloat::Py(a), NpFloat::Py(b)) => NpFloat::Py(op64(a, b)),
            (a, b) => NpFloat::F32(op32(a.as_f32(), b.as_f32())),
        }
    }

    fn as_f32(self) -> f32 {
        match self {
            NpFloat::Py(x) => x as f32,
            NpFloat::F32(x) => x,
        }
    }
}

impl std::ops::Add for NpFloat {
    type Output = NpFloat;
    fn add(self, o: NpFloat) -> NpFloat {
        self.apply(o, |a, b| a + b, |a, b| a + b)
    }
}

impl std::ops::Mul for NpFloat {
    type Output = NpFloat;
    fn mul(self, o: NpFloat) -> NpFloat {
        self.apply(o, |a, b| a * b, |a, b| a * b)
    }
}

impl std::ops::Div for NpFloat {
    type Output = NpFloat;
    fn div(self, o: NpFloat) -> NpFloat {
        self.apply(o, |a, b| a / b, |a, b| a / b)
    }
}

/// Copies `stats` into `out` (for [`SegmentMetric::write_segment_stats`] implementations that compute
/// a fixed-size array). Both must have the same length (checked in debug builds); otherwise
/// only the common prefix is copied.
pub fn copy_stats(stats: &[f64], out: &mut [f64]) {
    debug_assert_eq!(stats.len(), out.len());
    for (o, &x) in out.iter_mut().zip(stats) {
        *o = x;
    }
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

/// A metric with the column name reports use for it (`BLEU`, `chrF++`, ...), built from a
/// [`Metric`] configuration.
pub struct MetricSpec {
    pub id: String,
    pub metric: Box<dyn SegmentMetric>,
}

/// The metrics `mtharness score` computes when none are named.
pub const DEFAULT_METRICS: [&str; 6] = ["bleu", "chrf", "chrf++", "ter", "wer", "cer"];

/// A metric and its configuration: what to score with. A plain value (compared, cloned,
/// serialised with serde), so that a [`crate::Stats`] or a stats file records exactly the
/// metrics that produced its statistics.
///
/// ```
/// use mtharness::{Metric, Bleu};
/// let bleu = Metric::Bleu(Bleu { lowercase: true, ..Bleu::default() });
/// assert_eq!(bleu.id(), "BLEU");
/// assert_eq!(Metric::chrf_plus_plus().id(), "chrF++");
/// assert_eq!(Metric::from_name("chrf++").unwrap(), Metric::chrf_plus_plus());
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "metric", rename_all = "lowercase")]
pub enum Metric {
    /// sacreBLEU's BLEU.
    Bleu(bleu::Bleu),
    /// sacreBLEU's chrF, or chrF++ when `word_order > 0`.
    Chrf(chrf::Chrf),
    /// sacreBLEU's TER.
    Ter(ter::Ter),
    /// jiwer's word error rate.
    Wer,
    /// jiwer's match error rate.
    Mer,
    /// jiwer's word information lost.
    Wil,
    /// jiwer's word information preserved (higher is better).
    Wip,
    /// Character error rate (rapidfuzz / jiwer).
    Cer,
    /// Character Levenshtein similarity (rapidfuzz `normalized_similarity`).
    #[serde(rename = "charsim")]
    CharSim,
}

impl Metric {
    /// sacreBLEU's default BLEU.
    pub fn bleu() -> Metric {
        Metric::Bleu(bleu::Bleu::default())
    }

    /// sacreBLEU's default chrF.
    pub fn chrf() -> Metric {
        Metric::Chrf(chrf::Chrf::default())
    }

    /// sacreBLEU's chrF++ (`CHRF(word_order=2)`).
    pub fn chrf_plus_plus() -> Metric {
        Metric::Chrf(chrf::Chrf::plus_plus())
    }

    /// sacreBLEU's default TER.
    pub fn ter() -> Metric {
        Metric::Ter(ter::Ter::default())
    }

    /// The metric a name of [`METRIC_NAMES`] stands for, with default options
    /// (case-insensitive; `chrfpp` is `chrf++`).
    pub fn from_name(name: &str) -> crate::Result<Metric> {
        Metric::with_options(name, &MetricOptions::default())
    }

    /// The metric a name of [`METRIC_NAMES`] stands for, configured by `opts` (the options
    /// the command line gives: tokeniser, case and smoothing for BLEU, case for chrF, TER's
    /// flags).
    pub fn with_options(name: &str, opts: &MetricOptions) -> crate::Result<Metric> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "bleu" => Metric::Bleu(bleu::Bleu {
                tokenizer: opts.tokenize,
                lowercase: opts.lowercase,
                smooth: opts.smooth,
                ..bleu::Bleu::default()
            }),
            "chrf" => Metric::Chrf(chrf::Chrf {
                lowercase: opts.lowercase,
                ..chrf::Chrf::default()
            }),
            "chrf++" | "chrfpp" => Metric::Chrf(chrf::Chrf {
                lowercase: opts.lowercase,
                ..chrf::Chrf::plus_plus()
            }),
            "ter" => Metric::Ter(opts.ter),
            "wer" => Metric::Wer,
            "mer" => Metric::Mer,
            "wil" => Metric::Wil,
            "wip" => Metric::Wip,
            "cer" => Metric::Cer,
            "charsim" => Metric::CharSim,
            _ => {
                return Err(crate::Error::config(format!(
                    "unknown metric '{name}'; expected one of: {}",
                    METRIC_NAMES.join(", ")
                )))
            }
        })
    }

    /// The column name reports use: `BLEU`, `chrF`, `chrF++` (any word order), `TER`, `WER`,
    /// `MER`, `WIL`, `WIP`, `CER`, `CharSim`.
    pub fn id(&self) -> &'static str {
        match self {
            Metric::Bleu(_) => "BLEU",
            Metric::Chrf(c) if c.word_order == 0 => "chrF",
            Metric::Chrf(_) => "chrF++",
            Metric::Ter(_) => "TER",
            Metric::Wer => "WER",
            Metric::Mer => "MER",
            Metric::Wil => "WIL",
            Metric::Wip => "WIP",
            Metric::Cer => "CER",
            Metric::CharSim => "CharSim",
        }
    }

    /// The implementation that turns segments into statistics and statistics into scores.
    pub fn scorer(&self) -> Box<dyn SegmentMetric> {
        match self {
            Metric::Bleu(b) => Box::new(b.clone()),
            Metric::Chrf(c) => Box::new(c.clone()),
            Metric::Ter(t) => Box::new(*t),
            Metric::Wer => Box::new(wer::WordMetric::new(wer::WordMeasure::Wer)),
            Metric::Mer => Box::new(wer::WordMetric::new(wer::WordMeasure::Mer)),
            Metric::Wil => Box::new(wer::WordMetric::new(wer::WordMeasure::Wil)),
            Metric::Wip => Box::new(wer::WordMetric::new(wer::WordMeasure::Wip)),
            Metric::Cer => Box::new(wer::Cer),
            Metric::CharSim => Box::new(wer::CharSim),
        }
    }

    /// [`Metric::id`] with the built implementation.
    pub fn spec(&self) -> MetricSpec {
        MetricSpec {
            id: self.id().to_string(),
            metric: self.scorer(),
        }
    }
}

/// Options of the metrics, as the command line gives them (sacreBLEU's flags), typed.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MetricOptions {
    /// BLEU tokenizer (`-tok`).
    pub tokenize: crate::text::tokenize::Tokenizer,
    /// Lower-case for BLEU and chrF (`-lc`).
    pub lowercase: bool,
    /// BLEU smoothing (`--smooth-method`, `--smooth-value`).
    pub smooth: bleu::Smooth,
    /// TER's options (`--ter-*`).
    pub ter: ter::Ter,
}

/// Builds the named metrics (`bleu chrf chrf++ ter wer mer wil wip cer charsim`,
/// case-insensitive), in the order given. An unknown or repeated name is a configuration error.
pub fn build_metrics(names: &[String], opts: &MetricOptions) -> crate::Result<Vec<MetricSpec>> {
    let mut out: Vec<MetricSpec> = Vec::with_capacity(names.len());
    for name in names {
        let spec = Metric::with_options(name, opts)?.spec();
        if out.iter().any(|m| m.id == spec.id) {
            return Err(crate::Error::config(format!(
                "metric '{name}' is given twice"
            )));
        }
        out.push(spec);
    }
    Ok(out)
}

/// A configuration error when two metrics share a column name ([`Metric::id`]).
pub fn check_unique(metrics: &[Metric]) -> crate::Result<()> {
    for (i, m) in metrics.iter().enumerate() {
        if metrics[..i].iter().any(|o| o.id() == m.id()) {
            return Err(crate::Error::config(format!(
                "metric '{}' is given twice",
                m.id()
            )));
        }
    }
    Ok(())
}

/// Every metric name [`Metric::from_name`] accepts.
pub const METRIC_NAMES: [&str; 10] = [
    "bleu", "chrf", "chrf++", "ter", "wer", "mer", "wil", "wip", "cer", "charsim",
];
