//! What a range query asks for ([`RangeRequest`]) and what it returns ([`RangeResult`]).

use super::aggregator::Aggregator;
use super::bucket::{BucketTimestamp, Buckets};

/// Most timestamps FILTER_BY_TS takes (more are ignored, as in RedisTimeSeries).
pub const MAX_FILTER_BY_TS: usize = 128;

/// Bucket alignment (ALIGN).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Align {
    /// Aligned to 0 (the default).
    #[default]
    Zero,
    /// Aligned to the query's `from` (`ALIGN start` / `-`).
    Start,
    /// Aligned to the query's `to` (`ALIGN end` / `+`).
    End,
    /// Aligned to a timestamp.
    At(i64),
}

/// AGGREGATION: one or more aggregators over a bucket grid.
///
/// ```
/// use tsdb_wasm::query::{Aggregation, Aggregator, Align};
/// let mut agg = Aggregation::new(Aggregator::Min, 60_000);
/// agg.aggregators.push(Aggregator::Max); // AGGREGATION min,max 60000
/// agg.align = Align::Start;
/// assert_eq!(agg.buckets(90_000, 500_000).start_of(100_000), 90_000);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregation {
    /// The aggregators, one result column each (a comma list is an extension, Redis 8.8).
    pub aggregators: Vec<Aggregator>,
    /// Bucket duration in ms (> 0).
    pub bucket_duration: i64,
    /// ALIGN.
    pub align: Align,
    /// BUCKETTIMESTAMP.
    pub bucket_timestamp: BucketTimestamp,
    /// EMPTY: also report buckets without samples.
    pub empty: bool,
}

impl Aggregation {
    /// One aggregator over buckets of `bucket_duration` ms, default options.
    pub fn new(aggregator: Aggregator, bucket_duration: i64) -> Aggregation {
        Aggregation {
            aggregators: vec![aggregator],
            bucket_duration,
            align: Align::Zero,
            bucket_timestamp: BucketTimestamp::Start,
            empty: false,
        }
    }

    /// The bucket grid for a query over `[from, to]`.
    pub fn buckets(&self, from: i64, to: i64) -> Buckets {
        let align = match self.align {
            Align::Zero => 0,
            Align::Start => from,
            Align::End => to,
            Align::At(t) => t,
        };
        Buckets::new(self.bucket_duration, align)
    }
}

/// A TS.RANGE / TS.REVRANGE query (and the per-series part of TS.MRANGE).
///
/// ```
/// use tsdb_wasm::query::{Aggregation, Aggregator, RangeRequest};
/// let mut req = RangeRequest::new(0, 1000);
/// req.aggregation = Some(Aggregation::new(Aggregator::Max, 100));
/// req.count = Some(5);
/// assert!(!req.reverse);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RangeRequest {
    /// First timestamp (inclusive, >= 0; `-` is 0).
    pub from: i64,
    /// Last timestamp (inclusive); `+` is `i64::MAX`.
    pub to: i64,
    /// LATEST: include a compaction destination's open bucket.
    pub latest: bool,
    /// FILTER_BY_TS: sorted, without duplicates, at most [`MAX_FILTER_BY_TS`].
    pub filter_by_ts: Option<Vec<i64>>,
    /// FILTER_BY_VALUE min max (inclusive).
    pub filter_by_value: Option<(f64, f64)>,
    /// COUNT: the first n samples or buckets of the reply, in its order.
    pub count: Option<u64>,
    /// AGGREGATION.
    pub aggregation: Option<Aggregation>,
    /// TS.REVRANGE: newest first.
    pub reverse: bool,
}

impl RangeRequest {
    /// A raw range `[from, to]`, no options.
    pub fn new(from: i64, to: i64) -> RangeRequest {
        RangeRequest {
            from,
            to,
            latest: false,
            filter_by_ts: None,
            filter_by_value: None,
            count: None,
            aggregation: None,
            reverse: false,
        }
    }

    /// Sets FILTER_BY_TS from timestamps in any order: the first [`MAX_FILTER_BY_TS`] are kept,
    /// sorted and de-duplicated.
    pub fn set_filter_by_ts(&mut self, ts: &[i64]) {
        let mut v: Vec<i64> = ts.iter().copied().take(MAX_FILTER_BY_TS).collect();
        v.sort_unstable();
        v.dedup();
        self.filter_by_ts = Some(v);
    }

    /// Whether a sample passes FILTER_BY_TS and FILTER_BY_VALUE.
    #[inline]
    pub fn passes(&self, t: i64, v: f64) -> bool {
        if let Some(f) = &self.filter_by_ts {
            if f.binary_search(&t).is_err() {
                return false;
            }
        }
        match self.filter_by_value {
            Some((lo, hi)) => lo <= v && v <= hi,
            None => true,
        }
    }

    /// Whether a filter is set.
    pub fn has_filters(&self) -> bool {
        self.filter_by_ts.is_some() || self.filter_by_value.is_some()
    }
}

/// Query results as columns: one timestamp column and one value column per aggregator (one
/// column for raw samples).
///
/// ```
/// use tsdb_wasm::query::RangeResult;
/// let mut r = RangeResult { timestamps: vec![1, 2, 3], columns: vec![vec![1.0, 2.0, 3.0]] };
/// r.reverse();
/// r.truncate(2);
/// assert_eq!((r.timestamps.as_slice(), r.values()), (&[3, 2][..], &[3.0, 2.0][..]));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RangeResult {
    /// Timestamps (bucket timestamps with AGGREGATION).
    pub timestamps: Vec<i64>,
    /// Value columns, each as long as `timestamps`.
    pub columns: Vec<Vec<f64>>,
}

impl RangeResult {
    /// An empty result with `n` value columns.
    pub fn with_columns(n: usize) -> RangeResult {
        RangeResult { timestamps: Vec::new(), columns: vec![Vec::new(); n] }
    }

    /// Rows.
    pub fn len(&self) -> usize {
        self.timestamps.len()
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.timestamps.is_empty()
    }

    /// Keeps the first `n` rows.
    pub fn truncate(&mut self, n: usize) {
        self.timestamps.truncate(n);
        for c in &mut self.columns {
            c.truncate(n);
        }
    }

    /// Reverses the row order.
    pub fn reverse(&mut self) {
        self.timestamps.reverse();
        for c in &mut self.columns {
            c.reverse();
        }
    }

    /// The single value column of a raw or one-aggregator result (empty if there is none).
    pub fn values(&self) -> &[f64] {
        self.columns.first().map_or(&[], Vec::as_slice)
    }
}
