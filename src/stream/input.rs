//! The input side of streaming: the line-aligned files read in lockstep, one chunk at a time,
//! with the checks of the in-memory reader as it goes (line counts, empty files, document ids,
//! over-long lines and documents), so that errors come out as [`crate::corpus::load`] words
//! them.

use std::path::PathBuf;

use super::Chunk;
use crate::corpus::{
    doc_too_long, empty_file, line_too_long, same_count, DocIds, Limits, LineReader, LoadSpec,
};
use crate::error::{Error, Location, Result};

/// One input file and what its lines are.
struct Source {
    reader: LineReader,
    /// `reference A`, `system S`, `source` (as the size-limit errors name sides).
    side: String,
}

/// The open files, read in lockstep, with the state of the checks.
pub(super) struct Inputs {
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
    pub(super) lines: usize,
    /// Documents started so far.
    pub(super) doc_count: usize,
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
    pub(super) fn open(
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
    pub(super) fn read_chunk(&mut self, max: usize) -> Result<Option<Chunk>> {
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
