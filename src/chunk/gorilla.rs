//! Gorilla (Pelkonen et al., VLDB 2015) as RedisTimeSeries' compressed chunks write it:
//! delta-of-delta timestamps and XOR values, bit by bit.
//!
//! Bits are in stream order (the [`super::bits`] order, which is RedisTimeSeries' on a
//! little-endian machine). A stream starts with the first timestamp and the first value as
//! 64 raw bits each; every later sample appends its timestamp code, then its value code.
//!
//! Timestamps, `dod = (t_i - t_(i-1)) - (t_(i-1) - t_(i-2))` (the delta before the second
//! sample is 0), two's complement in the payload:
//!
//! | code             | payload | dod range            |
//! |------------------|---------|----------------------|
//! | `0`              | —       | 0                    |
//! | `1 0`            | 5 bits  | [-16, 15]            |
//! | `1 1 0`          | 8 bits  | [-128, 127]          |
//! | `1 1 1 0`        | 11 bits | [-1024, 1023]        |
//! | `1 1 1 1 0`      | 15 bits | [-16384, 16383]      |
//! | `1 1 1 1 1 0`    | 32 bits | i32                  |
//! | `1 1 1 1 1 1`    | 64 bits | any (wrapping)       |
//!
//! Values, `x = bits(v_i) ^ bits(v_(i-1))`, with L leading and T trailing zero bits of x
//! (L capped at 31) and the window (L', T') of the last value that set one:
//!
//! | code  | payload                                             | when                        |
//! |-------|-----------------------------------------------------|-----------------------------|
//! | `0`   | —                                                   | x = 0 (same bits)           |
//! | `1 0` | `x >> T'` in 64 - L' - T' bits                      | x fits the window and that is cheaper |
//! | `1 1` | L in 5 bits, (64 - L - T) - 1 in 6 bits, `x >> T` in 64 - L - T bits | otherwise; sets the window |
//!
//! There is no window before the first `1 1` code (RedisTimeSeries starts with 32/32). Unlike
//! RedisTimeSeries, NaN is not canonicalised: the bits are kept, payload included.
//!
//! In compressed blocks the XOR value coding is the fallback for values that are not decimal
//! (see `decimal.rs`); the full stream codec is kept for comparison and benchmarks.

use super::bits::{BitReader, BitWriter};
use crate::error::{Error, Result};

/// XOR value coder state.
#[derive(Debug, Clone)]
pub struct XorEncoder {
    prev: u64,
    lead: u32,
    trail: u32,
}

impl XorEncoder {
    /// A coder whose previous value is `first` (written raw by the caller).
    pub fn new(first: u64) -> XorEncoder {
        XorEncoder { prev: first, lead: 32, trail: 32 }
    }

    /// Appends the code of the value with bits `bits`.
    #[inline]
    pub fn push(&mut self, w: &mut BitWriter<'_>, bits: u64) {
        let x = bits ^ self.prev;
        self.prev = bits;
        if x == 0 {
            w.write(0, 1);
            return;
        }
        let lead = x.leading_zeros().min(31);
        let trail = x.trailing_zeros();
        let size = 64 - lead - trail;
        let prev_size = 64 - self.lead - self.trail;
        if lead >= self.lead && trail >= self.trail && 11 + size > prev_size {
            w.write(0b01, 2);
            w.write(x >> self.trail, prev_size);
        } else {
            w.write(0b11, 2);
            w.write(lead as u64, 5);
            w.write((size - 1) as u64, 6);
            w.write(x >> trail, size);
            self.lead = lead;
            self.trail = trail;
        }
    }
}

/// XOR value decoder state.
#[derive(Debug, Clone)]
pub struct XorDecoder {
    prev: u64,
    lead: u32,
    size: u32,
}

impl XorDecoder {
    /// A decoder whose previous value is `first`.
    pub fn new(first: u64) -> XorDecoder {
        XorDecoder { prev: first, lead: 0, size: 0 }
    }

    /// Reads the next value's bits.
    #[inline]
    pub fn next(&mut self, r: &mut BitReader<'_>) -> Result<u64> {
        if !r.bit()? {
            return Ok(self.prev);
        }
        if !r.bit()? {
            if self.size == 0 {
                return Err(Error::corrupt("XOR window used before it is set"));
            }
            self.prev ^= r.read(self.size)? << (64 - self.lead - self.size);
        } else {
            let lead = r.read(5)? as u32;
            let size = r.read(6)? as u32 + 1;
            if lead + size > 64 {
                return Err(Error::corrupt("XOR window wider than 64 bits"));
            }
            self.lead = lead;
            self.size = size;
            self.prev ^= r.read(size)? << (64 - lead - size);
        }
        Ok(self.prev)
    }
}

/// Delta-of-delta timestamp coder state.
#[derive(Debug, Clone)]
pub struct DodEncoder {
    prev: i64,
    delta: i64,
}

const DOD_BUCKETS: [(u32, u64, u32); 5] =
    [(5, 0b01, 2), (8, 0b011, 3), (11, 0b0111, 4), (15, 0b01111, 5), (32, 0b011111, 6)];

impl DodEncoder {
    /// A coder after the timestamp `first` (written raw by the caller).
    pub fn new(first: i64) -> DodEncoder {
        DodEncoder { prev: first, delta: 0 }
    }

    /// Appends the code of timestamp `t`.
    #[inline]
    pub fn push(&mut self, w: &mut BitWriter<'_>, t: i64) {
        let delta = t.wrapping_sub(self.prev);
        let dod = delta.wrapping_sub(self.delta);
        self.prev = t;
        self.delta = delta;
        if dod == 0 {
            w.write(0, 1);
            return;
        }
        for (bits, code, len) in DOD_BUCKETS {
            let half = 1i64 << (bits - 1);
            if dod >= -half && dod < half {
                w.write(code, len);
                w.write(dod as u64, bits);
                return;
            }
        }
        w.write(0b111111, 6);
        w.write(dod as u64, 64);
    }
}

/// Delta-of-delta timestamp decoder state.
#[derive(Debug, Clone)]
pub struct DodDecoder {
    prev: i64,
    delta: i64,
}

impl DodDecoder {
    /// A decoder after the timestamp `first`.
    pub fn new(first: i64) -> DodDecoder {
        DodDecoder { prev: first, delta: 0 }
    }

    /// Reads the next timestamp.
    #[inline]
    pub fn next(&mut self, r: &mut BitReader<'_>) -> Result<i64> {
        if r.bit()? {
            let k = r.ones(5)?;
            let bits = [5, 8, 11, 15, 32, 64][k as usize];
            let raw = r.read(bits)?;
            let dod = if bits == 64 {
                raw as i64
            } else if raw >> (bits - 1) & 1 == 1 {
                (raw as i64).wrapping_sub(1i64 << bits)
            } else {
                raw as i64
            };
            self.delta = self.delta.wrapping_add(dod);
        }
        self.prev = self.prev.wrapping_add(self.delta);
        Ok(self.prev)
    }
}

/// Appends a Gorilla stream of `ts` / `vals` (same length, at least one sample).
pub fn encode(ts: &[i64], vals: &[f64], out: &mut Vec<u8>) {
    debug_assert!(!ts.is_empty() && ts.len() == vals.len());
    let mut w = BitWriter::new(out);
    w.write(ts[0] as u64, 64);
    w.write(vals[0].to_bits(), 64);
    let mut td = DodEncoder::new(ts[0]);
    let mut vx = XorEncoder::new(vals[0].to_bits());
    for (&t, &v) in ts.iter().zip(vals).skip(1) {
        td.push(&mut w, t);
        vx.push(&mut w, v.to_bits());
    }
    w.finish();
}

/// Decodes a Gorilla stream of `ts.len()` samples from `src`; returns the bytes it used.
pub fn decode(src: &[u8], ts: &mut [i64], vals: &mut [f64]) -> Result<usize> {
    let n = ts.len().min(vals.len());
    if n == 0 {
        return Ok(0);
    }
    let mut r = BitReader::new(src);
    let t0 = r.read(64)? as i64;
    let v0 = r.read(64)?;
    ts[0] = t0;
    vals[0] = f64::from_bits(v0);
    let mut td = DodDecoder::new(t0);
    let mut vx = XorDecoder::new(v0);
    for i in 1..n {
        ts[i] = td.next(&mut r)?;
        vals[i] = f64::from_bits(vx.next(&mut r)?);
    }
    Ok(r.bytes_consumed())
}

/// Appends the XOR coding of `vals` alone (first value raw, then codes).
pub fn encode_values(vals: &[f64], out: &mut Vec<u8>) {
    debug_assert!(!vals.is_empty());
    let mut w = BitWriter::new(out);
    w.write(vals[0].to_bits(), 64);
    let mut vx = XorEncoder::new(vals[0].to_bits());
    for &v in &vals[1..] {
        vx.push(&mut w, v.to_bits());
    }
    w.finish();
}

/// Decodes `out.len()` values written by [`encode_values`]; returns the bytes used.
pub fn decode_values(src: &[u8], out: &mut [f64]) -> Result<usize> {
    if out.is_empty() {
        return Ok(0);
    }
    let mut r = BitReader::new(src);
    let v0 = r.read(64)?;
    out[0] = f64::from_bits(v0);
    let mut vx = XorDecoder::new(v0);
    for o in &mut out[1..] {
        *o = f64::from_bits(vx.next(&mut r)?);
    }
    Ok(r.bytes_consumed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_round_trip_with_extremes() {
        let ts = [0, 1, 2, 1000, 1001, 1 << 40, (1 << 40) + 17, i64::MAX - 1, i64::MAX];
        let vals = [
            1.5,
            1.5,
            -0.0,
            f64::NAN,
            f64::from_bits(0x7ff0_0000_0000_0001),
            f64::INFINITY,
            5e-324,
            f64::MIN,
            21.37,
        ];
        let mut out = Vec::new();
        encode(&ts, &vals, &mut out);
        let (mut t2, mut v2) = ([0i64; 9], [0f64; 9]);
        assert_eq!(decode(&out, &mut t2, &mut v2).unwrap(), out.len());
        assert_eq!(t2, ts);
        for (a, b) in v2.iter().zip(&vals) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
        for cut in 0..out.len() {
            assert!(decode(&out[..cut], &mut t2, &mut v2).is_err(), "cut {cut}");
        }
    }

    #[test]
    fn regular_series_cost_two_bits_per_repeat() {
        let ts: Vec<i64> = (0..1000).map(|i| i * 1000).collect();
        let vals = vec![3.25; 1000];
        let mut out = Vec::new();
        encode(&ts, &vals, &mut out);
        // 128 raw bits + 2 bits per later sample (the second sample's dod is its delta).
        assert!(out.len() <= 16 + 2 * 1000 / 8 + 4, "{}", out.len());
    }

    #[test]
    fn values_only() {
        let vals: Vec<f64> = (0..300).map(|i| (i as f64 * 0.37).sin()).collect();
        let mut out = Vec::new();
        encode_values(&vals, &mut out);
        let mut got = vec![0.0; 300];
        assert_eq!(decode_values(&out, &mut got).unwrap(), out.len());
        assert_eq!(got, vals);
    }
}
