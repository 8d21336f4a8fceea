//! Symbol encoding and pattern-match bit vectors shared by the bit-parallel kernels.
//!
//! Inputs of any `Eq + Hash + Copy` element type are first mapped to dense `u32` codes: the
//! distinct elements of the *pattern* (the side whose positions become bits) get codes
//! `0..n_symbols`, and every text element that does not occur in the pattern gets the code
//! `n_symbols`, whose match mask is all zeros. After that the kernels never hash again.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Bits per machine word of the bit-parallel kernels.
pub const WORD: usize = 64;

/// A small multiplicative hasher (the `FxHash` of rustc): symbols are short keys (chars, bytes,
/// token ids) and are hashed once per position, so SipHash's cost would dominate the kernels.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

/// Multiplier of rustc's FxHasher (a 64-bit odd constant from the golden ratio).
const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    /// Rotated so that the bucket index (hashbrown takes the low bits) depends on every input
    /// bit: the multiply alone leaves the low bits of small integer keys poorly mixed.
    #[inline]
    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

/// `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Codes of a pattern and a text (see the module docs). Invariant: `pattern[i] == text[j]` as
/// codes exactly when the original elements are equal.
pub struct Encoded {
    pub pattern: Vec<u32>,
    pub text: Vec<u32>,
    /// Number of distinct pattern symbols; `text` uses this value for "absent from the pattern".
    pub n_symbols: u32,
}

/// Encodes `pattern` and `text`. O(|pattern| + |text|) expected time.
pub fn encode<T: Eq + Hash + Copy>(pattern: &[T], text: &[T]) -> Encoded {
    let mut map: FxHashMap<T, u32> = FxHashMap::default();
    map.reserve(pattern.len().min(1024));
    let pattern_codes: Vec<u32> = pattern
        .iter()
        .map(|&x| {
            let next = map.len() as u32;
            *map.entry(x).or_insert(next)
        })
        .collect();
    let n_symbols = map.len() as u32;
    let text_codes = text
        .iter()
        .map(|x| map.get(x).copied().unwrap_or(n_symbols))
        .collect();
    Encoded {
        pattern: pattern_codes,
        text: text_codes,
        n_symbols,
    }
}

/// Match masks of a pattern of at most [`WORD`] symbols: bit `i` of `masks[c]` is set when
/// `pattern[i] == c`. The extra last entry (code `n_symbols`) is zero.
pub fn single_word_masks(pattern: &[u32], n_symbols: u32) -> Vec<u64> {
    debug_assert!(pattern.len() <= WORD);
    let mut masks = vec![0u64; n_symbols as usize + 1];
    for (i, &c) in pattern.iter().enumerate() {
        masks[c as usize] |= 1u64 << i;
    }
    masks
}

/// Above this many `u64` entries (8 MiB) the block masks are stored sparsely.
const DENSE_LIMIT: usize = 1 << 20;

/// Match masks of a pattern split into blocks of [`WORD`] bits, for the multi-word kernels.
///
/// Dense (`symbols x words` table) when small, otherwise sparse per symbol (a sorted list of
/// `(word, mask)`), so memory stays O(|pattern|) for patterns with many distinct symbols.
pub enum BlockMasks {
    Dense {
        words: usize,
        masks: Vec<u64>,
    },
    Sparse {
        words: usize,
        lists: Vec<Vec<(u32, u64)>>,
    },
}

impl BlockMasks {
    pub fn new(pattern: &[u32], n_symbols: u32) -> BlockMasks {
        let words = pattern.len().div_ceil(WORD).max(1);
        let symbols = n_symbols as usize + 1;
        if symbols.saturating_mul(words) <= DENSE_LIMIT {
            let mut masks = vec![0u64; symbols * words];
            for (i, &c) in pattern.iter().enumerate() {
                masks[c as usize * words + i / WORD] |= 1u64 << (i % WORD);
            }
            BlockMasks::Dense { words, masks }
        } else {
            let mut lists: Vec<Vec<(u32, u64)>> = vec![Vec::new(); symbols];
            for (i, &c) in pattern.iter().enumerate() {
                let list = &mut lists[c as usize];
                let w = (i / WORD) as u32;
                let bit = 1u64 << (i % WORD);
                match list.last_mut() {
                    Some((lw, m)) if *lw == w => *m |= bit,
                    _ => list.push((w, bit)),
                }
            }
            BlockMasks::Sparse { words, lists }
        }
    }

    /// Number of 64-bit blocks.
    pub fn words(&self) -> usize {
        match self {
            BlockMasks::Dense { words, .. } | BlockMasks::Sparse { words, .. } => *words,
        }
    }

    /// Writes the masks of symbol `code` for every block into `out` (length `words()`).
    #[inline]
    pub fn fill_row(&self, code: u32, out: &mut [u64]) {
        match self {
            BlockMasks::Dense { words, masks } => {
                let start = code as usize * words;
                out.copy_from_slice(&masks[start..start + words]);
            }
            BlockMasks::Sparse { lists, .. } => {
                out.fill(0);
                for &(w, m) in &lists[code as usize] {
                    out[w as usize] = m;
                }
            }
        }
    }
}
