//! Bit I/O: a writer, a checked reader, and fixed-width pack / unpack kernels.
//!
//! | bit order | least-significant bit first: stream bit `i` is bit `i % 8` of byte `i / 8` |
//! |-----------|-------------------------------------------------------------------------|
//! | a value   | its `n` low bits, lowest first, so the stream reads as one little-endian integer |
//! | padding   | the last byte is zero-filled above the last bit                          |
//!
//! This is the order RedisTimeSeries' 64-bit bins give on a little-endian machine, and the one
//! that makes unpacking a single unaligned load, shift and mask per value.
//!
//! The reader never trusts its input: asking for bits beyond the end is `Error::corrupt`; it
//! never panics, never reads out of bounds, and every read consumes at least one bit or fails,
//! so callers' loops (bounded by a validated count) always end.

use crate::error::{Error, Result};

#[inline]
fn mask(n: u32) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

/// Loads 8 bytes at `i` (little-endian), zero-filled past the end of `buf`. `i < buf.len()`.
#[inline]
fn load_padded(buf: &[u8], i: usize) -> u64 {
    if let Some(s) = buf.get(i..i + 8) {
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        u64::from_le_bytes(a)
    } else {
        let mut a = [0u8; 8];
        let rest = buf.get(i..).unwrap_or(&[]);
        a[..rest.len()].copy_from_slice(rest);
        u64::from_le_bytes(a)
    }
}

/// Appends bits to a byte vector.
pub struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    /// Bits pending in `acc`; always < 64.
    nbits: u32,
}

impl<'a> BitWriter<'a> {
    /// A writer appending to `out` (at a byte boundary).
    pub fn new(out: &'a mut Vec<u8>) -> BitWriter<'a> {
        BitWriter { out, acc: 0, nbits: 0 }
    }

    /// Writes the `n` (<= 64) low bits of `value`.
    #[inline]
    pub fn write(&mut self, value: u64, n: u32) {
        debug_assert!(n <= 64);
        if n == 0 {
            return;
        }
        let v = value & mask(n);
        self.acc |= v << self.nbits;
        let total = self.nbits + n;
        if total >= 64 {
            self.out.extend_from_slice(&self.acc.to_le_bytes());
            let used = 64 - self.nbits; // bits of `v` already in the flushed word, 1..=64
            self.acc = if used >= 64 { 0 } else { v >> used };
            self.nbits = total - 64;
        } else {
            self.nbits = total;
        }
    }

    /// Writes one bit.
    #[inline]
    pub fn bit(&mut self, b: bool) {
        self.write(b as u64, 1);
    }

    /// Flushes the pending bits (zero-padded to a byte) and returns the bytes written in all.
    pub fn finish(self) {
        let bytes = self.nbits.div_ceil(8) as usize;
        self.out.extend_from_slice(&self.acc.to_le_bytes()[..bytes]);
    }
}

/// Reads bits from a byte slice, checking every read against the end.
#[derive(Debug, Clone)]
pub struct BitReader<'a> {
    buf: &'a [u8],
    /// Position in bits.
    pos: usize,
    /// End in bits.
    limit: usize,
}

impl<'a> BitReader<'a> {
    /// A reader over all of `buf`.
    pub fn new(buf: &'a [u8]) -> BitReader<'a> {
        BitReader { buf, pos: 0, limit: buf.len() * 8 }
    }

    /// Reads `n` (<= 64) bits.
    ///
    /// Why fast: one unaligned 8-byte load and a shift give at least 57 valid bits; only reads
    /// straddling 9 bytes touch a second byte. Why correct: the end check runs first, so the
    /// ninth byte exists whenever it is touched, and bytes past the end read as zero.
    #[inline]
    pub fn read(&mut self, n: u32) -> Result<u64> {
        debug_assert!(n <= 64);
        if n == 0 {
            return Ok(0);
        }
        let end = self.pos + n as usize;
        if end > self.limit {
            return Err(Error::corrupt("bit stream truncated"));
        }
        let byte = self.pos >> 3;
        let shift = (self.pos & 7) as u32;
        let mut v = load_padded(self.buf, byte) >> shift;
        if shift + n > 64 {
            v |= (self.buf[byte + 8] as u64) << (64 - shift);
        }
        self.pos = end;
        Ok(v & mask(n))
    }

    /// Reads one bit.
    #[inline]
    pub fn bit(&mut self) -> Result<bool> {
        if self.pos >= self.limit {
            return Err(Error::corrupt("bit stream truncated"));
        }
        let b = (self.buf[self.pos >> 3] >> (self.pos & 7)) & 1;
        self.pos += 1;
        Ok(b == 1)
    }

    /// Counts consecutive one bits, at most `max`, consuming them and the terminating zero
    /// (if fewer than `max` ones were read).
    #[inline]
    pub fn ones(&mut self, max: u32) -> Result<u32> {
        let mut k = 0;
        while k < max && self.bit()? {
            k += 1;
        }
        Ok(k)
    }

    /// Bytes consumed so far (rounded up to whole bytes).
    pub fn bytes_consumed(&self) -> usize {
        self.pos.div_ceil(8)
    }
}

/// Appends `values[i] - base` (wrapping) as `w`-bit fields (LSB first), zero-padded to a
/// byte. Every `values[i] - base` must be below `2^w`.
pub fn pack(values: &[u64], base: u64, w: u32, out: &mut Vec<u8>) {
    if w == 0 || values.is_empty() {
        return;
    }
    if w == 64 {
        for v in values {
            out.extend_from_slice(&v.wrapping_sub(base).to_le_bytes());
        }
        return;
    }
    // Write into the final bytes directly (no capacity checks per word).
    let start = out.len();
    out.resize(start + packed_len(values.len(), w), 0);
    let dst = &mut out[start..];
    let mut acc = 0u64;
    let mut nbits = 0u32;
    let mut at = 0;
    for &v in values {
        let v = v.wrapping_sub(base);
        debug_assert!(v >> w == 0);
        acc |= v << nbits;
        nbits += w;
        if nbits >= 64 {
            // A full word: its 64 bits lie within the packed length.
            dst[at..at + 8].copy_from_slice(&acc.to_le_bytes());
            at += 8;
            nbits -= 64;
            // The bits of `v` that did not fit (`nbits` of them, shift in 1..=63), if any.
            acc = if nbits == 0 { 0 } else { v >> (w - nbits) };
        }
    }
    let bytes = nbits.div_ceil(8) as usize;
    dst[at..at + bytes].copy_from_slice(&acc.to_le_bytes()[..bytes]);
}

/// Bytes [`pack`] writes for `n` values of `w` bits.
#[inline]
pub fn packed_len(n: usize, w: u32) -> usize {
    (n * w as usize).div_ceil(8)
}

/// Fills `out` with `w`-bit fields read from the start of `src`.
///
/// `src` may extend beyond the packed bytes (the rest of the chunk): the fast loop then covers
/// every value. Why fast: value `i` sits at bit `i * w`; one unaligned 8-byte load at byte
/// `i * w / 8`, a shift by `i * w % 8` (< 8) and a mask yield it whenever `w <= 56`, with no
/// data-dependent branch. Why correct: the fast loop runs only while the 8-byte window lies
/// inside `src`; the remaining values go through the padded, checked path; the total length is
/// checked up front.
pub fn unpack(src: &[u8], w: u32, out: &mut [u64]) -> Result<()> {
    let n = out.len();
    if w == 0 {
        out.fill(0);
        return Ok(());
    }
    if w > 64 {
        return Err(Error::corrupt("bit width above 64"));
    }
    if packed_len(n, w) > src.len() {
        return Err(Error::corrupt("packed integers truncated"));
    }
    let w = w as usize;
    let mut i = 0;
    if w <= 56 {
        let m = mask(w as u32);
        // Values whose 8-byte window starts at a byte <= src.len() - 8.
        let fast = if src.len() >= 8 { ((src.len() - 8) * 8 / w + 1).min(n) } else { 0 };
        while i < fast {
            let bit = i * w;
            let byte = bit >> 3;
            let mut a = [0u8; 8];
            a.copy_from_slice(&src[byte..byte + 8]);
            out[i] = (u64::from_le_bytes(a) >> (bit & 7)) & m;
            i += 1;
        }
    }
    if i < n {
        let mut r = BitReader { buf: src, pos: i * w, limit: src.len() * 8 };
        for o in &mut out[i..] {
            *o = r.read(w as u32)?;
        }
    }
    Ok(())
}

/// Unpacks groups `0..groups` of 8 values of width `W` (known at compile time) into `f`, then,
/// when `part > 0`, one more group of which only the first `part` values are real
/// ([`Fields::part`]).
///
/// Why fast: 8 values of `W` bits are exactly `W` bytes, so within a group every value's byte
/// offset and shift are constants: one unaligned load, shift and mask per value, no index
/// arithmetic, one bounds check per group, and the values stay in registers for `f`. Why
/// correct: the caller passes only groups whose last load (`7 * W / 8 + 8` bytes from the group
/// start) lies inside `src`; the fields of a partial group beyond the data are never handed on
/// as values.
#[inline(never)]
fn unpack_groups<const W: usize>(src: &[u8], groups: usize, part: usize, f: &mut impl Fields) {
    let m = mask(W as u32);
    let lim = 7 * W / 8 + 8;
    let group = |g: usize| {
        let c = &src[g * W..g * W + lim];
        let mut r = [0u64; 8];
        if W <= 8 {
            // All 8 fields lie in the group's first 8 bytes: one load.
            let mut a = [0u8; 8];
            a.copy_from_slice(&c[..8]);
            let word = u64::from_le_bytes(a);
            for (k, x) in r.iter_mut().enumerate() {
                *x = (word >> (k * W)) & m;
            }
            return r;
        }
        for (k, x) in r.iter_mut().enumerate() {
            let bit = k * W;
            let mut a = [0u8; 8];
            a.copy_from_slice(&c[bit / 8..bit / 8 + 8]);
            *x = (u64::from_le_bytes(a) >> (bit % 8)) & m;
        }
        r
    };
    let mut g = 0;
    f.groups(0, groups, || {
        g += 1;
        group(g - 1)
    });
    if part > 0 {
        f.part(groups * 8, group(groups), part);
    }
}

/// Receives a sequence in order, whole groups of 8 in registers and the others one by one:
/// unpacked fields (see [`unpack_each`]), the integers rebuilt from them
/// (`rebuild::stream_small`), the decimal values scaled from those (`decimal::stream`).
pub trait Fields<T: Copy = u64> {
    /// Items `i..i + 8`.
    fn group(&mut self, i: usize, r: [T; 8]);
    /// `n` groups of 8 items from item `i` on, pulled from `next` in order. Why: an
    /// implementation can keep its running state (prefix sums, a bucket's sum) in locals across
    /// the whole loop instead of storing and reloading it per group.
    #[inline(always)]
    fn groups(&mut self, i: usize, n: usize, mut next: impl FnMut() -> [T; 8]) {
        for g in 0..n {
            let r = next();
            self.group(i + 8 * g, r);
        }
    }
    /// Items `i..i + k` (`k < 8`) are `r[..k]` (the rest of `r` is not data).
    #[inline(always)]
    fn part(&mut self, i: usize, r: [T; 8], k: usize) {
        for (j, &x) in r.iter().enumerate().take(k) {
            self.one(i + j, x);
        }
    }
    /// Item `i`.
    fn one(&mut self, i: usize, x: T);
}

/// Stores the items into a slice.
pub(super) struct Store<'a>(pub(super) &'a mut [u64]);

impl Fields for Store<'_> {
    #[inline(always)]
    fn group(&mut self, i: usize, r: [u64; 8]) {
        self.0[i..i + 8].copy_from_slice(&r);
    }
    #[inline(always)]
    fn one(&mut self, i: usize, x: u64) {
        self.0[i] = x;
    }
}

/// Unpacks the `n` fields of `w` bits at the start of `src` (which may extend beyond them)
/// and hands them over to `f` in order: whole groups of 8 to [`Fields::group`], the rest one by
/// one to [`Fields::one`]. Widths 1..=24 take the monomorphised `unpack_groups`; other
/// widths and the fields near the end of `src` go one by one (an 8-byte load while it fits,
/// then the checked reader).
#[inline(always)]
pub fn unpack_each(src: &[u8], w: u32, n: usize, f: &mut impl Fields) -> Result<()> {
    if w > 64 {
        return Err(Error::corrupt("bit width above 64"));
    }
    if packed_len(n, w) > src.len() {
        return Err(Error::corrupt("packed integers truncated"));
    }
    let wu = w as usize;
    let mut i = 0;
    if (1..=24).contains(&w) {
        // Whole groups whose last load stays inside `src` (group g loads up to byte
        // g * w + 7 * w / 8 + 8): all of them when `src` runs 8 bytes past the packed data,
        // the usual case inside a chunk.
        let mut groups = n / 8;
        while groups > 0 && (groups - 1) * wu + 7 * wu / 8 + 8 > src.len() {
            groups -= 1;
        }
        // The last values as one more group, when its loads stay inside `src`.
        let fits = |g: usize| g * wu + 7 * wu / 8 + 8 <= src.len();
        let part = if groups == n / 8 && n % 8 > 0 && fits(groups) { n % 8 } else { 0 };
        macro_rules! dispatch {
            ($($w:literal)*) => {
                match w {
                    $($w => unpack_groups::<$w>(src, groups, part, f),)*
                    _ => groups = 0,
                }
            };
        }
        dispatch!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24);
        i = if groups * 8 + part == n { n } else { groups * 8 };
    }
    if w == 0 {
        for j in i..n {
            f.one(j, 0);
        }
        return Ok(());
    }
    let m = mask(w);
    if w <= 56 {
        while i < n {
            let bit = i * wu;
            let byte = bit >> 3;
            let Some(s) = src.get(byte..byte + 8) else { break };
            let mut a = [0u8; 8];
            a.copy_from_slice(s);
            f.one(i, (u64::from_le_bytes(a) >> (bit & 7)) & m);
            i += 1;
        }
    }
    if i < n {
        let mut r = BitReader { buf: src, pos: i * wu, limit: src.len() * 8 };
        for j in i..n {
            f.one(j, r.read(w)?);
        }
    }
    Ok(())
}

/// [`unpack`] through [`unpack_each`]'s kernels.
pub fn unpack_fast(src: &[u8], w: u32, out: &mut [u64]) -> Result<()> {
    unpack_each(src, w, out.len(), &mut Store(out))
}

/// Reads the `w`-bit field number `i` from `src` (checked).
pub fn field(src: &[u8], w: u32, i: usize) -> Result<u64> {
    if w == 0 {
        return Ok(0);
    }
    let mut r = BitReader { buf: src, pos: i * w as usize, limit: src.len() * 8 };
    r.read(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_reader_round_trip() {
        let items: Vec<(u64, u32)> =
            (0..500u64).map(|i| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15), (i % 65) as u32)).collect();
        let mut out = Vec::new();
        let mut w = BitWriter::new(&mut out);
        for &(v, n) in &items {
            w.write(v, n);
        }
        w.finish();
        let mut r = BitReader::new(&out);
        for &(v, n) in &items {
            assert_eq!(r.read(n).unwrap(), v & mask(n));
        }
        // Past the end: error, not panic.
        let mut extra = r.clone();
        let _ = extra.read(64);
        assert!(BitReader::new(&[]).read(1).is_err());
        assert!(BitReader::new(&[]).bit().is_err());
    }

    #[test]
    fn pack_unpack_every_width() {
        for w in 0..=64u32 {
            for n in [0usize, 1, 7, 8, 63, 128, 256] {
                let vals: Vec<u64> = (0..n as u64)
                    .map(|i| i.wrapping_mul(0xD1B5_4A32_D192_ED03) & mask(w))
                    .collect();
                let mut buf = Vec::new();
                pack(&vals, 0, w, &mut buf);
                assert_eq!(buf.len(), packed_len(n, w));
                let mut got = vec![0; n];
                unpack(&buf, w, &mut got).unwrap();
                assert_eq!(got, vals, "w={w} n={n}");
                let mut padded = buf.clone();
                padded.extend_from_slice(&[0xFF; 11]);
                for src in [&buf, &padded] {
                    let mut fast = vec![0; n];
                    unpack_fast(src, w, &mut fast).unwrap();
                    assert_eq!(fast, vals, "fast w={w} n={n}");
                }
                for (i, &v) in vals.iter().enumerate() {
                    assert_eq!(field(&buf, w, i).unwrap(), v);
                }
                if !buf.is_empty() {
                    assert!(unpack(&buf[..buf.len() - 1], w, &mut got).is_err());
                }
            }
        }
    }
}
