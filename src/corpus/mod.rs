//! Corpora: the one model every reader fills in.
//!
//! A [`Corpus`] holds documents; each [`Document`] holds, for every reference set and every
//! system, the document's segments in order. Line-aligned inputs give documents whose reference
//! and hypothesis segment counts are equal; article folders may not (then the aligner pairs them).
//!
//! # Example
//!
//! ```
//! use mtharness::corpus::{load, LoadSpec};
//!
//! // The bundled sample: an article folder (`ref/`, `mt/<system>/`), documents matched by id.
//! let corpus = load(&LoadSpec {
//!     input: Some("corpora/sample".into()),
//!     ..LoadSpec::default()
//! })?;
//! assert_eq!(corpus.system_names, ["seed-mt"]);
//! assert_eq!(corpus.documents.len(), 1);
//! let doc = &corpus.documents[0];
//! assert_eq!(doc.lines.len(), doc.refs[0].len()); // each reference segment's 1-based line
//! # Ok::<(), mtharness::Error>(())
//! ```

mod folder;
mod lines;
mod plain;
mod table;
mod wmt;
pub(crate) mod xml_guard;

pub use folder::read_folder;
pub use lines::{
    check_symlink, read_lines, read_text, set_follow_symlinks, Line, LineReader, STDIN,
};
pub(crate) use plain::{corpus_name, empty_file, ref_names, same_count, system_names, DocIds};
pub use plain::{read_line_aligned, LineAlignedOptions};
pub use table::{read_jsonl, read_tsv};
pub use wmt::{read_wmt_xml, WmtOptions};

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

/// Default of [`Limits::max_line_bytes`]: 1 MiB. Real segments are sentences or paragraphs
/// (the longest line of the WMT22 test sets is a few kilobytes); a megabyte line is broken
/// input (a binary file, a whole article without line ends) that would make the quadratic
/// stages (TER shifts, alignment, edit distances) run for hours.
pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;

/// Default of [`Limits::max_doc_segments`]: 100,000 segments, fifty times the largest WMT
/// test set (about 2,000 segments), far above any real article.
pub const DEFAULT_MAX_DOC_SEGMENTS: usize = 100_000;

/// Size limits that [`load`] checks after reading, so that broken input fails with a clear
/// error instead of exhausting time or memory in later stages. Reading itself is O(file size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest segment, in UTF-8 bytes (`--max-line-bytes`).
    pub max_line_bytes: usize,
    /// Most reference or MT segments in one document (`--max-doc-segments`). Not applied to
    /// line-aligned files without document ids, which are one implicit document of any length
    /// (they are never aligned).
    pub max_doc_segments: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            max_doc_segments: DEFAULT_MAX_DOC_SEGMENTS,
        }
    }
}

/// A whole evaluation set: several systems, one or more references, split into documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    /// A name for reports (the folder or file stem the corpus came from).
    pub name: String,
    /// Names of the reference sets, e.g. `["A", "B"]`.
    pub ref_names: Vec<String>,
    /// Names of the systems, in the order they were given.
    pub system_names: Vec<String>,
    pub documents: Vec<Document>,
}

/// A borrowed corpus, for the calls that take a corpus by reference or by value
/// ([`crate::eval::evaluate`], [`crate::eval::align_corpus`], [`crate::eval::normalize_corpus`]).
impl<'a> From<&'a Corpus> for Cow<'a, Corpus> {
    fn from(corpus: &'a Corpus) -> Self {
        Cow::Borrowed(corpus)
    }
}

/// An owned corpus, moved into the calls that take a corpus by reference or by value.
impl From<Corpus> for Cow<'_, Corpus> {
    fn from(corpus: Corpus) -> Self {
        Cow::Owned(corpus)
    }
}

/// One document: its reference segments (per reference set) and its MT segments (per system).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub id: String,
    /// Source segments, when the input carries them.
    pub source: Option<Vec<String>>,
    /// `refs[r][i]`: segment `i` of reference set `r`.
    pub refs: Vec<Vec<String>>,
    /// `hyps[s][i]`: segment `i` of system `s`.
    pub hyps: Vec<Vec<String>>,
    /// Where each reference segment came from (1-based line in its file, or segment id in XML),
    /// for reports and error messages. Same length as `refs[0]`.
    pub lines: Vec<usize>,
}

impl Corpus {
    /// Number of reference segments over all documents.
    pub fn num_segments(&self) -> usize {
        self.documents
            .iter()
            .map(|d| d.refs.first().map_or(0, Vec::len))
            .sum()
    }

    /// True when, in every document, every system has exactly as many segments as the references.
    pub fn is_line_aligned(&self) -> bool {
        self.documents.iter().all(Document::is_line_aligned)
    }
}

impl Document {
    /// Number of reference segments.
    pub fn num_segments(&self) -> usize {
        self.refs.first().map_or(0, Vec::len)
    }

    pub fn is_line_aligned(&self) -> bool {
        let n = self.num_segments();
        self.refs.iter().all(|r| r.len() == n) && self.hyps.iter().all(|h| h.len() == n)
    }
}

/// What to read, as the command line gives it. [`load`] picks the reader:
///
/// | given | format | reader |
/// |---|---|---|
/// | `input` is a directory holding `ref/` and `mt/` | corpus folder | [`read_folder`] |
/// | `input` ends in `.xml` | WMT XML test set | [`read_wmt_xml`] |
/// | `input` ends in `.tsv` | TSV table | [`read_tsv`] |
/// | `input` ends in `.jsonl` | JSON lines table | [`read_jsonl`] |
/// | no `input`; `refs` and `hyps` given | line-aligned text files | [`read_line_aligned`] |
///
/// Extensions are matched case-insensitively; compressed inputs (`.gz`) are not read.
/// `docids`, `source` and `name` only apply to line-aligned files and `collection` only to WMT
/// XML: giving them with another format is a configuration error rather than silently ignored.
/// `systems` applies to every format: it selects systems and fixes their order; a name that
/// the input does not hold is an error listing the names it does hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadSpec {
    /// A corpus folder, `.xml`, `.tsv` or `.jsonl` file. Exclusive with `refs` / `hyps`.
    pub input: Option<PathBuf>,
    /// Line-aligned reference files (`-r`).
    pub refs: Vec<PathBuf>,
    /// Line-aligned system output files (`-i`).
    pub hyps: Vec<PathBuf>,
    /// Line-aligned document ids (see [`LineAlignedOptions::docids`]).
    pub docids: Option<PathBuf>,
    /// Line-aligned source file.
    pub source: Option<PathBuf>,
    /// Corpus name for line-aligned files (see [`LineAlignedOptions::name`]).
    pub name: Option<String>,
    /// WMT XML collection (see [`WmtOptions::collection`]).
    pub collection: Option<String>,
    /// Systems to keep, in this order. `None`: all, in the input's order.
    pub systems: Option<Vec<String>>,
    /// Size limits checked after reading.
    pub limits: Limits,
}

/// The input formats [`load`] knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    LineAligned,
    Folder,
    WmtXml,
    Tsv,
    Jsonl,
}

/// Decides which reader a [`LoadSpec`] needs (see the table on [`LoadSpec`]), without reading
/// anything but the directory entry of `input`. Conflicting or missing options are
/// configuration errors.
pub fn detect_format(spec: &LoadSpec) -> Result<Format> {
    let Some(input) = &spec.input else {
        if spec.refs.is_empty() || spec.hyps.is_empty() {
            return Err(Error::config(
                "nothing to read: expected an input (corpus folder, .xml, .tsv or .jsonl file) \
                 or reference files and system output files",
            ));
        }
        if spec.collection.is_some() {
            return Err(Error::config(
                "a collection can only be chosen for a WMT XML input",
            ));
        }
        return Ok(Format::LineAligned);
    };
    if !spec.refs.is_empty() || !spec.hyps.is_empty() {
        return Err(Error::config(format!(
            "{}: an input file or folder already holds references and system outputs; \
             expected either it or reference and system output files, not both",
            input.display()
        )));
    }
    for (given, what) in [
        (spec.docids.is_some(), "document ids"),
        (spec.source.is_some(), "a source file"),
        (spec.name.is_some(), "a corpus name"),
    ] {
        if given {
            return Err(Error::config(format!(
                "{}: {what} can only be given with line-aligned reference and system files",
                input.display()
            )));
        }
    }
    let format = if input.is_dir() {
        if input.join("ref").is_dir() && input.join("mt").is_dir() {
            Format::Folder
        } else {
            return Err(Error::config(format!(
                "{}: a corpus folder must hold ref/ and mt/ subfolders",
                input.display()
            )));
        }
    } else {
        let ext = input
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "xml" => Format::WmtXml,
            "tsv" => Format::Tsv,
            "jsonl" => Format::Jsonl,
            _ => {
                return Err(Error::config(format!(
                    "{}: unknown input format; expected a corpus folder (with ref/ and mt/), \
                     a .xml, .tsv or .jsonl file",
                    input.display()
                )))
            }
        }
    };
    if spec.collection.is_some() && format != Format::WmtXml {
        return Err(Error::config(format!(
            "{}: a collection can only be chosen for a WMT XML input",
            input.display()
        )));
    }
    Ok(format)
}

/// Reads the corpus a [`LoadSpec`] describes, with the reader [`detect_format`] picks, then
/// keeps only `spec.systems` (when given).
pub fn load(spec: &LoadSpec) -> Result<Corpus> {
    let format = detect_format(spec)?;
    let input = spec.input.as_deref().unwrap_or(Path::new(""));
    let corpus = match format {
        Format::LineAligned => {
            let opts = LineAlignedOptions {
                docids: spec.docids.clone(),
                source: spec.source.clone(),
                name: spec.name.clone(),
            };
            read_line_aligned(&spec.refs, &spec.hyps, &opts)?
        }
        Format::Folder => read_folder(input)?,
        Format::WmtXml => {
            let opts = WmtOptions {
                collection: spec.collection.clone(),
                systems: spec.systems.clone(),
            };
            // The XML reader selects systems itself (so that unwanted systems are not checked).
            let corpus = read_wmt_xml(input, &opts)?;
            check_limits(&corpus, spec, format)?;
            return Ok(corpus);
        }
        Format::Tsv => read_tsv(input)?,
        Format::Jsonl => read_jsonl(input)?,
    };
    check_limits(&corpus, spec, format)?;
    match &spec.systems {
        Some(names) => corpus.select_systems(names),
        None => Ok(corpus),
    }
}

/// Checks `spec.limits` on a corpus read from `spec`. The error names the file and line when
/// the format knows them exactly (line-aligned files), else the input, the document and the
/// segment; and always the limit and the flag that raises it. O(segments).
fn check_limits(corpus: &Corpus, spec: &LoadSpec, format: Format) -> Result<()> {
    let limits = spec.limits;
    let input = spec.input.clone().unwrap_or_default();
    let implicit_document = format == Format::LineAligned && spec.docids.is_none();
    for doc in &corpus.documents {
        let sides = doc
            .refs
            .iter()
            .enumerate()
            .map(|(r, segs)| {
                (
                    spec.refs.get(r),
                    format!("reference {}", corpus.ref_names[r]),
                    segs,
                )
            })
            .chain(doc.hyps.iter().enumerate().map(|(s, segs)| {
                let name = corpus.system_names.get(s).map_or("?", String::as_str);
                (spec.hyps.get(s), format!("system {name}"), segs)
            }))
            .chain(
                doc.source
                    .iter()
                    .map(|segs| (spec.source.as_ref(), "source".to_string(), segs)),
            );
        for (file, side, segs) in sides {
            let location = |i: usize| match (format, file) {
                (Format::LineAligned, Some(f)) => {
                    Location::line(f, doc.lines.get(i).copied().unwrap_or(i + 1))
                }
                _ => Location::file(&input).with_document(doc.id.clone()),
            };
            if !implicit_document && segs.len() > limits.max_doc_segments {
                return Err(doc_too_long(
                    location(0),
                    &doc.id,
                    segs.len(),
                    &side,
                    limits,
                ));
            }
            if let Some(i) = segs.iter().position(|s| s.len() > limits.max_line_bytes) {
                return Err(line_too_long(
                    location(i),
                    i,
                    &doc.id,
                    segs[i].len(),
                    &side,
                    limits,
                ));
            }
        }
    }
    Ok(())
}

/// The error for a document of `n` segments on `side` (`reference A`, `system S`, `source`),
/// more than `limits.max_doc_segments`; `at` is its first segment.
pub(crate) fn doc_too_long(at: Location, id: &str, n: usize, side: &str, limits: Limits) -> Error {
    Error::input(
        at,
        format!(
            "document {id:?} has {n} segments ({side}), more than the limit of {}; \
             raise it with --max-doc-segments",
            limits.max_doc_segments
        ),
    )
}

/// The error for segment `i` (0-based in its document) of `bytes` bytes on `side`, longer than
/// `limits.max_line_bytes`.
pub(crate) fn line_too_long(
    at: Location,
    i: usize,
    id: &str,
    bytes: usize,
    side: &str,
    limits: Limits,
) -> Error {
    Error::input(
        at,
        format!(
            "segment {} of document {id:?} ({side}) is {bytes} bytes long, more than the \
             limit of {} bytes; raise it with --max-line-bytes",
            i + 1,
            limits.max_line_bytes
        ),
    )
}

impl Corpus {
    /// Keeps the systems `names`, in that order. A name the corpus does not hold, or a name
    /// given twice, is a configuration error. O(total segments) moves, no text copies.
    pub fn select_systems(mut self, names: &[String]) -> Result<Corpus> {
        let mut index = Vec::with_capacity(names.len());
        for (k, name) in names.iter().enumerate() {
            if names[..k].contains(name) {
                return Err(Error::config(format!("system {name:?} is selected twice")));
            }
            match self.system_names.iter().position(|s| s == name) {
                Some(i) => index.push(i),
                None => {
                    return Err(Error::config(format!(
                        "corpus {} has no system {name:?}; it has: {}",
                        self.name,
                        self.system_names.join(", ")
                    )))
                }
            }
        }
        for doc in &mut self.documents {
            let mut old = std::mem::take(&mut doc.hyps);
            doc.hyps = index
                .iter()
                .map(|&i| old.get_mut(i).map(std::mem::take).unwrap_or_default())
                .collect();
        }
        self.system_names = names.to_vec();
        Ok(self)
    }
}

/// Reference set names by position when the input does not name them: `A`, `B`, ... `Z`,
/// `AA`, `AB`, ... (bijective base 26, as spreadsheet columns).
pub(crate) fn ref_name(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_names_count_like_spreadsheet_columns() {
        assert_eq!(ref_name(0), "A");
        assert_eq!(ref_name(1), "B");
        assert_eq!(ref_name(25), "Z");
        assert_eq!(ref_name(26), "AA");
        assert_eq!(ref_name(27), "AB");
    }

    #[test]
    fn detect_format_refuses_mixed_inputs() {
        let spec = LoadSpec {
            input: Some(PathBuf::from("x.tsv")),
            refs: vec![PathBuf::from("ref.en")],
            ..LoadSpec::default()
        };
        assert!(detect_format(&spec).is_err());
        let spec = LoadSpec {
            input: Some(PathBuf::from("x.tsv")),
            collection: Some("general".into()),
            ..LoadSpec::default()
        };
        assert!(detect_format(&spec).is_err());
        let spec = LoadSpec {
            input: Some(PathBuf::from("x.JSONL")),
            ..LoadSpec::default()
        };
        assert_eq!(detect_format(&spec).unwrap(), Format::Jsonl);
        assert!(detect_format(&LoadSpec::default()).is_err());
    }
}
