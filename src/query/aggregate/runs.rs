//! Runs of decoded samples into buckets (part of [`Bucketer`]): bucket boundaries found by
//! comparing with the bucket end (the previous bucket's length as a first guess, a binary
//! search otherwise), and the whole buckets of a batch summed four at a time — or, when the
//! batch is regular, placed by arithmetic, summed eight at a time and written a column at a
//! time.

use super::Bucketer;
use crate::query::aggregator::{Acc, Aggregator};
use crate::query::fold::{sums, sums8};
use crate::query::scan::Ts;
use std::ops::Range;

/// Buckets whose sums [`Bucketer::whole_buckets`] adds side by side ([`sums`]).
const LANES: usize = 4;
/// Most buckets [`Bucketer::regular_buckets`] sums before writing their rows.
const RUN: usize = 32;

/// The accumulator [`Acc::add`] would give the non-NaN samples `r` of sum `sum`, as far as
/// sums, counts and first / last go.
#[inline(always)]
fn run_acc(ts: Ts<'_>, vals: &[f64], r: Range<usize>, sum: f64) -> Acc {
    Acc {
        count: r.len() as u64,
        sum,
        first: Some((ts.at(r.start), vals[r.start])),
        last: Some((ts.at(r.end - 1), vals[r.end - 1])),
        ..Acc::new()
    }
}

impl Bucketer<'_> {
    /// Start of the bucket of `t`, which lies at or after `prev_end` (the current bucket's end,
    /// if any): usually the next bucket starts where the current one ends (no division).
    #[inline]
    pub(super) fn next_start(&self, prev_end: Option<i64>, t: i64) -> i64 {
        match prev_end {
            Some(e) if e < i64::MAX && t.checked_sub(e).is_some_and(|d| (0..self.grid.duration).contains(&d)) => e,
            _ => self.grid.start_of(t),
        }
    }

    /// The end `j` of the run `ts[i..j]` before `end`: all of `ts`, the previous bucket's
    /// length again (regular data: two comparisons), or a binary search; at least `i + 1`.
    #[inline]
    pub(super) fn run_end(&self, ts: Ts<'_>, i: usize, end: i64) -> usize {
        let n = ts.len();
        let h = i + self.hint;
        let j = if ts.at(n - 1) < end {
            n
        } else if h < n && ts.at(h - 1) < end && ts.at(h) >= end {
            h
        } else {
            ts.lower_bound(i, end)
        };
        j.max(i + 1)
    }

    /// Enters the bucket of `ts[i]` and returns the end `j` of the run `ts[i..j]` inside it
    /// ([`Bucketer::run_end`]). `None` to stop.
    #[inline]
    pub(super) fn bucket_run(&mut self, ts: Ts<'_>, i: usize) -> Option<usize> {
        if !self.enter(ts.at(i)) {
            return None;
        }
        let n = ts.len();
        let end = self.cur.as_ref().map_or(i64::MIN, |g| g.end);
        let j = self.run_end(ts, i, end);
        if j < n && i > 0 {
            // A whole bucket (it started and ended inside this run).
            self.hint = j - i;
        }
        Some(j)
    }

    /// Folds the buckets that start at `ts[i]` (past the current bucket's end) and end
    /// inside `ts`, four at a time ([`sums`]), rolling each in ([`Bucketer::roll`]) with the
    /// accumulator [`Acc::add`] would give it as far as sums, counts and first / last go.
    /// Returns where the first bucket not ending inside `ts` starts. Simple mode, when only
    /// sums and counts are read (see `wants_batches`): a fresh accumulator takes such a run
    /// whole (its values are bounded, see [`Acc::add_bounded_for`]). Regular runs, where
    /// every bucket holds the same number of samples, take [`Bucketer::regular_buckets`].
    pub(super) fn whole_buckets(&mut self, ts: Ts<'_>, vals: &[f64], mut i: usize) -> usize {
        let n = ts.len().min(vals.len());
        let Some(mut end) = self.cur.as_ref().map(|g| g.end) else { return i };
        if let Some(l) = self.regular_len(ts, i, end) {
            return self.regular_buckets(ts, vals, i, end, l);
        }
        while i < n {
            // Up to LANES buckets ahead: (start, first index, end index).
            let mut b = [(0i64, 0usize, 0usize); LANES];
            let (mut m, mut j) = (0, i);
            while m < LANES && j < n {
                let start = self.next_start(Some(end), ts.at(j));
                let e = self.grid.end_of(start);
                let k = self.run_end(ts, j, e);
                if k >= n {
                    break;
                }
                b[m] = (start, j, k);
                (m, j, end) = (m + 1, k, e);
            }
            if m == 0 {
                break;
            }
            // Fewer than LANES buckets (a batch's end): the missing lanes are empty runs.
            let run = |x: usize| if x < m { &vals[b[x].1..b[x].2] } else { &[][..] };
            let s = sums([0.0; LANES], [run(0), run(1), run(2), run(3)]);
            for (&(start, a, k), &sum) in b[..m].iter().zip(&s) {
                self.roll_run(start, ts, vals, a..k, sum);
                self.hint = k - a;
            }
            i = j;
            if m < LANES {
                break;
            }
        }
        i
    }

    /// [`Bucketer::roll`] into the bucket at `start` holding the samples `r` of sum `sum`.
    #[inline(always)]
    pub(super) fn roll_run(&mut self, start: i64, ts: Ts<'_>, vals: &[f64], r: Range<usize>, sum: f64) {
        self.roll(start, run_acc(ts, vals, r, sum));
    }

    /// [`Bucketer::whole_buckets`] when every bucket from the one starting at `end` (whose
    /// first sample is `ts[i]`) holds `l` samples ([`Bucketer::regular_len`]): bucket `q`
    /// starts `q` durations after `end` and holds `ts[i + q·l..i + (q + 1)·l]`, so no bucket
    /// boundary is searched for. Same folds, same order: the same bits.
    ///
    /// Up to [`RUN`] buckets at a time: their sums eight at a time ([`sums8`]; the last few
    /// four at a time), then the first rolled in as usual ([`Bucketer::roll_run`], which closes
    /// the bucket before it) and the others written a column at a time
    /// ([`Bucketer::regular_rows`]).
    #[inline(always)]
    pub(super) fn regular_buckets(&mut self, ts: Ts<'_>, vals: &[f64], mut i: usize, mut end: i64, l: usize) -> usize {
        let (n, d) = (ts.len().min(vals.len()), self.grid.duration);
        // Buckets ending before the last sample (as in `whole_buckets`).
        let mut whole = n.saturating_sub(i + 1) / l;
        while whole > 0 {
            let m = whole.min(RUN);
            let mut s = [0.0; RUN];
            let run = |q: usize| if q < m { &vals[i + q * l..i + (q + 1) * l] } else { &[][..] };
            let mut c = 0;
            while c + 8 <= m {
                s[c..c + 8].copy_from_slice(&sums8(std::array::from_fn(|x| run(c + x))));
                c += 8;
            }
            while c < m {
                let r = sums([0.0; LANES], [run(c), run(c + 1), run(c + 2), run(c + 3)]);
                let k = (m - c).min(LANES);
                s[c..c + k].copy_from_slice(&r[..k]);
                c += LANES;
            }
            self.roll_run(end, ts, vals, i..i + l, s[0]);
            self.regular_rows(end, ts, vals, i, l, &s[..m]);
            (whole, i, end) = (whole - m, i + m * l, end + d * m as i64);
        }
        self.hint = l;
        i
    }

    /// With the bucket at `start` current (holding `vals[i..i + l]`, of sum `sums[0]`): closes
    /// it and the buckets after it up to the last of `sums` (bucket `q` starts `q` durations
    /// after `start`, holds `l` samples from `i + q·l`, of sum `sums[q]`), which becomes
    /// current — as [`Bucketer::roll_run`] would one by one, to the same bits.
    ///
    /// Why: a row at a time, each bucket paid ~20 ns in wasm for its accumulator, the
    /// aggregators' dispatch and the column pushes (1-minute buckets: about a tenth of the
    /// query). Written a column at a time, the dispatch is once per column and the pushes are
    /// one reservation each. Why the same: such a bucket holds `l` non-NaN values (batches are
    /// exact decimals), so every aggregator has input and [`Aggregator::finish`] of its
    /// accumulator (count `l`, sum `sums[q]`, no overflowed mean) is what each arm writes.
    fn regular_rows(&mut self, start: i64, ts: Ts<'_>, vals: &[f64], i: usize, l: usize, sums: &[f64]) {
        let Some(k) = sums.len().checked_sub(1).filter(|&k| k > 0) else { return };
        let Some(g) = self.cur.as_mut() else { return };
        let (d, bt, grid) = (self.grid.duration, self.bt, self.grid);
        let at = |q: usize| start + d * q as i64;
        let acc = |q: usize| run_acc(ts, vals, i + q * l..i + (q + 1) * l, sums[q]);
        let out = &mut self.out;
        out.timestamps.extend((0..k).map(|q| grid.reported(at(q), bt)));
        let n = l as f64;
        for (a, col) in self.aggs.iter().zip(out.columns.iter_mut()) {
            match a {
                Aggregator::Avg => col.extend(sums[..k].iter().map(|&s| s / n)),
                Aggregator::Sum => col.extend_from_slice(&sums[..k]),
                Aggregator::Count | Aggregator::CountAll => col.extend((0..k).map(|_| n)),
                Aggregator::CountNan => col.extend((0..k).map(|_| 0.0)),
                _ => col.extend((0..k).map(|q| a.finish(&acc(q)).unwrap_or(a.empty_value()))),
            }
        }
        self.prev = Some(at(k - 1));
        self.last_valid = acc(k - 1).last;
        (g.start, g.end, g.acc) = (at(k), grid.end_of(at(k)), acc(k));
    }

    /// The length `duration / step` every bucket from the one starting at `end` on has when
    /// `ts` is regular from `ts[i]` (constant step dividing the duration), `ts[i]` lies within
    /// one step after `end` (so it is that bucket's first sample) and the buckets' ends up to
    /// the end of `ts` do not overflow.
    #[inline]
    pub(super) fn regular_len(&self, ts: Ts<'_>, i: usize, end: i64) -> Option<usize> {
        let Ts::Step { step, len, .. } = ts else { return None };
        let d = self.grid.duration;
        let off = ts.at(i).checked_sub(end)?;
        if d % step != 0 || !(0..step).contains(&off) {
            return None;
        }
        let l = usize::try_from(d / step).ok()?;
        let buckets = i64::try_from((len - i) / l + 2).ok()?;
        end.checked_add(d.checked_mul(buckets)?)?;
        Some(l)
    }
}

#[cfg(test)]
mod tests {
    use crate::query::{range, Aggregation, Aggregator, RangeRequest};
    use crate::{Series, SeriesOptions};
    use Aggregator::{Avg, Count, CountAll, CountNan, Sum};

    /// Regular batches (a 1 s 2-decimal walk, buckets of whole seconds: `regular_buckets` and
    /// `regular_rows`), natively and with the wasm paths, against plain sequential loops, bit
    /// for bit: every aggregator that takes the batch path, alone and as a list, over the whole
    /// series and over a range cutting buckets. A NaN every 997 samples takes its block out of
    /// the batches, so runs start and stop in the middle of buckets. Bucket lengths stay below
    /// a block's, whose whole-block folds are only within rounding of a sequential sum.
    #[test]
    fn regular_runs_equal_plain_loops() {
        for no_stream in [false, true] {
            crate::query::aggregate::NO_STREAM.with(|c| c.set(no_stream));
            regular_runs(no_stream);
        }
        crate::query::aggregate::NO_STREAM.with(|c| c.set(false));
    }

    fn regular_runs(no_stream: bool) {
        let mut s = Series::new(SeriesOptions::default());
        let (mut ts, mut vs) = (Vec::new(), Vec::new());
        let (mut x, mut r) = (10_000i64, 0x9E37_79B9_7F4A_7C15u64);
        for i in 0..60_000i64 {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            x += (r % 101) as i64 - 50;
            let (t, v) = (1_710_000_000_000 + i * 1000, if i % 997 == 500 { f64::NAN } else { x as f64 / 100.0 });
            s.add(t, v, None, false).unwrap();
            ts.push(t);
            vs.push(v);
        }
        let (t0, t1) = (ts[0], ts[ts.len() - 1]);
        let lists = [vec![Avg], vec![Sum], vec![Count], vec![CountNan], vec![CountAll], vec![Avg, Sum, Count, CountNan, CountAll]];
        for (from, to) in [(0, i64::MAX), (t0 + 12_345, t1 - 54_321)] {
            for d in [1000, 2000, 7000, 60_000, 100_000, 127_000] {
                // Plain loops: per bucket, samples, NaN samples, sequential sum from 0.
                let mut b: Vec<(i64, u64, u64, f64)> = Vec::new();
                for (&t, &v) in ts.iter().zip(&vs).filter(|(&t, _)| from <= t && t <= to) {
                    let start = t - t.rem_euclid(d);
                    if b.last().is_none_or(|l| l.0 != start) {
                        b.push((start, 0, 0, 0.0));
                    }
                    let l = b.last_mut().unwrap();
                    l.1 += 1;
                    if v.is_nan() {
                        l.2 += 1;
                    } else {
                        l.3 += v;
                    }
                }
                for aggs in &lists {
                    let mut req = RangeRequest::new(from, to);
                    let mut agg = Aggregation::new(aggs[0], d);
                    agg.aggregators = aggs.clone();
                    req.aggregation = Some(agg);
                    let got = range(&s, None, &req).unwrap();
                    let input = |a: Aggregator, &(_, n, nan, _): &(i64, u64, u64, f64)| if a.takes_nan() { n > 0 } else { n > nan };
                    let rows: Vec<_> = b.iter().filter(|k| aggs.iter().any(|&a| input(a, k))).collect();
                    let at = |c: &str| format!("{c} {aggs:?} d={d} from={from} no_stream={no_stream}");
                    assert_eq!(got.timestamps, rows.iter().map(|k| k.0).collect::<Vec<_>>(), "{}", at("timestamps"));
                    for (a, col) in aggs.iter().zip(&got.columns) {
                        let want: Vec<u64> = rows
                            .iter()
                            .map(|k| {
                                let v = match a {
                                    _ if !input(*a, k) => a.empty_value(),
                                    Avg => k.3 / (k.1 - k.2) as f64,
                                    Sum => k.3,
                                    Count => (k.1 - k.2) as f64,
                                    CountNan => k.2 as f64,
                                    _ => k.1 as f64,
                                };
                                v.to_bits()
                            })
                            .collect();
                        assert_eq!(col.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), want, "{}", at(&format!("{a:?}")));
                    }
                }
            }
        }
    }
}
