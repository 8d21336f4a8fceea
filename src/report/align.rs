//! Alignment reports: `alignments.csv` (one row per bead of every aligned document and system)
//! and the terminal summary of `mtharness align`.

use std::path::Path;

use crate::corpus::Corpus;
use crate::error::Result;
use crate::eval::{pair_texts, CorpusAlignment, Evaluation, Pair};
use crate::report::csv::ids;
use crate::report::table::text_grid;
use crate::report::{csv_text, write_atomic, CsvOptions};

/// Columns of `alignments.csv`.
const HEADER: [&str; 8] = [
    "document",
    "system",
    "ref_ids",
    "hyp_ids",
    "bead",
    "similarity",
    "ref_text",
    "hyp_text",
];

/// Writes the rows `(document index, system index, pair)` of `corpus` as `alignments.csv`:
/// `document,system,ref_ids,hyp_ids,bead,similarity,ref_text,hyp_text`. `similarity` is the
/// aligner's (6 decimals), empty for pairs it did not make (resegmented); `ref_text` is the
/// first reference set's sentences of the bead joined by a space.
fn write_rows<'a, I>(path: &Path, corpus: &Corpus, rows: I, opts: &CsvOptions) -> Result<()>
where
    I: Iterator<Item = (usize, usize, &'a Pair)>,
{
    write_atomic(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(HEADER).map_err(std::io::Error::other)?;
        for (d, s, pair) in rows {
            let doc = &corpus.documents[d];
            let (refs, hyp) = pair_texts(doc, s, pair);
            let similarity = pair.similarity.map_or(String::new(), |x| format!("{x:.6}"));
            out.write_record([
                csv_text(&doc.id, opts.escape).as_ref(),
                csv_text(&corpus.system_names[s], opts.escape).as_ref(),
                &ids(&pair.refs),
                &ids(&pair.hyps),
                &pair.bead(),
                &similarity,
                csv_text(refs.first().map_or("", |r| r.as_ref()), opts.escape).as_ref(),
                csv_text(&hyp, opts.escape).as_ref(),
            ])
            .map_err(std::io::Error::other)?;
        }
        out.flush()
    })
}

/// Writes `alignments.csv` for every document and system of `al`, documents first.
pub fn write_alignments_csv(path: &Path, al: &CorpusAlignment, opts: &CsvOptions) -> Result<()> {
    let rows = (0..al.corpus.documents.len()).flat_map(|d| {
        al.pairs
            .iter()
            .enumerate()
            .flat_map(move |(s, docs)| docs[d].iter().map(move |p| (d, s, p)))
    });
    write_rows(path, &al.corpus, rows, opts)
}

/// Writes `alignments.csv` for the aligned documents of an evaluation (as `score --csv` does
/// when any document was aligned); returns whether any row was written (no file otherwise).
/// An evaluation without texts (merged from shard statistics) has no sentences to write: no
/// file either (`mtharness align` writes them from the corpus).
pub fn write_evaluation_alignments_csv(
    path: &Path,
    ev: &Evaluation,
    opts: &CsvOptions,
) -> Result<bool> {
    if !ev.has_texts() || !ev.documents.iter().any(|d| d.aligned) {
        return Ok(false);
    }
    let mut rows: Vec<(usize, usize, &Pair)> = ev
        .systems
        .iter()
        .enumerate()
        .flat_map(|(s, sys)| {
            sys.segments
                .iter()
                .filter(|seg| ev.documents[seg.doc].aligned)
                .map(move |seg| (seg.doc, s, &seg.pair))
        })
        .collect();
    // Documents first, then systems; the sort is stable, so beads keep their order.
    rows.sort_by_key(|&(d, s, _)| (d, s));
    write_rows(path, &ev.corpus, rows.into_iter(), opts)?;
    Ok(true)
}

/// Bead counts of one system over all documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlignmentSummary {
    pub system: String,
    pub documents: usize,
    pub beads: usize,
    pub one_to_one: usize,
    /// Beads with several sentences on either side (merges and splits).
    pub merges_splits: usize,
    /// Reference sentences left without MT.
    pub omissions: usize,
    /// MT sentences left without reference.
    pub additions: usize,
}

/// Per-system bead counts of an alignment.
pub fn alignment_summary(al: &CorpusAlignment) -> Vec<AlignmentSummary> {
    al.pairs
        .iter()
        .enumerate()
        .map(|(s, docs)| {
            let mut sum = AlignmentSummary {
                system: al.corpus.system_names[s].clone(),
                documents: docs.len(),
                ..AlignmentSummary::default()
            };
            for p in docs.iter().flatten() {
                sum.beads += 1;
                match (p.refs.len(), p.hyps.len()) {
                    (1, 1) => sum.one_to_one += 1,
                    (r, 0) => sum.omissions += r,
                    (0, h) => sum.additions += h,
                    _ => sum.merges_splits += 1,
                }
            }
            sum
        })
        .collect()
}

/// The terminal table of [`alignment_summary`].
pub fn format_alignment_table(rows: &[AlignmentSummary]) -> String {
    let head: Vec<String> = [
        "System",
        "Documents",
        "Beads",
        "1-1",
        "Merges/splits",
        "Omissions",
        "Additions",
    ]
    .map(String::from)
    .to_vec();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.system.clone(),
                r.documents.to_string(),
                r.beads.to_string(),
                r.one_to_one.to_string(),
                r.merges_splits.to_string(),
                r.omissions.to_string(),
                r.additions.to_string(),
            ]
        })
        .collect();
    text_grid(&head, &body, true)
}
