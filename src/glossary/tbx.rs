//! TBX-Basic (ISO 30042) glossaries.
//!
//! Read with `roxmltree`. Element names are compared without namespace, so both the TBX 2008
//! (`termEntry` / `langSet` / `tig` or `ntig`) and the TBX v3 (`conceptEntry` / `langSec` /
//! `termSec`) spellings are accepted. For each concept entry:
//!
//! * the language section whose `xml:lang` matches `target_lang` (case-insensitive; `en`
//!   matches `en-GB`) gives the target forms, by `termNote type="administrativeStatus"`:
//!   `preferredTerm-admn-sts` (or `preferred`) -> the expected form (the first one; later ones
//!   become allowed), `admittedTerm-admn-sts` / no status -> allowed (the first becomes
//!   expected when there is no preferred term), `deprecatedTerm-admn-sts` /
//!   `supersededTerm-admn-sts` / `forbidden` -> forbidden;
//! * `termNote type="partOfSpeech"` `properNoun` makes the entry a name (case-sensitive),
//!   `noun` enables plural inflection; anything else is a term;
//! * the first preferred or admitted term of the `source_lang` section, when asked for, is the
//!   source term; a `descrip type="definition"` or `note` becomes the note;
//! * the id is the entry's `id` (or `xml:id`) attribute, else `tbx-N` (N counting entries).
//!
//! Entries without a target section are skipped (a TBX file is often multilingual); a target
//! section with only forbidden terms is an error naming the file and line, and so is a file
//! without any entry in the target language.
//!
//! Hostile input: the shared XML guard ([`crate::corpus::xml_guard`]) refuses nesting deeper
//! than 256 elements and elements with more than 256 attributes before roxmltree parses, and a
//! DOCTYPE with an internal subset is refused (no entity can be declared, so none can expand;
//! TBX 2008's external `<!DOCTYPE martif SYSTEM "...">` is accepted and never fetched).

use std::path::Path;

use roxmltree::{Document, Node, ParsingOptions};

use super::{Entry, Glossary, TermKind};
use crate::corpus::xml_guard::{check_shape, dtd_position, internal_subset};
use crate::error::{Error, Location, Result};

/// What a TBX file should be, for errors.
const EXPECTED: &str = "a TBX glossary (tbx/text/body/conceptEntry/langSec/termSec/term)";

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Preferred,
    Admitted,
    Forbidden,
}

fn status(s: &str) -> Option<Status> {
    match s.trim() {
        "preferredTerm-admn-sts" | "preferred" | "preferredTerm" => Some(Status::Preferred),
        "admittedTerm-admn-sts" | "admitted" | "admittedTerm" => Some(Status::Admitted),
        "deprecatedTerm-admn-sts"
        | "supersededTerm-admn-sts"
        | "deprecated"
        | "superseded"
        | "forbidden"
        | "deprecatedTerm"
        | "supersededTerm" => Some(Status::Forbidden),
        _ => None,
    }
}

fn lang_matches(have: &str, want: &str) -> bool {
    let have = have.to_ascii_lowercase();
    let want = want.to_ascii_lowercase();
    have == want || have.starts_with(&format!("{want}-")) || have.starts_with(&format!("{want}_"))
}

fn children_named<'a, 'i>(
    n: Node<'a, 'i>,
    names: &'static [&'static str],
) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children()
        .filter(move |c| c.is_element() && names.contains(&c.tag_name().name()))
}

fn text_of(n: Node) -> String {
    // Inline markup inside <term> (e.g. <hi>) is flattened to its text.
    let s: String = n
        .descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Term {
    text: String,
    status: Status,
    pos: Option<String>,
}

fn terms_of(lang_sec: Node, path: &Path, doc: &Document) -> Result<Vec<Term>> {
    let mut v = Vec::new();
    for ts in children_named(lang_sec, &["termSec", "tig", "ntig"]) {
        // ntig nests the term in termGrp.
        let holder = children_named(ts, &["termGrp"]).next().unwrap_or(ts);
        let Some(term) = children_named(holder, &["term"]).next() else {
            continue;
        };
        let text = text_of(term);
        if text.is_empty() {
            let p = doc.text_pos_at(term.range().start);
            return Err(Error::input(
                Location::line(path, p.row as usize).with_column(p.col as usize),
                "empty <term>",
            ));
        }
        let mut st = Status::Admitted;
        let mut pos = None;
        for note in holder
            .descendants()
            .filter(|d| d.is_element() && d.tag_name().name() == "termNote")
        {
            match note.attribute("type") {
                Some("administrativeStatus") => {
                    let val = text_of(note);
                    st = status(&val).ok_or_else(|| {
                        let p = doc.text_pos_at(note.range().start);
                        Error::input(
                            Location::line(path, p.row as usize).with_column(p.col as usize),
                            format!(
                                "unknown administrativeStatus {val:?}; expected \
                                 preferredTerm-admn-sts, admittedTerm-admn-sts or \
                                 deprecatedTerm-admn-sts"
                            ),
                        )
                    })?;
                }
                Some("partOfSpeech") => pos = Some(text_of(note)),
                _ => {}
            }
        }
        v.push(Term {
            text,
            status: st,
            pos,
        });
    }
    Ok(v)
}

pub(super) fn parse(
    text: &str,
    path: &Path,
    target_lang: &str,
    source_lang: Option<&str>,
) -> Result<Glossary> {
    check_shape(path, text, EXPECTED)?;
    // An external DOCTYPE (TBX 2008's martif) is never fetched; an internal subset could
    // declare entities, so it is refused and no entity can expand.
    if internal_subset(text).is_some() {
        let (line, col) = dtd_position(text);
        return Err(Error::input(
            Location::line(path, line).with_column(col),
            format!(
                "a <!DOCTYPE> with declarations in [...] (entities) is refused; expected \
                 {EXPECTED} without them (an external DOCTYPE such as martif's is fine)"
            ),
        ));
    }
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, opts).map_err(|e| {
        let p = e.pos();
        Error::input(
            Location::line(path, p.row as usize).with_column(p.col as usize),
            format!("malformed TBX (XML): {e}"),
        )
    })?;
    let mut glossary = Glossary::new();
    for (i, entry) in doc
        .descendants()
        .filter(|d| d.is_element() && matches!(d.tag_name().name(), "termEntry" | "conceptEntry"))
        .enumerate()
    {
        let n = i + 1;
        let pos = doc.text_pos_at(entry.range().start);
        let loc = || Location::line(path, pos.row as usize).with_column(pos.col as usize);
        let lang_secs: Vec<Node> = children_named(entry, &["langSec", "langSet"]).collect();
        let lang_of = |n: &Node| {
            n.attribute((XML_NS, "lang"))
                .or_else(|| n.attribute("lang"))
                .unwrap_or("")
                .to_string()
        };
        let Some(target) = lang_secs
            .iter()
            .find(|s| lang_matches(&lang_of(s), target_lang))
        else {
            continue;
        };
        let terms = terms_of(*target, path, &doc)?;
        let id = entry
            .attribute("id")
            .or_else(|| entry.attribute((XML_NS, "id")))
            .map(str::to_string)
            .unwrap_or_else(|| format!("tbx-{n}"));
        let expected_idx = terms
            .iter()
            .position(|t| t.status == Status::Preferred)
            .or_else(|| terms.iter().position(|t| t.status == Status::Admitted));
        let Some(ei) = expected_idx else {
            return Err(Error::input(
                loc(),
                format!("entry {id}: no preferred or admitted {target_lang} term"),
            ));
        };
        let pos_of = terms[ei].pos.as_deref().unwrap_or("");
        let kind = if pos_of.eq_ignore_ascii_case("properNoun") {
            TermKind::Name
        } else {
            TermKind::Term
        };
        let mut e = Entry::new(id, terms[ei].text.clone(), kind);
        e.inflect = pos_of.eq_ignore_ascii_case("noun");
        for (i, t) in terms.iter().enumerate() {
            if i == ei {
                continue;
            }
            match t.status {
                Status::Forbidden => e.forbidden.push(t.text.clone()),
                _ => e.allowed.push(t.text.clone()),
            }
        }
        if let Some(sl) = source_lang {
            if let Some(src) = lang_secs.iter().find(|s| lang_matches(&lang_of(s), sl)) {
                let st = terms_of(*src, path, &doc)?;
                e.source = st
                    .iter()
                    .find(|t| t.status == Status::Preferred)
                    .or_else(|| st.iter().find(|t| t.status == Status::Admitted))
                    .map(|t| t.text.clone());
            }
        }
        e.note = entry
            .descendants()
            .find(|d| {
                d.is_element()
                    && (d.tag_name().name() == "note"
                        || (d.tag_name().name() == "descrip"
                            && d.attribute("type") == Some("definition")))
            })
            .map(text_of)
            .filter(|s| !s.is_empty());
        glossary.push(e).map_err(|msg| Error::input(loc(), msg))?;
    }
    if glossary.is_empty() {
        return Err(Error::input(
            Location::file(path),
            format!(
                "no entry has a {target_lang:?} language section; expected {EXPECTED} with \
                 terms in the target language (--glossary-lang)"
            ),
        ));
    }
    Ok(glossary)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TBX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="cf">
      <langSec xml:lang="es">
        <termSec><term>alto el fuego</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
      </langSec>
      <langSec xml:lang="en-US">
        <termSec><term>cease-fire</term>
          <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
        <termSec><term>ceasefire</term>
          <termNote type="partOfSpeech">noun</termNote>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>high fire</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
    <termEntry id="hegseth">
      <langSet xml:lang="en"><tig><term>Pete Hegseth</term>
        <termNote type="partOfSpeech">properNoun</termNote></tig></langSet>
    </termEntry>
    <conceptEntry id="fr-only"><langSec xml:lang="fr"><termSec><term>x</term></termSec></langSec></conceptEntry>
  </body></text>
</tbx>"#;

    #[test]
    fn reads_statuses_languages_and_kinds() {
        let g = parse(TBX, Path::new("g.tbx"), "en", Some("es")).unwrap();
        assert_eq!(g.len(), 2);
        let cf = g.get("cf").unwrap();
        assert_eq!(cf.expected, "ceasefire");
        assert_eq!(cf.allowed, ["cease-fire"]);
        assert_eq!(cf.forbidden, ["high fire"]);
        assert_eq!(cf.source.as_deref(), Some("alto el fuego"));
        assert!(cf.inflect && !cf.case_sensitive);
        let h = g.get("hegseth").unwrap();
        assert_eq!(h.kind, TermKind::Name);
        assert!(h.case_sensitive);
    }

    #[test]
    fn errors_name_the_line() {
        let bad = "<tbx>\n<text><body>\n<conceptEntry id=\"a\"><langSec xml:lang=\"en\">\n<termSec><term>x</term><termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote></termSec></langSec></conceptEntry></body></text></tbx>";
        let e = parse(bad, Path::new("g.tbx"), "en", None)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("g.tbx:3:1"), "{e}");
        let e = parse("<tbx>\n<oops></tbx>", Path::new("g.tbx"), "en", None)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("g.tbx:2"), "{e}");
    }
}
