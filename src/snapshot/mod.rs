//! Snapshots: the whole database as bytes, and back.
//!
//! | offset | size | field                                                          |
//! |--------|------|----------------------------------------------------------------|
//! | 0      | 8    | magic `TSDBSNAP`                                               |
//! | 8      | 2    | format version, u16 LE (this code writes and reads 1)          |
//! | 10     | 2    | flags, u16 LE (0)                                              |
//! | 12     | 4    | series count, u32 LE                                           |
//! | 16     | 8    | payload length, u64 LE                                         |
//! | 24     | n    | payload: the series, in id order (below)                       |
//! | 24+n   | 4    | CRC-32 (IEEE) of bytes 0 .. 24+n, u32 LE                       |
//!
//! Each series: key (varint length + UTF-8), retention (varint), chunk size (varint), encoding
//! (u8: 0 compressed, 1 uncompressed), duplicate policy (u8: 0 unset, 1..=6 block first last min
//! max sum), IGNORE maxTimeDiff (varint) and maxValDiff (f64 bits, u64 LE), labels (varint count,
//! then name and value strings), expired-before timestamp (varint), chunks (varint count, then
//! each as `Chunk::write_to` writes it: the encoded blocks as stored, no re-encoding), source
//! (varint: 0 none, else index + 1), rules (varint count, then each as
//! `compaction::Rule::write_to` writes it).
//!
//! Restore trusts nothing: wrong magic, unknown version, a length or checksum mismatch, and any
//! malformed field give an `Error::corrupt` naming what is wrong, and no engine is built.

mod crc32;

use crate::chunk::varint::{self, Cursor};
use crate::chunk::{Chunk, Encoding};
use crate::compaction::Rule;
use crate::engine::{Engine, Entry};
use crate::error::{Error, Result};
use crate::series::{validate_chunk_size, validate_labels, DuplicatePolicy, Series, SeriesOptions};

pub use crc32::crc32;

/// The first 8 bytes of every snapshot.
pub const MAGIC: &[u8; 8] = b"TSDBSNAP";
/// The format version written.
pub const VERSION: u16 = 1;
const HEADER: usize = 24;

fn put_str(out: &mut Vec<u8>, s: &str) {
    varint::put(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn get_str(cur: &mut Cursor<'_>, what: &str) -> Result<String> {
    let n = cur.varint_max(cur.remaining() as u64, what)? as usize;
    let b = cur.bytes(n)?;
    String::from_utf8(b.to_vec()).map_err(|_| Error::corrupt(format!("{what} is not UTF-8")))
}

/// Serialises every series (options, labels, chunks as encoded, compaction rules and state).
pub fn write(engine: &Engine) -> Vec<u8> {
    let entries = engine.entries_in_order();
    let index_of = |id| entries.iter().position(|(i, _)| *i == id);
    let mut out = Vec::with_capacity(HEADER + 64 + engine.mem_bytes() / 2);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes()); // payload length, patched below
    for (_, e) in &entries {
        let o = e.series.options();
        put_str(&mut out, &e.key);
        varint::put(&mut out, o.retention_ms);
        varint::put(&mut out, o.chunk_size as u64);
        out.push(match o.encoding {
            Encoding::Compressed => 0,
            Encoding::Uncompressed => 1,
        });
        out.push(o.duplicate_policy.map_or(0, |p| DuplicatePolicy::ALL.iter().position(|&q| q == p).unwrap_or(0) as u8 + 1));
        varint::put(&mut out, o.ignore_max_time_diff);
        out.extend_from_slice(&o.ignore_max_val_diff.to_bits().to_le_bytes());
        varint::put(&mut out, o.labels.len() as u64);
        for (k, v) in &o.labels {
            put_str(&mut out, k);
            put_str(&mut out, v);
        }
        varint::put(&mut out, e.series.dead_before.max(0) as u64);
        varint::put(&mut out, e.series.chunks().len() as u64);
        for c in e.series.chunks() {
            c.write_to(&mut out);
        }
        varint::put(&mut out, e.source.and_then(index_of).map_or(0, |i| i as u64 + 1));
        varint::put(&mut out, e.rules.len() as u64);
        for r in &e.rules {
            varint::put(&mut out, index_of(r.dest).map_or(0, |i| i as u64));
            r.write_to(&mut out);
        }
    }
    let payload = (out.len() - HEADER) as u64;
    out[16..24].copy_from_slice(&payload.to_le_bytes());
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Rebuilds an engine from [`write`]'s bytes, validating everything.
/// An entry's links as read: its source's entry index, and its rules with destination indexes.
type Links = (Option<usize>, Vec<(usize, Rule)>);

pub fn read(bytes: &[u8]) -> Result<Engine> {
    if bytes.len() < 8 || &bytes[..8] != MAGIC {
        return Err(Error::corrupt("not a tsdb-wasm snapshot (bad magic)"));
    }
    if bytes.len() < HEADER + 4 {
        return Err(Error::corrupt("snapshot truncated (header)"));
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version != VERSION {
        return Err(Error::corrupt(format!("unsupported snapshot format version {version} (this build reads {VERSION})")));
    }
    let payload = u64::from_le_bytes(bytes[16..24].try_into().unwrap_or_default());
    let expected = (HEADER as u64).checked_add(payload).and_then(|n| n.checked_add(4));
    if expected != Some(bytes.len() as u64) {
        return Err(Error::corrupt(format!(
            "snapshot length {} does not match its header (expected {})",
            bytes.len(),
            expected.map_or_else(|| "overflow".into(), |n| n.to_string())
        )));
    }
    let body = &bytes[..bytes.len() - 4];
    let stored = u32::from_le_bytes(bytes[bytes.len() - 4..].try_into().unwrap_or_default());
    if crc32(body) != stored {
        return Err(Error::corrupt("snapshot checksum mismatch"));
    }
    let flags = u16::from_le_bytes([bytes[10], bytes[11]]);
    if flags != 0 {
        return Err(Error::corrupt(format!("unknown snapshot flags {flags:#x}")));
    }
    let count = u32::from_le_bytes(bytes[12..16].try_into().unwrap_or_default()) as usize;
    let mut cur = Cursor::new(body, HEADER);
    let mut entries: Vec<Entry> = Vec::with_capacity(count.min(body.len()));
    // Per entry: its source's index, and its rules with their destinations' indexes.
    let mut links: Vec<Links> = Vec::new();
    for _ in 0..count {
        let key = get_str(&mut cur, "key")?;
        let retention_ms = cur.varint()?;
        let chunk_size = validate_chunk_size(cur.varint()?).map_err(|_| Error::corrupt("chunk size out of range"))?;
        let encoding = match cur.u8()? {
            0 => Encoding::Compressed,
            1 => Encoding::Uncompressed,
            e => return Err(Error::corrupt(format!("unknown encoding {e}"))),
        };
        let duplicate_policy = match cur.u8()? {
            0 => None,
            p @ 1..=6 => Some(DuplicatePolicy::ALL[p as usize - 1]),
            p => return Err(Error::corrupt(format!("unknown duplicate policy {p}"))),
        };
        let ignore_max_time_diff = cur.varint()?;
        let ignore_max_val_diff = f64::from_bits(cur.u64_le()?);
        if ignore_max_val_diff.is_nan() || ignore_max_val_diff < 0.0 {
            return Err(Error::corrupt("IGNORE maxValDiff out of range"));
        }
        let n_labels = cur.varint_max(cur.remaining() as u64, "label count")? as usize;
        let mut labels = Vec::with_capacity(n_labels);
        for _ in 0..n_labels {
            labels.push((get_str(&mut cur, "label name")?, get_str(&mut cur, "label value")?));
        }
        validate_labels(&labels).map_err(|_| Error::corrupt("invalid label"))?;
        let dead_before = cur.varint_max(i64::MAX as u64, "retention cut-off")? as i64;
        let n_chunks = cur.varint_max(cur.remaining() as u64, "chunk count")? as usize;
        let mut chunks = Vec::with_capacity(n_chunks);
        for _ in 0..n_chunks {
            let mut pos = cur.pos();
            chunks.push(Chunk::read_from(body, &mut pos)?);
            cur = Cursor::new(body, pos);
        }
        let opts = SeriesOptions {
            retention_ms,
            chunk_size,
            encoding,
            duplicate_policy,
            ignore_max_time_diff,
            ignore_max_val_diff,
            labels,
        };
        let series = Series::from_parts(opts, chunks, dead_before)?;
        let source = match cur.varint_max(count as u64, "rule source")? {
            0 => None,
            i => Some(i as usize - 1),
        };
        let n_rules = cur.varint_max(count as u64, "rule count")? as usize;
        let mut rules = Vec::with_capacity(n_rules);
        for _ in 0..n_rules {
            let dest = cur.varint_max(count.saturating_sub(1) as u64, "rule destination")? as usize;
            let mut pos = cur.pos();
            let rule = Rule::read_from(body, &mut pos)?;
            cur = Cursor::new(body, pos);
            rules.push((dest, rule));
        }
        links.push((source, rules));
        entries.push(Entry { key, series, source: None, rules: Vec::new() });
    }
    if cur.remaining() != 0 {
        return Err(Error::corrupt("trailing bytes after the last series"));
    }
    // Rule links must agree on both sides, and a destination is never a source (no chaining).
    for (i, (source, rules)) in links.iter().enumerate() {
        if let Some(s) = *source {
            if s == i || !links[s].1.iter().any(|(d, _)| *d == i) || !links[i].1.is_empty() {
                return Err(Error::corrupt("inconsistent compaction rule links"));
            }
        }
        for (d, _) in rules {
            if *d == i || links[*d].0 != Some(i) || source.is_some() {
                return Err(Error::corrupt("inconsistent compaction rule links"));
            }
        }
    }
    for (i, (source, rules)) in links.into_iter().enumerate() {
        entries[i].source = source.map(|s| s as u32);
        entries[i].rules = rules
            .into_iter()
            .map(|(d, mut r)| {
                r.dest = d as u32;
                r
            })
            .collect();
    }
    Engine::from_entries(entries)
}
