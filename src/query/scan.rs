//! Reading a series for queries: the visible samples of a range in time order, handed to a
//! [`Sink`] either as a whole chunk's [`Summary`] (when the sink can fold it without the
//! samples) or as decoded runs of one block at most; and the neighbour look-ups of twa.
//!
//! Why fast: a chunk inside the range is first offered as its summary, so aggregations whose
//! buckets hold whole chunks never decode them; otherwise blocks are decoded one at a time into
//! stack buffers (no allocation), and blocks outside the range are skipped on their headers.
//! Retention: samples before [`Series::cutoff`] are invisible and never passed on.

use crate::chunk::{Summary, MAX_BLOCK_LEN};
use crate::error::Result;
use crate::series::Series;

/// Receives samples in time order.
pub(crate) trait Sink {
    /// Offers the summary of a chunk lying wholly inside the range. Returns true when the sink
    /// folded it; false to have its samples decoded and passed to [`Sink::run`] instead.
    fn summary(&mut self, s: &Summary) -> bool;
    /// A run of decoded samples (timestamps ascending, non-empty). Returns false to stop.
    fn run(&mut self, ts: &[i64], vals: &[f64]) -> bool;
}

/// Passes the visible samples of `series` with `lo <= ts <= hi` to `sink`, in time order.
/// Returns false when the sink stopped early.
pub(crate) fn scan(series: &Series, lo: i64, hi: i64, sink: &mut impl Sink) -> Result<bool> {
    let lo = lo.max(series.cutoff());
    if lo > hi {
        return Ok(true);
    }
    let chunks = series.chunks();
    let first = chunks.partition_point(|c| c.end() < lo);
    let mut bt = [0i64; MAX_BLOCK_LEN];
    let mut bv = [0f64; MAX_BLOCK_LEN];
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
        for b in c.blocks() {
            let b = b?;
            if b.end() < lo {
                continue;
            }
            if b.start() > hi {
                break;
            }
            let n = b.len().min(MAX_BLOCK_LEN);
            b.decode(&mut bt, &mut bv)?;
            let (s, e) = if b.start() >= lo && b.end() <= hi {
                (0, n)
            } else {
                (bt[..n].partition_point(|&t| t < lo), bt[..n].partition_point(|&t| t <= hi))
            };
            if s < e && !sink.run(&bt[s..e], &bv[s..e]) {
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
