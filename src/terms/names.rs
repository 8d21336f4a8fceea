//! Proper nouns without a glossary: the reference's name tokens looked for in the hypothesis.

use std::collections::HashMap;

use super::{max_edits, ErrorType, NameStats, MIN_NEAR_MISS_CHARS, MIN_NEAR_MISS_JARO_WINKLER};

/// One proper-noun finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFinding {
    pub name: String,
    pub found: String,
    pub error: ErrorType,
    pub edit_distance: Option<usize>,
}

/// Checks reference names (strings, in order) against the hypothesis tokens; returns the
/// statistics and the errors (misspelt, missing). O(names + hyp tokens) plus the near-miss
/// search for names not found exactly.
pub fn name_check(names: &[&str], hyp: &str) -> (NameStats, Vec<NameFinding>) {
    let toks: Vec<(usize, usize)> = crate::glossary::word_spans(hyp).collect();
    let mut avail: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, &(s, e)) in toks.iter().enumerate().rev() {
        avail.entry(&hyp[s..e]).or_default().push(i);
    }
    let mut used = vec![false; toks.len()];
    let mut stats = NameStats {
        names: names.len() as u64,
        ..NameStats::default()
    };
    let mut unfound = Vec::new();
    for &name in names {
        match avail.get_mut(name).and_then(Vec::pop) {
            Some(i) => {
                used[i] = true;
                stats.found += 1;
            }
            None => unfound.push(name),
        }
    }
    let mut findings = Vec::new();
    for name in unfound {
        let flen = name.chars().count();
        let mut best: Option<(usize, usize)> = None;
        if flen >= MIN_NEAR_MISS_CHARS {
            let maxd = max_edits(flen);
            for (i, &(s, e)) in toks.iter().enumerate() {
                let cand = &hyp[s..e];
                if used[i] || cand.chars().count().abs_diff(flen) > maxd {
                    continue;
                }
                let d = strsim::levenshtein(cand, name);
                if d == 0
                    || d > maxd
                    || strsim::jaro_winkler(cand, name) < MIN_NEAR_MISS_JARO_WINKLER
                {
                    continue;
                }
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, i));
                }
            }
        }
        match best {
            Some((d, i)) => {
                used[i] = true;
                stats.misspelt += 1;
                findings.push(NameFinding {
                    name: name.to_string(),
                    found: hyp[toks[i].0..toks[i].1].to_string(),
                    error: ErrorType::Misspelt,
                    edit_distance: Some(d),
                });
            }
            None => {
                stats.missing += 1;
                findings.push(NameFinding {
                    name: name.to_string(),
                    found: String::new(),
                    error: ErrorType::Missing,
                    edit_distance: None,
                });
            }
        }
    }
    (stats, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_found_misspelt_missing() {
        let (s, f) = name_check(&["Hegseth", "Putin", "Ushakov"], "Hegesh met Putin.");
        assert_eq!((s.names, s.found, s.misspelt, s.missing), (3, 1, 1, 1));
        assert_eq!(f[0].edit_distance, Some(2));
        assert_eq!(f[1].error, ErrorType::Missing);
    }
}
