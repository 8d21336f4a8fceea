//! Corpora: the one model every reader fills in.
//!
//! A [`Corpus`] holds documents; each [`Document`] holds, for every reference set and every
//! system, the document's segments in order. Line-aligned inputs give documents whose reference
//! and hypothesis segment counts are equal; article folders may not (then the aligner pairs them).

mod lines;

pub use lines::{read_lines, read_text, Line};

/// A whole evaluation set: several systems, one or more references, split into documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    /// A name for reports (the folder or file stem the corpus came from).
    pub name: String,
    /// Names of the reference sets, e.g. `["A", "B"]`.
    pub ref_names: Vec<String>,
    /// Names of the systems, in the order they were given.
    pub system_names: Vec<String>,
    pub documents: Vec<Document>,
}

/// One document: its reference segments (per reference set) and its MT segments (per system).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub id: String,
    /// Source segments, when the input carries them.
    pub source: Option<Vec<String>>,
    /// `refs[r][i]`: segment `i` of reference set `r`.
    pub refs: Vec<Vec<String>>,
    /// `hyps[s][i]`: segment `i` of system `s`.
    pub hyps: Vec<Vec<String>>,
    /// Where each reference segment came from (1-based line in its file, or segment id in XML),
    /// for reports and error messages. Same length as `refs[0]`.
    pub lines: Vec<usize>,
}

impl Corpus {
    /// Number of reference segments over all documents.
    pub fn num_segments(&self) -> usize {
        self.documents
            .iter()
            .map(|d| d.refs.first().map_or(0, Vec::len))
            .sum()
    }

    /// True when, in every document, every system has exactly as many segments as the references.
    pub fn is_line_aligned(&self) -> bool {
        self.documents.iter().all(Document::is_line_aligned)
    }
}

impl Document {
    /// Number of reference segments.
    pub fn num_segments(&self) -> usize {
        self.refs.first().map_or(0, Vec::len)
    }

    pub fn is_line_aligned(&self) -> bool {
        let n = self.num_segments();
        self.refs.iter().all(|r| r.len() == n) && self.hyps.iter().all(|h| h.len() == n)
    }
}
