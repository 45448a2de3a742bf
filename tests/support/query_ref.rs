//! A naive reference of the range semantics (docs/semantics/query.md), written from the spec
//! with plain loops over decoded samples — a port of `model_range` in
//! tests/compat/cases_range.py, extended with NaN samples (ignored by every aggregator but
//! countNaN / countAll), aggregator lists (a row when any aggregator has input) and LATEST.
//! Shared by the model tests (`#[path]`-included).
#![allow(dead_code)]

use tsdb_wasm::query::{Aggregation, Aggregator, Align, BucketTimestamp, RangeRequest, RangeResult};
use tsdb_wasm::Series;

pub type S = (i64, f64);

/// Every visible sample of a series, decoded chunk by chunk.
pub fn visible(series: &Series) -> Vec<S> {
    let cutoff = series.cutoff();
    let mut out = Vec::new();
    for c in series.chunks() {
        let (mut t, mut v) = (Vec::new(), Vec::new());
        c.decode_into(&mut t, &mut v).unwrap();
        out.extend(t.into_iter().zip(v).filter(|&(t, _)| t >= cutoff));
    }
    out
}

pub fn bucket(ts: i64, d: i64, a: i64) -> i64 {
    (ts as i128 - (ts as i128 - a as i128).rem_euclid(d as i128)) as i64
}

pub fn reported(b: i64, d: i64, bt: BucketTimestamp) -> i64 {
    let s = b.max(0);
    match bt {
        BucketTimestamp::Start => s,
        BucketTimestamp::Mid => s.saturating_add(d / 2),
        BucketTimestamp::End => s.saturating_add(d),
    }
}

fn valid(s: &S) -> bool {
    !s.1.is_nan()
}

pub fn has_input(agg: Aggregator, samples: &[S]) -> bool {
    match agg {
        Aggregator::CountNan | Aggregator::CountAll => !samples.is_empty(),
        _ => samples.iter().any(valid),
    }
}

/// A non-twa aggregate over a bucket's samples, `None` without input.
pub fn value(agg: Aggregator, samples: &[S]) -> Option<f64> {
    if !has_input(agg, samples) {
        return None;
    }
    let vals: Vec<f64> = samples.iter().filter(|s| valid(s)).map(|s| s.1).collect();
    let n = vals.len() as f64;
    let mut s = 0.0;
    let mut s2 = 0.0;
    for &v in &vals {
        s += v;
        s2 += v * v;
    }
    let min = vals.iter().fold(f64::INFINITY, |m, &v| if v < m { v } else { m });
    let max = vals.iter().fold(f64::NEG_INFINITY, |m, &v| if v > m { v } else { m });
    let var_p = || (s2 - 2.0 * s * s / n + (s / n) * (s / n) * n) / n;
    let var_s = || if vals.len() == 1 { 0.0 } else { var_p() * n / (n - 1.0) };
    Some(match agg {
        Aggregator::Avg => s / n,
        Aggregator::Sum => s,
        Aggregator::Min => min,
        Aggregator::Max => max,
        Aggregator::Range => max - min,
        Aggregator::Count => n,
        Aggregator::First => vals[0],
        Aggregator::Last => vals[vals.len() - 1],
        Aggregator::StdP => var_p().sqrt(),
        Aggregator::StdS => var_s().sqrt(),
        Aggregator::VarP => var_p(),
        Aggregator::VarS => var_s(),
        Aggregator::CountNan => samples.iter().filter(|s| !valid(s)).count() as f64,
        Aggregator::CountAll => samples.len() as f64,
        Aggregator::Twa => return None,
    })
}

pub fn empty_value(agg: Aggregator) -> f64 {
    match agg {
        Aggregator::Sum | Aggregator::Count | Aggregator::CountNan | Aggregator::CountAll => 0.0,
        _ => f64::NAN,
    }
}

/// `_twa` of the Python model: valid samples, neighbours, clipped edges.
pub fn twa(samples: &[S], prev: Option<S>, next: Option<S>, ta: i64, tb: i64) -> f64 {
    let mut res = 0.0;
    let mut first_ts = samples[0].0;
    if let Some((t1, v1)) = prev {
        let (t2, v2) = samples[0];
        let vab = v1 + ((ta - t1) as f64 * (v2 - v1)) / (t2 - t1) as f64;
        res += ((vab + v2) * (t2 - ta) as f64) / 2.0;
        first_ts = ta;
    }
    for w in samples.windows(2) {
        res += ((w[0].1 + w[1].1) * (w[1].0 - w[0].0) as f64) / 2.0;
    }
    let (t1, v1) = samples[samples.len() - 1];
    let mut last_ts = t1;
    if let Some((t2, v2)) = next {
        let vab = v1 + ((tb - t1) as f64 * (v2 - v1)) / (t2 - t1) as f64;
        res += ((vab + v1) * (tb - t1) as f64) / 2.0;
        last_ts = tb;
    }
    if last_ts == first_ts {
        return v1;
    }
    res / (last_ts - first_ts).abs() as f64
}

fn interp(b: S, a: S, t: i64) -> f64 {
    b.1 + ((t - b.0) as f64 * (a.1 - b.1)) / (a.0 - b.0) as f64
}

pub fn passes(req: &RangeRequest, s: &S) -> bool {
    req.filter_by_ts.as_ref().is_none_or(|f| f.contains(&s.0))
        && req.filter_by_value.is_none_or(|(lo, hi)| lo <= s.1 && s.1 <= hi)
}

/// The reference range reply as columns.
pub fn range(raw: &[S], latest: Option<S>, req: &RangeRequest) -> RangeResult {
    let (from, to) = (req.from, req.to);
    let mut stream: Vec<S> = raw.iter().filter(|s| from <= s.0 && s.0 <= to).copied().collect();
    if let Some(l) = latest.filter(|l| from <= l.0 && l.0 <= to) {
        stream.push(l);
    }
    let sel: Vec<S> = stream.into_iter().filter(|s| passes(req, s)).collect();
    let mut out = match &req.aggregation {
        None => RangeResult {
            timestamps: sel.iter().map(|s| s.0).collect(),
            columns: vec![sel.iter().map(|s| s.1).collect()],
        },
        Some(agg) if from <= to => aggregate(raw, &sel, req, agg),
        Some(agg) => RangeResult::with_columns(agg.aggregators.len()),
    };
    if req.reverse {
        out.reverse();
    }
    if let Some(n) = req.count {
        out.truncate(n as usize);
    }
    out
}

fn aggregate(raw: &[S], sel: &[S], req: &RangeRequest, agg: &Aggregation) -> RangeResult {
    let (from, to) = (req.from, req.to);
    let aggs = &agg.aggregators;
    let d = agg.bucket_duration;
    let a = match agg.align {
        Align::Zero => 0,
        Align::Start => from,
        Align::End => to,
        Align::At(t) => t,
    };
    let bt = agg.bucket_timestamp;
    let has_twa = aggs.contains(&Aggregator::Twa);
    let mut groups: Vec<(i64, usize, usize)> = Vec::new(); // bucket, sel range
    for (i, s) in sel.iter().enumerate() {
        let b = bucket(s.0, d, a);
        match groups.last_mut() {
            Some(g) if g.0 == b => g.2 = i + 1,
            _ => groups.push((b, i, i + 1)),
        }
    }
    let rep: Vec<(i64, usize, usize)> =
        groups.into_iter().filter(|g| aggs.iter().any(|&x| has_input(x, &sel[g.1..g.2]))).collect();
    let fill_to = if to == i64::MAX { raw.last().map_or(to, |s| s.0.min(to)) } else { to };
    let prev_raw = |t: i64| raw.iter().rev().find(|s| s.0 < t && valid(s)).copied();
    let next_raw = |t: i64| raw.iter().find(|s| s.0 >= t && valid(s)).copied();
    let mut out = RangeResult::with_columns(aggs.len());
    let fill = |out: &mut RangeResult, first: i64, last: i64, gap: bool, carried: f64| {
        if first > last {
            return;
        }
        let line = if has_twa {
            let ta0 = first.max(0).max(from);
            prev_raw(ta0).zip(next_raw(ta0))
        } else {
            None
        };
        if has_twa && line.is_none() && !gap {
            return;
        }
        let mut c = first;
        while c <= last {
            out.timestamps.push(reported(c, d, bt));
            for (i, &x) in aggs.iter().enumerate() {
                let v = match x {
                    Aggregator::Twa => line.map_or(f64::NAN, |(b, a)| {
                        let (ta, tb) = (c.max(0).max(from), c.saturating_add(d).min(to));
                        (interp(b, a, ta) + interp(b, a, tb)) / 2.0
                    }),
                    Aggregator::Last if gap => carried,
                    _ => empty_value(x),
                };
                out.columns[i].push(v);
            }
            c += d;
        }
    };
    if agg.empty && has_twa {
        match rep.first() {
            Some(g) => {
                let fb = bucket(from, d, a);
                if fb >= 0 && fb < g.0 {
                    fill(&mut out, fb, (g.0 - d).max(0), false, f64::NAN);
                }
            }
            None => {
                if bucket(from, d, a) >= 0 {
                    fill(&mut out, bucket(from, d, a), bucket(fill_to, d, a), false, f64::NAN);
                }
                return out;
            }
        }
    }
    for (i, &(b, lo, hi)) in rep.iter().enumerate() {
        let samples = &sel[lo..hi];
        let before = sel[..lo].iter().rev().find(|s| valid(s)).copied();
        if agg.empty && i > 0 {
            let p = rep[i - 1].0;
            if p + d < b {
                fill(&mut out, p + d, b - d, true, before.map_or(f64::NAN, |s| s.1));
            }
        }
        out.timestamps.push(reported(b, d, bt));
        for (k, &x) in aggs.iter().enumerate() {
            let v = if x == Aggregator::Twa {
                let vs: Vec<S> = samples.iter().filter(|s| valid(s)).copied().collect();
                if vs.is_empty() {
                    f64::NAN
                } else {
                    let prev = before.or_else(|| prev_raw(vs[0].0));
                    let last = vs[vs.len() - 1].0;
                    let next = sel[hi..]
                        .iter()
                        .find(|s| valid(s))
                        .copied()
                        .or_else(|| raw.iter().find(|s| s.0 > last && valid(s)).copied());
                    twa(&vs, prev, next, b.max(0).max(from), b.saturating_add(d).min(to))
                }
            } else {
                value(x, samples).unwrap_or(empty_value(x))
            };
            out.columns[k].push(v);
        }
    }
    if agg.empty && has_twa {
        if let Some(g) = rep.last() {
            let fb0 = bucket(reported(g.0, d, bt), d, a);
            let lb = bucket(fill_to, d, a);
            if fb0 < lb {
                fill(&mut out, fb0 + d, lb, false, f64::NAN);
            }
        }
    }
    out
}
