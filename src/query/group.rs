//! GROUPBY / REDUCE (TS.MRANGE): per-series results merged by timestamp and reduced
//! (docs/semantics/multi.md §7.2).
//!
//! Each series is first queried on its own with every range option; then, for every timestamp
//! present in at least one series of the group, the reducer folds the values the series have at
//! that timestamp. Reducers are aggregators ([`Aggregator`]) applied to those values: NaN inputs
//! are skipped by all but `countNaN` / `countAll`; with no non-NaN input `count` gives 0 and the
//! value reducers NaN; `std.s` / `var.s` of a single value give 0.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::aggregator::{Acc, Aggregator};
use super::request::RangeResult;

/// The reducers TS.MRANGE accepts (`first`, `last`, `twa` are not reducers).
pub fn parse_reducer(name: &str) -> Option<Aggregator> {
    Aggregator::parse(name).filter(|a| !matches!(a, Aggregator::First | Aggregator::Last | Aggregator::Twa))
}

/// Merges single-column results (timestamps ascending) by timestamp and reduces equal
/// timestamps with `reducer`. The result is ascending.
///
/// ```
/// use tsdb_wasm::query::{reduce, Aggregator, RangeResult};
/// let a = RangeResult { timestamps: vec![1, 2], columns: vec![vec![1.0, 5.0]] };
/// let b = RangeResult { timestamps: vec![2, 3], columns: vec![vec![7.0, f64::NAN]] };
/// let r = reduce(&[&a, &b], Aggregator::Max);
/// assert_eq!(r.timestamps, vec![1, 2, 3]);
/// assert_eq!(r.values()[..2], [1.0, 7.0]);
/// assert!(r.values()[2].is_nan());
/// assert_eq!(reduce(&[&a, &b], Aggregator::Count).values(), &[1.0, 2.0, 0.0]);
/// ```
pub fn reduce(series: &[&RangeResult], reducer: Aggregator) -> RangeResult {
    // Why fast: a k-way merge over the already-sorted inputs, O(n log k), no global sort.
    let mut heap: BinaryHeap<Reverse<(i64, usize, usize)>> = series
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_empty())
        .map(|(i, r)| Reverse((r.timestamps[0], i, 0)))
        .collect();
    let mut out = RangeResult::with_columns(1);
    let mut current: Option<(i64, Acc)> = None;
    while let Some(Reverse((t, i, pos))) = heap.pop() {
        let v = series[i].values()[pos];
        match &mut current {
            Some((ct, acc)) if *ct == t => acc.add(t, v),
            _ => {
                if let Some((ct, acc)) = current.take() {
                    push(&mut out, ct, &acc, reducer);
                }
                let mut acc = Acc::new();
                acc.add(t, v);
                current = Some((t, acc));
            }
        }
        if let Some(&next) = series[i].timestamps.get(pos + 1) {
            heap.push(Reverse((next, i, pos + 1)));
        }
    }
    if let Some((ct, acc)) = current {
        push(&mut out, ct, &acc, reducer);
    }
    out
}

fn push(out: &mut RangeResult, t: i64, acc: &Acc, reducer: Aggregator) {
    let v = reducer.finish(acc).unwrap_or_else(|| if reducer == Aggregator::Count { 0.0 } else { f64::NAN });
    out.timestamps.push(t);
    out.columns[0].push(v);
}
