//! Glossaries: the terms a translation must get right, with the forms that are accepted and the
//! forms that are known to be wrong.
//!
//! A [`Glossary`] is a list of [`Entry`] values, read from a CSV file ([`Glossary::from_csv_path`]),
//! a TBX-Basic file ([`Glossary::from_tbx_path`], ISO 30042) or derived from reference text
//! ([`derive::names_from_reference`]). [`Matcher`] finds every glossary form in a text at once
//! (one Aho-Corasick automaton, leftmost-longest, whole words only); [`crate::terms`] turns the
//! matches into term accuracy, typed errors and consistency.
//!
//! # CSV columns
//!
//! The first non-comment row is a header naming the columns (any order, names case-insensitive);
//! lines starting with `#` are comments. Only `id` and `expected` are required.
//!
//! | column | meaning |
//! |---|---|
//! | `id` | unique term id (used in reports) |
//! | `expected` | the expected target term (one or more words) |
//! | `allowed` | other accepted target forms, separated by `\|` |
//! | `forbidden` | target forms that are wrong for this term (calques, mistranslations), separated by `\|` |
//! | `kind` | `name`, `term` or `organisation` (`organization` accepted); default `term` |
//! | `case_sensitive` | `yes` / `no` (also `true`/`false`, `1`/`0`); default `yes` for names and organisations, `no` for terms |
//! | `inflect` | `yes` / `no`; default `no`. `yes` also accepts the English plural of the last word of every form (`-s`, `-es`, consonant + `y` -> `-ies`) |
//! | `source` | optional source-language term; when source text is given, an occurrence in the source also makes the term expected |
//! | `note` | free text, ignored by the metrics |
//!
//! Possessives (`Hegseth's`, `Hegseth’s`) need no flag: an apostrophe is not a word character, so
//! the term ends at a word boundary before it.
//!
//! Malformed rows are errors that name `file:line` (and the column when one field is at fault):
//! empty `id` or `expected`, a duplicate `id`, an unknown `kind` or flag value, an empty
//! variant between two `|`, a form that is both accepted and forbidden, an unknown column.
//!
//! # Example
//!
//! ```
//! use std::path::Path;
//! use mtharness::glossary::Glossary;
//!
//! let g = Glossary::from_csv_path(Path::new("corpora/sample/glossary.csv"))?;
//! assert!(g.entries().iter().any(|e| e.id == "ceasefire"));
//! # Ok::<(), mtharness::Error>(())
//! ```

mod derive_impl;
mod matcher;
mod names;
mod tbx;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use crate::error::{Error, Location, Result};

pub use matcher::{FormKind, MatchBuffer, Matcher, MatcherOptions, TermMatch};
pub use names::{is_word_char, name_tokens, word_spans, NameToken};

/// Deriving glossaries from reference text (no hand-written glossary needed).
pub mod derive {
    pub use super::derive_impl::{names_from_reference, DeriveOptions};
}

/// What a glossary entry names. Used to group report rows; matching treats all kinds alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    /// A person or place name.
    Name,
    /// A domain term.
    Term,
    /// An organisation.
    Organisation,
}

impl TermKind {
    /// Parses `name`, `term`, `organisation` / `organization` (case-insensitive).
    pub fn parse(s: &str) -> Option<TermKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "name" => Some(TermKind::Name),
            "term" => Some(TermKind::Term),
            "organisation" | "organization" | "org" => Some(TermKind::Organisation),
            _ => None,
        }
    }

    /// Default of the `case_sensitive` column: names and organisations are case-sensitive.
    pub fn default_case_sensitive(self) -> bool {
        !matches!(self, TermKind::Term)
    }
}

impl fmt::Display for TermKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TermKind::Name => "name",
            TermKind::Term => "term",
            TermKind::Organisation => "organisation",
        })
    }
}

/// One glossary entry.
///
/// Invariants (checked by [`Glossary::push`]): `id` and `expected` are non-empty, no form is
/// empty, and no form is both accepted (`expected` / `allowed`) and `forbidden` (compared as the
/// matcher compares them: case-folded unless `case_sensitive`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    /// The expected target form.
    pub expected: String,
    /// Other accepted target forms.
    pub allowed: Vec<String>,
    /// Known wrong target forms.
    pub forbidden: Vec<String>,
    pub kind: TermKind,
    pub case_sensitive: bool,
    /// Accept English plurals of the last word of every form.
    pub inflect: bool,
    /// Source-language term, if known.
    pub source: Option<String>,
    pub note: Option<String>,
}

impl Entry {
    /// A new entry with no variants; kind [`TermKind::Term`] defaults apply.
    pub fn new(id: impl Into<String>, expected: impl Into<String>, kind: TermKind) -> Entry {
        Entry {
            id: id.into(),
            expected: expected.into(),
            allowed: Vec::new(),
            forbidden: Vec::new(),
            kind,
            case_sensitive: kind.default_case_sensitive(),
            inflect: false,
            source: None,
            note: None,
        }
    }

    /// Accepted forms: `expected` first, then `allowed`.
    pub fn accepted(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.expected.as_str()).chain(self.allowed.iter().map(String::as_str))
    }

    /// The form for `kind` and `variant` (as in a [`TermMatch`]).
    pub fn form(&self, kind: FormKind, variant: usize) -> Option<&str> {
        match kind {
            FormKind::Expected => Some(self.expected.as_str()),
            FormKind::Allowed => self.allowed.get(variant).map(String::as_str),
            FormKind::Forbidden => self.forbidden.get(variant).map(String::as_str),
        }
    }

    fn check(&self) -> std::result::Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("term id is empty".into());
        }
        if self.expected.trim().is_empty() {
            return Err(format!("term {}: expected target term is empty", self.id));
        }
        for (what, list) in [("allowed", &self.allowed), ("forbidden", &self.forbidden)] {
            if list.iter().any(|v| v.trim().is_empty()) {
                return Err(format!("term {}: {what} variant is empty", self.id));
            }
        }
        let key = |s: &str| {
            if self.case_sensitive {
                s.to_string()
            } else {
                s.to_lowercase()
            }
        };
        for f in &self.forbidden {
            if self.accepted().any(|a| key(a) == key(f)) {
                return Err(format!(
                    "term {}: {f:?} is both an accepted and a forbidden form",
                    self.id
                ));
            }
        }
        Ok(())
    }
}

/// A list of entries with unique ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
}

impl Glossary {
    pub fn new() -> Glossary {
        Glossary::default()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// True when some entry has a source term.
    pub fn has_source_terms(&self) -> bool {
        self.entries.iter().any(|e| e.source.is_some())
    }

    /// Adds an entry after checking its invariants (see [`Entry`]) and that its id is new.
    /// The error message says what is wrong; readers wrap it with the location.
    pub fn push(&mut self, entry: Entry) -> std::result::Result<(), String> {
        entry.check()?;
        if self.by_id.contains_key(&entry.id) {
            return Err(format!("duplicate term id {:?}", entry.id));
        }
        self.by_id.insert(entry.id.clone(), self.entries.len());
        self.entries.push(entry);
        Ok(())
    }

    /// A 64-bit FNV-1a fingerprint of every entry's matching-relevant fields, for signatures:
    /// two glossaries with the same fingerprint score the same.
    pub fn fingerprint(&self) -> u64 {
        // FNV-1a 64-bit offset basis and prime (Fowler, Noll, Vo; IETF draft-eastlake-fnv).
        const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
        let mut h = FNV_OFFSET;
        let mut feed = |bytes: &[u8]| {
            for &b in bytes {
                h ^= u64::from(b);
                h = h.wrapping_mul(FNV_PRIME);
            }
            h ^= 0xff;
            h = h.wrapping_mul(FNV_PRIME);
        };
        for e in &self.entries {
            feed(e.id.as_bytes());
            feed(e.expected.as_bytes());
            for a in &e.allowed {
                feed(a.as_bytes());
            }
            feed(b"\x01");
            for f in &e.forbidden {
                feed(f.as_bytes());
            }
            feed(&[e.case_sensitive as u8, e.inflect as u8]);
            feed(e.source.as_deref().unwrap_or("").as_bytes());
        }
        h
    }

    /// Builds a glossary from entries, checking each as [`Glossary::push`] does.
    pub fn from_entries(
        entries: impl IntoIterator<Item = Entry>,
    ) -> std::result::Result<Glossary, String> {
        let mut g = Glossary::new();
        for e in entries {
            g.push(e)?;
        }
        Ok(g)
    }

    /// Reads a CSV glossary (columns in the module docs).
    pub fn from_csv_path(path: impl AsRef<Path>) -> Result<Glossary> {
        let path = path.as_ref();
        let text = crate::corpus::read_text(path)?;
        Glossary::from_csv_str(&text, path)
    }

    /// Parses CSV glossary text; `path` is only used in error messages.
    pub fn from_csv_str(text: &str, path: &Path) -> Result<Glossary> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut columns: Option<Columns> = None;
        let mut glossary = Glossary::new();
        let mut record = csv::StringRecord::new();
        loop {
            let more = rdr
                .read_record(&mut record)
                .map_err(|e| csv_error(path, &e))?;
            if !more {
                break;
            }
            let line = record.position().map_or(0, |p| p.line() as usize);
            if record.iter().all(str::is_empty) {
                continue;
            }
            let Some(cols) = &columns else {
                columns = Some(Columns::from_header(&record, path, line)?);
                continue;
            };
            if record.len() != cols.width {
                return Err(Error::input(
                    Location::line(path, line),
                    format!(
                        "row has {} fields, the header has {}",
                        record.len(),
                        cols.width
                    ),
                ));
            }
            let entry = cols.entry(&record, path, line)?;
            glossary
                .push(entry)
                .map_err(|msg| Error::input(Location::line(path, line), msg))?;
        }
        if columns.is_none() {
            return Err(Error::input(
                Location::file(path),
                "empty glossary: expected a header row with at least the columns id,expected",
            ));
        }
        if glossary.is_empty() {
            return Err(Error::input(
                Location::file(path),
                "no term after the header row; expected at least one row (id,expected,...)",
            ));
        }
        Ok(glossary)
    }

    /// Reads a TBX-Basic file (ISO 30042), taking terms of `target_lang` (`en` also matches
    /// `en-US`) and, when given, source terms of `source_lang`. See the `tbx` module notes:
    /// `preferred` -> expected, `admitted` -> allowed, `deprecated` / `superseded` -> forbidden.
    pub fn from_tbx_path(
        path: impl AsRef<Path>,
        target_lang: &str,
        source_lang: Option<&str>,
    ) -> Result<Glossary> {
        let path = path.as_ref();
        let text = crate::corpus::read_text(path)?;
        tbx::parse(&text, path, target_lang, source_lang)
    }

    /// Parses TBX text; `path` is only used in error messages.
    pub fn from_tbx_str(
        text: &str,
        path: &Path,
        target_lang: &str,
        source_lang: Option<&str>,
    ) -> Result<Glossary> {
        tbx::parse(text, path, target_lang, source_lang)
    }
}

fn csv_error(path: &Path, e: &csv::Error) -> Error {
    let loc = match e.position() {
        Some(p) => Location::line(path, p.line() as usize),
        None => Location::file(path),
    };
    Error::input(loc, format!("malformed CSV: {e}"))
}

/// Column positions found in the header.
struct Columns {
    width: usize,
    id: usize,
    expected: usize,
    allowed: Option<usize>,
    forbidden: Option<usize>,
    kind: Option<usize>,
    case_sensitive: Option<usize>,
    inflect: Option<usize>,
    source: Option<usize>,
    note: Option<usize>,
}

/// Header names accepted, in documentation order.
const COLUMN_NAMES: [&str; 9] = [
    "id",
    "expected",
    "allowed",
    "forbidden",
    "kind",
    "case_sensitive",
    "inflect",
    "source",
    "note",
];

impl Columns {
    fn from_header(rec: &csv::StringRecord, path: &Path, line: usize) -> Result<Columns> {
        let mut pos: [Option<usize>; COLUMN_NAMES.len()] = [None; COLUMN_NAMES.len()];
        for (i, name) in rec.iter().enumerate() {
            let lname = name.to_ascii_lowercase().replace([' ', '-'], "_");
            let Some(k) = COLUMN_NAMES.iter().position(|&c| c == lname) else {
                return Err(Error::input(
                    Location::line(path, line).with_column(i + 1),
                    format!(
                        "unknown glossary column {name:?}; expected some of {}",
                        COLUMN_NAMES.join(",")
                    ),
                ));
            };
            if pos[k].is_some() {
                return Err(Error::input(
                    Location::line(path, line).with_column(i + 1),
                    format!("column {name:?} appears twice"),
                ));
            }
            pos[k] = Some(i);
        }
        let required = |k: usize| {
            pos[k].ok_or_else(|| {
                Error::input(
                    Location::line(path, line),
                    format!(
                        "glossary header lacks the required column {:?} (found {:?})",
                        COLUMN_NAMES[k],
                        rec.iter().collect::<Vec<_>>().join(",")
                    ),
                )
            })
        };
        Ok(Columns {
            width: rec.len(),
            id: required(0)?,
            expected: required(1)?,
            allowed: pos[2],
            forbidden: pos[3],
            kind: pos[4],
            case_sensitive: pos[5],
            inflect: pos[6],
            source: pos[7],
            note: pos[8],
        })
    }

    fn entry(&self, rec: &csv::StringRecord, path: &Path, line: usize) -> Result<Entry> {
        let field = |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or("");
        let at = |c: Option<usize>| {
            let loc = Location::line(path, line);
            match c {
                Some(i) => loc.with_column(i + 1),
                None => loc,
            }
        };
        let kind = match field(self.kind) {
            "" => TermKind::Term,
            k => TermKind::parse(k).ok_or_else(|| {
                Error::input(
                    at(self.kind),
                    format!("unknown kind {k:?}; expected name, term or organisation"),
                )
            })?,
        };
        let flag = |c: Option<usize>, default: bool| -> Result<bool> {
            match parse_flag(field(c)) {
                Some(v) => Ok(v.unwrap_or(default)),
                None => Err(Error::input(
                    at(c),
                    format!("bad flag {:?}; expected yes or no", field(c)),
                )),
            }
        };
        let list = |c: Option<usize>| -> Result<Vec<String>> {
            let s = field(c);
            if s.is_empty() {
                return Ok(Vec::new());
            }
            let v: Vec<String> = s.split('|').map(|x| x.trim().to_string()).collect();
            if v.iter().any(String::is_empty) {
                return Err(Error::input(
                    at(c),
                    format!("empty variant in {s:?} (variants are separated by a single |)"),
                ));
            }
            Ok(v)
        };
        let opt = |c: Option<usize>| Some(field(c).to_string()).filter(|s| !s.is_empty());
        let id = field(Some(self.id));
        if id.is_empty() {
            return Err(Error::input(at(Some(self.id)), "term id is empty"));
        }
        let expected = field(Some(self.expected));
        if expected.is_empty() {
            return Err(Error::input(
                at(Some(self.expected)),
                format!("term {id}: expected target term is empty"),
            ));
        }
        Ok(Entry {
            id: id.to_string(),
            expected: expected.to_string(),
            allowed: list(self.allowed)?,
            forbidden: list(self.forbidden)?,
            kind,
            case_sensitive: flag(self.case_sensitive, kind.default_case_sensitive())?,
            inflect: flag(self.inflect, false)?,
            source: opt(self.source),
            note: opt(self.note),
        })
    }
}

/// `Some(None)` for an empty field (use the default), `Some(Some(v))` for a flag, `None` if bad.
fn parse_flag(s: &str) -> Option<Option<bool>> {
    match s.to_ascii_lowercase().as_str() {
        "" => Some(None),
        "yes" | "y" | "true" | "1" => Some(Some(true)),
        "no" | "n" | "false" | "0" => Some(Some(false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Glossary> {
        Glossary::from_csv_str(text, Path::new("g.csv"))
    }

    #[test]
    fn reads_columns_in_any_order_with_defaults() {
        let g = parse(
            "# comment\nexpected,id,forbidden,kind\nceasefire,cf,fire|high fire,term\nPete Hegseth,hegseth,,name\n",
        )
        .unwrap();
        assert_eq!(g.len(), 2);
        let cf = g.get("cf").unwrap();
        assert_eq!(cf.forbidden, ["fire", "high fire"]);
        assert!(!cf.case_sensitive);
        assert!(g.get("hegseth").unwrap().case_sensitive);
    }

    #[test]
    fn malformed_rows_name_file_and_line() {
        let cases = [
            ("id,expected\na,x\na,y\n", "g.csv:3", "duplicate"),
            (
                "id,expected,forbidden\na,x,y||z\n",
                "g.csv:2:3",
                "empty variant",
            ),
            (
                "id,expected,kind\na,x,person\n",
                "g.csv:2:3",
                "unknown kind",
            ),
            ("id,expected\n,x\n", "g.csv:2:1", "id is empty"),
            (
                "id,expected,case_sensitive\na,x,maybe\n",
                "g.csv:2:3",
                "bad flag",
            ),
            ("id,expected,forbidden\na,x,X\n", "g.csv:2", "both"),
            ("id,expect\n", "g.csv:1:2", "unknown glossary column"),
            ("id,note\n", "g.csv:1", "required column"),
            (
                "id,expected,colour\n",
                "g.csv:1:3",
                "unknown glossary column",
            ),
            (
                "# only a comment\n\nid,expected\na,x\nb,y,z\n",
                "g.csv:5",
                "fields",
            ),
        ];
        for (text, loc, msg) in cases {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.starts_with(loc), "{text:?}: {e}");
            assert!(e.contains(msg), "{text:?}: {e}");
        }
    }

    #[test]
    fn case_insensitive_forbidden_equal_to_accepted_is_an_error() {
        assert!(parse("id,expected,forbidden,case_sensitive\na,War,war,no\n").is_err());
        assert!(parse("id,expected,forbidden,case_sensitive\na,War,war,yes\n").is_ok());
    }

    #[test]
    fn fingerprint_changes_with_content() {
        let a = parse("id,expected\na,x\n").unwrap();
        let b = parse("id,expected\na,y\n").unwrap();
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(
            a.fingerprint(),
            parse("id,expected\na,x\n").unwrap().fingerprint()
        );
    }
}
