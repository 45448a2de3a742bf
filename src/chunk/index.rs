//! The block index of a compressed chunk: what queries need about its sealed blocks without
//! decoding them. It lives in memory beside the encoded bytes and is not part of snapshots
//! ([`super::Chunk::read_from`] rebuilds it from the decoded samples), so the byte format of
//! chunks is unchanged.
//!
//! Blocks are indexed in **groups** of [`GROUP`] consecutive blocks (the last group of a chunk
//! may hold fewer). One fixed-size record per group, appended as its first block is sealed and
//! updated as the others join:
//!
//! | offset | field    | size           | meaning                                             |
//! |--------|----------|----------------|-----------------------------------------------------|
//! | 0      | counts   | 5 bytes LE     | bits 0-9 samples, 10-19 NaN samples, 20-28 `min_at`, 29-37 `max_at`: positions in the group of the first sample holding `min` / `max`; bit 38 `regular` (see below) |
//! | 5      | sum      | f64 LE         | sum of the non-NaN values (see below)               |
//! | 13     | min      | f64 LE         | smallest non-NaN value (`+inf` when none)           |
//! | 21     | max      | f64 LE         | largest non-NaN value (`-inf` when none)            |
//! | 29     | end      | i64 LE         | last timestamp                                      |
//! | 37     | g        | u32 LE         | step of the last block (the next block's SAME_G refers to it); `u32::MAX`: larger, found by walking the headers |
//! | 41     | lens     | GROUP × u16 LE | byte length of each block (0 for blocks not sealed yet) |
//!
//! and, in a second array (GROUP × f64 LE per group), each block's own sum (see below; 0 for
//! blocks not sealed yet). Why apart: folding groups reads their records only, and records
//! without the block sums take 49 bytes instead of 81, so a walk over a chunk's groups touches
//! about 40 % fewer cache lines (the index of a chunk a query straddles is usually cold).
//!
//! 41 + 10·GROUP bytes per group: 20.25 bytes per 128-sample block with `GROUP = 4`, 0.16
//! bytes per sample. Walking the groups reads these records only, never the chunk's bytes
//! (whose block headers would cost a cache miss each): a group's first timestamp is known to
//! be after the previous group's `end` (exactly the chunk's start for the first group), which
//! is all a query needs to place it; `end` and `g` are also what the first block's header
//! refers to, so a group is decoded without the blocks before it. Within a decoded group, block
//! lengths let a walk parse only the blocks' timestamp fields (`block::read_header_sized`).
//!
//! A group is **regular** when its blocks are all full ([`BLOCK_LEN`] samples) with one constant
//! step `g` (the record's), each starting `g` after the sample before it (the previous group's
//! last, for its first block; a chunk's first block starts the chunk). Then every block's
//! first and last timestamps are arithmetic ([`Group::span`]), so a query folding the blocks
//! of a group straddling a boundary from their indexed sums reads none of their headers (a
//! cache miss each), only the header of the block it decodes. Regular data (a fixed sampling
//! rate) gives regular groups.
//!
//! What is deliberately not kept (bytes versus what it buys): the sum of squares (std / var
//! decode the groups they straddle), and first / last values (a query that needs them decodes
//! the one block that holds them: see [`Group::first_valid`] / [`Group::last_valid`]). Timestamps
//! of the extremes are derived from `min_at` / `max_at` (arithmetic for constant-step blocks).
//!
//! Sums: a group's is the sequential sum of its non-NaN values from 0, in time order — what a
//! scan adds — so a group folded into an empty bucket gives the bucket's sequential sum bit for
//! bit; folded after other samples it is within rounding of it (as a chunk summary is: see
//! `query/aggregator.rs`). A block's own sum ([`Stats::own`]) is the sequential sum of all its
//! values from 0, NaN included: NaN exactly when the block has a NaN (or adds `inf - inf`), so
//! a query that finds it a number knows the block has no NaN and that the sum is what a scan
//! of the block alone adds. That lets a query decode only the block straddling a bucket
//! boundary and fold the group's other blocks (see `query/aggregate.rs`). Per-block NaN counts
//! and extremes are not kept (4 and 64 more bytes per group): blocks with NaN are decoded, and
//! so are blocks when a query needs min / max.

use super::block;
use super::iter::Block;
use super::{Summary, BLOCK_LEN};
use crate::error::{Error, Result};

/// Blocks per group.
pub const GROUP: usize = 4;
const REC: usize = LENS + 2 * GROUP;
const LENS: usize = 41;
const _: () = assert!(GROUP * BLOCK_LEN <= 512, "counts are 10 bits, positions 9 bits");
/// `g` too large for the record.
const G_WIDE: u32 = u32::MAX;
/// The `regular` bit of `counts`.
const REGULAR: u64 = 1 << 38;

/// Facts about a run of values: NaN count, sum, extremes and their first positions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    /// NaN values.
    pub nan: usize,
    /// Sum of the non-NaN values.
    pub sum: f64,
    /// Smallest non-NaN value (`+inf` when none).
    pub min: f64,
    /// Largest non-NaN value (`-inf` when none).
    pub max: f64,
    /// Position of the first value holding `min` (0 when none).
    pub min_at: usize,
    /// Position of the first value holding `max` (0 when none).
    pub max_at: usize,
    /// The sequential sum of all the values from 0, NaN included (so NaN when one is). Not
    /// kept for groups (0 in [`BlockIndex::group`]).
    pub own: f64,
}

/// Positions of the first smallest and the first largest non-NaN value of `vals` ((0, 0) when
/// there is none).
///
/// Why fast: four independent lanes of `<` / `>` selects (min / max instructions), then a
/// search for the first value equal to each extreme, which stops early. Why correct: a NaN
/// never compares, so the lanes skip it; the first value comparing equal to the minimum is the
/// one a sequential scan with `<` keeps, also among zeros of either sign (the caller reads the
/// value at the position, not the lanes' zero).
#[inline]
pub fn extremes_at(vals: &[f64]) -> (usize, usize) {
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    let chunks = vals.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        for k in 0..4 {
            lo[k] = if c[k] < lo[k] { c[k] } else { lo[k] };
            hi[k] = if c[k] > hi[k] { c[k] } else { hi[k] };
        }
    }
    for &v in rest {
        lo[0] = if v < lo[0] { v } else { lo[0] };
        hi[0] = if v > hi[0] { v } else { hi[0] };
    }
    let l = lo[0].min(lo[1]).min(lo[2].min(lo[3]));
    let h = hi[0].max(hi[1]).max(hi[2].max(hi[3]));
    let at = |x: f64| vals.iter().position(|&v| v == x).unwrap_or(0);
    (at(l), at(h))
}

/// The [`Stats`] of `vals`, the sum continuing from `sum` (sequentially, NaN skipped).
///
/// Why fast: without NaN (the common case) the sum is one dependency chain that also tells
/// whether there is a NaN, and [`extremes_at`] the extremes. Why correct: a NaN makes the sum
/// NaN, and so does `inf - inf`: both take the loop that skips NaN.
pub fn stats_from(vals: &[f64], sum: f64) -> Stats {
    let (mut s, mut own) = (sum, 0.0);
    for &v in vals {
        s += v;
        own += v;
    }
    if s.is_nan() || vals.is_empty() {
        return stats_slow(vals, sum);
    }
    let (min_at, max_at) = extremes_at(vals);
    Stats { nan: 0, sum: s, min: vals[min_at], max: vals[max_at], min_at, max_at, own }
}

/// The [`Stats`] of `vals` (sum from 0).
pub fn stats(vals: &[f64]) -> Stats {
    stats_from(vals, 0.0)
}

#[cold]
fn stats_slow(vals: &[f64], sum: f64) -> Stats {
    let own = vals.iter().fold(0.0, |s, &v| s + v);
    let mut st = Stats { nan: 0, sum, min: f64::INFINITY, max: f64::NEG_INFINITY, min_at: 0, max_at: 0, own };
    for (i, &v) in vals.iter().enumerate() {
        if v.is_nan() {
            st.nan += 1;
            continue;
        }
        st.sum += v;
        if v < st.min {
            st.min = v;
            st.min_at = i;
        }
        if v > st.max {
            st.max = v;
            st.max_at = i;
        }
    }
    st
}

/// The index of a chunk's sealed blocks (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct BlockIndex {
    recs: Vec<u8>,
    /// The blocks' own sums, f64 LE, GROUP per group.
    own: Vec<u8>,
    blocks: u32,
}

#[inline]
fn u16_at(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes([b[at], b[at + 1]]) as usize
}

#[inline]
fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

#[inline]
fn f64_at(b: &[u8], at: usize) -> f64 {
    f64::from_bits(u64_at(b, at))
}

/// A group record's fixed part (see the module documentation); `st.nan` is unused (`nan`).
#[derive(Debug, Clone, Copy)]
struct Rec {
    count: usize,
    nan: usize,
    st: Stats,
    end: i64,
    /// `u64::MAX` when not kept ([`G_WIDE`]).
    g: u64,
    /// A regular group (see the module documentation).
    regular: bool,
}

impl Rec {
    #[inline]
    fn read(b: &[u8]) -> Rec {
        let mut c = [0u8; 8];
        c[..5].copy_from_slice(&b[..5]);
        let c = u64::from_le_bytes(c);
        let g = u32::from_le_bytes([b[37], b[38], b[39], b[40]]);
        Rec {
            count: (c & 0x3ff) as usize,
            nan: (c >> 10 & 0x3ff) as usize,
            st: Stats {
                nan: 0,
                min_at: (c >> 20 & 0x1ff) as usize,
                max_at: (c >> 29 & 0x1ff) as usize,
                sum: f64_at(b, 5),
                min: f64_at(b, 13),
                max: f64_at(b, 21),
                own: 0.0,
            },
            end: u64_at(b, 29) as i64,
            g: if g == G_WIDE { u64::MAX } else { g as u64 },
            regular: c & REGULAR != 0,
        }
    }

    #[inline]
    fn write(&self, b: &mut [u8]) {
        let c = self.count as u64
            | (self.nan as u64) << 10
            | (self.st.min_at as u64) << 20
            | (self.st.max_at as u64) << 29
            | if self.regular { REGULAR } else { 0 };
        b[..5].copy_from_slice(&c.to_le_bytes()[..5]);
        b[5..13].copy_from_slice(&self.st.sum.to_le_bytes());
        b[13..21].copy_from_slice(&self.st.min.to_le_bytes());
        b[21..29].copy_from_slice(&self.st.max.to_le_bytes());
        b[29..37].copy_from_slice(&self.end.to_le_bytes());
        let g = u32::try_from(self.g).ok().filter(|&g| g != G_WIDE).unwrap_or(G_WIDE);
        b[37..41].copy_from_slice(&g.to_le_bytes());
    }
}

impl BlockIndex {
    /// Sealed blocks indexed.
    #[inline]
    pub fn blocks(&self) -> usize {
        self.blocks as usize
    }

    /// Heap bytes held.
    pub fn mem_bytes(&self) -> usize {
        self.recs.capacity() + self.own.capacity()
    }

    /// Releases spare capacity (the chunk takes no more blocks).
    pub fn shrink(&mut self) {
        self.recs.shrink_to_fit();
        self.own.shrink_to_fit();
    }

    /// Indexes the next sealed block: its byte length, timestamps, step and values.
    pub fn push(&mut self, len: usize, ts: &[i64], g: u64, vals: &[f64]) {
        self.push_stats(len, ts, g, stats_from(vals, self.sum_start()));
    }

    /// What the next block's sum continues from: 0 when it starts a group, else the group's
    /// sum so far.
    #[inline]
    pub fn sum_start(&self) -> f64 {
        if self.blocks as usize % GROUP == 0 {
            0.0
        } else {
            self.rec(self.blocks as usize / GROUP).st.sum
        }
    }

    /// [`BlockIndex::push`] with the block's [`Stats`] known (the sum continued from
    /// [`BlockIndex::sum_start`]).
    pub fn push_stats(&mut self, len: usize, ts: &[i64], g: u64, st: Stats) {
        let count = ts.len();
        debug_assert!(len <= u16::MAX as usize && count > 0);
        let end = ts[count - 1];
        let k = self.blocks as usize % GROUP;
        // Regular block: full, every interval `g`, and `g` after the sample before it.
        let step = i64::try_from(g).ok().filter(|_| g < G_WIDE as u64);
        let after = match (k, self.blocks) {
            (_, 0) => None,
            (0, _) => Some(self.rec(self.blocks as usize / GROUP - 1).end),
            _ => Some(self.rec(self.blocks as usize / GROUP).end),
        };
        let regular = step.is_some_and(|s| {
            count == BLOCK_LEN
                && ts.windows(2).fold(0i64, |a, w| a | (w[1].wrapping_sub(w[0]) ^ s)) == 0
                && after.is_none_or(|e| e.checked_add(s) == Some(ts[0]))
        });
        if k == 0 {
            self.recs.reserve_exact(REC);
            self.recs.resize(self.recs.len() + REC, 0);
            self.own.reserve_exact(8 * GROUP);
            self.own.resize(self.own.len() + 8 * GROUP, 0);
        }
        let at = self.recs.len() - REC;
        let mut r = Rec::read(&self.recs[at..]);
        if k == 0 {
            r = Rec { count: 0, nan: 0, st, end, g, regular };
            r.st.nan = 0;
        } else {
            r.regular &= regular && g == r.g;
            // Strict comparisons: the first sample holding the extreme wins, as in a scan.
            let off = r.count;
            if st.min < r.st.min {
                (r.st.min, r.st.min_at) = (st.min, off + st.min_at);
            }
            if st.max > r.st.max {
                (r.st.max, r.st.max_at) = (st.max, off + st.max_at);
            }
            r.st.sum = st.sum;
        }
        (r.count, r.nan, r.end, r.g) = (r.count + count, r.nan + st.nan, end, g);
        r.write(&mut self.recs[at..]);
        let l = at + LENS + 2 * k;
        self.recs[l..l + 2].copy_from_slice(&(len as u16).to_le_bytes());
        let s = self.own.len() - 8 * GROUP + 8 * k;
        self.own[s..s + 8].copy_from_slice(&st.own.to_le_bytes());
        self.blocks += 1;
    }

    #[inline]
    fn rec(&self, j: usize) -> Rec {
        Rec::read(&self.recs[j * REC..])
    }

    /// The raw records and block count (tests compare indexes built different ways).
    #[cfg(test)]
    pub(super) fn raw(&self) -> (&[u8], &[u8], usize) {
        (&self.recs, &self.own, self.blocks())
    }

    /// Byte length of block `i`.
    #[inline]
    pub fn len_of(&self, i: usize) -> usize {
        u16_at(&self.recs, (i / GROUP) * REC + LENS + 2 * (i % GROUP))
    }

    /// Block `i`'s own sum ([`Stats::own`]).
    #[inline]
    pub fn own_sum(&self, i: usize) -> f64 {
        f64_at(&self.own, 8 * i)
    }

    /// Byte length of group `j`.
    #[inline]
    fn group_bytes(&self, j: usize) -> usize {
        let r = &self.recs[j * REC + LENS..j * REC + REC];
        r.chunks_exact(2).map(|x| u16::from_le_bytes([x[0], x[1]]) as usize).sum()
    }
}

/// A block's first and last timestamps and its sample count: what a query placing it reads
/// (see [`GroupBlocks::span`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First timestamp.
    pub start: i64,
    /// Last timestamp.
    pub end: i64,
    /// Samples.
    pub len: usize,
}

/// A group's first timestamp, or its lower bound (see [`Group::start`]).
#[inline]
fn start_bound(first: bool, regular: bool, prev: i64, g: u64) -> i64 {
    if first {
        prev
    } else if regular {
        prev.wrapping_add(g as i64)
    } else {
        prev.saturating_add(1)
    }
}

/// What the index says about a group: bounds ([`Group::start`]'s), samples and [`Stats`].
#[derive(Debug, Clone, Copy)]
pub struct GroupFacts {
    /// First timestamp (a lower bound unless the group is regular or a chunk's first).
    pub start: i64,
    /// Last timestamp.
    pub end: i64,
    /// Samples.
    pub count: usize,
    /// The indexed facts.
    pub st: Stats,
}

impl GroupFacts {
    /// As a [`Summary`]: counts, bounds, sum, extremes. Not kept: `first` / `last` (None),
    /// `sum_sq` (0), `min_ts` / `max_ts` (see [`Group::ts_at`]).
    #[inline]
    pub fn summary(&self) -> Summary {
        Summary {
            count: self.count as u64,
            nan_count: self.st.nan as u64,
            start: self.start,
            end: self.end,
            first: None,
            last: None,
            min: self.st.min,
            max: self.st.max,
            sum: self.st.sum,
            sum_sq: 0.0,
            min_ts: 0,
            max_ts: 0,
        }
    }
}

/// A group of consecutive sealed blocks with its indexed [`Stats`] (see [`Groups`]). Small and
/// `Copy`: it keeps where its blocks start, not their headers, which it parses again only when
/// a query decodes it.
#[derive(Debug, Clone, Copy)]
pub struct Group<'a> {
    buf: &'a [u8],
    index: &'a BlockIndex,
    /// Group number and its first block's number.
    j: usize,
    n: usize,
    /// Where the first block starts, and what its header refers to.
    pos: usize,
    prev: i64,
    prev_g: u64,
    /// The chunk's first group (whose first block has no previous block).
    first: bool,
    end: i64,
    count: usize,
    /// Its indexed facts (read with the record that gave `end` and `count`).
    st: Stats,
    /// A regular group (see the module documentation) and its step.
    regular: bool,
    g: u64,
}

impl<'a> Group<'a> {
    /// A lower bound of the first timestamp, without reading the chunk's bytes: the chunk's
    /// first timestamp for its first group, else just after the previous group's last one, or
    /// the step after it in a regular group (exact then; a query placing the group can only be
    /// more cautious).
    #[inline]
    pub fn start(&self) -> i64 {
        start_bound(self.first, self.regular, self.prev, self.g)
    }
    /// Last timestamp.
    #[inline]
    pub fn end(&self) -> i64 {
        self.end
    }
    /// Samples.
    #[inline]
    pub fn len(&self) -> usize {
        self.count
    }
    /// Always false: groups hold at least one block.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
    /// The indexed facts.
    #[inline]
    pub fn stats(&self) -> Stats {
        self.st
    }
    /// The own sum ([`Stats::own`]) of its block `k` (`< GROUP`, in time order): a number
    /// only when the block has no NaN.
    #[inline]
    pub fn own_sum(&self, k: usize) -> f64 {
        self.index.own_sum(self.j * GROUP + k.min(self.n.saturating_sub(1)))
    }
    /// Its blocks, in time order (their headers parsed again).
    pub fn blocks(&self) -> GroupBlocks<'a> {
        GroupBlocks {
            buf: self.buf,
            index: self.index,
            block: self.j * GROUP,
            end: self.j * GROUP + self.n,
            pos: self.pos,
            prev: self.prev,
            prev_g: self.prev_g,
            regular: self.regular,
            g: self.g,
        }
    }

    /// What the index knows as a [`Summary`] ([`GroupFacts::summary`]).
    #[inline]
    pub fn summary(&self) -> Summary {
        self.facts().summary()
    }

    /// Its bounds, length and indexed facts.
    #[inline]
    pub fn facts(&self) -> GroupFacts {
        GroupFacts { start: self.start(), end: self.end, count: self.count, st: self.st }
    }

    /// Timestamp of the sample at position `at` of the group (arithmetic in a regular group;
    /// else the blocks' headers are walked to the one holding it, and its timestamps decoded
    /// unless it is constant-step).
    pub fn ts_at(&self, mut at: usize) -> Result<i64> {
        if self.regular && at < self.count {
            return Ok(self.start().wrapping_add((at as i64).wrapping_mul(self.g as i64)));
        }
        let mut ts = [0i64; BLOCK_LEN];
        for b in self.blocks() {
            let b = b?;
            if at < b.len() {
                return b.ts_at(at, &mut ts);
            }
            at -= b.len();
        }
        Err(Error::corrupt("group position"))
    }

    /// The first non-NaN sample (decodes the blocks it takes to find it).
    pub fn first_valid(&self) -> Result<Option<(i64, f64)>> {
        let (mut ts, mut vs) = ([0i64; BLOCK_LEN], [0f64; BLOCK_LEN]);
        for b in self.blocks() {
            let b = b?;
            b.decode_values(&mut vs)?;
            if let Some(i) = vs[..b.len()].iter().position(|v| !v.is_nan()) {
                return Ok(Some((b.ts_at(i, &mut ts)?, vs[i])));
            }
        }
        Ok(None)
    }

    /// The group's last block when the group has no NaN (its last sample is then the group's
    /// last non-NaN one): a query may keep it and decode it only if it needs that value.
    pub fn last_block_if_dense(&self) -> Result<Option<Block<'a>>> {
        if self.stats().nan != 0 {
            return Ok(None);
        }
        let mut last = None;
        for b in self.blocks() {
            last = Some(b?);
        }
        Ok(last)
    }

    /// The last sample of its block `k` (decoding that block), NaN or not.
    pub fn block_last(&self, k: usize) -> Result<(i64, f64)> {
        let b = self.blocks().nth(k).ok_or_else(|| Error::corrupt("group block"))??;
        let (mut ts, mut vs) = ([0i64; BLOCK_LEN], [0f64; BLOCK_LEN]);
        let n = b.len().min(BLOCK_LEN);
        if n == 0 {
            return Err(Error::corrupt("empty block"));
        }
        b.decode(&mut ts, &mut vs)?;
        Ok((ts[n - 1], vs[n - 1]))
    }

    /// The last non-NaN sample (decodes the blocks it takes to find it).
    pub fn last_valid(&self) -> Result<Option<(i64, f64)>> {
        let mut blocks = [None; GROUP];
        for (slot, b) in blocks.iter_mut().zip(self.blocks()) {
            *slot = Some(b?);
        }
        let (mut ts, mut vs) = ([0i64; BLOCK_LEN], [0f64; BLOCK_LEN]);
        for b in blocks.iter().rev().flatten() {
            b.decode_values(&mut vs)?;
            if let Some(i) = vs[..b.len()].iter().rposition(|v| !v.is_nan()) {
                return Ok(Some((b.ts_at(i, &mut ts)?, vs[i])));
            }
        }
        Ok(None)
    }
}

/// The blocks of a [`Group`].
pub struct GroupBlocks<'a> {
    buf: &'a [u8],
    index: &'a BlockIndex,
    block: usize,
    end: usize,
    pos: usize,
    prev: i64,
    prev_g: u64,
    regular: bool,
    g: u64,
}

impl GroupBlocks<'_> {
    /// The next block's [`Span`] when the group is regular (arithmetic: its header is not
    /// read); `None` otherwise or after the last block.
    #[inline]
    pub fn span(&self) -> Option<Span> {
        if !self.regular || self.block >= self.end {
            return None;
        }
        let g = self.g as i64;
        let start = if self.block == 0 { self.prev } else { self.prev.wrapping_add(g) };
        Some(Span { start, end: start.wrapping_add(g.wrapping_mul(BLOCK_LEN as i64 - 1)), len: BLOCK_LEN })
    }

    /// Moves past the next block without reading its header (after [`GroupBlocks::span`] gave
    /// `s`, its span).
    #[inline]
    pub fn pass(&mut self, s: Span) {
        self.pos += self.index.len_of(self.block);
        (self.prev, self.prev_g) = (s.end, self.g);
        self.block += 1;
    }
}

impl<'a> Iterator for GroupBlocks<'a> {
    type Item = Result<Block<'a>>;

    /// Why always inlined, with the header parsers it calls (`timestamps::read_header`,
    /// `intseq::Header::read`, `decimal::head`, the cursor's byte and zigzag reads): a scan
    /// decoding every block walks about 80 000 of them per 10 M samples. As separate functions
    /// (in wasm, calls returning ~100-byte results through memory) the walk cost about as much
    /// as the unpacking; inlined into the scan loop, the fields stay in locals and LLVM drops
    /// the checks it can prove. Measured: avg into 1-minute buckets in wasm, 14 % faster.
    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        if self.block >= self.end {
            return None;
        }
        let next = self.pos + self.index.len_of(self.block);
        let first = self.block == 0;
        let h = block::read_header_sized(self.buf, self.pos, next, self.prev, self.prev_g, first);
        self.block += 1;
        Some(h.map(|h| {
            (self.pos, self.prev, self.prev_g) = (next, h.end, h.g);
            Block::sealed(self.buf, h)
        }))
    }
}

/// Walks the groups of a chunk's sealed blocks, reading the index only.
pub struct Groups<'a> {
    buf: &'a [u8],
    index: &'a BlockIndex,
    j: usize,
    pos: usize,
    prev: i64,
    prev_g: u64,
}

impl<'a> Groups<'a> {
    /// `start` is the chunk's first timestamp.
    pub(super) fn new(buf: &'a [u8], index: &'a BlockIndex, start: i64) -> Groups<'a> {
        Groups { buf, index, j: 0, pos: 0, prev: start, prev_g: 1 }
    }
}

impl Groups<'_> {
    /// Moves past the next groups while `f` takes them, given their [`GroupFacts`] from the
    /// index records alone: for folding a run of groups without making a [`Group`] of each
    /// (a query folding whole groups into one bucket). A group whose step the index does not
    /// keep ends the run untaken (the next group's first header refers to its last one).
    #[inline]
    pub fn fold_while(&mut self, mut f: impl FnMut(&GroupFacts) -> bool) {
        let total = self.index.blocks();
        while self.j * GROUP < total {
            let r = self.index.rec(self.j);
            if r.g == u64::MAX {
                return;
            }
            let start = start_bound(self.j == 0, r.regular, self.prev, r.g);
            if !f(&GroupFacts { start, end: r.end, count: r.count, st: Stats { nan: r.nan, ..r.st } }) {
                return;
            }
            self.pos += self.index.group_bytes(self.j);
            (self.prev, self.prev_g) = (r.end, r.g);
            self.j += 1;
        }
    }
}

impl<'a> Iterator for Groups<'a> {
    type Item = Group<'a>;

    #[inline]
    fn next(&mut self) -> Option<Group<'a>> {
        let total = self.index.blocks();
        let j = self.j;
        if j * GROUP >= total {
            return None;
        }
        let r = self.index.rec(j);
        let g = Group {
            buf: self.buf,
            index: self.index,
            j,
            n: (total - j * GROUP).min(GROUP),
            pos: self.pos,
            prev: self.prev,
            prev_g: self.prev_g,
            first: j == 0,
            end: r.end,
            count: r.count,
            st: Stats { nan: r.nan, ..r.st },
            regular: r.regular,
            g: r.g,
        };
        self.j += 1;
        self.pos += self.index.group_bytes(j);
        let mut next_g = r.g;
        if next_g == u64::MAX {
            // A step beyond u32 (rare): the last block's header has it.
            let mut blocks = g.blocks();
            while let Some(Ok(_)) = blocks.next() {}
            next_g = blocks.prev_g;
        }
        (self.prev, self.prev_g) = (r.end, next_g);
        Some(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_equal_a_sequential_scan() {
        let cases: Vec<Vec<f64>> = vec![
            vec![1.0],
            vec![0.0, -0.0, 0.0, -0.0, 1.0],
            vec![-0.0, 0.0, -1.0, -1.0, 5.0, 5.0, 2.0],
            vec![f64::NAN, 2.0, f64::NAN, -3.0, 7.0],
            vec![f64::INFINITY, f64::NEG_INFINITY, 1.0],
            vec![f64::NAN; 9],
            (0..128).map(|i| ((i * 37) % 101) as f64 / 4.0).collect(),
        ];
        for vals in cases {
            let fast = stats(&vals);
            let slow = stats_slow(&vals, 0.0);
            assert_eq!((fast.nan, fast.min_at, fast.max_at), (slow.nan, slow.min_at, slow.max_at));
            assert_eq!(fast.min.to_bits(), slow.min.to_bits(), "{vals:?}");
            assert_eq!(fast.max.to_bits(), slow.max.to_bits(), "{vals:?}");
            assert!(fast.sum == slow.sum || (fast.sum.is_nan() && slow.sum.is_nan()));
            let own = vals.iter().fold(0.0, |s, &v| s + v);
            assert_eq!((fast.own.to_bits(), slow.own.to_bits()), (own.to_bits(), own.to_bits()), "{vals:?}");
        }
    }
}
