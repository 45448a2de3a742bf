//! The hot loop: folding a decoded run of samples (one block at most, all in one bucket) into
//! an [`Acc`].
//!
//! Why fast: the running sums must add in time order to stay bit-identical to 1.12's sequential
//! sums, so their dependency chain (one add per sample) is the floor; everything else is taken
//! off it. One pass adds the sum (and the sum of squares, only if a std / var aggregator needs
//! it) in order, beside four independent lanes of `|v|` — whose total bounds every partial sum,
//! so it proves at once that no overflow path is taken and, being NaN when a sample is NaN,
//! that there is no NaN. Extremes, when needed, are a separate four-lane pass (on a decimal
//! block's integers, only the two extremes scaled). Ends are read off the slice. When no
//! aggregator reads the sum (min, max, range, count, first, last) its chain is not added at all
//! on decoded decimal runs: for max in 1-minute buckets that chain was most of the fold.
//!
//! The same loop runs on a decimal block's integers ([`Acc::add_scaled_for`]), computing each
//! value (`decimal::Scale::value`: a conversion, two multiplications, an addition) inside the
//! loop: that work is independent of the sum chain, so it executes in its shadow instead of in
//! a pass of their own. Several buckets' sums at once: [`sums`].
//!
//! Why correct: when the bound fails (NaN, huge values, avg already in its overflow path) the
//! run is replayed through [`Acc::add`]; min and max are order-free except for the sign of a
//! zero, so a zero extreme is recomputed in time order. Scaled values are bit for bit the
//! decoded ones (`decimal::Scale`).

use super::aggregator::{Acc, Need};
use super::scan::Ts;
use crate::chunk::decimal::Scale;

/// Smallest and largest of `xs` as signed integers (four lanes; `(i64::MAX, i64::MIN)` when
/// empty).
#[inline]
pub(crate) fn int_extremes(xs: &[u64]) -> (i64, i64) {
    let mut lo = [i64::MAX; 4];
    let mut hi = [i64::MIN; 4];
    let chunks = xs.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        for k in 0..4 {
            lo[k] = lo[k].min(c[k] as i64);
            hi[k] = hi[k].max(c[k] as i64);
        }
    }
    for &x in rest {
        lo[0] = lo[0].min(x as i64);
        hi[0] = hi[0].max(x as i64);
    }
    (lo.into_iter().min().unwrap_or(i64::MAX), hi.into_iter().max().unwrap_or(i64::MIN))
}

/// Smallest and largest values of `xs` as `val` maps them (no NaN), the first occurrence as a
/// sequential scan with `<` / `>` would keep it.
#[inline(always)]
fn extremes<T: Copy>(xs: &[T], val: impl Fn(T) -> f64 + Copy) -> (f64, f64) {
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    let chunks = xs.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        for k in 0..4 {
            let v = val(c[k]);
            lo[k] = if v < lo[k] { v } else { lo[k] };
            hi[k] = if v > hi[k] { v } else { hi[k] };
        }
    }
    let (mut l, mut h) = (f64::INFINITY, f64::NEG_INFINITY);
    for k in 0..4 {
        l = if lo[k] < l { lo[k] } else { l };
        h = if hi[k] > h { hi[k] } else { h };
    }
    for &x in rest {
        let v = val(x);
        l = if v < l { v } else { l };
        h = if v > h { v } else { h };
    }
    if l == 0.0 || h == 0.0 {
        // -0.0 and 0.0 compare equal: keep the sign of the first one, as a scan would.
        (l, h) = (f64::INFINITY, f64::NEG_INFINITY);
        for &x in xs {
            let v = val(x);
            l = if v < l { v } else { l };
            h = if v > h { v } else { h };
        }
    }
    (l, h)
}

impl Acc {
    /// Adds a run of samples later than every sample already added, updating only what `need`
    /// says the aggregators read (the rest of the accumulator is then stale: finish only
    /// aggregators within `need`). With [`Need::ALL`] the result equals [`Acc::add`] one by
    /// one, bit for bit.
    ///
    /// ```
    /// use tsdb_wasm::query::{Acc, Aggregator, Need};
    /// let (ts, vs) = ([1, 2, 3, 4, 5], [0.5, -1.25, 3.0, 2.0, 0.25]);
    /// let mut a = Acc::new();
    /// a.add_run_for(&ts, &vs, Need::of(&[Aggregator::Avg]));
    /// assert_eq!(Aggregator::Avg.finish(&a), Some(0.9));
    /// ```
    pub fn add_run_for(&mut self, ts: &[i64], vals: &[f64], need: Need) {
        self.add_run_with(Ts::Slice(ts), vals, |v| v, None, |xs| extremes(xs, |v| v), need);
    }

    /// [`Acc::add_run_for`] on samples whose values are `s.value(ints[i])` (a decimal block's
    /// integers and scale, see `chunk::Block::decode_scaled`). Such values are at most 2^51 in
    /// magnitude and never NaN, which bounds the run without the `|v|` lanes.
    ///
    /// Extremes are found on the integers, and only they scaled. Why correct: `s.value(x)`
    /// (the correctly rounded `x / 10^e`) is strictly increasing in `x as i64` for such
    /// integers (consecutive ones give distinct doubles) and never -0.0.
    pub(crate) fn add_scaled_for(&mut self, ts: Ts<'_>, ints: &[u64], s: Scale, need: Need) {
        let bound = ints.len() as f64 * (1u64 << 51) as f64;
        let ext = |xs: &[u64]| {
            let (lo, hi) = int_extremes(xs);
            (s.value(lo as u64), s.value(hi as u64))
        };
        self.add_run_with(ts, ints, |x| s.value(x), Some(bound), ext, need);
    }

    /// [`Acc::add_run_for`] on samples at `ts` whose values are never NaN and at most 2^51 in
    /// magnitude (decoded decimal blocks), which bounds the run without the `|v|` lanes.
    pub(crate) fn add_bounded_for(&mut self, ts: Ts<'_>, vals: &[f64], need: Need) {
        let bound = vals.len() as f64 * (1u64 << 51) as f64;
        self.add_run_with(ts, vals, |v| v, Some(bound), |xs| extremes(xs, |v| v), need);
    }

    /// The fold; `bound`, when known, bounds the sum of `|v|` (the lanes are then skipped);
    /// `ext` gives the smallest and largest values of a run (as [`extremes`] does).
    #[inline(always)]
    fn add_run_with<T: Copy>(
        &mut self,
        ts: Ts<'_>,
        xs: &[T],
        val: impl Fn(T) -> f64 + Copy,
        bound: Option<f64>,
        ext: impl Fn(&[T]) -> (f64, f64),
        need: Need,
    ) {
        let n = ts.len().min(xs.len());
        let xs = &xs[..n];
        if n == 0 {
            return;
        }
        if let Some(bound) = bound {
            if !need.sum {
                // No sum is read (min / max / count / first / last): its chain, the costliest
                // part of the fold, is not added.
                self.finish_run(ts, xs, val, ext, need);
                return;
            }
            if !self.can_fold(bound) {
                self.replay(ts, xs, val);
                return;
            }
            let mut s = self.sum;
            if need.sum_sq {
                let mut s2 = self.sum_sq;
                for &x in xs {
                    let v = val(x);
                    s += v;
                    s2 += v * v;
                }
                self.sum_sq = s2;
            } else {
                for c in xs.chunks_exact(4) {
                    let v = [val(c[0]), val(c[1]), val(c[2]), val(c[3])];
                    s = (((s + v[0]) + v[1]) + v[2]) + v[3];
                }
                for &x in xs.chunks_exact(4).remainder() {
                    s += val(x);
                }
            }
            self.sum = s;
            self.finish_run(ts, xs, val, ext, need);
            return;
        }
        let mut s = self.sum;
        let mut s2 = self.sum_sq;
        let mut a = [0.0f64; 4];
        let chunks = xs.chunks_exact(4);
        let rest = chunks.remainder();
        if need.sum_sq {
            for c in chunks {
                let v = [val(c[0]), val(c[1]), val(c[2]), val(c[3])];
                for k in 0..4 {
                    s += v[k];
                    s2 += v[k] * v[k];
                    a[k] += v[k].abs();
                }
            }
            for &x in rest {
                let v = val(x);
                s += v;
                s2 += v * v;
                a[0] += v.abs();
            }
        } else {
            for c in chunks {
                let v = [val(c[0]), val(c[1]), val(c[2]), val(c[3])];
                for k in 0..4 {
                    s += v[k];
                    a[k] += v[k].abs();
                }
            }
            for &x in rest {
                let v = val(x);
                s += v;
                a[0] += v.abs();
            }
        }
        let bound = (a[0] + a[1]) + (a[2] + a[3]);
        if !self.can_fold(bound) {
            self.replay(ts, xs, val);
            return;
        }
        self.sum = s;
        if need.sum_sq {
            self.sum_sq = s2;
        }
        self.finish_run(ts, xs, val, ext, need);
    }

    /// Adds the samples one by one (the exact path).
    #[cold]
    fn replay<T: Copy>(&mut self, ts: Ts<'_>, xs: &[T], val: impl Fn(T) -> f64) {
        for (i, &x) in xs.iter().enumerate() {
            self.add(ts.at(i), val(x));
        }
    }

    /// The rest of a folded run: extremes (if needed), count, first and last.
    #[inline(always)]
    fn finish_run<T: Copy>(
        &mut self,
        ts: Ts<'_>,
        xs: &[T],
        val: impl Fn(T) -> f64 + Copy,
        ext: impl Fn(&[T]) -> (f64, f64),
        need: Need,
    ) {
        let n = xs.len();
        if need.extremes {
            let (lo, hi) = ext(xs);
            if lo < self.min {
                self.min = lo;
            }
            if hi > self.max {
                self.max = hi;
            }
        }
        self.count += n as u64;
        if self.first.is_none() {
            self.first = Some((ts.at(0), val(xs[0])));
        }
        self.last = Some((ts.at(n - 1), val(xs[n - 1])));
    }
}

/// The sums of each run `runs[k]` added in order to `starts[k]`: independent chains of
/// dependent additions, interleaved so that together they take about the time of the longest
/// (an addition's latency, not its throughput, bounds a single chain).
#[inline]
pub(crate) fn sums<const N: usize>(starts: [f64; N], runs: [&[f64]; N]) -> [f64; N] {
    let m = runs.iter().map(|r| r.len()).min().unwrap_or(0);
    let heads = runs.map(|r| &r[..m]);
    let mut s = starts;
    // Index i of every run per step: the point is the lanes side by side.
    #[allow(clippy::needless_range_loop)]
    for i in 0..m {
        for k in 0..N {
            s[k] += heads[k][i];
        }
    }
    for k in 0..N {
        for &v in &runs[k][m..] {
            s[k] += v;
        }
    }
    s
}

/// `sums([0.0; 8], runs)`, in wasm: eight runs in four simd128 accumulators of two lanes, each
/// lane adding its run's values in order (so the same sums, bit for bit).
///
/// Why: as four scalar chains, the sums were bound by an addition's latency (three cycles per
/// four values) and every value's load took an address computation of its own. Here two
/// vector loads and two shuffles give two runs' next two values, and four chains run side by
/// side. Measured in Node: avg into 1-minute buckets 2-5 % faster.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
pub(crate) fn sums8(runs: [&[f64]; 8]) -> [f64; 8] {
    use core::arch::wasm32::{f64x2, f64x2_add, f64x2_extract_lane, f64x2_splat, i64x2_shuffle, v128, v128_load};
    /// `x` as one vector: one `v128.load`. (Built from the two values instead, LLVM turns the
    /// shuffles below into a load per value.)
    #[inline(always)]
    fn pair(x: &[f64]) -> v128 {
        let x: &[f64; 2] = x.try_into().expect("two values");
        // SAFETY: `x` is 16 readable bytes, and `v128_load` needs no alignment.
        unsafe { v128_load(x.as_ptr().cast()) }
    }
    let m = runs.iter().map(|r| r.len()).min().unwrap_or(0);
    let r = runs.map(|r| &r[..m]);
    let mut acc = [f64x2_splat(0.0); 4];
    let mut j = 0;
    while j + 2 <= m {
        for (p, a) in acc.iter_mut().enumerate() {
            let (u, v) = (pair(&r[2 * p][j..j + 2]), pair(&r[2 * p + 1][j..j + 2]));
            // Lane 0 adds run 2p's values j, j + 1; lane 1 run 2p + 1's.
            *a = f64x2_add(f64x2_add(*a, i64x2_shuffle::<0, 2>(u, v)), i64x2_shuffle::<1, 3>(u, v));
        }
        j += 2;
    }
    if j < m {
        for (p, a) in acc.iter_mut().enumerate() {
            *a = f64x2_add(*a, f64x2(r[2 * p][j], r[2 * p + 1][j]));
        }
    }
    let mut s = [0.0; 8];
    for (p, a) in acc.iter().enumerate() {
        (s[2 * p], s[2 * p + 1]) = (f64x2_extract_lane::<0>(*a), f64x2_extract_lane::<1>(*a));
    }
    for (k, run) in runs.iter().enumerate() {
        for &v in &run[m..] {
            s[k] += v;
        }
    }
    s
}

/// `sums([0.0; 8], runs)` (the simd128 form's portable twin).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
pub(crate) fn sums8(runs: [&[f64]; 8]) -> [f64; 8] {
    sums([0.0; 8], runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_equal_samples_bit_for_bit() {
        let ts: Vec<i64> = (0..203).collect();
        for pattern in 0..6 {
            let vs: Vec<f64> = ts
                .iter()
                .map(|&t| match pattern {
                    0 => ((t * 37) % 101) as f64 / 7.0 - 5.0,
                    1 => {
                        if t % 2 == 0 {
                            0.0
                        } else {
                            -0.0
                        }
                    }
                    2 => {
                        if t == 50 {
                            f64::NAN
                        } else {
                            t as f64 * 0.1
                        }
                    }
                    3 => 1e200 * (t as f64 - 100.0),
                    4 => -0.0,
                    _ => (t as f64).sin(),
                })
                .collect();
            let mut one = Acc::new();
            for (&t, &v) in ts.iter().zip(&vs) {
                one.add(t, v);
            }
            let mut run = Acc::new();
            for (c, d) in ts.chunks(61).zip(vs.chunks(61)) {
                run.add_run(c, d);
            }
            assert_eq!(format!("{run:?}"), format!("{one:?}"), "pattern {pattern}");
        }
    }
}
