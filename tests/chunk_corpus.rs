//! Bytes per sample on the real datasets of `bench/data/` (see its README), measured as the
//! chunks' `mem_bytes` (struct, encoded data, raw tail) after ingesting every sample in order,
//! with the default compressed encoding and 4096-byte chunks.
//!
//! `cargo test -p tsdb-wasm --test chunk_corpus -- --nocapture` prints the table.
#![cfg(not(target_arch = "wasm32"))]

use tsdb_wasm::chunk::{Chunk, Encoding, DEFAULT_CHUNK_SIZE};

#[derive(serde::Deserialize)]
struct Entry {
    file: String,
    time: String,
    value: String,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD[THH:MM[:SS]]` as UTC milliseconds; a date alone is midnight.
fn parse_time(s: &str) -> i64 {
    let s = s.trim();
    let (date, time) = s.split_once(['T', ' ']).unwrap_or((s, ""));
    let mut d = date.split('-').map(|x| x.parse::<i64>().expect("date"));
    let (y, m, dd) = (d.next().unwrap(), d.next().unwrap(), d.next().unwrap());
    let mut secs = 0;
    if !time.is_empty() {
        let parts: Vec<i64> =
            time.split(':').map(|x| x.parse::<f64>().expect("time") as i64).collect();
        secs = parts[0] * 3600 + parts.get(1).unwrap_or(&0) * 60 + parts.get(2).unwrap_or(&0);
    }
    (days_from_civil(y, m, dd) * 86_400 + secs) * 1000
}

/// The corpus: (name, timestamps, values) per series.
pub fn corpus() -> Vec<(String, Vec<i64>, Vec<f64>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/data");
    let list: Vec<Entry> =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/corpus.json")).unwrap())
            .unwrap();
    let mut out = Vec::new();
    for e in list {
        let text = std::fs::read_to_string(format!("{dir}/{}", e.file)).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').map(str::trim).collect();
        let ti = header.iter().position(|h| *h == e.time).unwrap();
        let vi = header.iter().position(|h| *h == e.value).unwrap();
        let (mut ts, mut vs) = (Vec::new(), Vec::new());
        for line in lines {
            let cols: Vec<&str> = line.split(',').collect();
            let v = cols.get(vi).map(|s| s.trim()).unwrap_or("");
            if v.is_empty() {
                continue;
            }
            ts.push(parse_time(cols[ti]));
            vs.push(v.parse::<f64>().unwrap());
        }
        out.push((format!("{}:{}", e.file, e.value), ts, vs));
    }
    out
}

/// Ingests like a series does: push to the last chunk, start new chunks with the overflow.
fn ingest(ts: &[i64], vs: &[f64]) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::new();
    for (&t, &v) in ts.iter().zip(vs) {
        if chunks.is_empty() {
            chunks.push(Chunk::new(Encoding::Compressed, DEFAULT_CHUNK_SIZE));
        }
        if let Err(over) = chunks.last_mut().unwrap().push(t, v) {
            chunks.extend(Chunk::build(
                Encoding::Compressed,
                DEFAULT_CHUNK_SIZE,
                &over.ts,
                &over.vals,
            ));
        }
    }
    chunks
}

#[test]
fn corpus_bytes_per_sample() {
    let mut log_sum = 0.0;
    let mut n = 0;
    println!(
        "{:<50} {:>7} {:>6} {:>9} {:>9}",
        "series", "samples", "chunks", "mem B/s", "data B/s"
    );
    for (name, ts, vs) in corpus() {
        let chunks = ingest(&ts, &vs);
        let mem: usize = chunks.iter().map(Chunk::mem_bytes).sum();
        let data: usize = chunks.iter().map(Chunk::data_bytes).sum();
        for c in &chunks {
            assert!(c.data_bytes() <= DEFAULT_CHUNK_SIZE);
        }
        let (mut t2, mut v2) = (Vec::new(), Vec::new());
        for c in &chunks {
            c.decode_into(&mut t2, &mut v2).unwrap();
        }
        assert_eq!(t2, ts, "{name}");
        assert!(v2.iter().zip(&vs).all(|(a, b)| a.to_bits() == b.to_bits()), "{name}");
        let bps = mem as f64 / ts.len() as f64;
        println!(
            "{:<50} {:>7} {:>6} {:>9.3} {:>9.3}",
            name,
            ts.len(),
            chunks.len(),
            bps,
            data as f64 / ts.len() as f64
        );
        let mut codecs = std::collections::BTreeMap::new();
        for c in &chunks {
            for b in c.blocks() {
                *codecs.entry(b.unwrap().codec()).or_insert(0) += 1;
            }
        }
        println!("    blocks: {codecs:?}");
        log_sum += bps.ln();
        n += 1;
    }
    let geo = (log_sum / n as f64).exp();
    println!("geometric mean: {geo:.3} bytes/sample (RedisTimeSeries 1.12: 5.48)");
    assert!(geo <= 1.5, "geometric mean {geo:.3} above 1.5 bytes/sample");
}
