//! Compressed blocks: up to [`BLOCK_LEN`] samples, decodable on their own, each with the value codec and
//! timestamp mode that suit it, and a header from which a query learns the block's first and
//! last timestamp, sample count and byte length without decoding it.
//!
//! | field      | size    | meaning                                                           |
//! |------------|---------|-------------------------------------------------------------------|
//! | flags      | u8      | bits 0-1 value codec: 0 decimal, 1 XOR, 2 raw, 3 constant          |
//! |            |         | bits 2-3 timestamp mode: 0 CONST, 1 SEQ (2, 3 invalid)             |
//! |            |         | bit 4 LEAD, bit 5 SAME_G (see `timestamps.rs`)                     |
//! |            |         | bit 6 FULL: count is [`BLOCK_LEN`]; bit 7: 0                       |
//! | count - 1  | u8      | unless FULL                                                       |
//! | timestamps | —       | lead, step, span, run (`timestamps.rs`)                            |
//! | values     | —       | decimal: `decimal.rs` section                                      |
//! |            |         | XOR: varint byte length, then a `gorilla.rs` XOR value stream      |
//! |            |         | raw: count × u64 LE bits                                           |
//! |            |         | constant: one u64 LE: every value has these bits                   |
//!
//! Blocks follow each other in a chunk's bytes. A block's timestamps are relative to the last
//! timestamp and step of the block before it, which a reader walking the headers always knows;
//! no block needs another block's *body*, so skipping costs a header parse.
//!
//! Codec choice (per block, exact sizes, no guessing where it matters):
//! 1. Decimal (`decimal.rs`) unless the values are not decimal. At <= 2 bytes per value it is
//!    kept at once: XOR needs at least 1 bit per value and in practice far more on decimals.
//! 2. Otherwise XOR is encoded too and the smallest of decimal, XOR and raw wins; values that
//!    are all the same non-decimal bits (NaN, 1/3) take the 8-byte constant.
//!
//! The XOR fallback is Gorilla's, as RedisTimeSeries writes it. Chimp (Liakos et al., VLDB
//! 2022: 3-bit leading-zero classes, a trailing-zero threshold, Chimp128's window of previous
//! values) compresses non-decimal doubles better; it matters only for the blocks the decimal
//! codec rejects, none of which occur in the reference corpus, so it is left as a later codec
//! (a new value-codec tag would be needed: bits 0-1 are all taken, bit 7 is free).

use super::decimal;
use super::gorilla;
use super::timestamps::{self, TsHeader};
use super::varint::{self, Cursor};
use crate::error::{Error, Result};

pub use super::{BLOCK_LEN, MAX_BLOCK_LEN};

const _: () = assert!(BLOCK_LEN <= 256, "the count byte and patch indexes are one byte");

/// Value codecs.
pub const V_DECIMAL: u8 = 0;
/// XOR (Gorilla) values.
pub const V_XOR: u8 = 1;
/// Raw 8-byte values.
pub const V_RAW: u8 = 2;
/// One value for every sample.
pub const V_CONST: u8 = 3;

const F_LEAD: u8 = 1 << 4;
const F_SAME_G: u8 = 1 << 5;
const F_FULL: u8 = 1 << 6;

/// Name of a value codec (for stats).
pub fn codec_name(c: u8) -> &'static str {
    match c {
        V_DECIMAL => "decimal",
        V_XOR => "xor",
        V_RAW => "raw",
        _ => "constant",
    }
}

/// Appends one block of `ts` / `vals` (1..=BLOCK_LEN samples, strictly increasing timestamps after
/// `prev`, the previous block's last timestamp, `None` for a chunk's first block).
/// Returns the block's step, which the next block's SAME_G refers to.
pub fn encode(ts: &[i64], vals: &[f64], prev: Option<i64>, prev_g: u64, out: &mut Vec<u8>) -> u64 {
    let n = ts.len();
    assert!((1..=BLOCK_LEN).contains(&n) && vals.len() == n);
    let at = out.len();
    out.push(0);
    if n != BLOCK_LEN {
        out.push((n - 1) as u8);
    }
    let tc = timestamps::encode(ts, prev, prev_g, out);
    let vc = encode_values(vals, out);
    out[at] = vc
        | tc.mode << 2
        | if tc.lead { F_LEAD } else { 0 }
        | if tc.same_g { F_SAME_G } else { 0 }
        | if n == BLOCK_LEN { F_FULL } else { 0 };
    tc.g
}

fn all_same(vals: &[f64]) -> bool {
    let b = vals[0].to_bits();
    vals.iter().all(|v| v.to_bits() == b)
}

fn encode_values(vals: &[f64], out: &mut Vec<u8>) -> u8 {
    let n = vals.len();
    let raw = 8 * n;
    let mark = out.len();
    let decimal_len = decimal::encode(vals, out).map(|_| out.len() - mark);
    if let Some(d) = decimal_len {
        if d <= 2 * n + 8 {
            return V_DECIMAL;
        }
    } else if n > 1 && all_same(vals) {
        out.extend_from_slice(&vals[0].to_bits().to_le_bytes());
        return V_CONST;
    }
    let mut xor = Vec::with_capacity(raw + 16);
    gorilla::encode_values(vals, &mut xor);
    let xor_len = varint::len(xor.len() as u64) + xor.len();
    let best_other = decimal_len.unwrap_or(usize::MAX).min(raw);
    if xor_len < best_other {
        out.truncate(mark);
        varint::put(out, xor.len() as u64);
        out.extend_from_slice(&xor);
        return V_XOR;
    }
    if decimal_len.is_some_and(|d| d <= raw) {
        return V_DECIMAL;
    }
    out.truncate(mark);
    for v in vals {
        out.extend_from_slice(&v.to_bits().to_le_bytes());
    }
    V_RAW
}

/// A block's header: what a query needs to skip it or to decode it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Header {
    /// Samples.
    pub count: usize,
    /// First timestamp.
    pub start: i64,
    /// Last timestamp.
    pub end: i64,
    /// The step (the next block's SAME_G refers to it).
    pub g: u64,
    /// Value codec.
    pub codec: u8,
    /// Offset of the block in the chunk's bytes.
    pub at: usize,
    /// Offset just after the block.
    pub next: usize,
    ts: TsHeader,
    val_at: usize,
}

/// Reads the header of the block at `pos` of `buf` and finds where it ends, without decoding
/// its body. `prev` / `prev_g` are the previous block's last timestamp and step (ignored for
/// the `first` block of a chunk, which must carry its own anchor).
pub fn read_header(buf: &[u8], pos: usize, prev: i64, prev_g: u64, first: bool) -> Result<Header> {
    read_header_impl(buf, pos, None, prev, prev_g, first)
}

/// [`read_header`] for a block whose end `next` is known (from the chunk's block index): the
/// value section is not parsed, so a walk over the blocks costs their timestamp fields only.
#[inline]
pub fn read_header_sized(
    buf: &[u8],
    pos: usize,
    next: usize,
    prev: i64,
    prev_g: u64,
    first: bool,
) -> Result<Header> {
    read_header_impl(buf, pos, Some(next), prev, prev_g, first)
}

#[inline(always)]
fn read_header_impl(
    buf: &[u8],
    pos: usize,
    next: Option<usize>,
    prev: i64,
    prev_g: u64,
    first: bool,
) -> Result<Header> {
    let mut cur = Cursor::new(buf, pos);
    let flags = cur.u8()?;
    if flags & 0x80 != 0 {
        return Err(Error::corrupt("block flags"));
    }
    let count = if flags & F_FULL != 0 { BLOCK_LEN } else { cur.u8()? as usize + 1 };
    if count > BLOCK_LEN {
        return Err(Error::corrupt("block sample count"));
    }
    let ts = timestamps::read_header(
        &mut cur,
        count,
        prev,
        prev_g,
        first,
        (flags >> 2) & 3,
        flags & F_LEAD != 0,
        flags & F_SAME_G != 0,
    )?;
    let codec = flags & 3;
    let val_at = cur.pos();
    if let Some(next) = next {
        if next < val_at || next > buf.len() {
            return Err(Error::corrupt("block length"));
        }
        return Ok(Header { count, start: ts.start, end: ts.end, g: ts.g, codec, at: pos, next, ts, val_at });
    }
    match codec {
        V_DECIMAL => decimal::skip(&mut cur, count)?,
        V_XOR => {
            let len = cur.varint()?;
            cur.skip(usize::try_from(len).map_err(|_| Error::corrupt("XOR length"))?)?;
        }
        V_RAW => cur.skip(count * 8)?,
        _ => cur.skip(8)?,
    }
    Ok(Header {
        count,
        start: ts.start,
        end: ts.end,
        g: ts.g,
        codec,
        at: pos,
        next: cur.pos(),
        ts,
        val_at,
    })
}

impl Header {
    /// The step when every interval of the block equals it (timestamp `i` is then
    /// `start + i * step`, no decoding needed); `None` otherwise.
    #[inline]
    pub fn const_step(&self) -> Option<u64> {
        self.ts.const_step()
    }
}

/// Decodes the timestamps of block `h` of `buf` into `out` (`h.count` of them).
pub fn decode_ts(h: &Header, buf: &[u8], out: &mut [i64], strict: bool) -> Result<()> {
    timestamps::decode(&h.ts, buf, &mut out[..h.count], strict)
}

/// For a decimal block whose values are its integers scaled (see [`decimal::decode_ints`]):
/// decodes the integers into `ints` (`h.count` of them) and returns the scale; `None` for any
/// other block.
pub fn decode_scaled(h: &Header, buf: &[u8], ints: &mut [u64]) -> Result<Option<decimal::Scale>> {
    if h.codec != V_DECIMAL {
        return Ok(None);
    }
    decimal::decode_ints(&mut Cursor::new(buf, h.val_at), &mut ints[..h.count])
}

/// Streams the values of decimal block `h` of `buf` into `f` (see [`decimal::stream`]); false
/// (nothing streamed) for other blocks or when the decimal section does not allow it.
#[inline]
pub fn stream_values(h: &Header, buf: &[u8], f: &mut impl super::bits::Fields<f64>) -> Result<bool> {
    if h.codec != V_DECIMAL {
        return Ok(false);
    }
    decimal::stream(&mut Cursor::new(buf, h.val_at), h.count, f)
}

/// Decodes the values of block `h` of `buf` into `out` (`h.count` of them).
pub fn decode_vals(h: &Header, buf: &[u8], out: &mut [f64], strict: bool) -> Result<()> {
    let out = &mut out[..h.count];
    let mut cur = Cursor::new(buf, h.val_at);
    match h.codec {
        V_DECIMAL => {
            decimal::decode(&mut cur, out)?;
            if strict && cur.pos() != h.next {
                return Err(Error::corrupt("decimal section length"));
            }
        }
        V_XOR => {
            let len = cur.varint()? as usize;
            let src = cur.bytes(len)?;
            let used = gorilla::decode_values(src, out)?;
            if strict && used != len {
                return Err(Error::corrupt("XOR section length"));
            }
        }
        V_RAW => {
            let src = cur.bytes(out.len() * 8)?;
            for (o, b) in out.iter_mut().zip(src.chunks_exact(8)) {
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                *o = f64::from_bits(u64::from_le_bytes(a));
            }
        }
        _ => {
            let v = f64::from_bits(cur.u64_le()?);
            out.fill(v);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(ts: &[i64], vals: &[f64], prev: Option<i64>) -> (Header, Vec<u8>) {
        let mut buf = vec![0xAA; 3];
        let g = encode(ts, vals, prev, 1, &mut buf);
        let h = read_header(&buf, 3, prev.unwrap_or(0), 1, prev.is_none()).unwrap();
        assert_eq!(h.next, buf.len());
        assert_eq!((h.count, h.start, h.end, h.g), (ts.len(), ts[0], *ts.last().unwrap(), g));
        let mut t2 = vec![0; ts.len()];
        let mut v2 = vec![0.0; ts.len()];
        decode_ts(&h, &buf, &mut t2, true).unwrap();
        decode_vals(&h, &buf, &mut v2, true).unwrap();
        assert_eq!(t2, ts);
        for (a, b) in v2.iter().zip(vals) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
        (h, buf)
    }

    #[test]
    fn picks_codecs() {
        let ts: Vec<i64> = (0..BLOCK_LEN as i64).map(|i| 1_000 * (i + 1)).collect();
        let dec: Vec<f64> =
            (0..BLOCK_LEN).map(|i| (2000 + (i * 7919) % 300) as f64 / 100.0).collect();
        assert_eq!(round_trip(&ts, &dec, Some(0)).0.codec, V_DECIMAL);
        let odd: Vec<f64> = (0..BLOCK_LEN).map(|i| (i as f64 * 0.37).sin()).collect();
        let (h, _) = round_trip(&ts, &odd, Some(0));
        assert!(h.next - h.at < 8 * BLOCK_LEN);
        let odd: Vec<f64> = (0..BLOCK_LEN).map(|i| (i as f64 + 0.5).sqrt() * 1e-3).collect();
        let (h, _) = round_trip(&ts, &odd, Some(0));
        assert!(h.next - h.at < 8 * BLOCK_LEN);
        let nan = vec![f64::NAN; BLOCK_LEN];
        assert_eq!(round_trip(&ts, &nan, Some(0)).0.codec, V_CONST);
        let noise: Vec<f64> = (0..BLOCK_LEN as u64)
            .map(|i| f64::from_bits(i.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
            .collect();
        assert_eq!(round_trip(&ts, &noise, None).0.codec, V_RAW);
        round_trip(&ts[..1], &noise[..1], None);
        round_trip(&ts[..3], &noise[..3], Some(5));
    }
}
