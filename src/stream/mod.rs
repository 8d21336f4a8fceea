//! Streaming: scoring line-aligned corpora of any size in bounded memory.
//!
//! [`score_stream`] reads the reference, system output, source and document-id files in
//! lockstep, [`StreamOptions::chunk_lines`] lines at a time, scores each chunk with rayon (every
//! metric on every segment pair, after the normaliser), and hands the segment rows, then each
//! finished document's sums, to a [`StreamSink`] in input order. System statistics are running
//! sums. Reading the next chunk overlaps scoring the current one.
//!
//! # Same results as the in-memory path
//!
//! Statistics are added in the order of [`crate::eval::summarize`] (per system, segment by
//! segment, into the document sum and into the system sum), so document and system scores are
//! bit-identical to [`crate::eval::evaluate`] on [`crate::corpus::load`]. [`CsvSink`] writes
//! the same `segments.csv`, `documents.csv` and `systems.csv` as
//! [`crate::report::write_csv_reports`], byte for byte, for any thread count.
//!
//! Input checks and error messages are those of [`crate::corpus::read_line_aligned`] and of the
//! size limits of [`crate::corpus::load`] (invalid UTF-8, empty files, differing line counts
//! naming both files and both counts, blank or interrupted document ids, over-long lines and
//! documents). A line-count mismatch is found at the end of the shortest file. When the input
//! holds *several* problems, the in-memory path reports the first in its order (whole files
//! first, then limits) and streaming the first it meets while reading, which can be another
//! one; within a document, limit errors follow the in-memory order (the document length first,
//! then sides in order), as they are reported when the document ends.
//!
//! # Memory
//!
//! O(chunk_lines * (references + systems) * (line length + statistics)) for the texts and
//! statistics of two chunks (the one scored and the one read), plus one document sum per
//! system, plus every distinct document id (to find ids that come back, as the in-memory reader
//! does). Nothing grows with the number of segments.
//!
//! Not streamed (they need the whole corpus): sentence alignment and resegmentation (documents
//! with differing segment counts are alignment's job; here they are a line-count mismatch),
//! corpus folders and XML/TSV/JSONL inputs, significance tests, terminology reports, JSON and
//! HTML reports. The CLI refuses them with `--stream`.
//!
//! # Example
//!
//! ```
//! use mtharness::corpus::LoadSpec;
//! use mtharness::metrics::{build_metrics, MetricOptions};
//! use mtharness::stream::{score_stream, NullSink, StreamOptions};
//!
//! let dir = std::env::temp_dir().join(format!("mtharness-doc-stream-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("ref.txt"), "a b c d\ne f g h\n").unwrap();
//! std::fs::write(dir.join("hyp.txt"), "a b c d\ne f g x\n").unwrap();
//! let spec = LoadSpec {
//!     refs: vec![dir.join("ref.txt")],
//!     hyps: vec![dir.join("hyp.txt")],
//!     ..LoadSpec::default()
//! };
//! let metrics = build_metrics(&["wer".into()], &MetricOptions::default())?;
//! // Reads the files in chunks; `NullSink` keeps no segment rows (`CsvSink` writes them).
//! let out = score_stream(&spec, metrics, &StreamOptions::default(), &mut NullSink)?;
//! assert_eq!(out.segments, 2);
//! assert_eq!(out.evaluation.system_score(0, 0), 12.5); // WER: 1 edit in 8 words
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), mtharness::Error>(())
//! ```

use std::path::Path;

use rayon::prelude::*;

use crate::corpus::{self, corpus_name, ref_names, system_names, Corpus, Format, LoadSpec};
use crate::error::{Error, Result};
use crate::eval::{
    summarize, DocumentEval, DocumentInfo, Evaluation, Pair, SegmentEval, StatsLayout,
};
use crate::metrics::MetricSpec;
use crate::pipeline::{accumulate, score_rows, zero_sums};
use crate::progress::ProgressHandle;
use crate::text::normalize::Normalizer;

mod input;
mod sink;

use input::Inputs;
pub use sink::{CsvSink, NullSink, StreamContext, StreamSink};

/// Default of [`StreamOptions::chunk_lines`]: 8,192 lines, about 1.6 MB of WMT-like text per
/// file, enough work per chunk for rayon to balance, small next to any machine's memory. Ours.
pub const DEFAULT_CHUNK_LINES: usize = 8192;

/// Options of [`score_stream`].
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Applied to every reference and MT segment before scoring (as
    /// [`crate::eval::EvalOptions::normalizer`]).
    pub normalizer: Normalizer,
    /// Lines read from every file per chunk (at least 1).
    pub chunk_lines: usize,
}

impl Default for StreamOptions {
    fn default() -> StreamOptions {
        StreamOptions {
            normalizer: Normalizer::default(),
            chunk_lines: DEFAULT_CHUNK_LINES,
        }
    }
}

/// The result of [`score_stream`].
pub struct StreamOutcome {
    /// System-level results only: `systems[s].stats` are the exact system sums, and
    /// `corpus_name`, `ref_names`, `metrics`, `normalizer` are set, so that
    /// [`crate::report::format_table`] and [`crate::report::write_systems_csv`] give what they
    /// give for [`crate::eval::evaluate`]. Segment and document results went to the sink:
    /// `systems[s].segments`, `systems[s].documents`, `documents` and `corpus.documents` are
    /// empty.
    pub evaluation: Evaluation,
    /// Lines read from every file (segments per system).
    pub segments: usize,
    /// Documents.
    pub documents: usize,
    /// UTF-8 bytes scored: every hypothesis plus its references, per scored system (as
    /// [`crate::bench::corpus_size`]).
    pub bytes: u64,
}

/// Scores line-aligned files (`spec.refs`, `spec.hyps`, optional `spec.docids` and
/// `spec.source`, `spec.systems`, `spec.limits`) chunk by chunk; see the module documentation.
/// Any other input in `spec` (a folder, XML, TSV, JSONL) is a configuration error.
///
/// O(total bytes + pairs * metric cost) time; memory bounded independently of the corpus
/// length (see the module documentation).
pub fn score_stream(
    spec: &LoadSpec,
    metrics: Vec<MetricSpec>,
    opts: &StreamOptions,
    sink: &mut dyn StreamSink,
) -> Result<StreamOutcome> {
    let format = corpus::detect_format(spec)?;
    if format != Format::LineAligned {
        return Err(Error::config(format!(
            "streaming reads line-aligned files (-r/-i); {} is a {format:?} input: \
             drop --stream",
            spec.input.as_deref().unwrap_or(Path::new("")).display()
        )));
    }
    if spec.refs.is_empty() {
        return Err(Error::config("expected at least one reference file"));
    }
    if spec.hyps.is_empty() {
        return Err(Error::config("expected at least one system output file"));
    }
    let first = &spec.refs[0];
    let name = spec.name.clone().unwrap_or_else(|| corpus_name(first));
    let ref_names = ref_names(&spec.refs);
    let all_systems = system_names(&spec.hyps)?;
    // Selection errors as the in-memory path words them (an empty corpus with the names).
    let selected = match &spec.systems {
        None => all_systems.clone(),
        Some(names) => {
            Corpus {
                name: name.clone(),
                ref_names: ref_names.clone(),
                system_names: all_systems.clone(),
                documents: Vec::new(),
            }
            .select_systems(names)?
            .system_names
        }
    };
    let picked: Vec<usize> = selected
        .iter()
        .filter_map(|n| all_systems.iter().position(|a| a == n))
        .collect();

    let mut input = Inputs::open(spec, &name, &ref_names, &all_systems, picked)?;
    let chunk_lines = opts.chunk_lines.max(1);
    let cx = StreamContext {
        metrics: &metrics,
        systems: &selected,
    };
    let zero = || zero_sums(&metrics);
    let mut acc: Vec<SystemAcc> = selected
        .iter()
        .map(|_| SystemAcc {
            total: zero(),
            doc: None,
        })
        .collect();
    let layout = StatsLayout::new(&metrics);
    let mut bytes = 0u64;
    let mut next = input.read_chunk(chunk_lines)?;
    while let Some(mut chunk) = next {
        bytes += chunk.bytes();
        let (read, scored) = rayon::join(
            || input.read_chunk(chunk_lines),
            || score_chunk(&mut chunk, &metrics, &layout, &opts.normalizer),
        );
        for (s, (stats, a)) in scored.iter().zip(&mut acc).enumerate() {
            for i in 0..chunk.len() {
                let st = layout.row(stats, i);
                let d = chunk.docs[i];
                let pos = chunk.pos[i];
                if a.doc.as_ref().map(|(de, _)| de.doc) != Some(d) {
                    if let Some((de, id)) = a.doc.take() {
                        sink.document(&cx, s, &id, &de)?;
                    }
                    let id = chunk.doc_id(d).to_string();
                    a.doc = Some((
                        DocumentEval {
                            doc: d,
                            pairs: 0,
                            omissions: 0,
                            additions: 0,
                            stats: zero(),
                        },
                        id,
                    ));
                }
                let Some((de, id)) = a.doc.as_mut() else {
                    continue;
                };
                // The order of `eval::summarize`: document sum, then system sum.
                de.pairs += 1;
                accumulate(&mut de.stats, st);
                accumulate(&mut a.total, st);
                let seg = SegmentEval {
                    doc: d,
                    pair: Pair {
                        refs: pos..pos + 1,
                        hyps: pos..pos + 1,
                        similarity: None,
                    },
                };
                sink.segment(&cx, s, id, chunk.lines[i], &seg, st)?;
            }
        }
        next = read?;
    }
    for (s, a) in acc.iter_mut().enumerate() {
        if let Some((de, id)) = a.doc.take() {
            sink.document(&cx, s, &id, &de)?;
        }
    }
    let segments = input.lines;
    let documents = input.doc_count;
    let systems = selected
        .iter()
        .zip(acc)
        .map(|(name, a)| {
            let mut sys = summarize(name, Vec::new(), Vec::new(), 0, &metrics);
            sys.stats = a.total;
            sys
        })
        .collect();
    Ok(StreamOutcome {
        evaluation: Evaluation {
            corpus_name: name.clone(),
            ref_names: ref_names.clone(),
            metrics,
            normalizer: opts.normalizer.clone(),
            documents: Vec::<DocumentInfo>::new(),
            systems,
            corpus: Corpus {
                name,
                ref_names,
                system_names: selected,
                documents: Vec::new(),
            },
        },
        segments,
        documents,
        bytes,
    })
}

/// Running sums of one system: the system sum and the open document (with its id).
struct SystemAcc {
    total: Vec<Vec<f64>>,
    doc: Option<(DocumentEval, String)>,
}

/// Lines `first_line..` of every file.
struct Chunk {
    /// `refs[r][i]`: line `i` of the chunk in reference file `r`.
    refs: Vec<Vec<String>>,
    /// `hyps[k][i]`: line `i` of the `k`-th scored system.
    hyps: Vec<Vec<String>>,
    /// Per line: document index, position in the document (0-based), line number (1-based).
    docs: Vec<usize>,
    pos: Vec<usize>,
    lines: Vec<usize>,
    /// Ids of documents `doc_first..`: every document that has a line in the chunk.
    doc_first: usize,
    doc_ids: Vec<String>,
}

impl Chunk {
    fn new(n_refs: usize, n_hyps: usize, cap: usize) -> Chunk {
        Chunk {
            refs: (0..n_refs).map(|_| Vec::with_capacity(cap)).collect(),
            hyps: (0..n_hyps).map(|_| Vec::with_capacity(cap)).collect(),
            docs: Vec::with_capacity(cap),
            pos: Vec::with_capacity(cap),
            lines: Vec::with_capacity(cap),
            doc_first: 0,
            doc_ids: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.docs.len()
    }

    fn doc_id(&self, doc: usize) -> &str {
        doc.checked_sub(self.doc_first)
            .and_then(|k| self.doc_ids.get(k))
            .map_or("", String::as_str)
    }

    /// Bytes scored: per system, its lines plus the reference lines.
    fn bytes(&self) -> u64 {
        let refs: u64 = self.refs.iter().flatten().map(|s| s.len() as u64).sum();
        self.hyps
            .iter()
            .map(|h| refs + h.iter().map(|s| s.len() as u64).sum::<u64>())
            .sum()
    }
}

/// Statistics of every pair of a chunk: `[system]` then line-major rows of `layout`. Texts
/// are normalised in place first (once per line, as `eval::normalize_corpus`). Parallel over
/// pairs; each row is written by one job, so the result does not depend on the threads.
fn score_chunk(
    chunk: &mut Chunk,
    metrics: &[MetricSpec],
    layout: &StatsLayout,
    normalizer: &Normalizer,
) -> Vec<Vec<f64>> {
    if !normalizer.is_identity() {
        chunk
            .refs
            .par_iter_mut()
            .chain(chunk.hyps.par_iter_mut())
            .flat_map(|v| v.par_iter_mut())
            .for_each(|s| {
                let n = normalizer.normalize(s).into_owned();
                *s = n;
            });
    }
    let chunk = &*chunk;
    let none = ProgressHandle::none();
    chunk
        .hyps
        .iter()
        .map(|hyps| {
            score_rows(metrics, layout, chunk.len(), &none, |i, buf, score| {
                buf.clear();
                buf.extend(chunk.refs.iter().map(|r| r[i].as_str()));
                score(&hyps[i], buf)
            })
        })
        .collect()
}
