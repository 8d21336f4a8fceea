//! What `rules test` writes: `rules.csv` and `rules_segments.csv` ([`write_test_csvs`]),
//! `rules.csv` read back as a `--baseline` ([`read_rules_csv`]), and the terminal report
//! ([`format_test_report`]).

use std::path::Path;

use super::{DocumentDelta, RuleRow, SegmentDelta, TestReport};
use crate::error::{Error, Result};
use crate::report::{csv_string, fmt_score, write_atomic, CsvOptions};

/// Decimals of scores and gains in the CSV files.
const CSV_DECIMALS: usize = 4;

/// Writes `rules.csv` and `rules_segments.csv` into `dir` (created if missing), atomically.
///
/// `rules.csv`: `rule,system,hits,segments_changed,gain_<METRIC>...,segments_worse`.
/// `rules_segments.csv`: `system,document,segment,<METRIC>_before,<METRIC>_after...,worse`.
/// Scores and gains have 4 decimals; text cells are guarded as
/// [`CsvOptions::escape`] says.
pub fn write_test_csvs(report: &TestReport, dir: &Path, opts: &CsvOptions) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    write_atomic(&dir.join("rules.csv"), |w| {
        let mut c = csv::Writer::from_writer(w);
        let mut head = vec!["rule".to_string(), "system".into(), "hits".into()];
        head.push("segments_changed".into());
        head.extend(report.metrics.iter().map(|m| format!("gain_{m}")));
        head.push("segments_worse".into());
        c.write_record(&head)?;
        for r in &report.rules {
            let mut row = vec![
                csv_string(&r.rule, opts.escape),
                csv_string(&r.system, opts.escape),
                r.hits.to_string(),
                r.segments_changed.to_string(),
            ];
            row.extend(r.gains.iter().map(|(_, g)| fmt_score(*g, CSV_DECIMALS)));
            row.push(r.segments_worse.to_string());
            c.write_record(&row)?;
        }
        c.flush()
    })?;
    write_atomic(&dir.join("rules_segments.csv"), |w| {
        let mut c = csv::Writer::from_writer(w);
        let mut head = vec!["system".to_string(), "document".into(), "segment".into()];
        for m in &report.metrics {
            head.push(format!("{m}_before"));
            head.push(format!("{m}_after"));
        }
        head.push("worse".into());
        c.write_record(&head)?;
        for s in &report.segments {
            let mut row = vec![
                csv_string(&s.system, opts.escape),
                csv_string(&s.document, opts.escape),
                csv_string(&s.segment, opts.escape),
            ];
            for (b, a) in s.before.iter().zip(&s.after) {
                row.push(fmt_score(*b, CSV_DECIMALS));
                row.push(fmt_score(*a, CSV_DECIMALS));
            }
            row.push(s.worse.join(" "));
            c.write_record(&row)?;
        }
        c.flush()
    })
}

/// Reads a `rules.csv` written by [`write_test_csvs`] (for `--baseline`).
pub fn read_rules_csv(path: &Path) -> Result<Vec<RuleRow>> {
    let bad =
        |line: usize, msg: String| Error::input(crate::error::Location::line(path, line), msg);
    let mut rd = csv::Reader::from_path(path).map_err(|e| bad(1, e.to_string()))?;
    let head = rd.headers().map_err(|e| bad(1, e.to_string()))?.clone();
    let col = |name: &str| head.iter().position(|h| h == name);
    let (Some(rule), Some(system)) = (col("rule"), col("system")) else {
        return Err(bad(
            1,
            "expected a rules.csv with rule and system columns".into(),
        ));
    };
    let gain_cols: Vec<(usize, String)> = head
        .iter()
        .enumerate()
        .filter_map(|(i, h)| h.strip_prefix("gain_").map(|m| (i, m.to_string())))
        .collect();
    let mut out = Vec::new();
    for (n, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| bad(n + 2, e.to_string()))?;
        let get = |i: usize| rec.get(i).unwrap_or("").to_string();
        let mut gains = Vec::new();
        for (i, m) in &gain_cols {
            let cell = get(*i);
            let shown: String = cell.chars().take(80).collect();
            let v: f64 = cell
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    bad(
                        n + 2,
                        format!("gain_{m}: {shown:?}; expected a finite number"),
                    )
                })?;
            gains.push((m.clone(), v));
        }
        let num = |name: &str| col(name).and_then(|i| get(i).parse().ok()).unwrap_or(0);
        out.push(RuleRow {
            // Text cells come back as they were before `write_test_csvs` guarded them.
            rule: crate::report::csv_text_unescape(&get(rule)).to_string(),
            system: crate::report::csv_text_unescape(&get(system)).to_string(),
            hits: num("hits"),
            segments_changed: num("segments_changed"),
            gains,
            segments_worse: num("segments_worse"),
        });
    }
    Ok(out)
}

/// A gain with its sign (`+0.50`, `-1.20`, `0.00`).
fn signed(x: f64, decimals: usize) -> String {
    let s = fmt_score(x, decimals);
    if x > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

/// The terminal report: system before/after with bootstrap p-values, per-rule gains, worse
/// documents and segments with diffs, and the gate verdict.
pub fn format_test_report(report: &TestReport, decimals: usize) -> String {
    let f = |x: f64| fmt_score(x, decimals);
    let mut out = String::new();
    out.push_str("System scores (before -> after, gain: positive is better)\n");
    for sys in &report.systems {
        out.push_str(&format!("  {}\n", sys.system));
        for (m, id) in report.metrics.iter().enumerate() {
            let (b, a) = (sys.before[m], sys.after[m]);
            let g = if report.higher_is_better[m] {
                a - b
            } else {
                b - a
            };
            let sig = sys
                .significance
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, r)| format!("  paired bootstrap {}", r.p_value_cell()))
                .unwrap_or_default();
            out.push_str(&format!(
                "    {id:<8} {:>8} -> {:>8}  {:>9}{sig}\n",
                f(b),
                f(a),
                signed(g, decimals)
            ));
        }
    }
    out.push_str("\nRules (each alone; gain positive is better)\n");
    let mut head = format!(
        "  {:<24} {:<12} {:>5} {:>5}",
        "rule", "system", "hits", "segs"
    );
    for m in &report.metrics {
        head.push_str(&format!(" {m:>8}"));
    }
    head.push_str("  worse\n");
    out.push_str(&head);
    for r in &report.rules {
        let mut line = format!(
            "  {:<24} {:<12} {:>5} {:>5}",
            r.rule, r.system, r.hits, r.segments_changed
        );
        for (_, g) in &r.gains {
            line.push_str(&format!(" {:>8}", signed(*g, decimals)));
        }
        line.push_str(&format!("  {}\n", r.segments_worse));
        out.push_str(&line);
    }
    let worse_docs: Vec<&DocumentDelta> = report
        .documents
        .iter()
        .filter(|d| !d.worse.is_empty())
        .collect();
    out.push_str(&format!(
        "\nDocuments worse: {} of {}\n",
        worse_docs.len(),
        report.documents.len()
    ));
    for d in worse_docs {
        out.push_str(&format!(
            "  {} {}: {}\n",
            d.system,
            d.document,
            d.worse.join(", ")
        ));
    }
    let worse_segs: Vec<&SegmentDelta> = report
        .segments
        .iter()
        .filter(|s| !s.worse.is_empty())
        .collect();
    out.push_str(&format!("Segments worse: {}\n", worse_segs.len()));
    for s in worse_segs {
        out.push_str(&format!(
            "  {} {} segment {}: {}\n    {}\n",
            s.system,
            s.document,
            s.segment,
            s.worse.join(", "),
            s.diff
        ));
    }
    if report.failures.is_empty() {
        out.push_str("\nGates: passed\n");
    } else {
        out.push_str(&format!("\nGates: FAILED ({})\n", report.failures.len()));
        for fl in &report.failures {
            out.push_str(&format!("  {fl}\n"));
        }
    }
    out
}
