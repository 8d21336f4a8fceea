//! `mtharness._native`: the Rust side of the Python package.
//!
//! Every call into the `mtharness` library is in this file, so that moving to another library
//! API touches one file. The Python package (`python/mtharness/`) gives these functions
//! sacreBLEU's and jiwer's shapes; here they take and return plain values (lists of strings,
//! lists of floats, tuples, dicts).
//!
//! Scoring releases the GIL (`Python::detach`) and spreads segments over rayon's threads.
//! Every library error becomes a Python exception carrying the library's message:
//! I/O errors `OSError` (`FileNotFoundError`, `PermissionError` where they fit), everything else
//! `ValueError`.

use std::collections::HashMap;
use std::path::PathBuf;

use pyo3::exceptions::{
    PyFileNotFoundError, PyOSError, PyPermissionError, PyRuntimeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use mtharness::corpus::{load, LoadSpec};
use mtharness::distance::{editops, EditKind, EditOp};
use mtharness::eval::{evaluate_owned, AlignMode, EvalOptions};
use mtharness::metrics::bleu::{compute_bleu, Bleu, Smooth};
use mtharness::metrics::chrf::Chrf;
use mtharness::metrics::ter::{Ter, TercomTokenizer};
use mtharness::metrics::wer::{jiwer_measures, jiwer_words, word_counts, Cer, CharSim};
use mtharness::metrics::wer::{WordMeasure, WordMetric};
use mtharness::metrics::{add_stats, build_metrics, MetricOptions, VERSION};
use mtharness::text::tokenize::{strip_py, Tokenizer};
use mtharness::{Error, ErrorKind};

/// The library's error as the Python exception that fits it.
fn py_err(e: Error) -> PyErr {
    let msg = e.to_string();
    match e.kind() {
        ErrorKind::Io { source, .. } => match source.kind() {
            std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(msg),
            std::io::ErrorKind::PermissionDenied => PyPermissionError::new_err(msg),
            _ => PyOSError::new_err(msg),
        },
        _ => PyValueError::new_err(msg),
    }
}

fn value_err(msg: impl Into<String>) -> PyErr {
    PyValueError::new_err(msg.into())
}

/// Runs `f` with the GIL released. A panic in the library (a bug) becomes a `RuntimeError`
/// rather than pyo3's `PanicException`, which `except Exception` does not catch.
fn without_gil<T: Send, F: FnOnce() -> T + Send>(py: Python<'_>, f: F) -> PyResult<T> {
    py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)))
        .map_err(|payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            PyRuntimeError::new_err(format!(
                "mtharness internal error (please report it with the input): {what}"
            ))
        })
}

// ---------------------------------------------------------------------------------------------
// Metric configurations
// ---------------------------------------------------------------------------------------------

/// A metric and its options, as plain data: what `Stats` carries (and pickles) so that two
/// statistics can only be added when they were computed the same way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "metric", rename_all = "lowercase")]
enum MetricConf {
    Bleu {
        tokenize: String,
        lowercase: bool,
        smooth_method: String,
        smooth_value: Option<f64>,
        max_order: usize,
        effective_order: bool,
    },
    Chrf {
        char_order: usize,
        word_order: usize,
        beta: u32,
        lowercase: bool,
        whitespace: bool,
        eps_smoothing: bool,
    },
    Ter {
        normalized: bool,
        no_punct: bool,
        asian_support: bool,
        case_sensitive: bool,
    },
    Wer,
    Mer,
    Wil,
    Wip,
    Cer,
    CharSim,
}

/// Options that `stats()` and `score_corpus()` take by keyword (sacreBLEU's and the CLI's).
#[derive(Debug, Clone)]
struct Options {
    tokenize: String,
    lowercase: bool,
    smooth_method: String,
    smooth_value: Option<f64>,
    ter_normalized: bool,
    ter_no_punct: bool,
    ter_asian_support: bool,
    ter_case_sensitive: bool,
}

impl Options {
    fn metric_options(&self) -> MetricOptions {
        MetricOptions {
            tokenize: self.tokenize.clone(),
            lowercase: self.lowercase,
            smooth_method: self.smooth_method.clone(),
            smooth_value: self.smooth_value,
            ter_case_sensitive: self.ter_case_sensitive,
            ter_normalized: self.ter_normalized,
            ter_no_punct: self.ter_no_punct,
            ter_asian_support: self.ter_asian_support,
        }
    }
}

/// sacreBLEU's smoothing: `none` and `exp` ignore a value (as `BLEU(smooth_value=...)` does),
/// `floor` and `add-k` default to 0.1 and 1.
fn smooth(method: &str, value: Option<f64>) -> PyResult<Smooth> {
    let value = match method {
        "none" | "exp" => None,
        _ => value,
    };
    Smooth::from_name(method, value).map_err(py_err)
}

impl MetricConf {
    /// The metric a name of `stats(metrics=[...])` stands for (`bleu chrf chrf++ ter wer mer
    /// wil wip cer charsim`, case-insensitive), with the keyword options.
    fn from_name(name: &str, o: &Options) -> PyResult<MetricConf> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "bleu" => MetricConf::Bleu {
                tokenize: o.tokenize.clone(),
                lowercase: o.lowercase,
                smooth_method: o.smooth_method.clone(),
                smooth_value: o.smooth_value,
                max_order: mtharness::metrics::bleu::MAX_NGRAM_ORDER,
                effective_order: false,
            },
            key @ ("chrf" | "chrf++" | "chrfpp") => {
                let d = if key == "chrf" {
                    Chrf::default()
                } else {
                    Chrf::plus_plus()
                };
                MetricConf::Chrf {
                    char_order: d.char_order,
                    word_order: d.word_order,
                    beta: d.beta,
                    lowercase: o.lowercase,
                    whitespace: d.whitespace,
                    eps_smoothing: d.eps_smoothing,
                }
            }
            "ter" => MetricConf::Ter {
                normalized: o.ter_normalized,
                no_punct: o.ter_no_punct,
                asian_support: o.ter_asian_support,
                case_sensitive: o.ter_case_sensitive,
            },
            "wer" => MetricConf::Wer,
            "mer" => MetricConf::Mer,
            "wil" => MetricConf::Wil,
            "wip" => MetricConf::Wip,
            "cer" => MetricConf::Cer,
            "charsim" => MetricConf::CharSim,
            _ => {
                return Err(value_err(format!(
                    "unknown metric '{name}'; expected one of: {}",
                    mtharness::metrics::METRIC_NAMES.join(", ")
                )))
            }
        })
    }

    /// The library metric. Unknown tokenizers and smoothing methods are errors here.
    fn build(&self) -> PyResult<Box<dyn mtharness::Metric>> {
        Ok(match self {
            MetricConf::Bleu {
                tokenize,
                lowercase,
                smooth_method,
                smooth_value,
                max_order,
                effective_order,
            } => Box::new(Bleu {
                tokenizer: tokenize.parse().map_err(py_err)?,
                lowercase: *lowercase,
                smooth: smooth(smooth_method, *smooth_value)?,
                max_order: *max_order,
                effective_order: *effective_order,
            }),
            MetricConf::Chrf {
                char_order,
                word_order,
                beta,
                lowercase,
                whitespace,
                eps_smoothing,
            } => Box::new(Chrf {
                char_order: *char_order,
                word_order: *word_order,
                beta: *beta,
                lowercase: *lowercase,
                whitespace: *whitespace,
                eps_smoothing: *eps_smoothing,
            }),
            MetricConf::Ter {
                normalized,
                no_punct,
                asian_support,
                case_sensitive,
            } => Box::new(Ter {
                normalized: *normalized,
                no_punct: *no_punct,
                asian_support: *asian_support,
                case_sensitive: *case_sensitive,
            }),
            MetricConf::Wer => Box::new(WordMetric::new(WordMeasure::Wer)),
            MetricConf::Mer => Box::new(WordMetric::new(WordMeasure::Mer)),
            MetricConf::Wil => Box::new(WordMetric::new(WordMeasure::Wil)),
            MetricConf::Wip => Box::new(WordMetric::new(WordMeasure::Wip)),
            MetricConf::Cer => Box::new(Cer),
            MetricConf::CharSim => Box::new(CharSim),
        })
    }

    /// The column name reports use: `BLEU`, `chrF`, `chrF++`, `TER`, `WER`, ...
    fn id(&self) -> String {
        match self {
            MetricConf::Bleu { .. } => "BLEU".into(),
            MetricConf::Chrf { word_order, .. } => format!("chrF{}", "+".repeat(*word_order)),
            MetricConf::Ter { .. } => "TER".into(),
            MetricConf::Wer => "WER".into(),
            MetricConf::Mer => "MER".into(),
            MetricConf::Wil => "WIL".into(),
            MetricConf::Wip => "WIP".into(),
            MetricConf::Cer => "CER".into(),
            MetricConf::CharSim => "CharSim".into(),
        }
    }
}

/// Segment `i`'s references from reference streams (`refs[r][i]`), `None` entries dropped
/// (sacreBLEU's variable number of references).
fn segment_refs(refs: &[Vec<Option<String>>], i: usize) -> Vec<&str> {
    refs.iter()
        .filter_map(|stream| stream.get(i).and_then(|r| r.as_deref()))
        .collect()
}

/// Checks that every reference stream has one entry per hypothesis (sacreBLEU would silently
/// truncate to the shortest).
fn check_streams(n_hyps: usize, refs: &[Vec<Option<String>>]) -> PyResult<()> {
    if refs.is_empty() {
        return Err(value_err("no reference stream given"));
    }
    for (r, stream) in refs.iter().enumerate() {
        if stream.len() != n_hyps {
            return Err(value_err(format!(
                "reference stream {r} has {} segments but there are {n_hyps} hypotheses; \
                 every reference stream needs one segment per hypothesis",
                stream.len()
            )));
        }
    }
    Ok(())
}

/// Per-segment statistics rows of `metrics`, in parallel, one row per hypothesis.
fn segment_rows(
    metrics: &[Box<dyn mtharness::Metric>],
    hyps: &[String],
    refs: &[Vec<Option<String>>],
) -> Vec<Vec<Vec<f64>>> {
    hyps.par_iter()
        .enumerate()
        .map(|(i, hyp)| {
            let seg_refs = segment_refs(refs, i);
            metrics
                .iter()
                .map(|m| m.segment_stats(hyp, &seg_refs))
                .collect()
        })
        .collect()
}

/// Sums rows in segment order (the order sacreBLEU's `sum_of_lists` adds in).
fn sum_rows(metrics: &[Box<dyn mtharness::Metric>], rows: &[Vec<Vec<f64>>]) -> Vec<Vec<f64>> {
    let mut sums: Vec<Vec<f64>> = metrics
        .iter()
        .map(|m| vec![0.0; m.stat_names().len()])
        .collect();
    for row in rows {
        for (s, r) in sums.iter_mut().zip(row) {
            add_stats(s, r);
        }
    }
    sums
}

/// The distinct numbers of references the segments have (sacreBLEU's `nrefs`, or `var`).
fn ref_counts(n: usize, refs: &[Vec<Option<String>>]) -> Vec<usize> {
    let mut counts: Vec<usize> = (0..n)
        .map(|i| {
            refs.iter()
                .filter(|s| matches!(s.get(i), Some(Some(_))))
                .count()
        })
        .collect();
    counts.sort_unstable();
    counts.dedup();
    counts
}

// ---------------------------------------------------------------------------------------------
// Metric: one configured metric (sacreBLEU's BLEU / CHRF / TER objects sit on it)
// ---------------------------------------------------------------------------------------------

/// One configured metric of the library.
#[pyclass(module = "mtharness._native", name = "Metric", frozen)]
struct PyMetric {
    conf: MetricConf,
    metric: Box<dyn mtharness::Metric>,
}

impl PyMetric {
    fn new(conf: MetricConf) -> PyResult<PyMetric> {
        let metric = conf.build()?;
        Ok(PyMetric { conf, metric })
    }
}

#[pymethods]
impl PyMetric {
    /// sacreBLEU's BLEU.
    #[staticmethod]
    #[pyo3(signature = (tokenize, lowercase, smooth_method, smooth_value, max_order, effective_order))]
    fn bleu(
        tokenize: String,
        lowercase: bool,
        smooth_method: String,
        smooth_value: Option<f64>,
        max_order: usize,
        effective_order: bool,
    ) -> PyResult<PyMetric> {
        PyMetric::new(MetricConf::Bleu {
            tokenize,
            lowercase,
            smooth_method,
            smooth_value,
            max_order,
            effective_order,
        })
    }

    /// sacreBLEU's chrF / chrF++.
    #[staticmethod]
    fn chrf(
        char_order: usize,
        word_order: usize,
        beta: u32,
        lowercase: bool,
        whitespace: bool,
        eps_smoothing: bool,
    ) -> PyResult<PyMetric> {
        PyMetric::new(MetricConf::Chrf {
            char_order,
            word_order,
            beta,
            lowercase,
            whitespace,
            eps_smoothing,
        })
    }

    /// sacreBLEU's TER.
    #[staticmethod]
    fn ter(
        normalized: bool,
        no_punct: bool,
        asian_support: bool,
        case_sensitive: bool,
    ) -> PyResult<PyMetric> {
        PyMetric::new(MetricConf::Ter {
            normalized,
            no_punct,
            asian_support,
            case_sensitive,
        })
    }

    /// The report column name (`BLEU`, `chrF`, `chrF++`, `TER`, ...).
    fn id(&self) -> String {
        self.conf.id()
    }

    /// The display name (`BLEU`, `chrF2`, `chrF2++`, `TER`).
    fn name(&self) -> String {
        self.metric.name()
    }

    /// The library's signature for `nrefs` references.
    fn signature(&self, nrefs: usize) -> String {
        self.metric.signature(nrefs)
    }

    fn stat_names(&self) -> Vec<String> {
        self.metric.stat_names()
    }

    /// Summed statistics of a corpus (`refs[r][i]`: segment `i` of reference stream `r`, `None`
    /// for a missing reference) and the distinct numbers of references per segment.
    fn corpus_stats(
        &self,
        py: Python<'_>,
        hyps: Vec<String>,
        refs: Vec<Vec<Option<String>>>,
    ) -> PyResult<(Vec<f64>, Vec<usize>)> {
        check_streams(hyps.len(), &refs)?;
        let metric = &self.metric;
        let (sums, counts) = without_gil(py, || {
            let metrics = std::slice::from_ref(metric);
            let rows = segment_rows(metrics, &hyps, &refs);
            let mut sums = sum_rows(metrics, &rows);
            (
                sums.pop().unwrap_or_default(),
                ref_counts(hyps.len(), &refs),
            )
        })?;
        Ok((sums, counts))
    }

    /// Corpus score of summed statistics.
    fn score(&self, stats: Vec<f64>) -> f64 {
        self.metric.corpus_score(&stats)
    }

    /// Sentence score of one segment's statistics (the library's sentence-level convention).
    fn sentence_score(&self, stats: Vec<f64>) -> f64 {
        self.metric.sentence_score(&stats)
    }

    fn __repr__(&self) -> String {
        format!("<mtharness._native.Metric {}>", self.conf.id())
    }
}

/// sacreBLEU's `BLEU.compute_bleu` on explicit statistics: `(score, precisions, bp)`.
#[pyfunction]
#[pyo3(signature = (correct, total, sys_len, ref_len, smooth_method, smooth_value, effective_order, max_order))]
#[allow(clippy::too_many_arguments)]
fn compute_bleu_py(
    correct: Vec<f64>,
    total: Vec<f64>,
    sys_len: f64,
    ref_len: f64,
    smooth_method: &str,
    smooth_value: Option<f64>,
    effective_order: bool,
    max_order: usize,
) -> PyResult<(f64, Vec<f64>, f64)> {
    let s = compute_bleu(
        &correct,
        &total,
        sys_len,
        ref_len,
        smooth(smooth_method, smooth_value)?,
        effective_order,
        max_order,
    );
    Ok((s.score, s.precisions, s.bp))
}

/// A BLEU tokenizer applied to one line (sacreBLEU's `tokenizers.*` callables).
#[pyfunction]
fn bleu_tokenize(name: &str, line: &str) -> PyResult<String> {
    let tok: Tokenizer = name.parse().map_err(py_err)?;
    Ok(tok.tokenize(line))
}

/// sacreBLEU's `TercomTokenizer` applied to one line.
#[pyfunction]
fn ter_tokenize(
    line: &str,
    normalized: bool,
    no_punct: bool,
    asian_support: bool,
    case_sensitive: bool,
) -> String {
    TercomTokenizer {
        normalized,
        no_punct,
        asian_support,
        case_sensitive,
    }
    .tokenize(line)
}

// ---------------------------------------------------------------------------------------------
// Stats: additive statistics of several metrics
// ---------------------------------------------------------------------------------------------

/// Additive statistics of one or more metrics over some segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StatsData {
    metrics: Vec<MetricConf>,
    segments: usize,
    stats: Vec<Vec<f64>>,
}

/// Summed sufficient statistics of one or more metrics (see `mtharness.stats`).
///
/// `a + b` adds two of them (the same metrics with the same options; anything else is a
/// `ValueError`), `sum([...])` works (`0 + stats` is `stats`), `scores()` gives each metric's
/// corpus score, and pickling stores the statistics as JSON.
#[pyclass(module = "mtharness._native", name = "Stats", frozen)]
struct PyStats {
    data: StatsData,
}

impl PyStats {
    fn add(&self, other: &PyStats) -> PyResult<PyStats> {
        if self.data.metrics != other.data.metrics {
            let ids = |d: &StatsData| {
                serde_json::to_string(&d.metrics).unwrap_or_else(|_| "?".to_string())
            };
            return Err(value_err(format!(
                "cannot add statistics of different metric configurations: {} and {}",
                ids(&self.data),
                ids(&other.data)
            )));
        }
        let mut data = self.data.clone();
        for (a, b) in data.stats.iter_mut().zip(&other.data.stats) {
            add_stats(a, b);
        }
        data.segments += other.data.segments;
        Ok(PyStats { data })
    }

    fn is_zero(obj: &Bound<'_, PyAny>) -> bool {
        obj.extract::<i64>().is_ok_and(|v| v == 0)
    }
}

#[pymethods]
impl PyStats {
    /// Statistics from `to_json()`'s output.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<PyStats> {
        let data: StatsData = serde_json::from_str(text)
            .map_err(|e| value_err(format!("not mtharness statistics: {e}")))?;
        if data.stats.len() != data.metrics.len() {
            return Err(value_err(
                "not mtharness statistics: one row of statistics per metric expected",
            ));
        }
        for (m, row) in data.metrics.iter().zip(&data.stats) {
            if m.build()?.stat_names().len() != row.len() {
                return Err(value_err(format!(
                    "not mtharness statistics: {} expects {} statistics, got {}",
                    m.id(),
                    m.build()?.stat_names().len(),
                    row.len()
                )));
            }
        }
        Ok(PyStats { data })
    }

    /// The statistics as JSON (what pickling stores).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.data).map_err(|e| value_err(e.to_string()))
    }

    /// Number of segments summed.
    #[getter]
    fn segments(&self) -> usize {
        self.data.segments
    }

    /// The metric ids, in order (`["BLEU", "chrF", ...]`).
    #[getter]
    fn metrics(&self) -> Vec<String> {
        self.data.metrics.iter().map(MetricConf::id).collect()
    }

    /// `{metric id: [statistics]}`, with `stat_names()` naming the entries.
    fn raw(&self) -> HashMap<String, Vec<f64>> {
        self.data
            .metrics
            .iter()
            .map(MetricConf::id)
            .zip(self.data.stats.iter().cloned())
            .collect()
    }

    /// `{metric id: [names of its statistics]}`.
    fn stat_names(&self) -> PyResult<HashMap<String, Vec<String>>> {
        self.data
            .metrics
            .iter()
            .map(|m| Ok((m.id(), m.build()?.stat_names())))
            .collect()
    }

    /// `{metric id: corpus score}`, in metric order.
    fn scores<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (m, st) in self.data.metrics.iter().zip(&self.data.stats) {
            out.set_item(m.id(), m.build()?.corpus_score(st))?;
        }
        Ok(out)
    }

    /// `{metric id: signature}` for `nrefs` references.
    #[pyo3(signature = (nrefs = 1))]
    fn signatures<'py>(&self, py: Python<'py>, nrefs: usize) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for m in &self.data.metrics {
            out.set_item(m.id(), m.build()?.signature(nrefs))?;
        }
        Ok(out)
    }

    fn __add__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(o) = other.extract::<PyRef<'_, PyStats>>() {
            return Ok(Py::new(py, self.add(&o)?)?.into_any());
        }
        if PyStats::is_zero(other) {
            return Ok(Py::new(
                py,
                PyStats {
                    data: self.data.clone(),
                },
            )?
            .into_any());
        }
        Ok(py.NotImplemented())
    }

    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.__add__(py, other)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .extract::<PyRef<'_, PyStats>>()
            .is_ok_and(|o| o.data == self.data)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let ctor = slf.get_type().getattr("from_json")?;
        Ok((ctor, (slf.get().to_json()?,)))
    }

    fn __repr__(&self) -> String {
        let scores: Vec<String> = self
            .data
            .metrics
            .iter()
            .zip(&self.data.stats)
            .map(|(m, st)| match m.build() {
                Ok(metric) => format!("{}={:.4}", m.id(), metric.corpus_score(st)),
                Err(_) => format!("{}=?", m.id()),
            })
            .collect();
        format!(
            "Stats(segments={}, {})",
            self.data.segments,
            scores.join(", ")
        )
    }
}

/// Sufficient statistics of `metrics` over a corpus (`refs[r][i]`: segment `i` of reference
/// stream `r`), summed.
#[pyfunction]
#[pyo3(signature = (hyps, refs, metrics, tokenize, lowercase, smooth_method, smooth_value,
                    ter_normalized, ter_no_punct, ter_asian_support, ter_case_sensitive))]
#[allow(clippy::too_many_arguments)]
fn stats(
    py: Python<'_>,
    hyps: Vec<String>,
    refs: Vec<Vec<Option<String>>>,
    metrics: Vec<String>,
    tokenize: String,
    lowercase: bool,
    smooth_method: String,
    smooth_value: Option<f64>,
    ter_normalized: bool,
    ter_no_punct: bool,
    ter_asian_support: bool,
    ter_case_sensitive: bool,
) -> PyResult<PyStats> {
    let opts = Options {
        tokenize,
        lowercase,
        smooth_method,
        smooth_value,
        ter_normalized,
        ter_no_punct,
        ter_asian_support,
        ter_case_sensitive,
    };
    let confs = metrics
        .iter()
        .map(|n| MetricConf::from_name(n, &opts))
        .collect::<PyResult<Vec<_>>>()?;
    for (i, c) in confs.iter().enumerate() {
        if confs[..i].contains(c) {
            return Err(value_err(format!("metric '{}' is given twice", c.id())));
        }
    }
    let built = confs
        .iter()
        .map(MetricConf::build)
        .collect::<PyResult<Vec<_>>>()?;
    check_streams(hyps.len(), &refs)?;
    let sums = without_gil(py, || {
        let rows = segment_rows(&built, &hyps, &refs);
        sum_rows(&built, &rows)
    })?;
    Ok(PyStats {
        data: StatsData {
            metrics: confs,
            segments: hyps.len(),
            stats: sums,
        },
    })
}

// ---------------------------------------------------------------------------------------------
// jiwer: word and character alignments
// ---------------------------------------------------------------------------------------------

/// One alignment chunk: `(tag, ref_start, ref_end, hyp_start, hyp_end)`, jiwer's tags.
type Chunk = (&'static str, usize, usize, usize, usize);

/// rapidfuzz's `Editops.as_opcodes()`: edit operations grouped into runs of one kind, with
/// `equal` runs between them, covering both sequences. jiwer renames `replace` to `substitute`.
fn opcodes(ops: &[EditOp], src_len: usize, dest_len: usize) -> Vec<Chunk> {
    let mut out = Vec::new();
    let (mut s, mut d) = (0usize, 0usize);
    let mut i = 0;
    while i < ops.len() {
        let op = ops[i];
        if s < op.src_pos || d < op.dest_pos {
            out.push(("equal", s, op.src_pos, d, op.dest_pos));
            s = op.src_pos;
            d = op.dest_pos;
        }
        let (s0, d0, kind) = (s, d, op.kind);
        while i < ops.len() && ops[i].kind == kind && ops[i].src_pos == s && ops[i].dest_pos == d {
            match kind {
                EditKind::Replace => {
                    s += 1;
                    d += 1;
                }
                EditKind::Insert => d += 1,
                EditKind::Delete => s += 1,
            }
            i += 1;
        }
        let tag = match kind {
            EditKind::Replace => "substitute",
            EditKind::Insert => "insert",
            EditKind::Delete => "delete",
        };
        out.push((tag, s0, s, d0, d));
    }
    if s < src_len || d < dest_len {
        out.push(("equal", s, src_len, d, dest_len));
    }
    out
}

/// `[hits, substitutions, deletions, insertions]` of chunks, counted as jiwer counts them.
fn chunk_counts(chunks: &[Chunk]) -> [usize; 4] {
    let mut c = [0usize; 4];
    for &(tag, i1, i2, j1, j2) in chunks {
        match tag {
            "equal" => c[0] += i2 - i1,
            "substitute" => c[1] += i2 - i1,
            "delete" => c[2] += i2 - i1,
            _ => c[3] += j2 - j1,
        }
    }
    c
}

/// Alignment chunks of two token sequences (tokens compared by equality only).
fn align_tokens<T: AsRef<str>>(r: &[T], h: &[T]) -> Vec<Chunk> {
    if let Some(chunks) = trivial_chunks(r, h, |x, y| x.as_ref() == y.as_ref()) {
        return chunks;
    }
    let mut ids: HashMap<&str, u32> = HashMap::with_capacity(r.len() + h.len());
    let seq = |side: &'_ [T]| -> Vec<u32> { Vec::with_capacity(side.len()) };
    let (mut a, mut b) = (seq(r), seq(h));
    for (words, out) in [(r, &mut a), (h, &mut b)] {
        for w in words {
            let next = ids.len() as u32;
            out.push(*ids.entry(w.as_ref()).or_insert(next));
        }
    }
    opcodes(&editops(&a, &b), a.len(), b.len())
}

/// Alignment chunks of two character sequences.
fn align_chars(r: &[char], h: &[char]) -> Vec<Chunk> {
    if let Some(chunks) = trivial_chunks(r, h, |x, y| x == y) {
        return chunks;
    }
    opcodes(&editops(r, h), r.len(), h.len())
}

/// The chunks of pairs whose alignment is unique, without the distance kernels: after the
/// common prefix and suffix (which `editops` strips first too) one side is empty, or both
/// are one token. `None` otherwise. O(|r| + |h|).
fn trivial_chunks<T>(r: &[T], h: &[T], eq: impl Fn(&T, &T) -> bool) -> Option<Vec<Chunk>> {
    let prefix = r.iter().zip(h).take_while(|(x, y)| eq(x, y)).count();
    let suffix = r[prefix..]
        .iter()
        .rev()
        .zip(h[prefix..].iter().rev())
        .take_while(|(x, y)| eq(x, y))
        .count();
    let (n, m) = (r.len() - prefix - suffix, h.len() - prefix - suffix);
    let middle: Chunk = match (n, m) {
        (0, 0) => ("equal", 0, 0, 0, 0),
        (0, _) => ("insert", prefix, prefix, prefix, prefix + m),
        (_, 0) => ("delete", prefix, prefix + n, prefix, prefix),
        (1, 1) => ("substitute", prefix, prefix + 1, prefix, prefix + 1),
        _ => return None,
    };
    let mut out = Vec::with_capacity(3);
    if prefix > 0 {
        out.push(("equal", 0, prefix, 0, prefix));
    }
    if n + m > 0 {
        out.push(middle);
    }
    if suffix > 0 {
        out.push((
            "equal",
            r.len() - suffix,
            r.len(),
            h.len() - suffix,
            h.len(),
        ));
    }
    Some(out)
}

/// What `process_words` / `process_characters` need: the transformed token lists, the chunks
/// and the counts `[hits, substitutions, deletions, insertions]`.
type Alignment = (
    Vec<Vec<String>>,
    Vec<Vec<String>>,
    Vec<Vec<Chunk>>,
    [usize; 4],
);

fn total_counts(chunks: &[Vec<Chunk>]) -> [usize; 4] {
    let mut total = [0usize; 4];
    for c in chunks {
        for (t, x) in total.iter_mut().zip(chunk_counts(c)) {
            *t += x;
        }
    }
    total
}

/// jiwer's `process_words` with the default transform (`wer_default`) on equally long lists.
#[pyfunction]
fn align_words_default(
    py: Python<'_>,
    refs: Vec<String>,
    hyps: Vec<String>,
) -> PyResult<Alignment> {
    without_gil(py, || {
        let split = |s: &String| {
            let mut w = Vec::new();
            jiwer_words(s, &mut w);
            w.into_iter().map(str::to_string).collect::<Vec<String>>()
        };
        let rw: Vec<Vec<String>> = refs.par_iter().map(split).collect();
        let hw: Vec<Vec<String>> = hyps.par_iter().map(split).collect();
        let chunks: Vec<Vec<Chunk>> = rw
            .par_iter()
            .zip(hw.par_iter())
            .map(|(r, h)| align_tokens(r, h))
            .collect();
        let counts = total_counts(&chunks);
        (rw, hw, chunks, counts)
    })
}

/// jiwer's counts under `wer_default`, without the alignment (the `wer()` / `mer()` path):
/// `[hits, substitutions, deletions, insertions]`.
#[pyfunction]
fn count_words_default(
    py: Python<'_>,
    refs: Vec<String>,
    hyps: Vec<String>,
) -> PyResult<[usize; 4]> {
    without_gil(py, || {
        refs.par_iter()
            .zip(hyps.par_iter())
            .map(|(r, h)| {
                let c = word_counts(r, h);
                [c.hits, c.substitutions, c.deletions, c.insertions]
            })
            .reduce(
                || [0; 4],
                |a, b| [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]],
            )
    })
}

/// jiwer's `process_characters` with the default transform (`cer_default`: `str.strip()`, then
/// code points).
#[pyfunction]
fn align_chars_default(
    py: Python<'_>,
    refs: Vec<String>,
    hyps: Vec<String>,
) -> PyResult<Alignment> {
    without_gil(py, || {
        let chars = |s: &String| strip_py(s).chars().collect::<Vec<char>>();
        let rc: Vec<Vec<char>> = refs.par_iter().map(chars).collect();
        let hc: Vec<Vec<char>> = hyps.par_iter().map(chars).collect();
        let chunks: Vec<Vec<Chunk>> = rc
            .par_iter()
            .zip(hc.par_iter())
            .map(|(r, h)| align_chars(r, h))
            .collect();
        let counts = total_counts(&chunks);
        let strings = |v: Vec<Vec<char>>| {
            v.into_iter()
                .map(|s| s.into_iter().map(String::from).collect())
                .collect()
        };
        (strings(rc), strings(hc), chunks, counts)
    })
}

/// Alignment of already transformed token lists (custom jiwer transforms):
/// `(chunks, [hits, substitutions, deletions, insertions])`.
#[pyfunction]
fn align_token_lists(
    py: Python<'_>,
    refs: Vec<Vec<String>>,
    hyps: Vec<Vec<String>>,
) -> PyResult<(Vec<Vec<Chunk>>, [usize; 4])> {
    without_gil(py, || {
        let chunks: Vec<Vec<Chunk>> = refs
            .par_iter()
            .zip(hyps.par_iter())
            .map(|(r, h)| align_tokens(r, h))
            .collect();
        let counts = total_counts(&chunks);
        (chunks, counts)
    })
}

/// jiwer 4.0.0's measures of summed counts: `(wer, mer, wil, wip)` (fractions).
#[pyfunction]
fn word_measures(
    hits: usize,
    substitutions: usize,
    deletions: usize,
    insertions: usize,
) -> (f64, f64, f64, f64) {
    jiwer_measures(&[
        hits as f64,
        substitutions as f64,
        deletions as f64,
        insertions as f64,
    ])
}

// ---------------------------------------------------------------------------------------------
// Whole corpora
// ---------------------------------------------------------------------------------------------

/// Reads a corpus with the library's readers and scores it: a dict with `name`, `refs`,
/// `metrics`, `signatures`, `systems`, `documents` and `segments` (lists of dicts).
#[pyfunction]
#[pyo3(signature = (input, refs, hyps, docids, source, name, collection, systems, metrics,
                    align, tokenize, lowercase, smooth_method, smooth_value,
                    ter_normalized, ter_no_punct, ter_asian_support, ter_case_sensitive))]
#[allow(clippy::too_many_arguments)]
fn score_corpus<'py>(
    py: Python<'py>,
    input: Option<PathBuf>,
    refs: Vec<PathBuf>,
    hyps: Vec<PathBuf>,
    docids: Option<PathBuf>,
    source: Option<PathBuf>,
    name: Option<String>,
    collection: Option<String>,
    systems: Option<Vec<String>>,
    metrics: Vec<String>,
    align: &str,
    tokenize: String,
    lowercase: bool,
    smooth_method: String,
    smooth_value: Option<f64>,
    ter_normalized: bool,
    ter_no_punct: bool,
    ter_asian_support: bool,
    ter_case_sensitive: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let align = match align {
        "auto" => AlignMode::Auto,
        "always" => AlignMode::Always,
        "never" => AlignMode::Never,
        other => {
            return Err(value_err(format!(
                "unknown align mode {other:?}: expected auto, always or never"
            )))
        }
    };
    let opts = Options {
        tokenize,
        lowercase,
        smooth_method,
        smooth_value,
        ter_normalized,
        ter_no_punct,
        ter_asian_support,
        ter_case_sensitive,
    };
    let spec = LoadSpec {
        input,
        refs,
        hyps,
        docids,
        source,
        name,
        collection,
        systems,
        ..LoadSpec::default()
    };
    let specs = build_metrics(&metrics, &opts.metric_options()).map_err(py_err)?;
    let eval = without_gil(py, || {
        let corpus = load(&spec)?;
        let eval_opts = EvalOptions {
            align,
            ..EvalOptions::default()
        };
        evaluate_owned(corpus, specs, &eval_opts)
    })?
    .map_err(py_err)?;

    let ids: Vec<&str> = eval.metrics.iter().map(|m| m.id.as_str()).collect();
    let out = PyDict::new(py);
    out.set_item("name", &eval.corpus_name)?;
    out.set_item("refs", &eval.ref_names)?;
    out.set_item("metrics", &ids)?;
    let sigs = PyDict::new(py);
    for (m, id) in ids.iter().enumerate() {
        sigs.set_item(*id, eval.signature(m))?;
    }
    out.set_item("signatures", sigs)?;

    let sys_rows = PyList::empty(py);
    let doc_rows = PyList::empty(py);
    let seg_rows = PyList::empty(py);
    for (s, sys) in eval.systems.iter().enumerate() {
        let row = PyDict::new(py);
        row.set_item("system", &sys.name)?;
        row.set_item("segments", sys.segments.len())?;
        for (m, id) in ids.iter().enumerate() {
            row.set_item(*id, eval.system_score(s, m))?;
        }
        sys_rows.append(row)?;
        for de in &sys.documents {
            let row = PyDict::new(py);
            row.set_item("system", &sys.name)?;
            row.set_item("document", &eval.documents[de.doc].id)?;
            row.set_item("segments", de.pairs)?;
            for (m, id) in ids.iter().enumerate() {
                row.set_item(*id, eval.metrics[m].metric.corpus_score(&de.stats[m]))?;
            }
            doc_rows.append(row)?;
        }
        for (i, seg) in sys.segments.iter().enumerate() {
            let info = &eval.documents[seg.doc];
            let row = PyDict::new(py);
            row.set_item("system", &sys.name)?;
            row.set_item("document", &info.id)?;
            let line = info.lines.get(seg.pair.refs.start).copied();
            row.set_item("line", if seg.pair.refs.is_empty() { None } else { line })?;
            row.set_item("bead", seg.pair.bead())?;
            let st = sys.segment(i);
            for (m, id) in ids.iter().enumerate() {
                row.set_item(*id, eval.metrics[m].metric.sentence_score(st.metric(m)))?;
            }
            seg_rows.append(row)?;
        }
    }
    out.set_item("systems", sys_rows)?;
    out.set_item("documents", doc_rows)?;
    out.set_item("segments", seg_rows)?;
    Ok(out)
}

/// The `mtharness._native` module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", VERSION)?;
    m.add_class::<PyMetric>()?;
    m.add_class::<PyStats>()?;
    m.add_function(wrap_pyfunction!(compute_bleu_py, m)?)?;
    m.add_function(wrap_pyfunction!(bleu_tokenize, m)?)?;
    m.add_function(wrap_pyfunction!(ter_tokenize, m)?)?;
    m.add_function(wrap_pyfunction!(stats, m)?)?;
    m.add_function(wrap_pyfunction!(align_words_default, m)?)?;
    m.add_function(wrap_pyfunction!(count_words_default, m)?)?;
    m.add_function(wrap_pyfunction!(align_chars_default, m)?)?;
    m.add_function(wrap_pyfunction!(align_token_lists, m)?)?;
    m.add_function(wrap_pyfunction!(word_measures, m)?)?;
    m.add_function(wrap_pyfunction!(score_corpus, m)?)?;
    Ok(())
}
