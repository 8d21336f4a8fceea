//! The evaluation report's HTML, written from its [`Report`] model: no metric is called and
//! nothing is summed here; this file only lays out what the model holds (number formats, SVG
//! geometry, runs of marked text).
//!
//! Every piece of corpus text goes through [`escape_into`]. Anchors are built from indices only
//! (`#d3`, `#s0-3-12`), never from document ids.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::model::{
    BeadKind, DocumentView, Documents, Histogram, LengthTable, Mark, MarkedText, PairRow, Report,
    SegmentAt, SystemView, TermTotals, Word, Worst, E_DEL, E_INS, E_SHIFT, E_SUB, HIST_BINS,
};
use super::page::{escape, escape_into, page_end, page_script, page_start};
use crate::report::fmt_score;
use crate::terms::TermRecord;

/// The whole report as one page.
pub fn report(r: &Report) -> String {
    let mut out = String::with_capacity(1 << 20);
    page_start(&mut out, "report", r.corpus);
    let _ = writeln!(
        out,
        "<p class=\"muted\">{} documents, {} reference set(s), {} system(s). mtharness {}.</p>",
        r.documents,
        r.reference_sets,
        r.systems.len(),
        r.version
    );
    out.push_str("<nav><a href=\"#systems\">Systems</a><a href=\"#dist\">Distributions</a><a href=\"#length\">By length</a><a href=\"#worst\">Worst</a>");
    if r.terms.is_some() {
        out.push_str("<a href=\"#terms\">Terminology</a>");
    }
    out.push_str("<a href=\"#docs\">Documents</a></nav>\n");
    system_table(&mut out, r);
    histograms(&mut out, r);
    length_tables(&mut out, &r.lengths);
    worst(&mut out, &r.worst);
    if let Some(t) = &r.terms {
        terms_table(&mut out, t);
    }
    documents(&mut out, &r.views);
    page_script(&mut out);
    page_end(&mut out);
    out
}

fn system_table(out: &mut String, r: &Report) {
    out.push_str("<h2 id=\"systems\">Systems</h2>\n<table><tr><th>System</th>");
    for m in &r.metrics {
        wrap(out, "<th class=\"n\">", m.id, "</th>");
    }
    out.push_str("<th class=\"n\">Omitted</th><th class=\"n\">Added</th></tr>\n");
    for sys in &r.systems {
        wrap(out, "<tr><td>", sys.name, "</td>");
        for &score in &sys.scores {
            let _ = write!(out, "<td class=\"n\">{}</td>", fmt_score(score, 2));
        }
        let _ = writeln!(
            out,
            "<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            sys.omissions, sys.additions
        );
    }
    out.push_str("</table>\n<table>");
    for m in &r.metrics {
        wrap(out, "<tr><td>", m.id, "</td><td class=\"sig\">");
        wrap(out, "", &m.signature, "</td></tr>\n");
    }
    out.push_str("</table>\n");
}

/// One SVG histogram over [0, 100] in [`HIST_BINS`] bins.
fn histogram_svg(out: &mut String, h: &Histogram) {
    const W: f64 = 170.0;
    const H: f64 = 70.0;
    let max = h.bins.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bw = W / HIST_BINS as f64;
    let _ = write!(
        out,
        "<svg class=\"hist\" width=\"{}\" height=\"{}\" role=\"img\"><title>",
        W + 8.0,
        H + 30.0
    );
    escape_into(out, h.metric);
    let _ = write!(out, " ({} segments)</title>", h.scored);
    for (b, &c) in h.bins.iter().enumerate() {
        let height = c as f64 / max * H;
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{}-{}: {c}</title></rect>",
            4.0 + b as f64 * bw,
            14.0 + H - height,
            bw - 1.0,
            height,
            b * 100 / HIST_BINS,
            (b + 1) * 100 / HIST_BINS
        );
    }
    out.push_str("<text x=\"4\" y=\"10\">");
    escape_into(out, h.metric);
    let _ = write!(
        out,
        "</text><text x=\"4\" y=\"{}\">0</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">100</text></svg>",
        H + 26.0,
        W + 4.0,
        H + 26.0
    );
}

fn histograms(out: &mut String, r: &Report) {
    out.push_str("<h2 id=\"dist\">Segment score distributions</h2>\n<p class=\"muted\">Sentence-level scores of every aligned pair (omissions and additions included), 0 to 100 in bins of 5; the last bin holds scores of 100 and above.</p>\n");
    for sys in &r.histograms {
        wrap(out, "<h3>", sys.system, "</h3><div class=\"hists\">");
        for h in &sys.metrics {
            histogram_svg(out, h);
        }
        out.push_str("</div>\n");
    }
}

fn length_tables(out: &mut String, tables: &[LengthTable]) {
    out.push_str("<h2 id=\"length\">Scores by reference length</h2>\n<p class=\"muted\">Pairs bucketed by the length of their (first) reference in words; each cell is the corpus score of the bucket's summed statistics.</p>\n");
    out.push_str("<div class=\"hists\">");
    for t in tables {
        wrap(out, "<table><tr><th>", t.metric, " by ref. words</th>");
        for sys in &t.systems {
            wrap(
                out,
                "<th class=\"n\">pairs</th><th class=\"n\">",
                sys,
                "</th>",
            );
        }
        out.push_str("</tr>\n");
        for row in &t.rows {
            let label = match (row.min, row.end) {
                (_, None) => format!("&ge;{}", row.min),
                (0, Some(end)) => format!("&lt;{end}"),
                (min, Some(end)) => format!("{min}-{}", end - 1),
            };
            let _ = write!(out, "<tr><td>{label}</td>");
            for cell in &row.cells {
                let score = cell.score.map_or("-".to_string(), |x| fmt_score(x, 2));
                let _ = write!(
                    out,
                    "<td class=\"n\">{}</td><td class=\"n\">{score}</td>",
                    cell.pairs
                );
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
    }
    out.push_str("</div>\n");
}

/// Writes `before`, `text` escaped, then `after`: corpus text between two pieces of our markup.
fn wrap(out: &mut String, before: &str, text: &str, after: &str) {
    out.push_str(before);
    escape_into(out, text);
    out.push_str(after);
}

/// Anchor of a segment row.
fn seg_anchor(at: &SegmentAt) -> String {
    format!("s{}-{}-{}", at.system, at.doc, at.segment)
}

/// Reference line label of a pair: `L12`, `L12-13`, or `+` for an addition.
fn line_label(lines: Option<(usize, usize)>) -> String {
    match lines {
        None => "+".to_string(),
        Some((a, b)) if a == b => format!("L{a}"),
        Some((a, b)) => format!("L{a}-{b}"),
    }
}

fn worst(out: &mut String, w: &Worst) {
    let id = w.metric;
    out.push_str("<h2 id=\"worst\">Worst documents and segments</h2>\n");
    let _ = writeln!(out, "<h3>Documents by {}</h3><table><tr><th>System</th><th>Document</th><th class=\"n\">{}</th><th class=\"n\">Pairs</th></tr>", escape(id), escape(id));
    for d in &w.documents {
        out.push_str("<tr><td>");
        escape_into(out, d.system_name);
        let _ = write!(out, "</td><td><a href=\"#d{}s{}\">", d.doc, d.system);
        escape_into(out, d.document);
        let _ = writeln!(
            out,
            "</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            fmt_score(d.score, 2),
            d.pairs
        );
    }
    out.push_str("</table>\n");
    let _ = writeln!(out, "<h3>Segments by sentence {}</h3><table><tr><th>System</th><th>Document</th><th>Line</th><th class=\"n\">{}</th><th>MT</th></tr>", escape(id), escape(id));
    for seg in &w.segments {
        wrap(out, "<tr><td>", seg.system, "</td><td>");
        escape_into(out, seg.document);
        let _ = write!(
            out,
            "</td><td><a href=\"#{}\">{}</a></td><td class=\"n\">{}</td><td>",
            seg_anchor(&seg.at),
            line_label(seg.lines),
            fmt_score(seg.score, 2)
        );
        escape_into(out, &seg.preview);
        if seg.truncated {
            out.push('…');
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</table>\n");
}

fn terms_table(out: &mut String, terms: &[TermTotals]) {
    out.push_str("<h2 id=\"terms\">Terminology</h2>\n<table><tr><th>System</th><th class=\"n\">Expected</th><th class=\"n\">Correct</th><th class=\"n\">Forbidden</th><th class=\"n\">Misspelt</th><th class=\"n\">Missing</th><th class=\"n\">Inconsistent</th><th class=\"n\">Name errors</th></tr>\n");
    for t in terms {
        wrap(out, "<tr><td>", t.system, "</td>");
        for n in [
            t.expected,
            t.correct,
            t.forbidden,
            t.misspelt,
            t.missing,
            t.inconsistent,
            t.name_errors,
        ] {
            let _ = write!(out, "<td class=\"n\">{n}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

const LEGEND: &str = "<p class=\"legend\">Word edits (TER, against the first reference): \
<i class=sub>substituted</i> <i class=del>MT word to delete</i> \
<i class=ins>reference word missing in MT</i> <i class=shf>shifted</i> \
Terms: <span class=\"t t-correct\">correct</span><span class=\"t t-forbidden\">forbidden</span>\
<span class=\"t t-misspelt\">misspelt</span><span class=\"t t-missing\">missing</span>\
<span class=\"t t-forbidden t-inconsistent\">inconsistent</span> \
Beads: additions (0-1), omissions (1-0), merges and splits are labelled in the left column.</p>\n";

/// The per-document views (reference and every system's MT side by side, with TER's word
/// edits), opened on demand by [`page_script`]. Closed views (more than a few documents) are
/// kept as raw text in a `<script type="text/html">`, not parsed by the browser until the
/// document is opened, so a 5-system WMT report loads in a fraction of a second. The raw text
/// cannot end the script early: every `<` of corpus text is escaped, and our own markup never
/// contains `</script` or `<!--`.
pub fn documents(out: &mut String, docs: &Documents) {
    out.push_str("<h2 id=\"docs\">Documents</h2>\n");
    out.push_str(LEGEND);
    // The views are the bulk of the page: written in parallel, then joined in order.
    let views: Vec<Vec<String>> = docs
        .documents
        .par_iter()
        .map(|d| {
            d.systems
                .iter()
                .map(|v| system_view(v, docs.metric))
                .collect()
        })
        .collect();
    for (doc, views) in docs.documents.iter().zip(&views) {
        let d = doc.index;
        document_summary(out, doc, docs);
        if !docs.open {
            let _ = write!(out, "<script type=\"text/html\" id=\"vd{d}\">");
        }
        for (s, (v, view)) in doc.systems.iter().zip(views).enumerate() {
            let _ = write!(out, "<details class=\"sys\" id=\"d{d}s{s}\" open><summary>");
            escape_into(out, v.system);
            let _ = writeln!(
                out,
                " <span class=\"muted\">{} pairs, {} omitted, {} added</span></summary>",
                v.pairs, v.omissions, v.additions
            );
            out.push_str(view);
            out.push_str("</details>\n");
        }
        if !docs.open {
            out.push_str("</script>");
        }
        out.push_str("</details>\n");
    }
}

/// Opens the `<details>` of a document with its summary: the id and each system's score.
fn document_summary(out: &mut String, doc: &DocumentView, docs: &Documents) {
    let _ = write!(
        out,
        "<details class=\"doc\" id=\"d{}\"{}><summary>",
        doc.index,
        if docs.open { " open" } else { "" }
    );
    escape_into(out, doc.id);
    for v in &doc.systems {
        wrap(out, " <span class=\"muted\">", v.system, "");
        let _ = write!(
            out,
            " {} {}</span>",
            escape(docs.metric),
            fmt_score(v.score, 2)
        );
    }
    out.push_str("</summary>\n");
}

/// The rows of one document for one system, then its table of term findings.
fn system_view(v: &SystemView, metric: &str) -> String {
    let mut out = String::new();
    let records = v.records.unwrap_or_default();
    let _ = writeln!(
        out,
        "<table class=\"al\"><tr><th>Line</th><th>Reference</th><th>MT</th><th>{}</th></tr>",
        escape(metric)
    );
    for row in &v.rows {
        pair_row(&mut out, row, records);
    }
    out.push_str("</table>\n");
    if !v.findings.is_empty() {
        out.push_str("<table><tr><th>Term finding</th><th>Term</th><th>Expected</th><th>Found</th><th>Context</th></tr>\n");
        for r in v.findings.iter().map(|&i| &records[i]) {
            let e = r.error.as_str();
            let _ = write!(out, "<tr><td><span class=\"t t-{e}\">{e}</span></td><td>");
            for (i, cell) in [&r.term_id, &r.expected, &r.found].into_iter().enumerate() {
                if i > 0 {
                    out.push_str("</td><td>");
                }
                escape_into(&mut out, cell);
            }
            out.push_str("</td><td class=\"muted\">");
            escape_into(&mut out, &r.context);
            out.push_str("</td></tr>\n");
        }
        out.push_str("</table>\n");
    }
    out
}

fn pair_row(out: &mut String, row: &PairRow, records: &[TermRecord]) {
    let class = match row.kind {
        BeadKind::Single => "",
        BeadKind::Addition => "b-add",
        BeadKind::Omission => "b-omit",
        BeadKind::Merge => "b-merge",
        BeadKind::Split => "b-split",
    };
    let _ = write!(out, "<tr id={}", seg_anchor(&row.at));
    if !class.is_empty() {
        let _ = write!(out, " class={class}");
    }
    let _ = write!(out, "><td>{}", line_label(row.lines));
    if class.is_empty() {
        out.push_str("<td>");
    } else {
        let _ = write!(out, "<br>{}<td>", row.bead);
    }
    marked_text(out, &row.reference, records);
    out.push_str("<td>");
    marked_text(out, &row.hyp, records);
    let _ = writeln!(out, "<td>{}", fmt_score(row.score, 1));
}

/// The opening tag of a word-edit run. Edits are the bulk of a large report, so they are short
/// `<i>` elements with unquoted classes where possible.
fn edit_open(bits: u8) -> &'static str {
    match bits {
        E_SUB => "<i class=sub>",
        E_DEL => "<i class=del>",
        E_INS => "<i class=ins>",
        E_SHIFT => "<i class=shf>",
        x if x == E_SUB | E_SHIFT => "<i class=\"sub shf\">",
        x if x == E_DEL | E_SHIFT => "<i class=\"del shf\">",
        _ => "<i>",
    }
}

/// The opening tag of a term mark: the record's type as class, `t-inconsistent` added, and a
/// tooltip naming the term.
fn mark_open(out: &mut String, record: &TermRecord, inconsistent: bool) {
    let e = record.error.as_str();
    let _ = write!(out, "<span class=\"t t-{e}");
    if inconsistent {
        out.push_str(" t-inconsistent");
    }
    out.push_str("\" title=\"");
    escape_into(
        out,
        &format!("{e}: {} (expected: {})", record.term_id, record.expected),
    );
    out.push_str("\">");
}

/// The edit class of each of `n` bytes: a word's bytes take its edits, and so do the gaps
/// between two words with the same edits, so that runs merge.
fn byte_edits(n: usize, words: &[Word]) -> Vec<u8> {
    let mut cls = vec![0u8; n];
    for w in words {
        cls[w.range.clone()].fill(w.edits);
    }
    for w in words.windows(2) {
        if w[0].edits == w[1].edits {
            cls[w[0].range.end..w[1].range.start].fill(w[0].edits);
        }
    }
    cls
}

/// Writes a text with its word edits (runs of words with the same edits, the spaces between
/// them included, in one `<i>`) and its term marks (a mark that overlaps the previous one, or
/// falls outside the text, is dropped); the breaks become `<br>`. O(len(text)).
fn marked_text(out: &mut String, t: &MarkedText, records: &[TermRecord]) {
    let (text, breaks) = (&t.text, &t.breaks);
    let n = text.len();
    let cls = byte_edits(n, &t.words);
    let mut mark_at = vec![usize::MAX; n];
    let mut kept: Vec<&Mark> = Vec::new();
    for m in &t.marks {
        if m.range.end > n || m.range.start >= m.range.end {
            continue;
        }
        if kept.last().is_some_and(|k| k.range.end > m.range.start) {
            continue;
        }
        mark_at[m.range.clone()].fill(kept.len());
        kept.push(m);
    }
    let mut i = 0;
    while i < n {
        if breaks.contains(&i) {
            out.push_str("<br>");
            i += 1;
            continue;
        }
        let mk = mark_at[i];
        if let Some(m) = kept.get(mk) {
            mark_open(out, &records[m.record], m.inconsistent);
        }
        // One run of the same mark.
        let mut j = i;
        while j < n && mark_at[j] == mk && !breaks.contains(&j) {
            // One run of the same edit class.
            let c = cls[j];
            let mut k = j;
            while k < n && mark_at[k] == mk && cls[k] == c && !breaks.contains(&k) {
                k += 1;
            }
            // Trailing whitespace of a run stays outside it.
            let mut body_end = k;
            while body_end > j && text.as_bytes()[body_end - 1].is_ascii_whitespace() {
                body_end -= 1;
            }
            if c == 0 || body_end == j {
                escape_into(out, &text[j..k]);
            } else {
                out.push_str(edit_open(c));
                escape_into(out, &text[j..body_end]);
                out.push_str("</i>");
                escape_into(out, &text[body_end..k]);
            }
            j = k;
        }
        if mk != usize::MAX {
            out.push_str("</span>");
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::terms::ErrorType;

    #[test]
    fn render_escapes_and_nests_marks() {
        let text = "x <b> & y";
        let words = [0..1, 2..5, 6..7, 8..9]
            .into_iter()
            .map(|range| Word {
                range,
                edits: E_SUB,
            })
            .collect();
        let t = MarkedText {
            text: Cow::Borrowed(text),
            words,
            marks: vec![Mark {
                range: 2..5,
                record: 0,
                inconsistent: false,
            }],
            breaks: Vec::new(),
        };
        let record = TermRecord {
            document: "d".into(),
            segment: Some(0),
            system: "s".into(),
            term_id: "\"t\"".into(),
            expected: "b".into(),
            found: "<b>".into(),
            error: ErrorType::Forbidden,
            edit_distance: None,
            context: "x [<b>] & y".into(),
        };
        let mut out = String::new();
        marked_text(&mut out, &t, &[record]);
        assert!(!out.contains("<b>"), "{out}");
        assert!(out.contains("&lt;b&gt;"), "{out}");
        assert!(
            out.contains("title=\"forbidden: &quot;t&quot; (expected: b)\""),
            "{out}"
        );
        assert!(out.contains("class=\"t t-forbidden\""), "{out}");
    }
}
