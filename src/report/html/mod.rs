//! The HTML report: one self-contained file (inline CSS, a few lines of inline JS, inline SVG; no
//! network, no external fonts or scripts; a Content-Security-Policy forbids every fetch).
//!
//! Sections, in order: the system table with signatures; per-system histograms of segment
//! scores; scores by reference-length bucket (compare-mt style, each bucket scored from its
//! *summed* statistics); the worst documents and segments, linking to their view; terminology
//! totals (with a glossary); one view per document, reference and MT side by side per aligned
//! bead, with TER's word edits and the terminology findings marked.
//!
//! Built in two steps: [`model`] computes everything the page shows into a plain data
//! structure ([`Report`]), then `render` writes it out as HTML without computing anything;
//! `page` is the skeleton and escaping every mtharness page shares.
//!
//! Word edits are TER's (sacreBLEU's default: lower-cased, words split on whitespace, the first
//! reference): the shifts applied, then substitutions, insertions (reference words missing from
//! the MT) and deletions (MT words with no reference counterpart). With several references only
//! the first is shown and marked. Terminology marks come from the records of
//! [`TermEvaluator::corpus`](crate::terms::TermEvaluator::corpus); records carry text and
//! context, not offsets, so each is located again in the text (first unclaimed match of its
//! context, then of its text); a record that cannot be located is still listed in the
//! document's table of findings.
//!
//! Cost: one TER alignment per bead and system (as scoring TER), then O(bytes) per segment.

mod model;
mod page;
mod render;

use std::path::Path;

use self::model::Report;
pub use self::page::{escape, escape_into};
pub(crate) use self::page::{page_end, page_script, page_start};

use crate::error::Result;
use crate::eval::Evaluation;
use crate::terms::SystemTerms;

/// Writes the HTML report of `ev` to `path` atomically. `terms` are the records of
/// `TermEvaluator::corpus(&ev.corpus, ..)` (one entry per system, in `ev.systems` order), when
/// a glossary was given.
pub fn write_html(path: &Path, ev: &Evaluation, terms: Option<&[SystemTerms]>) -> Result<()> {
    let html = render_html(ev, terms);
    super::write_atomic(path, |w| w.write_all(html.as_bytes()))
}

/// Renders the whole report as one string: its model is built (every score, edit and mark),
/// then written out.
pub fn render_html(ev: &Evaluation, terms: Option<&[SystemTerms]>) -> String {
    render::report(&Report::build(ev, terms))
}

/// The per-document views of `ev` (reference and every system's MT side by side, with TER's
/// word edits), opened on demand by [`page_script`]. Shared with the `compare` page.
pub(crate) fn documents(out: &mut String, ev: &Evaluation, terms: Option<&[SystemTerms]>) {
    render::documents(out, &model::Documents::build(ev, terms));
}
