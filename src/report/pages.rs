//! HTML pages of `compare` and `rules test`: the same self-contained skeleton and CSS as the
//! evaluation report ([`super::html`]), one table per result, every piece of corpus text (system
//! names, document ids, segment texts, rule ids) escaped with [`escape_into`].
//!
//! Cost: O(size of the result); no scoring happens here.

use std::fmt::Write as _;
use std::path::Path;

use super::fmt_score;
use super::html::{documents, escape_into, page_end, page_script, page_start};
use crate::compare::Comparison;
use crate::error::Result;
use crate::eval::Evaluation;
use crate::rules::TestReport;
use crate::significance::PairedTest;

/// sacreBLEU prints p-values with 4 decimals whatever `-w` is.
const P_VALUE_DECIMALS: usize = 4;
/// Worse segments shown in the `rules test` page (the CSV has all of them).
const MAX_WORSE_SEGMENTS: usize = 200;

/// Writes [`render_compare_html`] of `cmp` to `path` atomically.
pub fn write_compare_html(path: &Path, cmp: &Comparison, ev: Option<&Evaluation>) -> Result<()> {
    let html = render_compare_html(cmp, ev);
    super::write_atomic(path, |w| w.write_all(html.as_bytes()))
}

/// The comparison as one HTML page: per system and metric the score, the bootstrap interval
/// (`mean ± half width`), the difference with the baseline, the p-value with sacreBLEU's `*`,
/// and the documents won / lost / tied; then the signatures. With the evaluation `ev` the
/// comparison was computed from (and its texts), the evaluation report's document views follow:
/// the reference and each system's MT (in input order), with TER's word edits.
pub fn render_compare_html(cmp: &Comparison, ev: Option<&Evaluation>) -> String {
    let mut out = String::with_capacity(16 << 10);
    page_start(&mut out, "comparison", &cmp.corpus);
    let baseline = cmp
        .systems
        .get(cmp.baseline)
        .map_or("", |s| s.name.as_str());
    out.push_str("<p class=\"muted\">");
    let _ = write!(
        out,
        "{} documents, {} segments. Baseline: ",
        cmp.documents, cmp.segments
    );
    escape_into(&mut out, baseline);
    let _ = writeln!(
        out,
        ". Test: {} with {} samples, seed {}. p-values &lt;= 0.05 are marked *. mtharness {}.</p>",
        match cmp.test {
            PairedTest::Bootstrap => "paired bootstrap",
            PairedTest::ApproximateRandomization => "paired approximate randomisation",
        },
        cmp.n_samples,
        cmp.seed.map_or("none".to_string(), |s| s.to_string()),
        crate::metrics::VERSION
    );
    let d = cmp.decimals;
    out.push_str(
        "<h2 id=\"systems\">Systems</h2>\n<table><tr><th class=\"n\">Rank</th><th>System</th>",
    );
    for m in &cmp.metrics {
        out.push_str("<th class=\"n\">");
        escape_into(&mut out, &m.id);
        out.push_str("</th><th class=\"n\">CI</th><th class=\"n\">&Delta;</th><th class=\"n\">p</th><th class=\"n\">docs +/-/=</th>");
    }
    out.push_str("</tr>\n");
    for sys in &cmp.systems {
        let _ = write!(out, "<tr><td class=\"n\">{}</td><td>", sys.rank);
        escape_into(&mut out, &sys.name);
        if sys.is_baseline {
            out.push_str(" <span class=\"muted\">(baseline)</span>");
        }
        out.push_str("</td>");
        for r in &sys.metrics {
            let ci = r.interval.map_or(String::new(), |i| {
                format!("{} ± {}", fmt_score(i.mean, d), fmt_score(i.half_width, d))
            });
            let p = match (r.p_value, r.significant) {
                (Some(p), Some(sig)) => {
                    format!("{p:.P_VALUE_DECIMALS$}{}", if sig { "*" } else { "" })
                }
                _ => String::new(),
            };
            let docs = r.docs.map_or(String::new(), |c| {
                format!("+{} -{} ={}", c.wins, c.losses, c.ties)
            });
            let diff = if sys.is_baseline {
                String::new()
            } else {
                signed(r.difference, d)
            };
            let _ = write!(
                out,
                "<td class=\"n\">{}</td><td class=\"n\">{ci}</td><td class=\"n\">{diff}</td><td class=\"n\">{p}</td><td class=\"n\">{docs}</td>",
                fmt_score(r.score, d)
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n<h2 id=\"signatures\">Signatures</h2>\n<table>");
    for m in &cmp.metrics {
        out.push_str("<tr><td>");
        escape_into(&mut out, &m.id);
        out.push_str("</td><td class=\"sig\">");
        escape_into(&mut out, &m.signature);
        out.push_str("</td></tr>\n");
    }
    out.push_str("</table>\n");
    if let Some(ev) = ev.filter(|e| e.has_texts()) {
        documents(&mut out, ev, None);
        page_script(&mut out);
    }
    page_end(&mut out);
    out
}

/// Writes [`render_rules_html`] of `report` to `path` atomically.
pub fn write_rules_html(path: &Path, report: &TestReport, decimals: usize) -> Result<()> {
    let html = render_rules_html(report, decimals);
    super::write_atomic(path, |w| w.write_all(html.as_bytes()))
}

/// The `rules test` result as one HTML page: the gate verdict and failures, the system scores
/// before and after (with the paired bootstrap where computed), the per-rule table, and the
/// worse segments (at most `MAX_WORSE_SEGMENTS`) with the MT before and after and the word
/// diff.
pub fn render_rules_html(report: &TestReport, decimals: usize) -> String {
    let f = |x: f64| fmt_score(x, decimals);
    let gain = |m: usize, b: f64, a: f64| {
        if report.higher_is_better.get(m).copied().unwrap_or(true) {
            a - b
        } else {
            b - a
        }
    };
    let mut out = String::with_capacity(16 << 10);
    page_start(&mut out, "rules test", "cleanup rules");
    if report.passed() {
        out.push_str("<p><b>Every gate passed.</b></p>\n");
    } else {
        out.push_str("<p><b>Gates failed:</b></p>\n<ul>");
        for fail in &report.failures {
            out.push_str("<li>");
            escape_into(&mut out, fail);
            out.push_str("</li>");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2 id=\"systems\">Systems (gain: positive is better)</h2>\n<table><tr><th>System</th><th>Metric</th><th class=\"n\">Before</th><th class=\"n\">After</th><th class=\"n\">Gain</th><th class=\"n\">p</th></tr>\n");
    for sys in &report.systems {
        for (m, id) in report.metrics.iter().enumerate() {
            let (b, a) = (
                sys.before.get(m).copied().unwrap_or(f64::NAN),
                sys.after.get(m).copied().unwrap_or(f64::NAN),
            );
            let p =
                sys.significance
                    .iter()
                    .find(|(i, _)| i == id)
                    .map_or(String::new(), |(_, r)| {
                        format!(
                            "{:.P_VALUE_DECIMALS$}{}",
                            r.p_value,
                            if r.significant { "*" } else { "" }
                        )
                    });
            out.push_str("<tr><td>");
            escape_into(&mut out, &sys.system);
            out.push_str("</td><td>");
            escape_into(&mut out, id);
            let _ = writeln!(
                out,
                "</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{p}</td></tr>",
                f(b),
                f(a),
                signed(gain(m, b, a), decimals)
            );
        }
    }
    out.push_str("</table>\n<h2 id=\"rules\">Rules (each alone)</h2>\n<table><tr><th>Rule</th><th>System</th><th class=\"n\">Hits</th><th class=\"n\">Segments changed</th>");
    for m in &report.metrics {
        out.push_str("<th class=\"n\">");
        escape_into(&mut out, m);
        out.push_str("</th>");
    }
    out.push_str("<th class=\"n\">Segments worse</th></tr>\n");
    for r in &report.rules {
        out.push_str("<tr><td>");
        escape_into(&mut out, &r.rule);
        out.push_str("</td><td>");
        escape_into(&mut out, &r.system);
        let _ = write!(
            out,
            "</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            r.hits, r.segments_changed
        );
        for (_, g) in &r.gains {
            let _ = write!(out, "<td class=\"n\">{}</td>", signed(*g, decimals));
        }
        let _ = writeln!(out, "<td class=\"n\">{}</td></tr>", r.segments_worse);
    }
    let worse: Vec<_> = report
        .segments
        .iter()
        .filter(|s| !s.worse.is_empty())
        .collect();
    let worse_docs = report
        .documents
        .iter()
        .filter(|d| !d.worse.is_empty())
        .count();
    let _ = writeln!(
        out,
        "</table>\n<h2 id=\"worse\">Worse segments: {} of {} ({} of {} documents worse)</h2>",
        worse.len(),
        report.segments.len(),
        worse_docs,
        report.documents.len()
    );
    if worse.len() > MAX_WORSE_SEGMENTS {
        let _ = writeln!(
            out,
            "<p class=\"muted\">The first {MAX_WORSE_SEGMENTS} are shown; rules_segments.csv (--csv) has all.</p>"
        );
    }
    out.push_str("<table class=\"al\"><tr><th>System / document / line</th><th>Before</th><th>After</th><th>Scores</th></tr>\n");
    for seg in worse.iter().take(MAX_WORSE_SEGMENTS) {
        out.push_str("<tr><td>");
        escape_into(&mut out, &seg.system);
        out.push_str("<br>");
        escape_into(&mut out, &seg.document);
        out.push_str("<br>");
        escape_into(&mut out, &seg.segment);
        out.push_str("</td><td>");
        escape_into(&mut out, &seg.before_text);
        out.push_str("</td><td>");
        escape_into(&mut out, &seg.after_text);
        out.push_str("<br><span class=\"sig\">");
        escape_into(&mut out, &seg.diff);
        out.push_str("</span></td><td>");
        for (m, id) in report.metrics.iter().enumerate() {
            let (b, a) = (
                seg.before.get(m).copied().unwrap_or(f64::NAN),
                seg.after.get(m).copied().unwrap_or(f64::NAN),
            );
            let mark = if seg.worse.contains(id) { " worse" } else { "" };
            escape_into(&mut out, id);
            let _ = write!(out, " {} &rarr; {}{mark}<br>", f(b), f(a));
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</table>\n");
    page_end(&mut out);
    out
}

/// `x` with an explicit sign (`+1.20`, `-0.35`, `0.00`).
fn signed(x: f64, decimals: usize) -> String {
    let s = fmt_score(x, decimals);
    if x > 0.0 && !s.chars().all(|c| c == '0' || c == '.') {
        format!("+{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_marks_gains() {
        assert_eq!(signed(1.234, 2), "+1.23");
        assert_eq!(signed(-0.5, 1), "-0.5");
        assert_eq!(signed(0.0001, 2), "0.00");
    }
}
