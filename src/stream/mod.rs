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

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::corpus::{
    self, corpus_name, doc_too_long, empty_file, line_too_long, ref_names, same_count,
    system_names, Corpus, DocIds, Format, Limits, LineReader, LoadSpec,
};
use crate::error::{Error, Location, Result};
use crate::eval::{
    summarize, DocumentEval, DocumentInfo, Evaluation, Pair, SegmentEval, SegmentStats, StatsLayout,
};
use crate::metrics::MetricSpec;
use crate::pipeline::{accumulate, score_rows, zero_sums};
use crate::progress::ProgressHandle;
use crate::report::{
    document_header, document_row, segment_header, segment_row, write_atomic, write_systems_csv,
    AtomicFile, CsvOptions,
};
use crate::text::normalize::Normalizer;

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

/// What a sink needs to format rows.
pub struct StreamContext<'a> {
    pub metrics: &'a [MetricSpec],
    /// Names of the scored systems (index `system` of the sink calls).
    pub systems: &'a [String],
}

/// Receives results as they are computed. For each system, `segment` is called for every pair
/// in input order, and `document` once a document's last pair was given (documents in input
/// order). Calls of different systems interleave chunk by chunk. An error stops the run.
pub trait StreamSink {
    /// Segment pair `seg` of `system`, in document `doc_id`, from reference line `line`
    /// (1-based), with its statistics `stats`. `seg.doc` is the document's index, `seg.pair`
    /// its position in the document.
    fn segment(
        &mut self,
        cx: &StreamContext,
        system: usize,
        doc_id: &str,
        line: usize,
        seg: &SegmentEval,
        stats: SegmentStats<'_>,
    ) -> Result<()>;

    /// The summed statistics of a finished document of `system`.
    fn document(
        &mut self,
        cx: &StreamContext,
        system: usize,
        doc_id: &str,
        doc: &DocumentEval,
    ) -> Result<()>;
}

/// A sink that keeps nothing (to time scoring, or when only system scores are wanted).
#[derive(Debug, Clone, Copy, Default)]
pub struct NullSink;

impl StreamSink for NullSink {
    fn segment(
        &mut self,
        _: &StreamContext,
        _: usize,
        _: &str,
        _: usize,
        _: &SegmentEval,
        _: SegmentStats<'_>,
    ) -> Result<()> {
        Ok(())
    }

    fn document(&mut self, _: &StreamContext, _: usize, _: &str, _: &DocumentEval) -> Result<()> {
        Ok(())
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

/// One input file and what its lines are.
struct Source {
    reader: LineReader,
    /// `reference A`, `system S`, `source` (as the size-limit errors name sides).
    side: String,
}

/// The open files, read in lockstep, with the state of the checks.
struct Inputs {
    /// References, then every system (scored or not: all are checked), then the source.
    files: Vec<Source>,
    n_refs: usize,
    n_hyps: usize,
    /// Indices (among systems) of the scored systems.
    picked: Vec<usize>,
    docids: Option<(LineReader, DocIds)>,
    first: PathBuf,
    source: Option<PathBuf>,
    limits: Limits,
    /// Lines read from every file so far.
    lines: usize,
    /// Documents started so far.
    doc_count: usize,
    /// The current document: id, first line, lines so far.
    doc_id: String,
    doc_start: usize,
    doc_len: usize,
    /// The first size-limit error of the current document in the in-memory order:
    /// (side index, error); reported when the document ends.
    pending: Option<(usize, Error)>,
    done: bool,
}

impl Inputs {
    fn open(
        spec: &LoadSpec,
        name: &str,
        ref_names: &[String],
        systems: &[String],
        picked: Vec<usize>,
    ) -> Result<Inputs> {
        let mut files = Vec::new();
        for (p, r) in spec.refs.iter().zip(ref_names) {
            files.push(Source {
                reader: LineReader::open(p)?,
                side: format!("reference {r}"),
            });
        }
        for (p, s) in spec.hyps.iter().zip(systems) {
            files.push(Source {
                reader: LineReader::open(p)?,
                side: format!("system {s}"),
            });
        }
        if let Some(p) = &spec.source {
            files.push(Source {
                reader: LineReader::open(p)?,
                side: "source".to_string(),
            });
        }
        let docids = match &spec.docids {
            Some(p) => Some((LineReader::open(p)?, DocIds::new(p))),
            None => None,
        };
        Ok(Inputs {
            files,
            n_refs: spec.refs.len(),
            n_hyps: spec.hyps.len(),
            picked,
            docids,
            first: spec.refs[0].clone(),
            source: spec.source.clone(),
            limits: spec.limits,
            lines: 0,
            doc_count: 0,
            doc_id: name.to_string(),
            doc_start: 1,
            doc_len: 0,
            pending: None,
            done: false,
        })
    }

    /// Reads up to `max` lines of every file. `None` at the end, after the final checks.
    fn read_chunk(&mut self, max: usize) -> Result<Option<Chunk>> {
        if self.done {
            return Ok(None);
        }
        let mut chunk = Chunk::new(self.n_refs, self.picked.len(), max);
        chunk.doc_first = self.doc_count.saturating_sub(1);
        if self.doc_count > 0 {
            chunk.doc_ids.push(self.doc_id.clone());
        }
        let mut row: Vec<Option<String>> = Vec::with_capacity(self.files.len());
        while chunk.len() < max {
            row.clear();
            let mut ended = 0;
            for f in &mut self.files {
                let line = f.reader.next_line()?;
                ended += usize::from(line.is_none());
                row.push(line.map(|l| l.text));
            }
            let id_line = match &mut self.docids {
                Some((r, _)) => {
                    let l = r.next_line()?;
                    ended += usize::from(l.is_none());
                    l
                }
                None => None,
            };
            let n_files = self.files.len() + usize::from(self.docids.is_some());
            if ended > 0 {
                self.done = true;
                if ended < n_files {
                    return Err(self.count_error());
                }
                if self.lines == 0 {
                    return Err(self.count_error());
                }
                self.end_document()?;
                break;
            }
            self.lines += 1;
            let number = self.lines;
            let new_doc = match (&mut self.docids, id_line) {
                (Some((_, ids)), Some(l)) => ids.push(l)?,
                _ => self.doc_count == 0,
            };
            if new_doc {
                if self.doc_count > 0 {
                    self.end_document()?;
                }
                if let Some((_, ids)) = &self.docids {
                    self.doc_id = ids.current().to_string();
                }
                self.doc_count += 1;
                self.doc_start = number;
                self.doc_len = 0;
                if chunk.doc_ids.is_empty() {
                    chunk.doc_first = self.doc_count - 1;
                }
                chunk.doc_ids.push(self.doc_id.clone());
            }
            let pos = self.doc_len;
            self.doc_len += 1;
            self.check_line_lengths(&row, pos, number);
            if self.pending.is_some() || self.doc_too_long() {
                // The document fails when it ends; nothing more to score.
                continue;
            }
            chunk.docs.push(self.doc_count - 1);
            chunk.pos.push(pos);
            chunk.lines.push(number);
            for (r, text) in row.iter_mut().take(self.n_refs).enumerate() {
                chunk.refs[r].push(text.take().unwrap_or_default());
            }
            for (k, &s) in self.picked.iter().enumerate() {
                let text = row.get_mut(self.n_refs + s).and_then(Option::take);
                chunk.hyps[k].push(text.unwrap_or_default());
            }
        }
        Ok((chunk.len() > 0).then_some(chunk))
    }

    fn doc_too_long(&self) -> bool {
        self.docids.is_some() && self.doc_len > self.limits.max_doc_segments
    }

    /// Keeps the first over-long line of the current document in the in-memory order (sides
    /// in order, then lines).
    fn check_line_lengths(&mut self, row: &[Option<String>], pos: usize, number: usize) {
        let limit = self.limits.max_line_bytes;
        let Some(side) = row
            .iter()
            .position(|t| t.as_ref().is_some_and(|t| t.len() > limit))
        else {
            return;
        };
        if self.pending.as_ref().is_some_and(|(p, _)| *p <= side) {
            return;
        }
        let len = row[side].as_ref().map_or(0, String::len);
        let f = &self.files[side];
        let err = line_too_long(
            Location::line(f.reader.path(), number),
            pos,
            &self.doc_id,
            len,
            &f.side,
            self.limits,
        );
        self.pending = Some((side, err));
    }

    /// The checks of a finished document: its length, then its first over-long line.
    fn end_document(&mut self) -> Result<()> {
        if self.doc_too_long() {
            let f = &self.files[0];
            return Err(doc_too_long(
                Location::line(f.reader.path(), self.doc_start),
                &self.doc_id,
                self.doc_len,
                &f.side,
                self.limits,
            ));
        }
        match self.pending.take() {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }

    /// After a file ended before another (or all are empty): reads every file to its end and
    /// returns the error of `read_line_aligned` for the counts: an empty file, else the first
    /// file whose count differs from the first reference's, in its order (references, systems,
    /// source, document ids). Read errors (invalid UTF-8) on the way come first.
    fn count_error(&mut self) -> Error {
        let mut counts = Vec::with_capacity(self.files.len());
        for f in &mut self.files {
            match drain(&mut f.reader) {
                Ok(n) => counts.push(n),
                Err(e) => return e,
            }
        }
        let id_count = match &mut self.docids {
            Some((r, _)) => match drain(r) {
                Ok(n) => Some(n),
                Err(e) => return e,
            },
            None => None,
        };
        let n = counts[0];
        let (refs, rest) = counts.split_at(self.n_refs);
        let (hyps, src) = rest.split_at(self.n_hyps);
        let paths: Vec<PathBuf> = self
            .files
            .iter()
            .map(|f| f.reader.path().to_path_buf())
            .collect();
        let check = || -> Result<()> {
            for (p, &m) in paths.iter().zip(refs) {
                if m == 0 {
                    return Err(empty_file(p, "segment"));
                }
            }
            for (p, &m) in paths.iter().zip(refs).skip(1) {
                same_count(&self.first, n, p, m)?;
            }
            let hyp_paths = &paths[self.n_refs..self.n_refs + self.n_hyps];
            for (p, &m) in hyp_paths.iter().zip(hyps) {
                if m == 0 {
                    return Err(empty_file(p, "segment"));
                }
            }
            for (p, &m) in hyp_paths.iter().zip(hyps) {
                same_count(&self.first, n, p, m)?;
            }
            if let (Some(p), Some(&m)) = (&self.source, src.first()) {
                if m == 0 {
                    return Err(empty_file(p, "segment"));
                }
                same_count(&self.first, n, p, m)?;
            }
            if let (Some((r, _)), Some(m)) = (&self.docids, id_count) {
                if m == 0 {
                    return Err(empty_file(r.path(), "document id"));
                }
                same_count(&self.first, n, r.path(), m)?;
            }
            Ok(())
        };
        match check() {
            Err(e) => e,
            // Not reached: this is only called when counts differ or are zero.
            Ok(()) => Error::mismatch("line-aligned files have different numbers of lines"),
        }
    }
}

/// Reads a file to its end; the number of lines it has in all.
fn drain(r: &mut LineReader) -> Result<usize> {
    while r.next_line()?.is_some() {}
    Ok(r.lines_read())
}

/// Writes `segments.csv`, `documents.csv` and `systems.csv` into a folder as a streaming run
/// goes, the same bytes as [`crate::report::write_csv_reports`] with the same options.
///
/// Rows go to temporary files beside the reports as they come (the first system's straight into
/// the report's temporary file, the others' into one scratch file each, appended in system
/// order at the end); [`CsvSink::finish`] renames them into place. Dropped without `finish`
/// (an error midway), every temporary file is removed and no report is touched.
pub struct CsvSink {
    dir: PathBuf,
    opts: CsvOptions,
    /// Per system: `segments.csv` rows and `documents.csv` rows.
    segments: Vec<csv::Writer<AtomicFile>>,
    documents: Vec<csv::Writer<AtomicFile>>,
    /// Per system: document index of the last segment row and its number in the document.
    last: Vec<(usize, usize)>,
    row: Vec<String>,
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    Error::io(path, std::io::Error::other(e))
}

impl CsvSink {
    /// Creates `dir` and the temporary files for `n_systems` systems, with the headers.
    pub fn create(
        dir: &Path,
        metrics: &[MetricSpec],
        n_systems: usize,
        opts: CsvOptions,
    ) -> Result<CsvSink> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let open = |name: &str, head: &[String]| -> Result<Vec<csv::Writer<AtomicFile>>> {
            let path = dir.join(name);
            (0..n_systems.max(1))
                .map(|s| {
                    let file = if s == 0 {
                        AtomicFile::create(&path)?
                    } else {
                        AtomicFile::create_tagged(&path, &format!("s{s}"))?
                    };
                    let mut w = csv::Writer::from_writer(file);
                    if s == 0 {
                        w.write_record(head).map_err(|e| csv_error(&path, e))?;
                    }
                    Ok(w)
                })
                .collect()
        };
        Ok(CsvSink {
            dir: dir.to_path_buf(),
            segments: open("segments.csv", &segment_header(metrics))?,
            documents: open("documents.csv", &document_header(metrics))?,
            opts,
            last: vec![(usize::MAX, 0); n_systems],
            row: Vec::new(),
        })
    }

    /// Writes `systems.csv` from the run's outcome and puts the three reports in place
    /// (segments, documents, systems, in that order, as the in-memory writer).
    pub fn finish(self, outcome: &StreamOutcome) -> Result<()> {
        for (name, parts) in [
            ("segments.csv", self.segments),
            ("documents.csv", self.documents),
        ] {
            let path = self.dir.join(name);
            let mut files = Vec::with_capacity(parts.len());
            for w in parts {
                files.push(
                    w.into_inner()
                        .map_err(|e| Error::io(&path, e.into_error()))?,
                );
            }
            let mut files = files.into_iter();
            let Some(mut main) = files.next() else {
                continue;
            };
            for part in files {
                part.append_to(&mut main)?;
            }
            main.commit()?;
        }
        write_atomic(&self.dir.join("systems.csv"), |w| {
            write_systems_csv(&outcome.evaluation, &self.opts, w)
        })
    }
}

impl StreamSink for CsvSink {
    fn segment(
        &mut self,
        cx: &StreamContext,
        system: usize,
        doc_id: &str,
        line: usize,
        seg: &SegmentEval,
        stats: SegmentStats<'_>,
    ) -> Result<()> {
        // The numbering of the in-memory writer: 1, 2, ... within a document.
        let Some(last) = self.last.get_mut(system) else {
            return Err(Error::config(format!(
                "no system {system} in this CSV sink"
            )));
        };
        if last.0 != seg.doc {
            *last = (seg.doc, 0);
        }
        last.1 += 1;
        let name = cx.systems.get(system).map_or("", String::as_str);
        segment_row(
            &mut self.row,
            cx.metrics,
            name,
            doc_id,
            last.1,
            Some(line),
            seg,
            stats,
            &self.opts,
        );
        let path = self.dir.join("segments.csv");
        self.segments[system]
            .write_record(&self.row)
            .map_err(|e| csv_error(&path, e))
    }

    fn document(
        &mut self,
        cx: &StreamContext,
        system: usize,
        doc_id: &str,
        doc: &DocumentEval,
    ) -> Result<()> {
        let name = cx.systems.get(system).map_or("", String::as_str);
        document_row(&mut self.row, cx.metrics, name, doc_id, doc, &self.opts);
        let path = self.dir.join("documents.csv");
        match self.documents.get_mut(system) {
            Some(w) => w.write_record(&self.row).map_err(|e| csv_error(&path, e)),
            None => Err(Error::config(format!(
                "no system {system} in this CSV sink"
            ))),
        }
    }
}
