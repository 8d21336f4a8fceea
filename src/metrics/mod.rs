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

    /// [`Metric::segment_stats`] written into `out`, a caller-owned slice of
    /// `stat_names().len()` entries whose previous content is overwritten (every entry is
    /// written). The scoring loop of [`crate::eval::evaluate`] calls this on its flat
    /// statistics buffer, so metrics that override it score without allocating.
    ///
    /// The default copies from [`Metric::segment_stats`] (one allocation); entries beyond the
    /// shorter of the two lengths are left alone (a length mismatch is a programming error,
    /// checked in debug builds).
    fn write_segment_stats(&self, hyp: &str, refs: &[&str], out: &mut [f64]) {
        copy_stats(&self.segment_stats(hyp, refs), out);
    }

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

/// Copies `stats` into `out` (for [`Metric::write_segment_stats`] implementations that compute
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

/// A metric with the column name reports use for it (`BLEU`, `chrF++`, ...).
pub struct MetricSpec {
    pub id: String,
    pub metric: Box<dyn Metric>,
}

/// The metrics `mtharness score` computes when none are named.
pub const DEFAULT_METRICS: [&str; 6] = ["bleu", "chrf", "chrf++", "ter", "wer", "cer"];

/// Options of the metrics, as the command line gives them (sacreBLEU's flags).
#[derive(Debug, Clone)]
pub struct MetricOptions {
    /// BLEU tokenizer name (`13a`, `intl`, `zh`, `char`, `none`).
    pub tokenize: String,
    /// Lower-case for BLEU and chrF.
    pub lowercase: bool,
    /// BLEU smoothing method (`exp`, `floor`, `add-k`, `none`).
    pub smooth_method: String,
    pub smooth_value: Option<f64>,
    pub ter_case_sensitive: bool,
    pub ter_normalized: bool,
    pub ter_no_punct: bool,
    pub ter_asian_support: bool,
}

impl Default for MetricOptions {
    fn default() -> MetricOptions {
        MetricOptions {
            tokenize: "13a".into(),
            lowercase: false,
            smooth_method: "exp".into(),
            smooth_value: None,
            ter_case_sensitive: false,
            ter_normalized: false,
            ter_no_punct: false,
            ter_asian_support: false,
        }
    }
}

/// Builds the named metrics (`bleu chrf chrf++ ter wer mer wil cer charsim`, case-insensitive),
/// in the order given. An unknown or repeated name is a configuration error.
pub fn build_metrics(names: &[String], opts: &MetricOptions) -> crate::Result<Vec<MetricSpec>> {
    let mut out: Vec<MetricSpec> = Vec::with_capacity(names.len());
    for name in names {
        let key = name.to_ascii_lowercase();
        let (id, metric): (&str, Box<dyn Metric>) = match key.as_str() {
            "bleu" => (
                "BLEU",
                Box::new(bleu::Bleu {
                    tokenizer: opts.tokenize.parse()?,
                    lowercase: opts.lowercase,
                    smooth: bleu::Smooth::from_name(&opts.smooth_method, opts.smooth_value)?,
                    ..bleu::Bleu::default()
                }),
            ),
            "chrf" => (
                "chrF",
                Box::new(chrf::Chrf {
                    lowercase: opts.lowercase,
                    ..chrf::Chrf::default()
                }),
            ),
            "chrf++" | "chrfpp" => (
                "chrF++",
                Box::new(chrf::Chrf {
                    lowercase: opts.lowercase,
                    ..chrf::Chrf::plus_plus()
                }),
            ),
            "ter" => (
                "TER",
                Box::new(ter::Ter {
                    normalized: opts.ter_normalized,
                    no_punct: opts.ter_no_punct,
                    asian_support: opts.ter_asian_support,
                    case_sensitive: opts.ter_case_sensitive,
                }),
            ),
            "wer" => ("WER", Box::new(wer::WordMetric::new(wer::WordMeasure::Wer))),
            "mer" => ("MER", Box::new(wer::WordMetric::new(wer::WordMeasure::Mer))),
            "wil" => ("WIL", Box::new(wer::WordMetric::new(wer::WordMeasure::Wil))),
            "wip" => ("WIP", Box::new(wer::WordMetric::new(wer::WordMeasure::Wip))),
            "cer" => ("CER", Box::new(wer::Cer)),
            "charsim" => ("CharSim", Box::new(wer::CharSim)),
            _ => {
                return Err(crate::Error::config(format!(
                    "unknown metric '{name}'; expected one of: {}",
                    METRIC_NAMES.join(", ")
                )))
            }
        };
        if out.iter().any(|m| m.id == id) {
            return Err(crate::Error::config(format!(
                "metric '{name}' is given twice"
            )));
        }
        out.push(MetricSpec {
            id: id.to_string(),
            metric,
        });
    }
    Ok(out)
}

/// Every metric name [`build_metrics`] accepts.
pub const METRIC_NAMES: [&str; 10] = [
    "bleu", "chrf", "chrf++", "ter", "wer", "mer", "wil", "wip", "cer", "charsim",
];
