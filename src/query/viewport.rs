//! M4 viewports for charts (Jugel et al., "M4: A Visualization-Oriented Time Series Data
//! Aggregation", VLDB 2014): per pixel column the first, smallest, largest and last sample, in
//! time order — at most `4 × width` points whose polyline rasterises to exactly the pixels of
//! the full data's polyline.
//!
//! Columns: `[from, to]` is cut into `width` equal time intervals, column
//! `k = ⌊(t − from) · width / (to − from + 1)⌋` (exact integer arithmetic). Why exact: inside
//! one column every point has the same x, so the data's polyline covers the vertical span
//! `[min, max]` there, and between columns it runs from a column's last point to the next
//! column's first; M4 keeps exactly those four points per column. NaN samples are skipped.
//!
//! Why fast: a chunk inside one column is folded from its summary (first / last non-NaN sample,
//! min and max with their timestamps) without decoding; a decoded block inside one column is
//! folded in one loop.

use super::request::RangeResult;
use super::scan::{scan, Sink};
use crate::chunk::Summary;
use crate::error::{Error, Result};
use crate::series::Series;

#[derive(Clone, Copy)]
struct Column {
    end: i64,
    first: (i64, f64),
    last: (i64, f64),
    min: (i64, f64),
    max: (i64, f64),
}

struct M4 {
    from: i64,
    span: i128,
    width: i128,
    cur: Option<Column>,
    out: RangeResult,
}

/// The M4 points of the visible samples of `series` in `[from, to]` for a chart `width_px`
/// pixels wide: one value column, timestamps ascending, at most `4 × width_px` rows.
///
/// ```
/// use tsdb_wasm::query::viewport;
/// use tsdb_wasm::{Series, SeriesOptions};
/// let mut s = Series::new(SeriesOptions::default());
/// for t in 0..1000 {
///     s.add(t, ((t * 7919) % 100) as f64, None, false).unwrap();
/// }
/// let v = viewport(&s, 0, 999, 10).unwrap();
/// assert!(v.len() <= 40);
/// assert_eq!(v.timestamps.first(), Some(&0));
/// assert_eq!(v.timestamps.last(), Some(&999));
/// ```
pub fn viewport(series: &Series, from: i64, to: i64, width_px: u32) -> Result<RangeResult> {
    if width_px == 0 {
        return Err(Error::invalid("ERR TSDB: viewport width must be at least 1 pixel"));
    }
    let mut m4 = M4 {
        from,
        span: to as i128 - from as i128 + 1,
        width: width_px as i128,
        cur: None,
        out: RangeResult::with_columns(1),
    };
    if from > to {
        return Ok(m4.out);
    }
    scan(series, from, to, &mut m4)?;
    m4.close();
    Ok(m4.out)
}

impl M4 {
    #[inline]
    fn column_of(&self, t: i64) -> i128 {
        (t as i128 - self.from as i128) * self.width / self.span
    }

    /// First timestamp of column `k` (`from + ⌈k · span / width⌉`), saturated.
    fn column_start(&self, k: i128) -> i64 {
        let num = k * self.span;
        let off = (num + self.width - 1) / self.width;
        (self.from as i128 + off).min(i64::MAX as i128) as i64
    }

    fn open(&mut self, t: i64, v: f64) {
        self.close();
        let k = self.column_of(t);
        let end = self.column_start(k + 1);
        self.cur = Some(Column { end, first: (t, v), last: (t, v), min: (t, v), max: (t, v) });
    }

    fn close(&mut self) {
        let Some(c) = self.cur.take() else { return };
        let mut pts = [c.first, c.min, c.max, c.last];
        pts.sort_by_key(|p| p.0);
        let mut prev = None;
        for p in pts {
            if prev != Some(p.0) {
                self.out.timestamps.push(p.0);
                self.out.columns[0].push(p.1);
                prev = Some(p.0);
            }
        }
    }
}

impl Sink for M4 {
    fn summary(&mut self, s: &Summary) -> bool {
        let (Some(first), Some(last)) = (s.first, s.last) else { return true };
        let col_end = match self.cur {
            Some(c) if first.0 < c.end => c.end,
            _ => self.column_start(self.column_of(first.0) + 1),
        };
        if last.0 >= col_end {
            return false;
        }
        if self.cur.map_or(true, |c| first.0 >= c.end) {
            self.open(first.0, first.1);
        }
        if let Some(c) = self.cur.as_mut() {
            if s.min < c.min.1 {
                c.min = (s.min_ts, s.min);
            }
            if s.max > c.max.1 {
                c.max = (s.max_ts, s.max);
            }
            c.last = last;
        }
        true
    }

    fn run(&mut self, ts: &[i64], vals: &[f64]) -> bool {
        let n = ts.len().min(vals.len());
        let mut i = 0;
        while i < n {
            let (t, v) = (ts[i], vals[i]);
            if v.is_nan() {
                i += 1;
                continue;
            }
            if self.cur.map_or(true, |c| t >= c.end) {
                self.open(t, v);
            }
            let Some(c) = self.cur.as_mut() else { return false };
            let j = i + ts[i..n].partition_point(|&x| x < c.end);
            for k in i..j {
                let v = vals[k];
                if v < c.min.1 {
                    c.min = (ts[k], v);
                }
                if v > c.max.1 {
                    c.max = (ts[k], v);
                }
                if !v.is_nan() {
                    c.last = (ts[k], v);
                }
            }
            i = j;
        }
        true
    }
}
