//! The hash-map chrF kernel: the slow twin the property tests compare the trie kernel
//! ([`crate::ngram::trie`]) against, and its fallback for a hypothesis whose trie node ids
//! would not fit in 31 bits.
//!
//! Every n-gram of the hypothesis gets a dense `u32` id from the pair `(id of its (n-1)-gram
//! prefix, last symbol)` in a hash map; a reference n-gram is looked up the same way (a prefix
//! that the hypothesis lacks cannot extend into a match). O(N * (h + sum r_i)) hash-map
//! operations per segment, `N` the maximum order, plus a few allocations.

use crate::distance::FxHashMap;

use super::{is_py_whitespace, Chrf};

/// Statistics of `hyp` against `refs` into `out` (`m.stats_len()` entries), exactly as
/// [`Chrf::segment_stats_into`] documents them.
pub(crate) fn segment_stats_into(m: &Chrf, hyp: &str, refs: &[&str], out: &mut [f64]) {
    let len = m.stats_len();
    let out = &mut out[..len];
    out.fill(0.0);
    if refs.is_empty() {
        return;
    }

    let hyp_lower;
    let hyp = if m.lowercase {
        hyp_lower = hyp.to_lowercase();
        hyp_lower.as_str()
    } else {
        hyp
    };

    let mut syms = Vec::new();
    char_symbols(m, hyp, &mut syms);
    let char_index = NgramIndex::build(&syms, m.char_order);

    let mut vocab: FxHashMap<&str, u32> = FxHashMap::default();
    let word_index = if m.word_order > 0 {
        syms.clear();
        split_punctuation(hyp, |w| {
            let next = vocab.len() as u32;
            syms.push(*vocab.entry(w).or_insert(next));
        });
        Some(NgramIndex::build(&syms, m.word_order))
    } else {
        None
    };

    let mut scratch = MatchScratch::default();
    let mut stats = vec![0.0; len];
    let mut best_f = -1.0;
    let char_len = 3 * m.char_order;
    for r in refs {
        let ref_lower;
        let r = if m.lowercase {
            ref_lower = r.to_lowercase();
            ref_lower.as_str()
        } else {
            r
        };
        char_symbols(m, r, &mut syms);
        char_index.match_into(&syms, &mut scratch, &mut stats[..char_len]);
        if let Some(word_index) = &word_index {
            syms.clear();
            split_punctuation(r, |w| {
                // A word the hypothesis lacks gets a symbol no hypothesis word has.
                syms.push(vocab.get(w).copied().unwrap_or(UNKNOWN_WORD));
            });
            word_index.match_into(&syms, &mut scratch, &mut stats[char_len..]);
        }
        let f = m.f_score::<f64>(&stats);
        if f > best_f {
            best_f = f;
            out.copy_from_slice(&stats);
        }
    }
}

/// The characters of `text` that chrF counts, as code points, into `out` (cleared first).
fn char_symbols(m: &Chrf, text: &str, out: &mut Vec<u32>) {
    out.clear();
    if m.whitespace {
        out.extend(text.chars().map(u32::from));
    } else {
        out.extend(
            text.chars()
                .filter(|&c| !is_py_whitespace(c))
                .map(u32::from),
        );
    }
}

/// Symbol of a reference word that the hypothesis does not contain (hypothesis words get ids
/// `0..vocabulary size`, far below this).
const UNKNOWN_WORD: u32 = u32::MAX;
/// Id of a reference n-gram that the hypothesis does not contain.
const NO_NGRAM: u32 = u32::MAX;
/// Prefix id of a unigram in [`ngram_key`] (no n-gram has this id, and it differs from
/// [`NO_NGRAM`]).
const ROOT: u32 = u32::MAX - 1;

/// Key of the n-gram made of the n-gram `prefix` (or [`ROOT`]) extended by `symbol`.
#[inline]
fn ngram_key(prefix: u32, symbol: u32) -> u64 {
    (u64::from(prefix) << 32) | u64::from(symbol)
}

/// The n-grams of one hypothesis (orders `1..=max_order`), each with a dense `u32` id and its
/// count. Ids are assigned order by order, so an id names exactly one n-gram.
struct NgramIndex {
    /// `ngram_key(prefix id, last symbol)` -> id.
    ids: FxHashMap<u64, u32>,
    /// Occurrences in the hypothesis, by id.
    counts: Vec<u32>,
    /// Hypothesis length in symbols.
    len: usize,
    max_order: usize,
}

/// Buffers reused across the references of one segment.
#[derive(Default)]
struct MatchScratch {
    ids: Vec<u32>,
    remaining: Vec<u32>,
}

impl NgramIndex {
    /// Indexes every n-gram of `syms` of order `1..=max_order`. O(max_order * len) time.
    fn build(syms: &[u32], max_order: usize) -> NgramIndex {
        let capacity = syms.len().saturating_mul(max_order.min(syms.len()));
        let mut index = NgramIndex {
            ids: FxHashMap::with_capacity_and_hasher(capacity, Default::default()),
            counts: Vec::with_capacity(capacity),
            len: syms.len(),
            max_order,
        };
        // window[i] = id of the n-gram starting at i, for the current order n.
        let mut window: Vec<u32> = vec![ROOT; syms.len()];
        for n in 1..=max_order.min(syms.len()) {
            let windows = syms.len() + 1 - n;
            window.truncate(windows);
            for (i, id) in window.iter_mut().enumerate() {
                let next = index.counts.len() as u32;
                let new = *index
                    .ids
                    .entry(ngram_key(*id, syms[i + n - 1]))
                    .or_insert(next);
                if new == next {
                    index.counts.push(0);
                }
                index.counts[new as usize] += 1;
                *id = new;
            }
        }
        index
    }

    /// Writes `[hyp count, ref count, matches]` for every order `1..=max_order` of the
    /// reference `syms` into `out` (`3 * max_order` entries). O(max_order * len) time.
    fn match_into(&self, syms: &[u32], scratch: &mut MatchScratch, out: &mut [f64]) {
        let remaining = &mut scratch.remaining;
        remaining.clear();
        remaining.extend_from_slice(&self.counts);
        let window = &mut scratch.ids;
        window.clear();
        window.resize(syms.len(), ROOT);
        // Once no reference n-gram of order n is in the hypothesis, none of a higher order is.
        let mut any_alive = true;
        for (k, triple) in out.chunks_exact_mut(3).take(self.max_order).enumerate() {
            let n = k + 1;
            let ref_count = (syms.len() + 1).saturating_sub(n);
            let hyp_count = (self.len + 1).saturating_sub(n);
            // sacreBLEU: hypothesis n-grams do not count when the reference has none.
            triple[0] = if ref_count > 0 { hyp_count as f64 } else { 0.0 };
            triple[1] = ref_count as f64;
            let mut matches = 0u32;
            if any_alive && ref_count > 0 {
                any_alive = false;
                window.truncate(ref_count);
                for (i, id) in window.iter_mut().enumerate() {
                    if *id == NO_NGRAM {
                        continue;
                    }
                    *id = match self.ids.get(&ngram_key(*id, syms[i + n - 1])) {
                        Some(&found) => {
                            any_alive = true;
                            let left = &mut remaining[found as usize];
                            if *left > 0 {
                                *left -= 1;
                                matches += 1;
                            }
                            found
                        }
                        None => NO_NGRAM,
                    };
                }
            }
            triple[2] = f64::from(matches);
        }
    }
}

/// The slow twin of `super::split_punctuation`: splits
/// on Python whitespace with `str::split`, then separates one trailing, or else one leading,
/// ASCII punctuation character from a word of two or more characters.
pub(crate) fn split_punctuation<'a>(text: &'a str, mut emit: impl FnMut(&'a str)) {
    for w in text.split(is_py_whitespace).filter(|w| !w.is_empty()) {
        let mut chars = w.chars();
        let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else {
            // One character (or, impossibly, none): kept as is.
            emit(w);
            continue;
        };
        if last.is_ascii_punctuation() {
            let cut = w.len() - last.len_utf8();
            emit(&w[..cut]);
            emit(&w[cut..]);
        } else if first.is_ascii_punctuation() {
            let cut = first.len_utf8();
            emit(&w[..cut]);
            emit(&w[cut..]);
        } else {
            emit(w);
        }
    }
}
