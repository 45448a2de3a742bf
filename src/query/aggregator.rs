//! Aggregators: small accumulate / merge / finish values shared by range queries, compaction
//! rules and (later) GROUPBY reducers.
//!
//! An [`Acc`] gathers everything any aggregator needs about a run of samples (counts, running
//! sums, extremes, first / last); [`Aggregator::finish`] turns it into one value. Whole chunks
//! are folded from their [`Summary`] without decoding ([`Acc::merge_summary`]).
//!
//! Semantics (docs/semantics/query.md §5, §12):
//! - NaN samples are ignored by every aggregator but `countNaN` / `countAll` (RedisTimeSeries
//!   8.6); a bucket with no valid sample for an aggregator has no value for it.
//! - `sum` is the running sum `((0 + v1) + v2) + …`, as 1.12 adds. `std.*` / `var.*` use the
//!   running sums of x and x², evaluated as 1.12 does, left to right (not Welford).
//! - `avg` is `sum / n`, except that when the running sum would overflow, 1.12 switches to a
//!   running mean (`val = val / c · (c − 1) + v / c`) and reports it as is; [`Acc::add`] emulates
//!   that in f64 (1.12 uses `long double`; within 1e-15 relative).
//! - `twa` needs neighbours outside the bucket: see `twa.rs`.

use crate::chunk::Summary;

/// An aggregation function (TS.RANGE AGGREGATION, TS.CREATERULE, GROUPBY REDUCE).
///
/// ```
/// use tsdb_wasm::query::{Acc, Aggregator};
/// let mut acc = Acc::new();
/// for (t, v) in [(1, 2.0), (2, f64::NAN), (3, 4.0)] {
///     acc.add(t, v);
/// }
/// assert_eq!(Aggregator::parse("AVG").unwrap().finish(&acc), Some(3.0));
/// assert_eq!(Aggregator::CountNan.finish(&acc), Some(1.0));
/// assert_eq!(Aggregator::Last.finish(&acc), Some(4.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aggregator {
    /// Arithmetic mean.
    Avg,
    /// Sum.
    Sum,
    /// Smallest value.
    Min,
    /// Largest value.
    Max,
    /// `max - min`.
    Range,
    /// Number of (non-NaN) values.
    Count,
    /// Value with the lowest timestamp.
    First,
    /// Value with the highest timestamp.
    Last,
    /// Population standard deviation.
    StdP,
    /// Sample standard deviation.
    StdS,
    /// Population variance.
    VarP,
    /// Sample variance.
    VarS,
    /// Time-weighted average (see `twa.rs`).
    Twa,
    /// Number of NaN samples (extension, RedisTimeSeries 8.6).
    CountNan,
    /// Number of samples, NaN or not (extension, RedisTimeSeries 8.6).
    CountAll,
}

impl Aggregator {
    /// Every aggregator, in RedisTimeSeries' order, extensions last.
    pub const ALL: [Aggregator; 15] = [
        Aggregator::Avg,
        Aggregator::Sum,
        Aggregator::Min,
        Aggregator::Max,
        Aggregator::Range,
        Aggregator::Count,
        Aggregator::First,
        Aggregator::Last,
        Aggregator::StdP,
        Aggregator::StdS,
        Aggregator::VarP,
        Aggregator::VarS,
        Aggregator::Twa,
        Aggregator::CountNan,
        Aggregator::CountAll,
    ];

    /// Parses a name, ASCII case-insensitively (`avg`, `Std.P`, `countNaN`, …).
    pub fn parse(name: &str) -> Option<Aggregator> {
        Aggregator::ALL.into_iter().find(|a| a.name().eq_ignore_ascii_case(name))
    }

    /// The canonical name (`avg` … `twa`, `countNaN`, `countAll`).
    pub fn name(self) -> &'static str {
        match self {
            Aggregator::Avg => "avg",
            Aggregator::Sum => "sum",
            Aggregator::Min => "min",
            Aggregator::Max => "max",
            Aggregator::Range => "range",
            Aggregator::Count => "count",
            Aggregator::First => "first",
            Aggregator::Last => "last",
            Aggregator::StdP => "std.p",
            Aggregator::StdS => "std.s",
            Aggregator::VarP => "var.p",
            Aggregator::VarS => "var.s",
            Aggregator::Twa => "twa",
            Aggregator::CountNan => "countNaN",
            Aggregator::CountAll => "countAll",
        }
    }

    /// A stable one-byte code (snapshots).
    pub fn code(self) -> u8 {
        Aggregator::ALL.iter().position(|&a| a == self).unwrap_or(0) as u8
    }

    /// The aggregator of a [`Aggregator::code`].
    pub fn from_code(code: u8) -> Option<Aggregator> {
        Aggregator::ALL.get(code as usize).copied()
    }

    /// Whether NaN samples are input to this aggregator (`countNaN`, `countAll`); every other
    /// aggregator ignores them.
    pub fn takes_nan(self) -> bool {
        matches!(self, Aggregator::CountNan | Aggregator::CountAll)
    }

    /// The value of a bucket without input, as EMPTY reports it: 0 for `sum` and the counts,
    /// NaN otherwise (`last` carries the previous value and `twa` interpolates: the range
    /// pipeline handles both).
    pub fn empty_value(self) -> f64 {
        match self {
            Aggregator::Sum | Aggregator::Count | Aggregator::CountNan | Aggregator::CountAll => 0.0,
            _ => f64::NAN,
        }
    }

    /// Whether `acc` holds input for this aggregator (a bucket without input is not reported).
    pub fn has_input(self, acc: &Acc) -> bool {
        if self.takes_nan() {
            acc.count > 0
        } else {
            acc.value_count() > 0
        }
    }

    /// The aggregate of `acc`, or `None` when it holds no input for this aggregator. `twa`
    /// gives `None` here: it needs neighbours (`twa.rs`).
    #[inline]
    pub fn finish(self, acc: &Acc) -> Option<f64> {
        if !self.has_input(acc) {
            return None;
        }
        let n = acc.value_count() as f64;
        Some(match self {
            Aggregator::Avg => acc.mean.unwrap_or(acc.sum / n),
            Aggregator::Sum => acc.sum,
            Aggregator::Min => acc.min,
            Aggregator::Max => acc.max,
            Aggregator::Range => acc.max - acc.min,
            Aggregator::Count => n,
            Aggregator::First => acc.first?.1,
            Aggregator::Last => acc.last?.1,
            Aggregator::StdP | Aggregator::StdS | Aggregator::VarP | Aggregator::VarS => spread(self, acc),
            Aggregator::Twa => return None,
            Aggregator::CountNan => acc.nan_count as f64,
            Aggregator::CountAll => acc.count as f64,
        })
    }
}

/// std.p / std.s / var.p / var.s of `acc` (another aggregator: NaN).
///
/// Why out of line: inlined, LLVM hoists these divisions and square roots (which cannot trap,
/// so it may) out of the loop over a query's aggregators and evaluates them for every bucket of
/// every query, avg's included: about 40 cycles of divider throughput per bucket, ~10 % of an
/// avg into 1-minute buckets. A call is not speculated.
#[inline(never)]
fn spread(agg: Aggregator, acc: &Acc) -> f64 {
    match agg {
        Aggregator::StdP => var_p(acc).sqrt(),
        Aggregator::StdS => var_s(acc).sqrt(),
        Aggregator::VarP => var_p(acc),
        Aggregator::VarS => var_s(acc),
        _ => f64::NAN,
    }
}

/// 1.12's population variance, evaluated exactly as written there:
/// `(Σx² − 2·Σx·Σx/n + (Σx/n)²·n) / n`.
fn var_p(acc: &Acc) -> f64 {
    let n = acc.value_count() as f64;
    let (s, s2) = (acc.sum, acc.sum_sq);
    let mean = s / n;
    (s2 - 2.0 * s * s / n + mean * mean * n) / n
}

/// `var.p · n / (n − 1)`, 0 for one sample.
fn var_s(acc: &Acc) -> f64 {
    let n = acc.value_count();
    if n == 1 {
        return 0.0;
    }
    var_p(acc) * n as f64 / (n - 1) as f64
}

/// Which parts of an [`Acc`] a set of aggregators reads (so that hot loops skip the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    /// The sum (avg, sum, std / var).
    pub sum: bool,
    /// The sum of squares (std / var).
    pub sum_sq: bool,
    /// Smallest and largest values (min / max / range).
    pub extremes: bool,
}

impl Need {
    /// Everything.
    pub const ALL: Need = Need { sum: true, sum_sq: true, extremes: true };

    /// What `aggs` read.
    ///
    /// ```
    /// use tsdb_wasm::query::{Aggregator, Need};
    /// assert_eq!(Need::of(&[Aggregator::Avg]), Need { sum: true, sum_sq: false, extremes: false });
    /// assert_eq!(Need::of(&[Aggregator::Max]), Need { sum: false, sum_sq: false, extremes: true });
    /// assert_eq!(Need::of(&[Aggregator::Range, Aggregator::StdS]), Need::ALL);
    /// ```
    pub fn of(aggs: &[Aggregator]) -> Need {
        use Aggregator::*;
        let sum_sq = aggs.iter().any(|a| matches!(a, StdP | StdS | VarP | VarS));
        Need {
            sum: sum_sq || aggs.iter().any(|a| matches!(a, Avg | Sum)),
            sum_sq,
            extremes: aggs.iter().any(|a| matches!(a, Min | Max | Range)),
        }
    }
}

/// What the aggregators know about a run of samples in time order.
///
/// ```
/// use tsdb_wasm::query::{Acc, Aggregator};
/// let (mut a, mut b) = (Acc::new(), Acc::new());
/// a.add(1, 1.0);
/// b.add(5, 3.0);
/// a.merge(&b);
/// assert_eq!(Aggregator::Range.finish(&a), Some(2.0));
/// assert_eq!(Aggregator::First.finish(&a), Some(1.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Acc {
    /// Samples, NaN included.
    pub count: u64,
    /// NaN samples.
    pub nan_count: u64,
    /// Running sum of the non-NaN values.
    pub sum: f64,
    /// Running sum of their squares.
    pub sum_sq: f64,
    /// Smallest non-NaN value (`+inf` when none).
    pub min: f64,
    /// Largest non-NaN value (`-inf` when none).
    pub max: f64,
    /// First non-NaN sample.
    pub first: Option<(i64, f64)>,
    /// Last non-NaN sample.
    pub last: Option<(i64, f64)>,
    /// avg's running mean once the running sum overflowed (1.12's overflow path).
    pub mean: Option<f64>,
}

impl Default for Acc {
    fn default() -> Self {
        Acc::new()
    }
}

/// Folding sums in another order (a run, a chunk summary) stays within rounding of 1.12's
/// sequential sums as long as no partial sum nears overflow: true when every new value is below
/// this magnitude (so even 2^53 of them, squared, stay far below `f64::MAX`) and the running
/// sums are below [`SAFE_SUM`].
pub(super) const SAFE_MAGNITUDE: f64 = 1e100;
pub(super) const SAFE_SUM: f64 = 1e300;

impl Acc {
    /// An empty accumulator.
    pub const fn new() -> Acc {
        Acc {
            count: 0,
            nan_count: 0,
            sum: 0.0,
            sum_sq: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            first: None,
            last: None,
            mean: None,
        }
    }

    /// Whether values of at most `magnitude` may be folded in as a whole (see [`SAFE_MAGNITUDE`]).
    #[inline]
    pub(super) fn can_fold(&self, magnitude: f64) -> bool {
        self.mean.is_none() && magnitude < SAFE_MAGNITUDE && self.sum.abs() < SAFE_SUM && self.sum_sq < SAFE_SUM
    }

    /// Number of non-NaN samples.
    #[inline]
    pub fn value_count(&self) -> u64 {
        self.count - self.nan_count
    }

    /// Adds one sample later than every sample already added.
    #[inline]
    pub fn add(&mut self, ts: i64, v: f64) {
        self.count += 1;
        if v.is_nan() {
            self.nan_count += 1;
            return;
        }
        let c = self.value_count() as f64;
        // avg: 1.12 switches to a running mean when the running sum would overflow.
        match self.mean {
            Some(m) => self.mean = Some(m / c * (c - 1.0) + v / c),
            None => {
                let val = self.sum;
                if (val >= 0.0) == (v >= 0.0) && val.abs() > f64::MAX - v.abs() {
                    self.mean = Some(val / c + v / c);
                }
            }
        }
        self.sum += v;
        self.sum_sq += v * v;
        if v < self.min {
            self.min = v;
        }
        if v > self.max {
            self.max = v;
        }
        if self.first.is_none() {
            self.first = Some((ts, v));
        }
        self.last = Some((ts, v));
    }

    /// Adds a run of samples later than every sample already added: the same result as
    /// [`Acc::add`] one by one, bit for bit (see `fold.rs` for the fast path).
    pub fn add_run(&mut self, ts: &[i64], vals: &[f64]) {
        self.add_run_for(ts, vals, Need::ALL);
    }

    /// Folds in the summary of samples that all come after the ones added so far. Returns
    /// false, changing nothing, when folding could differ from adding the samples one by one
    /// beyond rounding (magnitudes near overflow, or avg already in its overflow path): the
    /// caller then decodes and adds them.
    ///
    /// The sums are added as whole chunk sums, so they may differ from 1.12's sequential sum
    /// in the last bits.
    pub fn merge_summary(&mut self, s: &Summary) -> bool {
        if s.count == 0 {
            return true;
        }
        let valid = s.count - s.nan_count;
        if valid > 0 {
            if !self.can_fold(s.min.abs().max(s.max.abs())) {
                return false;
            }
            self.sum += s.sum;
            self.sum_sq += s.sum_sq;
            if s.min < self.min {
                self.min = s.min;
            }
            if s.max > self.max {
                self.max = s.max;
            }
            if self.first.is_none() {
                self.first = s.first;
            }
            if s.last.is_some() {
                self.last = s.last;
            }
        }
        self.count += s.count;
        self.nan_count += s.nan_count;
        true
    }

    /// Folds in `count` non-NaN samples that all come after the ones added so far, of
    /// magnitude at most `magnitude`, whose sum is `sum`: the counts and the sum only (the
    /// extremes, first / last and the sum of squares are left as they are, for callers that
    /// read none of them). Returns false, changing nothing, when that could differ from adding
    /// them one by one beyond rounding (as [`Acc::merge_summary`]).
    #[inline]
    pub(super) fn merge_sum(&mut self, count: u64, sum: f64, magnitude: f64) -> bool {
        if !self.can_fold(magnitude) {
            return false;
        }
        self.count += count;
        self.sum += sum;
        true
    }

    /// Folds in an accumulator of samples that all come after this one's (or, for reducers,
    /// of another series at the same timestamps: then `first` / `last` follow argument order).
    /// avg's overflow path is combined as a weighted mean.
    pub fn merge(&mut self, later: &Acc) {
        let (na, nb) = (self.value_count() as f64, later.value_count() as f64);
        if self.mean.is_some() || later.mean.is_some() {
            let ma = self.mean.unwrap_or(self.sum / na.max(1.0));
            let mb = later.mean.unwrap_or(later.sum / nb.max(1.0));
            let n = na + nb;
            self.mean = Some(ma * (na / n) + mb * (nb / n));
        }
        self.count += later.count;
        self.nan_count += later.nan_count;
        self.sum += later.sum;
        self.sum_sq += later.sum_sq;
        if later.min < self.min {
            self.min = later.min;
        }
        if later.max > self.max {
            self.max = later.max;
        }
        if self.first.is_none() {
            self.first = later.first;
        }
        if later.last.is_some() {
            self.last = later.last;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(vals: &[f64]) -> Acc {
        let mut a = Acc::new();
        for (i, &v) in vals.iter().enumerate() {
            a.add(i as i64, v);
        }
        a
    }

    #[test]
    fn formulas_as_1_12() {
        let a = acc(&[1000000001.0, 1000000002.0]);
        assert_eq!(Aggregator::VarP.finish(&a), Some(0.0), "sum of squares, not Welford");
        let one = acc(&[3.5]);
        assert_eq!(Aggregator::StdS.finish(&one), Some(0.0));
        assert_eq!(Aggregator::VarS.finish(&one), Some(0.0));
        let a = acc(&[4.0, -2.5, 7.0]);
        assert_eq!(Aggregator::Range.finish(&a), Some(9.5));
        assert_eq!(Aggregator::Count.finish(&a), Some(3.0));
    }

    #[test]
    fn avg_overflow_path() {
        assert_eq!(Aggregator::Avg.finish(&acc(&[1.7e308, 1.7e308])), Some(1.7e308));
        let v = Aggregator::Avg.finish(&acc(&[1.7e308, 1.7e308, -1e308])).unwrap();
        assert!((v - 8e307).abs() <= 8e307 * 1e-15, "{v}");
        assert_eq!(Aggregator::Sum.finish(&acc(&[1.7e308, 1.7e308])), Some(f64::INFINITY));
        assert!(Aggregator::StdP.finish(&acc(&[1.7e308, 1.7e308])).unwrap().is_nan());
    }

    #[test]
    fn nan_is_ignored_except_by_the_counts() {
        let a = acc(&[f64::NAN, f64::NAN]);
        for agg in Aggregator::ALL {
            let want = match agg {
                Aggregator::CountNan | Aggregator::CountAll => Some(2.0),
                _ => None,
            };
            assert_eq!(agg.finish(&a), want, "{agg:?}");
        }
        assert_eq!(Aggregator::parse("countnan"), Some(Aggregator::CountNan));
        assert_eq!(Aggregator::parse("COUNTALL"), Some(Aggregator::CountAll));
        assert_eq!(Aggregator::parse("avg,sum"), None);
    }

    #[test]
    fn run_and_summary_equal_per_sample() {
        let ts: Vec<i64> = (0..300).collect();
        let vs: Vec<f64> = ts.iter().map(|&t| ((t * 37) % 101) as f64 / 7.0 - 5.0).collect();
        let one = acc(&vs);
        let mut run = Acc::new();
        run.add_run(&ts[..100], &vs[..100]);
        run.add_run(&ts[100..], &vs[100..]);
        assert_eq!(run, one);
        let mut s = Acc::new();
        assert!(s.merge_summary(&Summary::of(&ts, &vs)));
        assert_eq!(s, one, "one summary from an empty acc adds in the same order");
        for code in 0..15 {
            assert_eq!(Aggregator::from_code(code).map(Aggregator::code), Some(code));
        }
    }
}
