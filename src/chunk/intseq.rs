//! Integer sequences: delta order, frame of reference, bit packing, patches.
//!
//! The integer back end of the compressed blocks: timestamps (as multiples of their common
//! step) and decimal values (as scaled integers) both end up here. All arithmetic is modulo
//! 2^64 (wrapping), so any `u64` / `i64` sequence round-trips, extreme jumps included.
//!
//! | field        | size                     | meaning                                          |
//! |--------------|--------------------------|--------------------------------------------------|
//! | head         | u8                       | bits 0-1: delta order k (0, 1, 2); bit 2: patched; bits 3-7: 0 |
//! | firsts       | k zigzag varints         | k = 1: x0; k = 2: x0, x1 - x0                    |
//! | base         | zigzag varint            | frame of reference (only when n > k)             |
//! | width        | u8, 0..=64               | bits per residual (only when n > k)              |
//! | patch count  | varint, 1..=n-k          | only when patched                                |
//! | patches      | (u8 index, zigzag varint)| residual index (increasing) and its full offset from base |
//! | packed       | ceil((n-k) * width / 8)  | residual - base, `width` bits each, LSB first; 0 at patched indexes |
//!
//! Residuals are the order-k differences: `r_i = x_i` (k = 0), `x_i - x_{i-1}` (k = 1),
//! `(x_i - x_{i-1}) - (x_{i-1} - x_{i-2})` (k = 2), for i in k..n.
//!
//! Choosing: the ranges of the residuals of every order, sampled, pick the narrowest (pcodec's
//! "delta order" choice, reduced to frame-of-reference widths). Patches (PFOR) then
//! take up to two outliers on each side out of the frame when that saves bytes (see
//! `frame_for`): a spike in a smooth series costs its patch, not a wider frame for every value.

use super::bits;
use super::varint::{self, Cursor};
use crate::error::{Error, Result};

pub use super::rebuild::{bits_of, decode, decode_bits, stream_small};

/// Longest sequence (a block; patch indexes are one byte).
pub const MAX_LEN: usize = super::BLOCK_LEN;

/// Widths below this are never worth patching.
const PATCH_MIN_WIDTH: u32 = 3;

#[inline]
fn bitlen(x: u64) -> u32 {
    64 - x.leading_zeros()
}

/// Ranges (min, max as signed values) of orders 0, 1 and 2 over every `stride`-th position
/// (from 2): an estimate to choose the order with, at a fraction of a full pass.
#[inline]
fn sampled_ranges(xs: &[u64], stride: usize) -> [(i64, i64); 3] {
    let (mut a0, mut b0, mut a1, mut b1, mut a2, mut b2) =
        (i64::MAX, i64::MIN, i64::MAX, i64::MIN, i64::MAX, i64::MIN);
    let mut i = 2;
    while i < xs.len() {
        let x = xs[i];
        let d = x.wrapping_sub(xs[i - 1]);
        let dd = d.wrapping_sub(xs[i - 1].wrapping_sub(xs[i - 2])) as i64;
        let (x, d) = (x as i64, d as i64);
        a0 = a0.min(x);
        b0 = b0.max(x);
        a1 = a1.min(d);
        b1 = b1.max(d);
        a2 = a2.min(dd);
        b2 = b2.max(dd);
        i += stride;
    }
    [(a0, b0), (a1, b1), (a2, b2)]
}

/// Writes the order-`k` residuals of `xs` to `out` (`r_i = x_i`, `x_i - x_(i-1)` or
/// `(x_i - x_(i-1)) - (x_(i-1) - x_(i-2))`); returns their count and exact range.
#[inline]
fn residuals_range(xs: &[u64], k: usize, out: &mut [u64]) -> (usize, i64, i64) {
    let n = xs.len();
    let (mut a, mut b) = (i64::MAX, i64::MIN);
    match k {
        0 => {
            for (o, &x) in out.iter_mut().zip(xs) {
                *o = x;
                a = a.min(x as i64);
                b = b.max(x as i64);
            }
        }
        1 => {
            for (o, w) in out.iter_mut().zip(xs.windows(2)) {
                let r = w[1].wrapping_sub(w[0]);
                *o = r;
                a = a.min(r as i64);
                b = b.max(r as i64);
            }
        }
        _ => {
            for (o, w) in out.iter_mut().zip(xs.windows(3)) {
                let r = w[2].wrapping_sub(w[1]).wrapping_sub(w[1].wrapping_sub(w[0]));
                *o = r;
                a = a.min(r as i64);
                b = b.max(r as i64);
            }
        }
    }
    (n - k, a, b)
}

/// Cost model of one frame: total bytes and the chosen width / base / patching.
#[derive(Debug, Clone, Copy)]
struct Frame {
    base: i64,
    width: u32,
    patches: usize,
    bytes: usize,
}

/// Plain frame of reference over `[mn, mx]` for `m` residuals.
#[inline]
fn plain_frame(mn: i64, mx: i64, m: usize) -> Frame {
    let width = bitlen((mx as u64).wrapping_sub(mn as u64));
    let bytes = varint::len(varint::zigzag(mn)) + 1 + bits::packed_len(m, width);
    Frame { base: mn, width, patches: 0, bytes }
}

/// Outliers are suspected when hardly any residual lies in the lowest or in the highest
/// quarter of the range (a sampled, vectorisable counting pass).
fn outliers_suspected(rs: &[u64], mn: i64, mx: i64) -> bool {
    let range = (mx as u64).wrapping_sub(mn as u64);
    let q = range / 4;
    let (mut low, mut high) = (0usize, 0usize);
    // Every 8th residual is enough to tell "many" from "hardly any" (the decision itself is
    // made exactly afterwards), at an eighth of the cost.
    let mut i = 0;
    while i < rs.len() {
        let off = rs[i].wrapping_sub(mn as u64);
        low += (off < q) as usize;
        high += (off > range - q) as usize;
        i += 8;
    }
    low <= 1 || high <= 1
}

/// Insert `s` into the three smallest (`lo`, ascending) and three largest (`hi`, descending).
#[inline(always)]
fn track(s: i64, lo: &mut [i64; 3], hi: &mut [i64; 3]) {
    if s < lo[2] {
        if s < lo[1] {
            lo[2] = lo[1];
            if s < lo[0] {
                lo[1] = lo[0];
                lo[0] = s;
            } else {
                lo[1] = s;
            }
        } else {
            lo[2] = s;
        }
    }
    if s > hi[2] {
        if s > hi[1] {
            hi[2] = hi[1];
            if s > hi[0] {
                hi[1] = hi[0];
                hi[0] = s;
            } else {
                hi[1] = s;
            }
        } else {
            hi[2] = s;
        }
    }
}

/// The cheapest frame for residuals `rs` (range `[mn, mx]`), patching out up to two outliers
/// on each side (PFOR).
///
/// Why fast: the common case (no outliers) costs one counting pass. Otherwise one pass finds
/// the three smallest and largest residuals, and the nine frames "drop a low, b high outliers"
/// (a, b in 0..=2) are costed exactly from those six values in O(1): every residual other than
/// the dropped ones lies within `[lo[a], hi[b]]`, so the frame `base = lo[a]`,
/// `width = bitlen(hi[b] - lo[a])` patches exactly the dropped ones that fall outside it.
fn frame_for(rs: &[u64], mn: i64, mx: i64, thorough: bool) -> Frame {
    let m = rs.len();
    let plain = plain_frame(mn, mx, m);
    if m < 4 || plain.width < PATCH_MIN_WIDTH || !(thorough || outliers_suspected(rs, mn, mx)) {
        return plain;
    }
    let mut lo = [i64::MAX; 3];
    let mut hi = [i64::MIN; 3];
    for &r in rs {
        track(r as i64, &mut lo, &mut hi);
    }
    let mut best = plain;
    for a in 0..3 {
        for b in 0..3 {
            if a + b == 0 {
                continue;
            }
            let base = lo[a];
            let width = bitlen((hi[b] as u64).wrapping_sub(base as u64));
            let limit = if width >= 64 { u64::MAX } else { (1u64 << width) - 1 };
            let mut patches = 0;
            let mut bytes = varint::len(varint::zigzag(base)) + 1 + bits::packed_len(m, width);
            let dropped = lo[..a].iter().chain(&hi[..b]);
            for &x in dropped {
                let off = (x as u64).wrapping_sub(base as u64);
                if x < base || off > limit {
                    patches += 1;
                    bytes += 1 + varint::len(varint::zigzag(off as i64));
                }
            }
            if patches > 0 {
                bytes += varint::len(patches as u64);
            }
            if bytes < best.bytes {
                best = Frame { base, width, patches, bytes };
            }
        }
    }
    best
}

fn firsts_len(xs: &[u64], k: usize) -> usize {
    match k {
        0 => 0,
        1 => varint::len(varint::zigzag(xs[0] as i64)),
        _ => {
            varint::len(varint::zigzag(xs[0] as i64))
                + varint::len(varint::zigzag(xs[1].wrapping_sub(xs[0]) as i64))
        }
    }
}

/// The plan for one sequence.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    order: usize,
    frame: Frame,
    /// Exact encoded bytes.
    pub bytes: usize,
}

/// Chooses the coding of `xs` (1..=MAX_LEN values), using delta orders up to `max_order`.
/// `scratch` must hold `xs.len()` values; on return it holds the chosen residuals.
///
/// Why fast: the common case is a quarter pass sampling the ranges of all orders, one exact
/// pass forming the chosen residuals, and an eighth pass counting the fringes of their range.
/// Only blocks that do have outliers pay for one more pass per order. Why correct whatever the
/// sample says: the frame always comes from the exact range of the chosen residuals.
pub fn plan(xs: &[u64], max_order: usize, scratch: &mut [u64]) -> Plan {
    let n = xs.len();
    debug_assert!((1..=MAX_LEN).contains(&n));
    let max_order = max_order.min(n - 1).min(2);
    // Choose the order on ranges sampled at every 4th position (exact when the run is short);
    // then one exact pass for the chosen order.
    let order = if max_order == 0 {
        0
    } else {
        let stride = if n <= 32 { 1 } else { 4 };
        let mut st = sampled_ranges(xs, stride);
        if n == 2 {
            let d = xs[1].wrapping_sub(xs[0]) as i64;
            st[0] = ((xs[0] as i64).min(xs[1] as i64), (xs[0] as i64).max(xs[1] as i64));
            st[1] = (d, d);
        }
        let mut best = (0, usize::MAX);
        for (k, &(mn, mx)) in st.iter().enumerate().take(max_order + 1) {
            if mn > mx {
                continue;
            }
            let total = firsts_len(xs, k) + plain_frame(mn, mx, n - k).bytes;
            if total < best.1 {
                best = (k, total);
            }
        }
        best.0
    };
    let (m, mn, mx) = residuals_range(xs, order, scratch);
    let empty = Frame { base: 0, width: 0, patches: 0, bytes: 0 };
    let frame = if m == 0 { empty } else { frame_for(&scratch[..m], mn, mx, false) };
    let mut plan = Plan { order, frame, bytes: 1 + firsts_len(xs, order) + frame.bytes };
    if frame.patches > 0 {
        // Outliers: the order chosen on plain widths may not be the best once patched.
        let mut tmp = [0u64; MAX_LEN];
        for k in 0..=max_order {
            if k == order {
                continue;
            }
            let (mk, mn, mx) = residuals_range(xs, k, &mut tmp);
            let f = frame_for(&tmp[..mk], mn, mx, true);
            let total = 1 + firsts_len(xs, k) + f.bytes;
            if total < plan.bytes {
                plan = Plan { order: k, frame: f, bytes: total };
                scratch[..mk].copy_from_slice(&tmp[..mk]);
            }
        }
    }
    plan
}

/// Writes `xs` as planned; `scratch` holds the residuals [`plan`] left there.
pub fn write(xs: &[u64], p: &Plan, scratch: &mut [u64], out: &mut Vec<u8>) {
    let n = xs.len();
    let k = p.order;
    let m = n - k;
    let patched = p.frame.patches > 0;
    out.push(k as u8 | (patched as u8) << 2);
    if k >= 1 {
        varint::put(out, varint::zigzag(xs[0] as i64));
    }
    if k == 2 {
        varint::put(out, varint::zigzag(xs[1].wrapping_sub(xs[0]) as i64));
    }
    if m == 0 {
        return;
    }
    let base = p.frame.base;
    let w = p.frame.width;
    varint::put(out, varint::zigzag(base));
    out.push(w as u8);
    let rs = &mut scratch[..m];
    if patched {
        let limit = if w >= 64 { u64::MAX } else { (1u64 << w) - 1 };
        varint::put(out, p.frame.patches as u64);
        for (i, r) in rs.iter_mut().enumerate() {
            let off = (*r).wrapping_sub(base as u64);
            if (*r as i64) < base || off > limit {
                out.push(i as u8);
                varint::put(out, varint::zigzag(off as i64));
                *r = 0;
            } else {
                *r = off;
            }
        }
        bits::pack(rs, 0, w, out);
    } else {
        bits::pack(rs, base as u64, w, out);
    }
}

/// Plans and writes in one go; returns the bytes written.
pub fn encode(xs: &[u64], max_order: usize, out: &mut Vec<u8>) -> usize {
    let mut scratch = [0u64; MAX_LEN];
    let p = plan(xs, max_order, &mut scratch);
    let before = out.len();
    write(xs, &p, &mut scratch, out);
    debug_assert_eq!(out.len() - before, p.bytes);
    out.len() - before
}

/// What [`skip`] learns without unpacking.
#[derive(Debug, Clone, Copy)]
pub struct Peek {
    /// The first value of the sequence.
    pub first: u64,
}

/// Parses the header of a sequence of `n` values at the cursor and moves past it;
/// returns its first value.
pub fn skip(cur: &mut Cursor<'_>, n: usize) -> Result<Peek> {
    let h = Header::read(cur, n)?;
    let first = if h.order >= 1 {
        h.x0
    } else if h.first_patch == Some(0) {
        (h.base as u64).wrapping_add(h.first_patch_off)
    } else {
        bits::field(cur.rest(), h.width, 0)?.wrapping_add(h.base as u64)
    };
    cur.skip(bits::packed_len(n - h.order, h.width))?;
    Ok(Peek { first })
}

pub(super) struct Header {
    pub(super) order: usize,
    pub(super) x0: u64,
    pub(super) d1: u64,
    pub(super) base: i64,
    pub(super) width: u32,
    pub(super) patches_at: usize,
    pub(super) patches: usize,
    first_patch: Option<usize>,
    first_patch_off: u64,
}

impl Header {
    /// Reads the header and the patch list (validating it); the cursor ends at the packed bits.
    #[inline(always)]
    pub(super) fn read(cur: &mut Cursor<'_>, n: usize) -> Result<Header> {
        if n == 0 || n > MAX_LEN {
            return Err(Error::corrupt("integer sequence length"));
        }
        let head = cur.u8()?;
        let order = (head & 3) as usize;
        let patched = head & 4 != 0;
        if head >> 3 != 0 || order > 2 || order >= n {
            return Err(Error::corrupt("integer sequence header"));
        }
        let x0 = if order >= 1 { varint::unzigzag(cur.varint3()?) as u64 } else { 0 };
        let d1 = if order == 2 { cur.zigzag()? as u64 } else { 0 };
        let m = n - order;
        let mut h = Header {
            order,
            x0,
            d1,
            base: 0,
            width: 0,
            patches_at: 0,
            patches: 0,
            first_patch: None,
            first_patch_off: 0,
        };
        if m == 0 {
            if patched {
                return Err(Error::corrupt("integer sequence header"));
            }
            return Ok(h);
        }
        h.base = cur.zigzag()?;
        h.width = cur.u8()? as u32;
        if h.width > 64 {
            return Err(Error::corrupt("bit width above 64"));
        }
        if patched {
            h.patches = cur.varint_max(m as u64, "patch count")? as usize;
            if h.patches == 0 {
                return Err(Error::corrupt("patch count"));
            }
            h.patches_at = cur.pos();
            let mut prev: Option<usize> = None;
            for j in 0..h.patches {
                let idx = cur.u8()? as usize;
                if idx >= m || prev.is_some_and(|p| idx <= p) {
                    return Err(Error::corrupt("patch index"));
                }
                let off = cur.varint()?;
                if j == 0 {
                    h.first_patch = Some(idx);
                    h.first_patch_off = varint::unzigzag(off) as u64;
                }
                prev = Some(idx);
            }
        }
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(xs: &[u64]) -> usize {
        let mut out = Vec::new();
        let bytes = encode(xs, 2, &mut out);
        assert_eq!(bytes, out.len());
        let mut got = vec![0; xs.len()];
        let mut cur = Cursor::new(&out, 0);
        decode(&mut cur, &mut got).unwrap();
        assert_eq!(cur.pos(), out.len());
        assert_eq!(got, xs);
        let mut cur = Cursor::new(&out, 0);
        assert_eq!(skip(&mut cur, xs.len()).unwrap().first, xs[0]);
        assert_eq!(cur.pos(), out.len());
        for cut in 0..out.len() {
            let mut got = vec![0; xs.len()];
            assert!(decode(&mut Cursor::new(&out[..cut], 0), &mut got).is_err(), "cut {cut}");
        }
        bytes
    }

    #[test]
    fn orders_and_extremes() {
        let lin: Vec<u64> = (0..128u64).map(|i| 1000 + 7 * i).collect();
        assert!(round_trip(&lin) <= 6, "linear needs no residual bits");
        let quad: Vec<u64> = (0..128u64).map(|i| i * i).collect();
        assert!(round_trip(&quad) <= 8);
        round_trip(&[0, u64::MAX, 0, i64::MAX as u64, i64::MIN as u64, 1]);
        round_trip(&[42]);
        round_trip(&[0, 1 << 63]);
        let noise: Vec<u64> = (0..128u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
        round_trip(&noise);
    }

    #[test]
    fn patches_take_out_outliers() {
        let mut xs: Vec<u64> = (0..128u64).map(|i| 5 + (i % 3)).collect();
        xs[40] = 1 << 40;
        xs[90] = (-(1i64 << 30)) as u64;
        let b = round_trip(&xs);
        assert!(b < 60, "{b}");
    }
}
