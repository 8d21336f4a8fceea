//! Name-like tokens of reference text, for glossary-free proper-noun checks and for deriving a
//! glossary of names.
//!
//! Tokens are whitespace-separated words with leading and trailing non-word characters removed
//! and a possessive `'s` / `’s` dropped (`“Hegseth’s,` -> `Hegseth`); an abbreviation with inner
//! periods keeps its final one (`U.S.`). A token is *capitalised*
//! when its first character is upper case and it has at least two characters. It is
//! *sentence-initial* when it is the first token of its unit (segment), when it starts with an
//! opening quote, or when the previous token ends (before closing quotes and brackets) with
//! `.`, `!`, `?`, `:`, `;` or `…`. The pronoun's contractions (`I'm`, `I’ve`) are not capitalised
//! tokens.
//!
//! A capitalised token is a *name* when, over all the units given together (a document), the
//! same string occurs capitalised in a non-initial position at least once, and its lower-cased
//! form occurs as a token less often than that (so `The`, `However`, and headline-cased
//! common words are not names, while `Putin` and `NBC` are). Sentence-initial occurrences of a
//! name count as names too.

use std::collections::HashMap;

/// Word characters for term boundaries: letters, digits (`char::is_alphanumeric`) and combining
/// diacritical marks (U+0300..U+036F), so a decomposed `é` does not end a word.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36F}').contains(&c)
}

/// One name-like token: `units[unit][start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameToken {
    pub unit: usize,
    pub start: usize,
    pub end: usize,
    /// Sentence-initial (see the module docs).
    pub initial: bool,
    /// Followed directly by the next token with only spaces between (no punctuation stripped
    /// at the end of this token or the start of the next): may continue a multi-word name.
    pub joined_to_next: bool,
}

/// A whitespace token's core: `text[start..end]` after stripping, plus stripping facts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Core {
    pub start: usize,
    pub end: usize,
    /// Raw token bounds.
    pub raw_start: usize,
    pub raw_end: usize,
}

/// Whitespace tokens of `text` with their cores (possibly empty when a token is all punctuation).
pub(crate) fn cores(text: &str) -> impl Iterator<Item = Core> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let rest = &text[pos..];
        let skip = rest.len() - rest.trim_start().len();
        let raw_start = pos + skip;
        if raw_start >= text.len() {
            return None;
        }
        let tok_len = text[raw_start..]
            .find(char::is_whitespace)
            .unwrap_or(text.len() - raw_start);
        let raw_end = raw_start + tok_len;
        pos = raw_end;
        let raw = &text[raw_start..raw_end];
        let lead = raw.len() - raw.trim_start_matches(|c| !is_word_char(c)).len();
        let mut core = raw.trim_start_matches(|c| !is_word_char(c));
        core = core.trim_end_matches(|c| !is_word_char(c));
        for poss in ["'s", "’s", "'S", "’S"] {
            if let Some(stem) = core.strip_suffix(poss) {
                if !stem.is_empty() {
                    core = stem.trim_end_matches(|c| !is_word_char(c));
                }
                break;
            }
        }
        let start = raw_start + lead;
        // keep the final period of an abbreviation with inner periods: "U.S." stays "U.S."
        let mut end = start + core.len();
        if core.contains('.') && text[end..raw_end].starts_with('.') {
            end += 1;
        }
        Some(Core {
            start,
            end,
            raw_start,
            raw_end,
        })
    })
}

/// Byte ranges of the non-empty token cores of `text` (whitespace tokens with edge punctuation
/// and a possessive `'s` stripped; see the module docs), in order.
pub fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    cores(text)
        .filter(|c| c.start < c.end)
        .map(|c| (c.start, c.end))
}

fn ends_sentence(raw: &str) -> bool {
    let t = raw.trim_end_matches(['"', '\'', '’', '”', '»', ')', ']', '}']);
    t.ends_with(['.', '!', '?', ':', ';', '…'])
}

fn opens_quote(raw: &str) -> bool {
    raw.starts_with(['"', '“', '‘', '«', '„', '\''])
}

fn is_capitalised(core: &str) -> bool {
    // the pronoun in I'm, I've, I'd, I'll
    if core.starts_with("I'") || core.starts_with("I’") {
        return false;
    }
    let mut it = core.chars();
    matches!(it.next(), Some(c) if c.is_uppercase()) && it.next().is_some()
}

/// Name tokens of `units` (the segments of one document, or one segment), in unit and text
/// order. See the module docs for the rules. O(total length) time.
pub fn name_tokens(units: &[&str]) -> Vec<NameToken> {
    struct Cand {
        unit: usize,
        core: Core,
        initial: bool,
        joined_to_next: bool,
    }
    let mut cands = Vec::new();
    // capitalised non-initial counts, and lower-case token counts
    let mut cap: HashMap<&str, usize> = HashMap::new();
    let mut lower: HashMap<String, usize> = HashMap::new();
    for (u, text) in units.iter().enumerate() {
        let mut prev_raw: Option<&str> = None;
        let toks: Vec<Core> = cores(text).collect();
        for (i, c) in toks.iter().enumerate() {
            let raw = &text[c.raw_start..c.raw_end];
            let core = &text[c.start..c.end];
            let initial = match prev_raw {
                None => true,
                Some(p) => ends_sentence(p),
            } || opens_quote(raw);
            prev_raw = Some(raw);
            if core.is_empty() {
                continue;
            }
            if is_capitalised(core) {
                if !initial {
                    *cap.entry(core).or_default() += 1;
                }
                let joined_to_next = c.end == c.raw_end
                    && toks
                        .get(i + 1)
                        .is_some_and(|n| n.start == n.raw_start && n.start < n.end);
                cands.push(Cand {
                    unit: u,
                    core: *c,
                    initial,
                    joined_to_next,
                });
            } else if core.chars().next().is_some_and(char::is_lowercase) {
                *lower.entry(core.to_string()).or_default() += 1;
            }
        }
    }
    cands
        .into_iter()
        .filter(|c| {
            let core = &units[c.unit][c.core.start..c.core.end];
            let Some(&n) = cap.get(core) else {
                return false;
            };
            let lc = lower.get(&core.to_lowercase()).copied().unwrap_or(0);
            lc < n
        })
        .map(|c| NameToken {
            unit: c.unit,
            start: c.core.start,
            end: c.core.end,
            initial: c.initial,
            joined_to_next: c.joined_to_next,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(units: &[&str]) -> Vec<String> {
        name_tokens(units)
            .iter()
            .map(|t| units[t.unit][t.start..t.end].to_string())
            .collect()
    }

    #[test]
    fn cores_strip_punctuation_and_possessive() {
        let t = "“Hegseth’s, (U.S.) — ok U.S.";
        let v: Vec<_> = cores(t).map(|c| &t[c.start..c.end]).collect();
        assert_eq!(v, ["Hegseth", "U.S.", "", "ok", "U.S."]);
    }

    #[test]
    fn sentence_initial_only_if_capitalised_elsewhere() {
        let units = [
            "The talks ended. Putin left, and Trump said “No deal.”",
            "Trump spoke to Putin. However the talks in the city failed.",
        ];
        assert_eq!(names(&units), ["Putin", "Trump", "Trump", "Putin"]);
    }

    #[test]
    fn common_words_in_headline_case_are_not_names() {
        let units = ["Talks On Ceasefire Fail", "the talks on a ceasefire fail"];
        assert_eq!(names(&units), Vec::<String>::new());
    }
}
