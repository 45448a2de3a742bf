//! Walking a chunk's sealed blocks by the groups of its block index (`index.rs`): [`Groups`]
//! yields each [`Group`] with its indexed facts, reading the index records only; a group's
//! [`GroupBlocks`] parse its blocks' headers again when a query decodes it, or, in a regular
//! group, give their [`Span`]s by arithmetic and pass them unread.

use super::block;
use super::index::{BlockIndex, Stats, GROUP};
use super::iter::Block;
use super::{Summary, BLOCK_LEN};
use crate::error::{Error, Result};

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
    #[inline]
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
            if !f(&GroupFacts { start, end: r.end, count: r.count, st: r.st }) {
                return;
            }
            self.pos += self.index.group_bytes(self.j);
            (self.prev, self.prev_g) = (r.end, r.g);
            self.j += 1;
        }
    }
}

/// The step the last block's header of a group gives (a step beyond u32: rare, so out of
/// line, taking the walk by value: the group itself is never address-taken).
#[cold]
#[inline(never)]
fn last_step(mut blocks: GroupBlocks<'_>) -> u64 {
    while let Some(Ok(_)) = blocks.next() {}
    blocks.prev_g
}

impl<'a> Iterator for Groups<'a> {
    type Item = Group<'a>;

    // Always inlined: otherwise the group comes back through memory and is moved into the
    // caller's binding with a `memory.copy`, which V8 calls out of line (once per group).
    #[inline(always)]
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
            st: r.st,
            regular: r.regular,
            g: r.g,
        };
        // A step beyond u32 (rare): the last block's header has it.
        let next_g = if r.g == u64::MAX { last_step(g.blocks()) } else { r.g };
        self.j += 1;
        self.pos += self.index.group_bytes(j);
        (self.prev, self.prev_g) = (r.end, next_g);
        Some(g)
    }
}
