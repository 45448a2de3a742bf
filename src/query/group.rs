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
    let inputs: Vec<&RangeResult> = series.iter().copied().filter(|r| !r.is_empty()).collect();
    if let Some((first, rest)) = inputs.split_first() {
        if rest.iter().all(|r| r.timestamps == first.timestamps) {
            return reduce_aligned(first, &inputs, reducer);
        }
    }
    reduce_merge(&inputs, reducer)
}

/// [`reduce`] by a k-way merge of the (non-empty) inputs.
fn reduce_merge(series: &[&RangeResult], reducer: Aggregator) -> RangeResult {
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

/// [`reduce`] when every input has the same timestamps (the usual case: series aggregated into
/// the same buckets): one accumulator per row, the inputs folded in order, one after the other
/// (no merge: in wasm the heap cost more than the reduction). Same values as the merge, which
/// adds equal timestamps in input order too.
fn reduce_aligned(first: &RangeResult, inputs: &[&RangeResult], reducer: Aggregator) -> RangeResult {
    let ts = &first.timestamps;
    let mut accs = vec![Acc::new(); ts.len()];
    for r in inputs {
        for ((acc, &t), &v) in accs.iter_mut().zip(ts).zip(r.values()) {
            acc.add(t, v);
        }
    }
    let mut out = RangeResult::with_columns(1);
    out.timestamps.reserve(ts.len());
    out.columns[0].reserve(ts.len());
    for (acc, &t) in accs.iter().zip(ts) {
        push(&mut out, t, acc, reducer);
    }
    out
}

fn push(out: &mut RangeResult, t: i64, acc: &Acc, reducer: Aggregator) {
    let v = reducer.finish(acc).unwrap_or_else(|| if reducer == Aggregator::Count { 0.0 } else { f64::NAN });
    out.timestamps.push(t);
    out.columns[0].push(v);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_inputs_reduce_as_the_merge_does() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let ts: Vec<i64> = (0..50).map(|i| i * 60_000).collect();
        let inputs: Vec<RangeResult> = (0..7)
            .map(|_| {
                let vals = ts
                    .iter()
                    .map(|_| match next() % 10 {
                        0 => f64::NAN,
                        1 => -0.0,
                        _ => (next() % 2001) as f64 / 7.0 - 140.0,
                    })
                    .collect();
                RangeResult { timestamps: ts.clone(), columns: vec![vals] }
            })
            .collect();
        let refs: Vec<&RangeResult> = inputs.iter().collect();
        for name in ["avg", "sum", "min", "max", "range", "count", "std.p", "std.s", "var.p", "var.s", "countNaN", "countAll"] {
            let r = parse_reducer(name).unwrap();
            let (a, m) = (reduce(&refs, r), reduce_merge(&refs, r));
            assert_eq!(a.timestamps, m.timestamps, "{name}");
            let bits = |x: &RangeResult| x.values().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a), bits(&m), "{name}");
        }
    }
}
