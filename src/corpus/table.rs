//! Tables with named columns: TSV and JSON lines.
//!
//! # Schema (TSV and JSONL)
//!
//! Long form: one row per (document, segment, system).
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `doc` | no | document id. Without this column all rows form one document, named after the file |
//! | `seg` | no | segment id within its document (any text; in JSONL a string or an integer). Without it, the k-th row of a system within a document is segment k of that document |
//! | `system` | yes | system name (not empty) |
//! | `hyp` | yes | the system's output for the segment (may be empty) |
//! | `ref`, or `ref:A`, `ref:B`, ... | yes | the reference translation(s). `ref` alone is one reference set named `A`; `ref:NAME` columns name several sets. Not both forms |
//! | `src` | no | the source segment |
//!
//! Other columns are ignored (keep metadata such as `domain` freely).
//!
//! Rules, each checked with an error naming the file and line:
//! - every row of one segment (one per system) carries the same references and the same `src`;
//! - a (document, segment, system) occurs once;
//! - every system has a row for every segment of every document (the table is line-aligned).
//!
//! Order: documents and their segments in order of first appearance, systems in order of first
//! appearance, reference sets sorted by name. `Document::lines` holds the file line of each
//! segment's first row.
//!
//! ## TSV
//! UTF-8 (a byte-order mark is dropped); the first line is the header of column names; every
//! further line is a row with exactly as many fields as the header, separated by single tabs.
//! There is no quoting and no escaping: a field is the raw text between two tabs (a `"` is an
//! ordinary character, as MT tools write TSV; the same as the csv crate with a tab delimiter and
//! quoting off), so a field cannot hold a tab or a line break: use JSONL for such text. Line ends
//! `\n` or `\r\n`; empty lines are skipped. Fields are kept exactly (no trimming). A header
//! has at most [`MAX_TSV_COLUMNS`] columns.
//!
//! ## JSONL
//! UTF-8, one JSON object a line, its keys the column names above; values are strings (`seg`
//! may also be an integer); blank lines are skipped; other keys are ignored. The first object
//! fixes which of `doc`, `seg`, `src` and the reference keys (`ref` or `ref:NAME`) the table has,
//! as a TSV header does: every object must have the same ones. Invalid JSON, and a key given
//! twice in one object (JSON parsers disagree on which value wins), is an error with the line
//! and the column serde_json reports.
//!
//! Example, two systems and two references (TSV tabs shown as `⇥`):
//! ```text
//! doc ⇥ seg ⇥ system ⇥ hyp ⇥ ref:A ⇥ ref:B
//! d1 ⇥ 1 ⇥ sysX ⇥ Hello world. ⇥ Hello, world. ⇥ Hi, world.
//! d1 ⇥ 1 ⇥ sysY ⇥ Hello the world. ⇥ Hello, world. ⇥ Hi, world.
//! ```
//! ```text
//! {"doc": "d1", "seg": 1, "system": "sysX", "hyp": "Hello world.", "ref:A": "Hello, world.", "ref:B": "Hi, world."}
//! {"doc": "d1", "seg": 1, "system": "sysY", "hyp": "Hello the world.", "ref:A": "Hello, world.", "ref:B": "Hi, world."}
//! ```

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::{read_lines, Corpus, Document};
use crate::error::{Error, Location, Result};

/// Name of the reference set of a lone `ref` column (as line-aligned references are named).
const SINGLE_REF_NAME: &str = "A";
/// Prefix of a named reference column: `ref:NAME`.
const REF_PREFIX: &str = "ref:";

/// One row of either format, with its 1-based line for messages.
struct Row {
    line: usize,
    doc: Option<String>,
    seg: Option<String>,
    system: String,
    hyp: String,
    /// In the order of [`Builder::ref_names`].
    refs: Vec<String>,
    src: Option<String>,
}

/// Reads a TSV table (schema in the module docs). O(file size).
pub fn read_tsv(path: &Path) -> Result<Corpus> {
    let lines = read_lines(path)?;
    let Some(header) = lines.first() else {
        return Err(Error::input(
            Location::file(path),
            "file is empty; expected a header line of tab-separated column names",
        ));
    };
    let names: Vec<&str> = header.text.split('\t').collect();
    if names.len() > MAX_TSV_COLUMNS {
        return Err(Error::input(
            Location::line(path, 1),
            format!(
                "the header has {} columns; expected at most {MAX_TSV_COLUMNS} ({EXPECTED_COLUMNS})",
                names.len()
            ),
        ));
    }
    let mut seen = std::collections::HashSet::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        if !seen.insert(*n) {
            let shown: String = n.chars().take(80).collect();
            return Err(Error::input(
                Location::line(path, 1).with_column(i + 1),
                format!("column {shown:?} appears twice in the header; expected unique names"),
            ));
        }
    }
    let col = |name: &str| names.iter().position(|n| *n == name);
    let need = |name: &str| {
        col(name).ok_or_else(|| {
            Error::input(
                Location::line(path, 1),
                format!("the header has no {name:?} column; expected {EXPECTED_COLUMNS}"),
            )
        })
    };
    let system_col = need("system")?;
    let hyp_col = need("hyp")?;
    let (doc_col, seg_col, src_col) = (col("doc"), col("seg"), col("src"));
    let mut ref_cols: Vec<(String, usize)> = Vec::new();
    for (i, n) in names.iter().enumerate() {
        if let Some(r) = ref_column(n) {
            ref_cols.push((
                r.map_err(|m| Error::input(Location::line(path, 1).with_column(i + 1), m))?,
                i,
            ));
        }
    }
    let ref_keys: Vec<&str> = ref_cols.iter().map(|(_, c)| names[*c]).collect();
    check_ref_columns(&ref_keys).map_err(|m| Error::input(Location::line(path, 1), m))?;
    ref_cols.sort();
    let mut b = Builder::new(path, ref_cols.iter().map(|(n, _)| n.clone()).collect());

    for line in &lines[1..] {
        if line.text.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.text.split('\t').collect();
        if fields.len() != names.len() {
            return Err(Error::input(
                Location::line(path, line.number).with_column(fields.len().min(names.len()) + 1),
                format!(
                    "found {} tab-separated fields; expected {} as in the header (line 1)",
                    fields.len(),
                    names.len()
                ),
            ));
        }
        let nonempty = |c: usize, what: &str| -> Result<String> {
            if fields[c].is_empty() {
                Err(Error::input(
                    Location::line(path, line.number).with_column(c + 1),
                    format!("empty {what}; expected a {what}"),
                ))
            } else {
                Ok(fields[c].to_string())
            }
        };
        let row = Row {
            line: line.number,
            doc: doc_col.map(|c| nonempty(c, "document id")).transpose()?,
            seg: seg_col.map(|c| fields[c].to_string()),
            system: nonempty(system_col, "system name")?,
            hyp: fields[hyp_col].to_string(),
            refs: ref_cols
                .iter()
                .map(|(_, c)| fields[*c].to_string())
                .collect(),
            src: src_col.map(|c| fields[c].to_string()),
        };
        b.add(row)?;
    }
    b.finish()
}

/// Reads a JSON lines table (schema in the module docs). O(file size).
pub fn read_jsonl(path: &Path) -> Result<Corpus> {
    let lines = read_lines(path)?;
    // The schema keys (doc, seg, src, ref...) of the first object, sorted; every object must
    // have the same ones, as every TSV row has the header's columns.
    let mut first_keys: Option<Vec<String>> = None;
    let mut builder: Option<Builder> = None;
    for line in lines {
        if line.text.trim().is_empty() {
            continue;
        }
        let at = || Location::line(path, line.number);
        let value: JsonLine = serde_json::from_str(&line.text).map_err(|e| {
            let msg = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            Error::input(
                at().with_column(e.column()),
                format!(
                    "invalid JSON: {}; expected one JSON object a line",
                    msg.strip_suffix(&suffix).unwrap_or(&msg)
                ),
            )
        })?;
        let obj = match value {
            JsonLine::Object(obj) => obj,
            JsonLine::Other(what) => {
                return Err(Error::input(
                    at(),
                    format!("a JSON {what}; expected one JSON object a line"),
                ))
            }
        };
        let mut keys: Vec<String> = obj
            .keys()
            .filter(|k| OPTIONAL_KEYS.contains(&k.as_str()) || ref_column(k).is_some())
            .cloned()
            .collect();
        keys.sort();
        let b = match &mut builder {
            Some(b) => b,
            None => {
                let mut refs = Vec::new();
                for k in &keys {
                    if let Some(r) = ref_column(k) {
                        refs.push((r.map_err(|m| Error::input(at(), m))?, k.clone()));
                    }
                }
                let ref_keys: Vec<&str> = refs.iter().map(|(_, k)| k.as_str()).collect();
                check_ref_columns(&ref_keys).map_err(|m| Error::input(at(), m))?;
                let names: Vec<String> = refs.into_iter().map(|(n, _)| n).collect();
                first_keys = Some(keys.clone());
                builder.insert(Builder::new(path, names))
            }
        };
        if Some(&keys) != first_keys.as_ref() {
            return Err(Error::input(
                at(),
                format!(
                    "keys [{}] differ from the first object's [{}]; expected the same doc, seg, \
                     src and reference keys on every line",
                    keys.join(", "),
                    first_keys.as_deref().unwrap_or_default().join(", ")
                ),
            ));
        }
        let get = |key: &str| -> Result<Option<String>> {
            match obj.get(key) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Number(n)) if key == "seg" => Ok(Some(n.to_string())),
                Some(v) => Err(Error::input(
                    at(),
                    format!("{key:?} is a JSON {}; expected a string", kind(v)),
                )),
            }
        };
        let need = |key: &str, nonempty: bool| -> Result<String> {
            match get(key)? {
                Some(s) if !(nonempty && s.is_empty()) => Ok(s),
                Some(_) => Err(Error::input(
                    at(),
                    format!("{key:?} is empty; expected a value"),
                )),
                None => Err(Error::input(
                    at(),
                    format!("no {key:?} key; expected {EXPECTED_COLUMNS}"),
                )),
            }
        };
        let doc = get("doc")?;
        if doc.as_deref() == Some("") {
            return Err(Error::input(
                at(),
                "\"doc\" is empty; expected a document id",
            ));
        }
        // Reference keys in the order of the (sorted) names: `ref` or `ref:NAME`.
        let refs = keys
            .iter()
            .filter(|k| ref_column(k).is_some())
            .map(|k| need(k, false))
            .collect::<Result<Vec<_>>>()?;
        let row = Row {
            line: line.number,
            doc,
            seg: get("seg")?,
            system: need("system", true)?,
            hyp: need("hyp", false)?,
            refs,
            src: get("src")?,
        };
        b.add(row)?;
    }
    match builder {
        Some(b) => b.finish(),
        None => Err(Error::input(
            Location::file(path),
            "file is empty; expected one JSON object a line",
        )),
    }
}

/// Most columns of a TSV header: the fixed columns plus about a thousand references, and a
/// bound on the cost of a header that is not one (a line of 400,000 tabs).
pub const MAX_TSV_COLUMNS: usize = 1024;

/// Optional JSONL keys whose presence the first object fixes.
const OPTIONAL_KEYS: [&str; 3] = ["doc", "seg", "src"];

const EXPECTED_COLUMNS: &str =
    "columns system, hyp, ref (or ref:NAME, ...) and optionally doc, seg, src";

/// `ref` -> `A`, `ref:NAME` -> `NAME`, other columns -> `None`.
fn ref_column(name: &str) -> Option<std::result::Result<String, String>> {
    if name == "ref" {
        return Some(Ok(SINGLE_REF_NAME.to_string()));
    }
    let r = name.strip_prefix(REF_PREFIX)?;
    Some(if r.is_empty() {
        Err("column \"ref:\" has no reference name; expected ref:NAME".to_string())
    } else {
        Ok(r.to_string())
    })
}

/// The reference columns (`keys`, as written) must be one `ref` or one or more `ref:NAME`.
fn check_ref_columns(keys: &[&str]) -> std::result::Result<(), String> {
    if keys.is_empty() {
        return Err(format!("no reference column; expected {EXPECTED_COLUMNS}"));
    }
    if keys.len() > 1 && keys.contains(&"ref") {
        return Err(format!(
            "both \"ref\" and {}; expected either one \"ref\" column or \"ref:NAME\" columns",
            keys.iter()
                .filter(|k| **k != "ref")
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(())
}

/// One line of a JSONL table: an object whose keys are all different, or what else it was.
enum JsonLine {
    Object(serde_json::Map<String, Value>),
    Other(&'static str),
}

impl<'de> serde::Deserialize<'de> for JsonLine {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<JsonLine, D::Error> {
        d.deserialize_any(JsonLineVisitor)
    }
}

struct JsonLineVisitor;

impl<'de> serde::de::Visitor<'de> for JsonLineVisitor {
    type Value = JsonLine;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut a: A,
    ) -> std::result::Result<JsonLine, A::Error> {
        let mut obj = serde_json::Map::new();
        while let Some(key) = a.next_key::<String>()? {
            if obj.contains_key(&key) {
                let shown: String = key.chars().take(80).collect();
                return Err(serde::de::Error::custom(format!(
                    "key {shown:?} appears twice in one object"
                )));
            }
            let value: Value = a.next_value()?;
            obj.insert(key, value);
        }
        Ok(JsonLine::Object(obj))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut a: A,
    ) -> std::result::Result<JsonLine, A::Error> {
        while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(JsonLine::Other("array"))
    }

    fn visit_unit<E>(self) -> std::result::Result<JsonLine, E> {
        Ok(JsonLine::Other("null"))
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<JsonLine, E> {
        Ok(JsonLine::Other("boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> std::result::Result<JsonLine, E> {
        Ok(JsonLine::Other("number"))
    }

    fn visit_u64<E>(self, _: u64) -> std::result::Result<JsonLine, E> {
        Ok(JsonLine::Other("number"))
    }

    fn visit_f64<E>(self, _: f64) -> std::result::Result<JsonLine, E> {
        Ok(JsonLine::Other("number"))
    }

    fn visit_str<E>(self, _: &str) -> std::result::Result<JsonLine, E> {
        Ok(JsonLine::Other("string"))
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A segment being collected: references and source from its first row, one hypothesis
/// (with its line) per system.
struct SegAcc {
    key: String,
    line: usize,
    refs: Vec<String>,
    src: Option<String>,
    hyps: Vec<Option<(String, usize)>>,
}

struct DocAcc {
    id: String,
    segs: Vec<SegAcc>,
    seg_index: HashMap<String, usize>,
    /// Rows seen per system, for segment keys when there is no `seg` column.
    rows_per_system: Vec<usize>,
}

/// Turns rows into a corpus, checking the schema's rules. O(rows) with hashing.
struct Builder<'p> {
    path: &'p Path,
    name: String,
    ref_names: Vec<String>,
    systems: Vec<String>,
    sys_index: HashMap<String, usize>,
    docs: Vec<DocAcc>,
    doc_index: HashMap<String, usize>,
}

impl<'p> Builder<'p> {
    fn new(path: &'p Path, ref_names: Vec<String>) -> Builder<'p> {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Builder {
            path,
            name,
            ref_names,
            systems: Vec::new(),
            sys_index: HashMap::new(),
            docs: Vec::new(),
            doc_index: HashMap::new(),
        }
    }

    fn add(&mut self, row: Row) -> Result<()> {
        let nsys = self.systems.len();
        let s = *self.sys_index.entry(row.system.clone()).or_insert(nsys);
        if s == nsys {
            self.systems.push(row.system.clone());
        }
        let doc_id = row.doc.unwrap_or_else(|| self.name.clone());
        let ndocs = self.docs.len();
        let d = *self.doc_index.entry(doc_id.clone()).or_insert(ndocs);
        if d == ndocs {
            self.docs.push(DocAcc {
                id: doc_id,
                segs: Vec::new(),
                seg_index: HashMap::new(),
                rows_per_system: Vec::new(),
            });
        }
        let doc = &mut self.docs[d];
        if doc.rows_per_system.len() <= s {
            doc.rows_per_system.resize(s + 1, 0);
        }
        doc.rows_per_system[s] += 1;
        let key = row
            .seg
            .unwrap_or_else(|| format!("#{}", doc.rows_per_system[s]));
        let at = || Location::line(self.path, row.line).with_document(doc.id.clone());
        let nsegs = doc.segs.len();
        let i = *doc.seg_index.entry(key.clone()).or_insert(nsegs);
        if i == nsegs {
            doc.segs.push(SegAcc {
                key,
                line: row.line,
                refs: row.refs,
                src: row.src,
                hyps: Vec::new(),
            });
        } else {
            let seg = &doc.segs[i];
            if seg.refs != row.refs {
                return Err(Error::input(
                    at(),
                    format!(
                        "segment {} of system {}: the references differ from those on line {}; \
                         expected every row of a segment to carry the same references",
                        seg.key, row.system, seg.line
                    ),
                ));
            }
            if seg.src != row.src {
                return Err(Error::input(
                    at(),
                    format!(
                        "segment {} of system {}: the source differs from the one on line {}; \
                         expected every row of a segment to carry the same source",
                        seg.key, row.system, seg.line
                    ),
                ));
            }
        }
        let seg = &mut doc.segs[i];
        if seg.hyps.len() <= s {
            seg.hyps.resize(s + 1, None);
        }
        if let Some((_, first)) = &seg.hyps[s] {
            return Err(Error::input(
                at(),
                format!(
                    "second row for segment {} of system {} (the first is on line {first}); \
                     expected one row per document, segment and system",
                    seg.key, row.system
                ),
            ));
        }
        seg.hyps[s] = Some((row.hyp, row.line));
        Ok(())
    }

    fn finish(self) -> Result<Corpus> {
        let nsys = self.systems.len();
        let mut documents = Vec::with_capacity(self.docs.len());
        for doc in self.docs {
            let n = doc.segs.len();
            let mut d = Document {
                id: doc.id,
                source: None,
                refs: vec![Vec::with_capacity(n); self.ref_names.len()],
                hyps: vec![Vec::with_capacity(n); nsys],
                lines: Vec::with_capacity(n),
            };
            for mut seg in doc.segs {
                seg.hyps.resize(nsys, None);
                for (s, h) in seg.hyps.into_iter().enumerate() {
                    let Some((text, _)) = h else {
                        return Err(Error::input(
                            Location::line(self.path, seg.line).with_document(d.id.clone()),
                            format!(
                                "segment {} has no row for system {}; expected one row per \
                                 document, segment and system",
                                seg.key, self.systems[s]
                            ),
                        ));
                    };
                    d.hyps[s].push(text);
                }
                for (r, t) in seg.refs.into_iter().enumerate() {
                    d.refs[r].push(t);
                }
                if let Some(src) = seg.src {
                    d.source
                        .get_or_insert_with(|| Vec::with_capacity(n))
                        .push(src);
                }
                d.lines.push(seg.line);
            }
            documents.push(d);
        }
        if documents.is_empty() {
            return Err(Error::input(
                Location::file(self.path),
                "no rows; expected one row per document, segment and system",
            ));
        }
        Ok(Corpus {
            name: self.name,
            ref_names: self.ref_names,
            system_names: self.systems,
            documents,
        })
    }
}
