//! CSV reports: `segments.csv`, `documents.csv`, `systems.csv`. Column names are documented in
//! the README; a metric's raw statistics follow its score as `METRIC:STAT` columns.

use std::path::Path;

use crate::error::Result;
use crate::eval::{DocumentEval, Evaluation, SegmentEval, SegmentStats};
use crate::metrics::MetricSpec;
use crate::report::{csv_string, fmt_score, fmt_stat, write_atomic, ReportSet};

/// Options of the CSV writer.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// Decimals of scores (statistics are written exactly).
    pub decimals: usize,
    /// Put `'` before a text cell that begins with `=`, `+`, `-`, `@`, tab or carriage return
    /// (spreadsheet formula injection guard, [`crate::report::csv_text`]). On by default.
    pub escape: bool,
}

impl Default for CsvOptions {
    fn default() -> CsvOptions {
        CsvOptions {
            decimals: 6,
            escape: true,
        }
    }
}

/// Files of the set [`write_csv_reports`] writes.
const CSV_SET: [&str; 4] = [
    "segments.csv",
    "documents.csv",
    "systems.csv",
    "alignments.csv",
];

/// Writes `segments.csv`, `documents.csv` and `systems.csv` into `dir` (created if missing),
/// and `alignments.csv` when any document was aligned, as one set: all are written into a
/// staging folder in `dir` first and renamed into place only when every one is complete; an
/// `alignments.csv` of an older run is removed when this run has none. A failed run leaves the
/// previous set as it was.
pub fn write_csv_reports(ev: &Evaluation, dir: &Path, opts: &CsvOptions) -> Result<()> {
    let mut set = ReportSet::create(dir)?;
    let paths = CSV_SET
        .iter()
        .map(|name| set.path(name))
        .collect::<Result<Vec<_>>>()?;
    write_atomic(&paths[0], |w| segments(ev, opts, w))?;
    write_atomic(&paths[1], |w| documents(ev, opts, w))?;
    write_atomic(&paths[2], |w| write_systems_csv(ev, opts, w))?;
    super::write_evaluation_alignments_csv(&paths[3], ev, opts)?;
    set.commit(&CSV_SET)
}

fn csv_err(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e)
}

fn metric_headers(metrics: &[MetricSpec], row: &mut Vec<String>) {
    for m in metrics {
        row.push(m.id.clone());
        for s in m.metric.stat_names() {
            row.push(format!("{}:{s}", m.id));
        }
    }
}

/// The score and statistics cells of every metric; `stats(m)` gives metric `m`'s statistics.
fn metric_cells<'s>(
    metrics: &[MetricSpec],
    stats: impl Fn(usize) -> &'s [f64],
    sentence: bool,
    opts: &CsvOptions,
    row: &mut Vec<String>,
) {
    for (m, spec) in metrics.iter().enumerate() {
        let st = stats(m);
        let score = if sentence {
            spec.metric.sentence_score(st)
        } else {
            spec.metric.corpus_score(st)
        };
        row.push(fmt_score(score, opts.decimals));
        row.extend(st.iter().map(|&x| fmt_stat(x)));
    }
}

/// 1-based sentence numbers of a range, space-separated (empty for an empty range).
pub(crate) fn ids(range: &std::ops::Range<usize>) -> String {
    range
        .clone()
        .map(|i| (i + 1).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Header of `segments.csv`: `system,document,segment,line,ref_ids,hyp_ids,bead`, then for each
/// metric its id and `METRIC:STAT` columns.
pub(crate) fn segment_header(metrics: &[MetricSpec]) -> Vec<String> {
    let mut head: Vec<String> = [
        "system", "document", "segment", "line", "ref_ids", "hyp_ids", "bead",
    ]
    .map(String::from)
    .to_vec();
    metric_headers(metrics, &mut head);
    head
}

/// One row of `segments.csv` into `row` (cleared first): segment `k` (1-based in its
/// document) of document `doc_id` for `system`, from reference line `line`, with its
/// statistics `stats`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn segment_row(
    row: &mut Vec<String>,
    metrics: &[MetricSpec],
    system: &str,
    doc_id: &str,
    k: usize,
    line: Option<usize>,
    seg: &SegmentEval,
    stats: SegmentStats<'_>,
    opts: &CsvOptions,
) {
    row.clear();
    row.push(csv_string(system, opts.escape));
    row.push(csv_string(doc_id, opts.escape));
    row.push(k.to_string());
    row.push(line.map_or(String::new(), |l| l.to_string()));
    row.push(ids(&seg.pair.refs));
    row.push(ids(&seg.pair.hyps));
    row.push(seg.pair.bead());
    metric_cells(metrics, |m| stats.metric(m), true, opts, row);
}

/// Header of `documents.csv`: `system,document,pairs,omissions,additions`, then the metric
/// columns.
pub(crate) fn document_header(metrics: &[MetricSpec]) -> Vec<String> {
    let mut head: Vec<String> = ["system", "document", "pairs", "omissions", "additions"]
        .map(String::from)
        .to_vec();
    metric_headers(metrics, &mut head);
    head
}

/// One row of `documents.csv` into `row` (cleared first).
pub(crate) fn document_row(
    row: &mut Vec<String>,
    metrics: &[MetricSpec],
    system: &str,
    doc_id: &str,
    d: &DocumentEval,
    opts: &CsvOptions,
) {
    row.clear();
    row.push(csv_string(system, opts.escape));
    row.push(csv_string(doc_id, opts.escape));
    row.push(d.pairs.to_string());
    row.push(d.omissions.to_string());
    row.push(d.additions.to_string());
    metric_cells(
        metrics,
        |m| d.stats.get(m).map_or(&[], Vec::as_slice),
        false,
        opts,
        row,
    );
}

/// One row per scored pair ([`segment_row`]), systems in order, pairs in input order.
fn segments(ev: &Evaluation, opts: &CsvOptions, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let head = segment_header(&ev.metrics);
    out.write_record(&head).map_err(csv_err)?;
    let mut row = Vec::with_capacity(head.len());
    for sys in &ev.systems {
        let mut last_doc = usize::MAX;
        let mut k = 0;
        for (i, seg) in sys.segments.iter().enumerate() {
            if seg.doc != last_doc {
                last_doc = seg.doc;
                k = 0;
            }
            k += 1;
            let info = &ev.documents[seg.doc];
            let line = info.lines.get(seg.pair.refs.start).copied();
            segment_row(
                &mut row,
                &ev.metrics,
                &sys.name,
                &info.id,
                k,
                line,
                seg,
                sys.segment(i),
                opts,
            );
            out.write_record(&row).map_err(csv_err)?;
        }
    }
    out.flush()
}

/// One row per system and document ([`document_row`]): the document score from summed
/// statistics, and the summed statistics.
fn documents(
    ev: &Evaluation,
    opts: &CsvOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let head = document_header(&ev.metrics);
    out.write_record(&head).map_err(csv_err)?;
    let mut row = Vec::with_capacity(head.len());
    for sys in &ev.systems {
        for d in &sys.documents {
            document_row(
                &mut row,
                &ev.metrics,
                &sys.name,
                &ev.documents[d.doc].id,
                d,
                opts,
            );
            out.write_record(&row).map_err(csv_err)?;
        }
    }
    out.flush()
}

/// One row per system and metric: `system,metric,score,signature,omissions,additions,stats`
/// (`stats`: the summed statistics, space-separated, in the metric's order).
pub fn write_systems_csv(
    ev: &Evaluation,
    opts: &CsvOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "system",
        "metric",
        "score",
        "signature",
        "omissions",
        "additions",
        "stats",
    ])
    .map_err(csv_err)?;
    for (s, sys) in ev.systems.iter().enumerate() {
        for (m, spec) in ev.metrics.iter().enumerate() {
            let stats: Vec<String> = sys.stats[m].iter().map(|&x| fmt_stat(x)).collect();
            out.write_record([
                csv_string(&sys.name, opts.escape),
                spec.id.clone(),
                fmt_score(ev.system_score(s, m), opts.decimals),
                ev.signature(m),
                sys.omissions().to_string(),
                sys.additions().to_string(),
                stats.join(" "),
            ])
            .map_err(csv_err)?;
        }
    }
    out.flush()
}
