//! Runs of decoded samples into buckets (part of [`Bucketer`]): bucket boundaries found by
//! comparing with the bucket end (the previous bucket's length as a first guess, a binary
//! search otherwise), and the whole buckets of a batch summed four at a time — or, when the
//! batch is regular, placed by arithmetic.

use super::Bucketer;
use crate::query::aggregator::Acc;
use crate::query::fold::sums;
use crate::query::scan::Ts;

/// Buckets whose sums [`Bucketer::whole_buckets`] adds side by side ([`sums`]).
const LANES: usize = 4;

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
    pub(super) fn roll_run(&mut self, start: i64, ts: Ts<'_>, vals: &[f64], r: std::ops::Range<usize>, sum: f64) {
        let acc = Acc {
            count: r.len() as u64,
            sum,
            first: Some((ts.at(r.start), vals[r.start])),
            last: Some((ts.at(r.end - 1), vals[r.end - 1])),
            ..Acc::new()
        };
        self.roll(start, acc);
    }

    /// [`Bucketer::whole_buckets`] when every bucket from the one starting at `end` (whose
    /// first sample is `ts[i]`) holds `l` samples ([`Bucketer::regular_len`]): bucket `q`
    /// starts `q` durations after `end` and holds `ts[i + q·l..i + (q + 1)·l]`, so no bucket
    /// boundary is searched for. Same folds, same order: the same bits.
    #[inline(always)]
    pub(super) fn regular_buckets(&mut self, ts: Ts<'_>, vals: &[f64], mut i: usize, mut end: i64, l: usize) -> usize {
        let (n, d) = (ts.len().min(vals.len()), self.grid.duration);
        // Buckets ending before the last sample (as in `whole_buckets`).
        let mut whole = n.saturating_sub(i + 1) / l;
        while whole > 0 {
            let m = whole.min(LANES);
            let run = |x: usize| if x < m { &vals[i + x * l..i + (x + 1) * l] } else { &[][..] };
            let s = sums([0.0; LANES], [run(0), run(1), run(2), run(3)]);
            for (x, &sum) in s[..m].iter().enumerate() {
                let a = i + x * l;
                self.roll_run(end, ts, vals, a..a + l, sum);
                end += d;
            }
            (whole, i) = (whole - m, i + m * l);
        }
        self.hint = l;
        i
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
