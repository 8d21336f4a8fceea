//! The random numbers of the resampling tests: xoshiro256** (Blackman & Vigna) seeded through
//! SplitMix64, one independent sub-stream per resample or trial, keyed by `(seed, domain,
//! index)` so that results do not depend on the thread count (see the parent module's docs).

/// Sub-stream domains, so that bootstrap and AR draws for the same seed are independent.
pub(super) const DOMAIN_BOOTSTRAP: u64 = 0xB007_57A9;
pub(super) const DOMAIN_AR: u64 = 0xA9_0000_0001;

/// SplitMix64 increment (Steele, Lea & Flood 2014).
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function: a bijective 64-bit mixer.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256**: 256-bit state, period 2^256 - 1, passes BigCrush; ~1 ns per draw.
#[derive(Debug, Clone)]
pub(super) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// An independent generator for sub-stream `index` of `domain` under `seed`: the key is
    /// mixed from all three, then expanded by SplitMix64 into the state (never all zero:
    /// SplitMix64 outputs four consecutive distinct values of a bijection).
    pub(super) fn stream(seed: u64, domain: u64, index: u64) -> Rng {
        let mut key =
            mix64(mix64(seed ^ mix64(domain)).wrapping_add(index.wrapping_mul(GOLDEN_GAMMA)));
        let mut s = [0u64; 4];
        for x in &mut s {
            key = key.wrapping_add(GOLDEN_GAMMA);
            *x = mix64(key);
        }
        Rng { s }
    }

    #[inline(always)]
    pub(super) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform integer in `0..n` (`n >= 1`), unbiased (Lemire 2019, multiply and reject).
    #[inline(always)]
    pub(super) fn below(&mut self, n: u64) -> u64 {
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = Rng::stream(1, 2, 3);
        let mut seen = [0usize; 7];
        for _ in 0..7000 {
            let x = rng.below(7) as usize;
            seen[x] += 1;
        }
        assert!(seen.iter().all(|&c| c > 800 && c < 1200), "{seen:?}");
        assert_eq!(rng.below(1), 0);
    }

    #[test]
    fn streams_differ() {
        let a = Rng::stream(12345, DOMAIN_BOOTSTRAP, 0).next_u64();
        let b = Rng::stream(12345, DOMAIN_BOOTSTRAP, 1).next_u64();
        let c = Rng::stream(12345, DOMAIN_AR, 0).next_u64();
        let d = Rng::stream(12346, DOMAIN_BOOTSTRAP, 0).next_u64();
        assert!(a != b && a != c && a != d && b != c);
    }
}
