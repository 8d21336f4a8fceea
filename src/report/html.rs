//! The HTML report: one self-contained file (inline CSS, a few lines of inline JS, inline SVG; no
//! network, no external fonts or scripts; a Content-Security-Policy forbids every fetch).
//!
//! Sections, in order: the system table with signatures; per-system histograms of segment
//! scores; scores by reference-length bucket (compare-mt style, each bucket scored from its
//! *summed* statistics); the worst documents and segments, linking to their view; terminology
//! totals (with a glossary); one view per document, reference and MT side by side per aligned
//! bead, with TER's word edits and the terminology findings marked.
//!
//! Every piece of corpus text goes through [`escape`]. Anchors are built from indices only
//! (`#d3`, `#s0-3-12`), never from document ids.
//!
//! Word edits are TER's (sacreBLEU's default: lower-cased, words split on whitespace, the first
//! reference): the shifts applied, then substitutions, insertions (reference words missing from
//! the MT) and deletions (MT words with no reference counterpart). With several references only
//! the first is shown and marked. Terminology marks come from the records of
//! [`TermEvaluator::corpus`](crate::terms::TermEvaluator::corpus); records carry text and
//! context, not offsets, so each is located again in the text with the terms module's locator
//! ([`TermRecord::locate_found`]: first unclaimed match of its context, then of its text); a
//! record that cannot be located is still listed in the document's table of findings.
//!
//! Cost: one TER alignment per bead and system (as scoring TER), then O(bytes) per segment.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;

use crate::error::Result;
use crate::eval::{Evaluation, Pair, SegmentEval};
use crate::metrics::ter::{ter_alignment, TerOp};
use crate::terms::{ErrorType, SystemTerms, TermRecord};

/// Worst segments listed in the navigation (over all systems).
const WORST_SEGMENTS: usize = 25;
/// Worst documents listed in the navigation (over all systems).
const WORST_DOCUMENTS: usize = 15;
/// Documents shown open on load when the corpus has at most this many (closed `<details>`
/// are not laid out, which keeps large reports fast to open).
/// Larger corpora keep each document's view as raw text in a `<script type="text/html">` (not
/// parsed by the browser until the document is opened), so a 5-system WMT report loads in a
/// fraction of a second. The raw text cannot end the script early: every `<` of corpus text is
/// escaped, and our own markup never contains `</script` or `<!--`.
const OPEN_DOCUMENTS: usize = 3;
/// Bins of the segment-score histograms over [0, 100] (the last bin also holds scores above).
const HIST_BINS: usize = 20;
/// Upper bounds (exclusive) of the reference-length buckets in words; compare-mt's default
/// `--length_bucket` cut points 10, 20, 30, 40, 50, 60 and a last open bucket.
const LENGTH_BUCKETS: [usize; 6] = [10, 20, 30, 40, 50, 60];
/// Metrics plotted and bucketed when present (others only appear in the system table).
const PLOTTED: [&str; 6] = ["BLEU", "chrF", "chrF++", "TER", "WER", "CER"];
/// Characters of MT text shown in the worst-segment list.
const PREVIEW_CHARS: usize = 90;

/// Writes the HTML report of `ev` to `path` atomically. `terms` are the records of
/// `TermEvaluator::corpus(&ev.corpus, ..)` (one entry per system, in `ev.systems` order), when
/// a glossary was given.
pub fn write_html(path: &Path, ev: &Evaluation, terms: Option<&[SystemTerms]>) -> Result<()> {
    let html = render_html(ev, terms);
    super::write_atomic(path, |w| w.write_all(html.as_bytes()))
}

/// Appends `s` to `out` with `& < > " '` escaped, safe in element content and in quoted
/// attribute values.
pub fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `s` HTML-escaped (see `escape_into`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s);
    out
}

/// Word edit classes (bit set): what TER did to a word.
const E_SUB: u8 = 1;
const E_DEL: u8 = 2;
const E_INS: u8 = 4;
const E_SHIFT: u8 = 8;

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

/// A terminology mark: a byte range of a text, its CSS class and a tooltip.
#[derive(Debug, Clone)]
struct Mark {
    range: Range<usize>,
    class: String,
    title: String,
}

/// Terminology marks of one document for one system, in document coordinates (segments joined
/// by one byte), on the MT side and on the reference side (first reference).
#[derive(Debug, Default)]
struct DocMarks {
    hyp: Vec<Mark>,
    reference: Vec<Mark>,
    records: Vec<TermRecord>,
}

/// Byte offset of each segment in `segs.join(sep)` (sep of one byte), plus the total length.
fn offsets(segs: &[String]) -> Vec<usize> {
    let mut out = Vec::with_capacity(segs.len() + 1);
    let mut at = 0;
    for s in segs {
        out.push(at);
        at += s.len() + 1;
    }
    out.push(at.saturating_sub(1));
    out
}

/// Builds the marks of one document for one system from its records.
fn doc_marks(hyp_segs: &[String], ref_segs: &[String], records: &[TermRecord]) -> DocMarks {
    let hyp_off = offsets(hyp_segs);
    let ref_off = offsets(ref_segs);
    let hyp_doc = hyp_segs.join(" ");
    let ref_doc = ref_segs.join(" ");
    let inconsistent: Vec<&str> = records
        .iter()
        .filter(|r| r.error == ErrorType::Inconsistent)
        .map(|r| r.term_id.as_str())
        .collect();
    let mut out = DocMarks {
        records: records.to_vec(),
        ..DocMarks::default()
    };
    for r in records {
        // The text searched: the record's segment, or the whole document.
        let (hay_hyp, base_hyp) = match r.segment {
            Some(i) if i < hyp_segs.len() => (hyp_segs[i].as_str(), hyp_off[i]),
            _ => (hyp_doc.as_str(), 0),
        };
        let (hay_ref, base_ref) = match r.segment {
            Some(i) if i < ref_segs.len() => (ref_segs[i].as_str(), ref_off[i]),
            _ => (ref_doc.as_str(), 0),
        };
        let shift = |m: &[Mark], base: usize| -> Vec<Range<usize>> {
            // Claimed ranges relative to the haystack.
            m.iter()
                .filter(|x| x.range.start >= base)
                .map(|x| x.range.start - base..x.range.end - base)
                .collect()
        };
        let title = format!(
            "{}: {} (expected: {})",
            r.error.as_str(),
            r.term_id,
            r.expected
        );
        match r.error {
            ErrorType::Inconsistent => {}
            ErrorType::Missing => {
                let claimed = shift(&out.reference, base_ref);
                if let Some(x) = r.locate_expected(hay_ref, &claimed) {
                    out.reference.push(Mark {
                        range: x.start + base_ref..x.end + base_ref,
                        class: "t t-missing".into(),
                        title,
                    });
                }
            }
            e => {
                let claimed = shift(&out.hyp, base_hyp);
                if let Some(x) = r.locate_found(hay_hyp, &claimed) {
                    let mut class = format!("t t-{}", e.as_str());
                    if inconsistent.contains(&r.term_id.as_str()) {
                        class.push_str(" t-inconsistent");
                    }
                    out.hyp.push(Mark {
                        range: x.start + base_hyp..x.end + base_hyp,
                        class,
                        title,
                    });
                }
            }
        }
    }
    out.hyp.sort_by_key(|m| m.range.start);
    out.reference.sort_by_key(|m| m.range.start);
    out
}

/// Words of `text` split on whitespace, as byte ranges.
fn word_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Replays TER's shifts on word positions: which original hypothesis words were moved.
/// Positions follow sacreBLEU's `_perform_shift` (Python slice clamping).
fn shifted_words(n: usize, shifts: &[crate::metrics::ter::Shift]) -> Vec<bool> {
    let mut cur: Vec<usize> = (0..n).collect();
    let mut moved = vec![false; n];
    for s in shifts {
        let sl = |a: usize, b: usize| a.min(n)..b.min(n).max(a.min(n));
        let block: Vec<usize> = cur[sl(s.start, s.start + s.length)].to_vec();
        for &w in &block {
            moved[w] = true;
        }
        let (start, length, target) = (s.start, s.length, s.target);
        let mut next = Vec::with_capacity(n);
        if target < start {
            next.extend_from_slice(&cur[sl(0, target)]);
            next.extend_from_slice(&block);
            next.extend_from_slice(&cur[sl(target, start)]);
            next.extend_from_slice(&cur[sl(start + length, n)]);
        } else if target > start + length {
            next.extend_from_slice(&cur[sl(0, start)]);
            next.extend_from_slice(&cur[sl(start + length, target)]);
            next.extend_from_slice(&block);
            next.extend_from_slice(&cur[sl(target, n)]);
        } else {
            next.extend_from_slice(&cur[sl(0, start)]);
            next.extend_from_slice(&cur[sl(start + length, length + target)]);
            next.extend_from_slice(&block);
            next.extend_from_slice(&cur[sl(length + target, n)]);
        }
        cur = next;
    }
    moved
}

/// Edit classes of the words of a hypothesis and a reference.
struct WordEdits {
    hyp: Vec<(Range<usize>, u8)>,
    reference: Vec<(Range<usize>, u8)>,
}

fn word_edits(hyp: &str, reference: &str) -> WordEdits {
    let hw = word_ranges(hyp);
    let rw = word_ranges(reference);
    let mut out = WordEdits {
        hyp: hw.iter().map(|r| (r.clone(), 0)).collect(),
        reference: rw.iter().map(|r| (r.clone(), 0)).collect(),
    };
    if hw.is_empty() || rw.is_empty() {
        for w in &mut out.hyp {
            w.1 = E_DEL;
        }
        for w in &mut out.reference {
            w.1 = E_INS;
        }
        return out;
    }
    // sacreBLEU's TER lower-cases by default.
    let hl: Vec<String> = hw.iter().map(|r| hyp[r.clone()].to_lowercase()).collect();
    let rl: Vec<String> = rw
        .iter()
        .map(|r| reference[r.clone()].to_lowercase())
        .collect();
    let h: Vec<&str> = hl.iter().map(String::as_str).collect();
    let r: Vec<&str> = rl.iter().map(String::as_str).collect();
    let al = ter_alignment(&h, &r);
    let moved = shifted_words(h.len(), &al.shifts);
    for (w, m) in out.hyp.iter_mut().zip(&moved) {
        if *m {
            w.1 |= E_SHIFT;
        }
    }
    let (mut i, mut j) = (0, 0);
    for op in &al.ops {
        let hi = al.shifted_hyp.get(i).copied();
        match op {
            TerOp::Match => {
                i += 1;
                j += 1;
            }
            TerOp::Substitution => {
                if let Some(w) = hi.and_then(|k| out.hyp.get_mut(k)) {
                    w.1 |= E_SUB;
                }
                if let Some(w) = out.reference.get_mut(j) {
                    w.1 |= E_SUB;
                }
                i += 1;
                j += 1;
            }
            TerOp::Deletion => {
                if let Some(w) = hi.and_then(|k| out.hyp.get_mut(k)) {
                    w.1 |= E_DEL;
                }
                i += 1;
            }
            TerOp::Insertion => {
                if let Some(w) = out.reference.get_mut(j) {
                    w.1 |= E_INS;
                }
                j += 1;
            }
        }
    }
    out
}

/// Renders `text` with word edit classes and terminology marks. `breaks` are byte positions of
/// segment separators (one space each), rendered as line breaks. Marks must be sorted and
/// non-overlapping (overlapping ones are dropped). O(len(text)).
fn render_marked(
    out: &mut String,
    text: &str,
    words: &[(Range<usize>, u8)],
    marks: &[Mark],
    breaks: &[usize],
) {
    let n = text.len();
    let mut cls = vec![0u8; n];
    for (r, c) in words {
        for b in r.clone() {
            cls[b] = *c;
        }
    }
    // Gaps between two words of the same class take that class, so runs merge.
    for w in words.windows(2) {
        if w[0].1 == w[1].1 {
            cls[w[0].0.end..w[1].0.start].fill(w[0].1);
        }
    }
    let mut mark_at = vec![usize::MAX; n];
    let mut kept: Vec<&Mark> = Vec::new();
    for m in marks {
        if m.range.end > n || m.range.start >= m.range.end {
            continue;
        }
        if kept.last().is_some_and(|k| k.range.end > m.range.start) {
            continue;
        }
        for b in m.range.clone() {
            mark_at[b] = kept.len();
        }
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
        if mk != usize::MAX {
            let _ = write!(out, "<span class=\"{}\" title=\"", kept[mk].class);
            escape_into(out, &kept[mk].title);
            out.push_str("\">");
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

/// The metric used to rank documents and segments: chrF when computed, else the first.
fn primary_metric(ev: &Evaluation) -> usize {
    ev.metrics.iter().position(|m| m.id == "chrF").unwrap_or(0)
}

fn plotted(ev: &Evaluation) -> Vec<usize> {
    (0..ev.metrics.len())
        .filter(|&m| PLOTTED.contains(&ev.metrics[m].id.as_str()))
        .collect()
}

/// Sentence score of segment `k` of system `s` on metric `m`.
fn sentence_score(ev: &Evaluation, s: usize, k: usize, m: usize) -> f64 {
    ev.metrics[m]
        .metric
        .sentence_score(ev.systems[s].segment_stats(k, m))
}

/// Sorts scores worst first for metric `m` (NaN last).
fn worse_first(ev: &Evaluation, m: usize, a: f64, b: f64) -> std::cmp::Ordering {
    let hib = ev.metrics[m].metric.higher_is_better();
    let key = |x: f64| {
        if x.is_nan() {
            f64::INFINITY
        } else if hib {
            x
        } else {
            -x
        }
    };
    key(a).total_cmp(&key(b))
}

const CSS: &str = r#"
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1400px;padding:0 16px;color:#1d2330;background:#fbfbfd}
h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d8dbe3;padding-bottom:4px}
h3{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;margin:6px 0}th,td{padding:3px 8px;border-bottom:1px solid #e4e6ec;text-align:left;vertical-align:top}
th{background:#eef0f5;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.sig{font:12px ui-monospace,monospace;color:#4a5163}
nav a{margin-right:10px}.muted{color:#6b7285;font-size:12px}
.hists{display:flex;flex-wrap:wrap;gap:10px}.hist{background:#fff;border:1px solid #e4e6ec;padding:4px}
.hist rect{fill:#5b7bd5}.hist text{font:10px sans-serif;fill:#4a5163}
details.doc{border:1px solid #d8dbe3;border-radius:4px;margin:8px 0;background:#fff;content-visibility:auto}
details.doc>summary{padding:6px 10px;cursor:pointer;font-weight:600;background:#f3f4f8}
details.sys{margin:6px 10px}details.sys>summary{cursor:pointer}
table.al{width:100%;table-layout:fixed}table.al td:nth-child(2),table.al td:nth-child(3){width:44%;overflow-wrap:break-word}
table.al td:first-child,table.al td:last-child{width:6%;color:#6b7285;font-size:12px}
tr.b-add td:nth-child(3){background:#fff0d9}tr.b-add td:first-child::after{content:" addition";color:#b25b00;font-weight:600}
tr.b-omit td:nth-child(2){background:#ffe4e4}tr.b-omit td:first-child::after{content:" omission";color:#b00020;font-weight:600}
tr.b-merge td:first-child::after{content:" merge";color:#5b3cc4;font-weight:600}
tr.b-split td:first-child::after{content:" split";color:#5b3cc4;font-weight:600}
tr:target{outline:2px solid #f0b400}
.sub{background:#fde7a6;font-style:normal}i{font-style:normal}.del{background:#f9c4c4;text-decoration:line-through}.ins{background:#c9ecc9;text-decoration:underline}
.shf{border-bottom:2px dotted #3767d6}
.t{border-radius:3px;padding:0 1px;outline:2px solid;outline-offset:0}
.t-correct{outline-color:#9ad19a}.t-forbidden{outline-color:#d0021b;background:#ffd9de}.t-misspelt{outline-color:#e07800;background:#ffe8cc}
.t-missing{outline-color:#7b2cbf;background:#efe0ff}.t-extra{outline-color:#888}.t-inconsistent{outline-style:dashed}
.legend span{margin-right:12px;padding:0 3px}
"#;

/// Inline script: fills a closed document view from its `<script type="text/html">` when it is
/// opened (or linked to), and opens the `<details>` around the target of a link (`#s0-3-12`).
const JS: &str = r#"
function fill(d){var t=d&&document.getElementById('v'+d.id);if(t){d.insertAdjacentHTML('beforeend',t.textContent);t.remove()}}
document.addEventListener('toggle',function(e){if(e.target.open)fill(e.target)},true);
function openTarget(){var id=location.hash.slice(1);if(!id)return;var e=document.getElementById(id);
if(!e){var m=/^s\d+-(\d+)-/.exec(id)||/^d(\d+)/.exec(id);if(m){fill(document.getElementById('d'+m[1]));e=document.getElementById(id)}}
for(var p=e;p;p=p.parentElement){if(p.tagName==='DETAILS')p.open=true}if(e)e.scrollIntoView()}
window.addEventListener('hashchange',openTarget);window.addEventListener('load',openTarget);
"#;

/// Renders the whole report as one string.
pub fn render_html(ev: &Evaluation, terms: Option<&[SystemTerms]>) -> String {
    let mut out = String::with_capacity(1 << 20);
    page_start(&mut out, "report", &ev.corpus_name);
    let _ = writeln!(
        out,
        "<p class=\"muted\">{} documents, {} reference set(s), {} system(s). mtharness {}.</p>",
        ev.documents.len(),
        ev.ref_names.len(),
        ev.systems.len(),
        crate::metrics::VERSION
    );
    out.push_str("<nav><a href=\"#systems\">Systems</a><a href=\"#dist\">Distributions</a><a href=\"#length\">By length</a><a href=\"#worst\">Worst</a>");
    if terms.is_some() {
        out.push_str("<a href=\"#terms\">Terminology</a>");
    }
    out.push_str("<a href=\"#docs\">Documents</a></nav>\n");
    system_table(&mut out, ev);
    histograms(&mut out, ev);
    length_buckets(&mut out, ev);
    worst(&mut out, ev);
    if let Some(t) = terms {
        terms_table(&mut out, t);
    }
    documents(&mut out, ev, terms);
    page_script(&mut out);
    page_end(&mut out);
    out
}

/// The inline script that fills closed document views and follows `#s…` links.
pub(crate) fn page_script(out: &mut String) {
    out.push_str("<script>");
    out.push_str(JS);
    out.push_str("</script>\n");
}

/// Opens a self-contained page (shared by every HTML report): doctype, a Content-Security-Policy
/// that forbids every fetch, the CSS, and a `<h1>` "mtharness `kind`: `name`" (`name` is
/// escaped; `kind` is ours). Close it with [`page_end`].
pub(crate) fn page_start(out: &mut String, kind: &str, name: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>mtharness: ");
    escape_into(out, name);
    out.push_str("</title>\n<style>");
    out.push_str(CSS);
    let _ = write!(out, "</style>\n</head><body>\n<h1>mtharness {kind}: ");
    escape_into(out, name);
    out.push_str("</h1>\n");
}

/// Closes a page opened with [`page_start`].
pub(crate) fn page_end(out: &mut String) {
    out.push_str("</body></html>\n");
}

fn system_table(out: &mut String, ev: &Evaluation) {
    out.push_str("<h2 id=\"systems\">Systems</h2>\n<table><tr><th>System</th>");
    for m in &ev.metrics {
        out.push_str("<th class=\"n\">");
        escape_into(out, &m.id);
        out.push_str("</th>");
    }
    out.push_str("<th class=\"n\">Omitted</th><th class=\"n\">Added</th></tr>\n");
    for (s, sys) in ev.systems.iter().enumerate() {
        out.push_str("<tr><td>");
        escape_into(out, &sys.name);
        out.push_str("</td>");
        for m in 0..ev.metrics.len() {
            let _ = write!(
                out,
                "<td class=\"n\">{}</td>",
                super::fmt_score(ev.system_score(s, m), 2)
            );
        }
        let _ = writeln!(
            out,
            "<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            sys.omissions(),
            sys.additions()
        );
    }
    out.push_str("</table>\n<table>");
    for (m, spec) in ev.metrics.iter().enumerate() {
        out.push_str("<tr><td>");
        escape_into(out, &spec.id);
        out.push_str("</td><td class=\"sig\">");
        escape_into(out, &ev.signature(m));
        out.push_str("</td></tr>\n");
    }
    out.push_str("</table>\n");
}

/// One SVG histogram of `scores` over [0, 100] in [`HIST_BINS`] bins.
fn histogram_svg(out: &mut String, title: &str, scores: &[f64]) {
    const W: f64 = 170.0;
    const H: f64 = 70.0;
    let mut bins = [0usize; HIST_BINS];
    let mut n = 0;
    for &x in scores {
        if x.is_finite() {
            let b = ((x.max(0.0) / 100.0) * HIST_BINS as f64) as usize;
            bins[b.min(HIST_BINS - 1)] += 1;
            n += 1;
        }
    }
    let max = bins.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bw = W / HIST_BINS as f64;
    let _ = write!(
        out,
        "<svg class=\"hist\" width=\"{}\" height=\"{}\" role=\"img\"><title>",
        W + 8.0,
        H + 30.0
    );
    escape_into(out, title);
    let _ = write!(out, " ({n} segments)</title>");
    for (b, &c) in bins.iter().enumerate() {
        let h = c as f64 / max * H;
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{}-{}: {c}</title></rect>",
            4.0 + b as f64 * bw,
            14.0 + H - h,
            bw - 1.0,
            h,
            b * 100 / HIST_BINS,
            (b + 1) * 100 / HIST_BINS
        );
    }
    out.push_str("<text x=\"4\" y=\"10\">");
    escape_into(out, title);
    let _ = write!(
        out,
        "</text><text x=\"4\" y=\"{}\">0</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">100</text></svg>",
        H + 26.0,
        W + 4.0,
        H + 26.0
    );
}

fn histograms(out: &mut String, ev: &Evaluation) {
    out.push_str("<h2 id=\"dist\">Segment score distributions</h2>\n<p class=\"muted\">Sentence-level scores of every aligned pair (omissions and additions included), 0 to 100 in bins of 5; the last bin holds scores of 100 and above.</p>\n");
    for (s, sys) in ev.systems.iter().enumerate() {
        out.push_str("<h3>");
        escape_into(out, &sys.name);
        out.push_str("</h3><div class=\"hists\">");
        for m in plotted(ev) {
            let scores: Vec<f64> = (0..sys.segments.len())
                .map(|k| sentence_score(ev, s, k, m))
                .collect();
            histogram_svg(out, &ev.metrics[m].id, &scores);
        }
        out.push_str("</div>\n");
    }
}

/// Reference length in words of a pair (first reference).
fn ref_words(ev: &Evaluation, seg: &SegmentEval) -> usize {
    ev.corpus.documents[seg.doc].refs.first().map_or(0, |r| {
        r[seg.pair.refs.clone()]
            .iter()
            .map(|s| s.split_whitespace().count())
            .sum()
    })
}

fn length_buckets(out: &mut String, ev: &Evaluation) {
    out.push_str("<h2 id=\"length\">Scores by reference length</h2>\n<p class=\"muted\">Pairs bucketed by the length of their (first) reference in words; each cell is the corpus score of the bucket's summed statistics.</p>\n");
    let nb = LENGTH_BUCKETS.len() + 1;
    let bucket = |len: usize| {
        LENGTH_BUCKETS
            .iter()
            .position(|&b| len < b)
            .unwrap_or(nb - 1)
    };
    let label = |b: usize| match b {
        0 => format!("&lt;{}", LENGTH_BUCKETS[0]),
        b if b == nb - 1 => format!("&ge;{}", LENGTH_BUCKETS[nb - 2]),
        b => format!("{}-{}", LENGTH_BUCKETS[b - 1], LENGTH_BUCKETS[b] - 1),
    };
    out.push_str("<div class=\"hists\">");
    for m in plotted(ev) {
        let spec = &ev.metrics[m];
        let stat_len = spec.metric.stat_names().len();
        out.push_str("<table><tr><th>");
        escape_into(out, &spec.id);
        out.push_str(" by ref. words</th>");
        for sys in &ev.systems {
            out.push_str("<th class=\"n\">pairs</th><th class=\"n\">");
            escape_into(out, &sys.name);
            out.push_str("</th>");
        }
        out.push_str("</tr>\n");
        let sums: Vec<Vec<(usize, Vec<f64>)>> = ev
            .systems
            .iter()
            .map(|sys| {
                let mut v = vec![(0usize, vec![0.0; stat_len]); nb];
                for (k, seg) in sys.segments.iter().enumerate() {
                    let b = bucket(ref_words(ev, seg));
                    v[b].0 += 1;
                    crate::metrics::add_stats(&mut v[b].1, sys.segment_stats(k, m));
                }
                v
            })
            .collect();
        for b in 0..nb {
            let _ = write!(out, "<tr><td>{}</td>", label(b));
            for s in &sums {
                let (count, st) = &s[b];
                let score = if *count == 0 {
                    "-".to_string()
                } else {
                    super::fmt_score(spec.metric.corpus_score(st), 2)
                };
                let _ = write!(
                    out,
                    "<td class=\"n\">{count}</td><td class=\"n\">{score}</td>"
                );
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
    }
    out.push_str("</div>\n");
}

/// Anchor of segment row `k` (index in the system's segments) of system `s`, document `d`.
fn seg_anchor(s: usize, d: usize, k: usize) -> String {
    format!("s{s}-{d}-{k}")
}

/// Reference line label of a pair: `L12`, `L12-13`, or `+` for an addition.
fn line_label(ev: &Evaluation, d: usize, pair: &Pair) -> String {
    let lines = &ev.documents[d].lines;
    let at = |i: usize| lines.get(i).copied().unwrap_or(i + 1);
    match pair.refs.len() {
        0 => "+".to_string(),
        _ => {
            let (a, b) = (at(pair.refs.start), at(pair.refs.end - 1));
            if a == b {
                format!("L{a}")
            } else {
                format!("L{a}-{b}")
            }
        }
    }
}

fn worst(out: &mut String, ev: &Evaluation) {
    let m = primary_metric(ev);
    let id = &ev.metrics[m].id;
    out.push_str("<h2 id=\"worst\">Worst documents and segments</h2>\n");
    let _ = writeln!(out, "<h3>Documents by {}</h3><table><tr><th>System</th><th>Document</th><th class=\"n\">{}</th><th class=\"n\">Pairs</th></tr>", escape(id), escape(id));
    let mut docs: Vec<(usize, usize, f64)> = Vec::new();
    for (s, sys) in ev.systems.iter().enumerate() {
        for de in &sys.documents {
            if de.pairs > 0 {
                docs.push((s, de.doc, ev.metrics[m].metric.corpus_score(&de.stats[m])));
            }
        }
    }
    docs.sort_by(|a, b| worse_first(ev, m, a.2, b.2));
    for &(s, d, score) in docs.iter().take(WORST_DOCUMENTS) {
        out.push_str("<tr><td>");
        escape_into(out, &ev.systems[s].name);
        let _ = write!(out, "</td><td><a href=\"#d{d}s{s}\">");
        escape_into(out, &ev.documents[d].id);
        let _ = writeln!(
            out,
            "</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            super::fmt_score(score, 2),
            ev.systems[s].documents[d].pairs
        );
    }
    out.push_str("</table>\n");
    let _ = writeln!(out, "<h3>Segments by sentence {}</h3><table><tr><th>System</th><th>Document</th><th>Line</th><th class=\"n\">{}</th><th>MT</th></tr>", escape(id), escape(id));
    let mut segs: Vec<(usize, usize, f64)> = Vec::new();
    for (s, sys) in ev.systems.iter().enumerate() {
        for k in 0..sys.segments.len() {
            segs.push((s, k, sentence_score(ev, s, k, m)));
        }
    }
    segs.sort_by(|a, b| worse_first(ev, m, a.2, b.2));
    for &(s, k, score) in segs.iter().take(WORST_SEGMENTS) {
        let seg = &ev.systems[s].segments[k];
        let doc = &ev.corpus.documents[seg.doc];
        let (_, hyp) = crate::eval::pair_texts(doc, s, &seg.pair);
        let preview: String = hyp.chars().take(PREVIEW_CHARS).collect();
        out.push_str("<tr><td>");
        escape_into(out, &ev.systems[s].name);
        out.push_str("</td><td>");
        escape_into(out, &ev.documents[seg.doc].id);
        let _ = write!(
            out,
            "</td><td><a href=\"#{}\">{}</a></td><td class=\"n\">{}</td><td>",
            seg_anchor(s, seg.doc, k),
            line_label(ev, seg.doc, &seg.pair),
            super::fmt_score(score, 2)
        );
        escape_into(out, &preview);
        if hyp.chars().count() > PREVIEW_CHARS {
            out.push('…');
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</table>\n");
}

fn terms_table(out: &mut String, terms: &[SystemTerms]) {
    out.push_str("<h2 id=\"terms\">Terminology</h2>\n<table><tr><th>System</th><th class=\"n\">Expected</th><th class=\"n\">Correct</th><th class=\"n\">Forbidden</th><th class=\"n\">Misspelt</th><th class=\"n\">Missing</th><th class=\"n\">Inconsistent</th><th class=\"n\">Name errors</th></tr>\n");
    for t in terms {
        out.push_str("<tr><td>");
        escape_into(out, &t.system);
        let _ = writeln!(
            out,
            "</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            t.stats.expected,
            t.stats.correct,
            t.stats.forbidden,
            t.stats.misspelt,
            t.stats.missing,
            t.stats.inconsistent_groups,
            t.names.misspelt + t.names.missing
        );
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

/// Rendered rows of one document for one system (built in parallel).
fn system_doc_view(
    ev: &Evaluation,
    s: usize,
    d: usize,
    segs: &[(usize, &SegmentEval)],
    marks: Option<&DocMarks>,
) -> String {
    let mut out = String::new();
    let doc = &ev.corpus.documents[d];
    let m = primary_metric(ev);
    let id = &ev.metrics[m].id;
    let hyp_segs = &doc.hyps[s];
    let empty = Vec::new();
    let ref_segs = doc.refs.first().unwrap_or(&empty);
    let hyp_off = offsets(hyp_segs);
    let ref_off = offsets(ref_segs);
    let _ = writeln!(
        out,
        "<table class=\"al\"><tr><th>Line</th><th>Reference</th><th>MT</th><th>{}</th></tr>",
        escape(id)
    );
    for &(k, seg) in segs {
        let pair = &seg.pair;
        let (refs, hyp) = crate::eval::pair_texts(doc, s, pair);
        let reference = refs.first().map_or("", |r| r.as_ref());
        let edits = word_edits(&hyp, reference);
        let class = if pair.is_addition() {
            "b-add"
        } else if pair.is_omission() {
            "b-omit"
        } else if pair.refs.len() > 1 {
            "b-merge"
        } else if pair.hyps.len() > 1 {
            "b-split"
        } else {
            ""
        };
        let _ = write!(out, "<tr id={}", seg_anchor(s, d, k));
        if !class.is_empty() {
            let _ = write!(out, " class={class}");
        }
        let _ = write!(out, "><td>{}", line_label(ev, d, pair));
        if class.is_empty() {
            out.push_str("<td>");
        } else {
            let _ = write!(out, "<br>{}<td>", pair.bead());
        }
        // Marks of this pair, in pair coordinates (segments joined by one space, as pair_texts).
        let slice = |all: &[Mark], segs: &[String], off: &[usize], r: &Range<usize>| {
            if r.is_empty() {
                return Vec::new();
            }
            let a = off[r.start];
            let b = off[r.end - 1] + segs[r.end - 1].len();
            all.iter()
                .filter(|x| x.range.start >= a && x.range.end <= b)
                .map(|x| Mark {
                    range: x.range.start - a..x.range.end - a,
                    class: x.class.clone(),
                    title: x.title.clone(),
                })
                .collect()
        };
        let breaks = |off: &[usize], r: &Range<usize>| -> Vec<usize> {
            if r.len() < 2 {
                return Vec::new();
            }
            (r.start + 1..r.end)
                .map(|i| off[i] - off[r.start] - 1)
                .collect()
        };
        let rmarks = marks.map_or_else(Vec::new, |x| {
            slice(&x.reference, ref_segs, &ref_off, &pair.refs)
        });
        render_marked(
            &mut out,
            reference,
            &edits.reference,
            &rmarks,
            &breaks(&ref_off, &pair.refs),
        );
        out.push_str("<td>");
        let hmarks = marks.map_or_else(Vec::new, |x| slice(&x.hyp, hyp_segs, &hyp_off, &pair.hyps));
        render_marked(
            &mut out,
            &hyp,
            &edits.hyp,
            &hmarks,
            &breaks(&hyp_off, &pair.hyps),
        );
        let _ = writeln!(
            out,
            "<td>{}",
            super::fmt_score(sentence_score(ev, s, k, m), 1)
        );
    }
    out.push_str("</table>\n");
    if let Some(mk) = marks {
        let errors: Vec<&TermRecord> = mk.records.iter().filter(|r| r.error.is_error()).collect();
        if !errors.is_empty() {
            out.push_str("<table><tr><th>Term finding</th><th>Term</th><th>Expected</th><th>Found</th><th>Context</th></tr>\n");
            for r in errors {
                let _ = write!(
                    out,
                    "<tr><td><span class=\"t t-{}\">{}</span></td><td>",
                    r.error.as_str(),
                    r.error.as_str()
                );
                escape_into(&mut out, &r.term_id);
                out.push_str("</td><td>");
                escape_into(&mut out, &r.expected);
                out.push_str("</td><td>");
                escape_into(&mut out, &r.found);
                out.push_str("</td><td class=\"muted\">");
                escape_into(&mut out, &r.context);
                out.push_str("</td></tr>\n");
            }
            out.push_str("</table>\n");
        }
    }
    out
}

/// The per-document views (reference and every system's MT side by side, with TER's word
/// edits), opened on demand by [`page_script`]. Shared with the `compare` page.
pub(crate) fn documents(out: &mut String, ev: &Evaluation, terms: Option<&[SystemTerms]>) {
    out.push_str("<h2 id=\"docs\">Documents</h2>\n");
    out.push_str(LEGEND);
    let m = primary_metric(ev);
    // Segments of each (system, document): segments are stored in document order.
    let mut per: Vec<Vec<Vec<(usize, &SegmentEval)>>> =
        vec![vec![Vec::new(); ev.documents.len()]; ev.systems.len()];
    for (s, sys) in ev.systems.iter().enumerate() {
        for (k, seg) in sys.segments.iter().enumerate() {
            per[s][seg.doc].push((k, seg));
        }
    }
    // Term records by (system, document id).
    let mut records: HashMap<(usize, &str), &[TermRecord]> = HashMap::new();
    if let Some(t) = terms {
        for st in t {
            if let Some(s) = ev.systems.iter().position(|x| x.name == st.system) {
                for dt in &st.documents {
                    records.insert((s, dt.document.as_str()), &dt.records);
                }
            }
        }
    }
    let open = ev.documents.len() <= OPEN_DOCUMENTS;
    let views: Vec<Vec<String>> = (0..ev.documents.len())
        .into_par_iter()
        .map(|d| {
            let doc = &ev.corpus.documents[d];
            (0..ev.systems.len())
                .map(|s| {
                    let marks = records.get(&(s, doc.id.as_str())).map(|recs| {
                        let empty = Vec::new();
                        doc_marks(&doc.hyps[s], doc.refs.first().unwrap_or(&empty), recs)
                    });
                    system_doc_view(ev, s, d, &per[s][d], marks.as_ref())
                })
                .collect()
        })
        .collect();
    for (d, info) in ev.documents.iter().enumerate() {
        let _ = write!(
            out,
            "<details class=\"doc\" id=\"d{d}\"{}><summary>",
            if open { " open" } else { "" }
        );
        escape_into(out, &info.id);
        for sys in &ev.systems {
            let de = &sys.documents[d];
            out.push_str(" <span class=\"muted\">");
            escape_into(out, &sys.name);
            let _ = write!(
                out,
                " {} {}</span>",
                escape(&ev.metrics[m].id),
                super::fmt_score(ev.metrics[m].metric.corpus_score(&de.stats[m]), 2)
            );
        }
        out.push_str("</summary>\n");
        if !open {
            let _ = write!(out, "<script type=\"text/html\" id=\"vd{d}\">");
        }
        for (s, sys) in ev.systems.iter().enumerate() {
            let _ = write!(out, "<details class=\"sys\" id=\"d{d}s{s}\" open><summary>");
            escape_into(out, &sys.name);
            let de = &sys.documents[d];
            let _ = writeln!(
                out,
                " <span class=\"muted\">{} pairs, {} omitted, {} added</span></summary>",
                de.pairs, de.omissions, de.additions
            );
            out.push_str(&views[d][s]);
            out.push_str("</details>\n");
        }
        if !open {
            out.push_str("</script>");
        }
        out.push_str("</details>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup_ampersands_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("Größe — ok"), "Größe — ok");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn word_edits_mark_substitution_deletion_insertion() {
        let e = word_edits("the big cat sat", "the cat sat down");
        let hc: Vec<u8> = e.hyp.iter().map(|w| w.1).collect();
        let rc: Vec<u8> = e.reference.iter().map(|w| w.1).collect();
        assert_eq!(hc, vec![0, E_DEL, 0, 0]);
        assert_eq!(rc, vec![0, 0, 0, E_INS]);
        let e = word_edits("a b c", "a x c");
        assert_eq!(e.hyp[1].1, E_SUB);
        assert_eq!(e.reference[1].1, E_SUB);
    }

    #[test]
    fn shifted_words_follow_the_shifts() {
        // "b c a" -> "a b c": the block "a" (or "b c") moves.
        let e = word_edits("b c a d", "a b c d");
        assert!(e.hyp.iter().any(|w| w.1 & E_SHIFT != 0));
        assert!(e.hyp.iter().all(|w| w.1 & (E_SUB | E_DEL) == 0));
    }

    #[test]
    fn render_escapes_and_nests_marks() {
        let text = "x <b> & y";
        let words = word_ranges(text);
        let w: Vec<(Range<usize>, u8)> = words.iter().map(|r| (r.clone(), E_SUB)).collect();
        let marks = vec![Mark {
            range: 2..5,
            class: "t t-forbidden".into(),
            title: "\"t\"".into(),
        }];
        let mut out = String::new();
        render_marked(&mut out, text, &w, &marks, &[]);
        assert!(!out.contains("<b>"), "{out}");
        assert!(out.contains("&lt;b&gt;"), "{out}");
        assert!(out.contains("title=\"&quot;t&quot;\""), "{out}");
        assert!(out.contains("class=\"t t-forbidden\""), "{out}");
    }

    #[test]
    fn records_are_located_by_context() {
        let hyp = vec!["a fire here".to_string(), "no fire there".to_string()];
        let rf = vec![
            "a ceasefire here".to_string(),
            "no ceasefire there".to_string(),
        ];
        let rec = TermRecord {
            document: "d".into(),
            segment: None,
            system: "s".into(),
            term_id: "ceasefire".into(),
            expected: "ceasefire".into(),
            found: "fire".into(),
            error: ErrorType::Forbidden,
            edit_distance: None,
            context: "here no [fire] there".into(),
        };
        let m = doc_marks(&hyp, &rf, &[rec]);
        assert_eq!(m.hyp.len(), 1);
        assert_eq!(m.hyp[0].range, 15..19);
    }
}
