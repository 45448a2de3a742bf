//! Byte-level helpers: LEB128 varints, zigzag, and a checked byte cursor.
//!
//! | item         | bytes | layout                                                        |
//! |--------------|-------|---------------------------------------------------------------|
//! | varint (u64) | 1-10  | 7 bits per byte, lowest group first; bit 7 set = more follow  |
//! | zigzag (i64) | 1-10  | `(v << 1) ^ (v >> 63)` as a varint: small magnitudes stay short |
//! | u64 LE       | 8     | little-endian                                                 |
//!
//! The cursor never trusts its input: reading past the end, an 11th varint byte, or a 10th
//! byte above 1 (a value beyond 64 bits) is `Error::corrupt`, never a panic.

use crate::error::{Error, Result};

/// Appends `v` as a varint.
#[inline]
pub fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Bytes [`put`] writes for `v`.
#[inline]
pub fn len(v: u64) -> usize {
    let bits = 64 - (v | 1).leading_zeros();
    bits.div_ceil(7) as usize
}

/// Maps signed to unsigned so that small magnitudes give small numbers.
#[inline]
pub fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Inverse of [`zigzag`].
#[inline]
pub fn unzigzag(u: u64) -> i64 {
    ((u >> 1) as i64) ^ -((u & 1) as i64)
}

/// A read position in a byte slice; every read is bounds-checked.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at `pos` of `buf`.
    pub fn new(buf: &'a [u8], pos: usize) -> Cursor<'a> {
        Cursor { buf, pos }
    }

    /// The current position.
    #[inline]
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The whole underlying slice.
    #[inline]
    pub fn buf(&self) -> &'a [u8] {
        self.buf
    }

    /// Bytes left after the position.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// The bytes from the position to the end (without consuming them).
    #[inline]
    pub fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or(&[])
    }

    /// Reads one byte.
    #[inline(always)]
    pub fn u8(&mut self) -> Result<u8> {
        let b = *self.buf.get(self.pos).ok_or_else(|| Error::corrupt("truncated chunk data"))?;
        self.pos += 1;
        Ok(b)
    }

    /// Reads a varint.
    ///
    /// Why split: the one-byte case is inlined into the header parsers (several varints per
    /// block); the loop (first values, frame bases) is out of line, so that the callers stay
    /// small enough to inline.
    #[inline(always)]
    pub fn varint(&mut self) -> Result<u64> {
        // Fast path: one byte.
        if let Some(&b) = self.buf.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(b as u64);
            }
        }
        self.varint_long()
    }

    /// [`Cursor::varint`] for a value that usually takes two or three bytes (a decimal block's
    /// first integer, such as 21.37 as 2137): those cases inline too. Why: in wasm the out-of-line
    /// loop returns its `Result` through memory, once per block of a scan.
    #[inline(always)]
    pub fn varint3(&mut self) -> Result<u64> {
        if let Some(&[b0, b1, b2]) = self.buf.get(self.pos..self.pos + 3) {
            let (x0, x1, x2) = ((b0 & 0x7f) as u64, (b1 & 0x7f) as u64, b2 as u64);
            if b0 < 0x80 {
                self.pos += 1;
                return Ok(x0);
            }
            if b1 < 0x80 {
                self.pos += 2;
                return Ok(x0 | x1 << 7);
            }
            if b2 < 0x80 {
                self.pos += 3;
                return Ok(x0 | x1 << 7 | x2 << 14);
            }
        }
        self.varint_long()
    }

    #[inline(never)]
    fn varint_long(&mut self) -> Result<u64> {
        let b = self.u8()?;
        if b < 0x80 {
            return Ok(b as u64);
        }
        let mut v = (b & 0x7f) as u64;
        let mut shift = 7;
        loop {
            let b = self.u8()?;
            if shift == 63 && b > 1 {
                return Err(Error::corrupt("varint overflows 64 bits"));
            }
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return Err(Error::corrupt("varint longer than 10 bytes"));
            }
        }
    }

    /// Reads a zigzag varint.
    #[inline(always)]
    pub fn zigzag(&mut self) -> Result<i64> {
        Ok(unzigzag(self.varint()?))
    }

    /// Reads a varint that must be at most `max`.
    #[inline]
    pub fn varint_max(&mut self, max: u64, what: &str) -> Result<u64> {
        let v = self.varint()?;
        if v > max {
            return Err(Error::corrupt(format!("{what} out of range")));
        }
        Ok(v)
    }

    /// Reads 8 bytes, little-endian.
    #[inline]
    pub fn u64_le(&mut self) -> Result<u64> {
        let b = self.bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// Takes the next `n` bytes.
    #[inline]
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| Error::corrupt("truncated chunk data"))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// Skips `n` bytes.
    #[inline]
    pub fn skip(&mut self, n: usize) -> Result<()> {
        self.bytes(n).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_round_trip_and_len() {
        for v in [0, 1, 127, 128, 300, 1 << 35, u64::MAX - 1, u64::MAX] {
            let mut out = Vec::new();
            put(&mut out, v);
            assert_eq!(out.len(), len(v));
            let mut c = Cursor::new(&out, 0);
            assert_eq!(c.varint().unwrap(), v);
            assert_eq!(c.remaining(), 0);
            for cut in 0..out.len() {
                assert!(Cursor::new(&out[..cut], 0).varint().is_err());
            }
        }
    }

    /// `varint3` reads what `varint` reads, to the same position, with bytes after the varint
    /// or without (its fast path needs three bytes), and fails where it fails.
    #[test]
    fn varint3_equals_varint() {
        let values = (0..64).flat_map(|b| [(1u64 << b) - 1, 1u64 << b, (1u64 << b) + 1]).chain([u64::MAX, 300, 20_000]);
        for v in values {
            let mut out = Vec::new();
            put(&mut out, v);
            for tail in [&[][..], &[0x05], &[0x85, 0x85, 0x01]] {
                let mut buf = out.clone();
                buf.extend_from_slice(tail);
                for cut in 0..=buf.len() {
                    let (mut a, mut b) = (Cursor::new(&buf[..cut], 0), Cursor::new(&buf[..cut], 0));
                    let (x, y) = (a.varint(), b.varint3());
                    assert_eq!(x.is_ok(), y.is_ok(), "{v} cut {cut}");
                    if let (Ok(x), Ok(y)) = (x, y) {
                        assert_eq!((x, a.pos()), (y, b.pos()), "{v} cut {cut}");
                    }
                }
            }
        }
        let mut bad = vec![0xff; 9];
        bad.push(0x02);
        assert!(Cursor::new(&bad, 0).varint3().is_err());
    }

    #[test]
    fn varint_rejects_overflow() {
        let mut bad = vec![0xff; 9];
        bad.push(0x02);
        assert!(Cursor::new(&bad, 0).varint().is_err());
        let long = vec![0x80; 11];
        assert!(Cursor::new(&long, 0).varint().is_err());
    }

    #[test]
    fn zigzag_round_trip() {
        for v in [0, 1, -1, 63, -64, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
    }
}
