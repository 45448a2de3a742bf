//! Per-chunk summary: what whole-chunk aggregation needs without decoding.

use super::index::{self, Stats};

/// Aggregate facts about the samples of one chunk (or any run of samples).
///
/// NaN samples are counted in `count` and `nan_count` but take no part in
/// `min` / `max` / `sum` / `sum_sq` / `first` / `last`: every aggregator but
/// `countNaN` / `countAll` ignores them (RedisTimeSeries 8 semantics).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Samples, NaN included.
    pub count: u64,
    /// NaN samples.
    pub nan_count: u64,
    /// Timestamp of the first sample (any value). Meaningless when `count == 0`.
    pub start: i64,
    /// Timestamp of the last sample (any value). Meaningless when `count == 0`.
    pub end: i64,
    /// First non-NaN sample `(ts, value)`, if any.
    pub first: Option<(i64, f64)>,
    /// Last non-NaN sample `(ts, value)`, if any.
    pub last: Option<(i64, f64)>,
    /// Minimum of the non-NaN values (`+inf` when there are none).
    pub min: f64,
    /// Maximum of the non-NaN values (`-inf` when there are none).
    pub max: f64,
    /// Sum of the non-NaN values, in time order.
    pub sum: f64,
    /// Sum of squares of the non-NaN values, in time order.
    pub sum_sq: f64,
    /// Timestamp of the first sample holding `min` (0 when there is none). Kept for M4
    /// viewports (`query::viewport`), which fold whole chunks without decoding them.
    pub min_ts: i64,
    /// Timestamp of the first sample holding `max` (0 when there is none).
    pub max_ts: i64,
}

impl Default for Summary {
    fn default() -> Self {
        Summary {
            count: 0,
            nan_count: 0,
            start: 0,
            end: 0,
            first: None,
            last: None,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            sum: 0.0,
            sum_sq: 0.0,
            min_ts: 0,
            max_ts: 0,
        }
    }
}

impl Summary {
    /// The summary of `ts` / `vals` (same length, time order).
    pub fn of(ts: &[i64], vals: &[f64]) -> Summary {
        let mut s = Summary::default();
        for (&t, &v) in ts.iter().zip(vals) {
            s.push(t, v);
        }
        s
    }

    /// Number of non-NaN samples.
    pub fn value_count(&self) -> u64 {
        self.count - self.nan_count
    }

    /// Adds one sample later than every sample already summarised.
    #[inline]
    pub fn push(&mut self, ts: i64, v: f64) {
        if self.count == 0 {
            self.start = ts;
        }
        self.end = ts;
        self.count += 1;
        if v.is_nan() {
            self.nan_count += 1;
            return;
        }
        if self.first.is_none() {
            self.first = Some((ts, v));
        }
        self.last = Some((ts, v));
        if v < self.min {
            self.min = v;
            self.min_ts = ts;
        }
        if v > self.max {
            self.max = v;
            self.max_ts = ts;
        }
        self.sum += v;
        self.sum_sq += v * v;
    }

    /// Adds samples later than every sample already summarised: the same result as
    /// [`Summary::push`] one by one, bit for bit. Returns the [`Stats`] of `vals` alone (what
    /// the block index keeps: `index::stats_from(vals, from)`), computed in the same pass.
    ///
    /// Why fast: the three running sums (the summary's two, sequential as `push` adds them, and
    /// the block's own from `from`) are independent dependency chains; the extremes come from a
    /// lane-parallel pass (`index::extremes_at`). Why correct: a NaN makes
    /// a sum NaN, and then the slice is replayed through `push` from the saved state; the
    /// extremes keep the first sample holding them, as `push`'s strict comparisons do.
    pub fn extend(&mut self, ts: &[i64], vals: &[f64], from: f64) -> Stats {
        let n = ts.len().min(vals.len());
        if n == 0 {
            return index::stats_from(&[], from);
        }
        let (ts, vals) = (&ts[..n], &vals[..n]);
        let (mut s, mut s2, mut own, mut zero) = (self.sum, self.sum_sq, from, 0.0);
        for &v in vals {
            s += v;
            s2 += v * v;
            own += v;
            zero += v;
        }
        if s.is_nan() || s2.is_nan() || own.is_nan() {
            for (&t, &v) in ts.iter().zip(vals) {
                self.push(t, v);
            }
            return index::stats_from(vals, from);
        }
        if self.count == 0 {
            self.start = ts[0];
        }
        self.end = ts[n - 1];
        self.count += n as u64;
        (self.sum, self.sum_sq) = (s, s2);
        if self.first.is_none() {
            self.first = Some((ts[0], vals[0]));
        }
        self.last = Some((ts[n - 1], vals[n - 1]));
        let (lo, hi) = index::extremes_at(vals);
        if vals[lo] < self.min {
            (self.min, self.min_ts) = (vals[lo], ts[lo]);
        }
        if vals[hi] > self.max {
            (self.max, self.max_ts) = (vals[hi], ts[hi]);
        }
        Stats { nan: 0, sum: own, min: vals[lo], max: vals[hi], min_at: lo, max_at: hi, own: zero }
    }

    /// Folds in the summary of samples that all come after this one's.
    pub fn merge(&mut self, later: &Summary) {
        if later.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *later;
            return;
        }
        self.end = later.end;
        self.count += later.count;
        self.nan_count += later.nan_count;
        if self.first.is_none() {
            self.first = later.first;
        }
        if later.last.is_some() {
            self.last = later.last;
        }
        // Strict comparisons, as in `push`: the first sample holding the extreme wins, so a
        // merge equals pushing the samples one by one (-0.0 / 0.0 ties included).
        if later.min < self.min {
            self.min = later.min;
            self.min_ts = later.min_ts;
        }
        if later.max > self.max {
            self.max = later.max;
            self.max_ts = later.max_ts;
        }
        self.sum += later.sum;
        self.sum_sq += later.sum_sq;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_is_counted_but_not_aggregated() {
        let s = Summary::of(&[1, 2, 3, 4], &[f64::NAN, 2.0, -1.0, f64::NAN]);
        assert_eq!(s.count, 4);
        assert_eq!(s.nan_count, 2);
        assert_eq!((s.start, s.end), (1, 4));
        assert_eq!(s.first, Some((2, 2.0)));
        assert_eq!(s.last, Some((3, -1.0)));
        assert_eq!((s.min, s.max, s.sum, s.sum_sq), (-1.0, 2.0, 1.0, 5.0));
        assert_eq!((s.min_ts, s.max_ts), (3, 2));
    }

    #[test]
    fn extend_equals_pushes() {
        let cases: Vec<Vec<f64>> = vec![
            vec![1.5, -3.0, 7.25, 0.0, -0.0, 2.0, 9.0, 4.0, -3.0],
            vec![0.0, -0.0, -0.0, 0.0],
            vec![f64::NAN, 2.0, f64::NAN],
            vec![f64::INFINITY, 1.0, f64::NEG_INFINITY],
            (0..130).map(|i| ((i * 37) % 101) as f64 / 7.0).collect(),
        ];
        for vs in cases {
            let ts: Vec<i64> = (0..vs.len() as i64).collect();
            for cut in [0, 1, vs.len() / 2] {
                let mut a = Summary::of(&ts[..cut], &vs[..cut]);
                let st = a.extend(&ts[cut..], &vs[cut..], 1.5);
                assert_eq!(format!("{st:?}"), format!("{:?}", super::index::stats_from(&vs[cut..], 1.5)));
                assert_eq!(format!("{a:?}"), format!("{:?}", Summary::of(&ts, &vs)), "{vs:?} {cut}");
            }
        }
    }

    #[test]
    fn merge_equals_summary_of_concatenation() {
        let ts: Vec<i64> = (0..10).collect();
        let vs = [1.5, f64::NAN, -3.0, 7.25, 0.0, -0.0, 2.0, f64::NAN, 9.0, 4.0];
        let mut a = Summary::of(&ts[..4], &vs[..4]);
        a.merge(&Summary::of(&ts[4..], &vs[4..]));
        let whole = Summary::of(&ts, &vs);
        assert_eq!(format!("{a:?}"), format!("{whole:?}"));
        let mut e = Summary::default();
        e.merge(&whole);
        assert_eq!(format!("{e:?}"), format!("{whole:?}"));
    }
}
