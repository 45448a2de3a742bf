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
//! min and max with their timestamps) without decoding, and so is a group of blocks from the
//! chunk's block index (min / max and their positions in the group). What the index does not
//! give directly — a group's last value, the timestamp of an extreme in a block that is not
//! constant-step — stays a reference to the group ([`Pt::In`]), resolved (decoded) only if the
//! column still holds it when it closes; usually a later sample replaces it. A decoded run inside
//! one column is folded by a lane-parallel extremes pass ([`extremes_at`]).

use super::request::RangeResult;
use super::fold::int_extremes;
use super::scan::{scan, Sink, Ts};
use crate::chunk::decimal::Scale;
use crate::chunk::index::extremes_at;
use crate::chunk::{Group, Span, Summary};
use crate::error::{Error, Result};
use crate::series::Series;

/// A point of a column, or where to find it.
#[derive(Clone, Copy)]
enum Pt<'a> {
    /// Known timestamp and value.
    At(i64, f64),
    /// The sample at position `.1` of group `.0`, of value `.2` (timestamp not resolved).
    In(Group<'a>, usize, f64),
    /// The last sample of group `.0`, which holds no NaN (value not resolved).
    LastOf(Group<'a>),
    /// The last sample of block `.1` of group `.0`, which holds no NaN (value not resolved).
    LastOfBlock(Group<'a>, usize),
}

impl Pt<'_> {
    /// The value, for comparisons (never called on `LastOf`).
    #[inline]
    fn value(&self) -> f64 {
        match *self {
            Pt::At(_, v) | Pt::In(_, _, v) => v,
            Pt::LastOf(_) | Pt::LastOfBlock(..) => f64::NAN,
        }
    }

    fn resolve(self) -> Result<(i64, f64)> {
        match self {
            Pt::At(t, v) => Ok((t, v)),
            Pt::In(g, at, v) => Ok((g.ts_at(at)?, v)),
            Pt::LastOf(g) => g.last_valid()?.ok_or_else(|| Error::corrupt("group without a value")),
            Pt::LastOfBlock(g, k) => g.block_last(k),
        }
    }
}

#[derive(Clone, Copy)]
struct Column<'a> {
    end: i64,
    first: (i64, f64),
    last: Pt<'a>,
    min: Pt<'a>,
    max: Pt<'a>,
}

struct M4<'a> {
    from: i64,
    span: i128,
    width: i128,
    cur: Option<Column<'a>>,
    out: RangeResult,
    err: Option<Error>,
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
        err: None,
    };
    if from > to {
        return Ok(m4.out);
    }
    scan(series, from, to, &mut m4)?;
    m4.close();
    match m4.err {
        Some(e) => Err(e),
        None => Ok(m4.out),
    }
}

impl<'a> M4<'a> {
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
        let p = Pt::At(t, v);
        self.cur = Some(Column { end, first: (t, v), last: p, min: p, max: p });
    }

    fn close(&mut self) {
        let Some(c) = self.cur.take() else { return };
        let mut pts = [c.first, (0, 0.0), (0, 0.0), (0, 0.0)];
        for (slot, p) in pts[1..].iter_mut().zip([c.min, c.max, c.last]) {
            match p.resolve() {
                Ok(x) => *slot = x,
                Err(e) => {
                    self.err.get_or_insert(e);
                    return;
                }
            }
        }
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

impl<'a> Sink<'a> for M4<'a> {
    fn summary(&mut self, s: &Summary) -> bool {
        let (Some(first), Some(last)) = (s.first, s.last) else { return true };
        let col_end = match self.cur {
            Some(c) if first.0 < c.end => c.end,
            _ => self.column_start(self.column_of(first.0) + 1),
        };
        if last.0 >= col_end {
            return false;
        }
        if self.cur.is_none_or(|c| first.0 >= c.end) {
            self.open(first.0, first.1);
        }
        if let Some(c) = self.cur.as_mut() {
            if s.min < c.min.value() {
                c.min = Pt::At(s.min_ts, s.min);
            }
            if s.max > c.max.value() {
                c.max = Pt::At(s.max_ts, s.max);
            }
            c.last = Pt::At(last.0, last.1);
        }
        true
    }

    fn wants_groups(&self) -> bool {
        true
    }

    fn group(&mut self, g: &Group<'a>) -> bool {
        if self.err.is_some() {
            return false;
        }
        let st = g.stats();
        if st.nan == g.len() {
            return true;
        }
        let col_end = match self.cur {
            Some(c) if g.start() < c.end => c.end,
            _ => self.column_start(self.column_of(g.start()) + 1),
        };
        if g.end() >= col_end {
            return false;
        }
        if self.cur.is_none_or(|c| g.start() >= c.end) {
            match g.first_valid() {
                Ok(Some((t, v))) => self.open(t, v),
                Ok(None) => return true,
                Err(e) => {
                    self.err = Some(e);
                    return false;
                }
            }
        }
        let Some(c) = self.cur.as_mut() else { return true };
        if st.min < c.min.value() {
            c.min = Pt::In(*g, st.min_at, st.min);
        }
        if st.max > c.max.value() {
            c.max = Pt::In(*g, st.max_at, st.max);
        }
        c.last = Pt::LastOf(*g);
        true
    }

    /// A block inside the current column whose group's extremes the column's already cover
    /// (the column holds its smallest and largest values, earlier — so ties keep them): only
    /// its last sample can change the column, kept as a reference ([`Pt::LastOfBlock`]) that a
    /// later sample usually replaces. Typically the blocks of a group straddling a column
    /// boundary that come before the boundary.
    fn block(&mut self, g: &Group<'a>, k: usize, b: Span) -> bool {
        if self.err.is_some() {
            return false;
        }
        let Some(c) = self.cur.as_mut() else { return false };
        if b.end >= c.end {
            return false;
        }
        let st = g.stats();
        if st.nan != 0 || !(c.min.value() <= st.min && c.max.value() >= st.max) {
            return false;
        }
        c.last = Pt::LastOfBlock(*g, k);
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
            if self.cur.is_none_or(|c| t >= c.end) {
                self.open(t, v);
            }
            let Some(c) = self.cur.as_mut() else { return false };
            let j = if ts[n - 1] < c.end { n } else { i + ts[i..n].partition_point(|&x| x < c.end) };
            // vals[i] is not NaN: the run has a last value, and extremes when they beat the
            // column's (NaN never compares, so the lanes skip it).
            let (lo, hi) = extremes_at(&vals[i..j]);
            if vals[i + lo] < c.min.value() {
                c.min = Pt::At(ts[i + lo], vals[i + lo]);
            }
            if vals[i + hi] > c.max.value() {
                c.max = Pt::At(ts[i + hi], vals[i + hi]);
            }
            let l = (i..j).rev().find(|&k| !vals[k].is_nan()).unwrap_or(i);
            c.last = Pt::At(ts[l], vals[l]);
            i = j;
        }
        true
    }

    fn wants_scaled(&self) -> bool {
        true
    }

    /// Why correct on integers: `s.value(x)` (the correctly rounded `x / 10^e`) is strictly
    /// increasing in `x as i64` (|x| <= 2^51, so consecutive integers give distinct doubles) and
    /// never -0.0, so the first smallest integer is at the first smallest value.
    fn run_scaled(&mut self, ts: Ts<'_>, ints: &[u64], s: Scale) -> bool {
        let n = ts.len().min(ints.len());
        let ts = ts.slice(0, n);
        let mut i = 0;
        while i < n {
            let t = ts.at(i);
            if self.cur.is_none_or(|c| t >= c.end) {
                self.open(t, s.value(ints[i]));
            }
            let Some(c) = self.cur.as_mut() else { return false };
            let j = if ts.at(n - 1) < c.end { n } else { ts.lower_bound(i, c.end) };
            let (lo, hi) = int_extremes_at(&ints[i..j]);
            let v = s.value(ints[i + lo]);
            if v < c.min.value() {
                c.min = Pt::At(ts.at(i + lo), v);
            }
            let v = s.value(ints[i + hi]);
            if v > c.max.value() {
                c.max = Pt::At(ts.at(i + hi), v);
            }
            c.last = Pt::At(ts.at(j - 1), s.value(ints[j - 1]));
            i = j;
        }
        true
    }
}

/// Positions of the first smallest and first largest of `xs` as signed integers
/// ([`int_extremes`], then a search for the first equal one).
fn int_extremes_at(xs: &[u64]) -> (usize, usize) {
    let (l, h) = int_extremes(xs);
    let at = |m: i64| xs.iter().position(|&x| x as i64 == m).unwrap_or(0);
    (at(l), at(h))
}
