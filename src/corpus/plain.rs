//! Line-aligned text files, the sacreBLEU convention: line `i` of every reference file and of
//! every system output file is the same segment.
//!
//! # Whitespace policy
//!
//! A segment is its line with only the line end removed (`\n` or `\r\n`; see
//! [`read_lines`](super::read_lines)); a UTF-8 byte-order mark at the start of a file is
//! dropped. Nothing else is stripped: the text is kept exactly as the oracle
//! (`../shared/oracle/make_oracle.py`, `l.rstrip("\n")`) handed it to the sacreBLEU API.
//! The metrics strip what sacreBLEU strips: `BLEU` and `TER` call `sent.rstrip()` in
//! `_preprocess_segment`, and chrF drops all whitespace.
//!
//! How this compares with the reference readers (sacreBLEU 2.6.0, read from its source):
//! - the sacreBLEU CLI opens files with `newline="\n"` (`utils.smart_open`) and then calls
//!   `line.rstrip()`, which removes *all* trailing Unicode whitespace (`str.isspace`: space,
//!   tab, `\r`, `\x0b`, `\x0c`, `\x1c`-`\x1f`, `\x85`, no-break space, ...). For BLEU and TER
//!   that gives the same numbers as ours (they rstrip again); a lone `\r` inside a line stays
//!   in the line there as here.
//! - `make_oracle.py` opens files in Python's universal-newline mode, where a lone `\r` also
//!   ends a line. We do not split on a lone `\r` (nor does the sacreBLEU CLI); the shared WMT
//!   files hold no `\r` at all, so the two agree on them.
//! - Python's `utf-8` codec keeps a byte-order mark as U+FEFF in the first line; we drop it.

use std::path::{Path, PathBuf};

use super::{read_lines, ref_name, Corpus, Document, Line};
use crate::error::{Error, Location, Result};

/// Options of [`read_line_aligned`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineAlignedOptions {
    /// A file with one document id a line, line-aligned with the references (as WMT's
    /// `docids`). Consecutive lines with the same id form a document; an id that comes back
    /// after another document started is an error (documents must be contiguous).
    /// Without it the whole file is one document, named after the corpus.
    pub docids: Option<PathBuf>,
    /// The source file, line-aligned with the references.
    pub source: Option<PathBuf>,
    /// The corpus name. Default: the name of the folder holding the first reference file
    /// (`wmt22-ru-en` for `.../wmt22-ru-en/ref.A.en`), else `corpus`.
    pub name: Option<String>,
}

/// Reads line-aligned reference and system output files into one corpus.
///
/// Names: a system file `hyp.SYSTEM.LANG` is named `SYSTEM`, any other by its file stem;
/// two systems with the same name are an error. References are named `X` when every reference
/// file is `ref.X.LANG` (distinct `X`), else `A`, `B`, ... in the order given.
///
/// Errors (never a panic): a file that cannot be read, is not UTF-8 (file, line and byte
/// column), or is empty; a file whose line count differs from the first reference's (both
/// files and both counts named); a blank or non-contiguous document id (file and line).
///
/// `Document::lines` holds the 1-based line numbers. O(total bytes) time; each line is
/// allocated once and moved, never copied.
pub fn read_line_aligned(
    refs: &[PathBuf],
    hyps: &[PathBuf],
    opts: &LineAlignedOptions,
) -> Result<Corpus> {
    if refs.is_empty() {
        return Err(Error::config("expected at least one reference file"));
    }
    if hyps.is_empty() {
        return Err(Error::config("expected at least one system output file"));
    }
    let first = &refs[0];
    let ref_texts = refs
        .iter()
        .map(|p| read_segments(p))
        .collect::<Result<Vec<_>>>()?;
    let n = ref_texts[0].len();
    for (p, t) in refs.iter().zip(&ref_texts).skip(1) {
        same_count(first, n, p, t.len())?;
    }
    let hyp_texts = hyps
        .iter()
        .map(|p| read_segments(p))
        .collect::<Result<Vec<_>>>()?;
    for (p, t) in hyps.iter().zip(&hyp_texts) {
        same_count(first, n, p, t.len())?;
    }
    let source = match &opts.source {
        Some(p) => {
            let t = read_segments(p)?;
            same_count(first, n, p, t.len())?;
            Some(t)
        }
        None => None,
    };

    let name = opts.name.clone().unwrap_or_else(|| corpus_name(first));
    let spans = match &opts.docids {
        Some(p) => doc_spans(p, first, n)?,
        None => vec![(name.clone(), n)],
    };

    let ref_names = ref_names(refs);
    let system_names = system_names(hyps)?;

    let mut ref_iters: Vec<_> = ref_texts.into_iter().map(Vec::into_iter).collect();
    let mut hyp_iters: Vec<_> = hyp_texts.into_iter().map(Vec::into_iter).collect();
    let mut src_iter = source.map(Vec::into_iter);
    let mut documents = Vec::with_capacity(spans.len());
    let mut start = 0;
    for (id, len) in spans {
        documents.push(Document {
            id,
            source: src_iter.as_mut().map(|it| it.by_ref().take(len).collect()),
            refs: ref_iters
                .iter_mut()
                .map(|it| it.by_ref().take(len).collect())
                .collect(),
            hyps: hyp_iters
                .iter_mut()
                .map(|it| it.by_ref().take(len).collect())
                .collect(),
            lines: (start + 1..=start + len).collect(),
        });
        start += len;
    }
    Ok(Corpus {
        name,
        ref_names,
        system_names,
        documents,
    })
}

/// The file's lines (line ends removed); an empty file is an error naming it.
fn read_segments(path: &Path) -> Result<Vec<String>> {
    let lines = read_lines(path)?;
    if lines.is_empty() {
        return Err(empty_file(path, "segment"));
    }
    Ok(lines.into_iter().map(|l| l.text).collect())
}

/// The error for a file without lines; `what` is what a line holds (`segment`, `document id`).
pub(crate) fn empty_file(path: &Path, what: &str) -> Error {
    Error::input(
        Location::file(path),
        format!("file is empty; expected one {what} a line"),
    )
}

/// `Ok` when `other` has as many lines (`m`) as `first` (`n`), else the mismatch error naming
/// both files and both counts.
pub(crate) fn same_count(first: &Path, n: usize, other: &Path, m: usize) -> Result<()> {
    if n == m {
        return Ok(());
    }
    Err(Error::mismatch(format!(
        "{} has {m} lines but {} has {n}; expected line-aligned files with the same number of lines",
        other.display(),
        first.display()
    )))
}

/// Splits `n` lines into contiguous documents from a docids file: `(id, number of lines)`.
fn doc_spans(path: &Path, first: &Path, n: usize) -> Result<Vec<(String, usize)>> {
    let lines = read_lines(path)?;
    if lines.is_empty() {
        return Err(empty_file(path, "document id"));
    }
    same_count(first, n, path, lines.len())?;
    let mut spans: Vec<(String, usize)> = Vec::new();
    let mut ids = DocIds::new(path);
    for line in lines {
        if ids.push(line)? {
            spans.push((ids.current().to_string(), 1));
        } else if let Some(last) = spans.last_mut() {
            last.1 += 1;
        }
    }
    Ok(spans)
}

/// Checks document ids line by line: consecutive lines with the same id form a document; a
/// blank id, or an id that comes back after another document started, is an error naming the
/// file and line. Memory: every distinct id once (to find ids that come back).
pub(crate) struct DocIds {
    path: PathBuf,
    /// The first line of each document so far.
    seen: std::collections::HashMap<String, usize>,
    current: String,
}

impl DocIds {
    pub(crate) fn new(path: &Path) -> DocIds {
        DocIds {
            path: path.to_path_buf(),
            seen: std::collections::HashMap::new(),
            current: String::new(),
        }
    }

    /// The id of the current (last started) document; empty before the first line.
    pub(crate) fn current(&self) -> &str {
        &self.current
    }

    /// Takes the next line; `Ok(true)` when it starts a new document. O(id length).
    pub(crate) fn push(&mut self, line: Line) -> Result<bool> {
        let id = line.text;
        if id.trim().is_empty() {
            return Err(Error::input(
                Location::line(&self.path, line.number),
                "blank line; expected a document id",
            ));
        }
        if !self.seen.is_empty() && self.current == id {
            return Ok(false);
        }
        if let Some(&at) = self.seen.get(&id) {
            return Err(Error::input(
                Location::line(&self.path, line.number).with_document(id.clone()),
                format!(
                    "document {id} started at line {at} and was interrupted by another \
                     document; expected the lines of a document to be consecutive"
                ),
            ));
        }
        self.seen.insert(id.clone(), line.number);
        self.current = id;
        Ok(true)
    }
}

pub(crate) fn corpus_name(first_ref: &Path) -> String {
    std::fs::canonicalize(first_ref)
        .ok()
        .and_then(|p| p.parent().and_then(Path::file_name).map(|s| s.to_owned()))
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "corpus".to_string())
}

/// `PREFIX.NAME.EXT` -> `NAME` (NAME non-empty, may hold dots).
fn infix_name(path: &Path, prefix: &str) -> Option<String> {
    let file = path.file_name()?.to_str()?;
    let rest = file.strip_prefix(prefix)?.strip_prefix('.')?;
    let (name, _ext) = rest.rsplit_once('.')?;
    (!name.is_empty()).then(|| name.to_string())
}

pub(crate) fn ref_names(refs: &[PathBuf]) -> Vec<String> {
    let named: Option<Vec<String>> = refs.iter().map(|p| infix_name(p, "ref")).collect();
    match named {
        Some(names)
            if names
                .iter()
                .enumerate()
                .all(|(i, n)| !names[..i].contains(n)) =>
        {
            names
        }
        _ => (0..refs.len()).map(ref_name).collect(),
    }
}

pub(crate) fn system_names(hyps: &[PathBuf]) -> Result<Vec<String>> {
    let mut names: Vec<String> = Vec::with_capacity(hyps.len());
    for (i, p) in hyps.iter().enumerate() {
        let name = infix_name(p, "hyp")
            .or_else(|| (p == Path::new(super::STDIN)).then(|| "stdin".to_string()))
            .or_else(|| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_default();
        if name.is_empty() {
            return Err(Error::config(format!(
                "{}: cannot name a system after this path; expected a file name",
                p.display()
            )));
        }
        if let Some(j) = names.iter().position(|n| *n == name) {
            return Err(Error::config(format!(
                "{} and {} both name a system {name:?}; expected distinct file names \
                 (hyp.SYSTEM.LANG or SYSTEM.txt)",
                hyps[j].display(),
                hyps[i].display()
            )));
        }
        names.push(name);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_file_names() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            infix_name(&p("/x/hyp.Online-B.en"), "hyp").as_deref(),
            Some("Online-B")
        );
        assert_eq!(infix_name(&p("hyp.a.b.en"), "hyp").as_deref(), Some("a.b"));
        assert_eq!(infix_name(&p("hyp.en"), "hyp"), None);
        assert_eq!(infix_name(&p("hypothesis.x.en"), "hyp"), None);
        assert_eq!(
            system_names(&[p("a/out.txt"), p("hyp.S.en")]).unwrap(),
            ["out", "S"]
        );
        assert!(system_names(&[p("a/out.txt"), p("b/out.txt")]).is_err());
        assert_eq!(ref_names(&[p("ref.A.en"), p("ref.X.en")]), ["A", "X"]);
        assert_eq!(ref_names(&[p("ref.A.en"), p("other.en")]), ["A", "B"]);
        assert_eq!(ref_names(&[p("ref.B.en"), p("ref.B.de")]), ["A", "B"]);
    }
}
