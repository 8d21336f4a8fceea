//! The JSON report, for scripts: system scores with signatures, and document scores.

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::eval::Evaluation;
use crate::report::write_atomic;

#[derive(Serialize)]
pub struct JsonReport {
    pub corpus: String,
    pub references: Vec<String>,
    pub normalization: String,
    pub metrics: Vec<JsonMetric>,
    pub systems: Vec<JsonSystem>,
}

#[derive(Serialize)]
pub struct JsonMetric {
    pub name: String,
    pub signature: String,
    pub higher_is_better: bool,
    pub stats: Vec<String>,
}

#[derive(Serialize)]
pub struct JsonSystem {
    pub name: String,
    pub segments: usize,
    pub omissions: usize,
    pub additions: usize,
    /// Metric name -> score.
    pub scores: Vec<(String, f64)>,
    /// Metric name -> summed statistics.
    pub stats: Vec<(String, Vec<f64>)>,
    pub documents: Vec<JsonDocument>,
}

#[derive(Serialize)]
pub struct JsonDocument {
    pub id: String,
    pub pairs: usize,
    pub omissions: usize,
    pub additions: usize,
    pub scores: Vec<(String, f64)>,
}

/// Builds the JSON report structure.
pub fn json_report(ev: &Evaluation) -> JsonReport {
    let metrics = ev
        .metrics
        .iter()
        .enumerate()
        .map(|(m, spec)| JsonMetric {
            name: spec.id.clone(),
            signature: ev.signature(m),
            higher_is_better: spec.metric.higher_is_better(),
            stats: spec.metric.stat_names(),
        })
        .collect();
    let systems = ev
        .systems
        .iter()
        .enumerate()
        .map(|(s, sys)| JsonSystem {
            name: sys.name.clone(),
            segments: sys.segments.len(),
            omissions: sys.omissions(),
            additions: sys.additions(),
            scores: ev
                .metrics
                .iter()
                .enumerate()
                .map(|(m, spec)| (spec.id.clone(), ev.system_score(s, m)))
                .collect(),
            stats: ev
                .metrics
                .iter()
                .zip(&sys.stats)
                .map(|(spec, st)| (spec.id.clone(), st.clone()))
                .collect(),
            documents: sys
                .documents
                .iter()
                .map(|d| JsonDocument {
                    id: ev.documents[d.doc].id.clone(),
                    pairs: d.pairs,
                    omissions: d.omissions,
                    additions: d.additions,
                    scores: ev
                        .metrics
                        .iter()
                        .enumerate()
                        .map(|(m, spec)| (spec.id.clone(), spec.metric.corpus_score(&d.stats[m])))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    JsonReport {
        corpus: ev.corpus_name.clone(),
        references: ev.ref_names.clone(),
        normalization: ev.normalizer.signature(),
        metrics,
        systems,
    }
}

/// The JSON report as pretty-printed text, ending in a newline (what [`write_json`] writes).
pub fn json_string(ev: &Evaluation) -> Result<String> {
    serde_json::to_string_pretty(&json_report(ev))
        .map(|s| s + "\n")
        .map_err(|e| Error::config(format!("JSON: {e}")))
}

/// Writes the JSON report to `path`, atomically.
pub fn write_json(ev: &Evaluation, path: &Path) -> Result<()> {
    let text = json_string(ev)?;
    write_atomic(path, |w| w.write_all(text.as_bytes()))
}
