//! Resegmentation of one unsegmented MT stream to the reference's segments, after the idea of
//! mwerSegmenter (Matusov et al. 2005, "Evaluating machine translation output with automatic
//! sentence segmentation"): choose the cut points that minimise the summed word edit distance
//! between each reference segment and its stretch of MT words.

use std::collections::HashMap;
use std::ops::Range;

/// Cuts `hyp_stream` (whitespace-separated words) into exactly `ref_segments.len()` segments,
/// minimising the sum of word-level Levenshtein distances to the reference segments. Words are
/// compared exactly (case-sensitive; tokenise or lower-case both sides first if wanted). Each
/// output segment is its words joined by single spaces; segments may be empty.
///
/// No reference segments give no output (the stream has nothing to be cut to). Time
/// O(R·H) for R reference words and H MT words (the whole document, as mwerSegmenter does);
/// memory O(K·H) for K segments (the cut points) plus O(H).
pub fn resegment(ref_segments: &[&str], hyp_stream: &str) -> Vec<String> {
    let mut vocab: HashMap<&str, u32> = HashMap::new();
    let mut intern = |w| {
        let next = vocab.len() as u32;
        *vocab.entry(w).or_insert(next)
    };
    let refs: Vec<Vec<u32>> = ref_segments
        .iter()
        .map(|s| s.split_whitespace().map(&mut intern).collect())
        .collect();
    let hyp_words: Vec<&str> = hyp_stream.split_whitespace().collect();
    let hyp: Vec<u32> = hyp_words.iter().map(|w| intern(w)).collect();
    let ref_slices: Vec<&[u32]> = refs.iter().map(Vec::as_slice).collect();
    resegment_words(&ref_slices, &hyp)
        .into_iter()
        .map(|r| hyp_words[r].join(" "))
        .collect()
}

/// The kernel of [`resegment`] on interned words: the word ranges of `hyp`, one per reference
/// segment, in order, tiling `0..hyp.len()`, that minimise the summed edit distance. Ties go to
/// the earliest cut in the backward trace, i.e. unmatched words at a cut stay with the segment
/// before it. Same complexity as [`resegment`].
pub fn resegment_words(refs: &[&[u32]], hyp: &[u32]) -> Vec<Range<usize>> {
    let k_count = refs.len();
    let h = hyp.len();
    if k_count == 0 {
        return Vec::new();
    }
    const INF: u32 = u32::MAX / 2;
    // `prev[j]`: best cost of segments 1..k covering hyp[..j]; segment 0 covers nothing.
    let mut prev = vec![INF; h + 1];
    prev[0] = 0;
    // `starts[k][j]`: where segment k starts on the best path with segment k ending at j.
    let mut starts: Vec<Vec<u32>> = Vec::with_capacity(k_count);
    let mut row = vec![0u32; h + 1];
    let mut row_start = vec![0u32; h + 1];
    let mut next = vec![0u32; h + 1];
    let mut next_start = vec![0u32; h + 1];
    for r in refs {
        // Row 0: no reference word of this segment consumed yet; the segment starts at j, or
        // starts earlier and has inserted hyp words up to j.
        for j in 0..=h {
            row[j] = prev[j];
            row_start[j] = j as u32;
            if j > 0 && row[j - 1] + 1 < row[j] {
                row[j] = row[j - 1] + 1;
                row_start[j] = row_start[j - 1];
            }
        }
        for &w in r.iter() {
            next[0] = row[0] + 1;
            next_start[0] = row_start[0];
            for j in 1..=h {
                let diag = row[j - 1] + u32::from(hyp[j - 1] != w);
                let up = row[j] + 1;
                let left = next[j - 1] + 1;
                let (mut best, mut start) = (diag, row_start[j - 1]);
                if up < best {
                    best = up;
                    start = row_start[j];
                }
                if left < best {
                    best = left;
                    start = next_start[j - 1];
                }
                next[j] = best.min(INF);
                next_start[j] = start;
            }
            std::mem::swap(&mut row, &mut next);
            std::mem::swap(&mut row_start, &mut next_start);
        }
        prev.copy_from_slice(&row);
        starts.push(row_start.clone());
    }
    let mut out = vec![0..0; k_count];
    let mut end = h;
    for k in (0..k_count).rev() {
        let start = (starts[k][end] as usize).min(end);
        out[k] = start..end;
        end = start;
    }
    out
}

/// Word-level Levenshtein distance (the reference twin for tests). O(|a|·|b|).
#[cfg(test)]
fn levenshtein(a: &[u32], b: &[u32]) -> u32 {
    let mut row: Vec<u32> = (0..=b.len() as u32).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i as u32 + 1;
        for (j, &y) in b.iter().enumerate() {
            let v = (diag + u32::from(x != y))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = v;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cost(refs: &[&[u32]], hyp: &[u32], cuts: &[Range<usize>]) -> u32 {
        refs.iter()
            .zip(cuts)
            .map(|(r, c)| levenshtein(r, &hyp[c.clone()]))
            .sum()
    }

    /// Best cost over every way to cut `hyp` into `k` pieces (exhaustive).
    fn brute(refs: &[&[u32]], hyp: &[u32]) -> u32 {
        fn go(refs: &[&[u32]], hyp: &[u32], from: usize) -> u32 {
            match refs.split_first() {
                None => 0,
                Some((r, [])) => levenshtein(r, &hyp[from..]),
                Some((r, rest)) => (from..=hyp.len())
                    .map(|e| levenshtein(r, &hyp[from..e]) + go(rest, hyp, e))
                    .min()
                    .unwrap_or(0),
            }
        }
        go(refs, hyp, 0)
    }

    #[test]
    fn recovers_the_reference_segmentation() {
        let refs = ["the cat sat", "on the mat .", "it purred"];
        let out = resegment(&refs, "the cat  sat on the mat . it purred");
        assert_eq!(out, refs);
        let out = resegment(&refs, "a cat sat down on a mat . then it purred loudly");
        // "then" is an insertion on either side of the cut: ties keep it with the segment before.
        assert_eq!(
            out,
            ["a cat sat down", "on a mat . then", "it purred loudly"]
        );
    }

    #[test]
    fn edge_cases() {
        assert!(resegment(&[], "a b").is_empty());
        assert_eq!(resegment(&["a", "b"], ""), ["", ""]);
        assert_eq!(resegment(&["a b c"], "x y"), ["x y"]);
        assert_eq!(resegment(&["", "a"], "a"), ["", "a"]);
    }

    proptest! {
        #[test]
        fn optimal_and_tiling(
            refs in proptest::collection::vec(proptest::collection::vec(0u32..4, 0..4), 1..4),
            hyp in proptest::collection::vec(0u32..4, 0..8),
        ) {
            let slices: Vec<&[u32]> = refs.iter().map(Vec::as_slice).collect();
            let cuts = resegment_words(&slices, &hyp);
            prop_assert_eq!(cuts.len(), refs.len());
            let mut at = 0;
            for c in &cuts {
                prop_assert_eq!(c.start, at);
                at = c.end;
            }
            prop_assert_eq!(at, hyp.len());
            prop_assert_eq!(cost(&slices, &hyp, &cuts), brute(&slices, &hyp));
        }
    }
}
