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
//! ([`Acc::merge_summary`]) and a decoded block's run inside one bucket is added in one call
//! ([`Acc::add_run`]); bucket boundaries are found by comparing with the bucket end, not by a
//! division per sample.

use super::aggregator::{Acc, Aggregator, Need};
use super::bucket::{BucketTimestamp, Buckets};
use super::request::{Aggregation, RangeRequest, RangeResult};
use super::scan::{next_valid, prev_valid, scan, Sink};
use super::twa::{self, Twa};
use crate::chunk::Summary;
use crate::error::{Error, Result};
use crate::series::Series;

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
    filters: bool,
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
        filters: req.has_filters(),
        fill_to,
        latest,
        cur: None,
        prev: None,
        last_valid: None,
        pending: None,
        out: RangeResult::with_columns(agg.aggregators.len()),
        limit,
        filled: 0,
        err: None,
    };
    if req.from > req.to {
        return Ok(b.out);
    }
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

impl Sink for Bucketer<'_> {
    fn summary(&mut self, s: &Summary) -> bool {
        if self.full() {
            return true;
        }
        if self.filters || self.twa || self.err.is_some() {
            return false;
        }
        if let Some(g) = self.cur.as_mut() {
            if s.start >= g.start && s.end < g.end {
                return g.acc.merge_summary(s);
            }
        }
        let start = self.grid.start_of(s.start);
        if s.end >= self.grid.end_of(start) {
            return false;
        }
        if self.cur.as_ref().map_or(true, |g| g.start != start) {
            if !self.close() {
                return true;
            }
            self.open(start);
        }
        self.cur.as_mut().is_some_and(|g| g.acc.merge_summary(s))
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
            if self.cur.as_ref().map_or(true, |g| t < g.start || t >= g.end) {
                if !self.close() {
                    return false;
                }
                self.open(self.grid.start_of(t));
            }
            if self.filters || self.twa {
                self.add(t, v);
                i += 1;
            } else if let Some(g) = self.cur.as_mut() {
                let j = i + ts[i..n].partition_point(|&x| x < g.end);
                g.acc.add_run_for(&ts[i..j], &vals[i..j], self.need);
                i = j;
            }
        }
        self.err.is_none()
    }
}

impl Bucketer<'_> {
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
        let Some(g) = self.cur.take() else { return self.err.is_none() };
        let reported = self.aggs.iter().any(|a| a.has_input(&g.acc));
        if reported {
            if self.empty {
                match self.prev {
                    Some(p) => {
                        // Without filters, the samples around the gap are the stream's.
                        let (b, a) = if self.filters {
                            (None, None)
                        } else {
                            (self.last_valid, g.acc.first.filter(|&f| Some(f) != self.latest))
                        };
                        self.fill(
                            p.saturating_add(self.grid.duration),
                            g.start.saturating_sub(self.grid.duration),
                            true,
                            b,
                            a,
                        );
                    }
                    None if self.twa => {
                        let fb = self.grid.start_of(self.req.from);
                        if fb >= 0 && fb < g.start {
                            self.fill(fb, g.start.saturating_sub(self.grid.duration).max(0), false, None, None);
                        }
                    }
                    None => {}
                }
            }
            if !self.full() {
                self.push_row(&g);
            }
            self.prev = Some(g.start);
        }
        if let Some(l) = g.acc.last {
            self.last_valid = Some(l);
        }
        self.err.is_none() && !self.full()
    }

    fn push_row(&mut self, g: &Group) {
        let row = self.out.len();
        self.out.timestamps.push(self.grid.reported(g.start, self.bt));
        for (i, a) in self.aggs.iter().enumerate() {
            let v = match a {
                Aggregator::Twa => f64::NAN,
                _ => a.finish(&g.acc).unwrap_or(a.empty_value()),
            };
            self.out.columns[i].push(v);
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
