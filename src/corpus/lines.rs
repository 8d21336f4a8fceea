//! Reading text files the way every reader needs it: UTF-8 checked line by line (so an error can
//! name the line), a UTF-8 byte-order mark dropped, CRLF and CR-less last lines accepted.

use std::path::Path;

use crate::error::{Error, Location, Result};

/// One line of a text file, with its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub text: String,
}

/// Reads a whole file as UTF-8 text, dropping a leading byte-order mark.
/// Invalid UTF-8 is an error naming the file, the line and the byte column.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    decode_utf8(path, bytes)
}

/// Reads a file into lines. Line ends `\n` and `\r\n` are removed; a final line without a line
/// end counts; a final line end does not start an empty line (as Python's `readlines`).
pub fn read_lines(path: &Path) -> Result<Vec<Line>> {
    let text = read_text(path)?;
    Ok(split_lines(&text)
        .enumerate()
        .map(|(i, t)| Line {
            number: i + 1,
            text: t.to_string(),
        })
        .collect())
}

/// Splits text into lines without their `\n` / `\r\n` ends.
pub(crate) fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let empty = text.is_empty();
    body.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .take(if empty { 0 } else { usize::MAX })
}

fn decode_utf8(path: &Path, mut bytes: Vec<u8>) -> Result<String> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
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
            let col = at - line_start + 1;
            Err(Error::input(
                Location::line(path, line).with_column(col),
                format!(
                    "invalid UTF-8 (byte 0x{:02X}); expected UTF-8 text",
                    bytes[at]
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_lines_handles_crlf_and_final_newline() {
        let v: Vec<_> = split_lines("a\r\nb\nc\n").collect();
        assert_eq!(v, ["a", "b", "c"]);
        let v: Vec<_> = split_lines("a\n\nb").collect();
        assert_eq!(v, ["a", "", "b"]);
        assert_eq!(split_lines("").count(), 0);
        let v: Vec<_> = split_lines("\n").collect();
        assert_eq!(v, [""]);
    }
}
