//! twa, the time-weighted average: the area under the piecewise-linear curve through the
//! samples, over the part of the bucket they and their neighbours cover, divided by its length
//! (docs/semantics/query.md §6).
//!
//! The area is accumulated as the samples arrive, in 1.12's order: the left edge (interpolated
//! from the left neighbour `L` at `ta`), then each consecutive pair, then at [`Twa::finish`] the
//! right edge (towards the right neighbour `R`, at `tb`). Timestamp differences are signed
//! (1.12 used unsigned arithmetic and returned ~3.7e19 when a filtered-out neighbour lies inside
//! the bucket; fixed) and converted to f64 before multiplying. NaN samples are skipped.

/// The twa state of one bucket.
///
/// ```
/// use tsdb_wasm::query::Twa;
/// // Bucket [10, 20) of samples on the line y = t: 0:0, 12:12, 16:16, 30:30.
/// let mut t = Twa::new(Some((0, 0.0)), 10);
/// t.add(12, 12.0);
/// t.add(16, 16.0);
/// assert_eq!(t.finish(Some((30, 30.0)), 20), Some(15.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Twa {
    /// Left neighbour: the newest sample before the bucket's first.
    pub left: Option<(i64, f64)>,
    /// Left edge (bucket start clipped to the range).
    pub ta: i64,
    /// First sample in the bucket.
    pub first: Option<(i64, f64)>,
    /// Last sample in the bucket.
    pub last: Option<(i64, f64)>,
    /// Area so far.
    pub area: f64,
}

/// The value at `t` of the line through `a` and `b` (1.12's operation order).
#[inline]
pub fn interpolate(a: (i64, f64), b: (i64, f64), t: i64) -> f64 {
    a.1 + ((t - a.0) as f64 * (b.1 - a.1)) / ((b.0 - a.0) as f64)
}

impl Twa {
    /// A bucket with left edge `ta` and left neighbour `left`.
    pub fn new(left: Option<(i64, f64)>, ta: i64) -> Twa {
        Twa { left, ta, first: None, last: None, area: 0.0 }
    }

    /// Adds a sample later than every one added (NaN samples are skipped).
    #[inline]
    pub fn add(&mut self, t: i64, v: f64) {
        if v.is_nan() {
            return;
        }
        match self.last {
            None => {
                if let Some(l) = self.left {
                    if l.0 != t {
                        let va = interpolate(l, (t, v), self.ta);
                        self.area += ((va + v) * (t - self.ta) as f64) / 2.0;
                    }
                }
                self.first = Some((t, v));
            }
            Some((pt, pv)) => self.area += ((pv + v) * (t - pt) as f64) / 2.0,
        }
        self.last = Some((t, v));
    }

    /// The value, with right neighbour `right` and right edge `tb`; `None` without samples.
    pub fn finish(&self, right: Option<(i64, f64)>, tb: i64) -> Option<f64> {
        let (first, last) = (self.first?, self.last?);
        let mut area = self.area;
        let t_first = if self.left.is_some_and(|l| l.0 != first.0) { self.ta } else { first.0 };
        let mut t_last = last.0;
        if let Some(r) = right.filter(|r| r.0 != last.0) {
            let vb = interpolate(last, r, tb);
            area += ((vb + last.1) * (tb - last.0) as f64) / 2.0;
            t_last = tb;
        }
        if t_last == t_first {
            return Some(last.1);
        }
        Some(area / (t_last as i128 - t_first as i128).unsigned_abs() as f64)
    }
}

/// The EMPTY value of a bucket `[ta, tb]` between samples `before` and `after`: the mean of
/// the line through them over the clipped bucket (it extrapolates when `after` lies inside an
/// earlier bucket of the run, which happens only with filters).
#[inline]
pub fn empty_value(before: (i64, f64), after: (i64, f64), ta: i64, tb: i64) -> f64 {
    let va = interpolate(before, after, ta);
    let vb = interpolate(before, after, tb);
    (va + vb) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_sample_is_its_value() {
        let mut t = Twa::new(None, 0);
        t.add(7, 3.0);
        assert_eq!(t.finish(None, 10), Some(3.0));
        assert_eq!(Twa::new(None, 0).finish(None, 10), None);
    }

    #[test]
    fn signed_edges_extrapolate() {
        // Filtered-out left neighbour inside the bucket, after ta.
        let mut t = Twa::new(Some((2, 20.0)), 0);
        t.add(5, 50.0);
        let v = t.finish(None, 5).unwrap();
        // Line 10·t: va = 0 at t=0; area (0 + 50)·5/2 = 125, over [0, 5].
        assert_eq!(v, 25.0);
    }
}
