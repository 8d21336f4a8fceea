//! The document views of the report (and of the `compare` page): each aligned pair of each
//! system with TER's word edits ([`super::edits`]) and the terminology marks, each term record
//! located again in the text with the terms module's locator ([`TermRecord::locate_found`],
//! [`TermRecord::locate_expected`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use super::edits::{word_edits, Word};
use super::{lines, primary_metric, sentence_score, SegmentAt, OPEN_DOCUMENTS};
use crate::eval::{self, Evaluation, Pair, SegmentEval};
use crate::terms::{ErrorType, SystemTerms, TermRecord};

/// The per-document views: the reference and every system's MT side by side.
#[derive(Debug, Serialize)]
pub struct Documents<'a> {
    /// The metric of the per-pair scores and document summaries.
    pub metric: &'a str,
    /// Views are open on load (few documents); otherwise each is kept as text until opened.
    pub open: bool,
    pub documents: Vec<DocumentView<'a>>,
}

/// One document: its id, each system's score, and each system's view.
#[derive(Debug, Serialize)]
pub struct DocumentView<'a> {
    /// Index in the corpus (the view's anchor, `#d3`).
    pub index: usize,
    pub id: &'a str,
    pub systems: Vec<SystemView<'a>>,
}

/// One system's view of one document.
#[derive(Debug, Serialize)]
pub struct SystemView<'a> {
    pub system: &'a str,
    /// Document score on [`Documents::metric`].
    pub score: f64,
    pub pairs: usize,
    pub omissions: usize,
    pub additions: usize,
    pub rows: Vec<PairRow<'a>>,
    /// The document's term records for this system (what [`Mark::record`] points into), with a
    /// glossary.
    pub records: Option<&'a [TermRecord]>,
    /// The errors among `records` (indices), listed under the view.
    pub findings: Vec<usize>,
}

/// One aligned pair: the first reference and the MT, with TER's word edits and term marks.
#[derive(Debug, Serialize)]
pub struct PairRow<'a> {
    pub at: SegmentAt,
    pub kind: BeadKind,
    /// Bead type as `refs-hyps` counts (`2-1`).
    pub bead: String,
    /// First and last reference line; `None` for an addition.
    pub lines: Option<(usize, usize)>,
    pub reference: MarkedText<'a>,
    pub hyp: MarkedText<'a>,
    /// Sentence score on [`Documents::metric`].
    pub score: f64,
}

/// What kind of bead a pair is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BeadKind {
    /// One reference segment, one MT segment.
    Single,
    /// MT without reference (0-k).
    Addition,
    /// Reference without MT (k-0).
    Omission,
    /// Several reference segments.
    Merge,
    /// Several MT segments.
    Split,
}

/// A text (segments joined by one space) with its words' edits, its term marks and the
/// positions of the spaces that join segments (shown as line breaks).
#[derive(Debug, Serialize)]
pub struct MarkedText<'a> {
    pub text: Cow<'a, str>,
    pub words: Vec<Word>,
    /// Sorted by start.
    pub marks: Vec<Mark>,
    pub breaks: Vec<usize>,
}

/// A term record located in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    pub range: Range<usize>,
    /// Index into [`SystemView::records`].
    pub record: usize,
    /// The record's term is inconsistent in this document.
    pub inconsistent: bool,
}

impl<'a> Documents<'a> {
    /// The views of every document (also the `compare` page's). `terms` as in
    /// [`super::Report::build`]; records of a system whose name is not in `ev` are ignored.
    pub fn build(ev: &'a Evaluation, terms: Option<&'a [SystemTerms]>) -> Documents<'a> {
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
        for st in terms.unwrap_or_default() {
            if let Some(s) = ev.systems.iter().position(|x| x.name == st.system) {
                for dt in &st.documents {
                    records.insert((s, dt.document.as_str()), &dt.records);
                }
            }
        }
        let documents = (0..ev.documents.len())
            .into_par_iter()
            .map(|d| {
                let id = ev.corpus.documents[d].id.as_str();
                DocumentView {
                    index: d,
                    id: &ev.documents[d].id,
                    systems: (0..ev.systems.len())
                        .map(|s| {
                            let recs = records.get(&(s, id)).copied();
                            system_view(ev, s, d, m, &per[s][d], recs)
                        })
                        .collect(),
                }
            })
            .collect();
        Documents {
            metric: &ev.metrics[m].id,
            open: ev.documents.len() <= OPEN_DOCUMENTS,
            documents,
        }
    }
}

/// The view of document `d` for system `s`: its rows (`segs`, in document order) and marks.
fn system_view<'a>(
    ev: &'a Evaluation,
    s: usize,
    d: usize,
    m: usize,
    segs: &[(usize, &'a SegmentEval)],
    records: Option<&'a [TermRecord]>,
) -> SystemView<'a> {
    let doc = &ev.corpus.documents[d];
    let hyp_segs = &doc.hyps[s];
    let ref_segs = doc.refs.first().map_or(&[][..], Vec::as_slice);
    let marks = records.map(|recs| doc_marks(hyp_segs, ref_segs, recs));
    let hyp_off = offsets(hyp_segs);
    let ref_off = offsets(ref_segs);
    let rows = segs
        .iter()
        .map(|&(k, seg)| {
            let pair = &seg.pair;
            let (refs, hyp) = eval::pair_texts(doc, s, pair);
            let reference = refs.into_iter().next().unwrap_or(Cow::Borrowed(""));
            let edits = word_edits(&hyp, &reference);
            let (ref_marks, hyp_marks) = marks.as_ref().map_or_else(Default::default, |x| {
                (
                    pair_marks(&x.reference, ref_segs, &ref_off, &pair.refs),
                    pair_marks(&x.hyp, hyp_segs, &hyp_off, &pair.hyps),
                )
            });
            PairRow {
                at: SegmentAt {
                    system: s,
                    doc: d,
                    segment: k,
                },
                kind: bead_kind(pair),
                bead: pair.bead(),
                lines: lines(ev, d, pair),
                reference: MarkedText {
                    text: reference,
                    words: edits.reference,
                    marks: ref_marks,
                    breaks: breaks(&ref_off, &pair.refs),
                },
                hyp: MarkedText {
                    text: hyp,
                    words: edits.hyp,
                    marks: hyp_marks,
                    breaks: breaks(&hyp_off, &pair.hyps),
                },
                score: sentence_score(ev, s, k, m),
            }
        })
        .collect();
    let de = &ev.systems[s].documents[d];
    SystemView {
        system: &ev.systems[s].name,
        score: ev.metrics[m].metric.corpus_score(&de.stats[m]),
        pairs: de.pairs,
        omissions: de.omissions,
        additions: de.additions,
        rows,
        records,
        findings: records.map_or_else(Vec::new, |recs| {
            (0..recs.len())
                .filter(|&i| recs[i].error.is_error())
                .collect()
        }),
    }
}

fn bead_kind(pair: &Pair) -> BeadKind {
    if pair.is_addition() {
        BeadKind::Addition
    } else if pair.is_omission() {
        BeadKind::Omission
    } else if pair.refs.len() > 1 {
        BeadKind::Merge
    } else if pair.hyps.len() > 1 {
        BeadKind::Split
    } else {
        BeadKind::Single
    }
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

/// Positions of the spaces joining the segments `r` in their pair text.
fn breaks(off: &[usize], r: &Range<usize>) -> Vec<usize> {
    if r.len() < 2 {
        return Vec::new();
    }
    (r.start + 1..r.end)
        .map(|i| off[i] - off[r.start] - 1)
        .collect()
}

/// The marks (document coordinates) inside the segments `r`, in pair coordinates (segments
/// joined by one space, as [`eval::pair_texts`]).
fn pair_marks(all: &[Mark], segs: &[String], off: &[usize], r: &Range<usize>) -> Vec<Mark> {
    if r.is_empty() {
        return Vec::new();
    }
    let a = off[r.start];
    let b = off[r.end - 1] + segs[r.end - 1].len();
    all.iter()
        .filter(|x| x.range.start >= a && x.range.end <= b)
        .map(|x| Mark {
            range: x.range.start - a..x.range.end - a,
            ..x.clone()
        })
        .collect()
}

/// Terminology marks of one document for one system, in document coordinates (segments joined
/// by one byte), on the MT side and on the reference side (first reference).
#[derive(Debug, Default)]
struct DocMarks {
    hyp: Vec<Mark>,
    reference: Vec<Mark>,
}

/// Locates each record of one document for one system in its text ([`TermRecord`]s carry text
/// and context, not offsets): missing occurrences on the reference side, the rest on the MT
/// side, each in its segment (or the whole document for document-level records), none over a
/// mark already placed. A record that cannot be located gets no mark.
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
    let mut out = DocMarks::default();
    for (i, r) in records.iter().enumerate() {
        // The text searched: the record's segment, or the whole document.
        let (hay_hyp, base_hyp) = match r.segment {
            Some(i) if i < hyp_segs.len() => (hyp_segs[i].as_str(), hyp_off[i]),
            _ => (hyp_doc.as_str(), 0),
        };
        let (hay_ref, base_ref) = match r.segment {
            Some(i) if i < ref_segs.len() => (ref_segs[i].as_str(), ref_off[i]),
            _ => (ref_doc.as_str(), 0),
        };
        // Marks placed so far, relative to the haystack.
        let claimed = |m: &[Mark], base: usize| -> Vec<Range<usize>> {
            m.iter()
                .filter(|x| x.range.start >= base)
                .map(|x| x.range.start - base..x.range.end - base)
                .collect()
        };
        let mark = |x: Range<usize>, base: usize| Mark {
            range: x.start + base..x.end + base,
            record: i,
            inconsistent: r.error != ErrorType::Missing
                && inconsistent.contains(&r.term_id.as_str()),
        };
        match r.error {
            ErrorType::Inconsistent => {}
            ErrorType::Missing => {
                if let Some(x) = r.locate_expected(hay_ref, &claimed(&out.reference, base_ref)) {
                    out.reference.push(mark(x, base_ref));
                }
            }
            _ => {
                if let Some(x) = r.locate_found(hay_hyp, &claimed(&out.hyp, base_hyp)) {
                    out.hyp.push(mark(x, base_hyp));
                }
            }
        }
    }
    out.hyp.sort_by_key(|m| m.range.start);
    out.reference.sort_by_key(|m| m.range.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_located_by_context() {
        let hyp = ["a fire here", "no fire there"].map(String::from);
        let rf = ["a ceasefire here", "no ceasefire there"].map(String::from);
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
