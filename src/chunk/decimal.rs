//! Decimal values: a power-of-ten exponent per block, scaled integers, exact ulp corrections.
//!
//! Real telemetry is decimal text with few digits (21.37, 1016.6, 22262). Its binary doubles
//! have noisy mantissas, so XOR coding spends 20-50 bits per value on them; as integers scaled
//! by 10^e they are small and smooth. In the spirit of ALP (Afroozeh & Boncz, PACMMOD 2023 /
//! SIGMOD 2024):
//! one exponent per block, found from a sample of values and checked on every value. Two
//! departures:
//!
//! * Decoding is defined as a division by an exact power of ten instead of a multiplication by
//!   an inexact reciprocal, so every decimal of up to 15 significant digits round-trips at its
//!   natural exponent; no exponent/factor search. Where provably the same bits, it is computed
//!   without dividing ([`Scale`]: two multiplications and an addition).
//! * Instead of an exception list, every value carries an exact correction in ulps:
//!   `k = bits(v) - bits(n / 10^e)` (wrapping). Parsed decimals have k = 0; computed
//!   near-decimals (`13.040999999999999`, `0.1 + 0.2`, 20% of the msft prices) have k = ±1 and
//!   cost 2 bits; anything else (NaN with its payload, ±inf, -0.0, subnormals, 1/3) gets a
//!   large k, which the integer sequence patches out of its frame (`intseq.rs`), so it costs
//!   about what an ALP exception does. The slot's integer repeats its neighbour so that it
//!   does not widen the deltas.
//!
//! | field       | size              | meaning                                               |
//! |-------------|-------------------|-------------------------------------------------------|
//! | exponent    | u8                | bits 0-4: e in 0..=18; bits 5-6: 0; bit 7: corrections follow |
//! | integers    | intseq (n values) | `n_i = round(v_i * 10^e)` (or the neighbour's, see above) |
//! | corrections | intseq (n values) | `k_i` as wrapping i64 (only with bit 7)               |
//!
//! Decoding: `v_i = from_bits(bits((n_i as f64) / 10^e) + k_i)`.
//! Why correct: the encoder computes `k_i` from the decoder's exact expression, so the round
//! trip is bit-exact by construction for every f64, whatever the exponent. Why it compresses:
//! 10^e (e <= 18) and every |n| <= 2^53 are exact doubles and IEEE division is correctly
//! rounded, so the result is the double nearest to `n * 10^-e`, which is what parsing that
//! decimal's text gives: k is 0 for parsed decimals.

use super::bits::Fields;
use super::intseq::{self, MAX_LEN};
use super::varint::Cursor;
use crate::error::{Error, Result};

/// Largest exponent.
pub const MAX_EXP: usize = 18;

const POW10: [f64; MAX_EXP + 1] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18,
];

/// 2^52 + 2^51: for |x| < 2^51, `(x + MAGIC) - MAGIC` is x rounded to the nearest integer (ties
/// to even). Why fast: two additions, no libm `round` call (which x86-64 baseline and wasm
/// would otherwise make a function call or a slower sequence). Why correct: adding MAGIC moves
/// x into [2^52, 2^53) where the spacing of doubles is exactly 1, so the addition itself rounds
/// to an integer; subtracting MAGIC is then exact.
const MAGIC: f64 = 6_755_399_441_055_744.0;

/// Samples used to guess the exponent.
const SAMPLES: usize = 8;

/// `round(v * p)` for |v * p| < 2^51; beyond that some integer near it (the correction then
/// carries the difference, so exactness never depends on this rounding).
#[inline(always)]
fn scale(v: f64, p: f64) -> i64 {
    ((v * p + MAGIC) - MAGIC) as i64
}

#[inline(always)]
fn unscale(n: i64, e: usize) -> f64 {
    if e == 0 {
        n as f64
    } else {
        n as f64 / POW10[e]
    }
}

/// Magnitude from which scaled integers stop being exact doubles: a value that needs more
/// digits than this is not "decimal" in any useful sense (it is a computed double).
const EXACT_LIMIT: f64 = 2_251_799_813_685_248.0; // 2^51: also where the rounding trick holds

/// Corrections up to this many ulps count as "near-decimal" when choosing the exponent...
const NEAR_ULPS: i64 = 2;
/// ...provided the decimal grid is much coarser than an ulp (|n| < 2^49, spacing >= 16 ulps);
/// otherwise every double would be "near" some 16-digit decimal.
const NEAR_LIMIT: f64 = 562_949_953_421_312.0; // 2^49

/// The correction of `v` against the integer `n` at exponent `e`.
#[inline(always)]
fn correction(v: f64, n: i64, e: usize) -> u64 {
    v.to_bits().wrapping_sub(unscale(n, e).to_bits())
}

#[inline(always)]
fn is_near(k: u64) -> bool {
    (k as i64).wrapping_add(NEAR_ULPS) as u64 <= 2 * NEAR_ULPS as u64
}

/// The smallest exponent at which `v` is within `NEAR_ULPS` of a decimal with an integer
/// below 2^53.
fn min_exp(v: f64) -> Option<usize> {
    let a = v.abs();
    if !a.is_finite() {
        return None;
    }
    for (e, &p) in POW10.iter().enumerate() {
        let x = a * p;
        if x >= EXACT_LIMIT {
            return None;
        }
        let k = correction(v, scale(v, p), e);
        if k == 0 || (x < NEAR_LIMIT && is_near(k)) {
            return Some(e);
        }
    }
    None
}

/// Converts `vals` at exponent `e`: integers into `ints`, corrections into `ks`; the indexes of
/// values that are not near-decimal into `far`. Returns (far count, nonzero corrections).
///
/// Why fast: the conversion loop has no branch (the rounding trick, saturating casts, and the
/// decoder's expression evaluated unconditionally), so it pipelines the divisions; the far
/// indexes are gathered in a second pass only when there are any.
#[inline]
fn convert(
    vals: &[f64],
    e: usize,
    ints: &mut [u64],
    ks: &mut [u64],
    far: &mut [u8; MAX_LEN],
) -> (usize, usize) {
    let p = POW10[e];
    let n = vals.len();
    let (ints, ks) = (&mut ints[..n], &mut ks[..n]);
    // `any` ORs the corrections: exact decimals (the common case) skip the counting pass.
    let mut any = 0u64;
    // Vectorisable form: the integer is read off the bits of `v * p + MAGIC` (no float-to-int
    // conversion), valid while |v * p| < 2^51, which `big` checks; otherwise the loops below
    // redo it with conversions. Why the same: in range, `bits(v * p + MAGIC) - bits(MAGIC)` is
    // `round(v * p)` and `(v * p + MAGIC) - MAGIC` is that integer as a double, exactly.
    let mut big = 0u64;
    for ((&v, x), k) in vals.iter().zip(ints.iter_mut()).zip(ks.iter_mut()) {
        let r = v * p + MAGIC;
        let n = r.to_bits().wrapping_sub(MAGIC_BITS);
        *x = n;
        *k = v.to_bits().wrapping_sub(((r - MAGIC) / p).to_bits());
        any |= *k;
        big |= n.wrapping_add(1 << 51);
    }
    if big >= 1 << 52 {
        any = 0;
        for ((&v, x), k) in vals.iter().zip(ints.iter_mut()).zip(ks.iter_mut()) {
            // (For e = 0, p = 1: the multiplication and division are exact.)
            let n = ((v * p + MAGIC) - MAGIC) as i64;
            *x = n as u64;
            *k = v.to_bits().wrapping_sub((n as f64 / p).to_bits());
            any |= *k;
        }
    }
    if any == 0 {
        return (0, 0);
    }
    let (mut nk, mut nfar) = (0, 0);
    for &k in ks.iter() {
        nk += (k != 0) as usize;
        nfar += !is_near(k) as usize;
    }
    if nfar > 0 {
        let mut j = 0;
        for (i, &k) in ks.iter().enumerate() {
            far[j] = i as u8;
            j += !is_near(k) as usize;
        }
    }
    (nfar, nk)
}

/// Writes `vals` (1..=MAX_LEN) as decimals and returns the exponent, or writes nothing and returns
/// `None` when the values are not decimal enough to be worth it (then XOR or raw takes over).
pub fn encode(vals: &[f64], out: &mut Vec<u8>) -> Option<u8> {
    let n = vals.len();
    debug_assert!((1..=MAX_LEN).contains(&n));
    // 1. Guess the exponent from a few evenly spaced samples: the largest of their smallest
    //    exponents. Bail out early on non-decimal data.
    let step = n.div_ceil(SAMPLES);
    let mut e = 0usize;
    let (mut seen, mut odd) = (0, 0);
    for i in (0..n).step_by(step) {
        seen += 1;
        match min_exp(vals[i]) {
            Some(x) => e = e.max(x),
            None => odd += 1,
        }
    }
    if odd * 2 > seen {
        return None;
    }
    // 2. Convert everything at that exponent.
    let mut ints = [0u64; MAX_LEN];
    let mut ks = [0u64; MAX_LEN];
    let mut far = [0u8; MAX_LEN];
    let (mut nfar, mut nk) = convert(vals, e, &mut ints[..n], &mut ks[..n], &mut far);
    // 3. Values with more digits than the samples showed: raise the exponent when that
    //    takes enough values out of the patches to pay for ~3.3 more bits on every value.
    if nfar >= 2 && e < MAX_EXP {
        let mut gain = [0usize; MAX_EXP + 1];
        for &i in &far[..nfar] {
            if let Some(x) = min_exp(vals[i as usize]) {
                if x > e {
                    gain[x] += 1;
                }
            }
        }
        let (mut best, mut best_score) = (e, 0i64);
        let mut fixed = 0usize;
        for (x, &g) in gain.iter().enumerate().skip(e + 1) {
            fixed += g;
            // A far value costs ~10 bytes = 80 bits; a digit costs log2(10) bits per value.
            let score = fixed as i64 * 80 - ((x - e) * n * 332 / 100) as i64;
            if score > best_score {
                best = x;
                best_score = score;
            }
        }
        if best != e {
            e = best;
            (nfar, nk) = convert(vals, e, &mut ints[..n], &mut ks[..n], &mut far);
        }
    }
    if nfar * 2 > n {
        return None;
    }
    // 4. A far value's integer repeats its neighbour (so it costs no width in the deltas);
    //    its correction then carries all of it.
    if nfar > 0 {
        let mut is_far = [false; MAX_LEN];
        for &i in &far[..nfar] {
            is_far[i as usize] = true;
        }
        // The first near value's integer fills the far values before it.
        let mut prev = (0..n).find(|&i| !is_far[i]).map_or(0, |i| ints[i]);
        for (i, (x, k)) in ints[..n].iter_mut().zip(ks[..n].iter_mut()).enumerate() {
            if is_far[i] {
                *x = prev;
                *k = correction(vals[i], prev as i64, e);
            } else {
                prev = *x;
            }
        }
        nk = ks[..n].iter().filter(|&&k| k != 0).count();
    }
    // 5. Write.
    out.push(e as u8 | ((nk > 0) as u8) << 7);
    intseq::encode(&ints[..n], 2, out);
    if nk > 0 {
        intseq::encode(&ks[..n], 0, out);
    }
    Some(e as u8)
}

/// Reads the exponent byte: (e, has corrections).
#[inline(always)]
fn head(cur: &mut Cursor<'_>) -> Result<(usize, bool)> {
    let b = cur.u8()?;
    let e = (b & 0x1f) as usize;
    if e > MAX_EXP || b & 0x60 != 0 {
        return Err(Error::corrupt("decimal exponent"));
    }
    Ok((e, b & 0x80 != 0))
}

/// Moves the cursor past a decimal section of `n` values.
pub fn skip(cur: &mut Cursor<'_>, n: usize) -> Result<()> {
    let (_, corr) = head(cur)?;
    intseq::skip(cur, n)?;
    if corr {
        intseq::skip(cur, n)?;
    }
    Ok(())
}

/// Decodes a decimal section into `out` (its length is the value count).
pub fn decode(cur: &mut Cursor<'_>, out: &mut [f64]) -> Result<()> {
    let n = out.len();
    let (e, corr) = head(cur)?;
    let mut ints = [0u64; MAX_LEN];
    let bits = intseq::decode_bits(cur, &mut ints[..n])?;
    unscale_all(&ints[..n], e, bits, out);
    if corr {
        let ks = &mut ints[..n];
        intseq::decode(cur, ks)?;
        for (o, &k) in out.iter_mut().zip(ks.iter()) {
            *o = f64::from_bits(o.to_bits().wrapping_add(k));
        }
    }
    Ok(())
}

/// Decodes the integers of a decimal section into `ints` (its length is the value count) and
/// returns the [`Scale`] `s` such that value `i` is `s.value(ints[i])` — when that holds: no
/// corrections, every integer within [`Scale::of`]'s bound (the usual case). Otherwise returns
/// `None` after reading the exponent only or the integers (the caller then decodes with
/// [`decode`]).
pub fn decode_ints(cur: &mut Cursor<'_>, ints: &mut [u64]) -> Result<Option<Scale>> {
    let (e, corr) = head(cur)?;
    let Some((s, limit)) = Scale::of(e).filter(|_| !corr) else {
        return Ok(None);
    };
    let bits = intseq::decode_bits(cur, ints)?;
    Ok((bits <= limit).then_some(s))
}

struct Scaler<'a, V> {
    f: &'a mut V,
    s: Scale,
}

impl<V: Fields<f64>> Fields for Scaler<'_, V> {
    #[inline(always)]
    fn groups(&mut self, i: usize, n: usize, mut next: impl FnMut() -> [u64; 8]) {
        let s = self.s;
        self.f.groups(i, n, || {
            let x = next();
            let mut v = [0f64; 8];
            for k in 0..8 {
                v[k] = s.biased(x[k]);
            }
            v
        });
    }
    #[inline(always)]
    fn group(&mut self, i: usize, x: [u64; 8]) {
        let mut v = [0f64; 8];
        for k in 0..8 {
            v[k] = self.s.biased(x[k]);
        }
        self.f.group(i, v);
    }
    #[inline(always)]
    fn part(&mut self, i: usize, x: [u64; 8], k: usize) {
        let mut v = [0f64; 8];
        for j in 0..8 {
            // (Beyond `k` whatever the integers are: those values are not handed on as data.)
            v[j] = self.s.biased(x[j]);
        }
        self.f.part(i, v, k);
    }
    #[inline(always)]
    fn one(&mut self, i: usize, x: u64) {
        self.f.one(i, self.s.biased(x));
    }
}

/// Decodes a decimal section of `n` values at the cursor, handing the values to `f` as they
/// are decoded (bit for bit what [`decode`] gives), when the section has no corrections and its
/// integers are provably within [`Scale::of`]'s bound (`intseq::stream_small`). Otherwise
/// returns `Ok(false)` without calling `f`.
///
/// Why: a query folding the values (a sequential sum, latency-bound) then runs the decoding
/// work (unpacking, prefix sums, divisions: throughput-bound) in the shadow of its dependency
/// chain, with no intermediate array written and read back.
#[inline(always)]
pub fn stream(cur: &mut Cursor<'_>, n: usize, f: &mut impl Fields<f64>) -> Result<bool> {
    let (e, corr) = head(cur)?;
    let Some((s, limit)) = Scale::of(e).filter(|_| !corr) else {
        return Ok(false);
    };
    intseq::stream_small(cur, n, limit, MAGIC_BITS, &mut Scaler { f, s })
}

/// `MAGIC.to_bits()` (checked by a test).
const MAGIC_BITS: u64 = 0x4338_0000_0000_0000;

/// `x` (|x| <= 2^51, as i64) as f64: the MAGIC trick backwards (an integer add on the bits and
/// one subtraction), which vectorises where a 64-bit integer conversion does not (SSE2, wasm
/// simd128). Why exact: for such x, `MAGIC + x` lies in [2^52, 2^53], where doubles are the
/// integers, so its bits are `bits(MAGIC) + x` and subtracting MAGIC is exact.
#[inline(always)]
fn small_to_f64(x: u64) -> f64 {
    f64::from_bits(x.wrapping_add(MAGIC_BITS)) - MAGIC
}

/// Decoding without division: `n / 10^e` as `n · h + n · l`, where `h + l` is `10^-e` to
/// about 2^-100 and `h` has few enough significant bits that `n · h` is exact.
///
/// Why: a division is the costliest step of decoding a decimal value (an f64x2 division takes
/// about as long as 8 multiplications here, and nothing else in the loop is close), and a
/// reciprocal multiply `n · fl(10^-e)` is off by an ulp for a few percent of integers.
///
/// Why exact (bit for bit the correctly rounded `n / 10^e` that [`decode`] defines), for
/// integers with `|n| <= 2^b`, `b` the bound [`Scale::of`] gives with the scale:
/// 1. `h` is `fl(10^-e)` cut to `53 - b` significant bits, so `n · h` (at most 53 bits) is
///    exact; `h · 10^e` is exact too (`b` is at least the bit length of 5^e, the odd part of
///    10^e) and within 2^-(52-b) of 1, so `1 - h · 10^e` is exact (Sterbenz), and
///    `l = fl((1 - h · 10^e) / 10^e) = R (1 + d1)` with `R = 10^-e - h`, `|R| <= 2^-(52-b) 10^-e`.
/// 2. `fl(n · l) = n · l (1 + d2)`; with |d1|, |d2| <= 2^-53 the exact sum
///    `A = n · h + fl(n · l)` is `q = n / 10^e` within `E <= |q| 2^-(104-b)`, and since
///    `ulp(q) >= |q| 2^-53`, `E <= ulp(q) · 2^-(51-b)`.
/// 3. `q` is either a double (when 5^e divides n) or not a dyadic rational; in units of
///    `ulp(q) / 4` (fine enough to hold every rounding midpoint next to q, also of the binade
///    below) it is `integer / 10^e`, so every midpoint is at least `ulp(q) / (4 · 10^e)` away
///    from it (and a double q is `ulp(q) / 4` from the nearest midpoint).
/// 4. The bound keeps `b + ceil(log2 10^e) <= 45`, so `E <= ulp(q) / (64 · 10^e)`: no midpoint
///    lies between A and q, and the one rounding of the final addition gives `fl(q)`.
///
/// Exponents 0..=7 have a scale (0 is the identity, `h = 1, l = 0`, bound 51 as for the MAGIC
/// conversion); the bound is 41 bits for e = 1, 38 for e = 2 (|value| < 2.7e9), 25 for e = 6,
/// 21 for e = 7. Checked against the division on every exponent: `tests::scale_equals_division`
/// in every test run, over 1.1e9 integers in `tests::scale_equals_division_wide` (ignored:
/// run it with `--ignored`).
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    h: f64,
    l: f64,
}

/// Bit length of `x`.
const fn bit_len(x: u64) -> u32 {
    64 - x.leading_zeros()
}

/// The scales of exponents 0..=MAX_EXP and their integer bounds (see [`Scale`]).
const SCALES: [Option<(Scale, u32)>; MAX_EXP + 1] = {
    let mut t = [None; MAX_EXP + 1];
    t[0] = Some((Scale { h: 1.0, l: 0.0 }, 51));
    let mut e = 1;
    while e <= MAX_EXP {
        let (p10, p5) = (10u64.pow(e as u32), 5u64.pow(e as u32));
        // ceil(log2 10^e): 10^e is no power of two.
        let b = 45 - bit_len(p10 - 1) as i32;
        if b >= bit_len(p5) as i32 {
            let b = if b > 51 { 51 } else { b as u32 };
            let p = POW10[e];
            let h = f64::from_bits((1.0 / p).to_bits() & !((1u64 << b) - 1));
            t[e] = Some((Scale { h, l: (1.0 - h * p) / p }, b));
        }
        e += 1;
    }
    t
};

impl Scale {
    /// The scale of exponent `e` and the bound `b` it needs: exact for integers `n` (as i64) in
    /// `[-2^b, 2^b)`. `None` above e = 7.
    pub fn of(e: usize) -> Option<(Scale, u32)> {
        SCALES.get(e).copied().flatten()
    }

    /// [`Scale::value`] of `x` given as `x + MAGIC_BITS` (wrapping): the prefix sums that
    /// rebuild the integers carry the offset, so the conversion is one subtraction.
    #[inline(always)]
    fn biased(self, xb: u64) -> f64 {
        let n = f64::from_bits(xb) - MAGIC;
        n * self.h + n * self.l
    }

    /// The value of integer `x` (within the bound, as i64): bit for bit what [`decode`] gives.
    #[inline(always)]
    pub fn value(self, x: u64) -> f64 {
        self.biased(x.wrapping_add(MAGIC_BITS))
    }
}

/// `out[i] = unscale(ints[i] as i64, e)`; every integer lies in `[-2^bits, 2^bits)`.
///
/// Why fast: within a [`Scale`]'s bound (the usual case) a conversion and a multiply-add,
/// which vectorise (SSE2, wasm simd128); otherwise, for integers within 2^51, the vectorising
/// conversion and the division. Why correct: [`Scale`] is exact; the division is the same IEEE
/// division as [`unscale`]'s (by 1.0 when e = 0, which is exact).
#[inline]
fn unscale_all(ints: &[u64], e: usize, bits: u32, out: &mut [f64]) {
    let out = &mut out[..ints.len()];
    match Scale::of(e) {
        Some((s, limit)) if bits <= limit => {
            for (o, &x) in out.iter_mut().zip(ints) {
                *o = s.value(x);
            }
        }
        _ if bits <= 51 => {
            let p = POW10[e];
            for (o, &x) in out.iter_mut().zip(ints) {
                *o = small_to_f64(x) / p;
            }
        }
        _ => {
            for (o, &x) in out.iter_mut().zip(ints) {
                *o = unscale(x as i64, e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(vals: &[f64]) -> Option<(u8, usize)> {
        let mut out = Vec::new();
        let e = encode(vals, &mut out)?;
        let mut got = vec![0.0; vals.len()];
        let mut cur = Cursor::new(&out, 0);
        decode(&mut cur, &mut got).unwrap();
        assert_eq!(cur.pos(), out.len());
        for (a, b) in got.iter().zip(vals) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
        let mut cur = Cursor::new(&out, 0);
        skip(&mut cur, vals.len()).unwrap();
        assert_eq!(cur.pos(), out.len());
        for cut in 0..out.len() {
            assert!(decode(&mut Cursor::new(&out[..cut], 0), &mut got).is_err());
        }
        Some((e, out.len()))
    }

    #[test]
    fn magic_bits() {
        assert_eq!(MAGIC_BITS, MAGIC.to_bits());
        for x in [0i64, 1, -1, 123_456_789, -(1 << 51), (1 << 51) - 1] {
            assert_eq!(small_to_f64(x as u64), x as f64);
            assert_eq!(Scale::of(0).unwrap().0.value(x as u64).to_bits(), (x as f64).to_bits());
            for e in 0..=7 {
                let (s, b) = Scale::of(e).unwrap();
                let x = x.clamp(-(1 << b), (1 << b) - 1) as u64;
                assert_eq!(s.biased(x.wrapping_add(MAGIC_BITS)).to_bits(), s.value(x).to_bits());
            }
        }
    }

    /// [`Scale`] against the division it replaces, at every exponent that has one: integers at
    /// both ends of the bound and random ones below it (at every smaller bit length too).
    #[test]
    fn scale_equals_division() {
        let bounds: Vec<u32> = (0..=MAX_EXP).filter_map(|e| Scale::of(e).map(|(_, b)| b)).collect();
        assert_eq!(bounds, [51, 41, 38, 35, 31, 28, 25, 21]);
        let mut g = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            g ^= g << 13;
            g ^= g >> 7;
            g ^= g << 17;
            g
        };
        for (e, &b) in bounds.iter().enumerate() {
            let s = Scale::of(e).unwrap().0;
            let check = |x: i64| {
                assert_eq!(s.value(x as u64).to_bits(), unscale(x, e).to_bits(), "e={e} x={x}");
            };
            let lim = 1i64 << b;
            for x in 0..2000 {
                for y in [x, lim - 1 - x] {
                    check(y);
                    check(-y);
                }
            }
            check(-lim);
            for k in 1..=b {
                for _ in 0..2000 {
                    let x = (next() % (1u64 << k)) as i64;
                    check(x);
                    check(-x);
                }
            }
        }
        // A reciprocal alone would not do: l is needed.
        let h = 1.0 / 100.0;
        assert!((0..1000i64).any(|x| (x as f64 * h).to_bits() != unscale(x, 2).to_bits()));
    }

    /// The wide version of [`scale_equals_division`] (about 1.1e9 integers: every exponent
    /// with a scale, every bit length up to its bound, 4 M random integers each plus 80 k at
    /// the ends). Run with `cargo test --release -p tsdb-wasm --lib scale_equals_division_wide
    /// -- --ignored` (a few seconds once built).
    #[test]
    #[ignore]
    fn scale_equals_division_wide() {
        let mut g = 0x9e37_79b9_7f4a_7c15u64;
        let mut checked = 0u64;
        for e in 0..=MAX_EXP {
            let Some((s, bound)) = Scale::of(e) else { continue };
            for k in 1..=bound {
                let lim = 1i64 << k;
                let mut check = |x: i64| {
                    if -lim <= x && x < lim {
                        assert_eq!(s.value(x as u64).to_bits(), unscale(x, e).to_bits(), "e={e} x={x}");
                        checked += 1;
                    }
                };
                for x in 0..20_000 {
                    for y in [x, lim - 1 - x] {
                        check(y);
                        check(-y);
                    }
                }
                for _ in 0..2_000_000 {
                    g ^= g << 13;
                    g ^= g >> 7;
                    g ^= g << 17;
                    let x = (g % lim as u64) as i64;
                    check(x);
                    check(-x);
                }
            }
        }
        assert!(checked > 1_000_000_000, "{checked}");
    }

    #[test]
    fn decimals_compress() {
        let vals: Vec<f64> = (0..128).map(|i| 21.37 + (i % 7) as f64 * 0.01).collect();
        let vals: Vec<f64> = vals.iter().map(|v| format!("{v:.2}").parse().unwrap()).collect();
        let (e, bytes) = round_trip(&vals).unwrap();
        assert_eq!(e, 2);
        assert!(bytes < 60, "{bytes}");
        let ints: Vec<f64> = (0..128).map(|i| 22262.0 + (i * 37 % 500) as f64).collect();
        assert_eq!(round_trip(&ints).unwrap().0, 0);
    }

    #[test]
    fn exceptions_are_exact() {
        let mut vals: Vec<f64> = (0..64).map(|i| i as f64 * 0.5).collect();
        vals[3] = f64::NAN;
        vals[4] = f64::from_bits(0x7ff8_dead_beef_0001);
        vals[5] = -0.0;
        vals[6] = f64::INFINITY;
        vals[0] = f64::NEG_INFINITY;
        vals[9] = 5e-324;
        vals[10] = 1.0 / 3.0;
        vals[11] = 1e300;
        vals[12] = 0.1 + 0.2;
        vals[13] = -13.040999999999999;
        vals[14] = f64::MIN_POSITIVE;
        vals[15] = -f64::MAX;
        round_trip(&vals).unwrap();
    }

    #[test]
    fn near_decimals_cost_little() {
        let vals: Vec<f64> = (0..128)
            .map(|i| {
                let v: f64 = format!("{}.{:03}", 13 + i / 10, (i * 37) % 1000).parse().unwrap();
                if i % 5 == 0 {
                    f64::from_bits(v.to_bits() + 1)
                } else {
                    v
                }
            })
            .collect();
        let (e, bytes) = round_trip(&vals).unwrap();
        assert_eq!(e, 3);
        assert!(bytes < 128 * 12 / 8 + 40, "{bytes}");
    }

    #[test]
    fn non_decimal_bails_out_or_round_trips() {
        let vals: Vec<f64> = (1..100).map(|i| 1.0 / (i as f64 * 7.0) + 0.1).collect();
        let _ = round_trip(&vals);
        let vals: Vec<f64> = (1..100).map(|i| (i as f64).sqrt() * 1e-3).collect();
        let _ = round_trip(&vals);
    }

    #[test]
    fn more_digits_than_sampled() {
        let mut vals: Vec<f64> = (0..128).map(|i| (i as f64) * 0.5).collect();
        for i in (0..128).filter(|i| i % 16 != 0 && i % 2 == 1) {
            vals[i] += 0.001;
        }
        let (e, _) = round_trip(&vals).unwrap();
        assert_eq!(e, 3);
    }
}
