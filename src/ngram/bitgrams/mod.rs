//! Clipped n-gram matches of a short hypothesis against one reference, by bit matrices.
//!
//! BLEU needs, per order n, `sum over the hypothesis's distinct n-grams g of min(count in the
//! hypothesis, count in the reference)`. Numbering the occurrences of each n-gram in the
//! hypothesis from 0 in order, that sum is the number of hypothesis positions whose n-gram
//! occurs in the reference more often than its own occurrence number: the k-th occurrence
//! (from 0) finds a partner exactly when the reference has more than k.
//!
//! When both sides have at most [`MAX_TOKENS`] (64) tokens, everything fits in `u64` bit sets:
//! - `m[i]`: bit j set when hypothesis token i equals reference token j;
//! - `e[i]`: bit j set when hypothesis token i equals hypothesis token j, for j < i only.
//!
//! The n-grams starting at i then follow by shifts: the reference positions whose n-gram
//! equals the hypothesis's at i are `m[i] & m[i+1] >> 1 & ... & m[i+n-1] >> (n-1)`, the
//! earlier hypothesis positions with the same n-gram the same over `e`, and position i counts
//! for order n when the first set has more bits than the second.
//!
//! No token ids, no hash table, no trie. `m` comes from comparing each hypothesis token's
//! [`word_key`] with every reference key: 8 at a time with
//! AVX-512, 4 with AVX2 (both runtime-detected; the reference's keys held in registers), one
//! by one otherwise. `e` needs no comparison: two hypothesis tokens found in the reference are
//! equal exactly when their first reference positions are, so `e` is gathered per first
//! position; a token absent from the reference kills every n-gram through it, whatever its
//! `e`. The order loop runs over 8 positions at a time with AVX-512 (VPOPCNTDQ counts the
//! bits), 4 with AVX2 (population counts by nibble table), one otherwise.
//! O(h * r / lanes + h * max_order) word operations for h hypothesis and r reference tokens.
//!
//! Keys are exact for tokens of up to 7 bytes; longer tokens have hashed keys, so every bit
//! a long token's key sets in `m` is confirmed by comparing the bytes (almost always equal
//! words: two different words sharing a 63-bit hash is the only way the check fails).
//!
//! # When it runs
//!
//! BLEU runs it for one reference when both sides have at most [`MAX_TOKENS`] tokens (99.9%
//! of WMT22 ru-en lines, which have 17 tokens on average) and the CPU has a vector variant
//! ([`simd_available`]); otherwise it counts with the trie ([`super::trie`]), which is faster
//! than the portable variant. The vector variants live in `avx2.rs` and `avx512.rs`, chosen at
//! run time ([`Kernel::best`]); the portable one is their oracle in the tests.

use crate::distance::{word_key, KEY_HASHED};

/// Most tokens a side for [`clipped_matches`]: one bit per token in a `u64`.
pub(crate) const MAX_TOKENS: usize = 64;

/// Keys are followed by this many zeros (one AVX-512 vector of `u64`s, two AVX2 ones: the
/// unit the comparison loops read), so the vector loops read whole vectors; bits past a side's
/// length are masked off.
const LANES: usize = 8;

/// Zeros after the hypothesis's positions in `m` and `e` for up to 8 orders.
const ZEROS: [u64; 2 * LANES] = [0; 2 * LANES];

/// The tokens of one line: their keys ([`word_key`]) and byte ranges in the line's text, in
/// fixed arrays (a push is two stores and a count; no capacity check); tokens past the first
/// [`MAX_TOKENS`] are only counted, and the line is then refused by [`clipped_matches`].
#[derive(Debug, Clone)]
pub(crate) struct Side {
    /// Keys of the first tokens, then [`LANES`] zeros once [`Side::pad`]-ded.
    keys: [u64; MAX_TOKENS + LANES],
    spans: [(u32, u32); MAX_TOKENS],
    /// Tokens pushed since the last [`Side::clear`] (kept or not).
    len: usize,
}

impl Default for Side {
    fn default() -> Side {
        Side {
            keys: [0; MAX_TOKENS + LANES],
            spans: [(0, 0); MAX_TOKENS],
            len: 0,
        }
    }
}

impl Side {
    /// Forgets the tokens.
    pub(crate) fn clear(&mut self) {
        self.len = 0;
    }

    /// Appends the token `text[start..end]` (`start <= end <= text.len()`, with
    /// `text.len() < 2^32`; the caller checks the length once per line).
    #[inline(always)]
    pub(crate) fn push(&mut self, text: &[u8], start: usize, end: usize) {
        let n = self.len;
        if n < MAX_TOKENS {
            self.keys[n] = word_key(text, start, end);
            self.spans[n] = (start as u32, end as u32);
        }
        self.len = n + 1;
    }

    /// Number of tokens pushed.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Writes [`LANES`] zero keys after the tokens (done once, before counting, on a side of
    /// at most [`MAX_TOKENS`] tokens): every vector a loop reads is then within the keys.
    fn pad(&mut self) {
        if let Some(tail) = self.keys.get_mut(self.len..self.len + LANES) {
            tail.copy_from_slice(&[0; LANES]);
        }
    }
}

/// Per-thread buffers of [`clipped_matches`].
#[derive(Debug, Default, Clone)]
pub(crate) struct BitScratch {
    /// The hypothesis's tokens.
    pub(crate) hyp: Side,
    /// The reference's tokens.
    pub(crate) reference: Side,
    /// Per hypothesis position: reference positions holding the same token; then zeros.
    m: Vec<u64>,
    /// Per hypothesis position: earlier hypothesis positions holding the same token (for
    /// tokens found in the reference; see [`count`]); then zeros.
    e: Vec<u64>,
    /// Per first reference position (64: none), the hypothesis positions so far whose
    /// token is first found there; all zeros between segments.
    seen: Vec<u64>,
}

/// The instruction sets [`clipped_matches`] has a variant for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kernel {
    /// Plain Rust, any CPU: the oracle of the vector variants in tests. BLEU does not run it
    /// (see [`simd_available`]): its single-reference trie is faster.
    Portable,
    /// AVX2 key comparisons (4 keys per instruction), the order loop over 4 positions at a
    /// time (population counts by nibble table), and POPCNT.
    Avx2,
    /// AVX-512 key comparisons (8 keys per instruction) and the order loop over 8 positions at
    /// a time with AVX-512 VPOPCNTDQ.
    Avx512,
}

impl Kernel {
    /// Every variant, the fastest first.
    pub(crate) const ALL: [Kernel; 3] = [Kernel::Avx512, Kernel::Avx2, Kernel::Portable];

    /// Whether this CPU runs the variant (detected at run time; cached by the standard
    /// library).
    pub(crate) fn supported(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            match self {
                Kernel::Portable => true,
                Kernel::Avx2 => has!("avx2") && has!("popcnt"),
                Kernel::Avx512 => has!("avx512f") && has!("avx512vpopcntdq") && has!("popcnt"),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self == Kernel::Portable
        }
    }

    /// The fastest variant this CPU runs (detected once per process, then cached).
    pub(crate) fn best() -> Kernel {
        static BEST: std::sync::OnceLock<Kernel> = std::sync::OnceLock::new();
        *BEST.get_or_init(|| {
            Kernel::ALL
                .into_iter()
                .find(|k| k.supported())
                .unwrap_or(Kernel::Portable)
        })
    }
}

/// Whether this CPU runs a vector variant (AVX2 or AVX-512) of [`clipped_matches`]; only
/// then is the bit-matrix kernel faster than the trie for BLEU.
pub(crate) fn simd_available() -> bool {
    Kernel::best() != Kernel::Portable
}

/// Clipped matches per order, `correct[n - 1]` for n in `1..=correct.len()`, of the tokens in
/// `s.hyp` (byte ranges of `hyp_text`) against those in `s.reference` (of `ref_text`): the
/// numbers BLEU's `correct_n` statistics hold. Returns false, writing nothing, when either
/// side has more than [`MAX_TOKENS`] tokens. O(h * r / lanes + h * orders), see the module
/// docs.
pub(crate) fn clipped_matches(
    hyp_text: &[u8],
    ref_text: &[u8],
    s: &mut BitScratch,
    correct: &mut [u64],
) -> bool {
    clipped_matches_with(Kernel::best(), hyp_text, ref_text, s, correct)
}

/// [`clipped_matches`] with the given variant; one the CPU lacks runs as
/// [`Kernel::Portable`]. Tests compare the variants with one another and a naive count.
pub(crate) fn clipped_matches_with(
    kernel: Kernel,
    hyp_text: &[u8],
    ref_text: &[u8],
    s: &mut BitScratch,
    correct: &mut [u64],
) -> bool {
    let (h, r) = (s.hyp.len(), s.reference.len());
    if h > MAX_TOKENS || r > MAX_TOKENS {
        return false;
    }
    s.hyp.pad();
    s.reference.pad();
    // Positions below h are all written by `count`. Zeros after them: n-grams running off
    // the hypothesis match nothing, and the vector order loops read whole vectors; a
    // fixed-size copy (two stores) writes them for up to 8 orders.
    let zeros = (correct.len() + LANES).max(ZEROS.len());
    for v in [&mut s.m, &mut s.e] {
        if v.len() < h + zeros {
            v.resize(h + zeros, 0);
        }
        if let Some(tail) = v.get_mut(h..h + ZEROS.len()) {
            tail.copy_from_slice(&ZEROS);
        }
        if zeros > ZEROS.len() {
            if let Some(rest) = v.get_mut(h + ZEROS.len()..h + zeros) {
                rest.fill(0);
            }
        }
    }
    correct.fill(0);
    #[cfg(target_arch = "x86_64")]
    {
        if kernel == Kernel::Avx512 && kernel.supported() {
            // SAFETY: the CPU supports AVX-512F, AVX-512 VPOPCNTDQ and POPCNT (checked just
            // above), the only requirement of `avx512::count`.
            #[allow(unsafe_code)]
            unsafe {
                avx512::count(hyp_text, ref_text, s, correct);
            }
            return true;
        }
        if kernel == Kernel::Avx2 && kernel.supported() {
            // SAFETY: the CPU supports AVX2 and POPCNT (checked just above), the only
            // requirement of `avx2::count`.
            #[allow(unsafe_code)]
            unsafe {
                avx2::count(hyp_text, ref_text, s, correct);
            }
            return true;
        }
    }
    count(
        hyp_text,
        ref_text,
        s,
        correct,
        |hyp, refs, r, m| rows_by(eq_mask, hyp, refs, r, m),
        clip_orders,
    );
    true
}

/// `$rows_n::<C>(hyp, refs, r, m)` for C = `r.div_ceil(8)` groups of 8 reference keys (1 to
/// 8; no key clears the rows): one instance per count, each fully unrolled (const generics
/// need a literal, hence the `match`). A macro, so that it expands inside each variant's
/// `#[target_feature]` function.
macro_rules! rows_by_groups {
    ($rows_n:ident, $hyp:expr, $refs:expr, $r:expr, $m:expr) => {
        match $r.div_ceil(LANES) {
            0 => $m.iter_mut().take($hyp.len()).for_each(|mi| *mi = 0),
            1 => $rows_n::<1>($hyp, $refs, $r, $m),
            2 => $rows_n::<2>($hyp, $refs, $r, $m),
            3 => $rows_n::<3>($hyp, $refs, $r, $m),
            4 => $rows_n::<4>($hyp, $refs, $r, $m),
            5 => $rows_n::<5>($hyp, $refs, $r, $m),
            6 => $rows_n::<6>($hyp, $refs, $r, $m),
            7 => $rows_n::<7>($hyp, $refs, $r, $m),
            _ => $rows_n::<8>($hyp, $refs, $r, $m),
        }
    };
}

/// Bit j set when `keys[j] == key`, for `j < n` (`n <= 64`).
#[inline(always)]
fn eq_mask(key: u64, keys: &[u64], n: usize) -> u64 {
    keys.iter()
        .take(n.min(MAX_TOKENS))
        .enumerate()
        .fold(0, |m, (j, &k)| m | u64::from(k == key) << j)
}

/// `m[i] = eq(hyp[i], refs, r)` for every hypothesis key: the rows of `m` one comparison
/// function call at a time.
#[inline(always)]
fn rows_by(
    eq: impl Fn(u64, &[u64], usize) -> u64,
    hyp: &[u64],
    refs: &[u64],
    r: usize,
    m: &mut [u64],
) {
    for (&key, mi) in hyp.iter().zip(m.iter_mut()) {
        *mi = eq(key, refs, r);
    }
}

/// `u64` with the low `n` bits set (`n <= 64`).
#[inline(always)]
fn low_bits(n: usize) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1 << n) - 1
    }
}

/// `a == b`, without a `memcmp` call for words of 8 to 16 bytes (most long words): equal
/// lengths, then the first and the last 8 bytes, which cover the word.
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    match (a.first_chunk::<8>(), b.first_chunk::<8>()) {
        (Some(a8), Some(b8)) if a.len() <= 16 => {
            a8 == b8 && a.last_chunk::<8>() == b.last_chunk::<8>()
        }
        _ => a == b,
    }
}

/// Clears the bits of `mask` whose token in `other` (byte ranges of `other_text`) differs
/// from `text[span]`: the check a hashed key needs.
#[inline(never)]
fn confirm(
    text: &[u8],
    span: (u32, u32),
    other_text: &[u8],
    other: &[(u32, u32)],
    mask: u64,
) -> u64 {
    let word = text.get(span.0 as usize..span.1 as usize).unwrap_or(&[]);
    let mut kept = mask;
    let mut rest = mask;
    while rest != 0 {
        let j = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        let same = other
            .get(j)
            .and_then(|&(a, b)| other_text.get(a as usize..b as usize))
            .is_some_and(|w| same_bytes(w, word));
        if !same {
            kept &= !(1 << j);
        }
    }
    kept
}

/// The body of [`clipped_matches_with`] (sides padded, `m` and `e` zero past the
/// hypothesis, `correct` zeroed): `rows(hyp_keys, ref_keys, r, m)` sets `m[i]`'s bit j for
/// `hyp_keys[i] == ref_keys[j]`, j < r ([`rows_by`]), and `orders` runs the order loop
/// ([`clip_orders`]). Inlined into each instruction-set variant.
#[inline(always)]
fn count(
    hyp_text: &[u8],
    ref_text: &[u8],
    s: &mut BitScratch,
    correct: &mut [u64],
    rows: impl FnOnce(&[u64], &[u64], usize, &mut [u64]),
    orders: impl FnOnce(&[u64], &[u64], usize, &mut [u64]),
) {
    let BitScratch {
        hyp,
        reference,
        m,
        e,
        seen,
    } = s;
    let (h, r) = (hyp.len, reference.len);
    let (hyp_spans, ref_spans) = (
        &hyp.spans[..h.min(MAX_TOKENS)],
        &reference.spans[..r.min(MAX_TOKENS)],
    );
    // `e` without comparing keys: two hypothesis tokens found in the reference are equal
    // exactly when their `m` rows are, so when their first reference positions are;
    // `seen[j]` gathers the positions so far whose first is j. A token absent from the
    // reference (`m` empty: all go to `seen[64]`) gets a meaningless `e`, never looked at:
    // every n-gram through it has an empty reference set and counts for nothing.
    seen.resize(MAX_TOKENS + 1, 0);
    rows(&hyp.keys[..hyp_spans.len()], &reference.keys, r, m);
    for (i, ((&key, &span), mi)) in hyp.keys.iter().zip(hyp_spans).zip(m.iter_mut()).enumerate() {
        let mut to_ref = *mi;
        if key & KEY_HASHED != 0 && to_ref != 0 {
            to_ref = confirm(hyp_text, span, ref_text, ref_spans, to_ref);
        }
        let first = to_ref.trailing_zeros() as usize;
        if let (Some(ei), Some(group)) = (e.get_mut(i), seen.get_mut(first)) {
            (*mi, *ei) = (to_ref, *group);
            *group |= 1 << i;
        }
    }
    // Back to all zeros for the next segment.
    for &mi in m.iter().take(h) {
        if let Some(group) = seen.get_mut(mi.trailing_zeros() as usize) {
            *group = 0;
        }
    }
    orders(m, e, h, correct);
}

/// The order loop: for each hypothesis position i and order n, the reference positions
/// and earlier hypothesis positions whose n-gram equals the one at i (`m` and `e` shifted and
/// and-ed), and position i counts when the first set is the larger. `m` and `e` hold `h`
/// positions then at least `correct.len()` zeros. Four orders (BLEU's default) are unrolled.
#[inline(always)]
fn clip_orders(m: &[u64], e: &[u64], h: usize, correct: &mut [u64]) {
    if let Ok(c4) = <&mut [u64; 4]>::try_from(&mut *correct) {
        clip_orders_n(m, e, h, c4);
        return;
    }
    for i in 0..h {
        let (mut to_ref, mut to_earlier) = (u64::MAX, u64::MAX);
        for (n, c) in correct.iter_mut().enumerate() {
            let (Some(&mn), Some(&en)) = (m.get(i + n), e.get(i + n)) else {
                break;
            };
            to_ref &= mn >> n;
            to_earlier &= en >> n;
            *c += u64::from(to_ref.count_ones() > to_earlier.count_ones());
        }
    }
}

/// [`clip_orders`] for `N` orders, unrolled.
#[inline(always)]
fn clip_orders_n<const N: usize>(m: &[u64], e: &[u64], h: usize, c: &mut [u64; N]) {
    for i in 0..h {
        let (Some(mw), Some(ew)) = (m.get(i..i + N), e.get(i..i + N)) else {
            break;
        };
        let (mut to_ref, mut to_earlier) = (u64::MAX, u64::MAX);
        for n in 0..N {
            to_ref &= mw[n] >> n;
            to_earlier &= ew[n] >> n;
            c[n] += u64::from(to_ref.count_ones() > to_earlier.count_ones());
        }
    }
}

// The vector variants expand `rows_by_groups!`, so they are declared after it.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx2;
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx512;
#[cfg(test)]
mod tests;
