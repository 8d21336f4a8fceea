//! What a finding says: one row of `terms.csv` and its context.

/// Characters of context on each side in [`TermRecord::context`].
const CONTEXT_BYTES: usize = 40;

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
    /// 0-based segment index in the document; empty for document-level units and findings.
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
