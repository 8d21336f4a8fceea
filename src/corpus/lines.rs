//! Reading text files the way every reader needs it: UTF-8 checked line by line (so an error can
//! name the line), a UTF-8 byte-order mark dropped, CRLF and CR-less last lines accepted.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Location, Result};

/// Whether input files that are symbolic links are read ([`set_follow_symlinks`]).
static FOLLOW_SYMLINKS: AtomicBool = AtomicBool::new(true);

/// Sets, for the whole process, whether input files that are symbolic links are read. On by
/// default in the library (a symlinked file reads like any file, as the Python package's
/// callers expect); the command line turns it off unless `--follow-symlinks` is given, so that
/// a link planted in a corpus (to `/etc/passwd`, say) is an error naming it rather than copied
/// into reports or outputs.
pub fn set_follow_symlinks(on: bool) {
    FOLLOW_SYMLINKS.store(on, Ordering::Relaxed);
}

/// Refuses `path` when it is itself a symbolic link and [`set_follow_symlinks`] is off. Every
/// input file is opened through [`read_text`] or [`LineReader::open`], which call this. O(1).
pub fn check_symlink(path: &Path) -> Result<()> {
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if link && !FOLLOW_SYMLINKS.load(Ordering::Relaxed) {
        return Err(Error::input(
            Location::file(path),
            "a symbolic link; expected a regular file (give --follow-symlinks to read it)",
        ));
    }
    Ok(())
}

/// One line of a text file, with its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub text: String,
}

/// The path that stands for standard input in [`LineReader::open`] (and so in every
/// line-aligned reader): errors name it as they name a file. The CLI turns `-` into it.
/// Standard input can be read once; a real file of this name cannot be read.
pub const STDIN: &str = "<stdin>";

/// Reads a whole file as UTF-8 text, dropping a leading byte-order mark.
/// Invalid UTF-8 is an error naming the file, the line and the byte column. A symbolic link is
/// refused unless followed ([`check_symlink`]).
pub fn read_text(path: &Path) -> Result<String> {
    check_symlink(path)?;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    decode_utf8(path, bytes)
}

/// Reads a file into lines. Line ends `\n` and `\r\n` are removed; a final line without a line
/// end counts; a final line end does not start an empty line (as Python's `readlines`).
/// The lines of [`LineReader`], collected.
pub fn read_lines(path: &Path) -> Result<Vec<Line>> {
    LineReader::open(path)?.collect()
}

/// UTF-8 byte-order mark, dropped at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Capacity of the read buffer of [`LineReader::open`] (the standard library's default is 8 KiB;
/// larger reads cost fewer system calls on big corpora). Ours.
const READ_BUFFER_BYTES: usize = 1 << 16;

/// Reads a text file one line at a time with the checks and conventions of [`read_lines`]
/// (the one implementation of them: [`read_lines`] collects it): a leading byte-order mark is
/// dropped, `\n` and `\r\n` ends are removed, a final line without a line end counts, and
/// invalid UTF-8 is an error naming the file, the line and the byte column.
///
/// Memory: one line at a time (plus the read buffer); O(line length) per line.
pub struct LineReader<R = BufReader<Box<dyn Read + Send>>> {
    path: PathBuf,
    reader: R,
    /// Lines returned so far (the number of the last one).
    number: usize,
    buf: Vec<u8>,
    /// After an error or the end: nothing more is returned.
    done: bool,
}

impl LineReader<BufReader<Box<dyn Read + Send>>> {
    /// Opens `path` ([`STDIN`]: standard input); an error names it. A symbolic link is refused
    /// unless followed ([`check_symlink`]).
    pub fn open(path: &Path) -> Result<Self> {
        let source: Box<dyn Read + Send> = if path == Path::new(STDIN) {
            Box::new(std::io::stdin())
        } else {
            check_symlink(path)?;
            Box::new(File::open(path).map_err(|e| Error::io(path, e))?)
        };
        Ok(LineReader::new(
            path,
            BufReader::with_capacity(READ_BUFFER_BYTES, source),
        ))
    }
}

impl<R: BufRead> LineReader<R> {
    /// Reads lines from `reader`; `path` names the source in errors.
    pub fn new(path: &Path, reader: R) -> Self {
        LineReader {
            path: path.to_path_buf(),
            reader,
            number: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of lines returned so far.
    pub fn lines_read(&self) -> usize {
        self.number
    }

    /// The next line, `None` at the end of the file. After an error, `None`.
    pub fn next_line(&mut self) -> Result<Option<Line>> {
        if self.done {
            return Ok(None);
        }
        let r = self.read_one();
        if !matches!(r, Ok(Some(_))) {
            self.done = true;
        }
        r
    }

    fn read_one(&mut self) -> Result<Option<Line>> {
        self.buf.clear();
        let n = self
            .reader
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| Error::io(&self.path, e))?;
        if n == 0 {
            return Ok(None);
        }
        let mut bytes = &self.buf[..];
        if self.number == 0 && bytes.starts_with(BOM) {
            bytes = &bytes[BOM.len()..];
            // A file holding only a byte-order mark is empty, as in `read_text`.
            if bytes.is_empty() {
                return Ok(None);
            }
        }
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        self.number += 1;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Some(Line {
                number: self.number,
                text: s.to_string(),
            })),
            Err(e) => {
                let at = e.valid_up_to();
                Err(utf8_error(&self.path, self.number, at + 1, bytes[at]))
            }
        }
    }
}

impl<R: BufRead> Iterator for LineReader<R> {
    type Item = Result<Line>;

    fn next(&mut self) -> Option<Result<Line>> {
        self.next_line().transpose()
    }
}

/// The error for invalid UTF-8 at `line`, byte `column` (1-based), first bad byte `byte`.
fn utf8_error(path: &Path, line: usize, column: usize, byte: u8) -> Error {
    Error::input(
        Location::line(path, line).with_column(column),
        format!("invalid UTF-8 (byte 0x{byte:02X}); expected UTF-8 text"),
    )
}

fn decode_utf8(path: &Path, mut bytes: Vec<u8>) -> Result<String> {
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            Err(utf8_error(path, line, at - line_start + 1, bytes[at]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(bytes: &[u8]) -> Result<Vec<String>> {
        LineReader::new(Path::new("t"), bytes)
            .map(|l| l.map(|l| l.text))
            .collect()
    }

    #[test]
    fn line_reader_handles_crlf_bom_and_final_newline() {
        assert_eq!(lines_of(b"a\r\nb\nc\n").unwrap(), ["a", "b", "c"]);
        assert_eq!(lines_of(b"a\n\nb").unwrap(), ["a", "", "b"]);
        assert_eq!(lines_of(b"a\r").unwrap(), ["a"]);
        assert!(lines_of(b"").unwrap().is_empty());
        assert_eq!(lines_of(b"\n").unwrap(), [""]);
        assert!(lines_of(b"\xEF\xBB\xBF").unwrap().is_empty());
        assert_eq!(lines_of(b"\xEF\xBB\xBF\n").unwrap(), [""]);
        assert_eq!(lines_of(b"\xEF\xBB\xBFx\ny").unwrap(), ["x", "y"]);
        // a BOM anywhere else is text
        assert_eq!(lines_of(b"x\n\xEF\xBB\xBFy").unwrap(), ["x", "\u{feff}y"]);
    }

    /// The line reader and the whole-file decoder report invalid UTF-8 at the same place.
    #[test]
    fn utf8_errors_agree_with_read_text() {
        for bytes in [
            &b"ok\nab\xFFc\n"[..],
            b"\xEF\xBB\xBFa\xC3",
            b"\xEF\xBB\xBFa\xC3\n",
            b"x\r\n\xE2\x82\n",
            b"\xE2\nz",
        ] {
            let a = lines_of(bytes).unwrap_err().to_string();
            let b = decode_utf8(Path::new("t"), bytes.to_vec())
                .unwrap_err()
                .to_string();
            assert_eq!(a, b, "{bytes:?}");
        }
    }

    #[test]
    fn the_library_reads_symlinked_files_by_default() {
        // The command line refuses them unless --follow-symlinks (tests/hostile.rs, f23); the
        // library's default is to read them. No test of this crate turns the switch off.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.txt");
        std::fs::write(&target, "one\n").unwrap();
        let link = dir.path().join("l.txt");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(read_text(&link).unwrap(), "one\n");
    }
}
