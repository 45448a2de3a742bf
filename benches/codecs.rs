//! Chunk codec throughput, natively: ingest (push) and decode per codec.
//!
//! `cargo bench -p tsdb-wasm --bench codecs` (short measurement times; the figures are
//! samples per second, see "thrpt").

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;
use tsdb_wasm::chunk::varint::Cursor;
use tsdb_wasm::chunk::{decimal, gorilla, Chunk, Encoding, DEFAULT_CHUNK_SIZE};

const N: usize = 100_000;

#[path = "support/walk.rs"]
mod walk;
use walk::random_walk;

/// Non-decimal values (a noisy sine): the XOR / raw path.
fn noisy(n: usize) -> Vec<f64> {
    (0..n).map(|i| (i as f64 * 0.001).sin() * 1000.0 + (i as f64 * 7.3).cos()).collect()
}

/// Appends like the series layer: push to the last chunk, start new chunks with the overflow.
fn ingest(enc: Encoding, ts: &[i64], vs: &[f64]) -> Vec<Chunk> {
    let mut chunks = vec![Chunk::new(enc, DEFAULT_CHUNK_SIZE)];
    for (&t, &v) in ts.iter().zip(vs) {
        if let Err(over) = chunks.last_mut().unwrap().push(t, v) {
            chunks.extend(Chunk::build(enc, DEFAULT_CHUNK_SIZE, &over.ts, &over.vals));
        }
    }
    chunks
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(20)
}

fn bench_ingest(c: &mut Criterion) {
    let (ts, vs) = random_walk(N);
    let noisy = noisy(N);
    let mut g = c.benchmark_group("ingest");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("compressed/random_walk_2dp", |b| {
        b.iter(|| ingest(Encoding::Compressed, black_box(&ts), black_box(&vs)))
    });
    g.bench_function("compressed/noisy_f64", |b| {
        b.iter(|| ingest(Encoding::Compressed, black_box(&ts), black_box(&noisy)))
    });
    g.bench_function("uncompressed/random_walk_2dp", |b| {
        b.iter(|| ingest(Encoding::Uncompressed, black_box(&ts), black_box(&vs)))
    });
    g.finish();
}

fn bench_decode(c: &mut Criterion) {
    let (ts, vs) = random_walk(N);
    let noisy = noisy(N);
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Elements(N as u64));
    for (name, enc, vals) in [
        ("chunk_compressed/random_walk_2dp", Encoding::Compressed, &vs),
        ("chunk_compressed/noisy_f64", Encoding::Compressed, &noisy),
        ("chunk_uncompressed", Encoding::Uncompressed, &vs),
    ] {
        let chunks = ingest(enc, &ts, vals);
        let codecs: std::collections::BTreeSet<&str> =
            chunks.iter().flat_map(|c| c.blocks().map(|b| b.unwrap().codec())).collect();
        let (mut t, mut v) = (Vec::with_capacity(N), Vec::with_capacity(N));
        g.bench_function(BenchmarkId::new(name, format!("{codecs:?}")), |b| {
            b.iter(|| {
                t.clear();
                v.clear();
                for c in &chunks {
                    c.decode_into(&mut t, &mut v).unwrap();
                }
                black_box((&t, &v));
            })
        });
    }
    // A range query touching 1% of the series, as the series layer runs it: chunks found by
    // binary search on their end, then blocks skipped by their headers.
    let chunks = ingest(Encoding::Compressed, &ts, &vs);
    let (from, to) = (ts[N / 2], ts[N / 2 + N / 100]);
    g.throughput(Throughput::Elements((N / 100) as u64));
    g.bench_function("chunk_compressed/range_1pct", |b| {
        let (mut t, mut v) = (Vec::new(), Vec::new());
        b.iter(|| {
            t.clear();
            v.clear();
            let first = chunks.partition_point(|c| c.end() < from);
            for c in chunks[first..].iter().take_while(|c| c.start() <= to) {
                c.decode_range_into(from, to, &mut t, &mut v).unwrap();
            }
            black_box((&t, &v));
        })
    });
    g.finish();

    // Value codecs alone, 128-value blocks.
    let mut g = c.benchmark_group("codec");
    g.throughput(Throughput::Elements(N as u64));
    let blocks: Vec<&[f64]> = vs.chunks(128).collect();
    let mut dec = Vec::new();
    let mut xor = Vec::new();
    for b in &blocks {
        let mut d = Vec::new();
        decimal::encode(b, &mut d).unwrap();
        dec.push(d);
        let mut x = Vec::new();
        gorilla::encode_values(b, &mut x);
        xor.push(x);
    }
    let mut out = vec![0.0; 128];
    g.bench_function("decimal/decode", |b| {
        b.iter(|| {
            for (d, blk) in dec.iter().zip(&blocks) {
                decimal::decode(&mut Cursor::new(d, 0), &mut out[..blk.len()]).unwrap();
                black_box(&out);
            }
        })
    });
    g.bench_function("decimal/encode", |b| {
        let mut o = Vec::with_capacity(4096);
        b.iter(|| {
            for blk in &blocks {
                o.clear();
                black_box(decimal::encode(blk, &mut o));
            }
        })
    });
    g.bench_function("xor/decode", |b| {
        b.iter(|| {
            for (x, blk) in xor.iter().zip(&blocks) {
                gorilla::decode_values(x, &mut out[..blk.len()]).unwrap();
                black_box(&out);
            }
        })
    });
    g.bench_function("xor/encode", |b| {
        let mut o = Vec::with_capacity(4096);
        b.iter(|| {
            for blk in &blocks {
                o.clear();
                gorilla::encode_values(blk, &mut o);
                black_box(&o);
            }
        })
    });
    let mut stream = Vec::new();
    gorilla::encode(&ts, &vs, &mut stream);
    g.bench_function("gorilla_stream/decode", |b| {
        let (mut t, mut v) = (vec![0; N], vec![0.0; N]);
        b.iter(|| {
            gorilla::decode(&stream, &mut t, &mut v).unwrap();
            black_box((&t, &v));
        })
    });
    g.bench_function("gorilla_stream/encode", |b| {
        let mut o = Vec::with_capacity(stream.len() + 16);
        b.iter(|| {
            o.clear();
            gorilla::encode(&ts, &vs, &mut o);
            black_box(&o);
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_ingest, bench_decode
}
criterion_main!(benches);
