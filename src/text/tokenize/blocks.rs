//! The 13a tokeniser by 64-byte blocks of bit masks: a vector pass classifies every byte of a
//! line (whitespace, rule-1 punctuation, `.` `,` `-`, lead bytes of possible non-ASCII
//! whitespace), the few bytes that need context are settled one by one, and tokens are read
//! off the masks with `trailing_zeros`. Same tokens as the byte scanner
//! [`for_each_13a_token_scalar`](super::for_each_13a_token_scalar) (its property tests compare
//! the two, and both with the naive regexp passes); used when the CPU has AVX2 and the line
//! fits [`MAX_BLOCKS`] blocks, with the scanner as the fallback everywhere else.
//!
//! Why masks are enough (see the scanner's docs for the rules): rule-1 punctuation is always a
//! token of its own; a `-` is one exactly when a digit precedes it (rule 4: rules 2 and 3 only
//! insert spaces next to `.` and `,`, so the byte before a `-` is unchanged when rule 4 runs,
//! and rule-4 matches, a digit then `-`, cannot overlap). A `.` or `,` with no `.` or `,` next
//! to it is a token of its own unless a digit is on *both* sides: rule 2 splits it when the
//! byte before it (a space from the padding at the start of the line) is not a digit, and
//! otherwise rule 3 when the byte after it (padding at the end) is not a digit; neither match
//! can have been consumed by a neighbouring one, since that needs a `.` or `,` next to it.
//! Lines where a `.` or `,` touches another (`...`, `e.g.,`) go to the scanner, which replays
//! the rules' left-to-right matching. Every other byte that is not whitespace is part of a
//! word, and words are the maximal runs of such bytes.
//!
//! The crate's only `unsafe` is here: calling the AVX2 classifier once the CPU is known to have
//! AVX2, and its unaligned 32-byte load (each with its safety argument).

/// Most 64-byte blocks of a line the mask path takes (1 KiB); longer lines use the scanner.
pub(super) const MAX_BLOCKS: usize = 16;

/// Masks of one 64-byte block: bit `i` is byte `64 * block + i` of the line.
#[derive(Clone, Copy, Default)]
pub(super) struct Block {
    /// Python whitespace, every byte of it (ASCII at classification; the bytes of multi-byte
    /// whitespace characters are added by [`resolve`]). Bytes past the end of the line are set.
    ws: u64,
    /// Bytes that are a token of their own: rule-1 punctuation at classification, then the
    /// `.` `,` `-` that the rules split ([`resolve`]).
    single: u64,
    /// `.` `,` `-`, still to be settled.
    special: u64,
    /// 0xC2, 0xE1, 0xE2, 0xE3: lead bytes of the only multi-byte characters that may be Python
    /// whitespace.
    lead: u64,
}

/// Classified blocks of `text` (at most [`MAX_BLOCKS`] * 64 bytes) in `blocks`, returning how
/// many; `None` when the CPU lacks AVX2 or the text is too long.
pub(super) fn classify(text: &[u8], blocks: &mut [Block; MAX_BLOCKS]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        if text.len() <= MAX_BLOCKS * 64 && std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked just above), the only requirement of
            // `avx2::classify`.
            #[allow(unsafe_code)]
            return Some(unsafe { avx2::classify(text, blocks) });
        }
    }
    let _ = (text, blocks);
    None
}

/// Settles what classification left open, in place: the bytes of non-ASCII whitespace join
/// `ws`, and each `.` `,` `-` joins `single` when the rules split it. Returns false when a
/// `.` or `,` has a `.` or `,` next to it (the caller then uses the scanner). O(lead and
/// special bytes).
pub(super) fn resolve(text: &str, blocks: &mut [Block]) -> bool {
    let b = text.as_bytes();
    for k in 0..blocks.len() {
        let mut lead = blocks[k].lead;
        while lead != 0 {
            let i = k * 64 + lead.trailing_zeros() as usize;
            lead &= lead - 1;
            for j in i..i + super::py_space_width(text, i) {
                if let Some(block) = blocks.get_mut(j / 64) {
                    block.ws |= 1 << (j % 64);
                }
            }
        }
        let mut special = blocks[k].special;
        while special != 0 {
            let bit = special & special.wrapping_neg();
            special &= special - 1;
            let i = k * 64 + bit.trailing_zeros() as usize;
            let before = i.checked_sub(1).and_then(|j| b.get(j)).copied();
            let after = b.get(i + 1).copied();
            let digit = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_digit());
            let split = if b.get(i) == Some(&b'-') {
                digit(before)
            } else {
                let dot_or_comma = |c: Option<u8>| matches!(c, Some(b'.' | b','));
                if dot_or_comma(before) || dot_or_comma(after) {
                    return false;
                }
                !(digit(before) && digit(after))
            };
            if split {
                blocks[k].single |= bit;
            }
        }
    }
    true
}

/// Calls `emit(start, end)` for every token of resolved `blocks`, in order. A token starts at
/// a `single` byte or a word byte after a non-word byte, and ends (inclusive) at a `single`
/// byte or a word byte before a non-word byte; the k-th start and the k-th end delimit the
/// k-th token. O(blocks + tokens).
#[inline(always)]
pub(super) fn emit_tokens(blocks: &mut [Block], emit: &mut impl FnMut(usize, usize)) {
    // Turn each block into (starts, ends) in place: `ws` <- starts, `special` <- ends.
    let word = |b: &Block| !(b.ws | b.single);
    let mut carry = 0u64;
    for k in 0..blocks.len() {
        let w = word(&blocks[k]);
        let next = blocks.get(k + 1).map_or(0, |b| word(b) & 1);
        let single = blocks[k].single;
        blocks[k].ws = single | (w & !((w << 1) | carry));
        blocks[k].special = single | (w & !((w >> 1) | (next << 63)));
        carry = w >> 63;
    }
    let mut ends = blocks.iter().map(|b| b.special).enumerate();
    let (mut end_block, mut end_bits) = (0, 0u64);
    for (k, block) in blocks.iter().enumerate() {
        let mut starts = block.ws;
        while starts != 0 {
            let start = k * 64 + starts.trailing_zeros() as usize;
            starts &= starts - 1;
            while end_bits == 0 {
                // Every start has its end at or after it: the iterator cannot run out.
                let Some((eb, bits)) = ends.next() else {
                    return;
                };
                (end_block, end_bits) = (eb, bits);
            }
            let end = end_block * 64 + end_bits.trailing_zeros() as usize + 1;
            end_bits &= end_bits - 1;
            emit(start, end);
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx2 {
    use std::arch::x86_64::{
        __m256i, _mm256_andnot_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_min_epu8,
        _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8, _mm256_sub_epi8,
    };

    use super::{Block, MAX_BLOCKS};

    /// Bytes of `v` in `lo..=hi` (0xFF lanes): `v - lo <= hi - lo` unsigned.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn in_range(v: __m256i, lo: u8, hi: u8) -> __m256i {
        let x = _mm256_sub_epi8(v, _mm256_set1_epi8(lo as i8));
        _mm256_cmpeq_epi8(_mm256_min_epu8(x, _mm256_set1_epi8((hi - lo) as i8)), x)
    }

    /// Bytes of `v` equal to `c`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn eq(v: __m256i, c: u8) -> __m256i {
        _mm256_cmpeq_epi8(v, _mm256_set1_epi8(c as i8))
    }

    /// One bit per byte lane.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn bits(v: __m256i) -> u64 {
        u64::from(_mm256_movemask_epi8(v) as u32)
    }

    /// `(ws, single, special, lead)` of 32 bytes (see [`Block`]).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn classify32(chunk: &[u8; 32]) -> [u64; 4] {
        // SAFETY: `chunk` is 32 readable bytes; the load has no alignment requirement.
        let v = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast::<__m256i>()) };
        // Python's ASCII whitespace: \t..\r, U+001C..U+001F and the space.
        let ws = _mm256_or_si256(in_range(v, 0x09, 0x0d), in_range(v, 0x1c, 0x20));
        let special = in_range(v, b',', b'.');
        // Rule 1: [{-~[-` -&(-+:-@/] without the space: 0x21..=0x2F but for ' , - .,
        // then :..=@, [..=`, {..=~.
        let low = _mm256_andnot_si256(
            _mm256_or_si256(eq(v, b'\''), special),
            in_range(v, 0x21, 0x2f),
        );
        let single = _mm256_or_si256(
            _mm256_or_si256(low, in_range(v, b':', b'@')),
            _mm256_or_si256(in_range(v, b'[', b'`'), in_range(v, b'{', b'~')),
        );
        let lead = _mm256_or_si256(eq(v, 0xc2), in_range(v, 0xe1, 0xe3));
        [bits(ws), bits(single), bits(special), bits(lead)]
    }

    /// Classifies `text` (at most `MAX_BLOCKS * 64` bytes, else the tail is ignored) into
    /// `blocks`, returning the number of blocks; bytes past the end count as spaces.
    #[target_feature(enable = "avx2")]
    pub(super) fn classify(text: &[u8], blocks: &mut [Block; MAX_BLOCKS]) -> usize {
        let mut n = 0;
        let mut tail = [b' '; 64];
        for (k, block) in blocks.iter_mut().enumerate() {
            let Some(rest) = text.get(k * 64..).filter(|r| !r.is_empty()) else {
                break;
            };
            let chunk: &[u8; 64] = match rest.first_chunk::<64>() {
                Some(full) => full,
                None => {
                    tail[..rest.len()].copy_from_slice(rest);
                    &tail
                }
            };
            let (lo, hi) = chunk.split_first_chunk::<32>().unwrap_or((&[0; 32], &[]));
            let hi: &[u8; 32] = hi.first_chunk::<32>().unwrap_or(&[0; 32]);
            let [a, b] = [classify32(lo), classify32(hi)];
            *block = Block {
                ws: a[0] | b[0] << 32,
                single: a[1] | b[1] << 32,
                special: a[2] | b[2] << 32,
                lead: a[3] | b[3] << 32,
            };
            n = k + 1;
        }
        n
    }
}
