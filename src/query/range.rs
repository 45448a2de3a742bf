//! The range pipeline (docs/semantics/query.md §3): visible samples in `[from, to]`, LATEST's
//! open bucket appended, FILTER_BY_TS, FILTER_BY_VALUE, aggregation, order, COUNT.
//!
//! TS.REVRANGE is exactly TS.RANGE's reply reversed, then COUNT (1.12's REVRANGE bugs with
//! `first` / `last` and EMPTY are not reproduced; DESIGN.md §4). A raw REVRANGE with COUNT
//! reads newest chunks first and stops early.

use super::aggregate::aggregate;
use super::request::{RangeRequest, RangeResult};
use super::scan::{scan, scan_rev, Sink};
use crate::chunk::Summary;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::series::Series;

/// Evaluates `req` over `series`. `latest` is the open bucket of a compaction destination
/// (LATEST; see [`crate::compaction::latest`]), appended after the stored samples when its
/// timestamp is in `[from, to]`.
///
/// ```
/// use tsdb_wasm::query::{range, Aggregation, Aggregator, RangeRequest};
/// use tsdb_wasm::{Series, SeriesOptions};
/// let mut s = Series::new(SeriesOptions::default());
/// for (t, v) in [(1, 5.0), (2, -3.0), (12, 6.0)] {
///     s.add(t, v, None, false).unwrap();
/// }
/// let mut req = RangeRequest::new(0, i64::MAX);
/// req.aggregation = Some(Aggregation::new(Aggregator::Sum, 10));
/// let r = range(&s, None, &req).unwrap();
/// assert_eq!(r.timestamps, vec![0, 10]);
/// assert_eq!(r.values(), &[2.0, 6.0]);
/// req.reverse = true;
/// req.count = Some(1);
/// assert_eq!(range(&s, None, &req).unwrap().timestamps, vec![10]);
/// ```
pub fn range(series: &Series, latest: Option<(i64, f64)>, req: &RangeRequest) -> Result<RangeResult> {
    let limit = req.count.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let mut out = match &req.aggregation {
        Some(agg) => aggregate(series, latest, req, agg)?,
        None if req.reverse && limit.is_some() => return raw_newest(series, latest, req, limit.unwrap_or(0)),
        None => raw(series, latest, req, if req.reverse { None } else { limit })?,
    };
    if req.reverse {
        out.reverse();
    }
    if let Some(n) = limit {
        out.truncate(n);
    }
    Ok(out)
}

/// [`range`] on the series stored under `key`, with LATEST resolved through its rule.
///
/// ```
/// use tsdb_wasm::query::{range_key, RangeRequest};
/// use tsdb_wasm::{AddOptions, Engine};
/// let mut db = Engine::new();
/// db.add("k", 5, 1.5, &AddOptions::default()).unwrap();
/// let r = range_key(&db, "k", &RangeRequest::new(0, 10)).unwrap();
/// assert_eq!((r.timestamps, r.columns), (vec![5], vec![vec![1.5]]));
/// assert!(range_key(&db, "nope", &RangeRequest::new(0, 10)).is_err());
/// ```
pub fn range_key(engine: &Engine, key: &str, req: &RangeRequest) -> Result<RangeResult> {
    let id = engine.id(key).ok_or_else(Error::key_not_found)?;
    let series = engine.series_by_id(id).ok_or_else(Error::key_not_found)?;
    let latest = if req.latest { crate::compaction::latest(engine, id) } else { None };
    range(series, latest, req)
}

struct Raw<'a> {
    req: &'a RangeRequest,
    filters: bool,
    limit: usize,
    out: RangeResult,
}

impl Raw<'_> {
    fn push(&mut self, t: i64, v: f64) {
        if !self.filters || self.req.passes(t, v) {
            self.out.timestamps.push(t);
            self.out.columns[0].push(v);
        }
    }
}

impl Sink<'_> for Raw<'_> {
    fn summary(&mut self, _: &Summary) -> bool {
        false
    }

    fn run(&mut self, ts: &[i64], vals: &[f64]) -> bool {
        if !self.filters {
            let room = self.limit.saturating_sub(self.out.len());
            let n = ts.len().min(room);
            self.out.timestamps.extend_from_slice(&ts[..n]);
            self.out.columns[0].extend_from_slice(&vals[..n]);
        } else {
            for (&t, &v) in ts.iter().zip(vals) {
                if self.out.len() >= self.limit {
                    break;
                }
                self.push(t, v);
            }
        }
        self.out.len() < self.limit
    }
}

/// Raw samples in time order, at most `limit`.
fn raw(series: &Series, latest: Option<(i64, f64)>, req: &RangeRequest, limit: Option<usize>) -> Result<RangeResult> {
    let mut sink =
        Raw { req, filters: req.has_filters(), limit: limit.unwrap_or(usize::MAX), out: RangeResult::with_columns(1) };
    if req.from > req.to {
        return Ok(sink.out);
    }
    let going = scan(series, req.from, req.to, &mut sink)?;
    if let Some((t, v)) = latest.filter(|&(t, _)| req.from <= t && t <= req.to) {
        if going {
            sink.push(t, v);
        }
    }
    Ok(sink.out)
}

/// Raw REVRANGE with COUNT: the newest `limit` samples, newest first.
fn raw_newest(series: &Series, latest: Option<(i64, f64)>, req: &RangeRequest, limit: usize) -> Result<RangeResult> {
    let mut sink = Raw { req, filters: req.has_filters(), limit, out: RangeResult::with_columns(1) };
    if req.from > req.to || limit == 0 {
        return Ok(sink.out);
    }
    if let Some((t, v)) = latest.filter(|&(t, _)| req.from <= t && t <= req.to) {
        sink.push(t, v);
    }
    scan_rev(series, req.from, req.to, |ts, vals| sink.run(ts, vals))?;
    Ok(sink.out)
}
