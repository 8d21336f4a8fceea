//! numpy's default random generator and the pieces of numpy arithmetic that sacreBLEU's
//! significance tests depend on, reimplemented bit for bit:
//!
//! * [`Pcg64::seeded`]: `np.random.default_rng(seed)`, i.e. `Generator(PCG64(SeedSequence(seed)))`.
//!   `SeedSequence` hashes the seed's 32-bit words into a pool of four words and draws PCG64's
//!   128-bit state and increment from that pool (`numpy/random/bit_generator.pyx`); PCG64 is
//!   the 128-bit LCG with the XSL-RR 128/64 output function (`numpy/random/src/pcg64`).
//! * [`Pcg64::next_u32`]: PCG64's 32-bit draws hand out the low half of a 64-bit output and keep
//!   the high half for the next call (`has_uint32` / `uinteger`).
//! * [`Pcg64::below`]: one element of `Generator.integers(0, n)` with the default int64 dtype,
//!   which is also `Generator.choice(n, replace=True)`: Lemire's multiply-and-reject on 32-bit
//!   draws when `n - 1` fits in 32 bits (`buffered_bounded_lemire_uint32`), on 64-bit draws
//!   otherwise (`bounded_lemire_uint64`).
//! * `integers(2, dtype=bool)` takes one bit per element, least significant first, from
//!   successive 32-bit draws (`buffered_bounded_bool`): element `k` of one call is bit `k % 64`
//!   of the call's 64-bit output number `k / 64`. [`Pcg64::advance`] jumps to any of them.
//! * [`Pcg64::random`]: `Generator.random()`, `(next_u64 >> 11) * 2^-53`.
//! * [`pairwise_sum`]: numpy's summation of a contiguous float array (`np.sum`, `np.mean`):
//!   blocks of eight running sums up to 128 elements, pairwise halving above.
//!
//! The unit tests hold draws printed by numpy 2.4 (`python3 -c "import numpy as np; ..."`, the
//! snippet is beside each test).

/// PCG64's LCG multiplier (`PCG_DEFAULT_MULTIPLIER_128`).
const PCG_MULT: u128 = (2_549_297_995_355_413_924u128 << 64) | 4_865_540_595_714_422_341u128;

// SeedSequence constants (numpy/random/bit_generator.pyx).
const INIT_A: u32 = 0x43b0_d7e5;
const MULT_A: u32 = 0x931e_8875;
const INIT_B: u32 = 0x8b51_f9dd;
const MULT_B: u32 = 0x58f3_8ded;
const MIX_MULT_L: u32 = 0xca01_f9dd;
const MIX_MULT_R: u32 = 0x4973_f715;
const XSHIFT: u32 = 16;
const POOL_SIZE: usize = 4;

/// `SeedSequence(seed).generate_state(n_words, np.uint64)`. O(n_words).
pub(super) fn seed_sequence_u64(seed: u64, n_words: usize) -> Vec<u64> {
    // The seed as little-endian 32-bit words (`_coerce_to_uint32_array`; 0 is one word).
    let mut entropy = vec![seed as u32];
    if seed >> 32 != 0 {
        entropy.push((seed >> 32) as u32);
    }
    let pool = mix_entropy(&entropy);
    let mut hash_const = INIT_B;
    let words: Vec<u32> = (0..2 * n_words)
        .map(|i| {
            let mut v = pool[i % POOL_SIZE] ^ hash_const;
            hash_const = hash_const.wrapping_mul(MULT_B);
            v = v.wrapping_mul(hash_const);
            v ^ (v >> XSHIFT)
        })
        .collect();
    words
        .chunks_exact(2)
        .map(|w| u64::from(w[0]) | (u64::from(w[1]) << 32))
        .collect()
}

/// `SeedSequence.mix_entropy` for at most [`POOL_SIZE`] words of entropy (a `u64` seed).
fn mix_entropy(entropy: &[u32]) -> [u32; POOL_SIZE] {
    let mut hash_const = INIT_A;
    let mut hashmix = |value: u32| {
        let mut v = value ^ hash_const;
        hash_const = hash_const.wrapping_mul(MULT_A);
        v = v.wrapping_mul(hash_const);
        v ^ (v >> XSHIFT)
    };
    let mix = |x: u32, y: u32| {
        let r = MIX_MULT_L
            .wrapping_mul(x)
            .wrapping_sub(MIX_MULT_R.wrapping_mul(y));
        r ^ (r >> XSHIFT)
    };
    let mut pool = [0u32; POOL_SIZE];
    for (i, p) in pool.iter_mut().enumerate() {
        *p = hashmix(entropy.get(i).copied().unwrap_or(0));
    }
    for src in 0..POOL_SIZE {
        for dst in 0..POOL_SIZE {
            if src != dst {
                let h = hashmix(pool[src]);
                pool[dst] = mix(pool[dst], h);
            }
        }
    }
    pool
}

/// numpy's PCG64 bit generator with its 32-bit buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pcg64 {
    state: u128,
    inc: u128,
    /// The high half of the last 64-bit output, when a 32-bit draw has used only its low half.
    buffered: Option<u32>,
}

impl Pcg64 {
    /// `np.random.default_rng(seed).bit_generator`.
    pub(super) fn seeded(seed: u64) -> Pcg64 {
        let w = seed_sequence_u64(seed, 4);
        let initstate = (u128::from(w[0]) << 64) | u128::from(w[1]);
        let initseq = (u128::from(w[2]) << 64) | u128::from(w[3]);
        let mut rng = Pcg64 {
            state: 0,
            inc: (initseq << 1) | 1,
            buffered: None,
        };
        rng.step();
        rng.state = rng.state.wrapping_add(initstate);
        rng.step();
        rng
    }

    #[inline(always)]
    fn step(&mut self) {
        self.state = self.state.wrapping_mul(PCG_MULT).wrapping_add(self.inc);
    }

    /// The next 64-bit output (`next_uint64`); leaves the 32-bit buffer alone, as numpy does.
    #[inline(always)]
    pub(super) fn next_u64(&mut self) -> u64 {
        self.step();
        let s = self.state;
        let xored = ((s >> 64) as u64) ^ (s as u64);
        xored.rotate_right((s >> 122) as u32)
    }

    /// The next 32-bit output (`next_uint32`): the buffered high half if there is one, else the
    /// low half of a fresh 64-bit output, buffering its high half.
    #[inline(always)]
    pub(super) fn next_u32(&mut self) -> u32 {
        if let Some(hi) = self.buffered.take() {
            return hi;
        }
        let x = self.next_u64();
        self.buffered = Some((x >> 32) as u32);
        x as u32
    }

    /// Skips `delta` 64-bit outputs in O(log delta) (`pcg64_advance`; the buffer is kept).
    pub(super) fn advance(&mut self, mut delta: u128) {
        let (mut cur_mult, mut cur_plus) = (PCG_MULT, self.inc);
        let (mut acc_mult, mut acc_plus) = (1u128, 0u128);
        while delta > 0 {
            if delta & 1 == 1 {
                acc_mult = acc_mult.wrapping_mul(cur_mult);
                acc_plus = acc_plus.wrapping_mul(cur_mult).wrapping_add(cur_plus);
            }
            cur_plus = cur_mult.wrapping_add(1).wrapping_mul(cur_plus);
            cur_mult = cur_mult.wrapping_mul(cur_mult);
            delta >>= 1;
        }
        self.state = acc_mult.wrapping_mul(self.state).wrapping_add(acc_plus);
    }

    /// The state after `words` 32-bit draws from this one, without making them (the bool
    /// masks of approximate randomisation use `ceil(bits / 32)` of them). O(log words).
    pub(super) fn skip_u32(&mut self, words: u128) {
        let mut words = words;
        if words > 0 && self.buffered.take().is_some() {
            words -= 1;
        }
        self.advance(words / 2);
        if words % 2 == 1 {
            self.next_u32();
        }
    }

    /// One element of `Generator.integers(0, n)` (int64), i.e. of `Generator.choice(n)`:
    /// uniform in `0..n`, `n >= 1`.
    #[inline(always)]
    pub(super) fn below(&mut self, n: u64) -> u64 {
        let rng = n - 1;
        if rng == 0 {
            0
        } else if rng < u64::from(u32::MAX) {
            u64::from(self.lemire_u32(rng as u32 + 1))
        } else if rng == u64::from(u32::MAX) {
            u64::from(self.next_u32())
        } else if rng == u64::MAX {
            self.next_u64()
        } else {
            self.lemire_u64(n)
        }
    }

    /// Calls `f` with `count` successive [`Pcg64::below`]`(n)` draws, leaving the generator
    /// where `count` calls of `below` would: the same numbers, faster. On the 32-bit path it
    /// takes both halves of each 64-bit output in turn and tests each for Lemire's rejection
    /// directly (a 32-bit draw is rejected exactly when its low product word is below
    /// `(2^32 - n) % n`), instead of going through the half-word buffer per draw.
    #[inline]
    pub(super) fn for_each_below(&mut self, n: u64, count: usize, mut f: impl FnMut(u64)) {
        if n == 1 {
            (0..count).for_each(|_| f(0));
            return;
        }
        if n > u64::from(u32::MAX) {
            (0..count).for_each(|_| f(self.below(n)));
            return;
        }
        let threshold = ((1u64 << 32) - n) % n;
        // One 32-bit draw: the number if accepted.
        let take = |x: u32| {
            let m = u64::from(x) * n;
            (m & 0xFFFF_FFFF >= threshold).then_some(m >> 32)
        };
        let mut left = count;
        if left > 0 {
            if let Some(hi) = self.buffered.take() {
                if let Some(j) = take(hi) {
                    f(j);
                    left -= 1;
                }
            }
        }
        while left > 0 {
            let x = self.next_u64();
            if let Some(j) = take(x as u32) {
                f(j);
                left -= 1;
                if left == 0 {
                    self.buffered = Some((x >> 32) as u32);
                    break;
                }
            }
            if let Some(j) = take((x >> 32) as u32) {
                f(j);
                left -= 1;
            }
        }
    }

    /// `buffered_bounded_lemire_uint32` with `rng_excl = n`, `2 <= n < 2^32`.
    #[inline(always)]
    fn lemire_u32(&mut self, n: u32) -> u32 {
        let mut m = u64::from(self.next_u32()) * u64::from(n);
        let mut leftover = m as u32;
        if leftover < n {
            let threshold = (u32::MAX - (n - 1)) % n;
            while leftover < threshold {
                m = u64::from(self.next_u32()) * u64::from(n);
                leftover = m as u32;
            }
        }
        (m >> 32) as u32
    }

    /// `bounded_lemire_uint64` with `rng_excl = n`, `2^32 < n < 2^64`.
    fn lemire_u64(&mut self, n: u64) -> u64 {
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        let mut leftover = m as u64;
        if leftover < n {
            let threshold = (u64::MAX - (n - 1)) % n;
            while leftover < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
                leftover = m as u64;
            }
        }
        (m >> 64) as u64
    }

    /// `Generator.random()`: uniform in `[0, 1)` with 53 random bits.
    #[cfg(test)]
    pub(super) fn random(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }
}

/// `f64` or `f32`: what numpy sums with [`pairwise_sum`].
pub(super) trait Float:
    Copy
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
{
    const ZERO: Self;
}

impl Float for f64 {
    const ZERO: f64 = 0.0;
}

impl Float for f32 {
    const ZERO: f32 = 0.0;
}

/// numpy's `pairwise_sum` of a contiguous array (what `np.sum` and `np.mean` compute), in the
/// array's own precision: O(n), recursion depth O(log n).
pub(super) fn pairwise_sum<T: Float>(a: &[T]) -> T {
    let n = a.len();
    if n < 8 {
        a.iter().fold(T::ZERO, |acc, &x| acc + x)
    } else if n <= 128 {
        let mut r = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
        let full = n - n % 8;
        for chunk in a[8..full].chunks_exact(8) {
            for (rj, &x) in r.iter_mut().zip(chunk) {
                *rj = *rj + x;
            }
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &a[full..] {
            res = res + x;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise_sum(&a[..n2]) + pairwise_sum(&a[n2..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_sequence_matches_numpy() {
        // SeedSequence(12345).generate_state(4, np.uint64)
        assert_eq!(
            seed_sequence_u64(12345, 4),
            [
                13091511679009522556,
                13538552136045918767,
                7269824232120749972,
                4520223790601600371
            ]
        );
    }

    #[test]
    fn pcg64_state_and_outputs_match_numpy() {
        // g = np.random.default_rng(12345).bit_generator; g.state; g.random_raw(3)
        let mut g = Pcg64::seeded(12345);
        assert_eq!(g.state, 33261208707367790463622745601869196757);
        assert_eq!(g.inc, 268209174141567072605526753992732310247);
        assert_eq!(
            [g.next_u64(), g.next_u64(), g.next_u64()],
            [0x3a32b18db2ffc19d, 0x51171315c9e4c4de, 0xcc2024823444efd9]
        );
    }
    #[test]
    fn other_seeds_match_numpy() {
        // [np.random.default_rng(s).bit_generator.random_raw(2).tolist() for s in seeds]
        for (seed, raw) in [
            (0, [11749869230777074271, 4976686463289251617]),
            (1, [9441442522235856127, 17532960557476522086]),
            ((1 << 32) + 5, [14281546376153053393, 8683300866460616067]),
            (u64::MAX, [12544278110101001871, 15593249672699323225]),
        ] {
            let mut g = Pcg64::seeded(seed);
            assert_eq!([g.next_u64(), g.next_u64()], raw, "seed {seed}");
        }
    }

    fn draws(g: &mut Pcg64, n: u64, k: usize) -> Vec<u64> {
        (0..k).map(|_| g.below(n)).collect()
    }

    #[test]
    fn bounded_integers_match_numpy() {
        // g = np.random.default_rng(7); g.choice(1984, size=8)
        let mut g = Pcg64::seeded(7);
        assert_eq!(
            draws(&mut g, 1984, 8),
            [1874, 1240, 1357, 1780, 1147, 1538, 1653, 446]
        );
        // g.integers(0, 3_000_000_000, size=8): frequent rejections on the 32-bit path
        let mut g = Pcg64::seeded(7);
        assert_eq!(
            draws(&mut g, 3_000_000_000, 8),
            [
                2834714867, 2052539810, 2691641402, 1734877356, 2327057070, 2500953064, 675621569,
                166594732
            ]
        );
        // g.integers(0, 2**32, size=4): plain 32-bit draws
        let mut g = Pcg64::seeded(7);
        assert_eq!(
            draws(&mut g, 1 << 32, 4),
            [4058335883, 2684764585, 2938530453, 3853503932]
        );
        // g.integers(0, 2**40 + 3, size=4): the 64-bit path
        let mut g = Pcg64::seeded(7);
        assert_eq!(
            draws(&mut g, (1 << 40) + 3, 4),
            [687299734003, 986497006769, 852875435926, 247617924054]
        );
    }

    #[test]
    fn the_32_bit_buffer_outlives_calls_as_in_numpy() {
        // g = np.random.default_rng(7); g.integers(0, 10, size=3);
        // g.integers(0, 2**40 + 3, size=2); g.integers(0, 10, size=1); g.random(2)
        let mut g = Pcg64::seeded(7);
        assert_eq!(draws(&mut g, 10, 3), [9, 6, 6]);
        assert_eq!(
            draws(&mut g, (1 << 40) + 3, 2),
            [852875435926, 247617924054]
        );
        assert_eq!(draws(&mut g, 10, 1), [8]);
        assert_eq!(
            [g.random(), g.random()],
            [0.30016628491122543, 0.8735534453962619]
        );
    }

    #[test]
    fn skipping_bool_masks_matches_numpy() {
        // g = np.random.default_rng(7); g.integers(2, size=(3, 37), dtype=bool); g.choice(100, size=5)
        let mut g = Pcg64::seeded(7);
        g.skip_u32((3 * 37u128).div_ceil(32));
        assert_eq!(draws(&mut g, 100, 5), [57, 77, 83, 22, 5]);
        // ... size=(2, 32): two 32-bit draws, one 64-bit output
        let mut g = Pcg64::seeded(7);
        g.skip_u32(2);
        assert_eq!(draws(&mut g, 100, 5), [68, 89, 57, 77, 83]);
        // an odd number of 32-bit draws leaves a half in the buffer
        let (mut a, mut b) = (Pcg64::seeded(3), Pcg64::seeded(3));
        for _ in 0..7 {
            a.next_u32();
        }
        b.skip_u32(7);
        assert_eq!(a, b);
        b.skip_u32(1);
        a.next_u32();
        assert_eq!(a, b);
    }

    #[test]
    fn for_each_below_makes_the_draws_of_below() {
        for (seed, n, count) in [
            (1, 1984, 1001),
            (2, 3_000_000_000, 333),
            (3, 7, 64),
            (4, (1 << 32) - 1, 9),
            (5, 1 << 32, 5),
            (6, (1 << 40) + 3, 5),
            (7, 1, 4),
        ] {
            for pre in [0, 1] {
                let mut a = Pcg64::seeded(seed);
                for _ in 0..pre {
                    a.next_u32();
                }
                let mut b = a.clone();
                let direct: Vec<u64> = (0..count).map(|_| a.below(n)).collect();
                let mut fast = Vec::new();
                b.for_each_below(n, count, |x| fast.push(x));
                assert_eq!(direct, fast, "n {n}");
                assert_eq!(a, b, "n {n}, pre {pre}");
            }
        }
    }

    #[test]
    fn advance_equals_stepping() {
        let mut a = Pcg64::seeded(99);
        let mut b = a.clone();
        for _ in 0..1000 {
            a.next_u64();
        }
        b.advance(1000);
        assert_eq!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn pairwise_sum_matches_numpy() {
        // np.sqrt(np.arange(1, 1001)).astype(np.float32).sum() (a sequential float32 sum
        // gives 21097.4609375)
        let a32: Vec<f32> = (1..=1000).map(|i| f64::from(i).sqrt() as f32).collect();
        assert_eq!(pairwise_sum(&a32), 21097.457_f32);
        assert_eq!(f64::from(pairwise_sum(&a32)), 21097.45703125);
        let a64: Vec<f64> = (1..=1000).map(|i| f64::from(i).sqrt()).collect();
        assert_eq!(pairwise_sum(&a64), 21097.455887480734);
        assert_eq!(pairwise_sum::<f64>(&[]), 0.0);
    }
}
