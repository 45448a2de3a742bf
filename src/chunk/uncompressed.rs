//! Uncompressed chunks (ENCODING UNCOMPRESSED): 16 bytes per sample, `budget / 16` samples.
//!
//! | offset     | size | field                      |
//! |------------|------|----------------------------|
//! | 16 i       | 8    | timestamp i, i64 LE        |
//! | 16 i + 8   | 8    | value i, its f64 bits, LE  |
//!
//! Values are stored as their bits, so every f64 (NaN payloads included) round-trips.

use crate::error::{Error, Result};

/// Bytes per sample.
pub const SAMPLE_BYTES: usize = 16;

/// Samples an uncompressed chunk of `budget` bytes holds (at least one).
pub fn capacity(budget: usize) -> usize {
    (budget / SAMPLE_BYTES).max(1)
}

/// Samples in `data`.
#[inline]
pub fn len(data: &[u8]) -> usize {
    data.len() / SAMPLE_BYTES
}

#[inline]
fn word(data: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&data[at..at + 8]);
    u64::from_le_bytes(a)
}

/// Timestamp of sample `i` (`i < len(data)`).
#[inline]
pub fn ts_at(data: &[u8], i: usize) -> i64 {
    word(data, i * SAMPLE_BYTES) as i64
}

/// Value of sample `i` (`i < len(data)`).
#[inline]
pub fn val_at(data: &[u8], i: usize) -> f64 {
    f64::from_bits(word(data, i * SAMPLE_BYTES + 8))
}

/// Appends a sample.
#[inline]
pub fn push(data: &mut Vec<u8>, ts: i64, v: f64) {
    data.extend_from_slice(&ts.to_le_bytes());
    data.extend_from_slice(&v.to_bits().to_le_bytes());
}

/// Decodes samples `from..to` into the output slices (`to - from` long each).
pub fn decode(data: &[u8], from: usize, ts: &mut [i64], vals: &mut [f64]) {
    let src = &data[from * SAMPLE_BYTES..(from + ts.len()) * SAMPLE_BYTES];
    for ((s, t), v) in src.chunks_exact(SAMPLE_BYTES).zip(ts.iter_mut()).zip(vals.iter_mut()) {
        *t = word(s, 0) as i64;
        *v = f64::from_bits(word(s, 8));
    }
}

/// Index of the first sample with timestamp >= `t`.
pub fn lower_bound(data: &[u8], t: i64) -> usize {
    let (mut lo, mut hi) = (0, len(data));
    while lo < hi {
        let mid = (lo + hi) / 2;
        if ts_at(data, mid) < t {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Checks the layout: whole samples, timestamps strictly increasing.
pub fn validate(data: &[u8]) -> Result<()> {
    if data.len() % SAMPLE_BYTES != 0 {
        return Err(Error::corrupt("uncompressed chunk length"));
    }
    for i in 0..len(data) {
        let t = ts_at(data, i);
        if i > 0 && t <= ts_at(data, i - 1) {
            return Err(Error::corrupt("chunk timestamps out of order"));
        }
    }
    Ok(())
}
