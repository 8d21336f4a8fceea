//! TER's word edits of a pair, for the document views: which words of the MT were substituted,
//! deleted or shifted, and which reference words are missing from the MT.
//!
//! Edits are sacreBLEU's default TER's (lower-cased, words split on whitespace): the shifts
//! applied, then substitutions, insertions (reference words missing from the MT) and deletions
//! (MT words with no reference counterpart). One TER alignment per call.

use std::ops::Range;

use serde::Serialize;

use crate::metrics::ter::{ter_alignment, Shift, TerOp};

/// Word edit classes (bit set, [`Word::edits`]): what TER did to a word.
pub const E_SUB: u8 = 1;
pub const E_DEL: u8 = 2;
pub const E_INS: u8 = 4;
pub const E_SHIFT: u8 = 8;

/// A word of a text (a byte range) and what TER did to it (`E_*` bits; 0 for a match).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    pub range: Range<usize>,
    pub edits: u8,
}

/// Words of `text` split on whitespace, as byte ranges.
fn word_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Replays TER's shifts on word positions: which original hypothesis words were moved.
/// Positions follow sacreBLEU's `_perform_shift` (Python slice clamping).
fn shifted_words(n: usize, shifts: &[Shift]) -> Vec<bool> {
    let mut cur: Vec<usize> = (0..n).collect();
    let mut moved = vec![false; n];
    for s in shifts {
        let sl = |a: usize, b: usize| a.min(n)..b.min(n).max(a.min(n));
        let block: Vec<usize> = cur[sl(s.start, s.start + s.length)].to_vec();
        for &w in &block {
            moved[w] = true;
        }
        let (start, length, target) = (s.start, s.length, s.target);
        let mut next = Vec::with_capacity(n);
        if target < start {
            next.extend_from_slice(&cur[sl(0, target)]);
            next.extend_from_slice(&block);
            next.extend_from_slice(&cur[sl(target, start)]);
            next.extend_from_slice(&cur[sl(start + length, n)]);
        } else if target > start + length {
            next.extend_from_slice(&cur[sl(0, start)]);
            next.extend_from_slice(&cur[sl(start + length, target)]);
            next.extend_from_slice(&block);
            next.extend_from_slice(&cur[sl(target, n)]);
        } else {
            next.extend_from_slice(&cur[sl(0, start)]);
            next.extend_from_slice(&cur[sl(start + length, length + target)]);
            next.extend_from_slice(&block);
            next.extend_from_slice(&cur[sl(length + target, n)]);
        }
        cur = next;
    }
    moved
}

/// The words of a hypothesis and of a reference, with their edits.
pub struct WordEdits {
    pub hyp: Vec<Word>,
    pub reference: Vec<Word>,
}

/// TER's word edits of `hyp` against `reference`: when either is empty, every word of the other
/// is deleted (MT) or missing (reference). O(TER alignment).
pub fn word_edits(hyp: &str, reference: &str) -> WordEdits {
    let hw = word_ranges(hyp);
    let rw = word_ranges(reference);
    let mut out = WordEdits {
        hyp: hw.iter().map(unedited).collect(),
        reference: rw.iter().map(unedited).collect(),
    };
    if hw.is_empty() || rw.is_empty() {
        for w in &mut out.hyp {
            w.edits = E_DEL;
        }
        for w in &mut out.reference {
            w.edits = E_INS;
        }
        return out;
    }
    // sacreBLEU's TER lower-cases by default.
    let hl: Vec<String> = hw.iter().map(|r| hyp[r.clone()].to_lowercase()).collect();
    let rl: Vec<String> = rw
        .iter()
        .map(|r| reference[r.clone()].to_lowercase())
        .collect();
    let h: Vec<&str> = hl.iter().map(String::as_str).collect();
    let r: Vec<&str> = rl.iter().map(String::as_str).collect();
    let al = ter_alignment(&h, &r);
    let moved = shifted_words(h.len(), &al.shifts);
    for (w, m) in out.hyp.iter_mut().zip(&moved) {
        if *m {
            w.edits |= E_SHIFT;
        }
    }
    let (mut i, mut j) = (0, 0);
    for op in &al.ops {
        let hi = al.shifted_hyp.get(i).copied();
        match op {
            TerOp::Match => {
                i += 1;
                j += 1;
            }
            TerOp::Substitution => {
                if let Some(w) = hi.and_then(|k| out.hyp.get_mut(k)) {
                    w.edits |= E_SUB;
                }
                if let Some(w) = out.reference.get_mut(j) {
                    w.edits |= E_SUB;
                }
                i += 1;
                j += 1;
            }
            TerOp::Deletion => {
                if let Some(w) = hi.and_then(|k| out.hyp.get_mut(k)) {
                    w.edits |= E_DEL;
                }
                i += 1;
            }
            TerOp::Insertion => {
                if let Some(w) = out.reference.get_mut(j) {
                    w.edits |= E_INS;
                }
                j += 1;
            }
        }
    }
    out
}

fn unedited(range: &Range<usize>) -> Word {
    Word {
        range: range.clone(),
        edits: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_edits_mark_substitution_deletion_insertion() {
        let e = word_edits("the big cat sat", "the cat sat down");
        let hc: Vec<u8> = e.hyp.iter().map(|w| w.edits).collect();
        let rc: Vec<u8> = e.reference.iter().map(|w| w.edits).collect();
        assert_eq!(hc, vec![0, E_DEL, 0, 0]);
        assert_eq!(rc, vec![0, 0, 0, E_INS]);
        let e = word_edits("a b c", "a x c");
        assert_eq!(e.hyp[1].edits, E_SUB);
        assert_eq!(e.reference[1].edits, E_SUB);
    }

    #[test]
    fn shifted_words_follow_the_shifts() {
        // "b c a" -> "a b c": the block "a" (or "b c") moves.
        let e = word_edits("b c a d", "a b c d");
        assert!(e.hyp.iter().any(|w| w.edits & E_SHIFT != 0));
        assert!(e.hyp.iter().all(|w| w.edits & (E_SUB | E_DEL) == 0));
    }
}
