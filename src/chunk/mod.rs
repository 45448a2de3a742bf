//! Chunks: runs of samples in time order, stored within a byte budget.
//!
//! A compressed chunk (the default) is a byte string of independently decodable **blocks**
//! (`block.rs`) of up to [`BLOCK_LEN`] samples, followed in memory by a small raw **tail**
//! (`tail.rs`) that takes appends in O(1). When the tail reaches `BLOCK_LEN` samples it is
//! sealed into a block; if the block does not fit the byte budget, the longest prefix that fits
//! is sealed, the chunk is full, and the rest overflows to the caller (the new sample last).
//!
//! | file             | idea                                                                 |
//! |------------------|----------------------------------------------------------------------|
//! | `block.rs`       | block header (count, codecs, start / end without decoding) and the per-block codec choice |
//! | `timestamps.rs`  | common step (GCD), constant-step fast path, delta / delta-of-delta of step multiples |
//! | `decimal.rs`     | values as integers scaled by 10^e plus exact ulp corrections (ALP-like) |
//! | `intseq.rs`      | integer back end: delta order 0/1/2, frame of reference, bit packing, patches |
//! | `rebuild.rs`     | reading integer sequences: into an array, or streamed 8 values at a time |
//! | `gorilla.rs`     | Gorilla / RedisTimeSeries delta-of-delta + XOR: the fallback value codec |
//! | `uncompressed.rs`| ENCODING UNCOMPRESSED: 16 bytes per sample                             |
//! | `tail.rs`        | the raw tail (values only while timestamps are regular)              |
//! | `iter.rs`        | block-level access for queries                                       |
//! | `index.rs`       | the in-memory block index: per group of blocks, what folding needs (not in snapshots) |
//! | `summary.rs`     | the per-chunk summary                                                |
//! | `bits.rs`, `varint.rs` | checked bit / byte I/O                                         |
//!
//! Why blocks: a block is the unit of codec choice (a series that turns from decimal to noisy
//! switches codec at the next block, not the next chunk), of skipping (a range query reads the
//! headers and decodes only the blocks it overlaps) and of decoding (tight loops over at most
//! `BLOCK_LEN` values into the caller's buffers). 128 samples keep the per-block header (5-8
//! bytes for a regular decimal series) near 0.05 bytes per sample while bounding the raw tail.
//!
//! Queries use [`Chunk::blocks`]: each [`Block`] gives its first / last timestamp and count from
//! the header alone and decodes on demand (timestamps and values separately if wanted) into
//! buffers of [`MAX_BLOCK_LEN`]; the tail appears as a last block. [`Chunk::summary`] covers the
//! whole chunk (tail included) and is exact: it is the in-order fold of every sample pushed.
//! [`Chunk::groups`] walks the sealed blocks in groups of [`index::GROUP`] with what the block
//! index keeps of them (counts, sum, extremes and their positions, last timestamp), so that a
//! query folds whole groups as it folds whole chunks, and decodes only the groups that straddle
//! a bucket or pixel boundary. The index is built as blocks are sealed (the values are in hand)
//! and rebuilt by [`Chunk::read_from`]; it costs about 0.1 byte per sample ([`Chunk::mem_bytes`]
//! counts it).
//!
//! An uncompressed chunk (`uncompressed.rs`) is 16 bytes per sample, `budget / 16` samples;
//! its blocks are runs of `BLOCK_LEN` samples.
//!
//! The budget bounds [`Chunk::data_bytes`], the encoded bytes (RedisTimeSeries' CHUNK_SIZE);
//! [`Chunk::mem_bytes`] is every byte the chunk holds: the struct, the encoded bytes' allocation
//! (grown exactly), the tail and the block index.
//!
//! Timestamps may be any i64 (the engine restricts them to `[0, 2^63)`); every f64 round-trips
//! bit for bit, NaN payloads included.
//!
//! Snapshot layout ([`Chunk::write_to`]):
//!
//! | field       | size     | meaning                                               |
//! |-------------|----------|-------------------------------------------------------|
//! | encoding    | u8       | 0 compressed, 1 uncompressed                          |
//! | flags       | u8       | bit 0: full (takes no more samples); others 0         |
//! | budget      | varint   | byte budget                                           |
//! | compressed: |          |                                                       |
//! | data length | varint   | <= budget                                             |
//! | data        | blocks   | the sealed blocks                                     |
//! | tail count  | varint   | 0..BLOCK_LEN-1                                        |
//! | tail block  | a block  | the tail, encoded as one more block (when count > 0)  |
//! | uncompressed: |        |                                                       |
//! | count       | varint   | <= budget / 16                                        |
//! | samples     | 16 × count | see `uncompressed.rs`                               |
//!
//! [`Chunk::read_from`] decodes and checks everything (structure, ranges, timestamp order,
//! budget, lengths) and recomputes the summary and the block index from the samples; damaged
//! bytes give `Error::corrupt`, never a panic.

pub mod bits;
pub mod block;
pub mod decimal;
pub mod gorilla;
mod groups;
pub mod index;
pub mod intseq;
mod iter;
mod rebuild;
mod summary;
mod tail;
pub mod timestamps;
pub mod uncompressed;
pub mod varint;

pub use groups::{Group, GroupBlocks, GroupFacts, Groups, Span};
pub use iter::{Block, Blocks};
pub use summary::Summary;

use crate::error::{Error, Result};
use index::BlockIndex;
use std::cell::RefCell;
use tail::Tail;

thread_local! {
    /// Where blocks are encoded before they are appended (reused: no allocation per block).
    static BLOCK_BUF: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(BLOCK_LEN * 10 + 64));
}
use varint::Cursor;

/// Samples per sealed block of a compressed chunk.
pub const BLOCK_LEN: usize = 128;
/// Most samples any [`Block`] holds (sealed, tail or uncompressed run): decode buffers of this
/// length always suffice.
pub const MAX_BLOCK_LEN: usize = BLOCK_LEN;

/// RedisTimeSeries' default chunk size in bytes.
pub const DEFAULT_CHUNK_SIZE: usize = 4096;
/// Smallest accepted CHUNK_SIZE.
pub const MIN_CHUNK_SIZE: usize = 48;
/// Largest accepted CHUNK_SIZE.
pub const MAX_CHUNK_SIZE: usize = 1_048_576;

/// How a series stores its chunks (TS.CREATE ... ENCODING).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// The best codec per block (the default).
    #[default]
    Compressed,
    /// 16 bytes per sample.
    Uncompressed,
}

impl Encoding {
    /// The name TS.INFO reports as `chunkType`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Compressed => "compressed",
            Encoding::Uncompressed => "uncompressed",
        }
    }
}

/// Samples that did not fit into a full chunk (the new sample last); the caller starts a
/// new chunk with them.
#[derive(Debug, Default)]
pub struct Overflow {
    /// Timestamps, in time order.
    pub ts: Vec<i64>,
    /// Values, parallel to `ts`.
    pub vals: Vec<f64>,
}

/// A run of samples in time order within a byte budget, with its [`Summary`].
#[derive(Debug, Clone)]
pub struct Chunk {
    /// Sealed blocks (compressed) or raw samples (uncompressed).
    data: Vec<u8>,
    /// Unsealed samples (compressed only).
    tail: Tail,
    /// Per-group facts about the sealed blocks (compressed only; not serialised).
    index: BlockIndex,
    summary: Summary,
    /// Step of the last sealed block (the next block's SAME_G refers to it).
    last_g: u64,
    budget: u32,
    encoding: Encoding,
    full: bool,
}

impl Chunk {
    /// An empty chunk. Budgets below [`MIN_CHUNK_SIZE`] act as `MIN_CHUNK_SIZE` for compressed
    /// chunks (a block of one sample must always fit); uncompressed chunks hold at least one
    /// sample.
    pub fn new(encoding: Encoding, budget: usize) -> Chunk {
        Chunk {
            data: Vec::new(),
            tail: Tail::default(),
            index: BlockIndex::default(),
            summary: Summary::default(),
            last_g: 1,
            budget: budget.min(u32::MAX as usize) as u32,
            encoding,
            full: false,
        }
    }

    /// Chunks holding `ts` / `vals` (strictly increasing timestamps), each within `budget`.
    /// Every chunk but the last is full; the last keeps its tail open for appends.
    pub fn build(encoding: Encoding, budget: usize, ts: &[i64], vals: &[f64]) -> Vec<Chunk> {
        let n = ts.len().min(vals.len());
        let mut out = Vec::new();
        let mut cur = Chunk::new(encoding, budget);
        let mut i = 0;
        while i < n {
            match cur.push(ts[i], vals[i]) {
                Ok(()) => i += 1,
                Err(over) => {
                    // The overflow is the last `over.ts.len()` samples pushed, `i` included.
                    let kept = !cur.is_empty();
                    debug_assert!(kept, "a fresh chunk keeps at least one sample");
                    out.push(std::mem::replace(&mut cur, Chunk::new(encoding, budget)));
                    if kept {
                        i = i + 1 - over.ts.len();
                    } else {
                        // Unreachable (a one-sample block always fits); never loop forever.
                        i += 1;
                    }
                }
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out.retain(|c| !c.is_empty());
        out
    }

    /// The encoding this chunk was created with.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }
    /// The byte budget.
    pub fn budget(&self) -> usize {
        self.budget as usize
    }
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.summary.count as usize
    }
    /// True when the chunk holds no sample.
    pub fn is_empty(&self) -> bool {
        self.summary.count == 0
    }
    /// True when the chunk takes no more samples.
    pub fn is_full(&self) -> bool {
        self.full
    }
    /// The summary of every sample in the chunk.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }
    /// First timestamp (0 when empty).
    pub fn start(&self) -> i64 {
        if self.is_empty() {
            0
        } else {
            self.summary.start
        }
    }
    /// Last timestamp (0 when empty).
    pub fn end(&self) -> i64 {
        if self.is_empty() {
            0
        } else {
            self.summary.end
        }
    }

    /// The budget compressed data must stay within.
    fn data_budget(&self) -> usize {
        (self.budget as usize).max(MIN_CHUNK_SIZE)
    }

    /// Appends a sample later than every sample in the chunk. When the chunk is full, it keeps
    /// what fits and returns the rest, with the new sample last.
    ///
    /// O(1) amortised: a raw append, and every [`BLOCK_LEN`] samples one block encoding.
    #[inline]
    pub fn push(&mut self, ts: i64, v: f64) -> std::result::Result<(), Overflow> {
        debug_assert!(self.is_empty() || ts > self.end());
        if self.full {
            return Err(Overflow { ts: vec![ts], vals: vec![v] });
        }
        if self.encoding == Encoding::Uncompressed {
            if uncompressed::len(&self.data) >= uncompressed::capacity(self.budget as usize) {
                self.full = true;
                return Err(Overflow { ts: vec![ts], vals: vec![v] });
            }
            if self.data.capacity() == self.data.len() {
                // Grow geometrically, never beyond the budget.
                let cap = uncompressed::capacity(self.budget as usize) * uncompressed::SAMPLE_BYTES;
                let want = (self.data.len() * 2).max(4 * uncompressed::SAMPLE_BYTES).min(cap);
                self.data.reserve_exact(want - self.data.len());
            }
            uncompressed::push(&mut self.data, ts, v);
            self.summary.push(ts, v);
            return Ok(());
        }
        let n = self.tail.push(ts, v, &self.summary);
        self.summary.push(ts, v);
        if n >= BLOCK_LEN {
            return self.seal(false);
        }
        Ok(())
    }

    /// Appends samples later than every sample in the chunk (strictly increasing timestamps),
    /// in order, as [`Chunk::push`] one by one would — the same bytes, summary and index.
    /// Returns how many were consumed and, if the chunk filled up, the overflow (the samples
    /// that did not fit, the last consumed one last): they start the next chunk, before
    /// `ts[consumed..]`.
    ///
    /// Why fast: with an empty tail, each run of [`BLOCK_LEN`] input samples is encoded
    /// straight from the input (no copy into the tail, no per-sample step tracking) and the
    /// summary is extended in one pass ([`Summary::extend`]); only a batch's last partial block
    /// goes through the tail. A block that does not fit the budget takes [`Chunk::push`]'s
    /// path, so overflow behaves exactly as with single pushes.
    pub fn push_many(&mut self, ts: &[i64], vals: &[f64]) -> (usize, Option<Overflow>) {
        let n = ts.len().min(vals.len());
        let mut i = 0;
        while i < n {
            if self.encoding == Encoding::Compressed
                && !self.full
                && self.tail.len() == 0
                && n - i >= BLOCK_LEN
                && self.seal_direct(&ts[i..i + BLOCK_LEN], &vals[i..i + BLOCK_LEN])
            {
                i += BLOCK_LEN;
                continue;
            }
            match self.push(ts[i], vals[i]) {
                Ok(()) => i += 1,
                Err(over) => return (i + 1, Some(over)),
            }
        }
        (n, None)
    }

    /// Encodes `ts` / `vals` ([`BLOCK_LEN`] samples after every sample of the chunk, tail
    /// empty) as the next block when it fits the budget; otherwise changes nothing and returns
    /// false.
    fn seal_direct(&mut self, ts: &[i64], vals: &[f64]) -> bool {
        debug_assert!(self.tail.len() == 0 && ts.len() == BLOCK_LEN);
        let prev = if self.data.is_empty() { None } else { Some(self.summary.end) };
        let room = self.data_budget().saturating_sub(self.data.len());
        let (data, last_g) = (&mut self.data, &mut self.last_g);
        let sealed = BLOCK_BUF.with(|cell| {
            let mut buf = cell.borrow_mut();
            buf.clear();
            let g = block::encode(ts, vals, prev, *last_g, &mut buf);
            if buf.len() > room {
                return None;
            }
            data.reserve_exact(buf.len());
            data.extend_from_slice(&buf);
            *last_g = g;
            Some((buf.len(), g))
        });
        let Some((len, g)) = sealed else { return false };
        let st = self.summary.extend(ts, vals, self.index.sum_start());
        self.index.push_stats(len, ts, g, st);
        true
    }

    /// Seals the tail into a block. If it does not fit the budget, seals the longest prefix
    /// that fits (halving; at least one sample when the chunk has no block yet) and returns
    /// the rest as an overflow; the chunk is then full.
    /// With `keep_on_misfit` (compaction), a misfit leaves everything as it was instead.
    #[cold]
    #[inline(never)]
    fn seal(&mut self, keep_on_misfit: bool) -> std::result::Result<(), Overflow> {
        let tail = &self.tail;
        let n = tail.len();
        if n == 0 {
            return Ok(());
        }
        let mut ts = [0i64; BLOCK_LEN];
        tail.timestamps(self.summary.end, &mut ts);
        let vals = tail.vals();
        let base = tail.base();
        let prev = if self.data.is_empty() { None } else { Some(base.end) };
        let room = self.data_budget().saturating_sub(self.data.len());
        let (data, last_g, index) = (&mut self.data, &mut self.last_g, &mut self.index);
        let sealed = BLOCK_BUF.with(|cell| {
            let mut buf = cell.borrow_mut();
            let g0 = *last_g;
            let mut append = |buf: &[u8], g: u64, ts: &[i64], vals: &[f64]| {
                data.reserve_exact(buf.len());
                data.extend_from_slice(buf);
                *last_g = g;
                index.push(buf.len(), ts, g, vals);
            };
            buf.clear();
            let g = block::encode(&ts[..n], vals, prev, g0, &mut buf);
            if buf.len() <= room {
                append(&buf, g, &ts[..n], vals);
                return n;
            }
            if keep_on_misfit {
                return 0;
            }
            // The chunk is full. Seal the longest prefix that fits (halving; down to one sample
            // in a chunk without blocks, which always fits the minimum budget).
            let mut k = n / 2;
            let min = if prev.is_some() { BLOCK_LEN / 8 } else { 1 };
            while k >= min.max(1) {
                buf.clear();
                let g = block::encode(&ts[..k], &vals[..k], prev, g0, &mut buf);
                if buf.len() <= room {
                    append(&buf, g, &ts[..k], &vals[..k]);
                    return k;
                }
                k /= 2;
            }
            0
        });
        if sealed == n {
            self.tail.clear();
            return Ok(());
        }
        if keep_on_misfit {
            return Err(Overflow::default());
        }
        let mut s = base;
        for i in 0..sealed {
            s.push(ts[i], vals[i]);
        }
        let over = Overflow { ts: ts[sealed..n].to_vec(), vals: vals[sealed..n].to_vec() };
        self.summary = s;
        self.full = true;
        self.tail.free();
        self.data.shrink_to_fit();
        self.index.shrink();
        Err(over)
    }

    /// Seals the tail into a (partial) block when it fits the budget, releasing its memory.
    /// For chunks that will take no more appends (e.g. rebuilt in the middle of a series);
    /// appends after it still work. Returns whether the chunk now holds no raw tail.
    pub fn seal_tail(&mut self) -> bool {
        if self.encoding == Encoding::Uncompressed {
            self.data.shrink_to_fit();
            return true;
        }
        if self.seal(true).is_ok() {
            self.tail.free();
            return true;
        }
        false
    }

    /// The blocks, in time order: header-only views decoded on demand (see [`Block`]).
    pub fn blocks(&self) -> Blocks<'_> {
        Blocks::new(self)
    }

    /// The sealed blocks in groups with their indexed facts (`index.rs`), for queries that fold
    /// whole groups without decoding them; `None` for uncompressed chunks. The raw tail is not
    /// part of any group: it is the last of [`Chunk::blocks`] (and [`Chunk::tail_block`]).
    pub fn groups(&self) -> Option<Groups<'_>> {
        (self.encoding == Encoding::Compressed)
            .then(|| Groups::new(&self.data, &self.index, self.summary.start))
    }

    /// The raw tail as a block, if it holds samples.
    pub fn tail_block(&self) -> Option<Block<'_>> {
        self.blocks().tail_block()
    }

    /// The newest sample.
    pub fn last_sample(&self) -> Option<(i64, f64)> {
        if let Some(&v) = self.tail.vals().last() {
            return Some((self.summary.end, v));
        }
        let b = self.blocks().filter_map(|b| b.ok()).last()?;
        let mut bt = [0i64; MAX_BLOCK_LEN];
        let mut bv = [0f64; MAX_BLOCK_LEN];
        b.decode(&mut bt, &mut bv).ok()?;
        Some((bt[b.len() - 1], bv[b.len() - 1]))
    }

    /// Appends every sample to `ts` / `vals`.
    pub fn decode_into(&self, ts: &mut Vec<i64>, vals: &mut Vec<f64>) -> Result<()> {
        ts.reserve(self.len());
        vals.reserve(self.len());
        for b in self.blocks() {
            b?.decode_into(ts, vals)?;
        }
        Ok(())
    }

    /// Appends the samples with `from <= ts <= to`, decoding only the blocks that overlap.
    pub fn decode_range_into(
        &self,
        from: i64,
        to: i64,
        ts: &mut Vec<i64>,
        vals: &mut Vec<f64>,
    ) -> Result<()> {
        if self.is_empty() || from > to || self.end() < from || self.start() > to {
            return Ok(());
        }
        // Only the tail is concerned (the newest samples, e.g. the last one): skip the headers.
        if self.tail.len() > 0 && !self.data.is_empty() && from > self.tail.base().end {
            if let Some(b) = self.blocks().tail_block() {
                b.decode_range_into(from, to, ts, vals)?;
            }
            return Ok(());
        }
        for b in self.blocks() {
            let b = b?;
            if b.end() < from {
                continue;
            }
            if b.start() > to {
                break;
            }
            b.decode_range_into(from, to, ts, vals)?;
        }
        Ok(())
    }

    /// Bytes of encoded sample data (what the budget bounds; the raw tail is not encoded yet).
    pub fn data_bytes(&self) -> usize {
        self.data.len()
    }

    /// Bytes of memory this chunk holds: the struct, the encoded data's allocation and the tail.
    pub fn mem_bytes(&self) -> usize {
        std::mem::size_of::<Chunk>()
            + self.data.capacity()
            + self.tail.mem_bytes()
            + self.index.mem_bytes()
    }

    /// Serialises the chunk (for snapshots); see the layout in the module documentation.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.push(match self.encoding {
            Encoding::Compressed => 0,
            Encoding::Uncompressed => 1,
        });
        out.push(self.full as u8);
        varint::put(out, self.budget as u64);
        match self.encoding {
            Encoding::Uncompressed => {
                varint::put(out, uncompressed::len(&self.data) as u64);
                out.extend_from_slice(&self.data);
            }
            Encoding::Compressed => {
                varint::put(out, self.data.len() as u64);
                out.extend_from_slice(&self.data);
                match Some(&self.tail).filter(|t| t.len() > 0) {
                    None => out.push(0),
                    Some(t) => {
                        let n = t.len();
                        varint::put(out, n as u64);
                        let mut ts = [0i64; BLOCK_LEN];
                        t.timestamps(self.summary.end, &mut ts);
                        let prev = if self.data.is_empty() { None } else { Some(t.base().end) };
                        block::encode(&ts[..n], t.vals(), prev, self.last_g, out);
                    }
                }
            }
        }
    }

    /// Reads a chunk written by [`Chunk::write_to`], validating everything.
    pub fn read_from(bytes: &[u8], pos: &mut usize) -> Result<Chunk> {
        let mut cur = Cursor::new(bytes, *pos);
        let encoding = match cur.u8()? {
            0 => Encoding::Compressed,
            1 => Encoding::Uncompressed,
            e => return Err(Error::corrupt(format!("unknown chunk encoding {e}"))),
        };
        let flags = cur.u8()?;
        if flags & !1 != 0 {
            return Err(Error::corrupt("chunk flags"));
        }
        let budget = cur.varint_max(u32::MAX as u64, "chunk budget")? as usize;
        let mut c = Chunk::new(encoding, budget);
        c.full = flags & 1 != 0;
        match encoding {
            Encoding::Uncompressed => {
                let n =
                    cur.varint_max(uncompressed::capacity(budget) as u64, "chunk sample count")?;
                let raw = cur.bytes(n as usize * uncompressed::SAMPLE_BYTES)?;
                uncompressed::validate(raw)?;
                c.data = raw.to_vec();
                for i in 0..n as usize {
                    c.summary.push(uncompressed::ts_at(raw, i), uncompressed::val_at(raw, i));
                }
            }
            Encoding::Compressed => {
                let len = cur.varint_max(c.data_budget() as u64, "chunk data length")? as usize;
                let data = cur.bytes(len)?;
                let mut bt = [0i64; MAX_BLOCK_LEN];
                let mut bv = [0f64; MAX_BLOCK_LEN];
                let (mut at, mut prev, mut prev_g, mut first) = (0, 0i64, 1u64, true);
                while at < data.len() {
                    let h = block::read_header(data, at, prev, prev_g, first)?;
                    block::decode_ts(&h, data, &mut bt, true)?;
                    block::decode_vals(&h, data, &mut bv, true)?;
                    for i in 0..h.count {
                        c.summary.push(bt[i], bv[i]);
                    }
                    c.index.push(h.next - h.at, &bt[..h.count], h.g, &bv[..h.count]);
                    (at, prev, prev_g, first) = (h.next, h.end, h.g, false);
                }
                c.data = data.to_vec();
                c.last_g = prev_g;
                let tail_n = cur.varint_max(BLOCK_LEN as u64 - 1, "tail length")? as usize;
                if tail_n > 0 {
                    if c.full {
                        return Err(Error::corrupt("full chunk with a tail"));
                    }
                    let h = block::read_header(bytes, cur.pos(), prev, prev_g, first)?;
                    if h.count != tail_n {
                        return Err(Error::corrupt("tail length"));
                    }
                    block::decode_ts(&h, bytes, &mut bt, true)?;
                    block::decode_vals(&h, bytes, &mut bv, true)?;
                    for i in 0..tail_n {
                        c.tail.push(bt[i], bv[i], &c.summary);
                        c.summary.push(bt[i], bv[i]);
                    }
                    cur = Cursor::new(bytes, h.next);
                }
            }
        }
        *pos = cur.pos();
        Ok(c)
    }
}

#[cfg(test)]
mod tests;
