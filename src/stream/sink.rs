//! Where streamed results go: the [`StreamSink`] trait the scorer calls, segment rows then
//! document sums in input order, and its two implementations, [`NullSink`] (keeps nothing) and
//! [`CsvSink`] (the three CSV reports, written as the run goes).

use std::path::{Path, PathBuf};

use super::StreamOutcome;
use crate::error::{Error, Result};
use crate::eval::{DocumentEval, SegmentEval, SegmentStats};
use crate::metrics::MetricSpec;
use crate::report::{
    document_header, document_row, segment_header, segment_row, write_atomic, write_systems_csv,
    AtomicFile, CsvOptions,
};

/// What a sink needs to format rows.
pub struct StreamContext<'a> {
    pub metrics: &'a [MetricSpec],
    /// Names of the scored systems (index `system` of the sink calls).
    pub systems: &'a [String],
}

/// One scored segment pair of a system, as a sink receives it.
pub struct StreamSegment<'a> {
    /// Index of the system (in [`StreamContext::systems`]).
    pub system: usize,
    /// Id of its document.
    pub doc_id: &'a str,
    /// Its reference line (1-based).
    pub line: usize,
    /// The pair: `seg.doc` is the document's index, `seg.pair` its position in the document.
    pub seg: &'a SegmentEval,
    /// Its statistics.
    pub stats: SegmentStats<'a>,
}

/// A finished document of a system: its summed statistics.
pub struct StreamDocument<'a> {
    /// Index of the system (in [`StreamContext::systems`]).
    pub system: usize,
    /// Id of the document.
    pub doc_id: &'a str,
    /// Its sums.
    pub doc: &'a DocumentEval,
}

/// Receives results as they are computed. For each system, `segment` is called for every pair
/// in input order, and `document` once a document's last pair was given (documents in input
/// order). Calls of different systems interleave chunk by chunk. An error stops the run. Both
/// methods keep nothing by default.
pub trait StreamSink {
    /// A scored segment pair.
    fn segment(&mut self, _cx: &StreamContext, _row: &StreamSegment) -> Result<()> {
        Ok(())
    }

    /// A finished document.
    fn document(&mut self, _cx: &StreamContext, _row: &StreamDocument) -> Result<()> {
        Ok(())
    }
}

/// A sink that keeps nothing (to time scoring, or when only system scores are wanted).
#[derive(Debug, Clone, Copy, Default)]
pub struct NullSink;

impl StreamSink for NullSink {}

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
                        AtomicFile::create_temp(&path)?
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
    fn segment(&mut self, cx: &StreamContext, row: &StreamSegment) -> Result<()> {
        let &StreamSegment {
            system,
            doc_id,
            line,
            seg,
            stats,
        } = row;
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

    fn document(&mut self, cx: &StreamContext, row: &StreamDocument) -> Result<()> {
        let &StreamDocument {
            system,
            doc_id,
            doc,
        } = row;
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
