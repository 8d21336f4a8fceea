//! `mtharness._native`: the Rust side of the Python package.
//!
//! Every call into the `mtharness` library is in this file, so that moving to another library
//! API touches one file. The Python package (`python/mtharness/`) gives these functions
//! sacreBLEU's and jiwer's shapes; here they take and return plain values (lists of strings,
//! lists of floats, tuples, dicts).
//!
//! Metrics are the library's [`Metric`] values; summed statistics are its [`Stats`] (pickled as
//! their serde JSON). Scoring releases the GIL and spreads segments over rayon's threads,
//! except a one-segment corpus (a `sentence_score`), scored on the calling thread.
//! Every library error becomes a Python exception carrying the library's message: I/O errors
//! `OSError` (`FileNotFoundError`, `PermissionError` where they fit), everything else
//! `ValueError`; a panic (a bug) becomes a `RuntimeError`.

use std::collections::HashMap;
use std::path::PathBuf;

use pyo3::exceptions::{
    PyFileNotFoundError, PyOSError, PyPermissionError, PyRuntimeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;

use mtharness::corpus::{load, LoadSpec};
use mtharness::distance::{editops, EditKind, EditOp};
use mtharness::eval::{evaluate, AlignMode, EvalOptions};
use mtharness::metrics::compute_bleu;
use mtharness::metrics::TercomTokenizer;
use mtharness::metrics::{add_stats, build_metrics, VERSION};
use mtharness::metrics::{jiwer_measures, jiwer_words, word_counts};
use mtharness::significance::{bootstrap_ci, bootstrap_signature, seed_from_env, StatsMatrix};
use mtharness::text::{strip_py, Tokenizer};
use mtharness::{
    Bleu, Chrf, Error, ErrorKind, Metric, MetricOptions, Scorer, SegmentMetric, Smooth, Stats, Ter,
};

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
        .map_err(panic_err)
}

/// Runs `f` on this thread with the GIL held (work too small to be worth releasing it and
/// waking rayon's threads); a panic becomes a `RuntimeError`, as in [`without_gil`].
fn with_gil<T, F: FnOnce() -> T>(f: F) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(panic_err)
}

fn panic_err(payload: Box<dyn std::any::Any + Send>) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    PyRuntimeError::new_err(format!(
        "mtharness internal error (please report it with the input): {what}"
    ))
}

// ---------------------------------------------------------------------------------------------
// Metric options
// ---------------------------------------------------------------------------------------------

/// sacreBLEU's smoothing: `none` and `exp` ignore a value (as `BLEU(smooth_value=...)` does),
/// `floor` and `add-k` default to 0.1 and 1.
fn smooth(method: &str, value: Option<f64>) -> PyResult<Smooth> {
    let value = match method {
        "none" | "exp" => None,
        _ => value,
    };
    Smooth::from_name(method, value).map_err(py_err)
}

fn tokenizer(name: &str) -> PyResult<Tokenizer> {
    name.parse().map_err(py_err)
}

/// The keyword options of `stats()` and `score_corpus()` (the command line's) as the library's
/// `MetricOptions`.
#[allow(clippy::too_many_arguments)]
fn metric_options(
    tokenize: &str,
    lowercase: bool,
    smooth_method: &str,
    smooth_value: Option<f64>,
    normalized: bool,
    no_punct: bool,
    asian_support: bool,
    case_sensitive: bool,
) -> PyResult<MetricOptions> {
    Ok(MetricOptions {
        tokenize: tokenizer(tokenize)?,
        lowercase,
        smooth: smooth(smooth_method, smooth_value)?,
        ter: Ter {
            normalized,
            no_punct,
            asian_support,
            case_sensitive,
        },
    })
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

/// Summed statistics of one metric over a corpus whose reference streams may miss entries
/// (`None`), which the library's `Scorer::stats` does not take: each segment against the
/// references it has, in parallel, summed in segment order (as `Scorer::stats` sums).
fn variable_refs_stats(
    metric: &dyn SegmentMetric,
    hyps: &[String],
    refs: &[Vec<Option<String>>],
) -> Vec<f64> {
    let rows: Vec<Vec<f64>> = hyps
        .par_iter()
        .enumerate()
        .map(|(i, hyp)| metric.segment_stats(hyp, &segment_refs(refs, i)))
        .collect();
    let mut sums = vec![0.0; metric.stat_names().len()];
    for row in &rows {
        add_stats(&mut sums, row);
    }
    sums
}

// ---------------------------------------------------------------------------------------------
// Metric: one configured metric (sacreBLEU's BLEU / CHRF / TER objects sit on it)
// ---------------------------------------------------------------------------------------------

/// One configured metric of the library.
#[pyclass(module = "mtharness._native", name = "Metric", frozen)]
struct PyMetric {
    metric: Metric,
    scorer: Box<dyn SegmentMetric>,
}

impl PyMetric {
    fn new(metric: Metric) -> PyMetric {
        let scorer = metric.scorer();
        PyMetric { metric, scorer }
    }
}

#[pymethods]
impl PyMetric {
    /// sacreBLEU's BLEU.
    #[staticmethod]
    #[pyo3(signature = (tokenize, lowercase, smooth_method, smooth_value, max_order, effective_order))]
    fn bleu(
        tokenize: &str,
        lowercase: bool,
        smooth_method: &str,
        smooth_value: Option<f64>,
        max_order: usize,
        effective_order: bool,
    ) -> PyResult<PyMetric> {
        Ok(PyMetric::new(Metric::Bleu(Bleu {
            tokenizer: tokenizer(tokenize)?,
            lowercase,
            smooth: smooth(smooth_method, smooth_value)?,
            max_order,
            effective_order,
        })))
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
    ) -> PyMetric {
        PyMetric::new(Metric::Chrf(Chrf {
            char_order,
            word_order,
            beta,
            lowercase,
            whitespace,
            eps_smoothing,
        }))
    }

    /// sacreBLEU's TER.
    #[staticmethod]
    fn ter(
        normalized: bool,
        no_punct: bool,
        asian_support: bool,
        case_sensitive: bool,
    ) -> PyMetric {
        PyMetric::new(Metric::Ter(Ter {
            normalized,
            no_punct,
            asian_support,
            case_sensitive,
        }))
    }

    /// The report column name (`BLEU`, `chrF`, `chrF++`, `TER`, ...).
    fn id(&self) -> &'static str {
        self.metric.id()
    }

    /// The display name (`BLEU`, `chrF2`, `chrF2++`, `TER`).
    fn name(&self) -> String {
        self.scorer.name()
    }

    /// The library's signature for `nrefs` references.
    fn signature(&self, nrefs: usize) -> String {
        self.scorer.signature(nrefs)
    }

    fn stat_names(&self) -> Vec<String> {
        self.scorer.stat_names()
    }

    /// Summed statistics of a corpus (`refs[r][i]`: segment `i` of reference stream `r`, `None`
    /// for a missing reference) and the distinct numbers of references per segment. Streams
    /// without `None` go through the library's `Scorer::stats`.
    fn corpus_stats(
        &self,
        py: Python<'_>,
        hyps: Vec<String>,
        refs: Vec<Vec<Option<String>>>,
    ) -> PyResult<(Vec<f64>, Vec<usize>)> {
        check_streams(hyps.len(), &refs)?;
        let counts = ref_counts(hyps.len(), &refs);
        if let [hyp] = hyps.as_slice() {
            // One segment (`sentence_score`): scored here. Releasing the GIL and handing one
            // pair to rayon's pool cost more than scoring it. The sum of one row is the row.
            let sums = with_gil(|| self.scorer.segment_stats(hyp, &segment_refs(&refs, 0)))?;
            return Ok((sums, counts));
        }
        if counts != [refs.len()] {
            let sums = without_gil(py, || {
                variable_refs_stats(self.scorer.as_ref(), &hyps, &refs)
            })?;
            return Ok((sums, counts));
        }
        let streams: Vec<Vec<String>> = refs
            .into_iter()
            .map(|s| s.into_iter().flatten().collect())
            .collect();
        let scorer = Scorer::new([self.metric.clone()]).map_err(py_err)?;
        let stats = without_gil(py, || scorer.stats(&hyps, &streams))?.map_err(py_err)?;
        Ok((stats.metric_stats(0).to_vec(), counts))
    }

    /// Statistics of one hypothesis against its references (`None` entries dropped), scored on
    /// the calling thread: the `sentence_score` path, which takes the strings as they are
    /// rather than as one-segment reference streams.
    fn sentence_stats(&self, hyp: &str, refs: Vec<Option<String>>) -> PyResult<Vec<f64>> {
        let refs: Vec<&str> = refs.iter().flatten().map(String::as_str).collect();
        with_gil(|| self.scorer.segment_stats(hyp, &refs))
    }

    /// sacreBLEU's `BLEU.sentence_score` in one call: `(score, counts, totals, precisions, bp,
    /// sys_len, ref_len)` of one hypothesis against its references (`None` entries dropped),
    /// with this metric's smoothing and effective order. `None` for a metric other than BLEU
    /// and for `add-k` smoothing, whose sacreBLEU form also changes the counts it returns.
    #[allow(clippy::type_complexity)]
    fn bleu_sentence(
        &self,
        hyp: &str,
        refs: Vec<Option<String>>,
    ) -> PyResult<Option<(f64, Vec<u64>, Vec<u64>, Vec<f64>, f64, u64, u64)>> {
        let Metric::Bleu(bleu) = &self.metric else {
            return Ok(None);
        };
        if matches!(bleu.smooth, Smooth::AddK(_)) {
            return Ok(None);
        }
        let refs: Vec<&str> = refs.iter().flatten().map(String::as_str).collect();
        with_gil(|| {
            let stats = self.scorer.segment_stats(hyp, &refs);
            let n = bleu.max_order;
            let (correct, total) = stats[2..].split_at(n);
            let s = compute_bleu(
                correct,
                total,
                stats[0],
                stats[1],
                bleu.smooth,
                bleu.effective_order,
                n,
            );
            // Statistics are counts: exact in f64, so the casts lose nothing.
            let ints = |xs: &[f64]| xs.iter().map(|&x| x as u64).collect::<Vec<u64>>();
            Some((
                s.score,
                ints(correct),
                ints(total),
                s.precisions,
                s.bp,
                stats[0] as u64,
                stats[1] as u64,
            ))
        })
    }

    /// Bootstrap estimate of the corpus score (sacreBLEU's `corpus_score(n_bootstrap=N)`):
    /// `(mean, half width, seed)` from the library's `bootstrap_ci` over per-segment
    /// statistics, with the seed sacreBLEU would use (`SACREBLEU_SEED`, default 12345;
    /// `None` for `none`).
    fn bootstrap(
        &self,
        py: Python<'_>,
        hyps: Vec<String>,
        refs: Vec<Vec<Option<String>>>,
        n_samples: usize,
    ) -> PyResult<(f64, f64, Option<u64>)> {
        check_streams(hyps.len(), &refs)?;
        let seed = seed_from_env().map_err(py_err)?;
        let metric = self.scorer.as_ref();
        let interval = without_gil(py, || {
            let rows: Vec<Vec<f64>> = hyps
                .par_iter()
                .enumerate()
                .map(|(i, hyp)| metric.segment_stats(hyp, &segment_refs(&refs, i)))
                .collect();
            let matrix = StatsMatrix::from_rows(metric.stat_names().len(), &rows)?;
            bootstrap_ci(metric, &matrix, n_samples, seed)
        })?
        .map_err(py_err)?;
        Ok((interval.mean, interval.half_width, seed))
    }

    /// The signature of a bootstrap estimate: `bs:N|seed:S` after `nrefs`.
    fn bootstrap_signature(&self, nrefs: usize, n_samples: usize, seed: Option<u64>) -> String {
        bootstrap_signature(&self.scorer.signature(nrefs), n_samples, seed)
    }

    /// Corpus score of summed statistics.
    fn score(&self, stats: Vec<f64>) -> f64 {
        self.scorer.corpus_score(&stats)
    }

    /// Sentence score of one segment's statistics (the library's sentence-level convention).
    fn sentence_score(&self, stats: Vec<f64>) -> f64 {
        self.scorer.sentence_score(&stats)
    }

    fn __repr__(&self) -> String {
        format!("<mtharness._native.Metric {}>", self.metric.id())
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
    Ok(tokenizer(name)?.tokenize(line))
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
// Stats: the library's additive statistics of several metrics
// ---------------------------------------------------------------------------------------------

/// Summed sufficient statistics of one or more metrics (see `mtharness.stats`).
///
/// `a + b` adds two of them (the same metrics with the same options and the same number of
/// reference streams; anything else is a `ValueError`), `sum([...])` works (`0 + stats` is
/// `stats`), `scores()` gives each metric's corpus score, and pickling stores the library's
/// `Stats` as JSON.
#[pyclass(module = "mtharness._native", name = "Stats", frozen)]
struct PyStats {
    stats: Stats,
}

impl PyStats {
    fn is_zero(obj: &Bound<'_, PyAny>) -> bool {
        obj.extract::<i64>().is_ok_and(|v| v == 0)
    }
}

#[pymethods]
impl PyStats {
    /// Statistics from `to_json()`'s output (checked: one row of the right length per metric).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<PyStats> {
        let stats: Stats = serde_json::from_str(text)
            .map_err(|e| value_err(format!("not mtharness statistics: {e}")))?;
        for (m, metric) in stats.metrics().iter().enumerate() {
            let want = metric.scorer().stat_names().len();
            let got = stats.metric_stats(m).len();
            if want != got {
                return Err(value_err(format!(
                    "not mtharness statistics: {} expects {want} statistics, got {got}",
                    metric.id()
                )));
            }
        }
        Ok(PyStats { stats })
    }

    /// The statistics as JSON (the library's serde form; what pickling stores).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.stats).map_err(|e| value_err(e.to_string()))
    }

    /// Number of segments summed.
    #[getter]
    fn segments(&self) -> usize {
        self.stats.segments()
    }

    /// Number of reference streams.
    #[getter]
    fn nrefs(&self) -> usize {
        self.stats.nrefs()
    }

    /// The metric ids, in order (`["BLEU", "chrF", ...]`).
    #[getter]
    fn metrics(&self) -> Vec<&'static str> {
        self.stats.metrics().iter().map(Metric::id).collect()
    }

    /// `{metric id: [statistics]}`, with `stat_names()` naming the entries.
    fn raw(&self) -> HashMap<&'static str, Vec<f64>> {
        (0..self.stats.metrics().len())
            .map(|m| {
                (
                    self.stats.metrics()[m].id(),
                    self.stats.metric_stats(m).to_vec(),
                )
            })
            .collect()
    }

    /// `{metric id: [names of its statistics]}`.
    fn stat_names(&self) -> HashMap<&'static str, Vec<String>> {
        self.stats
            .metrics()
            .iter()
            .map(|m| (m.id(), m.scorer().stat_names()))
            .collect()
    }

    /// `{metric id: corpus score}`, in metric order.
    fn scores<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (id, score) in self.stats.scores() {
            out.set_item(id, score)?;
        }
        Ok(out)
    }

    /// `{metric id: signature}`.
    fn signatures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (id, sig) in self.stats.signatures() {
            out.set_item(id, sig)?;
        }
        Ok(out)
    }

    fn __add__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(o) = other.extract::<PyRef<'_, PyStats>>() {
            let mut stats = self.stats.clone();
            stats.try_add(&o.stats).map_err(py_err)?;
            return Ok(Py::new(py, PyStats { stats })?.into_any());
        }
        if PyStats::is_zero(other) {
            let stats = self.stats.clone();
            return Ok(Py::new(py, PyStats { stats })?.into_any());
        }
        Ok(py.NotImplemented())
    }

    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.__add__(py, other)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .extract::<PyRef<'_, PyStats>>()
            .is_ok_and(|o| o.stats == self.stats)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let ctor = slf.get_type().getattr("from_json")?;
        Ok((ctor, (slf.get().to_json()?,)))
    }

    fn __repr__(&self) -> String {
        let scores: Vec<String> = self
            .stats
            .scores()
            .into_iter()
            .map(|(id, s)| format!("{id}={s:.4}"))
            .collect();
        format!(
            "Stats(segments={}, nrefs={}, {})",
            self.stats.segments(),
            self.stats.nrefs(),
            scores.join(", ")
        )
    }
}

/// Sufficient statistics of `metrics` over a corpus (`refs[r][i]`: segment `i` of reference
/// stream `r`), summed by the library's `Scorer`.
#[pyfunction]
#[pyo3(signature = (hyps, refs, metrics, tokenize, lowercase, smooth_method, smooth_value,
                    ter_normalized, ter_no_punct, ter_asian_support, ter_case_sensitive))]
#[allow(clippy::too_many_arguments)]
fn stats(
    py: Python<'_>,
    hyps: Vec<String>,
    refs: Vec<Vec<String>>,
    metrics: Vec<String>,
    tokenize: &str,
    lowercase: bool,
    smooth_method: &str,
    smooth_value: Option<f64>,
    ter_normalized: bool,
    ter_no_punct: bool,
    ter_asian_support: bool,
    ter_case_sensitive: bool,
) -> PyResult<PyStats> {
    let opts = metric_options(
        tokenize,
        lowercase,
        smooth_method,
        smooth_value,
        ter_normalized,
        ter_no_punct,
        ter_asian_support,
        ter_case_sensitive,
    )?;
    let metrics = metrics
        .iter()
        .map(|n| Metric::with_options(n, &opts))
        .collect::<Result<Vec<_>, _>>()
        .map_err(py_err)?;
    let scorer = Scorer::new(metrics).map_err(py_err)?;
    let stats = without_gil(py, || scorer.stats(&hyps, &refs))?.map_err(py_err)?;
    Ok(PyStats { stats })
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
    let split = |s: &String| {
        let mut w = Vec::new();
        jiwer_words(s, &mut w);
        w.into_iter().map(str::to_string).collect::<Vec<String>>()
    };
    without_gil(py, || align_units(&refs, &hyps, split, align_tokens))
}

/// Every pair cut into units (words, characters) and aligned, in parallel:
/// `(reference units, hypothesis units, chunks, total counts)`.
#[allow(clippy::type_complexity)]
fn align_units<T: Send + Sync>(
    refs: &[String],
    hyps: &[String],
    units: impl Fn(&String) -> Vec<T> + Sync,
    align: impl Fn(&[T], &[T]) -> Vec<Chunk> + Sync,
) -> (Vec<Vec<T>>, Vec<Vec<T>>, Vec<Vec<Chunk>>, [usize; 4]) {
    let ru: Vec<Vec<T>> = refs.par_iter().map(&units).collect();
    let hu: Vec<Vec<T>> = hyps.par_iter().map(&units).collect();
    let chunks: Vec<Vec<Chunk>> = ru
        .par_iter()
        .zip(hu.par_iter())
        .map(|(r, h)| align(r, h))
        .collect();
    let counts = total_counts(&chunks);
    (ru, hu, chunks, counts)
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
    let chars = |s: &String| strip_py(s).chars().collect::<Vec<char>>();
    without_gil(py, || {
        let (rc, hc, chunks, counts) = align_units(&refs, &hyps, chars, align_chars);
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
    let opts = metric_options(
        &tokenize,
        lowercase,
        &smooth_method,
        smooth_value,
        ter_normalized,
        ter_no_punct,
        ter_asian_support,
        ter_case_sensitive,
    )?;
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
    let specs = build_metrics(&metrics, &opts).map_err(py_err)?;
    let eval = without_gil(py, || {
        let corpus = load(&spec)?;
        let eval_opts = EvalOptions {
            align,
            ..EvalOptions::default()
        };
        evaluate(corpus, specs, &eval_opts)
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
