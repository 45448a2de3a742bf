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
//! bytes per sample. Walking the groups (`groups.rs`) reads these records only, never the chunk's bytes
//! (whose block headers would cost a cache miss each): a group's first timestamp is known to
//! be after the previous group's `end` (exactly the chunk's start for the first group), which
//! is all a query needs to place it; `end` and `g` are also what the first block's header
//! refers to, so a group is decoded without the blocks before it. Within a decoded group, block
//! lengths let a walk parse only the blocks' timestamp fields (`block::read_header_sized`).
//!
//! A group is **regular** when its blocks are all full ([`BLOCK_LEN`] samples) with one constant
//! step `g` (the record's), each starting `g` after the sample before it (the previous group's
//! last, for its first block; a chunk's first block starts the chunk). Then every block's
//! first and last timestamps are arithmetic ([`super::GroupBlocks::span`]), so a query
//! folding the blocks of a group straddling a boundary from their indexed sums reads none of
//! their headers (a cache miss each), only the header of the block it decodes. Regular data
//! (a fixed sampling rate) gives regular groups.
//!
//! What is deliberately not kept (bytes versus what it buys): the sum of squares (std / var
//! decode the groups they straddle), and first / last values (a query that needs them decodes
//! the one block that holds them: see [`super::Group::first_valid`] / [`super::Group::last_valid`]). Timestamps
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

use super::BLOCK_LEN;

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
    /// kept for groups (0 in a group's [`super::Group::stats`]).
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

/// A group record's fixed part (see the module documentation); `st.own` is not kept (0).
#[derive(Debug, Clone, Copy)]
pub(super) struct Rec {
    pub(super) count: usize,
    pub(super) st: Stats,
    pub(super) end: i64,
    /// `u64::MAX` when not kept ([`G_WIDE`]).
    pub(super) g: u64,
    /// A regular group (see the module documentation).
    pub(super) regular: bool,
}

impl Rec {
    /// Always inlined: as a call (which LLVM chose in the big scan loops) its ~80-byte result
    /// comes back through memory, once per group walked.
    #[inline(always)]
    fn read(b: &[u8]) -> Rec {
        let mut c = [0u8; 8];
        c[..5].copy_from_slice(&b[..5]);
        let c = u64::from_le_bytes(c);
        let g = u32::from_le_bytes([b[37], b[38], b[39], b[40]]);
        Rec {
            count: (c & 0x3ff) as usize,
            st: Stats {
                nan: (c >> 10 & 0x3ff) as usize,
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
            | (self.st.nan as u64) << 10
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
        // The last record (the current group's, or the previous group's when this block starts
        // a group): its end is the sample before this block.
        let last = (self.blocks > 0).then(|| Rec::read(&self.recs[self.recs.len() - REC..]));
        let regular = step.is_some_and(|s| {
            count == BLOCK_LEN
                && ts.windows(2).fold(0i64, |a, w| a | (w[1].wrapping_sub(w[0]) ^ s)) == 0
                && last.is_none_or(|l| l.end.checked_add(s) == Some(ts[0]))
        });
        if k == 0 {
            self.recs.reserve_exact(REC);
            self.recs.resize(self.recs.len() + REC, 0);
            self.own.reserve_exact(8 * GROUP);
            self.own.resize(self.own.len() + 8 * GROUP, 0);
        }
        let at = self.recs.len() - REC;
        let mut r = match last {
            Some(r) if k > 0 => r,
            _ => Rec { count: 0, st: Stats { nan: 0, ..st }, end, g, regular },
        };
        if k > 0 {
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
        (r.count, r.st.nan, r.end, r.g) = (r.count + count, r.st.nan + st.nan, end, g);
        r.write(&mut self.recs[at..]);
        let l = at + LENS + 2 * k;
        self.recs[l..l + 2].copy_from_slice(&(len as u16).to_le_bytes());
        let s = self.own.len() - 8 * GROUP + 8 * k;
        self.own[s..s + 8].copy_from_slice(&st.own.to_le_bytes());
        self.blocks += 1;
    }

    #[inline(always)]
    pub(super) fn rec(&self, j: usize) -> Rec {
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
    pub(super) fn group_bytes(&self, j: usize) -> usize {
        let r = &self.recs[j * REC + LENS..j * REC + REC];
        r.chunks_exact(2).map(|x| u16::from_le_bytes([x[0], x[1]]) as usize).sum()
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
