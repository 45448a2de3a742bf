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
