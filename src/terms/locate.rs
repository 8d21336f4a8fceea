//! Term occurrences of one unit: the expected ones (reference, then source), and the outcome of
//! each in the hypothesis (correct, forbidden, misspelt, missing), plus the extras.

use std::collections::HashMap;
use std::ops::Range;

use super::scores::{terw_rate, window_overlap};
use super::{max_edits, ErrorType, TermEvaluator, TermStats, MIN_NEAR_MISS_CHARS};
use super::{MIN_NEAR_MISS_JARO_WINKLER, WINDOWS};
use crate::glossary::{FormKind, MatchBuffer, Matcher, TermMatch};

/// One expected occurrence and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Index into the glossary's entries.
    pub entry: usize,
    /// Byte range in the reference used; `None` when expected from the source only.
    pub ref_span: Option<Range<usize>>,
    /// The reference form (`None` for source-only occurrences).
    pub ref_form: Option<(FormKind, usize)>,
    /// Byte range in the hypothesis (correct, forbidden, misspelt).
    pub hyp_span: Option<Range<usize>>,
    /// The hypothesis form (correct, forbidden).
    pub hyp_form: Option<(FormKind, usize)>,
    /// Correct, Forbidden, Misspelt or Missing.
    pub outcome: ErrorType,
    pub edit_distance: Option<usize>,
}

/// The result of one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitTerms {
    pub stats: TermStats,
    pub occurrences: Vec<Occurrence>,
    /// Hypothesis matches of accepted forms not used by any occurrence.
    pub extras: Vec<TermMatch>,
    /// Index of the reference used.
    pub reference: usize,
}

impl TermEvaluator {
    /// Scores one unit: `hyp` against `refs` (at least one; an empty slice is treated as one
    /// empty reference), with optional source text. Consistency fields stay 0 (document-level).
    pub fn unit(&self, hyp: &str, refs: &[&str], source: Option<&str>) -> UnitTerms {
        let mut buf = MatchBuffer::default();
        let mut tmp = Vec::new();
        // The reference with the most accepted matches.
        let mut reference = 0;
        let mut ref_matches: Vec<TermMatch> = Vec::new();
        for (r, text) in refs.iter().enumerate() {
            self.target.find_into(text, &mut buf, &mut tmp);
            tmp.retain(TermMatch::is_accepted);
            if r == 0 || tmp.len() > ref_matches.len() {
                reference = r;
                std::mem::swap(&mut ref_matches, &mut tmp);
            }
        }
        let ref_text = refs.get(reference).copied().unwrap_or("");
        let mut occ: Vec<Occurrence> = ref_matches
            .iter()
            .map(|m| Occurrence {
                entry: m.entry,
                ref_span: Some(m.start..m.end),
                ref_form: Some((m.kind, m.variant)),
                hyp_span: None,
                hyp_form: None,
                outcome: ErrorType::Missing,
                edit_distance: None,
            })
            .collect();
        if let (Some(src), Some(sm)) = (source, &self.source) {
            self.add_source_occurrences(src, sm, &mut buf, &mut occ);
        }

        let mut hyp_matches = Vec::new();
        self.target.find_into(hyp, &mut buf, &mut hyp_matches);
        let mut used = vec![false; hyp_matches.len()];
        // hypothesis matches of each entry, accepted and forbidden, in text order
        let mut by_entry: HashMap<usize, (Vec<usize>, Vec<usize>)> = HashMap::new();
        for (i, m) in hyp_matches.iter().enumerate() {
            let slot = by_entry.entry(m.entry).or_default();
            if m.is_accepted() {
                slot.0.push(i);
            } else {
                slot.1.push(i);
            }
        }
        // 1. correct, 2. forbidden
        for pass in [ErrorType::Correct, ErrorType::Forbidden] {
            for o in occ.iter_mut().filter(|o| o.outcome == ErrorType::Missing) {
                let Some(slot) = by_entry.get(&o.entry) else {
                    continue;
                };
                let list = if pass == ErrorType::Correct {
                    &slot.0
                } else {
                    &slot.1
                };
                if let Some(&i) = list.iter().find(|&&i| !used[i]) {
                    used[i] = true;
                    let m = &hyp_matches[i];
                    o.outcome = pass;
                    o.hyp_span = Some(m.start..m.end);
                    o.hyp_form = Some((m.kind, m.variant));
                }
            }
        }
        // 3. misspelt
        if self.opts.near_miss && occ.iter().any(|o| o.outcome == ErrorType::Missing) {
            let toks: Vec<(usize, usize)> = crate::glossary::word_spans(hyp).collect();
            let mut blocked: Vec<(usize, usize)> =
                hyp_matches.iter().map(|m| (m.start, m.end)).collect();
            for o in occ.iter_mut().filter(|o| o.outcome == ErrorType::Missing) {
                let entry = &self.glossary.entries()[o.entry];
                if let Some((s, e, d)) = near_miss(hyp, &toks, &blocked, entry.accepted()) {
                    blocked.push((s, e));
                    o.outcome = ErrorType::Misspelt;
                    o.hyp_span = Some(s..e);
                    o.edit_distance = Some(d);
                }
            }
        }
        let extras: Vec<TermMatch> = hyp_matches
            .iter()
            .zip(&used)
            .filter(|(m, u)| m.is_accepted() && !**u)
            .map(|(m, _)| *m)
            .collect();

        let mut stats = TermStats {
            expected: occ.len() as u64,
            extra: extras.len() as u64,
            units: 1,
            term_units: u64::from(!occ.is_empty()),
            ..TermStats::default()
        };
        for o in &occ {
            match o.outcome {
                ErrorType::Correct => stats.correct += 1,
                ErrorType::Forbidden => stats.forbidden += 1,
                ErrorType::Misspelt => stats.misspelt += 1,
                _ => stats.missing += 1,
            }
        }
        if !occ.is_empty() {
            let ref_toks: Vec<(usize, usize)> = crate::glossary::word_spans(ref_text).collect();
            let hyp_toks: Vec<(usize, usize)> = crate::glossary::word_spans(hyp).collect();
            for (k, &w) in WINDOWS.iter().enumerate() {
                stats.window_sum[k] =
                    window_overlap(ref_text, &ref_toks, hyp, &hyp_toks, &occ, &hyp_matches, w);
            }
        }
        let term_spans: Vec<(usize, usize)> = occ
            .iter()
            .filter_map(|o| o.ref_span.as_ref().map(|r| (r.start, r.end)))
            .collect();
        stats.terw_sum = terw_rate(hyp, ref_text, &term_spans);
        UnitTerms {
            stats,
            occurrences: occ,
            extras,
            reference,
        }
    }

    fn add_source_occurrences(
        &self,
        src: &str,
        sm: &Matcher,
        buf: &mut MatchBuffer,
        occ: &mut Vec<Occurrence>,
    ) {
        let mut m = Vec::new();
        sm.find_into(src, buf, &mut m);
        let mut src_count: HashMap<usize, usize> = HashMap::new();
        for x in &m {
            *src_count.entry(x.entry).or_default() += 1;
        }
        let mut ref_count: HashMap<usize, usize> = HashMap::new();
        for o in occ.iter() {
            *ref_count.entry(o.entry).or_default() += 1;
        }
        let mut entries: Vec<_> = src_count.into_iter().collect();
        entries.sort_unstable();
        for (e, n) in entries {
            let have = ref_count.get(&e).copied().unwrap_or(0);
            for _ in have..n {
                occ.push(Occurrence {
                    entry: e,
                    ref_span: None,
                    ref_form: None,
                    hyp_span: None,
                    hyp_form: None,
                    outcome: ErrorType::Missing,
                    edit_distance: None,
                });
            }
        }
    }
}

/// The best near miss of any of `forms` among token n-grams of `hyp` not overlapping `blocked`:
/// `(start, end, distance)`. O(forms * tokens * len²) in the worst case; the length filter
/// skips most n-grams before the edit distance.
fn near_miss<'a>(
    hyp: &str,
    toks: &[(usize, usize)],
    blocked: &[(usize, usize)],
    forms: impl Iterator<Item = &'a str>,
) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, f64, usize, usize)> = None;
    for form in forms {
        let n = form.split_whitespace().count().max(1);
        let flen = form.chars().count();
        if flen < MIN_NEAR_MISS_CHARS || toks.len() < n {
            continue;
        }
        let maxd = max_edits(flen);
        for i in 0..=toks.len() - n {
            let (s, e) = (toks[i].0, toks[i + n - 1].1);
            if blocked.iter().any(|&(bs, be)| bs < e && s < be) {
                continue;
            }
            let cand = &hyp[s..e];
            if cand.contains('\n') || cand.chars().count().abs_diff(flen) > maxd {
                continue;
            }
            let d = strsim::levenshtein(cand, form);
            if d == 0 || d > maxd || strsim::jaro_winkler(cand, form) < MIN_NEAR_MISS_JARO_WINKLER {
                continue;
            }
            let rel = d as f64 / flen as f64;
            let better = match best {
                None => true,
                Some((bd, brel, bs, _)) => (d, rel, s) < (bd, brel, bs),
            };
            if better {
                best = Some((d, rel, s, e));
            }
        }
    }
    best.map(|(d, _, s, e)| (s, e, d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{Entry, Glossary, TermKind};
    use crate::terms::TermOptions;

    fn evaluator(entries: Vec<Entry>) -> TermEvaluator {
        TermEvaluator::new(
            Glossary::from_entries(entries).unwrap(),
            TermOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn outcomes_in_order() {
        let mut cf = Entry::new("cf", "ceasefire", TermKind::Term);
        cf.forbidden = vec!["fire".into()];
        let h = Entry::new("h", "Pete Hegseth", TermKind::Name);
        let ev = evaluator(vec![cf, h]);
        let u = ev.unit(
            "a fire and a ceasefire, said Pete Hegesh",
            &["a ceasefire and a ceasefire, said Pete Hegseth"],
            None,
        );
        let kinds: Vec<_> = u.occurrences.iter().map(|o| o.outcome).collect();
        assert_eq!(
            kinds,
            [
                ErrorType::Correct,
                ErrorType::Forbidden,
                ErrorType::Misspelt
            ]
        );
        assert_eq!(u.occurrences[2].edit_distance, Some(2));
        assert_eq!(u.stats.expected, 3);
        assert_eq!(u.stats.accuracy(), 1.0 / 3.0);
        let same = ev.unit("a ceasefire", &["a ceasefire"], None);
        assert_eq!(same.stats.accuracy(), 1.0);
        assert_eq!(same.stats.window_sum, [1.0, 1.0]);
        assert_eq!(same.stats.terw_sum, 0.0);
        let extra = ev.unit("a ceasefire", &["a truce"], None);
        assert_eq!((extra.stats.expected, extra.stats.extra), (0, 1));
    }

    #[test]
    fn source_terms_add_expected_occurrences() {
        let mut cf = Entry::new("cf", "ceasefire", TermKind::Term);
        cf.source = Some("alto el fuego".into());
        let ev = evaluator(vec![cf]);
        let u = ev.unit("a truce", &["a truce"], Some("un alto el fuego"));
        assert_eq!(u.stats.expected, 1);
        assert_eq!(u.stats.missing, 1);
        assert!(u.occurrences[0].ref_span.is_none());
    }
}
