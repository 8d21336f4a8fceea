//! Character n-gram profiles of sentences, for a fast same-language similarity.
//!
//! Every sentence becomes a sorted list of `(n-gram id, count)` over its lower-cased characters
//! with whitespace removed (as chrF removes it). Ids come from one interner shared by both sides
//! of a document, so a bead's similarity needs no string work: the counts of one side are added
//! into a dense scratch array and the other side's n-grams are looked up in it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// A multiplicative hasher for the `u64` n-gram keys (keys are already well mixed or packed
/// code points; SipHash would cost more than the rest of profile building).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        // Golden-ratio multiply, then fold the high half down (Fibonacci hashing).
        let h = (self.0 ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }
}

type KeyMap = HashMap<u64, u32, BuildHasherDefault<KeyHasher>>;

/// The profiles of a list of sentences. Invariant: `starts.len() == n + 1`, entries of sentence
/// `i` are `ids[starts[i]..starts[i + 1]]` (sorted, distinct) with their `counts`.
#[derive(Debug, Default)]
pub(crate) struct Profiles {
    starts: Vec<usize>,
    ids: Vec<u32>,
    counts: Vec<u32>,
    /// Number of n-grams (with repetition) per sentence.
    pub(crate) totals: Vec<u32>,
    /// Length in characters (whitespace included, trimmed) per sentence, for the length prior.
    pub(crate) lengths: Vec<u32>,
}

impl Profiles {
    pub(crate) fn len(&self) -> usize {
        self.totals.len()
    }

    fn entries(&self, i: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        let r = self.starts[i]..self.starts[i + 1];
        self.ids[r.clone()]
            .iter()
            .map(|&id| id as usize)
            .zip(self.counts[r].iter().copied())
    }

    /// Sum of lengths of sentences `r`, plus one separating space between each.
    pub(crate) fn span_length(&self, r: Range<usize>) -> f64 {
        let k = r.len();
        let sum: u64 = self.lengths[r].iter().map(|&l| u64::from(l)).sum();
        (sum + k.saturating_sub(1) as u64) as f64
    }
}

/// Builds profiles for both sides of a document with one shared interner.
pub(crate) struct ProfileBuilder {
    order: usize,
    map: KeyMap,
    chars: Vec<char>,
    keys: Vec<u32>,
}

impl ProfileBuilder {
    /// `order` is clamped to 1..=8.
    pub(crate) fn new(order: usize) -> ProfileBuilder {
        ProfileBuilder {
            order: order.clamp(1, 8),
            map: KeyMap::default(),
            chars: Vec::new(),
            keys: Vec::new(),
        }
    }

    /// Number of distinct n-grams seen so far (the size a scratch array needs).
    pub(crate) fn vocabulary(&self) -> usize {
        self.map.len()
    }

    /// O(total characters) expected time.
    pub(crate) fn build(&mut self, sentences: &[&str]) -> Profiles {
        let mut p = Profiles {
            starts: Vec::with_capacity(sentences.len() + 1),
            ..Profiles::default()
        };
        p.starts.push(0);
        for s in sentences {
            self.chars.clear();
            let mut length = 0u32;
            for c in s.trim().chars() {
                length = length.saturating_add(1);
                if !c.is_whitespace() {
                    self.chars.extend(c.to_lowercase());
                }
            }
            self.keys.clear();
            let n = self.order;
            if !self.chars.is_empty() {
                if self.chars.len() < n {
                    // A sentence shorter than one n-gram is one gram of its own.
                    let key = key_of(&self.chars);
                    self.keys.push(intern(&mut self.map, key));
                } else {
                    for w in self.chars.windows(n) {
                        let key = key_of(w);
                        self.keys.push(intern(&mut self.map, key));
                    }
                }
            }
            p.totals.push(self.keys.len() as u32);
            p.lengths.push(length);
            self.keys.sort_unstable();
            let mut k = 0;
            while k < self.keys.len() {
                let id = self.keys[k];
                let mut e = k + 1;
                while e < self.keys.len() && self.keys[e] == id {
                    e += 1;
                }
                p.ids.push(id);
                p.counts.push((e - k) as u32);
                k = e;
            }
            p.starts.push(p.ids.len());
        }
        p
    }
}

fn intern(map: &mut KeyMap, key: u64) -> u32 {
    let next = map.len() as u32;
    *map.entry(key).or_insert(next)
}

/// Exact packing for up to three characters (21 bits each, code point + 1, so a shorter gram
/// never equals a longer one; bit 63 stays clear); a mixing hash with bit 63 set beyond that
/// (collisions at odds of about 2^-63).
fn key_of(gram: &[char]) -> u64 {
    if gram.len() <= 3 {
        gram.iter()
            .fold(0u64, |k, &c| (k << 21) | (u64::from(c) + 1))
    } else {
        let mut h = 0xCBF2_9CE4_8422_2325u64 ^ gram.len() as u64;
        for &c in gram {
            h = (h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01B3);
            h ^= h >> 31;
        }
        h | (1 << 63)
    }
}

/// Scores beads against two dense scratch arrays (one slot per interned n-gram and side).
pub(crate) struct Scorer<'p> {
    refs: &'p Profiles,
    hyps: &'p Profiles,
    /// Bead totals per n-gram: reference side, MT side.
    ref_counts: Vec<u32>,
    hyp_counts: Vec<u32>,
}

/// What a content bead's n-grams say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Overlap {
    /// Sum over the bead's sentences of the fraction of the sentence's n-grams that the other
    /// side does not cover (0 = every sentence fully covered).
    pub(crate) uncovered: f64,
    /// The part of `uncovered` from the reference sentences (the rest is from the MT side).
    pub(crate) ref_uncovered: f64,
    /// Dice coefficient of the merged profiles: matched n-grams (both sides) over all n-grams.
    pub(crate) similarity: f64,
}

impl<'p> Scorer<'p> {
    pub(crate) fn new(refs: &'p Profiles, hyps: &'p Profiles, vocabulary: usize) -> Scorer<'p> {
        Scorer {
            refs,
            hyps,
            ref_counts: vec![0; vocabulary],
            hyp_counts: vec![0; vocabulary],
        }
    }

    /// The overlap of the 1-1 bead (reference `r`, MT `h`), by one merge of the two sorted
    /// profiles (no scratch writes). Equal to `overlap(r..r + 1, h..h + 1)`.
    /// O(|profile r| + |profile h|) time.
    pub(crate) fn pair(&self, r: usize, h: usize) -> Overlap {
        let (a, b) = (self.refs, self.hyps);
        let (ra, rb) = (a.starts[r]..a.starts[r + 1], b.starts[h]..b.starts[h + 1]);
        let (ia, ca) = (&a.ids[ra.clone()], &a.counts[ra]);
        let (ib, cb) = (&b.ids[rb.clone()], &b.counts[rb]);
        let (mut x, mut y, mut m) = (0, 0, 0u64);
        while x < ia.len() && y < ib.len() {
            match ia[x].cmp(&ib[y]) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    m += u64::from(ca[x].min(cb[y]));
                    x += 1;
                    y += 1;
                }
            }
        }
        let (ta, tb) = (a.totals[r], b.totals[h]);
        let unc = |t: u32| {
            if t == 0 {
                1.0
            } else {
                1.0 - m as f64 / f64::from(t)
            }
        };
        let total = u64::from(ta) + u64::from(tb);
        Overlap {
            uncovered: unc(ta) + unc(tb),
            ref_uncovered: unc(ta),
            similarity: if total == 0 {
                0.0
            } else {
                2.0 * m as f64 / total as f64
            },
        }
    }

    /// Coverage of each sentence of the bead `(r, h)` by the other side.
    ///
    /// The two sides are matched as wholes (clipped counts of the merged profiles, as chrF does);
    /// each sentence is then credited with the matches the bead would lose without it.
    /// O(total profile size of the bead) time, no allocation.
    pub(crate) fn overlap(&mut self, r: Range<usize>, h: Range<usize>) -> Overlap {
        add_counts(&mut self.ref_counts, self.refs, r.clone());
        add_counts(&mut self.hyp_counts, self.hyps, h.clone());
        let (ur, mr) = shared_coverage(self.refs, r.clone(), &self.ref_counts, &self.hyp_counts);
        let (uh, mh) = shared_coverage(self.hyps, h.clone(), &self.hyp_counts, &self.ref_counts);
        clear_counts(&mut self.ref_counts, self.refs, r.clone());
        clear_counts(&mut self.hyp_counts, self.hyps, h.clone());
        let total: u64 = self.refs.totals[r]
            .iter()
            .chain(&self.hyps.totals[h])
            .map(|&t| u64::from(t))
            .sum();
        let similarity = if total == 0 {
            0.0
        } else {
            ((mr + mh) / total as f64).clamp(0.0, 1.0)
        };
        Overlap {
            uncovered: ur + uh,
            ref_uncovered: ur,
            similarity,
        }
    }
}

fn add_counts(counts: &mut [u32], side: &Profiles, s: Range<usize>) {
    for i in s {
        for (id, c) in side.entries(i) {
            counts[id] += c;
        }
    }
}

fn clear_counts(counts: &mut [u32], side: &Profiles, s: Range<usize>) {
    for i in s {
        for (id, _) in side.entries(i) {
            counts[id] = 0;
        }
    }
}

/// For each sentence of `side[s]` (`own` holds its side's totals, `other` the other side's):
/// its *marginal* coverage, the matches between the merged sides that would be lost without it,
/// over its n-gram count. Returns (sum of uncovered fractions, matched n-grams of this side).
///
/// For a lone sentence this is its clipped coverage. On a side of several sentences an n-gram is
/// credited only to the sentences the match needs, so a boilerplate line glued to a bead gets no
/// credit for n-grams the real translation already matched ("Source link" next to a sentence
/// with "sources" in it), and merging two good 1-1 beads into a 2-2 gains only the leftovers.
fn shared_coverage(side: &Profiles, s: Range<usize>, own: &[u32], other: &[u32]) -> (f64, f64) {
    let mut uncovered = 0.0;
    let mut matched = 0.0;
    for i in s {
        let mut lost = 0u64;
        let mut share = 0.0;
        for (id, c) in side.entries(i) {
            let total = own[id];
            let hits = total.min(other[id]);
            if hits == 0 {
                continue;
            }
            lost += u64::from(hits - (total - c).min(other[id]));
            share += f64::from(c) * f64::from(hits) / f64::from(total);
        }
        matched += share;
        let t = side.totals[i];
        uncovered += if t == 0 {
            1.0
        } else {
            1.0 - lost as f64 / f64::from(t)
        };
    }
    (uncovered, matched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_and_disjoint() {
        let mut b = ProfileBuilder::new(3);
        let r = b.build(&["The cat sat.", "xyz"]);
        let h = b.build(&["the  CAT sat.", "qqqq"]);
        let mut s = Scorer::new(&r, &h, b.vocabulary());
        let o = s.overlap(0..1, 0..1);
        assert_eq!(o.similarity, 1.0);
        assert_eq!(o.uncovered, 0.0);
        let o = s.overlap(1..2, 1..2);
        assert_eq!(o.similarity, 0.0);
        assert_eq!(o.uncovered, 2.0);
        // The merge kernel for 1-1 beads agrees with the scratch kernel.
        for (i, j) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            let (p, o) = (s.pair(i, j), s.overlap(i..i + 1, j..j + 1));
            assert!((p.uncovered - o.uncovered).abs() < 1e-12);
            assert!((p.ref_uncovered - o.ref_uncovered).abs() < 1e-12);
            assert!((p.similarity - o.similarity).abs() < 1e-12);
        }
        // Scratch is clean after use: the same call gives the same answer.
        assert_eq!(s.overlap(0..2, 0..1), s.overlap(0..2, 0..1));
        assert_eq!(r.span_length(0..2), 16.0);
    }

    #[test]
    fn keys_distinct_by_length() {
        let a = key_of(&['a']);
        let b = key_of(&['\0', 'a']);
        let c = key_of(&['\0', '\0', 'a']);
        assert!(a != b && b != c && a != c);
        assert_ne!(key_of(&['a', 'b', 'c', 'd']), key_of(&['a', 'b', 'd', 'c']));
    }
}
