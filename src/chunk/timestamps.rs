//! Timestamps of a compressed block: a common step (GCD), a constant-step fast path, and
//! integer sequences of step multiples.
//!
//! Intervals: `d_0 = t_0 - prev`, `d_i = t_i - t_(i-1)`, where `prev` is the last timestamp of
//! the previous block (0 for a chunk's first block, so its `d_0` is `t_0` itself).
//!
//! | field | present when          | encoding | meaning                                           |
//! |-------|-----------------------|----------|---------------------------------------------------|
//! | lead  | flag LEAD             | varint   | `d_0`, kept out of the run (a chunk's first block always) |
//! | g     | flag SAME_G unset     | varint   | the step: GCD of the run's intervals (>= 1); else the previous block's |
//! | span  | mode SEQ              | varint   | `(t_last - t_first) / g`: the block's end without decoding |
//! | run   | mode SEQ              | intseq   | `q_i = d_i / g` for the intervals of the run       |
//!
//! Mode CONST has no body at all: every interval of the run equals `g`. The run is
//! `d_1..d_(n-1)` with LEAD, `d_0..d_(n-1)` without.
//!
//! The step plays the part of pcodec's "int mult" mode (a common multiplier found per chunk).
//!
//! Why this wins: a regular series costs zero bits per timestamp (CONST, and `g` is usually the
//! previous block's); data on a coarse grid with gaps (trading days, weekly readings with
//! missing weeks) becomes small integers once divided by the grid step (1, 3, 4 days rather
//! than 86,400,000-ms multiples), which the integer sequence then packs in 1-3 bits, or
//! patches the rare gap out of the frame entirely.

use super::intseq::{self, MAX_LEN};
use super::varint::{self, Cursor};
use crate::error::{Error, Result};

/// Every interval of the run equals the step.
pub const MODE_CONST: u8 = 0;
/// The run is an integer sequence of step multiples.
pub const MODE_SEQ: u8 = 1;

/// What the encoder chose (the block header's flags carry it).
#[derive(Debug, Clone, Copy)]
pub struct TsChoice {
    /// `MODE_CONST` or `MODE_SEQ`.
    pub mode: u8,
    /// `d_0` is in the header.
    pub lead: bool,
    /// The step equals the previous block's (not written).
    pub same_g: bool,
    /// The step.
    pub g: u64,
}

/// Binary GCD (no division).
fn gcd(mut a: u64, mut b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

/// Inverse of an odd `a` modulo 2^64 (Newton's iteration: each step doubles the correct bits;
/// `a` itself is correct to 3 bits because `a * a = 1 mod 8` for odd `a`).
fn inverse(a: u64) -> u64 {
    let mut x = a;
    for _ in 0..5 {
        x = x.wrapping_mul(2u64.wrapping_sub(a.wrapping_mul(x)));
    }
    x
}

/// `q[i] = d[i] / g` where every `d[i]` is a multiple of `g`.
///
/// Why fast: no division instruction. Why correct: with `g = odd * 2^tz`, `d >> tz` is an exact
/// multiple of `odd`, and multiplying an exact multiple by the inverse of `odd` modulo 2^64 gives
/// the quotient exactly (Granlund & Montgomery's exact division).
fn exact_div(d: &[u64], g: u64, q: &mut [u64]) {
    let tz = g.trailing_zeros();
    let odd = g >> tz;
    if odd == 1 {
        for (q, &d) in q.iter_mut().zip(d) {
            *q = d >> tz;
        }
    } else {
        let inv = inverse(odd);
        for (q, &d) in q.iter_mut().zip(d) {
            *q = (d >> tz).wrapping_mul(inv);
        }
    }
}

/// Writes the timestamp fields of a block of `ts` (strictly increasing, 1..=256 of them).
/// `prev` is the previous block's last timestamp (`None` in a chunk's first block).
pub fn encode(ts: &[i64], prev: Option<i64>, prev_g: u64, out: &mut Vec<u8>) -> TsChoice {
    let n = ts.len();
    debug_assert!((1..=MAX_LEN).contains(&n));
    let d0 = (ts[0] as u64).wrapping_sub(prev.unwrap_or(0) as u64);
    let write_g = |g: u64, out: &mut Vec<u8>| {
        let same = g == prev_g;
        if !same {
            varint::put(out, g);
        }
        same
    };
    if n == 1 {
        return if prev.is_some() && d0 != 0 {
            let same_g = write_g(d0, out);
            TsChoice { mode: MODE_CONST, lead: false, same_g, g: d0 }
        } else {
            varint::put(out, d0);
            TsChoice { mode: MODE_CONST, lead: true, same_g: true, g: prev_g }
        };
    }
    // Fast path: a constant step (the common case of regular series), no arrays.
    let s = (ts[1] as u64).wrapping_sub(ts[0] as u64);
    // Branch-free (vectorisable) check that every interval is `s`.
    let off = ts.windows(2).fold(0u64, |a, w| a | ((w[1] as u64).wrapping_sub(w[0] as u64) ^ s));
    if s != 0 && off == 0 {
        let lead = !(prev.is_some() && d0 == s);
        if lead {
            varint::put(out, d0);
        }
        let same_g = write_g(s, out);
        return TsChoice { mode: MODE_CONST, lead, same_g, g: s };
    }
    let mut d = [0u64; MAX_LEN];
    d[0] = d0;
    for i in 1..n {
        d[i] = (ts[i] as u64).wrapping_sub(ts[i - 1] as u64);
    }
    // The step: GCD of the run, computed only where the interval changes (cheap on data whose
    // intervals repeat). A zero interval (never produced by strictly increasing timestamps)
    // degrades to step 1 rather than dividing by zero.
    let mut g = 0u64;
    let mut last = u64::MAX;
    for &x in &d[1..n] {
        if x != last {
            g = gcd(g, x);
            last = x;
        }
    }
    if g == 0 {
        g = 1;
    }
    let mut q = [0u64; MAX_LEN];
    // Include d_0 in the run when it is a multiple of g within the run's range (it then costs
    // no extra width); otherwise it goes to the header.
    let mut include0 = false;
    if prev.is_some() && d[0] % g == 0 {
        exact_div(&d[..n], g, &mut q[..n]);
        let (mn, mx) = q[1..n].iter().fold((u64::MAX, 0), |(a, b), &x| (a.min(x), b.max(x)));
        include0 = q[0] >= mn && q[0] <= mx;
    } else {
        exact_div(&d[1..n], g, &mut q[1..n]);
    }
    if !include0 {
        varint::put(out, d[0]);
    }
    let same_g = write_g(g, out);
    let span = q[1..n].iter().fold(0u64, |a, &x| a.wrapping_add(x));
    varint::put(out, span);
    let run = if include0 { &q[..n] } else { &q[1..n] };
    intseq::encode(run, 2, out);
    TsChoice { mode: MODE_SEQ, lead: !include0, same_g, g }
}

/// The timestamp fields of a block, read without decoding the run.
#[derive(Debug, Clone, Copy, Default)]
pub struct TsHeader {
    /// First timestamp.
    pub start: i64,
    /// Last timestamp.
    pub end: i64,
    /// The step.
    pub g: u64,
    mode: u8,
    lead: Option<u64>,
    prev: i64,
    run_at: usize,
}

impl TsHeader {
    /// The step when the block is regular (mode CONST; a one-sample block counts as regular).
    #[inline]
    pub fn const_step(&self) -> Option<u64> {
        (self.mode == MODE_CONST || self.start == self.end).then_some(self.g)
    }
}

/// Reads the timestamp fields of a block of `n` samples at the cursor, moving past them.
/// Checks that the block's first and last timestamps are i64 values, after `prev` (unless
/// `first`) and in order.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub fn read_header(
    cur: &mut Cursor<'_>,
    n: usize,
    prev: i64,
    prev_g: u64,
    first: bool,
    mode: u8,
    lead: bool,
    same_g: bool,
) -> Result<TsHeader> {
    if first && !lead {
        return Err(Error::corrupt("first block without an anchor timestamp"));
    }
    let lead_v = if lead { Some(cur.varint()?) } else { None };
    let g = if same_g { prev_g } else { cur.varint()? };
    if g == 0 {
        return Err(Error::corrupt("zero timestamp step"));
    }
    // The common case (a regular series' block: constant step, no lead) in checked i64
    // arithmetic; overflow and everything else take the general path below. (The span as a
    // plain product: below 2^55 · 2^8, it cannot overflow. Why: `checked_mul` on i64 is a
    // `__multi3` call in wasm, once per block.)
    if mode == MODE_CONST && !first && lead_v.is_none() && g < 1 << 55 && n <= 256 {
        let gi = g as i64;
        let bounds = prev.checked_add(gi).and_then(|start| Some((start, start.checked_add(gi * (n as i64 - 1))?)));
        if let Some((start, end)) = bounds {
            return Ok(TsHeader { start, end, g, mode, lead: None, prev, run_at: 0 });
        }
    }
    // Exact arithmetic in i128; a chunk's first block anchors on 0 with a wrapping `d_0`, so
    // any i64 timestamp (negative ones included) can start a chunk.
    let g128 = g as i128;
    let start: i128 = match (first, lead_v) {
        (true, Some(l)) => l as i64 as i128,
        (_, Some(l)) => prev as i128 + l as i128,
        (_, None) if mode == MODE_CONST => prev as i128 + g128,
        _ => 0, // MODE_SEQ without lead: from the run's first value, below
    };
    let (start, end, run_at) = match mode {
        MODE_CONST => (start, start + (n as i128 - 1) * g128, 0),
        MODE_SEQ => {
            let run_len = n - lead as usize;
            if run_len == 0 {
                return Err(Error::corrupt("empty timestamp run"));
            }
            let span = cur.varint()?;
            let run_at = cur.pos();
            let peek = intseq::skip(cur, run_len)?;
            let start = if lead { start } else { prev as i128 + peek.first as i128 * g128 };
            let end = (span as i128).checked_mul(g128).map(|x| start + x).unwrap_or(i128::MAX);
            (start, end, run_at)
        }
        _ => return Err(Error::corrupt("unknown timestamp mode")),
    };
    let ok = start >= i64::MIN as i128
        && end <= i64::MAX as i128
        && (n == 1 || end > start)
        && (first || start > prev as i128);
    if !ok {
        return Err(Error::corrupt("block timestamps out of order or range"));
    }
    Ok(TsHeader { start: start as i64, end: end as i64, g, mode, lead: lead_v, prev, run_at })
}

/// Decodes the timestamps of a block whose header is `h` into `out` (its sample count).
/// `buf` is the chunk data. With `strict`, also checks every timestamp is after the previous.
pub fn decode(h: &TsHeader, buf: &[u8], out: &mut [i64], strict: bool) -> Result<()> {
    let n = out.len();
    let g = h.g;
    if h.mode == MODE_CONST {
        // Why correct: the header check proved start + (n-1) g <= i64::MAX, so no step overflows.
        let mut t = h.start;
        for o in out.iter_mut() {
            *o = t;
            t = t.wrapping_add(g as i64);
        }
        return Ok(());
    }
    let mut q = [0u64; MAX_LEN];
    let lead = h.lead.is_some();
    let run_len = n - lead as usize;
    let mut cur = Cursor::new(buf, h.run_at);
    intseq::decode(&mut cur, &mut q[..run_len])?;
    let mut t = h.prev as u64;
    let mut i = 0;
    if h.lead.is_some() {
        t = h.start as u64;
        out[0] = h.start;
        i = 1;
    }
    for (o, &qi) in out[i..].iter_mut().zip(&q[..run_len]) {
        t = t.wrapping_add(qi.wrapping_mul(g));
        *o = t as i64;
    }
    if out[0] != h.start || out[n - 1] != h.end {
        return Err(Error::corrupt("block timestamps disagree with their header"));
    }
    if strict && out.windows(2).any(|w| w[1] <= w[0]) {
        return Err(Error::corrupt("block timestamps out of order"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(ts: &[i64], prev: Option<i64>, prev_g: u64) -> (TsChoice, usize) {
        let mut out = Vec::new();
        let c = encode(ts, prev, prev_g, &mut out);
        let mut cur = Cursor::new(&out, 0);
        let h = read_header(
            &mut cur,
            ts.len(),
            prev.unwrap_or(0),
            prev_g,
            prev.is_none(),
            c.mode,
            c.lead,
            c.same_g,
        )
        .unwrap();
        assert_eq!(cur.pos(), out.len());
        assert_eq!((h.start, h.end), (ts[0], *ts.last().unwrap()));
        let mut got = vec![0; ts.len()];
        decode(&h, &out, &mut got, true).unwrap();
        assert_eq!(got, ts);
        (c, out.len())
    }

    #[test]
    fn constant_step_is_free() {
        let ts: Vec<i64> = (0..128).map(|i| 1_000 + i * 1_000).collect();
        let (c, bytes) = round_trip(&ts, Some(0), 1_000);
        assert_eq!((c.mode, c.lead, c.same_g, bytes), (MODE_CONST, false, true, 0));
        let (c, _) = round_trip(&ts, None, 1);
        assert!(c.lead);
    }

    #[test]
    fn aligned_gaps_use_the_gcd() {
        let day = 86_400_000i64;
        let mut ts = vec![];
        let mut t = 500 * day;
        for i in 0..128 {
            t += if i % 5 == 4 { 3 * day } else { day };
            ts.push(t);
        }
        let (c, bytes) = round_trip(&ts, Some(500 * day), day as u64);
        assert_eq!(c.g, day as u64);
        assert!(bytes < 40, "{bytes}");
    }

    #[test]
    fn extremes() {
        round_trip(&[0, i64::MAX], None, 1);
        round_trip(&[0, 1, i64::MAX], None, 1);
        round_trip(&[i64::MAX], Some(0), 1);
        round_trip(&[i64::MAX - 2, i64::MAX - 1, i64::MAX], Some(5), 1);
        round_trip(&[3, 10, 11, 1 << 62, (1 << 62) + 3], Some(2), 7);
        round_trip(&[i64::MIN, -5, 0, i64::MAX], None, 1);
        round_trip(&[-3_000, -2_000, -1_000], None, 1);
        round_trip(&[i64::MIN + 1, i64::MAX], Some(i64::MIN), 1);
    }

    #[test]
    fn helpers() {
        assert_eq!(gcd(12, 18), 6);
        assert_eq!(gcd(0, 5), 5);
        for a in [1u64, 3, 5, 86_400_000 >> 10, u64::MAX] {
            assert_eq!(a.wrapping_mul(inverse(a)), 1);
        }
        let d = [86_400_000u64 * 3, 86_400_000, 0];
        let mut q = [0; 3];
        exact_div(&d, 86_400_000, &mut q);
        assert_eq!(q, [3, 1, 0]);
    }
}
