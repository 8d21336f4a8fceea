//! WMT XML test sets, as the organisers publish them since WMT21:
//!
//! ```text
//! <dataset id="wmttest2022">
//!   <collection id="general">
//!     <doc id="..." origlang="ru" [domain="news"]>
//!       <src lang="ru"><p><seg id="1">...</seg>...</p></src>
//!       <ref lang="en" translator="A"><p><seg id="1">...</seg>...</p></ref>
//!       <hyp system="SYSTEM" lang="en"><p><seg id="1">...</seg>...</p></hyp>
//! ```
//!
//! What we read, following sacreBLEU 2.6.0's reader (`sacrebleu/dataset/wmt_xml.py`,
//! `_unwrap_wmt21_or_later`) unless said otherwise:
//! - Collection: the one named by [`WmtOptions::collection`]; by default `general` when the
//!   file has it (the general task; WMT files also hold test-suite collections), else every
//!   collection. *Differs*: sacreBLEU reads every `<doc>` of the file whatever its collection.
//!   As in sacreBLEU, a `<doc>` with a `testsuite` attribute is skipped.
//! - Segments of a document: the `<seg>` ids of its `<src>`, as integers in increasing order.
//!   *Differs*: a document without `<src>` takes the ids of its references (sacreBLEU would
//!   silently drop the document).
//! - A segment for which no reference has non-empty text is skipped (sacreBLEU: "no ref
//!   translation is available for this segment"); a document left without segments is
//!   dropped. A reference set missing a kept segment (or the whole document) gives `""` for it,
//!   as in sacreBLEU.
//! - A selected system whose `<hyp>` misses a kept segment or the whole document is an error
//!   naming the document, segment id and system (sacreBLEU fails with a `KeyError`). An empty
//!   `<seg id="3"/>` is the empty string, as in sacreBLEU.
//! - Segment text is the text content of `<seg>` (text and CDATA; entities decoded; comments
//!   dropped), kept exactly (no strip).
//!   sacreBLEU's `-t wmt22` text files additionally pass through `Dataset._clean` (strip and
//!   collapse `\s+` to one space); on the WMT22 ru-en set that changes nothing. A `<seg>` holding
//!   child elements is an error here (lxml's `seg.text` would silently keep only the text
//!   before the first child).
//! - Reference sets are named by their `translator` attribute (`ref` when absent, as
//!   sacreBLEU's field name), sorted by name; systems by their `system` attribute, in order of
//!   first appearance (or the order of [`WmtOptions::systems`]).
//! - Duplicate document ids, duplicate segment ids within one `<src>`/`<ref>`/`<hyp>`, two
//!   `<hyp>` of one system or two `<ref>` of one translator in a document are errors (sacreBLEU
//!   would let the last one win).
//!
//! `Document::lines` holds the segment ids.
//!
//! Safety on hostile input: roxmltree refuses DTDs by default (so no entity expansion bombs;
//! its entity loop detector is a second guard). roxmltree 0.20 does *not* bound nesting: its
//! tokenizer recurses once per open element (roxmltree issue #154), so a small file nested a
//! few hundred thousand levels deep would abort the process with a stack overflow. We therefore
//! scan the nesting depth first ([`check_depth`], one pass over the bytes) and refuse anything
//! deeper than [`MAX_XML_DEPTH`]; the tree is then walked with iterators only. Both are tested
//! below.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use roxmltree::{Node, ParsingOptions};

use super::xml_guard::{check_shape, end_pos};
use super::{read_text, Corpus, Document};
use crate::error::{Error, Location, Result};

/// Collection read when none is named and the file has it: the WMT general task.
const DEFAULT_COLLECTION: &str = "general";
/// Reference set name when `<ref>` has no `translator` (sacreBLEU's field name `ref`).
const UNNAMED_REF: &str = "ref";

/// Options of [`read_wmt_xml`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WmtOptions {
    /// Collection id. `None`: `general` if present, else all collections.
    pub collection: Option<String>,
    /// Systems to read, in this order. `None`: every system, in order of first appearance.
    pub systems: Option<Vec<String>>,
}

/// The segments of one `<src>`, `<ref>` or `<hyp>`: id -> text, and the element's position.
struct Segs<'a> {
    segs: HashMap<u64, String>,
    node: Node<'a, 'a>,
}

/// Reads a WMT XML test set (see the module docs for what is read and checked).
/// Errors name the file with line and column (malformed XML, missing attributes, bad segment
/// ids) or the document, segment id and system. O(file size).
pub fn read_wmt_xml(path: &Path, opts: &WmtOptions) -> Result<Corpus> {
    let text = read_text(path)?;
    parse_wmt_xml(path, &text, opts)
}

/// [`read_wmt_xml`] on text already read; `path` names the input in errors and the corpus.
fn parse_wmt_xml(path: &Path, text: &str, opts: &WmtOptions) -> Result<Corpus> {
    check_shape(
        path,
        text,
        "a WMT XML test set (dataset/collection/doc/src/p/seg)",
    )?;
    let xml = roxmltree::Document::parse_with_options(text, ParsingOptions::default())
        .map_err(|e| xml_error(path, text, &e))?;
    let at = |node: Node| {
        let pos = xml.text_pos_at(node.range().start);
        Location::line(path, pos.row as usize).with_column(pos.col as usize)
    };

    let root = xml.root_element();
    if root.tag_name().name() != "dataset" {
        return Err(Error::input(
            at(root),
            format!(
                "root element <{}>; expected <dataset> (a WMT XML test set)",
                root.tag_name().name()
            ),
        ));
    }
    let collections: Vec<Node> = root
        .children()
        .filter(|n| n.has_tag_name("collection"))
        .collect();
    let ids: Vec<&str> = collections
        .iter()
        .map(|c| c.attribute("id").unwrap_or(""))
        .collect();
    let wanted = opts.collection.as_deref().or_else(|| {
        ids.contains(&DEFAULT_COLLECTION)
            .then_some(DEFAULT_COLLECTION)
    });
    let selected: Vec<Node> = match wanted {
        Some(w) => collections
            .iter()
            .zip(&ids)
            .filter(|(_, id)| **id == w)
            .map(|(c, _)| *c)
            .collect(),
        None => collections.clone(),
    };
    let what = match wanted {
        Some(w) => format!("collection {w:?}"),
        None => "any collection".to_string(),
    };
    if selected.is_empty() {
        return Err(Error::config(format!(
            "{}: no {what}; the file has collections: {}",
            path.display(),
            ids.join(", ")
        )));
    }

    // Documents of the selected collections, minus test suites (as sacreBLEU).
    let docs: Vec<Node> = selected
        .iter()
        .flat_map(|c| c.children())
        .filter(|n| n.has_tag_name("doc") && n.attribute("testsuite").is_none())
        .collect();

    // Systems and reference sets present, in order of first appearance / sorted.
    let mut present: Vec<&str> = Vec::new();
    let mut translators: BTreeSet<&str> = BTreeSet::new();
    for doc in &docs {
        for child in doc.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "hyp" => {
                    let s = required(&child, "system", &at)?;
                    if !present.contains(&s) {
                        present.push(s);
                    }
                }
                "ref" => {
                    translators.insert(child.attribute("translator").unwrap_or(UNNAMED_REF));
                }
                _ => {}
            }
        }
    }
    let system_names: Vec<String> = match &opts.systems {
        Some(names) => {
            for (k, n) in names.iter().enumerate() {
                if !present.contains(&n.as_str()) {
                    return Err(Error::config(format!(
                        "{}: no system {n:?} in {what}; the file has: {}",
                        path.display(),
                        present.join(", ")
                    )));
                }
                if names[..k].contains(n) {
                    return Err(Error::config(format!("system {n:?} is selected twice")));
                }
            }
            names.clone()
        }
        None => present.iter().map(|s| s.to_string()).collect(),
    };
    let ref_names: Vec<String> = translators.iter().map(|s| s.to_string()).collect();
    if ref_names.is_empty() {
        return Err(Error::input(
            Location::file(path),
            format!("no <ref> in {what}; expected reference translations to score against"),
        ));
    }

    let mut seen_docs: HashMap<&str, Location> = HashMap::new();
    let mut documents = Vec::with_capacity(docs.len());
    for doc in &docs {
        let id = required(doc, "id", &at)?;
        if let Some(first) = seen_docs.insert(id, at(*doc)) {
            return Err(Error::input(
                at(*doc).with_document(id),
                format!("document id {id} was already used at {first}; expected unique ids"),
            ));
        }
        let mut src: Option<Segs> = None;
        let mut refs: BTreeMap<&str, Segs> = BTreeMap::new();
        let mut hyps: HashMap<&str, Segs> = HashMap::new();
        for child in doc.children().filter(Node::is_element) {
            let dup = |what: String| {
                Error::input(
                    at(child).with_document(id),
                    format!("second {what} in this document; expected one"),
                )
            };
            match child.tag_name().name() {
                "src" => {
                    if src.is_some() {
                        return Err(dup("<src>".to_string()));
                    }
                    src = Some(segments(child, id, &at)?);
                }
                "ref" => {
                    let t = child.attribute("translator").unwrap_or(UNNAMED_REF);
                    if refs.insert(t, segments(child, id, &at)?).is_some() {
                        return Err(dup(format!("<ref translator=\"{t}\">")));
                    }
                }
                "hyp" => {
                    let s = required(&child, "system", &at)?;
                    if !system_names.iter().any(|n| n == s) {
                        continue;
                    }
                    if hyps.insert(s, segments(child, id, &at)?).is_some() {
                        return Err(dup(format!("<hyp system=\"{s}\">")));
                    }
                }
                _ => {}
            }
        }
        let seg_ids: Vec<u64> = match &src {
            Some(s) => s.segs.keys().copied().collect::<BTreeSet<_>>(),
            None => refs.values().flat_map(|r| r.segs.keys().copied()).collect(),
        }
        .into_iter()
        .collect();
        for name in &system_names {
            if !hyps.contains_key(name.as_str()) {
                return Err(Error::input(
                    at(*doc).with_document(id),
                    format!("no <hyp system=\"{name}\"> in document {id}; expected every system to translate every document"),
                ));
            }
        }

        let mut d = Document {
            id: id.to_string(),
            source: src.as_ref().map(|_| Vec::new()),
            refs: vec![Vec::new(); ref_names.len()],
            hyps: vec![Vec::new(); system_names.len()],
            lines: Vec::new(),
        };
        for seg in seg_ids {
            let has_ref = refs
                .values()
                .any(|r| r.segs.get(&seg).is_some_and(|t| !t.is_empty()));
            if !has_ref {
                continue;
            }
            for (r, name) in ref_names.iter().enumerate() {
                let t = refs
                    .get(name.as_str())
                    .and_then(|s| s.segs.get(&seg))
                    .cloned()
                    .unwrap_or_default();
                d.refs[r].push(t);
            }
            for (h, name) in system_names.iter().enumerate() {
                let hs = &hyps[name.as_str()];
                match hs.segs.get(&seg) {
                    Some(t) => d.hyps[h].push(t.clone()),
                    None => {
                        return Err(Error::input(
                            at(hs.node).with_document(id),
                            format!(
                                "system {name} has no segment {seg} in document {id}; \
                                 expected <seg id=\"{seg}\"> as in the source"
                            ),
                        ))
                    }
                }
            }
            if let (Some(out), Some(s)) = (d.source.as_mut(), src.as_ref()) {
                out.push(s.segs.get(&seg).cloned().unwrap_or_default());
            }
            d.lines.push(usize::try_from(seg).unwrap_or(usize::MAX));
        }
        if !d.lines.is_empty() {
            documents.push(d);
        }
    }
    if documents.is_empty() {
        return Err(Error::input(
            Location::file(path),
            format!("no segment with a reference in {what}; expected <ref> segments"),
        ));
    }
    let name = path
        .file_name()
        .map(|f| f.to_string_lossy())
        .map(|f| f.strip_suffix(".xml").unwrap_or(&f).to_string())
        .unwrap_or_default();
    Ok(Corpus {
        name,
        ref_names,
        system_names,
        documents,
    })
}

fn required<'a, 'i>(
    node: &Node<'a, 'i>,
    attr: &str,
    at: &dyn Fn(Node) -> Location,
) -> Result<&'a str> {
    node.attribute(attr).ok_or_else(|| {
        Error::input(
            at(*node),
            format!(
                "<{}> without a {attr} attribute; expected {attr}=\"...\"",
                node.tag_name().name()
            ),
        )
    })
}

/// The `<seg>` elements anywhere below `parent` (usually inside `<p>`), by integer id.
fn segments<'a>(
    parent: Node<'a, 'a>,
    doc: &str,
    at: &dyn Fn(Node) -> Location,
) -> Result<Segs<'a>> {
    let mut segs = HashMap::new();
    for seg in parent.descendants().filter(|n| n.has_tag_name("seg")) {
        let raw = required(&seg, "id", at)?;
        let Ok(id) = raw.parse::<u64>() else {
            return Err(Error::input(
                at(seg).with_document(doc),
                format!("segment id {raw:?}; expected a non-negative integer"),
            ));
        };
        if let Some(child) = seg.children().find(Node::is_element) {
            return Err(Error::input(
                at(child).with_document(doc),
                format!(
                    "element <{}> inside <seg id=\"{raw}\">; expected text only",
                    child.tag_name().name()
                ),
            ));
        }
        let text: String = seg
            .children()
            .filter(Node::is_text)
            .filter_map(|n| n.text())
            .collect();
        if segs.insert(id, text).is_some() {
            return Err(Error::input(
                at(seg).with_document(doc),
                format!(
                    "second <seg id=\"{raw}\"> in this <{}>; expected unique segment ids",
                    parent.tag_name().name()
                ),
            ));
        }
    }
    Ok(Segs { segs, node: parent })
}

/// A roxmltree parse error as our error, with line and column. roxmltree reports
/// some errors at 1:1; we point those at the end of the input (unclosed root) or at the DTD.
fn xml_error(path: &Path, text: &str, e: &roxmltree::Error) -> Error {
    use roxmltree::Error as X;
    let pos = e.pos();
    let (line, col) = match e {
        X::UnclosedRootNode | X::UnexpectedEndOfStream => end_pos(text),
        X::DtdDetected => super::xml_guard::dtd_position(text),
        _ => (pos.row as usize, pos.col as usize),
    };
    let msg = e.to_string().replace(&format!(" at {pos}"), "");
    let msg = match e {
        X::DtdDetected => "document type definitions (<!DOCTYPE>) are refused \
                           (entity expansion); expected a WMT XML test set without DTD"
            .to_string(),
        _ => format!("malformed XML: {msg}"),
    };
    Error::input(Location::line(path, line).with_column(col), msg)
}

#[cfg(test)]
mod tests {
    use super::super::xml_guard::MAX_XML_DEPTH;
    use super::*;

    fn parse(xml: &str) -> Result<Corpus> {
        parse_wmt_xml(Path::new("t.xml"), xml, &WmtOptions::default())
    }

    #[test]
    fn entity_expansion_bomb_is_refused() {
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n \
                   <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n\
                   <dataset>&lol1;</dataset>\n";
        let e = parse(xml).unwrap_err().to_string();
        assert!(e.contains("t.xml:2:1"), "{e}");
        assert!(e.contains("DOCTYPE"), "{e}");
    }

    fn nested(depth: usize) -> String {
        let mut xml = String::from(
            "<dataset>\n<collection id=\"general\"><doc id=\"d\" origlang=\"x\"><src><p>",
        );
        // Quoted `>` and `/>`, comments and self-closing tags must not fool the depth scan.
        xml.push_str("<!-- <a><a><a> --><e a='>'/><![CDATA[<a><a>]]><?pi <a>?>");
        xml.push_str(&"<q x=\"/>\">".repeat(depth));
        xml.push_str(&"</q>".repeat(depth));
        xml.push_str("<seg id=\"1\">a</seg></p></src><ref translator=\"A\"><p><seg id=\"1\">b</seg></p></ref>");
        xml.push_str(
            "<hyp system=\"S\"><p><seg id=\"1\">c</seg></p></hyp></doc></collection></dataset>",
        );
        xml
    }

    #[test]
    fn deep_nesting_is_refused_before_it_can_overflow_the_stack() {
        // Regression: roxmltree 0.20 recursed 200,000 levels deep and aborted the test process.
        let e = parse(&nested(200_000)).unwrap_err().to_string();
        assert!(e.contains("nested more than 256 deep"), "{e}");
        // <dataset> on line 1, then collection, doc, src, p (4) + 252 <q> on line 2.
        let col = 1
            + "<collection id=\"general\"><doc id=\"d\" origlang=\"x\"><src><p>".len()
            + "<!-- <a><a><a> --><e a='>'/><![CDATA[<a><a>]]><?pi <a>?>".len()
            + 251 * "<q x=\"/>\">".len();
        assert!(e.contains(&format!("t.xml:2:{col}:")), "{e}");
        // Within the bound the same shape reads fine.
        let c = parse(&nested(MAX_XML_DEPTH - 5)).unwrap();
        assert_eq!(c.documents[0].hyps, [["c"]]);
        assert_eq!(c.documents[0].refs, [["b"]]);
        assert!(parse(&nested(MAX_XML_DEPTH - 4)).is_err());
    }

    #[test]
    fn segments_without_reference_are_skipped_and_missing_refs_are_empty() {
        let xml = r#"<dataset><collection id="general"><doc id="d" origlang="x">
<src><p><seg id="1">s1</seg><seg id="2">s2</seg><seg id="3">s3</seg></p></src>
<ref translator="A"><p><seg id="1">a1</seg><seg id="2"/><seg id="3">a3</seg></p></ref>
<ref translator="B"><p><seg id="1">b1</seg></p></ref>
<hyp system="S"><p><seg id="1">h<!-- c -->1</seg><seg id="3"></seg></p></hyp>
</doc></collection></dataset>"#;
        let c = parse(xml).unwrap();
        let d = &c.documents[0];
        assert_eq!(c.ref_names, ["A", "B"]);
        assert_eq!(d.refs, [vec!["a1", "a3"], vec!["b1", ""]]);
        assert_eq!(d.hyps, [["h1", ""]]);
        assert_eq!(
            d.source.as_deref(),
            Some(&["s1".to_string(), "s3".to_string()][..])
        );
        assert_eq!(d.lines, [1, 3]);
    }

    #[test]
    fn hyp_missing_a_segment_names_doc_seg_and_system() {
        let xml = r#"<dataset><collection id="general"><doc id="d7" origlang="x">
<src><p><seg id="1">s1</seg><seg id="2">s2</seg></p></src>
<ref translator="A"><p><seg id="1">a1</seg><seg id="2">a2</seg></p></ref>
<hyp system="S"><p><seg id="1">h1</seg></p></hyp>
</doc></collection></dataset>"#;
        let e = parse(xml).unwrap_err().to_string();
        assert!(e.contains("t.xml:4:1"), "{e}");
        assert!(
            e.contains("system S has no segment 2 in document d7"),
            "{e}"
        );
    }
}
