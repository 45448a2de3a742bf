//! Reading integer sequences (`intseq.rs` has the layout): residuals unpacked by
//! width-specialised kernels (`bits::unpack_each`) straight into the base addition and the
//! prefix sums of the delta order, then either stored ([`decode`], [`decode_bits`]) or handed
//! on in registers, 8 at a time ([`stream_small`]).
//!
//! Why the split into groups of 8 with a pull interface (`bits::Fields::groups`): the running
//! state (prefix sums here, a bucket's sum in `query/stream.rs`) stays in locals across a whole
//! block instead of being stored and reloaded per group.

use super::bits;
use super::intseq::Header;
use super::varint::{self, Cursor};
use crate::error::Result;

/// One value from a residual: the base added, then the order-K prefix sums (`acc`, `d`).
#[inline(always)]
fn step<const K: usize>(acc: &mut u64, d: &mut u64, base: u64, r: u64) -> u64 {
    let r = r.wrapping_add(base);
    match K {
        0 => r,
        1 => {
            *acc = acc.wrapping_add(r);
            *acc
        }
        _ => {
            *d = d.wrapping_add(r);
            *acc = acc.wrapping_add(*d);
            *acc
        }
    }
}

/// Decodes a sequence of `out.len()` values at the cursor and moves past it.
///
/// Why fast: without patches (the usual case) the residuals are unpacked by width-specialised
/// kernels (`bits::unpack_each`) straight into the base addition and the prefix sums, held in
/// registers: each value is stored once (stores, not the one-add dependency chain, bound this
/// loop). Patches (rare) take a three-pass path: unpack, patch, rebuild.
pub fn decode(cur: &mut Cursor<'_>, out: &mut [u64]) -> Result<()> {
    decode_bits(cur, out).map(|_| ())
}

/// The magnitude class of signed integers: the smallest `b` such that every value of `xs`, as
/// an i64, lies in `[-2^b, 2^b)` (0 for none or all zero). Such a value has at most `b`
/// significant bits.
pub fn bits_of(xs: &[u64]) -> u32 {
    64 - xs.iter().fold(0u64, |a, &x| a | (x ^ ((x as i64 >> 63) as u64))).leading_zeros()
}

/// [`decode`], also returning a bit count `b` such that every value, as an i64, lies in
/// `[-2^b, 2^b)` (see [`bits_of`]; not always the smallest such `b`).
///
/// Why fast: usually the header bounds it (`header_bound`); only otherwise are the values
/// measured, in a pass of their own.
pub fn decode_bits(cur: &mut Cursor<'_>, out: &mut [u64]) -> Result<u32> {
    let n = out.len();
    let h = Header::read(cur, n)?;
    let k = h.order;
    let m = n - k;
    if k >= 1 {
        out[0] = h.x0;
    }
    if k == 2 {
        out[1] = h.x0.wrapping_add(h.d1);
    }
    let acc = if k == 2 { out[1] } else { h.x0 };
    let bound = if h.patches == 0 { header_bound(&h, n) } else { None };
    let bits = |out: &[u64]| bound.map_or_else(|| bits_of(out), |b| 64 - b.leading_zeros());
    if m == 0 {
        return Ok(bits(out));
    }
    let (_, rs) = out.split_at_mut(k);
    let w = h.width;
    let packed = bits::packed_len(m, w);
    let src = cur.rest();
    match k {
        0 => rebuild::<0>(src, &h, rs, acc, cur.buf())?,
        1 => rebuild::<1>(src, &h, rs, acc, cur.buf())?,
        _ => rebuild::<2>(src, &h, rs, acc, cur.buf())?,
    };
    cur.skip(packed)?;
    Ok(bits(out))
}

/// A bound below 2^51 of every `|value|` of the `n` values, from the header alone — when it
/// proves one: residuals lie in `[base, base + 2^width)`, so an order-k sequence of `m`
/// residuals stays within `|x0| + m · R` (order 1; R the larger residual magnitude),
/// `|x0| + (m + 1) · (|d1| + m · R)` (order 2). Conservative, and true of any decimal series
/// whose values fit 15 digits. Patches are not accounted for.
fn header_bound(h: &Header, n: usize) -> Option<u64> {
    // Every term below is non-negative and the bound grows with each of them (m >= 1: a
    // header's order is below n), so a term reaching 2^51 fails the test: checking that first
    // leaves products below 2^59 (m is at most MAX_LEN = 2^7), which plain u64 arithmetic
    // holds. Why: wasm has no 64x64->128 multiply, so `saturating_mul` / `checked_mul` become
    // `__multi3` calls, three per block.
    const LIMIT: u64 = 1 << 51;
    let m = (n - h.order) as u64;
    if h.width > 51 {
        return None;
    }
    let lo = h.base;
    let hi = lo.saturating_add((1i64 << h.width) - 1);
    let r = lo.unsigned_abs().max(hi.unsigned_abs());
    let x0 = (h.x0 as i64).unsigned_abs();
    if r >= LIMIT || x0 >= LIMIT {
        return (r < LIMIT && h.order == 0).then_some(r);
    }
    let bound = match h.order {
        0 => r,
        1 => x0 + m * r,
        // x1 .. x(n-1): m + 1 steps, each at most |d1| + m R.
        _ => {
            let step = (h.d1 as i64).unsigned_abs().saturating_add(m * r);
            if step >= LIMIT {
                return None;
            }
            x0 + (m + 1) * step
        }
    };
    (bound < LIMIT).then_some(bound)
}

/// Rebuilds values from residuals in registers and hands them on (no stores).
struct Stream<'a, V, const K: usize> {
    f: &'a mut V,
    /// Index of the first residual's value (the delta order).
    k: usize,
    base: u64,
    acc: u64,
    d: u64,
}

impl<V: bits::Fields, const K: usize> Stream<'_, V, K> {
    #[inline(always)]
    fn step(&mut self, r: u64) -> u64 {
        step::<K>(&mut self.acc, &mut self.d, self.base, r)
    }
}

impl<V: bits::Fields, const K: usize> bits::Fields for Stream<'_, V, K> {
    #[inline(always)]
    fn groups(&mut self, i: usize, n: usize, mut next: impl FnMut() -> [u64; 8]) {
        let (mut acc, mut d, base) = (self.acc, self.d, self.base);
        self.f.groups(self.k + i, n, || {
            let r = next();
            let mut v = [0u64; 8];
            for k in 0..8 {
                v[k] = step::<K>(&mut acc, &mut d, base, r[k]);
            }
            v
        });
        (self.acc, self.d) = (acc, d);
    }
    #[inline(always)]
    fn group(&mut self, i: usize, r: [u64; 8]) {
        let mut v = [0u64; 8];
        for k in 0..8 {
            v[k] = self.step(r[k]);
        }
        self.f.group(self.k + i, v);
    }
    #[inline(always)]
    fn part(&mut self, i: usize, r: [u64; 8], k: usize) {
        let mut v = [0u64; 8];
        for j in 0..k {
            v[j] = self.step(r[j]);
        }
        self.f.part(self.k + i, v, k);
    }
    #[inline(always)]
    fn one(&mut self, i: usize, x: u64) {
        let v = self.step(x);
        self.f.one(self.k + i, v);
    }
}

/// Decodes a sequence of `n` values at the cursor, handing them to `f` as they are rebuilt
/// (in registers: nothing is stored), and moves past it — when the header proves every value
/// lies in `[-2^bits, 2^bits)` (`header_bound`, so `bits` above 51 means 51) and there are no
/// patches. Otherwise returns `Ok(false)` without calling `f` (the cursor is then somewhere
/// inside the sequence).
///
/// Every value is handed on plus `bias` (wrapping): the offset rides along the prefix sums at
/// no cost, and saves the consumer an addition per value (`decimal.rs` converts integers to
/// doubles through the bits of `2^52 + 2^51 + x`).
pub fn stream_small(cur: &mut Cursor<'_>, n: usize, bits: u32, bias: u64, f: &mut impl bits::Fields) -> Result<bool> {
    let h = Header::read(cur, n)?;
    let k = h.order;
    if h.patches > 0 || header_bound(&h, n).is_none_or(|b| 64 - b.leading_zeros() > bits) {
        return Ok(false);
    }
    let x0 = h.x0.wrapping_add(bias);
    if k >= 1 {
        f.one(0, x0);
    }
    let x1 = x0.wrapping_add(h.d1);
    if k == 2 {
        f.one(1, x1);
    }
    let acc = if k == 2 { x1 } else { x0 };
    let src = cur.rest();
    let (w, mu) = (h.width, n - k);
    let base = h.base as u64;
    match k {
        0 => bits::unpack_each(src, w, mu, &mut Stream::<_, 0> { f, k, base: base.wrapping_add(bias), acc, d: h.d1 })?,
        1 => bits::unpack_each(src, w, mu, &mut Stream::<_, 1> { f, k, base, acc, d: h.d1 })?,
        _ => bits::unpack_each(src, w, mu, &mut Stream::<_, 2> { f, k, base, acc, d: h.d1 })?,
    }
    cur.skip(bits::packed_len(mu, w))?;
    Ok(true)
}

/// Rebuilds the residuals at `src` into `out` (patches read from `buf`): without patches
/// (the usual case) as they are unpacked, each value written once ([`Stream`] into a store);
/// with patches in three passes: unpack, patch, prefix sums.
#[inline(always)]
fn rebuild<const K: usize>(src: &[u8], h: &Header, out: &mut [u64], acc: u64, buf: &[u8]) -> Result<()> {
    let (m, base) = (out.len(), h.base as u64);
    if h.patches == 0 {
        let mut store = bits::Store(out);
        return bits::unpack_each(src, h.width, m, &mut Stream::<_, K> { f: &mut store, k: 0, base, acc, d: h.d1 });
    }
    bits::unpack(src, h.width, out)?;
    let mut pc = Cursor::new(buf, h.patches_at);
    for _ in 0..h.patches {
        let idx = pc.u8()? as usize;
        let off = varint::unzigzag(pc.varint()?) as u64;
        // Stored relative to base (the rebuild adds it).
        out[idx] = off;
    }
    let (mut acc, mut d) = (acc, h.d1);
    for x in out.iter_mut() {
        *x = step::<K>(&mut acc, &mut d, base, *x);
    }
    Ok(())
}
