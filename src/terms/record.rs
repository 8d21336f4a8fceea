//! What a finding says: one row of `terms.csv`, its context, and how to find it again in the
//! text from that context (records carry text, not offsets; the HTML report marks them).

use std::ops::Range;

/// Characters of context on each side in [`TermRecord::context`].
const CONTEXT_BYTES: usize = 40;
/// Start of the context of an occurrence the hypothesis does not have: the reference around it
/// follows.
pub(super) const REF_CONTEXT: &str = "ref: ";

/// The outcome of one term occurrence (or document-level finding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorType {
    /// Not an error: the occurrence was translated with an accepted form.
    Correct,
    Missing,
    Forbidden,
    Misspelt,
    Inconsistent,
    Extra,
}

impl ErrorType {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::Correct => "correct",
            ErrorType::Missing => "missing",
            ErrorType::Forbidden => "forbidden",
            ErrorType::Misspelt => "misspelt",
            ErrorType::Inconsistent => "inconsistent",
            ErrorType::Extra => "extra",
        }
    }

    pub fn is_error(self) -> bool {
        self != ErrorType::Correct
    }
}

/// One row of `terms.csv`: a term occurrence, an extra, or an inconsistency.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TermRecord {
    pub document: String,
    /// 0-based segment index in the document; empty for document-level units and findings
    /// (`terms.csv` writes it 1-based, as `segments.csv` numbers segments).
    pub segment: Option<usize>,
    pub system: String,
    /// Glossary id (`name:<token>` for proper-noun findings).
    pub term_id: String,
    /// The entry's expected form.
    pub expected: String,
    /// Hypothesis text (empty when missing; the distinct renderings joined by ` | ` for
    /// inconsistent).
    pub found: String,
    pub error: ErrorType,
    /// Character Levenshtein distance for misspelt occurrences.
    pub edit_distance: Option<usize>,
    /// Hypothesis text around `found` (`[found]` marked), or `ref: ...` around the reference
    /// occurrence when nothing was found.
    pub context: String,
}

/// `text` around `[s, e)`, the span in brackets, line breaks as spaces.
pub(super) fn snippet(text: &str, s: usize, e: usize) -> String {
    let mut a = s.saturating_sub(CONTEXT_BYTES);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (e + CONTEXT_BYTES).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    format!("{}[{}]{}", &text[a..s], &text[s..e], &text[e..b]).replace('\n', " ")
}

impl TermRecord {
    /// Where this record's hypothesis text (`found`) is in `hyp`, a text that holds the unit's
    /// hypothesis (its segments may be joined by `\n` or by a space: the context has line breaks
    /// as spaces): the first match of the context (`left[found]right`) whose `found` part
    /// overlaps no `claimed` range, else the first such match of `found` alone. `None` when
    /// nothing was found (a missing occurrence) or it is not in `hyp`. O(len(hyp) *
    /// len(context)) at worst.
    pub fn locate_found(&self, hyp: &str, claimed: &[Range<usize>]) -> Option<Range<usize>> {
        locate_by_context(hyp, &self.found, &self.context, claimed)
    }

    /// Where the expected form of a missing occurrence is in `reference`, through its `ref: `
    /// context, as [`TermRecord::locate_found`]. `None` when the reference has the term in
    /// another accepted form that is not found elsewhere, or for a source-only occurrence.
    pub fn locate_expected(
        &self,
        reference: &str,
        claimed: &[Range<usize>],
    ) -> Option<Range<usize>> {
        let context = self.context.strip_prefix(REF_CONTEXT).unwrap_or("");
        locate_by_context(reference, &self.expected, context, claimed)
    }
}

/// Finds `text` in `hay`: first through `context` (`left[text]right`, as [`snippet`] writes
/// it), then alone, each time the first match whose `text` part overlaps no `claimed` range.
fn locate_by_context(
    hay: &str,
    text: &str,
    context: &str,
    claimed: &[Range<usize>],
) -> Option<Range<usize>> {
    if text.is_empty() {
        return None;
    }
    let marked = format!("[{text}]");
    if let Some(p) = context.find(&marked) {
        let needle = format!("{}{}{}", &context[..p], text, &context[p + marked.len()..]);
        if let Some(r) = first_unclaimed(hay, &needle, p..p + text.len(), claimed) {
            return Some(r);
        }
    }
    first_unclaimed(hay, text, 0..text.len(), claimed)
}

/// Finds `needle` in `hay`, first occurrence whose `inner` sub-range (relative to the match)
/// does not overlap a claimed range. Returns the absolute inner range.
fn first_unclaimed(
    hay: &str,
    needle: &str,
    inner: Range<usize>,
    claimed: &[Range<usize>],
) -> Option<Range<usize>> {
    if needle.is_empty() {
        return None;
    }
    hay.match_indices(needle)
        .map(|(p, _)| p + inner.start..p + inner.end)
        .find(|r| !claimed.iter().any(|m| m.start < r.end && r.start < m.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(found: &str, error: ErrorType, context: String) -> TermRecord {
        TermRecord {
            document: "d".into(),
            segment: None,
            system: "s".into(),
            term_id: "cf".into(),
            expected: "ceasefire".into(),
            found: found.into(),
            error,
            edit_distance: None,
            context,
        }
    }

    #[test]
    fn records_are_found_again_from_their_context() {
        // The record is about the second "fire"; once that one is claimed, the first is left.
        let hyp = "a fire\nthen fire again";
        let r = record("fire", ErrorType::Forbidden, snippet(hyp, 12, 16));
        let joined = hyp.replace('\n', " ");
        assert_eq!(r.locate_found(&joined, &[]), Some(12..16));
        let claimed = std::slice::from_ref(&(12..16));
        assert_eq!(r.locate_found(&joined, claimed), Some(2..6));
        assert_eq!(r.locate_found("no match", &[]), None);
        let reference = "a ceasefire then";
        let context = format!("{REF_CONTEXT}{}", snippet(reference, 2, 11));
        let m = record("", ErrorType::Missing, context);
        assert_eq!(m.locate_found(reference, &[]), None);
        assert_eq!(m.locate_expected(reference, &[]), Some(2..11));
    }
}
