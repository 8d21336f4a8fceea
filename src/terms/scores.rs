//! The unit scores that need more than counts: WMT21's window overlap and 1-TERm.

use super::{Occurrence, TERM_WORD_WEIGHT};
use crate::glossary::TermMatch;

/// WMT21 window overlap of one unit (see the module docs).
pub(super) fn window_overlap(
    reference: &str,
    ref_toks: &[(usize, usize)],
    hyp: &str,
    hyp_toks: &[(usize, usize)],
    occ: &[Occurrence],
    hyp_matches: &[TermMatch],
    w: usize,
) -> f64 {
    let mut total = 0.0;
    let mut matched = 0usize;
    let mut entries: Vec<usize> = occ.iter().map(|o| o.entry).collect();
    entries.sort_unstable();
    entries.dedup();
    for e in entries {
        let refs: Vec<Vec<&str>> = occ
            .iter()
            .filter(|o| o.entry == e)
            .filter_map(|o| o.ref_span.as_ref())
            .map(|r| context_words(reference, ref_toks, r.start, r.end, w))
            .collect();
        let hyps: Vec<Vec<&str>> = hyp_matches
            .iter()
            .filter(|m| m.entry == e && m.is_accepted())
            .map(|m| context_words(hyp, hyp_toks, m.start, m.end, w))
            .collect();
        let mut pairs: Vec<(f64, usize, usize)> = Vec::with_capacity(refs.len() * hyps.len());
        for (j, rw) in refs.iter().enumerate() {
            for (k, hw) in hyps.iter().enumerate() {
                pairs.push((overlap(rw, hw), j, k));
            }
        }
        // stable: ties keep (j, k) order, as Python's sorted(..., reverse=True)
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut ref_used = vec![false; refs.len()];
        let mut hyp_used = vec![false; hyps.len()];
        for (acc, j, k) in pairs {
            if !ref_used[j] && !hyp_used[k] {
                ref_used[j] = true;
                hyp_used[k] = true;
                matched += 1;
                total += acc;
            }
        }
    }
    if matched == 0 {
        0.0
    } else {
        total / matched as f64
    }
}

/// Fraction of `rw` found in `hw` (multiset); 1.0 when `rw` is empty (WMT21 says 0).
fn overlap(rw: &[&str], hw: &[&str]) -> f64 {
    if rw.is_empty() {
        return 1.0;
    }
    let mut avail: Vec<&str> = hw.to_vec();
    let mut cnt = 0;
    for r in rw {
        if let Some(p) = avail.iter().position(|h| h == r) {
            avail.swap_remove(p);
            cnt += 1;
        }
    }
    cnt as f64 / rw.len() as f64
}

/// Up to `w` tokens left (nearest first) then up to `w` right of the tokens overlapping
/// `[s, e)`.
fn context_words<'a>(
    text: &'a str,
    toks: &[(usize, usize)],
    s: usize,
    e: usize,
    w: usize,
) -> Vec<&'a str> {
    let first = toks.partition_point(|&(_, te)| te <= s);
    let last = toks.partition_point(|&(ts, _)| ts < e);
    let mut v: Vec<&str> = toks[..first]
        .iter()
        .rev()
        .take(w)
        .map(|&(a, b)| &text[a..b])
        .collect();
    v.extend(
        toks[last.max(first)..]
            .iter()
            .take(w)
            .map(|&(a, b)| &text[a..b]),
    );
    v
}

/// TERm rate `E / N` of one unit (see the module docs). O(|hyp| * |ref|) time, O(|ref|) memory.
pub(super) fn terw_rate(hyp: &str, reference: &str, term_spans: &[(usize, usize)]) -> f64 {
    let mut ref_words: Vec<(&str, u32)> = Vec::new();
    let mut pos = 0;
    for w in reference.split_whitespace() {
        // `split_whitespace` yields subslices: recover the offset.
        let start = w.as_ptr() as usize - reference.as_ptr() as usize;
        debug_assert!(start >= pos);
        pos = start + w.len();
        let is_term = term_spans.iter().any(|&(s, e)| s < pos && start < e);
        ref_words.push((w, if is_term { TERM_WORD_WEIGHT } else { 1 }));
    }
    let hyp_words: Vec<&str> = hyp.split_whitespace().collect();
    let n = ref_words.len();
    if n == 0 {
        return if hyp_words.is_empty() { 0.0 } else { 1.0 };
    }
    // row over reference positions: prev[j] = cost of aligning hyp[..i] with ref[..j]
    let mut prev: Vec<u64> = Vec::with_capacity(n + 1);
    prev.push(0);
    for &(_, wt) in &ref_words {
        let last = *prev.last().unwrap_or(&0);
        prev.push(last + u64::from(wt));
    }
    let mut cur = vec![0u64; n + 1];
    for h in &hyp_words {
        cur[0] = prev[0] + 1;
        for j in 1..=n {
            let (rw, wt) = ref_words[j - 1];
            let wt = u64::from(wt);
            let sub = prev[j - 1] + if *h == rw { 0 } else { wt };
            let ins = prev[j] + 1;
            let del = cur[j - 1] + wt;
            cur[j] = sub.min(ins).min(del);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n] as f64 / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terw_without_terms_is_word_levenshtein() {
        assert_eq!(terw_rate("a b c", "a b c", &[]), 0.0);
        assert_eq!(terw_rate("a x c", "a b c", &[]), 1.0 / 3.0);
        assert_eq!(terw_rate("", "a b", &[]), 1.0);
        assert_eq!(terw_rate("a", "", &[]), 1.0);
        assert_eq!(terw_rate("", "", &[]), 0.0);
        // "b" is a term word: its substitution costs 2
        assert_eq!(terw_rate("a x c", "a b c", &[(2, 3)]), 2.0 / 3.0);
        // deleting the term word costs 2; inserting a word costs 1
        assert_eq!(terw_rate("a c", "a b c", &[(2, 3)]), 2.0 / 3.0);
        assert_eq!(terw_rate("a b z c", "a b c", &[(2, 3)]), 1.0 / 3.0);
    }

    #[test]
    fn window_overlap_wmt21_style() {
        let rw = ["the", "possible", "in", "the"];
        let hw = ["a", "possible", "in", "the"];
        assert_eq!(overlap(&rw, &hw), 0.75);
        let text = "a b TERM c d e";
        let toks: Vec<_> = crate::glossary::word_spans(text).collect();
        assert_eq!(context_words(text, &toks, 4, 8, 2), ["b", "a", "c", "d"]);
    }
}
