//! Model tests of the query engine: random series (irregular timestamps, gaps, NaN, retention,
//! out-of-order inserts and deletes, many small chunks of both encodings) and random queries
//! (every aggregator and lists, EMPTY, ALIGN, BUCKETTIMESTAMP, COUNT, filters, REVRANGE, LATEST)
//! against the naive reference in `support/query_ref.rs`; and the M4 viewport against a line
//! rasteriser: the same pixels as the full data, never more than 4 points per column.
//!
//! Values are exact binary fractions in half the series (every sum is exact in any order, so
//! every aggregate must be bit-identical) and 2-decimal random walks in the other half (sums
//! folded from chunk summaries add in another order: sum / avg / std / var / twa are compared
//! within 1e-9 of the magnitude of the data; everything else exactly).
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/query_ref.rs"]
mod query_ref;

use query_ref::S;
use tsdb_wasm::query::{self, Aggregation, Aggregator, Align, BucketTimestamp, RangeRequest, RangeResult};
use tsdb_wasm::{DuplicatePolicy, Encoding, Series, SeriesOptions};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

/// A random series and whether its values are exact binary fractions.
fn random_series(rng: &mut Rng) -> (Series, bool) {
    let exact = rng.chance(50);
    let opts = SeriesOptions {
        retention_ms: if rng.chance(25) { 200 + rng.below(3000) } else { 0 },
        chunk_size: rng.pick(&[48, 64, 96, 128, 256, 4096]),
        encoding: if rng.chance(25) { Encoding::Uncompressed } else { Encoding::Compressed },
        duplicate_policy: Some(DuplicatePolicy::Last),
        ..SeriesOptions::default()
    };
    let mut s = Series::new(opts);
    let n = rng.below(700) as i64;
    let nan_pct = if rng.chance(30) { 8 } else { 0 };
    let mut t = rng.below(40) as i64;
    let mut walk = rng.below(2000) as i64 - 1000;
    for _ in 0..n {
        t += match rng.below(20) {
            0 => 50 + rng.below(400) as i64,
            1..=5 => 1,
            _ => 1 + rng.below(6) as i64,
        };
        walk += rng.below(201) as i64 - 100;
        let v = if rng.chance(nan_pct) {
            f64::NAN
        } else if exact {
            walk as f64 / 4.0
        } else {
            walk as f64 / 100.0
        };
        s.add(t, v, None, false).unwrap();
        if rng.chance(3) {
            // An out-of-order insert or overwrite (rebuilds a chunk).
            let late = t - rng.below(60) as i64;
            let _ = s.add(late.max(0), (rng.below(400) as f64 - 200.0) / 4.0, None, false);
        }
        if rng.chance(1) {
            let a = t - rng.below(100) as i64;
            s.delete_range(a.max(0), a.max(0) + rng.below(30) as i64).unwrap();
        }
    }
    (s, exact)
}

fn random_request(rng: &mut Rng, raw: &[S]) -> RangeRequest {
    let (lo, hi) = (raw.first().map_or(0, |s| s.0), raw.last().map_or(100, |s| s.0));
    let span = (hi - lo).max(1) as u64;
    let point = |rng: &mut Rng| (lo - 20 + rng.below(span + 40) as i64).max(0);
    let open_from = rng.chance(30);
    let open_to = rng.chance(30);
    let mut from = if open_from { 0 } else { point(rng) };
    let mut to = if open_to { i64::MAX } else { point(rng) };
    if from > to && rng.chance(80) {
        std::mem::swap(&mut from, &mut to);
    }
    let mut req = RangeRequest::new(from, to);
    req.reverse = rng.chance(50);
    if rng.chance(30) {
        req.count = Some(1 + rng.below(25));
    }
    if rng.chance(15) {
        let ts: Vec<i64> = (0..1 + rng.below(12))
            .map(|_| {
                if !raw.is_empty() && rng.chance(80) {
                    raw[rng.below(raw.len() as u64) as usize].0
                } else {
                    point(rng)
                }
            })
            .collect();
        req.set_filter_by_ts(&ts);
    }
    if rng.chance(15) {
        let a = rng.below(2000) as f64 / 4.0 - 250.0;
        req.filter_by_value = Some((a, a + rng.below(800) as f64 / 4.0 - 20.0));
    }
    if rng.chance(75) {
        let mut aggs = vec![rng.pick(&Aggregator::ALL)];
        if rng.chance(20) {
            for _ in 0..1 + rng.below(3) {
                aggs.push(rng.pick(&Aggregator::ALL));
            }
        }
        let d = match rng.below(4) {
            0 => 1 + rng.below(10) as i64,
            1 => 1 + rng.below(100) as i64,
            2 => 1 + (span / (1 + rng.below(30))) as i64,
            _ => 1 + rng.below(span * 2) as i64,
        };
        let mut agg = Aggregation::new(aggs[0], d);
        agg.aggregators = aggs;
        agg.align = match rng.below(5) {
            0 if !open_from => Align::Start,
            1 if !open_to => Align::End,
            2 => Align::At(rng.below(span + 100) as i64),
            _ => Align::Zero,
        };
        agg.bucket_timestamp = rng.pick(&[BucketTimestamp::Start, BucketTimestamp::Mid, BucketTimestamp::End]);
        agg.empty = rng.chance(35);
        req.aggregation = Some(agg);
    }
    req
}

/// Compares two results NaN-aware; sum-like aggregates of inexact data within tolerance.
fn compare(got: &RangeResult, want: &RangeResult, req: &RangeRequest, scale: f64, exact: bool) -> Result<(), String> {
    if got.timestamps != want.timestamps {
        return Err(format!("timestamps differ:\n got {:?}\nwant {:?}", got.timestamps, want.timestamps));
    }
    let aggs: Vec<Option<Aggregator>> = match &req.aggregation {
        Some(a) => a.aggregators.iter().map(|&x| Some(x)).collect(),
        None => vec![None],
    };
    for (k, agg) in aggs.iter().enumerate() {
        let loose = !exact
            && matches!(
                agg,
                Some(
                    Aggregator::Avg
                        | Aggregator::Sum
                        | Aggregator::StdP
                        | Aggregator::StdS
                        | Aggregator::VarP
                        | Aggregator::VarS
                        | Aggregator::Twa
                )
            );
        let tol = match agg {
            Some(Aggregator::VarP | Aggregator::VarS) => 1e-9 * scale * scale,
            Some(Aggregator::StdP | Aggregator::StdS) => 1e-4 * scale,
            _ => 1e-9 * scale,
        };
        for (i, (&g, &w)) in got.columns[k].iter().zip(&want.columns[k]).enumerate() {
            let same = g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()) || (g == w);
            let close =
                loose && (((g - w).abs() <= tol) || (g.is_nan() && w.abs() <= tol) || (w.is_nan() && g.abs() <= tol));
            if !same && !close {
                return Err(format!("{agg:?} row {i} (ts {}): got {g:?}, want {w:?}", got.timestamps[i]));
            }
        }
    }
    Ok(())
}

#[test]
fn random_queries_match_the_reference() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut checked = 0;
    for case in 0..400 {
        let (series, exact) = random_series(&mut rng);
        let raw = query_ref::visible(&series);
        let scale = raw.iter().filter(|s| !s.1.is_nan()).map(|s| s.1.abs()).fold(1.0, f64::max);
        for q in 0..40 {
            let req = random_request(&mut rng, &raw);
            let latest = if rng.chance(10) {
                let t = series.last().map_or(0, |(t, _)| t) + 1 + rng.below(50) as i64;
                Some((t, rng.below(100) as f64 / 4.0))
            } else {
                None
            };
            let got = query::range(&series, latest, &req).unwrap();
            let want = query_ref::range(&raw, latest, &req);
            if let Err(e) = compare(&got, &want, &req, scale, exact) {
                panic!("case {case} query {q}: {req:?} latest {latest:?}\n{e}\nseries: {raw:?}");
            }
            checked += 1;
        }
    }
    eprintln!("{checked} random queries match the reference");
}

/// Aggregating whole chunks from their summaries gives the same buckets as decoding them.
#[test]
fn summary_folding_matches_decoding() {
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    for _ in 0..50 {
        let mut s = Series::new(SeriesOptions { chunk_size: 64, ..SeriesOptions::default() });
        let mut t = 0;
        for _ in 0..3000 {
            t += 1 + rng.below(3) as i64;
            s.add(t, (rng.below(4000) as f64 - 2000.0) / 8.0, None, false).unwrap();
        }
        let raw = query_ref::visible(&s);
        for agg in Aggregator::ALL {
            for d in [1000, 5000, 100_000] {
                let mut req = RangeRequest::new(0, i64::MAX);
                req.aggregation = Some(Aggregation::new(agg, d));
                let got = query::range(&s, None, &req).unwrap();
                let want = query_ref::range(&raw, None, &req);
                compare(&got, &want, &req, 1.0, true).unwrap();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// M4 viewports.
// ---------------------------------------------------------------------------------------------

const HEIGHT: i64 = 97;

/// Pixels of the polyline through the (non-NaN) points: x = M4's column, y scaled to HEIGHT.
fn rasterise(points: &[S], from: i64, to: i64, width: i64, vmin: f64, vmax: f64) -> Vec<(i64, i64)> {
    let span = (to - from + 1) as i128;
    let px = |p: &S| {
        let x = ((p.0 - from) as i128 * width as i128 / span) as i64;
        let y = if vmax > vmin { ((p.1 - vmin) / (vmax - vmin) * (HEIGHT - 1) as f64).floor() as i64 } else { 0 };
        (x, y)
    };
    let pts: Vec<(i64, i64)> = points.iter().filter(|p| !p.1.is_nan()).map(px).collect();
    let mut out = Vec::new();
    for (i, &(x0, y0)) in pts.iter().enumerate() {
        let (x1, y1) = pts.get(i + 1).copied().unwrap_or((x0, y0));
        // Bresenham.
        let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
        let (sx, sy) = (if x0 < x1 { 1 } else { -1 }, if y0 < y1 { 1 } else { -1 });
        let (mut x, mut y, mut err) = (x0, y0, dx + dy);
        loop {
            out.push((x, y));
            if x == x1 && y == y1 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[test]
fn m4_viewport_rasterises_like_the_full_data() {
    let mut rng = Rng(0x0BAD_5EED_1234_5678);
    for case in 0..300 {
        let (series, _) = random_series(&mut rng);
        let raw = query_ref::visible(&series);
        if raw.is_empty() {
            continue;
        }
        let (lo, hi) = (raw[0].0, raw[raw.len() - 1].0);
        let (from, to) = if rng.chance(50) {
            (lo, hi)
        } else {
            let a = lo + rng.below((hi - lo + 1) as u64) as i64;
            (a, a + rng.below((hi - a + 1) as u64 * 2) as i64)
        };
        let wmax = if rng.chance(50) { 40 } else { 400 };
        let width = 1 + rng.below(wmax) as i64;
        let v = query::viewport(&series, from, to, width as u32).unwrap();
        assert!(v.len() <= 4 * width as usize, "case {case}: {} points for {width} px", v.len());
        assert!(v.timestamps.windows(2).all(|w| w[0] < w[1]), "case {case}: time order");
        let full: Vec<S> = raw.iter().filter(|s| from <= s.0 && s.0 <= to).copied().collect();
        let m4: Vec<S> = v.timestamps.iter().copied().zip(v.values().iter().copied()).collect();
        assert!(
            m4.iter().all(|p| full.iter().any(|f| f.0 == p.0 && f.1.to_bits() == p.1.to_bits())),
            "case {case}: points are samples"
        );
        let finite: Vec<f64> = full.iter().map(|s| s.1).filter(|v| !v.is_nan()).collect();
        let vmin = finite.iter().copied().fold(f64::INFINITY, f64::min);
        let vmax = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let want = rasterise(&full, from, to, width, vmin, vmax);
        let got = rasterise(&m4, from, to, width, vmin, vmax);
        assert_eq!(got, want, "case {case}: pixels differ (from {from} to {to}, {width} px)");
    }
}

#[test]
fn m4_folds_whole_chunks_and_keeps_extremes() {
    // Chunks of ~30 samples, columns of 1000 ms: most chunks are folded from summaries.
    let mut s = Series::new(SeriesOptions { chunk_size: 64, ..SeriesOptions::default() });
    for t in 0..100_000i64 {
        let v = ((t * 7919) % 1013) as f64 - if t % 5000 == 1234 { 5000.0 } else { 0.0 };
        s.add(t, v, None, false).unwrap();
    }
    let v = query::viewport(&s, 0, 99_999, 100).unwrap();
    assert!(v.len() <= 400);
    let mins: Vec<(i64, f64)> =
        v.timestamps.iter().copied().zip(v.values().iter().copied()).filter(|p| p.1 < -3000.0).collect();
    assert_eq!(mins.len(), 20, "every spike survives: {mins:?}");
    assert!(query::viewport(&s, 0, 10, 0).is_err());
    assert!(query::viewport(&s, 10, 5, 10).unwrap().is_empty());
}
