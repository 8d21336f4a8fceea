//! Reports: CSV (segments, documents, systems), JSON, HTML and the terminal table.
//!
//! Every file is written to a temporary file in the target folder and renamed into place when
//! complete, so an interrupted run leaves the old report or the new one, never half of one.
//!
//! Text cells of every CSV report (names, ids, texts, contexts) go through [`csv_text`], which
//! neutralises spreadsheet formulas unless [`CsvOptions::escape`] is off; numbers are written as
//! they are.
//!
//! # Example
//!
//! ```
//! use mtharness::corpus::{load, LoadSpec};
//! use mtharness::eval::{evaluate, EvalOptions};
//! use mtharness::metrics::{build_metrics, MetricOptions};
//! use mtharness::report::{format_table, json_string, write_csv_reports, CsvOptions, TableOptions};
//!
//! let corpus = load(&LoadSpec { input: Some("corpora/sample".into()), ..LoadSpec::default() })?;
//! let ev = evaluate(corpus, build_metrics(&["bleu".into()], &MetricOptions::default())?,
//!                   &EvalOptions::default())?;
//! let dir = std::env::temp_dir().join(format!("mtharness-doc-report-{}", std::process::id()));
//! write_csv_reports(&ev, &dir, &CsvOptions::default())?;
//! for file in ["segments.csv", "documents.csv", "systems.csv", "alignments.csv"] {
//!     assert!(dir.join(file).is_file());
//! }
//! assert!(json_string(&ev)?.contains("\"BLEU\""));
//! assert!(format_table(&ev, &TableOptions::default()).contains("seed-mt"));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), mtharness::Error>(())
//! ```

mod align;
mod csv;
mod html;
mod json;
mod pages;
mod table;
mod terms;

pub use self::align::{
    alignment_summary, format_alignment_table, write_alignments_csv,
    write_evaluation_alignments_csv, AlignmentSummary,
};
pub(crate) use self::csv::{document_header, document_row, segment_header, segment_row};
pub use self::csv::{write_csv_reports, write_systems_csv, CsvOptions};
pub use self::html::{escape, render_html, write_html};
pub use self::json::{json_report, json_string, write_json};
pub use self::pages::{
    render_compare_html, render_rules_html, write_compare_html, write_rules_html,
};
pub use self::table::{format_table, TableOptions};
pub use self::terms::{format_terms_table, write_terms_csv};

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection":
/// `=`, `+`, `-`, `@`, tab, carriage return).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell of a CSV report: when `escape` is on ([`CsvOptions::escape`], the default) and
/// `s` begins with a character in `FORMULA_STARTS`, `s` with a `'` in front, so that a
/// spreadsheet shows it as text instead of running it; else `s` itself (no copy). Only for
/// text: numbers such as a negative gain `-0.51` must be written without it. O(1) unless a
/// copy is made.
pub fn csv_text(s: &str, escape: bool) -> Cow<'_, str> {
    if escape && s.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The inverse of [`csv_text`] for files mtharness wrote and reads back (a `rules.csv` given as
/// `--baseline`): `'` followed by a formula start loses the `'`; anything else is kept. A cell
/// written with `--no-csv-escape` that itself began with `'=` (or `'+`, ...) is misread; no real
/// name does. O(1).
pub fn csv_text_unescape(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => s,
    }
}

/// [`csv_text`] as an owned `String`, for rows built as `Vec<String>`.
pub fn csv_string(s: &str, escape: bool) -> String {
    csv_text(s, escape).into_owned()
}

/// Writes a file atomically: `fill` writes into a temporary file beside `path`, which is
/// flushed, synced and renamed to `path` only when `fill` succeeds. On error the temporary file
/// is removed and `path` is untouched.
pub fn write_atomic<F>(path: &Path, fill: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> std::io::Result<()>,
{
    let mut file = AtomicFile::create(path)?;
    fill(&mut file).map_err(|e| Error::io(path, e))?;
    file.commit()
}

/// A report file being written in several steps (the streaming path, [`crate::stream`]): a
/// temporary file `.NAME.PID.tmp` beside `path`, renamed to `path` by [`AtomicFile::commit`].
/// Dropped without a commit (an error midway), the temporary file is removed and `path` is
/// untouched. [`write_atomic`] is the one-step form.
pub(crate) struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    writer: BufWriter<File>,
}

/// Write buffer of report files.
const REPORT_BUFFER_BYTES: usize = 1 << 16;

impl AtomicFile {
    /// Creates the temporary file for `path`.
    pub(crate) fn create(path: &Path) -> Result<AtomicFile> {
        AtomicFile::create_tagged(path, "")
    }

    /// Creates a temporary file `.NAME.PID.TAG.tmp` beside `path` (a scratch part that is
    /// appended to another with [`AtomicFile::append_to`], never committed itself).
    pub(crate) fn create_tagged(path: &Path, tag: &str) -> Result<AtomicFile> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| Error::config(format!("{}: not a file name", path.display())))?
            .to_string_lossy()
            .to_string();
        let tag = if tag.is_empty() {
            String::new()
        } else {
            format!(".{tag}")
        };
        let tmp = dir.join(format!(".{name}.{}{tag}.tmp", std::process::id()));
        let file = File::create(&tmp).map_err(|e| Error::io(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            writer: BufWriter::with_capacity(REPORT_BUFFER_BYTES, file),
        })
    }

    /// Flushes, syncs and renames the temporary file to the final path.
    pub(crate) fn commit(mut self) -> Result<()> {
        let result = (|| -> std::io::Result<()> {
            self.writer.flush()?;
            self.writer.get_ref().sync_all()?;
            std::fs::rename(&self.tmp, &self.path)
        })();
        // After the rename, Drop finds no temporary file to remove.
        result.map_err(|e| Error::io(&self.path, e))
    }

    /// Copies everything written so far to `dst`; the temporary file is removed afterwards.
    pub(crate) fn append_to(mut self, dst: &mut dyn Write) -> Result<()> {
        let result = (|| -> std::io::Result<()> {
            self.writer.flush()?;
            let mut src = File::open(&self.tmp)?;
            std::io::copy(&mut src, dst)?;
            Ok(())
        })();
        result.map_err(|e| Error::io(&self.path, e))
    }
}

/// Writes go to the temporary file (buffered).
impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Formats a statistic: integers without a fraction, other values in Rust's shortest
/// round-trip form (deterministic, exact).
pub fn fmt_stat(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Formats a score with a fixed number of decimals; NaN and infinities as `nan`, `inf`.
pub fn fmt_score(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        let s = format!("{x:.decimals$}");
        // "-0.0000" is noise from rounding a tiny negative value.
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        }
    } else {
        format!("{x}").to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_file_on_error() {
        let dir = std::env::temp_dir().join(format!("mth-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.csv");
        std::fs::write(&p, "old").unwrap();
        let r = write_atomic(&p, |w| {
            w.write_all(b"partial")?;
            Err(std::io::Error::other("interrupted"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "temp file left behind"
        );
        write_atomic(&p, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for bad in [
            "=HYPERLINK(\"x\")",
            "+1 cmd",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(csv_text(bad, true), format!("'{bad}"));
            assert_eq!(csv_text(bad, false), bad);
        }
        for ok in ["", "system-A", "a=b", "'quoted", "1.5"] {
            assert!(matches!(csv_text(ok, true), Cow::Borrowed(_)));
            assert_eq!(csv_text_unescape(&csv_text(ok, true)), ok);
        }
        for bad in ["=x", "-y", "+1 cmd"] {
            assert_eq!(csv_text_unescape(&csv_text(bad, true)), bad);
        }
    }

    #[test]
    fn number_formats() {
        assert_eq!(fmt_stat(12.0), "12");
        assert_eq!(fmt_stat(12.5), "12.5");
        assert_eq!(fmt_score(-0.00001, 4), "0.0000");
        assert_eq!(fmt_score(33.33333, 2), "33.33");
        assert_eq!(fmt_score(f64::NAN, 2), "nan");
    }
}
