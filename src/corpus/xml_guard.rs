//! The checks every XML reader (WMT test sets, TBX glossaries) runs on its input before
//! roxmltree parses it.
//!
//! roxmltree 0.20 recurses once per open element (roxmltree#154), so a small file nested a few
//! hundred thousand levels deep would abort the process with a stack overflow; and its
//! duplicate-attribute check compares every attribute of an element with every other, so one
//! element with 400,000 attributes takes minutes. [`check_shape`] scans the bytes once and
//! refuses both before the parser sees them. Entity declarations, and so their expansion
//! (a 100 KB entity referenced 1,000 times), are refused: the WMT reader parses with
//! roxmltree's default `allow_dtd: false`, and the TBX reader, whose TBX 2008 files carry an
//! external `<!DOCTYPE martif SYSTEM ...>`, refuses any DOCTYPE with an internal subset
//! ([`internal_subset`]) before parsing; [`dtd_position`] points the errors at the `<!DOCTYPE`.

use std::path::Path;

use crate::error::{Error, Location, Result};

/// Deepest element nesting accepted. WMT test sets nest 6 deep
/// (`dataset/collection/doc/src/p/seg`), TBX files about 8 (`tbx/text/body/conceptEntry/
/// langSec/termSec/term` plus inline markup); the bound keeps roxmltree's recursive descent
/// (one stack frame per level) far from the stack limit of any thread.
pub const MAX_XML_DEPTH: usize = 256;

/// Most attributes on one element. WMT and TBX elements carry at most a handful; the bound
/// keeps roxmltree's quadratic duplicate-attribute check negligible.
pub const MAX_XML_ATTRIBUTES: usize = 256;

/// Refuses input whose elements nest deeper than [`MAX_XML_DEPTH`] or carry more than
/// [`MAX_XML_ATTRIBUTES`] attributes, before roxmltree sees it; `expected` says what the file
/// should have been ("a TBX glossary"). A byte scan that counts open elements as the tokenizer
/// does: comments, CDATA sections and processing instructions are skipped, `>` inside quoted
/// attribute values does not end a tag, `<x/>` does not open; attributes are the `=` outside
/// quotes of a start tag. It stops (leaving the verdict to the parser) at anything the parser
/// rejects before nesting deeper: a DTD, an unterminated construct. Errors name the file, line
/// and column. O(n) time, O(1) memory.
pub(crate) fn check_shape(path: &Path, text: &str, expected: &str) -> Result<()> {
    let b = text.as_bytes();
    let find = |from: usize, pat: &[u8]| {
        b.get(from..)
            .and_then(|t| memchr::memmem::find(t, pat))
            .map(|p| from + p + pat.len())
    };
    let refuse = |at: usize, what: String| {
        let (line, col) = end_pos(&text[..at]);
        Err(Error::input(
            Location::line(path, line).with_column(col),
            format!("{what}; expected {expected}"),
        ))
    };
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(off) = b.get(i..).and_then(|t| memchr::memchr(b'<', t)) {
        let at = i + off;
        let rest = &b[at..];
        let next = if rest.starts_with(b"<!--") {
            find(at + 4, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            find(at + 9, b"]]>")
        } else if rest.starts_with(b"<!") {
            None // a DTD (refused by the parser) or malformed
        } else if rest.starts_with(b"<?") {
            find(at + 2, b"?>")
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            find(at + 2, b">")
        } else {
            // A start tag: find its `>` outside quoted attribute values, counting attributes.
            let mut quote = None;
            let mut end = None;
            let mut attributes = 0usize;
            for (j, &c) in rest.iter().enumerate().skip(1) {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == b'"' || c == b'\'' => quote = Some(c),
                    None if c == b'=' => {
                        attributes += 1;
                        if attributes > MAX_XML_ATTRIBUTES {
                            return refuse(
                                at,
                                format!(
                                    "an element with more than {MAX_XML_ATTRIBUTES} attributes"
                                ),
                            );
                        }
                    }
                    None if c == b'>' => {
                        end = Some(j);
                        break;
                    }
                    None => {}
                }
            }
            end.map(|j| {
                if rest[j - 1] != b'/' {
                    depth += 1;
                }
                at + j + 1
            })
        };
        if depth > MAX_XML_DEPTH {
            return refuse(
                at,
                format!("elements nested more than {MAX_XML_DEPTH} deep"),
            );
        }
        match next {
            Some(n) => i = n,
            None => return Ok(()),
        }
    }
    Ok(())
}

/// Where the document type declaration starts when it has an internal subset
/// (`<!DOCTYPE x [ ... ]>`, where entities are declared), else `None` (no DOCTYPE, or only an
/// external one such as TBX 2008's `<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">`, which
/// roxmltree never fetches). O(length of the declaration).
pub(crate) fn internal_subset(text: &str) -> Option<usize> {
    let at = memchr::memmem::find(text.as_bytes(), b"<!DOCTYPE")?;
    let mut quote = None;
    for &c in &text.as_bytes()[at..] {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'[' => return Some(at),
            None if c == b'>' => return None,
            None => {}
        }
    }
    Some(at) // unterminated: refused as well
}

/// 1-based (line, column of the `<`) of the document type declaration roxmltree refused
/// (it reports `DtdDetected` at 1:1).
pub(crate) fn dtd_position(text: &str) -> (usize, usize) {
    text.find("<!DOCTYPE")
        .map_or((1, 1), |at| end_pos(&text[..at]))
}

/// 1-based (line, column in characters) just after `text`.
pub(crate) fn end_pos(text: &str) -> (usize, usize) {
    let line = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let last = text.rsplit('\n').next().unwrap_or("");
    (line, last.chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(xml: &str) -> Result<()> {
        check_shape(Path::new("t.xml"), xml, "a test file")
    }

    #[test]
    fn many_attributes_are_refused_and_quoted_equals_signs_are_not_attributes() {
        let attrs = |n: usize| (0..n).map(|k| format!(" a{k}='='")).collect::<String>();
        check(&format!("<r{}/>", attrs(MAX_XML_ATTRIBUTES))).unwrap();
        let e = check(&format!("<r>\n <e{}/></r>", attrs(MAX_XML_ATTRIBUTES + 1)))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "t.xml:2:2: an element with more than 256 attributes; expected a test file"
            ),
            "{e}"
        );
    }

    #[test]
    fn internal_subsets_are_found_external_ones_are_not() {
        assert_eq!(internal_subset("<x/>"), None);
        assert_eq!(
            internal_subset("<!DOCTYPE martif SYSTEM \"a[b].dtd\">\n<martif/>"),
            None
        );
        assert_eq!(
            internal_subset("\n<!DOCTYPE t [<!ENTITY e \"x\">]><t/>"),
            Some(1)
        );
    }

    #[test]
    fn dtd_position_points_at_the_doctype() {
        assert_eq!(dtd_position("<?xml?>\n  <!DOCTYPE x>"), (2, 3));
        assert_eq!(dtd_position("<x/>"), (1, 1));
    }
}
