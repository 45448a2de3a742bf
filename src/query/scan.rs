//! Reading a series for queries: the visible samples of a range in time order, handed to a
//! [`Sink`] either as a whole chunk's [`Summary`] (when the sink can fold it without the
//! samples) or as decoded runs of one block at most; and the neighbour look-ups of twa.
//!
//! Why fast: a chunk inside the range is first offered as its summary, so aggregations whose
//! buckets hold whole chunks never decode them. Otherwise, for sinks that can, the chunk's
//! sealed blocks are offered in groups with their indexed facts (`chunk/index.rs`), and the
//! blocks of a group not taken whole one by one with their indexed sums, so only the blocks
//! straddling a bucket or pixel boundary need be decoded (in a regular group, one whose blocks
//! are full and evenly spaced, the others are placed by arithmetic, their headers not even
//! read). Decoding is one block at a time into stack buffers (no allocation); blocks outside
//! the range are skipped on their headers.
//! Retention: samples before [`Series::cutoff`] are invisible and never passed on.

use crate::chunk::bits::Fields;
use crate::chunk::decimal::Scale;
use crate::chunk::index::GROUP;
use crate::chunk::{Block, Group, Groups, Span, Summary, MAX_BLOCK_LEN};
use crate::error::Result;
use crate::series::Series;

/// Timestamps of a decoded run: materialised, or arithmetic for a constant-step block (not
/// decoding them saves a store per sample; bucket and pixel boundaries are then found by
/// arithmetic).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ts<'b> {
    /// Decoded, ascending.
    Slice(&'b [i64]),
    /// `start + i * step` for `i < len`, `step > 0`; `inv` is `1 / step`. Why no overflow:
    /// the block header was checked to end within i64.
    Step { start: i64, step: i64, len: usize, inv: f64 },
}

impl<'b> Ts<'b> {
    /// Number of timestamps.
    #[inline]
    pub fn len(&self) -> usize {
        match self {
            Ts::Slice(s) => s.len(),
            Ts::Step { len, .. } => *len,
        }
    }

    /// Timestamp `i` (`< len()`).
    #[inline]
    pub fn at(&self, i: usize) -> i64 {
        match self {
            Ts::Slice(s) => s[i],
            Ts::Step { start, step, .. } => start.wrapping_add(step.wrapping_mul(i as i64)),
        }
    }

    /// Timestamps `i..j`.
    #[inline]
    pub fn slice(&self, i: usize, j: usize) -> Ts<'b> {
        match *self {
            Ts::Slice(s) => Ts::Slice(&s[i..j]),
            Ts::Step { step, inv, .. } => Ts::Step { start: self.at(i), step, len: j - i, inv },
        }
    }

    /// The first index `k >= i` with `at(k) >= x` (`len()` if none).
    #[inline]
    pub fn lower_bound(&self, i: usize, x: i64) -> usize {
        match *self {
            Ts::Slice(s) => i + s[i..].partition_point(|&t| t < x),
            Ts::Step { len, inv, .. } => {
                if i >= len || self.at(i) >= x {
                    return i.min(len);
                }
                if self.at(len - 1) < x {
                    return len;
                }
                // An estimate by the reciprocal (no integer division: tens of cycles, once per
                // bucket), made exact by integer comparisons inside the block.
                let est = ((x as f64 - self.at(i) as f64) * inv) as usize;
                let mut k = i.saturating_add(est).clamp(i + 1, len - 1);
                while self.at(k) < x {
                    k += 1;
                }
                while self.at(k - 1) >= x {
                    k -= 1;
                }
                k
            }
        }
    }
}

/// Receives samples in time order.
pub(crate) trait Sink<'a> {
    /// Offers the summary of a chunk lying wholly inside the range. Returns true when the sink
    /// folded it; false to have its samples decoded and passed to [`Sink::run`] instead.
    fn summary(&mut self, s: &Summary) -> bool;
    /// Whether to offer groups of whole blocks ([`Sink::group`]) rather than decode them.
    fn wants_groups(&self) -> bool {
        false
    }
    /// Offers a group of blocks lying wholly inside the range (see [`Group`]: its summary lacks
    /// first / last / sum of squares, which it can find by decoding). Returns true when folded;
    /// false to have its samples decoded and passed to [`Sink::run`] instead.
    fn group(&mut self, _g: &Group<'a>) -> bool {
        false
    }
    /// Called after [`Sink::group`] folded a group: may fold a run of the chunk's next groups
    /// (each wholly inside `[lo, hi]`) from their indexed facts alone, exactly as offering
    /// them one by one to [`Sink::group`] would (see [`Groups::fold_while`]).
    fn group_run(&mut self, _groups: &mut Groups<'a>, _lo: i64, _hi: i64) {}
    /// Offers block `k` of group `g` (not folded as a whole), lying wholly inside the range, to
    /// fold from the index ([`Group::own_sum`]); `s` is its span. Returns true when folded;
    /// false to have it decoded and passed to [`Sink::run`] instead.
    fn block(&mut self, _g: &Group<'a>, _k: usize, _s: Span) -> bool {
        false
    }
    /// A run of decoded samples (timestamps ascending, non-empty). Returns false to stop.
    fn run(&mut self, ts: &[i64], vals: &[f64]) -> bool;
    /// Offers a block lying wholly inside the range, with constant-step timestamps `ts`, to
    /// fold while it decodes (`query/stream.rs`). `Ok(None)`: not taken (it is then decoded
    /// and passed to [`Sink::run_scaled`] or [`Sink::run`]); else whether to go on.
    fn stream(&mut self, _b: &Block<'a>, _ts: Ts<'_>) -> Result<Option<bool>> {
        Ok(None)
    }
    /// Whether to pass decimal blocks as integers ([`Sink::run_scaled`]) rather than values.
    fn wants_scaled(&self) -> bool {
        false
    }
    /// Whether to receive consecutive decimal blocks of a chunk as one batch
    /// ([`Sink::run_batch`]) rather than block by block. Such a sink must answer
    /// [`Sink::may_fold_block`] and [`Sink::may_fold_group`].
    fn wants_batches(&self) -> bool {
        false
    }
    /// Whether [`Sink::block`] might fold the block of span `s` (false: it surely declines;
    /// asked without changing anything, so that a batch need not be handed over before the
    /// offer).
    fn may_fold_block(&self, _s: Span) -> bool {
        true
    }
    /// [`Sink::may_fold_block`] for [`Sink::group`].
    fn may_fold_group(&self, _g: &Group<'a>) -> bool {
        true
    }
    /// Samples of whole decimal blocks of one chunk, contiguous in time: timestamps `ts`
    /// (constant step), values `vals` (never NaN, |value| <= 2^51). Returns false to stop.
    fn run_batch(&mut self, ts: Ts<'_>, vals: &[f64]) -> bool {
        let n = ts.len().min(vals.len());
        let mut t = [0i64; BATCH];
        for (i, x) in t.iter_mut().enumerate().take(n) {
            *x = ts.at(i);
        }
        self.run(&t[..n], &vals[..n])
    }
    /// A run of decoded samples whose values are `s.value(ints[i])` (never NaN, |value| <=
    /// 2^51), not materialised. Returns false to stop.
    fn run_scaled(&mut self, ts: Ts<'_>, ints: &[u64], s: Scale) -> bool {
        let n = ts.len().min(ints.len()).min(MAX_BLOCK_LEN);
        let (mut t, mut v) = ([0i64; MAX_BLOCK_LEN], [0f64; MAX_BLOCK_LEN]);
        for i in 0..n {
            (t[i], v[i]) = (ts.at(i), s.value(ints[i]));
        }
        self.run(&t[..n], &v[..n])
    }
}

/// Most samples of a batch: four groups of blocks.
const BATCH: usize = 4 * GROUP * MAX_BLOCK_LEN;

/// Decode buffers of a scan (one block), and the batch being gathered.
struct Bufs {
    ts: [i64; MAX_BLOCK_LEN],
    vals: [f64; MAX_BLOCK_LEN],
    ints: [u64; MAX_BLOCK_LEN],
    batch: Batch,
}

/// Values of consecutive decimal blocks (see [`Sink::run_batch`]), decoded but not yet handed
/// over.
///
/// Why: a sink folding small buckets (one sequential sum each: a chain of dependent additions)
/// can add two buckets' chains side by side only when it sees both buckets' samples at once;
/// a block of 128 samples rarely holds two whole 1-minute buckets, a batch of 2048 holds 34.
struct Batch {
    vals: [f64; BATCH],
    len: usize,
    start: i64,
    step: i64,
}

/// Stores streamed values (see `decimal::stream`: every index once) into a slice.
struct Collect<'o> {
    out: &'o mut [f64],
}

impl Fields<f64> for Collect<'_> {
    #[inline(always)]
    fn group(&mut self, i: usize, v: [f64; 8]) {
        self.out[i..i + 8].copy_from_slice(&v);
    }
    #[inline(always)]
    fn one(&mut self, i: usize, v: f64) {
        self.out[i] = v;
    }
}

impl Batch {
    /// Next timestamp after the batch (wrapping: only compared for contiguity).
    fn next_ts(&self) -> i64 {
        self.start.wrapping_add(self.step.wrapping_mul(self.len as i64))
    }

    /// Adds decimal block `b` (inside the range, constant step) when it continues the batch
    /// and fits, handing the batch over first when not. Returns Ok(None) when `b` cannot be
    /// batched (not decimal, or its integers have no exact [`Scale`]: the caller decodes it as
    /// usual), else whether to go on.
    ///
    /// Why fast: the values are usually streamed straight into the batch (unpacking, prefix
    /// sums and scaling in one pass, `decimal::stream`), else decoded as integers and scaled.
    fn push<'a>(&mut self, b: &Block<'a>, step: i64, ints: &mut [u64; MAX_BLOCK_LEN], sink: &mut impl Sink<'a>) -> Result<Option<bool>> {
        let n = b.len().min(MAX_BLOCK_LEN);
        if self.len > 0 && (self.len + n > BATCH || step != self.step || b.start() != self.next_ts()) && !self.flush(sink) {
            return Ok(Some(false));
        }
        let out = &mut self.vals[self.len..self.len + n];
        if !b.stream_values(&mut Collect { out })? {
            let Some(s) = b.decode_scaled(ints)? else { return Ok(None) };
            for (o, &x) in out.iter_mut().zip(&ints[..n]) {
                *o = s.value(x);
            }
        }
        if self.len == 0 {
            (self.start, self.step) = (b.start(), step);
        }
        self.len += n;
        Ok(Some(true))
    }

    /// Hands the batch to the sink (if any). Returns false when the sink stopped.
    fn flush<'a>(&mut self, sink: &mut impl Sink<'a>) -> bool {
        if self.len == 0 {
            return true;
        }
        let n = std::mem::take(&mut self.len);
        let ts = Ts::Step { start: self.start, step: self.step, len: n, inv: 1.0 / self.step as f64 };
        sink.run_batch(ts, &self.vals[..n])
    }
}

/// Decodes block `b` and passes its samples within `[lo, hi]` to `sink` (as integers when the
/// sink wants them and the block allows). Returns false when the sink stopped.
#[inline]
fn feed<'a>(b: &Block<'a>, lo: i64, hi: i64, buf: &mut Bufs, sink: &mut impl Sink<'a>) -> Result<bool> {
    if b.end() < lo || b.start() > hi {
        return Ok(true);
    }
    let n = b.len().min(MAX_BLOCK_LEN);
    let clip = |bt: &[i64]| {
        if b.start() >= lo && b.end() <= hi {
            (0, n)
        } else {
            (bt[..n].partition_point(|&t| t < lo), bt[..n].partition_point(|&t| t <= hi))
        }
    };
    let inside = b.start() >= lo && b.end() <= hi;
    let step = b
        .const_step()
        .filter(|_| inside)
        .map(|g| Ts::Step { start: b.start(), step: g as i64, len: n, inv: 1.0 / g as f64 });
    if let Some(ts) = step {
        if let Some(going) = sink.stream(b, ts)? {
            return Ok(going);
        }
    }
    if sink.wants_scaled() {
        if let Some(s) = b.decode_scaled(&mut buf.ints)? {
            if let Some(ts) = step {
                return Ok(sink.run_scaled(ts, &buf.ints[..n], s));
            }
            b.decode_timestamps(&mut buf.ts)?;
            let (i, j) = clip(&buf.ts);
            return Ok(i >= j || sink.run_scaled(Ts::Slice(&buf.ts[i..j]), &buf.ints[i..j], s));
        }
    }
    b.decode(&mut buf.ts, &mut buf.vals)?;
    let (s, e) = clip(&buf.ts);
    Ok(s >= e || sink.run(&buf.ts[s..e], &buf.vals[s..e]))
}

/// Passes the visible samples of `series` with `lo <= ts <= hi` to `sink`, in time order.
/// Returns false when the sink stopped early.
pub(crate) fn scan<'a>(series: &'a Series, lo: i64, hi: i64, sink: &mut impl Sink<'a>) -> Result<bool> {
    let lo = lo.max(series.cutoff());
    if lo > hi {
        return Ok(true);
    }
    let chunks = series.chunks();
    let first = chunks.partition_point(|c| c.end() < lo);
    let batch = Batch { vals: [0.0; BATCH], len: 0, start: 0, step: 1 };
    let mut buf = Bufs { ts: [0; MAX_BLOCK_LEN], vals: [0.0; MAX_BLOCK_LEN], ints: [0; MAX_BLOCK_LEN], batch };
    let batches = sink.wants_batches();
    for c in &chunks[first..] {
        if c.is_empty() {
            continue;
        }
        if c.start() > hi {
            break;
        }
        if c.start() >= lo && c.end() <= hi && sink.summary(c.summary()) {
            continue;
        }
        if let Some(mut groups) = c.groups().filter(|_| sink.wants_groups()) {
            while let Some(g) = groups.next() {
                if g.end() < lo {
                    continue;
                }
                if g.start() > hi {
                    break;
                }
                if g.start() >= lo && g.end() <= hi && (!batches || sink.may_fold_group(&g)) {
                    if !buf.batch.flush(sink) {
                        return Ok(false);
                    }
                    if sink.group(&g) {
                        sink.group_run(&mut groups, lo, hi);
                        continue;
                    }
                }
                let mut blocks = g.blocks();
                let mut k = 0;
                loop {
                    // A block is offered to fold from the index on its span: arithmetic in a
                    // regular group (the header of a block folded so is never read), else
                    // from its header.
                    let known = blocks.span();
                    let header = match known {
                        Some(_) => None,
                        None => match blocks.next() {
                            Some(b) => Some(b?),
                            None => break,
                        },
                    };
                    let Some(s) = known.or(header.as_ref().map(Block::span)) else { break };
                    let inside = s.start >= lo && s.end <= hi;
                    if inside && (!batches || sink.may_fold_block(s)) {
                        if !buf.batch.flush(sink) {
                            return Ok(false);
                        }
                        if sink.block(&g, k, s) {
                            if header.is_none() {
                                blocks.pass(s);
                            }
                            k += 1;
                            continue;
                        }
                    }
                    k += 1;
                    let b = match header {
                        Some(b) => b,
                        None => match blocks.next() {
                            Some(b) => b?,
                            None => break,
                        },
                    };
                    debug_assert_eq!(b.span(), s);
                    if let Some(step) = b.const_step().filter(|_| batches && inside) {
                        match buf.batch.push(&b, step as i64, &mut buf.ints, sink)? {
                            Some(true) => continue,
                            Some(false) => return Ok(false),
                            None => {}
                        }
                    }
                    if !buf.batch.flush(sink) || !feed(&b, lo, hi, &mut buf, sink)? {
                        return Ok(false);
                    }
                }
            }
            // Batches stay within a chunk.
            if !buf.batch.flush(sink) {
                return Ok(false);
            }
            if let Some(b) = c.tail_block() {
                if !feed(&b, lo, hi, &mut buf, sink)? {
                    return Ok(false);
                }
            }
            continue;
        }
        for b in c.blocks() {
            let b = b?;
            if b.start() > hi {
                break;
            }
            if !feed(&b, lo, hi, &mut buf, sink)? {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Passes the visible samples with `lo <= ts <= hi` to `f` newest first, one chunk's worth at a
/// time (each slice newest first), until `f` returns false.
pub(crate) fn scan_rev(series: &Series, lo: i64, hi: i64, mut f: impl FnMut(&[i64], &[f64]) -> bool) -> Result<()> {
    let lo = lo.max(series.cutoff());
    if lo > hi {
        return Ok(());
    }
    let chunks = series.chunks();
    let end = chunks.partition_point(|c| c.start() <= hi);
    let (mut ts, mut vals) = (Vec::new(), Vec::new());
    for c in chunks[..end].iter().rev() {
        if c.is_empty() {
            continue;
        }
        if c.end() < lo {
            break;
        }
        ts.clear();
        vals.clear();
        c.decode_range_into(lo, hi, &mut ts, &mut vals)?;
        ts.reverse();
        vals.reverse();
        if !ts.is_empty() && !f(&ts, &vals) {
            break;
        }
    }
    Ok(())
}

/// The newest visible non-NaN sample with `ts < t`.
pub(crate) fn prev_valid(series: &Series, t: i64) -> Result<Option<(i64, f64)>> {
    let cutoff = series.cutoff();
    if t <= cutoff {
        return Ok(None);
    }
    let chunks = series.chunks();
    let end = chunks.partition_point(|c| c.start() < t);
    let (mut ts, mut vals) = (Vec::new(), Vec::new());
    for c in chunks[..end].iter().rev() {
        if c.is_empty() {
            continue;
        }
        if c.end() < cutoff {
            break;
        }
        if c.end() < t {
            if let Some(last) = c.summary().last {
                return Ok((last.0 >= cutoff).then_some(last));
            }
            continue;
        }
        ts.clear();
        vals.clear();
        c.decode_range_into(cutoff, t - 1, &mut ts, &mut vals)?;
        if let Some(i) = vals.iter().rposition(|v| !v.is_nan()) {
            return Ok(Some((ts[i], vals[i])));
        }
    }
    Ok(None)
}

/// The oldest visible non-NaN sample with `ts >= t`.
pub(crate) fn next_valid(series: &Series, t: i64) -> Result<Option<(i64, f64)>> {
    let t = t.max(series.cutoff());
    let chunks = series.chunks();
    let first = chunks.partition_point(|c| c.end() < t);
    let (mut ts, mut vals) = (Vec::new(), Vec::new());
    for c in &chunks[first..] {
        if c.is_empty() {
            continue;
        }
        if c.start() >= t {
            if let Some(f) = c.summary().first {
                return Ok(Some(f));
            }
            continue;
        }
        ts.clear();
        vals.clear();
        c.decode_range_into(t, i64::MAX, &mut ts, &mut vals)?;
        if let Some(i) = vals.iter().position(|v| !v.is_nan()) {
            return Ok(Some((ts[i], vals[i])));
        }
    }
    Ok(None)
}
