//! Block-level access for queries: a header-only view of every block of a chunk (first and last
//! timestamp, sample count), decoded on demand into the caller's buffers.
//!
//! A compressed chunk yields its sealed blocks, then its raw tail as a last block; an
//! uncompressed chunk yields runs of [`BLOCK_LEN`] samples. Either way a block holds at most
//! [`MAX_BLOCK_LEN`] samples, so `[i64; MAX_BLOCK_LEN]` / `[f64; MAX_BLOCK_LEN]` buffers always
//! suffice.

use super::block::{self, BLOCK_LEN, MAX_BLOCK_LEN};

use super::tail::Tail;
use super::{uncompressed, Chunk, Encoding};
use crate::error::{Error, Result};

/// Iterator over the blocks of a chunk, in time order (see [`Chunk::blocks`]).
pub struct Blocks<'a> {
    chunk: &'a Chunk,
    /// Sealed blocks read so far.
    block: usize,
    pos: usize,
    prev: i64,
    prev_g: u64,
    first: bool,
    sealed_done: bool,
    done: bool,
}

impl<'a> Blocks<'a> {
    pub(super) fn new(chunk: &'a Chunk) -> Blocks<'a> {
        Blocks { chunk, block: 0, pos: 0, prev: 0, prev_g: 1, first: true, sealed_done: false, done: false }
    }

    /// The tail of a compressed chunk as a block, without walking the sealed blocks.
    pub(super) fn tail_block(mut self) -> Option<Block<'a>> {
        if self.chunk.encoding == Encoding::Uncompressed {
            return None;
        }
        self.sealed_done = true;
        self.next()?.ok()
    }
}

#[derive(Debug, Clone, Copy)]
enum Src<'a> {
    Sealed { buf: &'a [u8], h: block::Header },
    Tail { tail: &'a Tail, end: i64 },
    Raw { data: &'a [u8], from: usize },
}

/// One block: its bounds without decoding, its samples on demand.
#[derive(Debug, Clone, Copy)]
pub struct Block<'a> {
    start: i64,
    end: i64,
    count: usize,
    src: Src<'a>,
}

impl<'a> Iterator for Blocks<'a> {
    type Item = Result<Block<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let c = self.chunk;
        if c.encoding == Encoding::Uncompressed {
            let n = uncompressed::len(&c.data);
            if self.pos >= n {
                self.done = true;
                return None;
            }
            let from = self.pos;
            let to = (from + BLOCK_LEN).min(n);
            self.pos = to;
            return Some(Ok(Block {
                start: uncompressed::ts_at(&c.data, from),
                end: uncompressed::ts_at(&c.data, to - 1),
                count: to - from,
                src: Src::Raw { data: &c.data, from },
            }));
        }
        if !self.sealed_done {
            if self.pos < c.data.len() {
                // The index knows each block's length: only the timestamp fields are parsed.
                let h = if self.block < c.index.blocks() {
                    let next = self.pos + c.index.len_of(self.block);
                    block::read_header_sized(&c.data, self.pos, next, self.prev, self.prev_g, self.first)
                } else {
                    block::read_header(&c.data, self.pos, self.prev, self.prev_g, self.first)
                };
                self.block += 1;
                return match h {
                    Ok(h) => {
                        self.pos = h.next;
                        self.prev = h.end;
                        self.prev_g = h.g;
                        self.first = false;
                        Some(Ok(Block {
                            start: h.start,
                            end: h.end,
                            count: h.count,
                            src: Src::Sealed { buf: &c.data, h },
                        }))
                    }
                    Err(e) => {
                        self.done = true;
                        Some(Err(e))
                    }
                };
            }
            self.sealed_done = true;
        }
        self.done = true;
        let (tail, end) = (&c.tail, c.summary.end);
        if tail.len() == 0 {
            return None;
        }
        Some(Ok(Block {
            start: tail.ts_at(0, end),
            end,
            count: tail.len(),
            src: Src::Tail { tail, end },
        }))
    }
}

fn short() -> Error {
    Error::invalid("ERR TSDB: block decode buffer too small")
}

impl<'a> Block<'a> {
    /// A sealed block of `buf` with header `h`.
    pub(super) fn sealed(buf: &'a [u8], h: block::Header) -> Block<'a> {
        Block { start: h.start, end: h.end, count: h.count, src: Src::Sealed { buf, h } }
    }

    /// The step when timestamp `i` is `start + i * step` without decoding (constant-step
    /// sealed blocks); `None` otherwise.
    #[inline]
    pub fn const_step(&self) -> Option<u64> {
        match self.src {
            Src::Sealed { h, .. } => h.const_step(),
            _ => None,
        }
    }

    /// Timestamp `i` (`< len()`): arithmetic for constant-step blocks, else the timestamps are
    /// decoded into `scratch`.
    pub fn ts_at(&self, i: usize, scratch: &mut [i64]) -> Result<i64> {
        if let Some(g) = self.const_step() {
            return Ok((self.start as u64).wrapping_add(g.wrapping_mul(i as u64)) as i64);
        }
        self.decode_timestamps(scratch)?;
        scratch.get(i).copied().ok_or_else(short)
    }

    /// First timestamp.
    pub fn start(&self) -> i64 {
        self.start
    }
    /// First and last timestamps and sample count.
    #[inline]
    pub fn span(&self) -> super::Span {
        super::Span { start: self.start, end: self.end, len: self.count }
    }
    /// Last timestamp.
    pub fn end(&self) -> i64 {
        self.end
    }
    /// Samples (1..=[`MAX_BLOCK_LEN`]).
    pub fn len(&self) -> usize {
        self.count
    }
    /// Always false: blocks hold at least one sample.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
    /// How the block is stored: `decimal`, `xor`, `raw`, `constant` (sealed value codecs),
    /// `tail` (unsealed samples) or `uncompressed`.
    pub fn codec(&self) -> &'static str {
        match self.src {
            Src::Sealed { h, .. } => block::codec_name(h.codec),
            Src::Tail { .. } => "tail",
            Src::Raw { .. } => "uncompressed",
        }
    }
    /// Bytes the block occupies in the chunk's encoded data (0 for a tail).
    pub fn data_bytes(&self) -> usize {
        match self.src {
            Src::Sealed { h, .. } => h.next - h.at,
            Src::Tail { .. } => 0,
            Src::Raw { .. } => self.count * uncompressed::SAMPLE_BYTES,
        }
    }

    /// Decodes the timestamps into `ts[..len()]`.
    pub fn decode_timestamps(&self, ts: &mut [i64]) -> Result<()> {
        let ts = ts.get_mut(..self.count).ok_or_else(short)?;
        match self.src {
            Src::Sealed { buf, h } => block::decode_ts(&h, buf, ts, false),
            Src::Tail { tail, end } => {
                tail.timestamps(end, ts);
                Ok(())
            }
            Src::Raw { data, from } => {
                for (i, o) in ts.iter_mut().enumerate() {
                    *o = uncompressed::ts_at(data, from + i);
                }
                Ok(())
            }
        }
    }

    /// Decodes the values into `vals[..len()]` (without decoding timestamps).
    pub fn decode_values(&self, vals: &mut [f64]) -> Result<()> {
        let vals = vals.get_mut(..self.count).ok_or_else(short)?;
        match self.src {
            Src::Sealed { buf, h } => block::decode_vals(&h, buf, vals, false),
            Src::Tail { tail, .. } => {
                vals.copy_from_slice(tail.vals());
                Ok(())
            }
            Src::Raw { data, from } => {
                for (i, o) in vals.iter_mut().enumerate() {
                    *o = uncompressed::val_at(data, from + i);
                }
                Ok(())
            }
        }
    }

    /// For a sealed decimal block without corrections (the usual case): its values as integers
    /// into `ints[..len()]` and their [`Scale`](super::decimal::Scale) `s`, value `i` being
    /// `s.value(ints[i])` bit for bit. `None` (nothing decoded) for other blocks.
    pub fn decode_scaled(&self, ints: &mut [u64]) -> Result<Option<super::decimal::Scale>> {
        let ints = ints.get_mut(..self.count).ok_or_else(short)?;
        match self.src {
            Src::Sealed { buf, h } => block::decode_scaled(&h, buf, ints),
            _ => Ok(None),
        }
    }

    /// Hands the values to `f` as they are decoded, without storing them (see
    /// [`decimal::stream`](super::decimal::stream)), when the block allows it (a sealed decimal
    /// block without corrections, the usual case); otherwise returns false, `f` untouched.
    pub fn stream_values(&self, f: &mut impl super::bits::Fields<f64>) -> Result<bool> {
        match self.src {
            Src::Sealed { buf, h } => block::stream_values(&h, buf, f),
            _ => Ok(false),
        }
    }

    /// Decodes timestamps and values into `ts[..len()]` / `vals[..len()]`.
    pub fn decode(&self, ts: &mut [i64], vals: &mut [f64]) -> Result<()> {
        if let Src::Raw { data, from } = self.src {
            let ts = ts.get_mut(..self.count).ok_or_else(short)?;
            let vals = vals.get_mut(..self.count).ok_or_else(short)?;
            uncompressed::decode(data, from, ts, vals);
            return Ok(());
        }
        self.decode_timestamps(ts)?;
        self.decode_values(vals)
    }

    /// Appends every sample.
    pub fn decode_into(&self, ts: &mut Vec<i64>, vals: &mut Vec<f64>) -> Result<()> {
        let (at, av) = (ts.len(), vals.len());
        ts.resize(at + self.count, 0);
        vals.resize(av + self.count, 0.0);
        let r = self.decode(&mut ts[at..], &mut vals[av..]);
        if r.is_err() {
            ts.truncate(at);
            vals.truncate(av);
        }
        r
    }

    /// Appends the samples with `from <= ts <= to`.
    pub fn decode_range_into(
        &self,
        from: i64,
        to: i64,
        ts: &mut Vec<i64>,
        vals: &mut Vec<f64>,
    ) -> Result<()> {
        if self.end < from || self.start > to || from > to {
            return Ok(());
        }
        if from <= self.start && self.end <= to {
            return self.decode_into(ts, vals);
        }
        match self.src {
            Src::Tail { tail, end } => {
                let mut bt = [0i64; MAX_BLOCK_LEN];
                tail.timestamps(end, &mut bt);
                let t = &bt[..self.count];
                let lo = t.partition_point(|&x| x < from);
                let hi = t.partition_point(|&x| x <= to);
                ts.extend_from_slice(&t[lo..hi]);
                vals.extend_from_slice(&tail.vals()[lo..hi]);
            }
            Src::Raw { data, from: at } => {
                let slice = &data[at * 16..(at + self.count) * 16];
                let lo = uncompressed::lower_bound(slice, from);
                let hi = uncompressed::lower_bound(slice, to.saturating_add(1));
                for i in lo..hi {
                    ts.push(uncompressed::ts_at(slice, i));
                    vals.push(uncompressed::val_at(slice, i));
                }
            }
            Src::Sealed { .. } => {
                let mut bt = [0i64; MAX_BLOCK_LEN];
                self.decode_timestamps(&mut bt)?;
                let t = &bt[..self.count];
                let lo = t.partition_point(|&x| x < from);
                let hi = t.partition_point(|&x| x <= to);
                let mut bv = [0f64; MAX_BLOCK_LEN];
                self.decode_values(&mut bv)?;
                ts.extend_from_slice(&t[lo..hi]);
                vals.extend_from_slice(&bv[lo..hi]);
            }
        }
        Ok(())
    }
}
