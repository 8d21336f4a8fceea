//! The AVX2 variant of [`super::count`]: reference keys compared 4 at a time, the order loop
//! over 4 hypothesis positions at a time with population counts by nibble table (AVX2 has no
//! vector population count), and POPCNT. Deliberate variant of [`super::avx512`] (same
//! structure, 256-bit vectors; the tests run both against the portable variant).

use std::arch::x86_64::{
    __m256i, _mm256_add_epi8, _mm256_and_si256, _mm256_castsi256_pd, _mm256_cmpeq_epi64,
    _mm256_cmpgt_epi64, _mm256_loadu_si256, _mm256_movemask_pd, _mm256_sad_epu8,
    _mm256_set1_epi64x, _mm256_set1_epi8, _mm256_setr_epi8, _mm256_setzero_si256,
    _mm256_shuffle_epi8, _mm256_srl_epi64, _mm256_srli_epi16, _mm_cvtsi64_si128,
};

use super::{low_bits, BitScratch, LANES};

/// The rows of `m` (see [`super::count`]): the reference keys as `r / 8` pairs of vectors
/// (whole, `refs` being padded), loaded once, each hypothesis key compared with all of
/// them, fully unrolled for each pair count.
/// Deliberate variant of `avx512::rows` (same steps, 256-bit vectors).
#[inline]
#[target_feature(enable = "avx2")]
fn rows(hyp: &[u64], refs: &[u64], r: usize, m: &mut [u64]) {
    rows_by_groups!(rows_n, hyp, refs, r, m)
}

/// [`rows`] with `C` pairs of vectors of reference keys (`8 * C <= refs.len()`; shorter
/// `refs` are compared one key at a time).
/// Deliberate variant of `avx512::rows_n` (same steps, 256-bit vectors).
#[inline]
#[target_feature(enable = "avx2")]
fn rows_n<const C: usize>(hyp: &[u64], refs: &[u64], r: usize, m: &mut [u64]) {
    let Some(block) = refs.get(..LANES * C) else {
        return super::rows_by(super::eq_mask, hyp, refs, r, m);
    };
    let mut vectors = [[_mm256_setzero_si256(); 2]; C];
    for (c, pair) in vectors.iter_mut().enumerate() {
        for (half, v) in pair.iter_mut().enumerate() {
            // SAFETY: `block` holds `8 * C` `u64`s, so the 32 bytes at `8 * c + 4 * half`
            // (c < C, half < 2) are readable; the load has no alignment requirement.
            *v = unsafe {
                _mm256_loadu_si256(block.as_ptr().add(LANES * c + 4 * half).cast::<__m256i>())
            };
        }
    }
    let within = low_bits(r);
    for (&key, mi) in hyp.iter().zip(m.iter_mut()) {
        let k = _mm256_set1_epi64x(key as i64);
        let mut row = 0u64;
        for (c, [lo, hi]) in vectors.iter().enumerate() {
            let bits = |v| _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(k, v)));
            let byte = (bits(*lo) | bits(*hi) << 4) as u32;
            row |= u64::from(byte) << (LANES * c);
        }
        *mi = row & within;
    }
}

/// 4 `u64`s from `s[at..at + 4]`, or `None` past the end.
/// Deliberate variant of `avx512::load` (same steps, 256-bit vectors).
#[inline]
#[target_feature(enable = "avx2")]
fn load(s: &[u64], at: usize) -> Option<__m256i> {
    let chunk = s.get(at..)?.first_chunk::<4>()?;
    // SAFETY: `chunk` is 4 readable `u64`s (32 bytes); the load has no alignment
    // requirement.
    Some(unsafe { _mm256_loadu_si256(chunk.as_ptr().cast::<__m256i>()) })
}

/// The number of set bits of each 64-bit lane: per nibble from a 16-entry table
/// (`pshufb`), then the bytes of each lane summed (`psadbw`). AVX2 has no population
/// count instruction.
#[inline]
#[target_feature(enable = "avx2")]
fn popcount(v: __m256i) -> __m256i {
    let table = _mm256_setr_epi8(
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3,
        3, 4,
    );
    let nibble = _mm256_set1_epi8(0x0f);
    let low = _mm256_shuffle_epi8(table, _mm256_and_si256(v, nibble));
    let high = _mm256_shuffle_epi8(table, _mm256_and_si256(_mm256_srli_epi16::<4>(v), nibble));
    _mm256_sad_epu8(_mm256_add_epi8(low, high), _mm256_setzero_si256())
}

/// The order loop ([`super::clip_orders`]) over 4 positions at a time: shifts, ands and
/// population counts of whole vectors, the comparison as a mask whose bits are counted.
/// `m` and `e` hold `h` positions then at least `correct.len() + 8` zeros.
/// Deliberate variant of `avx512::clip_orders` (same steps, 256-bit vectors).
#[inline]
#[target_feature(enable = "avx2,popcnt")]
fn clip_orders(m: &[u64], e: &[u64], h: usize, correct: &mut [u64]) {
    let ones = _mm256_set1_epi64x(-1);
    for i in (0..h).step_by(4) {
        let (mut to_ref, mut to_earlier) = (ones, ones);
        for (n, c) in correct.iter_mut().enumerate() {
            let (Some(mn), Some(en)) = (load(m, i + n), load(e, i + n)) else {
                break;
            };
            let shift = _mm_cvtsi64_si128(n as i64);
            to_ref = _mm256_and_si256(to_ref, _mm256_srl_epi64(mn, shift));
            to_earlier = _mm256_and_si256(to_earlier, _mm256_srl_epi64(en, shift));
            // Counts are at most 64: the signed comparison is exact.
            let wins = _mm256_cmpgt_epi64(popcount(to_ref), popcount(to_earlier));
            *c += u64::from((_mm256_movemask_pd(_mm256_castsi256_pd(wins)) as u32).count_ones());
        }
    }
}

/// [`super::count`] with AVX2 key comparisons and order loop, and POPCNT.
/// Deliberate variant of `avx512::count` (same steps, 256-bit vectors).
#[target_feature(enable = "avx2,popcnt")]
pub(super) fn count(hyp_text: &[u8], ref_text: &[u8], s: &mut BitScratch, correct: &mut [u64]) {
    super::count(
        hyp_text,
        ref_text,
        s,
        correct,
        |hyp, refs, r, m| rows(hyp, refs, r, m),
        |m, e, h, c| clip_orders(m, e, h, c),
    );
}
