//! Allocation-free Levenshtein kernels over small integer codes (bytes, or `u32` codes below a
//! known alphabet size), with per-thread reusable buffers.
//!
//! The pattern-match table is *symbol-major* (`pm[c * words + w]`: the match mask of symbol `c`
//! in 64-bit block `w` of the pattern) and is kept all-zero between calls: a call sets the bits
//! of its pattern and clears exactly those entries again before it returns, so no call pays
//! for clearing the whole table. Blocks of up to [`MAX_FIXED_WORDS`] words run a kernel whose
//! delta vectors are fixed-size arrays (unrolled, held in registers); longer patterns run the
//! same recurrence over heap vectors.
//!
//! These kernels compute the full matrix (no band): the distance is exact for every input.
//! The band-limited kernels in `bitpar` remain for the edit-operation traceback, where the band
//! must be rapidfuzz's to choose the same alignment.

use super::pattern::WORD;
use super::EditCounts;

/// A symbol code usable as an index into the match table.
pub(crate) trait Code: Copy + Eq {
    fn index(self) -> usize;
}

impl Code for u8 {
    #[inline(always)]
    fn index(self) -> usize {
        usize::from(self)
    }
}

impl Code for u32 {
    #[inline(always)]
    fn index(self) -> usize {
        self as usize
    }
}

/// Patterns of up to this many 64-bit blocks (512 elements) run the fixed-size kernel.
const MAX_FIXED_WORDS: usize = 8;

/// Above this many table entries (8 MiB of masks) the caller must use the general kernel
/// (sparse masks) instead: the dense table would grow with `alphabet * |pattern| / 64`.
pub(crate) const MAX_TABLE_ENTRIES: usize = 1 << 20;

/// Per-thread buffers of the kernels. Invariant: `pm` is all zeros between calls.
#[derive(Default)]
pub(crate) struct Kernel {
    pm: Vec<u64>,
    vp: Vec<u64>,
    vn: Vec<u64>,
    /// Recorded `(VP, VN)` of every text row, for the single-word traceback.
    rec: Vec<(u64, u64)>,
}

/// Lengths of the common prefix and (of the rest) common suffix of `a` and `b`.
#[inline]
pub(crate) fn common_affix<T: PartialEq>(a: &[T], b: &[T]) -> (usize, usize) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, suffix)
}

/// Whether [`Kernel::distance`] may run on codes below `alphabet` for these lengths.
#[inline]
pub(crate) fn fits(alphabet: usize, a_len: usize, b_len: usize) -> bool {
    let words = a_len.min(b_len).div_ceil(WORD).max(1);
    alphabet.saturating_mul(words) <= MAX_TABLE_ENTRIES
}

impl Kernel {
    /// Sets the match bits of `p` (codes below `alphabet`) into the table, `words` blocks each.
    #[inline]
    fn load<C: Code>(&mut self, p: &[C], words: usize, alphabet: usize) {
        let need = alphabet * words;
        if self.pm.len() < need {
            self.pm.resize(need, 0);
        }
        for (i, &c) in p.iter().enumerate() {
            self.pm[c.index() * words + i / WORD] |= 1u64 << (i % WORD);
        }
    }

    /// Clears what [`Self::load`] set (restores the all-zero invariant).
    #[inline]
    fn unload<C: Code>(&mut self, p: &[C], words: usize) {
        for (i, &c) in p.iter().enumerate() {
            self.pm[c.index() * words + i / WORD] = 0;
        }
    }

    /// Levenshtein distance of `a` and `b`, all codes below `alphabet`; requires
    /// [`fits`]`(alphabet, |a|, |b|)` (otherwise the table would be large; it still works).
    ///
    /// Strips the common affix, answers trivial cases, then runs Hyyrö's bit-parallel
    /// recurrence with the shorter side as the pattern. O(|a| + |b|) when the shorter side has
    /// at most 64 elements after stripping, else O(|long| * |short| / 64); no allocation once
    /// the buffers have grown.
    pub fn distance<C: Code>(&mut self, a: &[C], b: &[C], alphabet: usize) -> usize {
        let (prefix, suffix) = common_affix(a, b);
        let a = &a[prefix..a.len() - suffix];
        let b = &b[prefix..b.len() - suffix];
        let (p, t) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        if p.is_empty() {
            return t.len();
        }
        if p.len() == 1 {
            // One deletion-or-substitution plus insertions: |t| - 1 if p[0] occurs in t.
            return t.len() - usize::from(t.contains(&p[0]));
        }
        let words = p.len().div_ceil(WORD);
        self.load(p, words, alphabet);
        let d = match words {
            1 => fixed::<1, C>(&self.pm, p.len(), t),
            2 => fixed::<2, C>(&self.pm, p.len(), t),
            3 => fixed::<3, C>(&self.pm, p.len(), t),
            4 => fixed::<4, C>(&self.pm, p.len(), t),
            5 => fixed::<5, C>(&self.pm, p.len(), t),
            6 => fixed::<6, C>(&self.pm, p.len(), t),
            7 => fixed::<7, C>(&self.pm, p.len(), t),
            8 => fixed::<MAX_FIXED_WORDS, C>(&self.pm, p.len(), t),
            _ => dynamic(&self.pm, words, p.len(), t, &mut self.vp, &mut self.vn),
        };
        self.unload(p, words);
        d
    }

    /// Hits, substitutions, deletions and insertions of the alignment rapidfuzz 3.14.6
    /// `Levenshtein.editops(a, b)` reports, when it fits one word: returns `None` unless `a`
    /// (the pattern in rapidfuzz's traceback) has at most 64 elements after affix stripping.
    ///
    /// Same recorded delta vectors and the same preference order as `editops::align` (which
    /// uses the single-word kernel for such patterns regardless of the band), counted instead
    /// of listed. O(|a| + |b|) time, no allocation once the buffers have grown.
    pub fn counts<C: Code>(&mut self, a: &[C], b: &[C], alphabet: usize) -> Option<EditCounts> {
        let (prefix, suffix) = common_affix(a, b);
        let hits_affix = prefix + suffix;
        let a = &a[prefix..a.len() - suffix];
        let b = &b[prefix..b.len() - suffix];
        if a.len() > WORD {
            return None;
        }
        let mut c = EditCounts::default();
        let (mut i, mut j) = (a.len(), b.len());
        if !a.is_empty() && !b.is_empty() {
            self.load(a, 1, alphabet);
            let mut vp = !0u64;
            let mut vn = 0u64;
            self.rec.clear();
            for &x in b {
                let pm = self.pm[x.index()];
                let d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn;
                let hp = vn | !(d0 | vp);
                let hn = d0 & vp;
                let hp = (hp << 1) | 1;
                let hn = hn << 1;
                vp = hn | !(d0 | hp);
                vn = hp & d0;
                self.rec.push((vp, vn));
            }
            self.unload(a, 1);
            let rec = &self.rec;
            while i > 0 && j > 0 {
                let bit = 1u64 << (i - 1);
                if rec[j - 1].0 & bit != 0 {
                    i -= 1;
                    c.deletions += 1;
                } else {
                    j -= 1;
                    if j > 0 && rec[j - 1].1 & bit != 0 {
                        c.insertions += 1;
                    } else {
                        i -= 1;
                        if a[i] != b[j] {
                            c.substitutions += 1;
                        } else {
                            c.hits += 1;
                        }
                    }
                }
            }
        }
        c.deletions += i;
        c.insertions += j;
        c.hits += hits_affix;
        Some(c)
    }
}

/// One block of one text row (Hyyrö 2003, block form): consumes the horizontal carries from
/// the block above, updates `vp`/`vn`, returns the outgoing carries (taken at bit 63, or at
/// `last` for the final block).
#[inline(always)]
fn advance(
    pm: u64,
    vp: &mut u64,
    vn: &mut u64,
    hp_in: u64,
    hn_in: u64,
    last: Option<u64>,
) -> (u64, u64) {
    let x = pm | hn_in;
    let d0 = (((x & *vp).wrapping_add(*vp)) ^ *vp) | x | *vn;
    let hp = *vn | !(d0 | *vp);
    let hn = d0 & *vp;
    let out = match last {
        Some(bit) => (u64::from(hp & bit != 0), u64::from(hn & bit != 0)),
        None => (hp >> 63, hn >> 63),
    };
    let hp = (hp << 1) | hp_in;
    let hn = (hn << 1) | hn_in;
    *vp = hn | !(d0 | hp);
    *vn = hp & d0;
    out
}

/// The recurrence for a pattern of `N` blocks (`len1` elements, `64 * (N-1) < len1 <= 64 * N`).
/// O(|t| * N).
#[inline(always)]
fn fixed<const N: usize, C: Code>(pm: &[u64], len1: usize, t: &[C]) -> usize {
    // Deliberate variant of `dynamic`: the same row loop over fixed-size arrays held in
    // registers (unrolled per `N`) instead of heap vectors.
    let mut vp = [!0u64; N];
    let mut vn = [0u64; N];
    let last = 1u64 << ((len1 - 1) % WORD);
    let mut dist = len1;
    for &c in t {
        let start = c.index() * N;
        let row = &pm[start..start + N];
        let (mut hp_c, mut hn_c) = (1u64, 0u64);
        for w in 0..N {
            let last_bit = if w + 1 == N { Some(last) } else { None };
            (hp_c, hn_c) = advance(row[w], &mut vp[w], &mut vn[w], hp_c, hn_c, last_bit);
        }
        dist += hp_c as usize;
        dist -= hn_c as usize;
    }
    dist
}

/// The recurrence for any number of blocks, delta vectors in the reusable `vp`/`vn`.
/// O(|t| * words).
fn dynamic<C: Code>(
    pm: &[u64],
    words: usize,
    len1: usize,
    t: &[C],
    vp: &mut Vec<u64>,
    vn: &mut Vec<u64>,
) -> usize {
    vp.clear();
    vp.resize(words, !0u64);
    vn.clear();
    vn.resize(words, 0);
    // Deliberate variant of `fixed`: the same row loop over reusable heap vectors, for
    // patterns of more than `MAX_FIXED_WORDS` blocks.
    let last = 1u64 << ((len1 - 1) % WORD);
    let mut dist = len1;
    for &c in t {
        let start = c.index() * words;
        let row = &pm[start..start + words];
        let (mut hp_c, mut hn_c) = (1u64, 0u64);
        let (body_pm, last_pm) = row.split_at(words - 1);
        let (body_vp, last_vp) = vp.split_at_mut(words - 1);
        let (body_vn, last_vn) = vn.split_at_mut(words - 1);
        for ((&m, p), n) in body_pm.iter().zip(body_vp).zip(body_vn) {
            (hp_c, hn_c) = advance(m, p, n, hp_c, hn_c, None);
        }
        (hp_c, hn_c) = advance(
            last_pm[0],
            &mut last_vp[0],
            &mut last_vn[0],
            hp_c,
            hn_c,
            Some(last),
        );
        dist += hp_c as usize;
        dist -= hn_c as usize;
    }
    dist
}
