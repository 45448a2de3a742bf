//! Folding a decimal block into buckets while it decodes: no array of values is written and
//! read back, and the decoding work overlaps the sum.
//!
//! Why fast: a bucket's running sum must add in time order (bit-identical to 1.12's sequential
//! sum), a chain of one dependent addition per sample; the decoder's work per sample
//! (unpacking, prefix sums, an integer-to-float conversion and scaling) is independent of
//! that chain. Handed over 8 values at a time in registers (`chunk::decimal::stream`), it runs
//! in the chain's shadow. Bucket boundaries are sample indexes computed once per bucket from the
//! block's constant step ([`Ts::lower_bound`]), so the inner step is an index comparison per 8
//! values. Measured natively on a 2-decimal random walk: 2.2 ns per sample for decode + sum,
//! against 2.75 for decoding into an array and summing it.
//!
//! Why correct: values are bit for bit the decoded ones; each bucket's sum continues its
//! accumulator's in time order; count, first and last are what [`Acc::add`] would record (the
//! values are never NaN). A bucket whose accumulator cannot take a bounded run as a whole
//! (avg's overflow path, sums near overflow: [`Acc::can_fold`]) gets its samples through
//! [`Acc::add`] one by one.

use super::aggregator::Acc;
use super::scan::Ts;
use crate::chunk::bits::Fields;
use crate::chunk::{Block, MAX_BLOCK_LEN};
use crate::error::Result;

/// What the fold needs from the bucketing.
pub(super) trait Bucketed {
    /// Makes the bucket of `t` current (closing the current one); false to stop.
    fn enter(&mut self, t: i64) -> bool;
    /// The current bucket's end (exclusive) and accumulator.
    fn current(&mut self) -> Option<(i64, &mut Acc)>;
}

/// A bound of the sum of `|v|` over a block's values (each below 2^51 in magnitude).
const BOUND: f64 = (MAX_BLOCK_LEN as u64 * (1u64 << 51)) as f64;

struct Fold<'k, K> {
    k: &'k mut K,
    ts: Ts<'k>,
    /// The current run (samples of one bucket): its first index and end (exclusive).
    start: usize,
    end: usize,
    sum: f64,
    first: Option<f64>,
    want_first: bool,
    last: f64,
    /// The accumulator takes samples one by one ([`Acc::add`]).
    exact: bool,
    stopped: bool,
}

impl<K: Bucketed> Fold<'_, K> {
    /// Starts the run of the bucket holding sample `i`.
    fn begin(&mut self, i: usize) {
        if !self.k.enter(self.ts.at(i)) {
            (self.stopped, self.end) = (true, usize::MAX);
            return;
        }
        let Some((end, acc)) = self.k.current() else {
            (self.stopped, self.end) = (true, usize::MAX);
            return;
        };
        self.exact = !acc.can_fold(BOUND);
        (self.sum, self.want_first, self.first) = (acc.sum, acc.first.is_none(), None);
        self.start = i;
        self.end = self.ts.lower_bound(i, end).max(i + 1);
    }

    /// Ends the current run at sample `i` (exclusive), writing it into the accumulator.
    fn flush(&mut self, i: usize) {
        if self.stopped || self.exact || i <= self.start {
            return;
        }
        let (start, ts, sum, first, last) = (self.start, self.ts, self.sum, self.first, self.last);
        if let Some((_, acc)) = self.k.current() {
            acc.sum = sum;
            acc.count += (i - start) as u64;
            if let Some(v) = first {
                acc.first = Some((ts.at(start), v));
            }
            acc.last = Some((ts.at(i - 1), last));
        }
    }
}

impl<K: Bucketed> Fields<f64> for Fold<'_, K> {
    /// The running sum and last value stay in registers across the groups of a bucket.
    #[inline(always)]
    fn groups(&mut self, i0: usize, n: usize, mut next: impl FnMut() -> [f64; 8]) {
        let (mut s, mut last) = (self.sum, self.last);
        for g in 0..n {
            let v = next();
            let i = i0 + 8 * g;
            if i + 8 <= self.end && !self.exact && !self.want_first {
                for x in v {
                    s += x;
                }
                last = v[7];
            } else {
                (self.sum, self.last) = (s, last);
                self.group(i, v);
                (s, last) = (self.sum, self.last);
            }
        }
        (self.sum, self.last) = (s, last);
    }

    #[inline(always)]
    fn part(&mut self, i: usize, v: [f64; 8], k: usize) {
        if i + k <= self.end && !self.exact && !self.want_first {
            let mut s = self.sum;
            for &x in &v[..k] {
                s += x;
            }
            (self.sum, self.last) = (s, v[k - 1]);
            return;
        }
        for (j, &x) in v.iter().enumerate().take(k) {
            self.one(i + j, x);
        }
    }

    #[inline(always)]
    fn group(&mut self, i: usize, v: [f64; 8]) {
        if i + 8 <= self.end && !self.exact {
            if self.want_first {
                (self.first, self.want_first) = (Some(v[0]), false);
            }
            let mut s = self.sum;
            for x in v {
                s += x;
            }
            self.sum = s;
            self.last = v[7];
            return;
        }
        // A bucket boundary inside the group: the runs on each side of it.
        let mut k = 0;
        while k < 8 {
            if i + k >= self.end {
                if self.stopped {
                    return;
                }
                self.flush(i + k);
                self.begin(i + k);
                if self.stopped {
                    return;
                }
            }
            if self.exact {
                for (kk, &x) in v.iter().enumerate().skip(k) {
                    self.one(i + kk, x);
                }
                return;
            }
            let stop = (self.end - i).min(8);
            if self.want_first {
                (self.first, self.want_first) = (Some(v[k]), false);
            }
            let mut s = self.sum;
            for &x in &v[k..stop] {
                s += x;
            }
            (self.sum, self.last) = (s, v[stop - 1]);
            k = stop;
        }
    }

    #[inline(always)]
    fn one(&mut self, i: usize, v: f64) {
        if i >= self.end {
            if self.stopped {
                return;
            }
            self.flush(i);
            self.begin(i);
            if self.stopped {
                return;
            }
        }
        if self.exact {
            let t = self.ts.at(i);
            if let Some((_, acc)) = self.k.current() {
                acc.add(t, v);
            }
            return;
        }
        if self.want_first {
            (self.first, self.want_first) = (Some(v), false);
        }
        self.sum += v;
        self.last = v;
    }
}

/// Folds block `b` (timestamps `ts`, all inside the queried range) into the buckets of `k`,
/// its values as they decode. `Ok(None)` when the block cannot be streamed (nothing folded;
/// decode it instead), else whether to go on.
pub(super) fn fold_block<K: Bucketed>(k: &mut K, b: &Block<'_>, ts: Ts<'_>) -> Result<Option<bool>> {
    let n = b.len().min(ts.len());
    if n == 0 {
        return Ok(Some(true));
    }
    let mut f = Fold {
        k,
        ts,
        start: 0,
        end: 0,
        sum: 0.0,
        first: None,
        want_first: false,
        last: 0.0,
        exact: false,
        stopped: false,
    };
    // Entering the first sample's bucket before knowing whether the block streams is harmless:
    // the decoding fallback enters the same bucket.
    f.begin(0);
    if f.stopped {
        return Ok(Some(false));
    }
    if !b.stream_values(&mut f)? {
        return Ok(None);
    }
    f.flush(n);
    Ok(Some(!f.stopped))
}

#[cfg(test)]
mod tests {
    //! The fast paths (chunk summaries, block groups, integer runs, streamed folds) against a
    //! naive evaluation over every decoded sample.
    use crate::query::{range, viewport, Acc, Aggregation, Aggregator, RangeRequest, RangeResult};
    use crate::{Encoding, Series, SeriesOptions};

    struct Gen(u64);
    impl Gen {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// A 1 s 2-decimal walk with NaN, gaps, irregular stretches, non-decimal and huge values,
    /// ingested in random batches.
    fn series(g: &mut Gen, n: usize, opts: SeriesOptions) -> (Series, Vec<i64>, Vec<f64>) {
        let (mut ts, mut vs) = (Vec::new(), Vec::new());
        let (mut t, mut x) = (1_700_000_000_000i64, 2137i64);
        for i in 0..n {
            t += match g.below(400) {
                0 => 1000 * (1 + g.below(5000) as i64),
                1..=3 if i % 5000 > 4000 => 1 + g.below(999) as i64,
                _ => 1000,
            };
            x += g.below(101) as i64 - 50;
            let v = match g.below(300) {
                0 => f64::NAN,
                1 => 1.0 / 3.0,
                2 if i > n / 2 => 1e250,
                _ => x as f64 / 100.0,
            };
            ts.push(t);
            vs.push(v);
        }
        let mut s = Series::new(opts);
        let mut i = 0;
        while i < n {
            let j = (i + 1 + g.below(20_000) as usize).min(n);
            s.add_batch(&ts[i..j], &vs[i..j], None, false).unwrap();
            i = j;
        }
        (s, ts, vs)
    }

    fn naive(ts: &[i64], vs: &[f64], from: i64, to: i64, agg: Aggregator, d: i64) -> RangeResult {
        let mut out = RangeResult::with_columns(1);
        let mut cur: Option<(i64, Acc)> = None;
        let flush = |c: Option<(i64, Acc)>, out: &mut RangeResult| {
            if let Some((b, acc)) = c.filter(|(_, a)| agg.has_input(a)) {
                out.timestamps.push(b);
                out.columns[0].push(agg.finish(&acc).unwrap());
            }
        };
        for (&t, &v) in ts.iter().zip(vs).filter(|(&t, _)| from <= t && t <= to) {
            let b = t - t.rem_euclid(d);
            if cur.as_ref().is_none_or(|c| c.0 != b) {
                flush(cur.take(), &mut out);
                cur = Some((b, Acc::new()));
            }
            if let Some(c) = cur.as_mut() {
                c.1.add(t, v);
            }
        }
        flush(cur, &mut out);
        out
    }

    fn naive_m4(ts: &[i64], vs: &[f64], from: i64, to: i64, w: i128) -> Vec<(i64, u64)> {
        let span = to as i128 - from as i128 + 1;
        let mut cols: Vec<(i128, [(i64, f64); 4])> = Vec::new();
        for (&t, &v) in ts.iter().zip(vs).filter(|(&t, v)| from <= t && t <= to && !v.is_nan()) {
            let k = (t as i128 - from as i128) * w / span;
            match cols.last_mut() {
                Some((ck, c)) if *ck == k => {
                    if v < c[1].1 {
                        c[1] = (t, v);
                    }
                    if v > c[2].1 {
                        c[2] = (t, v);
                    }
                    c[3] = (t, v);
                }
                _ => cols.push((k, [(t, v); 4])),
            }
        }
        let mut out = Vec::new();
        for (_, mut c) in cols {
            c.sort_by_key(|p| p.0);
            for (i, p) in c.iter().enumerate() {
                if i == 0 || p.0 != c[i - 1].0 {
                    out.push((p.0, p.1.to_bits()));
                }
            }
        }
        out
    }

    #[test]
    fn fast_paths_equal_a_naive_evaluation() {
        fast_paths_equal_naive(false);
    }

    /// M4 where whole blocks are folded from their group's extremes (`viewport.rs`,
    /// `M4::block`): values repeating with the period of a block group, so a column holding a
    /// whole group covers every other group's extremes, and column widths that are whole
    /// numbers of blocks, so a block folded that way often holds its column's last sample.
    #[test]
    fn m4_folds_dominated_blocks_exactly() {
        let mut s = Series::new(SeriesOptions::default());
        let (mut ts, mut vs) = (Vec::new(), Vec::new());
        for i in 0..40_960i64 {
            let (t, v) = (1_000_000 + i * 1000, ((i % 512) * 37 % 101) as f64 / 100.0 - 0.5);
            s.add(t, v, None, false).unwrap();
            ts.push(t);
            vs.push(v);
        }
        let (f, t) = (ts[0], ts[ts.len() - 1]);
        for w in (2..=80).chain([5, 7, 9, 11, 13].map(|k| 40_960 / (128 * k))) {
            let got = viewport(&s, f, t, w as u32).unwrap();
            let got: Vec<(i64, u64)> =
                got.timestamps.iter().zip(&got.columns[0]).map(|(&t, v)| (t, v.to_bits())).collect();
            assert_eq!(got, naive_m4(&ts, &vs, f, t, w), "width {w}");
        }
    }

    /// The same without streamed folds, as in wasm: decoded integers, bucket runs summed in
    /// pairs (`aggregate.rs`).
    #[test]
    fn wasm_paths_equal_a_naive_evaluation() {
        crate::query::aggregate::NO_STREAM.with(|c| c.set(true));
        fast_paths_equal_naive(true);
    }

    fn fast_paths_equal_naive(no_stream: bool) {
        let mut g = Gen(0x2545_F491_4F6C_DD1D ^ no_stream as u64);
        for (chunk_size, encoding) in [(4096, Encoding::Compressed), (1024, Encoding::Compressed), (4096, Encoding::Uncompressed)] {
            let opts = SeriesOptions { chunk_size, encoding, ..SeriesOptions::default() };
            let (s, ts, vs) = series(&mut g, 40_000, opts);
            let (t0, t1) = (ts[0], ts[ts.len() - 1]);
            for (from, to) in [(0, i64::MAX), (t0 + 12_345_678, t1 - 7_654_321)] {
                for d in [1000, 7_777, 60_000, 500_000, 1 << 30] {
                    for agg in Aggregator::ALL.into_iter().filter(|&a| a != Aggregator::Twa) {
                        let mut req = RangeRequest::new(from, to);
                        req.aggregation = Some(Aggregation::new(agg, d));
                        let got = range(&s, None, &req).unwrap();
                        if no_stream {
                            // Bit for bit what the streamed folds give.
                            crate::query::aggregate::NO_STREAM.with(|c| c.set(false));
                            let streamed = range(&s, None, &req).unwrap();
                            crate::query::aggregate::NO_STREAM.with(|c| c.set(true));
                            assert_eq!(got.timestamps, streamed.timestamps, "{agg:?} {d}");
                            let bits = |r: &RangeResult| r.columns[0].iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                            assert_eq!(bits(&got), bits(&streamed), "{agg:?} {d} {chunk_size}");
                        }
                        let want = naive(&ts, &vs, from, to, agg, d);
                        assert_eq!(got.timestamps, want.timestamps, "{agg:?} {d}");
                        // Folded sums add whole blocks: within rounding of the sequential sum.
                        let loose = matches!(
                            agg,
                            Aggregator::Avg | Aggregator::Sum | Aggregator::StdP | Aggregator::StdS | Aggregator::VarP | Aggregator::VarS
                        );
                        for (a, b) in got.columns[0].iter().zip(&want.columns[0]) {
                            let ok = a.to_bits() == b.to_bits()
                                || (a.is_nan() && b.is_nan())
                                || (loose && (a - b).abs() <= 1e-9 * b.abs().max(1.0));
                            assert!(ok, "{agg:?} {d} {chunk_size}: {a} vs {b}");
                        }
                    }
                }
                for w in [1, 7, 1000, 100_000] {
                    let (f, t) = (from.max(t0 - 1000), to.min(t1 + 1000));
                    let got = viewport(&s, f, t, w as u32).unwrap();
                    let got: Vec<(i64, u64)> =
                        got.timestamps.iter().zip(&got.columns[0]).map(|(&t, v)| (t, v.to_bits())).collect();
                    assert_eq!(got, naive_m4(&ts, &vs, f, t, w), "m4 {w} {chunk_size}");
                }
            }
        }
    }
}
