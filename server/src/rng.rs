//! A small, fast, seedable random number generator and the few distributions the
//! telemetry generator needs.
//!
//! `Rng` is xoshiro256** seeded through SplitMix64 (the seeding its authors recommend).
//! It is not cryptographic; it only has to be fast, well mixed and reproducible: the
//! same seed gives the same stream on every platform, which is what makes the
//! generator deterministic given `--seed`.
//!
//! `mix` is a stateless 64-bit hash (SplitMix64's finaliser) used to derive per-series
//! seeds and to make *stateless* random decisions such as "does an incident start in
//! this datacenter in this minute?", which must not depend on how samples were batched.

/// SplitMix64 finaliser: a bijective, well-mixing hash of one `u64`.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hash several words into one (order matters).
pub fn mix_all(words: &[u64]) -> u64 {
    words
        .iter()
        .fold(0x243F_6A88_85A3_08D3, |acc, &w| mix(acc ^ w))
}

/// Map a hash to a uniform float in [0, 1).
pub fn unit(h: u64) -> f64 {
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// xoshiro256** generator.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// Seed from one word; any seed (including 0) gives a valid, distinct stream.
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            mix(x.wrapping_sub(0x9E37_79B9_7F4A_7C15))
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        unit(self.next_u64())
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// Uniform integer in [0, n); `n` must be > 0.
    pub fn below(&mut self, n: u64) -> u64 {
        // Lemire's multiply-shift; the tiny bias is irrelevant here.
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Standard normal (Box–Muller, one of the pair; simplicity over speed).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64(); // (0, 1]: ln is finite
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Exponential with the given mean.
    pub fn exp(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.f64()).ln()
    }

    /// Poisson-distributed count with mean `lambda` (Knuth for small means, a rounded
    /// normal approximation for large ones).
    pub fn poisson(&mut self, lambda: f64) -> u64 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda > 30.0 {
            return (lambda + lambda.sqrt() * self.normal()).round().max(0.0) as u64;
        }
        let limit = (-lambda).exp();
        let mut k = 0;
        let mut p = self.f64();
        while p > limit {
            k += 1;
            p *= self.f64();
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_different_seeds_differ() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut c = Rng::new(8);
        let xs: Vec<u64> = (0..16).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..16).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..16).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn distributions_are_in_range_and_roughly_centred() {
        let mut r = Rng::new(1);
        let n = 20_000;
        let mut sum = 0.0;
        let mut psum = 0;
        for _ in 0..n {
            let u = r.f64();
            assert!((0.0..1.0).contains(&u));
            sum += r.normal();
            psum += r.poisson(3.0);
            assert!(r.below(10) < 10);
        }
        assert!((sum / n as f64).abs() < 0.05);
        assert!(((psum as f64 / n as f64) - 3.0).abs() < 0.1);
    }
}
