//! Binary encoding (`?format=binary`): one message per WebSocket binary frame,
//! little-endian, laid out so a browser decodes it with one `DataView` and typed-array
//! views, without copying the columns.
//!
//! Every frame starts with the same 8-byte header:
//!
//! | offset | size | field                                                   |
//! |-------:|-----:|---------------------------------------------------------|
//! | 0      | 1    | protocol version (1)                                    |
//! | 1      | 1    | message type: 1 hello, 2 series, 3 samples, 4 status    |
//! | 2      | 1    | flags (samples), reason (status), else 0                |
//! | 3      | 1    | reserved, 0                                             |
//! | 4      | 4    | u32: JSON length (hello), count (series, samples), else 0 |
//!
//! **samples** (type 3), `n` samples, columns after the header, each aligned to its
//! element size so `new Float64Array(buf, 16, n)` works on the frame's ArrayBuffer:
//!
//! | offset        | size       | field                                                |
//! |--------------:|-----------:|------------------------------------------------------|
//! | 8             | 8          | f64 base timestamp (ms since epoch, integral)        |
//! | 16            | 8n         | f64 values                                           |
//! | 16+8n         | 4n or 8n   | timestamps: u32 offsets from base (flag bit 1 clear) or f64 absolute ms (bit 1 set) |
//! | after         | 2n or 4n   | series ids: u16 (flag bit 0 set) or u32              |
//!
//! The encoder picks u16 ids when every id in the frame is < 65536 and u32 offsets when
//! the frame spans less than 2^32 ms (49 days), so a typical sample costs 14 bytes.
//!
//! **series** (type 2), `count` entries, each: u32 id, u16 key length, key (UTF-8),
//! u16 label count, then per label u16 name length, name, u16 value length, value.
//!
//! **hello** (type 1): the header's u32 is the byte length of a UTF-8 JSON object that
//! follows at offset 8 — the same object as the JSON format's hello.
//!
//! **status** (type 4): byte 2 is the reason (0 periodic, 1 drops, 2 live); then eight
//! f64 at offset 8: now, dropped samples, sent samples, queued samples, queue capacity,
//! series count, buffer oldest ts, buffer newest ts (NaN when the buffer is empty).
//! 72 bytes in all.

use std::sync::Arc;

use super::{json, Hello, Status, PROTOCOL_VERSION};
use crate::batch::{Batch, SeriesInfo};

pub const TYPE_HELLO: u8 = 1;
pub const TYPE_SERIES: u8 = 2;
pub const TYPE_SAMPLES: u8 = 3;
pub const TYPE_STATUS: u8 = 4;

/// Samples flag: ids are u16.
pub const FLAG_IDS_U16: u8 = 1;
/// Samples flag: timestamps are absolute f64 (else u32 offsets from the base).
pub const FLAG_TS_F64: u8 = 2;

pub const SAMPLES_HEADER_LEN: usize = 16;
pub const STATUS_LEN: usize = 72;

fn header(out: &mut Vec<u8>, kind: u8, flags: u8, count: u32) {
    out.push(PROTOCOL_VERSION);
    out.push(kind);
    out.push(flags);
    out.push(0);
    out.extend_from_slice(&count.to_le_bytes());
}

pub fn hello(h: &Hello) -> Vec<u8> {
    let body = json::hello(h);
    let mut out = Vec::with_capacity(8 + body.len());
    header(&mut out, TYPE_HELLO, 0, body.len() as u32);
    out.extend_from_slice(body.as_bytes());
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    // The hub refuses keys and labels longer than u16::MAX bytes at registration.
    out.extend_from_slice(&(s.len() as u16).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

pub fn series(list: &[Arc<SeriesInfo>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + list.len() * 96);
    header(&mut out, TYPE_SERIES, 0, list.len() as u32);
    for s in list {
        out.extend_from_slice(&s.id.to_le_bytes());
        put_str(&mut out, &s.key);
        out.extend_from_slice(&(s.labels.len() as u16).to_le_bytes());
        for (name, value) in &s.labels {
            put_str(&mut out, name);
            put_str(&mut out, value);
        }
    }
    out
}

/// Encode the samples of several batches, in order, as one frame.
pub fn samples(batches: &[Arc<Batch>]) -> Vec<u8> {
    let n: usize = batches.iter().map(|b| b.len()).sum();
    let mut max_id = 0u32;
    let mut lo = i64::MAX;
    let mut hi = i64::MIN;
    for b in batches {
        max_id = b.ids.iter().fold(max_id, |m, &id| m.max(id));
        if let Some((l, h)) = b.ts_range() {
            lo = lo.min(l);
            hi = hi.max(h);
        }
    }
    if n == 0 {
        lo = 0;
        hi = 0;
    }
    let small_ids = max_id <= u16::MAX as u32;
    let offsets = (hi as i128 - lo as i128) <= u32::MAX as i128;
    let flags = if small_ids { FLAG_IDS_U16 } else { 0 } | if offsets { 0 } else { FLAG_TS_F64 };
    let size =
        SAMPLES_HEADER_LEN + n * (8 + if offsets { 4 } else { 8 } + if small_ids { 2 } else { 4 });
    let mut out = Vec::with_capacity(size);
    header(&mut out, TYPE_SAMPLES, flags, n as u32);
    let base = if offsets { lo } else { 0 };
    out.extend_from_slice(&(base as f64).to_le_bytes());
    for b in batches {
        for v in &b.values {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    for b in batches {
        for &t in &b.ts {
            if offsets {
                out.extend_from_slice(&((t - base) as u32).to_le_bytes());
            } else {
                out.extend_from_slice(&(t as f64).to_le_bytes());
            }
        }
    }
    for b in batches {
        for &id in &b.ids {
            if small_ids {
                out.extend_from_slice(&(id as u16).to_le_bytes());
            } else {
                out.extend_from_slice(&id.to_le_bytes());
            }
        }
    }
    debug_assert_eq!(out.len(), size);
    out
}

fn opt(ts: Option<i64>) -> f64 {
    ts.map_or(f64::NAN, |t| t as f64)
}

pub fn status(s: &Status) -> Vec<u8> {
    let mut out = Vec::with_capacity(STATUS_LEN);
    header(&mut out, TYPE_STATUS, s.reason as u8, 0);
    for v in [
        s.now as f64,
        s.dropped_samples as f64,
        s.sent_samples as f64,
        s.queued_samples as f64,
        s.queue_capacity as f64,
        s.series as f64,
        opt(s.buffer_oldest),
        opt(s.buffer_newest),
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f64_at(b: &[u8], off: usize) -> f64 {
        f64::from_le_bytes(b[off..off + 8].try_into().unwrap())
    }

    #[test]
    fn samples_layout_small_ids_and_offsets() {
        let mut b = Batch::default();
        b.push(3, 1_700_000_000_010, 1.5);
        b.push(7, 1_700_000_000_000, -2.0);
        let f = samples(&[Arc::new(b)]);
        assert_eq!(&f[..8], &[1, TYPE_SAMPLES, FLAG_IDS_U16, 0, 2, 0, 0, 0]);
        assert_eq!(f64_at(&f, 8), 1_700_000_000_000.0);
        assert_eq!((f64_at(&f, 16), f64_at(&f, 24)), (1.5, -2.0));
        assert_eq!(&f[32..40], &[10, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&f[40..44], &[3, 0, 7, 0]);
        assert_eq!(f.len(), 44);
    }

    #[test]
    fn samples_wide_ids_and_long_spans_switch_layout() {
        let mut b = Batch::default();
        b.push(70_000, 0, 1.0);
        b.push(1, 1i64 << 40, 2.0);
        let f = samples(&[Arc::new(b)]);
        assert_eq!(f[2], FLAG_TS_F64);
        assert_eq!(f64_at(&f, 8), 0.0);
        assert_eq!(f64_at(&f, 40), (1i64 << 40) as f64);
        assert_eq!(&f[48..56], &[0x70, 0x11, 1, 0, 1, 0, 0, 0]);
        assert_eq!(f.len(), 16 + 2 * 20);
    }

    #[test]
    fn empty_samples_frame_is_just_the_header() {
        assert_eq!(samples(&[]).len(), SAMPLES_HEADER_LEN);
    }

    #[test]
    fn series_layout() {
        let s = SeriesInfo {
            id: 5,
            key: "cpu:h".into(),
            labels: vec![("host".into(), "h".into())],
        };
        let f = series(&[Arc::new(s)]);
        let mut want = vec![1, TYPE_SERIES, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 5, 0];
        want.extend_from_slice(b"cpu:h");
        want.extend_from_slice(&[1, 0, 4, 0]);
        want.extend_from_slice(b"host");
        want.extend_from_slice(&[1, 0, b'h']);
        assert_eq!(f, want);
    }
}
