//! The AVX-512 variant of [`super::count`]: reference keys compared 8 at a time, the order loop
//! over 8 hypothesis positions at a time with AVX-512 VPOPCNTDQ. Deliberate variant of
//! [`super::avx2`] (same structure, 512-bit vectors; the tests run both against the portable
//! variant).

use std::arch::x86_64::{
    __m512i, _mm512_and_si512, _mm512_cmpeq_epi64_mask, _mm512_cmpgt_epu64_mask,
    _mm512_loadu_si512, _mm512_popcnt_epi64, _mm512_set1_epi64, _mm512_setzero_si512,
    _mm512_srlv_epi64,
};

use super::{low_bits, BitScratch, LANES};

/// 8 `u64`s from `s[at..at + 8]`, or `None` past the end.
/// Deliberate variant of `avx2::load` (same steps, 512-bit vectors).
#[inline]
#[target_feature(enable = "avx512f")]
fn load(s: &[u64], at: usize) -> Option<__m512i> {
    let chunk = s.get(at..)?.first_chunk::<LANES>()?;
    // SAFETY: `chunk` is 8 readable `u64`s (64 bytes); the load has no alignment
    // requirement.
    Some(unsafe { _mm512_loadu_si512(chunk.as_ptr().cast::<__m512i>()) })
}

/// The rows of `m` (see [`super::count`]): the reference keys as `r / 8` vectors (whole,
/// `refs` being padded), loaded once and kept in registers, each hypothesis key compared
/// with all of them, fully unrolled for each vector count.
/// Deliberate variant of `avx2::rows` (same steps, 512-bit vectors).
#[inline]
#[target_feature(enable = "avx512f")]
fn rows(hyp: &[u64], refs: &[u64], r: usize, m: &mut [u64]) {
    rows_by_groups!(rows_n, hyp, refs, r, m)
}

/// [`rows`] with `C` vectors of reference keys (`8 * C <= refs.len()`; shorter `refs`
/// are compared one key at a time).
/// Deliberate variant of `avx2::rows_n` (same steps, 512-bit vectors).
#[inline]
#[target_feature(enable = "avx512f")]
fn rows_n<const C: usize>(hyp: &[u64], refs: &[u64], r: usize, m: &mut [u64]) {
    let Some(block) = refs.get(..LANES * C) else {
        return super::rows_by(super::eq_mask, hyp, refs, r, m);
    };
    let mut vectors = [_mm512_setzero_si512(); C];
    for (c, v) in vectors.iter_mut().enumerate() {
        // SAFETY: `block` holds `8 * C` `u64`s, so the 64 bytes at `8 * c` (c < C) are
        // readable; the load has no alignment requirement.
        *v = unsafe { _mm512_loadu_si512(block.as_ptr().add(LANES * c).cast::<__m512i>()) };
    }
    let within = low_bits(r);
    for (&key, mi) in hyp.iter().zip(m.iter_mut()) {
        let k = _mm512_set1_epi64(key as i64);
        let mut row = 0u64;
        for (c, &v) in vectors.iter().enumerate() {
            row |= u64::from(_mm512_cmpeq_epi64_mask(k, v)) << (LANES * c);
        }
        *mi = row & within;
    }
}

/// The order loop ([`super::clip_orders`]) over 8 positions at a time: shifts, ands and
/// population counts of whole vectors, the comparison as a mask whose bits are counted.
/// `m` and `e` hold `h` positions then at least `correct.len() + 8` zeros.
/// Deliberate variant of `avx2::clip_orders` (same steps, 512-bit vectors).
#[inline]
#[target_feature(enable = "avx512f,avx512vpopcntdq,popcnt")]
fn clip_orders(m: &[u64], e: &[u64], h: usize, correct: &mut [u64]) {
    let ones = _mm512_set1_epi64(-1);
    for i in (0..h).step_by(LANES) {
        let (mut to_ref, mut to_earlier) = (ones, ones);
        for (n, c) in correct.iter_mut().enumerate() {
            let (Some(mn), Some(en)) = (load(m, i + n), load(e, i + n)) else {
                break;
            };
            let shift = _mm512_set1_epi64(n as i64);
            to_ref = _mm512_and_si512(to_ref, _mm512_srlv_epi64(mn, shift));
            to_earlier = _mm512_and_si512(to_earlier, _mm512_srlv_epi64(en, shift));
            let wins = _mm512_cmpgt_epu64_mask(
                _mm512_popcnt_epi64(to_ref),
                _mm512_popcnt_epi64(to_earlier),
            );
            *c += u64::from(wins.count_ones());
        }
    }
}

/// [`super::count`] with AVX-512 key comparisons and order loop.
/// Deliberate variant of `avx2::count` (same steps, 512-bit vectors).
#[target_feature(enable = "avx512f,avx512vpopcntdq,popcnt")]
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
