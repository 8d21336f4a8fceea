//! A glossary derived from reference text alone: names (single name tokens, see
//! [`name_tokens`]) and multi-word capitalised terms (every run of 2..=`max_words` name tokens
//! separated only by spaces, and the shorter runs inside longer ones, e.g. `Vladimir Putin`,
//! `Capitol Hill`) that occur in at least `min_documents` documents. A single token is kept
//! only if, over the whole corpus, its lower-cased form occurs less often than it occurs
//! capitalised in a non-initial position (so `Development` from `Agency for Regulation and
//! Development` is dropped when `development` is a common word, and `No` from `No. 5` too);
//! acronyms (no lower-case letter: `US`, `WHO`) are exempt. Every entry is a case-sensitive [`TermKind::Name`] with id
//! `name:<text>`, no variants and no inflection. Entries are sorted by text, so the result does
//! not depend on document order.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{name_tokens, word_spans, Entry, Glossary, TermKind};

/// Options of [`names_from_reference`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeriveOptions {
    /// Keep names found in at least this many documents (default 2: "more than one").
    pub min_documents: usize,
    /// Longest multi-word name, in tokens (default 4).
    pub max_words: usize,
}

impl Default for DeriveOptions {
    fn default() -> Self {
        DeriveOptions {
            min_documents: 2,
            max_words: 4,
        }
    }
}

/// Derives a name glossary from reference documents, each given as its segments.
/// O(total text length) plus sorting the distinct names.
pub fn names_from_reference(documents: &[Vec<&str>], opts: DeriveOptions) -> Glossary {
    let mut doc_freq: BTreeMap<String, usize> = BTreeMap::new();
    // corpus-wide: capitalised non-initial counts of name tokens, lower-case token counts
    let mut cap: HashMap<String, usize> = HashMap::new();
    let mut lower: HashMap<&str, usize> = HashMap::new();
    for segments in documents {
        for seg in segments {
            for (s, e) in word_spans(seg) {
                let w = &seg[s..e];
                if w.starts_with(char::is_lowercase) {
                    *lower.entry(w).or_default() += 1;
                }
            }
        }
        let toks = name_tokens(segments);
        for t in toks.iter().filter(|t| !t.initial) {
            *cap.entry(segments[t.unit][t.start..t.end].to_string())
                .or_default() += 1;
        }
        let mut seen: HashSet<String> = HashSet::new();
        let mut i = 0;
        while i < toks.len() {
            // the run of joined name tokens starting at i
            let mut j = i;
            while j + 1 < toks.len()
                && toks[j].joined_to_next
                && toks[j + 1].unit == toks[j].unit
                && only_spaces(segments[toks[j].unit], toks[j].end, toks[j + 1].start)
            {
                j += 1;
            }
            let unit = segments[toks[i].unit];
            for k in i..=j {
                seen.insert(unit[toks[k].start..toks[k].end].to_string());
            }
            // every contiguous sub-run of 2..=max_words tokens
            for a in i..j {
                for b in a + 1..=j.min(a + opts.max_words.max(1) - 1) {
                    seen.insert(unit[toks[a].start..toks[b].end].to_string());
                }
            }
            i = j + 1;
        }
        for s in seen {
            *doc_freq.entry(s).or_default() += 1;
        }
    }
    let entries = doc_freq
        .into_iter()
        .filter(|(_, n)| *n >= opts.min_documents.max(1))
        .filter(|(text, _)| {
            text.contains(' ')
                || !text.chars().any(char::is_lowercase)
                || lower
                    .get(text.to_lowercase().as_str())
                    .copied()
                    .unwrap_or(0)
                    < cap.get(text).copied().unwrap_or(0)
        })
        .map(|(text, _)| Entry::new(format!("name:{text}"), text, TermKind::Name));
    // Ids are unique (map keys) and forms non-empty, so this cannot fail; an empty glossary is
    // the safe answer should it ever.
    Glossary::from_entries(entries).unwrap_or_default()
}

fn only_spaces(text: &str, a: usize, b: usize) -> bool {
    a < b && text[a..b].chars().all(|c| c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_two_documents() {
        let docs = vec![
            vec![
                "Russian President Vladimir Putin met Trump.",
                "It was cold in Moscow.",
            ],
            vec![
                "Later, Vladimir Putin said the Kremlin agreed.",
                "Moscow is big.",
            ],
            vec!["Nothing about Trump in Kremlin here, said Smith."],
        ];
        let g = names_from_reference(&docs, DeriveOptions::default());
        let got: Vec<&str> = g.entries().iter().map(|e| e.expected.as_str()).collect();
        // "Moscow" is a name in document 1 only (in document 2 it is sentence-initial and not
        // capitalised elsewhere); "Vladimir Putin" is a sub-run of "President Vladimir Putin".
        assert_eq!(
            got,
            ["Kremlin", "Putin", "Trump", "Vladimir", "Vladimir Putin"]
        );
    }
}
