//! Finding every glossary form in a text at once.
//!
//! All forms of all entries (expected, allowed, forbidden, and their plurals for entries with
//! `inflect`) go into one Aho-Corasick automaton, built over a *folded* key of each form: every
//! character is mapped by [`norm_char`] (typography, when enabled) and then lower-cased with
//! `char::to_lowercase`, one character at a time. Texts are folded the same way into a reused
//! buffer that remembers, for each folded byte, the byte of the original text it came from, so
//! matches are reported as byte ranges of the *original* text (Unicode case mappings that change
//! the length, such as `İ` -> `i̇`, are handled; a match may not start or end inside one such
//! expansion). Case-sensitive forms are then checked against the original text.
//!
//! A match is valid when
//! * it starts and ends at word boundaries: if its first (last) character is a word character
//!   ([`is_word_char`]), the character before (after) it is not one; so `fire` is not found in
//!   `ceasefire`, while `Hegseth` is found in `Hegseth's` and `Ukraine` in `Russia-Ukraine`;
//! * for a case-sensitive form, the original text equals the form (after typography mapping).
//!
//! Selection is *leftmost-longest among valid matches*: the automaton runs with
//! `MatchKind::LeftmostLongest`; when its match is not valid, shorter matches at the same start
//! are tried with anchored searches that end before it, and only then does the search move on.
//! So `Russia-Ukraine war` in the glossary does not hide `Russia` in `Russia-Ukraine warfare`.
//! Matches never overlap; one span can carry several entries when they share a form.
//!
//! Cost: folding is O(n); the search is O(n) automaton steps plus, for each rejected match, one
//! anchored search per shorter candidate at that start (bounded by the longest form). The
//! automaton (a contiguous NFA for large glossaries) is built once; its size is linear in the
//! total length of the forms, and the search cost per byte does not depend on the number of forms.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

use super::{is_word_char, Entry, Glossary};
use crate::error::{Error, Result};

/// Which list of an entry a matched form comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FormKind {
    Expected,
    Allowed,
    Forbidden,
}

/// One match of a glossary form: `text[start..end]` of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMatch {
    pub start: usize,
    pub end: usize,
    /// Index of the entry in [`Glossary::entries`].
    pub entry: usize,
    pub kind: FormKind,
    /// Index into `allowed` / `forbidden` (0 for `Expected`).
    pub variant: usize,
    /// True when the match is a generated plural of the form.
    pub inflected: bool,
}

impl TermMatch {
    /// True for expected and allowed forms.
    pub fn is_accepted(&self) -> bool {
        self.kind != FormKind::Forbidden
    }
}

/// How texts and forms are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatcherOptions {
    /// Map typographic quotes, apostrophes, dashes and non-breaking spaces to their ASCII forms
    /// before matching (`norm_char`), so quote style is never a term error. Default true.
    pub typography: bool,
}

impl Default for MatcherOptions {
    fn default() -> Self {
        MatcherOptions { typography: true }
    }
}

/// Caller-owned scratch space for [`Matcher::find_into`], reused across texts so the hot loop
/// does not allocate.
#[derive(Debug, Default, Clone)]
pub struct MatchBuffer {
    folded: String,
    /// For each byte of `folded` (and one past the end): the original byte offset where the
    /// expansion of an original character starts there, or `NO_MAP` inside an expansion.
    /// Empty when the text is ASCII (offsets are then the identity).
    map: Vec<usize>,
}

const NO_MAP: usize = usize::MAX;

/// One form in the automaton.
#[derive(Debug, Clone)]
struct Candidate {
    entry: u32,
    kind: FormKind,
    variant: u32,
    inflected: bool,
    case_sensitive: bool,
    /// The form after typography mapping, original case (for the case-sensitive check).
    form: Box<str>,
}

/// All forms of a glossary in one automaton. Immutable after construction; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Matcher {
    ac: Option<AhoCorasick>,
    /// Candidates sorted by pattern id; `ranges[p]` is pattern `p`'s slice of `cands`.
    cands: Vec<Candidate>,
    ranges: Vec<(u32, u32)>,
    opts: MatcherOptions,
}

/// Maps one character for matching when `typography` is on: curly and prime apostrophes and the
/// backtick to `'`, curly and angle quotes to `"`, hyphen and dash characters (U+2010..U+2015,
/// U+2212) to `-`, and horizontal whitespace (no-break and other spaces) to ` `. Line breaks are
/// kept, so a multi-word term never matches across segments joined by `\n`. One character in,
/// one character out, so offsets survive.
pub fn norm_char(c: char, typography: bool) -> char {
    if !typography {
        return c;
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\n' => '\n',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

/// The folded key of a form: [`norm_char`] then `char::to_lowercase`, per character.
fn fold_key(form: &str, typography: bool) -> String {
    let mut s = String::with_capacity(form.len());
    for c in form.chars() {
        s.extend(norm_char(c, typography).to_lowercase());
    }
    s
}

/// English plurals of the last word of `form`: `+s`, `+es`, and `y` -> `ies` after a consonant.
/// Over-generation (`ceasefirees`) is harmless: such strings do not occur in real text.
fn plurals(form: &str) -> Vec<String> {
    let mut v = vec![format!("{form}s"), format!("{form}es")];
    let mut rev = form.chars().rev();
    if let (Some(y), Some(before)) = (rev.next(), rev.next()) {
        if (y == 'y' || y == 'Y') && before.is_alphabetic() && !"aeiouAEIOU".contains(before) {
            let stem = &form[..form.len() - 1];
            v.push(format!("{stem}{}", if y == 'Y' { "IES" } else { "ies" }));
        }
    }
    v
}

impl Matcher {
    /// A matcher over the target-side forms of `glossary` (expected, allowed, forbidden).
    pub fn new(glossary: &Glossary, opts: MatcherOptions) -> Result<Matcher> {
        let mut forms = Vec::new();
        for (i, e) in glossary.entries().iter().enumerate() {
            push_forms(&mut forms, i, e, FormKind::Expected, 0, &e.expected);
            for (v, a) in e.allowed.iter().enumerate() {
                push_forms(&mut forms, i, e, FormKind::Allowed, v, a);
            }
            for (v, f) in e.forbidden.iter().enumerate() {
                push_forms(&mut forms, i, e, FormKind::Forbidden, v, f);
            }
        }
        Matcher::build(forms, opts)
    }

    /// A matcher over the source terms of `glossary` (reported as `FormKind::Expected`; entries
    /// without a source term are left out). Source terms are matched without inflection.
    pub fn for_source(glossary: &Glossary, opts: MatcherOptions) -> Result<Matcher> {
        let mut forms = Vec::new();
        for (i, e) in glossary.entries().iter().enumerate() {
            if let Some(src) = e.source.as_deref().filter(|s| !s.trim().is_empty()) {
                forms.push(FormSpec {
                    entry: i,
                    kind: FormKind::Expected,
                    variant: 0,
                    inflected: false,
                    case_sensitive: e.case_sensitive,
                    form: src.to_string(),
                });
            }
        }
        Matcher::build(forms, opts)
    }

    fn build(forms: Vec<FormSpec>, opts: MatcherOptions) -> Result<Matcher> {
        let mut pattern_ids: HashMap<String, u32> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut tagged: Vec<(u32, Candidate)> = Vec::with_capacity(forms.len());
        for f in forms {
            let key = fold_key(&f.form, opts.typography);
            if key.is_empty() {
                continue;
            }
            let pid = *pattern_ids.entry(key).or_insert_with_key(|k| {
                patterns.push(k.clone());
                (patterns.len() - 1) as u32
            });
            let form: String = f
                .form
                .chars()
                .map(|c| norm_char(c, opts.typography))
                .collect();
            tagged.push((
                pid,
                Candidate {
                    entry: f.entry as u32,
                    kind: f.kind,
                    variant: f.variant as u32,
                    inflected: f.inflected,
                    case_sensitive: f.case_sensitive,
                    form: form.into_boxed_str(),
                },
            ));
        }
        tagged.sort_by_key(|(p, _)| *p);
        let mut ranges = vec![(0u32, 0u32); patterns.len()];
        let mut cands = Vec::with_capacity(tagged.len());
        for (p, c) in tagged {
            let r = &mut ranges[p as usize];
            if r.0 == r.1 {
                r.0 = cands.len() as u32;
            }
            cands.push(c);
            r.1 = cands.len() as u32;
        }
        let ac = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(StartKind::Both)
                    .build(&patterns)
                    .map_err(|e| {
                        Error::config(format!("cannot build the glossary automaton: {e}"))
                    })?,
            )
        };
        Ok(Matcher {
            ac,
            cands,
            ranges,
            opts,
        })
    }

    /// Number of distinct folded patterns in the automaton.
    pub fn num_patterns(&self) -> usize {
        self.ranges.len()
    }

    /// All matches in `text`, in text order (convenience wrapper over [`Matcher::find_into`]).
    pub fn find(&self, text: &str) -> Vec<TermMatch> {
        let mut buf = MatchBuffer::default();
        let mut out = Vec::new();
        self.find_into(text, &mut buf, &mut out);
        out
    }

    /// Appends all matches in `text` to `out` (cleared first), in text order; `buf` is scratch.
    pub fn find_into(&self, text: &str, buf: &mut MatchBuffer, out: &mut Vec<TermMatch>) {
        out.clear();
        let Some(ac) = &self.ac else { return };
        fold_text(text, self.opts.typography, buf);
        let hay = buf.folded.as_bytes();
        let orig = |k: usize| -> usize {
            if buf.map.is_empty() {
                k
            } else {
                buf.map[k]
            }
        };
        let mut pos = 0;
        while pos < hay.len() {
            let Some(m) = ac.find(Input::new(hay).span(pos..hay.len())) else {
                break;
            };
            let s = m.start();
            let os = orig(s);
            if os == NO_MAP || !starts_word(text, os) {
                pos = s + 1;
                continue;
            }
            let mut cur = Some(m);
            let mut accepted = false;
            while let Some(m) = cur {
                let oe = orig(m.end());
                if oe != NO_MAP && ends_word(text, oe) {
                    let before = out.len();
                    self.push_accepted(text, os, oe, m.pattern().as_usize(), out);
                    if out.len() > before {
                        pos = m.end();
                        accepted = true;
                        break;
                    }
                }
                cur = if m.end() > s + 1 {
                    ac.find(Input::new(hay).span(s..m.end() - 1).anchored(Anchored::Yes))
                } else {
                    None
                };
            }
            if !accepted {
                pos = s + 1;
            }
        }
    }

    fn push_accepted(
        &self,
        text: &str,
        os: usize,
        oe: usize,
        pid: usize,
        out: &mut Vec<TermMatch>,
    ) {
        let (a, b) = self.ranges[pid];
        let slice = &text[os..oe];
        let first = out.len();
        for c in &self.cands[a as usize..b as usize] {
            // Two forms of one entry can fold to the same key (`Russia-Ukraine` and
            // `Russia–Ukraine`): report the entry once, with its first (expected) form.
            if out[first..].iter().any(|m| m.entry == c.entry as usize) {
                continue;
            }
            if c.case_sensitive
                && !slice
                    .chars()
                    .map(|ch| norm_char(ch, self.opts.typography))
                    .eq(c.form.chars())
            {
                continue;
            }
            out.push(TermMatch {
                start: os,
                end: oe,
                entry: c.entry as usize,
                kind: c.kind,
                variant: c.variant as usize,
                inflected: c.inflected,
            });
        }
    }
}

struct FormSpec {
    entry: usize,
    kind: FormKind,
    variant: usize,
    inflected: bool,
    case_sensitive: bool,
    form: String,
}

fn push_forms(
    out: &mut Vec<FormSpec>,
    entry: usize,
    e: &Entry,
    kind: FormKind,
    variant: usize,
    form: &str,
) {
    let form = form.trim();
    if form.is_empty() {
        return;
    }
    let spec = |f: String, inflected| FormSpec {
        entry,
        kind,
        variant,
        inflected,
        case_sensitive: e.case_sensitive,
        form: f,
    };
    out.push(spec(form.to_string(), false));
    if e.inflect {
        for p in plurals(form) {
            out.push(spec(p, true));
        }
    }
}

/// Folds `text` into `buf` (see the module docs). ASCII text takes a fast path with identity
/// offsets (every mapping is then one byte to one byte).
fn fold_text(text: &str, typography: bool, buf: &mut MatchBuffer) {
    buf.folded.clear();
    buf.map.clear();
    if text.is_ascii() {
        buf.folded.reserve(text.len());
        for &b in text.as_bytes() {
            let c = norm_char(b as char, typography).to_ascii_lowercase();
            buf.folded.push(c);
        }
        return;
    }
    buf.map.reserve(text.len() + 1);
    for (i, c) in text.char_indices() {
        buf.folded.extend(norm_char(c, typography).to_lowercase());
        // First byte of the expansion maps to `i`, the rest to NO_MAP (`resize` also keeps the
        // map aligned should a character ever fold to nothing).
        buf.map.push(i);
        buf.map.resize(buf.folded.len(), NO_MAP);
    }
    buf.map.push(text.len());
}

/// True when a match starting at byte `at` of `text` starts a word.
fn starts_word(text: &str, at: usize) -> bool {
    let first = text[at..].chars().next();
    match first {
        Some(c) if is_word_char(c) => !text[..at].chars().next_back().is_some_and(is_word_char),
        _ => true,
    }
}

/// True when a match ending at byte `at` of `text` ends a word.
fn ends_word(text: &str, at: usize) -> bool {
    let last = text[..at].chars().next_back();
    match last {
        Some(c) if is_word_char(c) => !text[at..].chars().next().is_some_and(is_word_char),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::TermKind;

    fn glossary(entries: Vec<Entry>) -> Glossary {
        Glossary::from_entries(entries).unwrap()
    }

    fn spans(m: &Matcher, text: &str) -> Vec<(String, usize, FormKind)> {
        m.find(text)
            .into_iter()
            .map(|t| (text[t.start..t.end].to_string(), t.entry, t.kind))
            .collect()
    }

    #[test]
    fn whole_words_leftmost_longest() {
        let mut cf = Entry::new("cf", "ceasefire", TermKind::Term);
        cf.forbidden = vec!["fire".into(), "high fire".into()];
        let mut war = Entry::new("war", "Russia-Ukraine war", TermKind::Term);
        war.case_sensitive = false;
        let ru = Entry::new("ru", "Russia", TermKind::Name);
        let g = glossary(vec![cf, war, ru]);
        let m = Matcher::new(&g, MatcherOptions::default()).unwrap();
        assert_eq!(
            spans(&m, "a ceasefire, a high fire, fireworks"),
            [
                ("ceasefire".into(), 0, FormKind::Expected),
                ("high fire".into(), 0, FormKind::Forbidden)
            ]
        );
        // The longest form fails its end boundary; the shorter valid one is still found.
        assert_eq!(
            spans(&m, "the Russia-Ukraine warfare and the russia-ukraine war."),
            [
                ("Russia".into(), 2, FormKind::Expected),
                ("russia-ukraine war".into(), 1, FormKind::Expected)
            ]
        );
        // Case-sensitive name: lower-case "russia" alone is not it.
        assert_eq!(spans(&m, "russia"), []);
    }

    #[test]
    fn possessive_and_plural() {
        let mut cf = Entry::new("cf", "ceasefire", TermKind::Term);
        cf.inflect = true;
        let mut pol = Entry::new("pol", "policy", TermKind::Term);
        pol.inflect = true;
        let h = Entry::new("h", "Pete Hegseth", TermKind::Name);
        let g = glossary(vec![cf, pol, h]);
        let m = Matcher::new(&g, MatcherOptions::default()).unwrap();
        let got = m.find("Pete Hegseth’s ceasefires and policies");
        assert_eq!(got.len(), 3);
        assert!(!got[0].inflected && got[1].inflected && got[2].inflected);
        let mut strict = Entry::new("cf", "ceasefire", TermKind::Term);
        strict.inflect = false;
        let m = Matcher::new(&glossary(vec![strict]), MatcherOptions::default()).unwrap();
        assert!(m.find("ceasefires").is_empty());
    }

    #[test]
    fn unicode_offsets_map_back() {
        // 'İ' lower-cases to two characters (3 bytes); offsets after it must still be right.
        let e = Entry::new("k", "kyiv", TermKind::Term);
        let g = glossary(vec![e]);
        let m = Matcher::new(&g, MatcherOptions::default()).unwrap();
        let text = "İİ – Kyiv’s “KYIV”";
        let got = m.find(text);
        let found: Vec<_> = got.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(found, ["Kyiv", "KYIV"]);
    }

    #[test]
    fn typography_is_normalised() {
        let e = Entry::new("q", "Hegseth's order", TermKind::Name);
        let m = Matcher::new(&glossary(vec![e.clone()]), MatcherOptions::default()).unwrap();
        assert_eq!(m.find("Hegseth’s order").len(), 1);
        let m = Matcher::new(&glossary(vec![e]), MatcherOptions { typography: false }).unwrap();
        assert_eq!(m.find("Hegseth’s order").len(), 0);
    }

    #[test]
    fn shared_form_reports_every_entry() {
        let a = Entry::new("a", "bank", TermKind::Term);
        let b = Entry::new("b", "Bank", TermKind::Organisation);
        let m = Matcher::new(&glossary(vec![a, b]), MatcherOptions::default()).unwrap();
        assert_eq!(m.find("Bank").len(), 2);
        assert_eq!(m.find("bank").len(), 1);
    }

    /// Slow twin: at each position from left to right, the longest form that matches there at
    /// word boundaries (case-insensitive, ASCII).
    fn naive(forms: &[&str], text: &str) -> Vec<(usize, usize)> {
        let lower = text.to_ascii_lowercase();
        let mut out = Vec::new();
        let mut pos = 0;
        'outer: while pos < text.len() {
            let from = pos;
            for s in from..text.len() {
                if !starts_word(text, s) {
                    continue;
                }
                let best = forms
                    .iter()
                    .map(|f| f.to_ascii_lowercase())
                    .filter(|f| lower[s..].starts_with(f.as_str()) && ends_word(text, s + f.len()))
                    .map(|f| f.len())
                    .max();
                if let Some(n) = best {
                    out.push((s, s + n));
                    pos = s + n;
                    continue 'outer;
                }
            }
            break;
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_naive(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["a", "ab", "b", "ab-c", "c", "B", "-", "x", "abc"]), 0..14),
            seps in proptest::collection::vec(proptest::sample::select(vec![" ", "", "-", ", "]), 14),
        ) {
            let forms = ["a", "ab", "ab c", "ab-c", "b c", "c", "abc ab", "a b"];
            let entries: Vec<Entry> = forms
                .iter()
                .enumerate()
                .map(|(i, f)| Entry::new(format!("e{i}"), *f, TermKind::Term))
                .collect();
            let m = Matcher::new(&glossary(entries), MatcherOptions { typography: false }).unwrap();
            let mut text = String::new();
            for (w, s) in words.iter().zip(&seps) {
                text.push_str(w);
                text.push_str(s);
            }
            let mut got: Vec<(usize, usize)> = m.find(&text).iter().map(|t| (t.start, t.end)).collect();
            got.dedup();
            proptest::prop_assert_eq!(got, naive(&forms, &text), "{:?}", text);
        }
    }
}
