//! Aggregated ranges: samples into buckets, one value per aggregator, EMPTY buckets
//! (docs/semantics/query.md §3–§8).
//!
//! One pass in time order. A bucket ("group") is closed when a sample of another bucket
//! arrives; it is reported when an aggregator of the request has input in it (filters apply
//! first), at its BUCKETTIMESTAMP. With EMPTY, the gaps between reported buckets are filled
//! (`sum` and the counts 0, `last` the newest value before the gap, others NaN, twa
//! interpolated), and twa also fills before the first and after the last reported bucket.
//! A bucket's twa value needs the first sample of the next reported bucket: its row is written
//! at once and patched when that sample arrives (or from the series after the range).
//!
//! With an aggregator list (an extension), a row is reported when any aggregator has input;
//! an aggregator without input there gives its EMPTY value (NaN, or 0 for `sum` and the counts).
//!
//! Why fast: with no filter and no twa, a chunk lying in one bucket is folded from its summary
//! ([`Acc::merge_summary`]), and so is a group of blocks from the chunk's block index (unless
//! std / var need the sum of squares, which the index does not keep; first / last values are
//! then found by decoding one block, and only when an aggregator or EMPTY reads them); in a
//! group straddling a bucket boundary, the blocks that do not are folded from their indexed
//! sums when only sums and counts are read (no min / max, first / last or EMPTY); a
//! decoded block's run inside one bucket is added in one call ([`Acc::add_run`]); bucket
//! boundaries are found by comparing with the bucket end, not by a division per sample.

use super::aggregator::{Acc, Aggregator, Need};
use super::bucket::{BucketTimestamp, Buckets};
use super::request::{Aggregation, RangeRequest, RangeResult};
use super::scan::{next_valid, prev_valid, scan, Sink, Ts};
use super::stream::{fold_block, Bucketed};
use super::twa::{self, Twa};
use crate::chunk::decimal::Scale;
use crate::chunk::index::GROUP;
use crate::chunk::{Block, Group as BlockGroup, Groups, Span, Summary, BLOCK_LEN};
use crate::error::{Error, Result};
use crate::series::Series;

mod runs;

/// Most buckets EMPTY may add to one reply (beyond that the query is refused, not the
/// process aborted by an allocation failure).
pub const MAX_EMPTY_BUCKETS: u64 = 10_000_000;

struct Group {
    start: i64,
    end: i64,
    acc: Acc,
    twa: Twa,
}

/// A reported row whose twa value waits for its right neighbour.
struct Pending {
    row: usize,
    twa: Twa,
    tb: i64,
}

struct Bucketer<'a> {
    series: &'a Series,
    req: &'a RangeRequest,
    aggs: &'a [Aggregator],
    grid: Buckets,
    bt: BucketTimestamp,
    empty: bool,
    twa: bool,
    need: Need,
    /// Whether first / last values are read (first / last aggregators, EMPTY).
    ends: bool,
    filters: bool,
    /// No EMPTY, twa or COUNT: buckets close without side work (see [`Bucketer::enter`]).
    simple: bool,
    /// Effective end for twa's EMPTY fill (`+` → newest sample).
    fill_to: i64,
    /// LATEST's sample (not stored: EMPTY's twa interpolation does not use it).
    latest: Option<(i64, f64)>,
    cur: Option<Group>,
    /// Start of the last reported bucket.
    prev: Option<i64>,
    /// Newest non-NaN sample of the (filtered) stream so far, before the current group.
    last_valid: Option<(i64, f64)>,
    pending: Option<Pending>,
    out: RangeResult,
    /// Stop once this many rows exist (forward COUNT without twa).
    limit: Option<usize>,
    /// Samples of the last bucket that started and ended inside one run (a guess for the
    /// next one's length).
    hint: usize,
    filled: u64,
    err: Option<Error>,
}

/// Evaluates an aggregated range over `series` (plus `latest`, a destination's open bucket,
/// appended when in range), in time order; the caller reverses and applies COUNT.
pub(crate) fn aggregate(
    series: &Series,
    latest: Option<(i64, f64)>,
    req: &RangeRequest,
    agg: &Aggregation,
) -> Result<RangeResult> {
    let grid = agg.buckets(req.from, req.to);
    let twa = agg.aggregators.contains(&Aggregator::Twa);
    let fill_to = if req.to == i64::MAX { series.last().map_or(req.to, |(t, _)| t.min(req.to)) } else { req.to };
    let limit = match req.count {
        Some(n) if !req.reverse && !twa => Some(usize::try_from(n).unwrap_or(usize::MAX)),
        _ => None,
    };
    let mut b = Bucketer {
        series,
        req,
        aggs: &agg.aggregators,
        grid,
        bt: agg.bucket_timestamp,
        empty: agg.empty,
        twa,
        need: Need::of(&agg.aggregators),
        ends: agg.empty || agg.aggregators.iter().any(|a| matches!(a, Aggregator::First | Aggregator::Last)),
        filters: req.has_filters(),
        simple: !agg.empty && !twa && limit.is_none(),
        fill_to,
        latest,
        cur: None,
        prev: None,
        last_valid: None,
        pending: None,
        out: RangeResult::with_columns(agg.aggregators.len()),
        limit,
        hint: 1,
        filled: 0,
        err: None,
    };
    if req.from > req.to {
        return Ok(b.out);
    }
    reserve_rows(&mut b.out, series, req, agg.bucket_duration);
    let mut going = scan(series, req.from, req.to, &mut b)?;
    if let Some((t, v)) = latest.filter(|&(t, _)| req.from <= t && t <= req.to) {
        if going {
            going = b.run(&[t], &[v]);
        }
    }
    if let Some(e) = b.err.take() {
        return Err(e);
    }
    if going {
        b.finish()?;
    }
    if let Some(e) = b.err.take() {
        return Err(e);
    }
    Ok(b.out)
}

#[cfg(test)]
thread_local! {
    /// Tests: take the wasm path (no streamed folds) on this thread.
    pub(super) static NO_STREAM: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether folds are not streamed (tests of the wasm path natively).
#[inline(always)]
fn no_stream() -> bool {
    #[cfg(test)]
    return NO_STREAM.with(|c| c.get());
    #[cfg(not(test))]
    false
}

/// Where a run of samples `[start, end]` falls (see [`Bucketer::place`]).
enum Place {
    /// In the current group (opened if needed).
    Inside,
    /// Across a bucket boundary.
    Straddles,
    /// The reply is complete or failed: ignore it.
    Stop,
}

/// Reserves the reply's columns for the buckets the stored samples can fill (at most one row
/// per sample), so that a reply of many small buckets is not grown by copies.
fn reserve_rows(out: &mut RangeResult, series: &Series, req: &RangeRequest, d: i64) {
    let chunks = series.chunks();
    let (Some(first), Some(last)) = (chunks.first(), chunks.last()) else { return };
    let (lo, hi) = (req.from.max(first.start()), req.to.min(last.end()));
    if lo > hi {
        return;
    }
    let samples: usize = chunks.iter().map(|c| c.len()).sum();
    let buckets = (hi as i128 - lo as i128) / d.max(1) as i128 + 2;
    let rows = buckets.min(samples as i128).min(1 << 22) as usize;
    out.timestamps.reserve(rows);
    for c in &mut out.columns {
        c.reserve(rows);
    }
}

impl<'a> Sink<'a> for Bucketer<'a> {
    fn summary(&mut self, s: &Summary) -> bool {
        if self.full() {
            return true;
        }
        if self.filters || self.twa || self.err.is_some() {
            return false;
        }
        match self.place(s.start, s.end) {
            Place::Inside => self.cur.as_mut().is_some_and(|g| g.acc.merge_summary(s)),
            Place::Straddles => false,
            Place::Stop => true,
        }
    }

    fn wants_groups(&self) -> bool {
        !(self.filters || self.twa || self.need.sum_sq)
    }

    fn group(&mut self, b: &BlockGroup<'a>) -> bool {
        if !self.may_fold_group(b) {
            return false;
        }
        if self.full() {
            return true;
        }
        match self.place(b.start(), b.end()) {
            Place::Inside => {}
            Place::Straddles => return false,
            Place::Stop => return true,
        }
        // A group's sum is its sequential sum: folded into an empty bucket it is exact. A
        // partial group (a chunk's last) after other samples of the bucket is offered block by
        // block instead (see `block`: only buckets smaller than a block always add in time
        // order); whole groups, as whole chunks, fold within rounding.
        let empty = self.cur.as_ref().is_some_and(|g| g.acc.count == 0);
        if !empty && b.len() < GROUP * BLOCK_LEN {
            return false;
        }
        let mut s = b.summary();
        if self.ends && s.count > s.nan_count {
            let want_first = self.cur.as_ref().is_some_and(|g| g.acc.first.is_none());
            let ends = || -> Result<_> {
                Ok((if want_first { b.first_valid()? } else { None }, b.last_valid()?))
            };
            match ends() {
                Ok((f, l)) => (s.first, s.last) = (f, l),
                Err(e) => {
                    self.err = Some(e);
                    return false;
                }
            }
        }
        self.cur.as_mut().is_some_and(|g| g.acc.merge_summary(&s))
    }

    /// The run a group folded by [`Bucketer::group`] may start: the next groups that lie in
    /// the same bucket, are whole (so the fold's `empty` condition does not arise) and fold
    /// (`merge_summary` of the same summary as `group` makes, so the same bits).
    fn group_run(&mut self, groups: &mut Groups<'a>, lo: i64, hi: i64) {
        if self.ends || self.full() || self.err.is_some() {
            return;
        }
        let Some(c) = self.cur.as_mut() else { return };
        let (from, end) = (c.start.max(lo), c.end);
        groups.fold_while(|f| {
            f.start >= from && f.end <= hi && f.end < end && f.count == GROUP * BLOCK_LEN && c.acc.merge_summary(&f.summary())
        });
    }

    fn block(&mut self, g: &BlockGroup<'a>, k: usize, b: Span) -> bool {
        if !self.may_fold_block(b) {
            return false;
        }
        if self.full() {
            return true;
        }
        // A number only when the block has no NaN (see `chunk/index.rs`).
        let sum = g.own_sum(k);
        if sum.is_nan() {
            return false;
        }
        match self.place(b.start, b.end) {
            Place::Inside => {}
            Place::Straddles => return false,
            Place::Stop => return true,
        }
        // As for groups: the block's own sum is its sequential sum, exact into an empty bucket;
        // a partial block after other samples is decoded (buckets smaller than a block add in
        // time order), a whole one folds within rounding. Its magnitude is bounded by the
        // group's extremes.
        let empty = self.cur.as_ref().is_some_and(|c| c.acc.count == 0);
        if !empty && b.len < BLOCK_LEN {
            return false;
        }
        let st = g.stats();
        let magnitude = st.min.abs().max(st.max.abs());
        self.cur.as_mut().is_some_and(|c| c.acc.merge_sum(b.len as u64, sum, magnitude))
    }

    fn run(&mut self, ts: &[i64], vals: &[f64]) -> bool {
        if self.full() {
            return false;
        }
        let n = ts.len().min(vals.len());
        let mut i = 0;
        while i < n {
            let (t, v) = (ts[i], vals[i]);
            if self.filters && !self.req.passes(t, v) {
                i += 1;
                continue;
            }
            if self.filters || self.twa {
                if !self.enter(t) {
                    return false;
                }
                self.add(t, v);
                i += 1;
                continue;
            }
            let Some(j) = self.bucket_run(Ts::Slice(&ts[..n]), i) else { return false };
            if let Some(g) = self.cur.as_mut() {
                g.acc.add_run_for(&ts[i..j], &vals[i..j], self.need);
            }
            i = j;
        }
        self.err.is_none()
    }

    fn stream(&mut self, b: &Block<'a>, ts: Ts<'_>) -> Result<Option<bool>> {
        // Not in wasm: there it measured 10% slower than decoding into an array (values cross
        // from scalar to vector registers lane by lane); with division-free decoding the two
        // measured within noise. Sums and counts alone go through batches (`run_batch`).
        if cfg!(target_arch = "wasm32") || no_stream() || self.filters || self.twa || self.need.sum_sq || self.need.extremes {
            return Ok(None);
        }
        if self.full() || self.err.is_some() {
            return Ok(Some(false));
        }
        let going = fold_block(self, b, ts)?;
        Ok(going.map(|g| g && self.err.is_none()))
    }

    fn wants_scaled(&self) -> bool {
        !(self.filters || self.twa)
    }

    /// Only when sums and counts are all that is read: that is where folding several buckets
    /// at once pays; extremes are faster found per block on its integers ([`Sink::run_scaled`]).
    fn wants_batches(&self) -> bool {
        !(self.filters || self.twa || self.need.sum_sq || self.need.extremes || self.ends)
    }

    /// The conditions under which [`Bucketer::block`] declines without looking further: the
    /// index keeps a block's sum, not its extremes or first / last value; a block longer than
    /// a bucket straddles (small buckets: no division to find out).
    fn may_fold_block(&self, b: Span) -> bool {
        !(self.ends || self.need.extremes || self.err.is_some())
            && (self.full() || b.end.saturating_sub(b.start) < self.grid.duration)
    }

    /// The conditions under which [`Bucketer::group`] declines without looking further: a
    /// group longer than a bucket straddles.
    fn may_fold_group(&self, g: &BlockGroup<'a>) -> bool {
        self.full() || (self.err.is_none() && g.end().saturating_sub(g.start()) < self.grid.duration)
    }

    /// Runs of whole decimal blocks: the whole buckets among them four at a time
    /// ([`Bucketer::whole_buckets`]) in simple mode, the others (the batch's first and last
    /// runs, or every run with COUNT) one by one.
    fn run_batch(&mut self, ts: Ts<'_>, vals: &[f64]) -> bool {
        if self.full() {
            return false;
        }
        let n = ts.len().min(vals.len());
        let ts = ts.slice(0, n);
        let mut i = 0;
        while i < n {
            let Some(j) = self.bucket_run(ts, i) else { return false };
            let Some(g) = self.cur.as_mut() else { return false };
            g.acc.add_bounded_for(ts.slice(i, j), &vals[i..j], self.need);
            i = if self.simple && j < n { self.whole_buckets(ts, vals, j) } else { j };
        }
        self.err.is_none()
    }

    fn run_scaled(&mut self, ts: Ts<'_>, ints: &[u64], s: Scale) -> bool {
        if self.full() {
            return false;
        }
        let n = ts.len().min(ints.len());
        let ts = ts.slice(0, n);
        let mut i = 0;
        while i < n {
            let Some(j) = self.bucket_run(ts, i) else { return false };
            if let Some(g) = self.cur.as_mut() {
                g.acc.add_scaled_for(ts.slice(i, j), &ints[i..j], s, self.need);
            }
            i = j;
        }
        self.err.is_none()
    }
}

impl Bucketed for Bucketer<'_> {
    fn enter(&mut self, t: i64) -> bool {
        Bucketer::enter(self, t)
    }
    fn current(&mut self) -> Option<(i64, &mut Acc)> {
        self.cur.as_mut().map(|g| (g.end, &mut g.acc))
    }
}

impl Bucketer<'_> {
    /// Makes the bucket of `t` current (closing the current one, opening the new one). Returns
    /// false to stop.
    #[inline]
    fn enter(&mut self, t: i64) -> bool {
        if self.cur.as_ref().is_some_and(|g| g.start <= t && t < g.end) {
            return true;
        }
        let start = self.next_start(self.cur.as_ref().map(|g| g.end), t);
        if self.simple && self.cur.is_some() {
            self.roll(start, Acc::new());
            return self.err.is_none();
        }
        if !self.close() {
            return false;
        }
        self.open(start);
        true
    }

    /// Simple mode (no EMPTY, twa or COUNT), with a current group: closing it is reporting its
    /// row and remembering its last value; then the bucket at `start` becomes current with
    /// accumulator `acc`, reusing the group in place (no ~200-byte moves per bucket).
    #[inline(always)]
    fn roll(&mut self, start: i64, acc: Acc) {
        let Some(g) = self.cur.as_mut() else { return };
        if self.aggs.iter().any(|a| a.has_input(&g.acc)) {
            self.out.timestamps.push(self.grid.reported(g.start, self.bt));
            for (a, col) in self.aggs.iter().zip(self.out.columns.iter_mut()) {
                col.push(a.finish(&g.acc).unwrap_or(a.empty_value()));
            }
            self.prev = Some(g.start);
        }
        if let Some(l) = g.acc.last {
            self.last_valid = Some(l);
        }
        (g.start, g.end, g.acc) = (start, self.grid.end_of(start), acc);
    }

    /// Finds the bucket of a run of samples `[start, end]` (opening it, closing the current
    /// one) when the run lies in one bucket.
    #[inline]
    fn place(&mut self, start: i64, end: i64) -> Place {
        if let Some(g) = self.cur.as_ref() {
            if start >= g.start && end < g.end {
                return Place::Inside;
            }
        }
        let b = self.grid.start_of(start);
        if end >= self.grid.end_of(b) {
            return Place::Straddles;
        }
        if self.cur.as_ref().is_none_or(|g| g.start != b) {
            if !self.close() {
                return Place::Stop;
            }
            self.open(b);
        }
        Place::Inside
    }

    fn open(&mut self, start: i64) {
        let ta = start.max(0).max(self.req.from);
        self.cur = Some(Group { start, end: self.grid.end_of(start), acc: Acc::new(), twa: Twa::new(None, ta) });
    }

    /// Adds one sample to the current group (twa included).
    fn add(&mut self, t: i64, v: f64) {
        let twa = self.twa;
        let Some(g) = self.cur.as_mut() else { return };
        g.acc.add(t, v);
        if !twa || v.is_nan() {
            return;
        }
        if g.twa.first.is_none() {
            // First valid sample of this bucket: it is the right neighbour of the previous
            // reported bucket, and its left neighbour is that bucket's last sample (or, for
            // the first bucket, the series' sample before it, filters and range ignored).
            let left = match self.last_valid {
                Some(l) => Some(l),
                None => match prev_valid(self.series, t) {
                    Ok(l) => l,
                    Err(e) => {
                        self.err.get_or_insert(e);
                        None
                    }
                },
            };
            g.twa.left = left;
            if let Some(p) = self.pending.take() {
                let val = p.twa.finish(Some((t, v)), p.tb).unwrap_or(f64::NAN);
                self.patch_twa(p.row, val);
            }
        }
        if let Some(g) = self.cur.as_mut() {
            g.twa.add(t, v);
        }
    }

    fn patch_twa(&mut self, row: usize, val: f64) {
        for (i, a) in self.aggs.iter().enumerate() {
            if *a == Aggregator::Twa {
                if let Some(x) = self.out.columns[i].get_mut(row) {
                    *x = val;
                }
            }
        }
    }

    fn full(&self) -> bool {
        self.limit.is_some_and(|l| self.out.len() >= l)
    }

    /// Closes the current group: EMPTY fill before it, then its row. Returns false to stop.
    fn close(&mut self) -> bool {
        // Borrowed, not taken: a group is about 200 bytes, and this runs once per bucket.
        let Some(g) = self.cur.as_ref() else { return self.err.is_none() };
        let reported = self.aggs.iter().any(|a| a.has_input(&g.acc));
        let (start, first, last) = (g.start, g.acc.first, g.acc.last);
        if reported {
            if self.empty {
                match self.prev {
                    Some(p) => {
                        // Without filters, the samples around the gap are the stream's.
                        let (b, a) = if self.filters {
                            (None, None)
                        } else {
                            (self.last_valid, first.filter(|&f| Some(f) != self.latest))
                        };
                        self.fill(
                            p.saturating_add(self.grid.duration),
                            start.saturating_sub(self.grid.duration),
                            true,
                            b,
                            a,
                        );
                    }
                    None if self.twa => {
                        let fb = self.grid.start_of(self.req.from);
                        if fb >= 0 && fb < start {
                            self.fill(fb, start.saturating_sub(self.grid.duration).max(0), false, None, None);
                        }
                    }
                    None => {}
                }
            }
            if !self.full() {
                self.push_row();
            }
            self.prev = Some(start);
        }
        if let Some(l) = last {
            self.last_valid = Some(l);
        }
        self.cur = None;
        self.err.is_none() && !self.full()
    }

    /// Writes the current group's row.
    fn push_row(&mut self) {
        let Some(g) = self.cur.as_ref() else { return };
        let row = self.out.len();
        self.out.timestamps.push(self.grid.reported(g.start, self.bt));
        for (a, col) in self.aggs.iter().zip(self.out.columns.iter_mut()) {
            let v = match a {
                Aggregator::Twa => f64::NAN,
                _ => a.finish(&g.acc).unwrap_or(a.empty_value()),
            };
            col.push(v);
        }
        if self.twa && g.twa.first.is_some() {
            let tb = g.end.min(self.req.to);
            self.pending = Some(Pending { row, twa: g.twa, tb });
        }
    }

    /// Adds EMPTY rows for the buckets `first ..= last` (bucket starts, step d). `gap`: between
    /// two reported buckets (every aggregator fills); otherwise a twa-only run before the first
    /// or after the last reported bucket, omitted when twa cannot interpolate. `b` / `a`: twa's
    /// interpolation samples when known from the stream (else looked up in the series).
    fn fill(&mut self, first: i64, last: i64, gap: bool, b: Option<(i64, f64)>, a: Option<(i64, f64)>) {
        if first > last || self.err.is_some() || self.full() {
            return;
        }
        let d = self.grid.duration;
        let mut line = None;
        if self.twa {
            let ta0 = first.max(0).max(self.req.from);
            type Line = ((i64, f64), (i64, f64));
            let lookup = || -> Result<Option<Line>> {
                let before = match b {
                    Some(b) => Some(b),
                    None => prev_valid(self.series, ta0)?,
                };
                let after = match a {
                    Some(a) => Some(a),
                    None => next_valid(self.series, ta0)?,
                };
                Ok(before.zip(after))
            };
            match lookup() {
                Ok(l) => line = l,
                Err(e) => {
                    self.err = Some(e);
                    return;
                }
            }
            if line.is_none() && !gap {
                return;
            }
        }
        let mut n = self.grid.count_between(first, last);
        if let Some(l) = self.limit {
            n = n.min(l.saturating_sub(self.out.len()) as u64);
        }
        self.filled = self.filled.saturating_add(n);
        if self.filled > MAX_EMPTY_BUCKETS {
            self.err = Some(Error::invalid(format!(
                "ERR TSDB: EMPTY would report more than {MAX_EMPTY_BUCKETS} empty buckets; use a larger bucketDuration, a shorter range or COUNT"
            )));
            return;
        }
        let carried = self.last_valid.map_or(f64::NAN, |(_, v)| v);
        let mut c = first;
        for _ in 0..n {
            self.out.timestamps.push(self.grid.reported(c, self.bt));
            for (i, agg) in self.aggs.iter().enumerate() {
                let v = match agg {
                    Aggregator::Twa => match line {
                        Some((b, a)) => {
                            let ta = c.max(0).max(self.req.from);
                            let tb = c.saturating_add(d).min(self.req.to);
                            twa::empty_value(b, a, ta, tb)
                        }
                        None => f64::NAN,
                    },
                    Aggregator::Last if gap => carried,
                    _ => agg.empty_value(),
                };
                self.out.columns[i].push(v);
            }
            c = c.saturating_add(d);
        }
    }

    /// End of the stream: the last group, the pending twa value, twa's trailing EMPTY run.
    fn finish(&mut self) -> Result<()> {
        self.close();
        if let Some(e) = self.err.take() {
            return Err(e);
        }
        if let Some(p) = self.pending.take() {
            let right = match p.twa.last {
                Some((t, _)) if t < i64::MAX => next_valid(self.series, t + 1)?,
                _ => None,
            };
            let val = p.twa.finish(right, p.tb).unwrap_or(f64::NAN);
            self.patch_twa(p.row, val);
        }
        if self.empty && self.twa && !self.full() {
            let last_b = self.grid.start_of(self.fill_to);
            match self.prev {
                Some(p) => {
                    // 1.12 re-buckets the *reported* timestamp of the last bucket.
                    let g = self.grid.start_of(self.grid.reported(p, self.bt));
                    if g < last_b {
                        self.fill(g.saturating_add(self.grid.duration), last_b, false, None, None);
                    }
                }
                None => {
                    let fb = self.grid.start_of(self.req.from);
                    if fb >= 0 && self.req.from <= self.req.to {
                        self.fill(fb, last_b, false, None, None);
                    }
                }
            }
        }
        match self.err.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}
