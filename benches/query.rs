//! Range queries on a 10 M-sample series (1 s cadence, 2-decimal random walk, default 4096-byte
//! chunks), against a plain-Rust loop over uncompressed `Vec<i64>` / `Vec<f64>` doing the same
//! bucketing, in the same run:
//!
//! - `avg_1000_buckets`: avg over the full range into 1000 buckets (chunk summaries and the
//!   chunks' block index fold whole chunks, block groups and blocks; the block straddling a
//!   bucket boundary is decoded);
//! - `avg_1min`: avg into 1-minute buckets (every sample decoded; sums stay sequential, bit-exact
//!   with RedisTimeSeries);
//! - `viewport_1000px`: the M4 viewport of a 1000-pixel chart over the full range.
//!
//! Also `*_chunk128`: the same queries on a copy of the series stored in 128-byte chunks (about
//! one block per chunk), for comparison with the block index of default-size chunks.
//!
//! Run: `cargo bench -p tsdb-wasm --bench query`. Before the
//! criterion groups it prints a report: the median of interleaved runs of each query and of its
//! plain-loop baseline, and their ratio (baseline time / engine time: above 1, the engine wins).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use tsdb_wasm::query::{self, Aggregation, Aggregator, RangeRequest, RangeResult};
use tsdb_wasm::{AddOptions, Engine, Series};

const N: usize = 10_000_000;
/// 10 M seconds into exactly 1000 buckets (T0 is a multiple of it).
const D1000: i64 = 10_000_000;

#[path = "support/walk.rs"]
mod walk;
use walk::random_walk;

struct Fixture {
    engine: Engine,
    ts: Vec<i64>,
    vs: Vec<f64>,
}

impl Fixture {
    fn new() -> Fixture {
        let (ts, vs) = random_walk(N);
        let mut engine = Engine::new();
        engine.add_many("walk", &ts, &vs, &AddOptions::default()).unwrap();
        let mut small = AddOptions::default();
        small.create.chunk_size = 128;
        engine.add_many("walk128", &ts, &vs, &small).unwrap();
        Fixture { engine, ts, vs }
    }
    fn series(&self, key: &str) -> &Series {
        self.engine.series(key).unwrap()
    }
    fn from(&self) -> i64 {
        self.ts[0]
    }
    fn to(&self) -> i64 {
        self.ts[self.ts.len() - 1]
    }
    fn avg(&self, key: &str, d: i64) -> RangeResult {
        let mut req = RangeRequest::new(self.from(), self.to());
        req.aggregation = Some(Aggregation::new(Aggregator::Avg, d));
        query::range(self.series(key), None, &req).unwrap()
    }
    fn viewport(&self, key: &str) -> RangeResult {
        query::viewport(self.series(key), self.from(), self.to(), 1000).unwrap()
    }
}

/// The plain loop: avg per bucket of `d` ms (aligned to 0), comparing with the bucket end
/// rather than dividing per sample.
fn plain_avg(ts: &[i64], vs: &[f64], d: i64) -> (Vec<i64>, Vec<f64>) {
    let (mut ot, mut ov) = (Vec::new(), Vec::new());
    let (mut start, mut end, mut sum, mut n) = (0i64, i64::MIN, 0.0f64, 0u64);
    for (&t, &v) in ts.iter().zip(vs) {
        if t >= end {
            if n > 0 {
                ot.push(start);
                ov.push(sum / n as f64);
            }
            start = t - t.rem_euclid(d);
            end = start + d;
            sum = 0.0;
            n = 0;
        }
        sum += v;
        n += 1;
    }
    if n > 0 {
        ot.push(start);
        ov.push(sum / n as f64);
    }
    (ot, ov)
}

/// The plain loop: M4 over `width` equal columns of `[from, to]`, comparing with the column
/// end rather than dividing per sample.
fn plain_m4(ts: &[i64], vs: &[f64], from: i64, to: i64, width: i64) -> (Vec<i64>, Vec<f64>) {
    let span = (to - from + 1) as i128;
    let col_start = |k: i128| from + ((k * span + width as i128 - 1) / width as i128) as i64;
    let (mut ot, mut ov) = (Vec::new(), Vec::new());
    let flush = |c: [(i64, f64); 4], ot: &mut Vec<i64>, ov: &mut Vec<f64>| {
        let mut c = c;
        c.sort_by_key(|p| p.0);
        for (i, p) in c.iter().enumerate() {
            if i == 0 || p.0 != c[i - 1].0 {
                ot.push(p.0);
                ov.push(p.1);
            }
        }
    };
    let (mut open, mut end) = (false, i64::MIN);
    let mut cur = [(0i64, 0f64); 4]; // first, min, max, last
    for (&t, &v) in ts.iter().zip(vs) {
        if t >= end {
            if open {
                flush(cur, &mut ot, &mut ov);
            }
            let k = (t - from) as i128 * width as i128 / span;
            end = col_start(k + 1);
            cur = [(t, v); 4];
            open = true;
        }
        if v < cur[1].1 {
            cur[1] = (t, v);
        }
        if v > cur[2].1 {
            cur[2] = (t, v);
        }
        cur[3] = (t, v);
    }
    if open {
        flush(cur, &mut ot, &mut ov);
    }
    (ot, ov)
}

/// The median of some run times.
fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// Interleaves engine and baseline runs (so that machine load hits both alike) and prints
/// their medians and ratio.
fn compare(name: &str, runs: usize, mut engine: impl FnMut() -> usize, mut plain: impl FnMut() -> usize) {
    let (mut te, mut tp) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        black_box(engine());
        te.push(t.elapsed());
        let t = Instant::now();
        black_box(plain());
        tp.push(t.elapsed());
    }
    let (e, p) = (median(&mut te), median(&mut tp));
    println!(
        "{name:<28} engine {:>9.3} ms   plain Vec loop {:>9.3} ms   ratio {:>6.2}x",
        e.as_secs_f64() * 1e3,
        p.as_secs_f64() * 1e3,
        p.as_secs_f64() / e.as_secs_f64()
    );
}

fn report(f: &Fixture) {
    let d1000 = D1000;
    // Same answers first (the plain loop aligns to 0 as the engine does).
    let (pt, pv) = plain_avg(&f.ts, &f.vs, 60_000);
    let r = f.avg("walk", 60_000);
    assert_eq!(r.timestamps, pt);
    assert!(r.values().iter().zip(&pv).all(|(a, b)| a == b), "1-minute averages are bit-identical");
    let (mt, _) = plain_m4(&f.ts, &f.vs, f.from(), f.to(), 1000);
    assert_eq!(f.viewport("walk").timestamps, mt);
    assert_eq!(f.avg("walk", D1000).len(), 1000);
    let s = f.series("walk");
    println!(
        "series: {N} samples, {} chunks ({} samples/chunk); chunk128 copy: {} chunks",
        s.chunks().len(),
        N / s.chunks().len().max(1),
        f.series("walk128").chunks().len()
    );
    let runs = 15;
    compare("avg, 1000 buckets", runs, || f.avg("walk", d1000).len(), || plain_avg(&f.ts, &f.vs, d1000).0.len());
    compare("avg, 1-minute buckets", runs, || f.avg("walk", 60_000).len(), || plain_avg(&f.ts, &f.vs, 60_000).0.len());
    compare(
        "viewport, 1000 px",
        runs,
        || f.viewport("walk").len(),
        || plain_m4(&f.ts, &f.vs, f.from(), f.to(), 1000).0.len(),
    );
    compare(
        "avg, 1000 buckets, chunk128",
        runs,
        || f.avg("walk128", d1000).len(),
        || plain_avg(&f.ts, &f.vs, d1000).0.len(),
    );
    compare(
        "viewport, 1000 px, chunk128",
        runs,
        || f.viewport("walk128").len(),
        || plain_m4(&f.ts, &f.vs, f.from(), f.to(), 1000).0.len(),
    );
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(10)
}

fn bench_queries(c: &mut Criterion) {
    let f = Fixture::new();
    report(&f);
    let d1000 = D1000;
    let mut g = c.benchmark_group("query_10M");
    g.bench_function("avg_1000_buckets/engine", |b| b.iter(|| f.avg("walk", d1000)));
    g.bench_function("avg_1000_buckets/plain_vec", |b| b.iter(|| plain_avg(black_box(&f.ts), &f.vs, d1000)));
    g.bench_function("avg_1000_buckets/engine_chunk128", |b| b.iter(|| f.avg("walk128", d1000)));
    g.bench_function("avg_1min/engine", |b| b.iter(|| f.avg("walk", 60_000)));
    g.bench_function("avg_1min/plain_vec", |b| b.iter(|| plain_avg(black_box(&f.ts), &f.vs, 60_000)));
    g.bench_function("viewport_1000px/engine", |b| b.iter(|| f.viewport("walk")));
    g.bench_function("viewport_1000px/plain_vec", |b| {
        b.iter(|| plain_m4(black_box(&f.ts), &f.vs, f.from(), f.to(), 1000))
    });
    g.bench_function("viewport_1000px/engine_chunk128", |b| b.iter(|| f.viewport("walk128")));
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_queries
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
