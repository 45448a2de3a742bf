//! Throughput measurement: how many samples per second reach one local WebSocket client.
//!
//! ```text
//! cargo run --release -p tsdb-server --example ws_bench -- [BENCH OPTIONS] [-- SERVER OPTIONS]
//!
//!   --format json|binary   wire format                      [binary]
//!   --seconds S            measuring time after a 2 s warm-up [5]
//!   --url ws://HOST:PORT/ws  measure a running server instead of starting one
//!   SERVER OPTIONS         any tsdb-server flags (--hosts, --rate, --client-queue, ...);
//!                          the in-process server always listens on a free port.
//! ```
//!
//! Example (≈ 1.8 M samples/s offered): `... --example ws_bench -- -- --hosts 2000 --rate 100`.
//! The client counts samples from each frame's header (binary) or its `"n"` field (JSON)
//! without decoding the columns, so the figure is what the server pushes, not what a
//! browser can ingest. It also prints the drops the server reported to this client and
//! the samples the generator had to skip because it could not keep up, and the lag
//! between the clock and the newest sample received: the offered load is sustained
//! only if drops and skips stay 0 and the lag does not grow.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;
use tsdb_server::{parse_args, Cli, Server};

/// Timestamp of the last sample in a samples frame (close to the frame's newest).
fn last_ts(msg: &Message) -> Option<f64> {
    match msg {
        Message::Binary(b) if b.len() >= 16 && b[1] == 3 => {
            let n = u32::from_le_bytes(b[4..8].try_into().unwrap()) as usize;
            if n == 0 {
                return None;
            }
            let base = f64::from_le_bytes(b[8..16].try_into().unwrap());
            let col = 16 + 8 * n;
            Some(if b[2] & 2 == 0 {
                base + u32::from_le_bytes(b[col + 4 * (n - 1)..col + 4 * n].try_into().unwrap())
                    as f64
            } else {
                f64::from_le_bytes(b[col + 8 * (n - 1)..col + 8 * n].try_into().unwrap())
            })
        }
        Message::Text(t) if t.starts_with(r#"{"type":"samples""#) => {
            let end = t.find(r#"],"v":["#)?;
            let start = t[..end].rfind([',', '['])? + 1;
            t[start..end].parse().ok()
        }
        _ => None,
    }
}

fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0
}

fn samples_in(msg: &Message) -> (Option<u64>, Option<f64>) {
    match msg {
        Message::Binary(b) if b.len() >= 8 && b[1] == 3 => (
            Some(u32::from_le_bytes(b[4..8].try_into().unwrap()) as u64),
            None,
        ),
        Message::Binary(b) if b.len() >= 24 && b[1] == 4 => (
            None,
            Some(f64::from_le_bytes(b[16..24].try_into().unwrap())),
        ),
        Message::Text(t) if t.starts_with(r#"{"type":"samples","n":"#) => {
            let rest = &t[22..];
            let end = rest.find(',').unwrap_or(rest.len());
            (rest[..end].parse().ok(), None)
        }
        Message::Text(t) if t.starts_with(r#"{"type":"status""#) => {
            let v: serde_json::Value = serde_json::from_str(t).unwrap_or_default();
            (None, v["dropped"].as_f64())
        }
        _ => (None, None),
    }
}

#[tokio::main]
async fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let server_args = match args.iter().position(|a| a == "--") {
        Some(i) => args.split_off(i).into_iter().skip(1).collect(),
        None => Vec::new(),
    };
    let (mut format, mut seconds, mut url) = ("binary".to_string(), 5.0f64, None::<String>);
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => format = it.next().expect("--format value"),
            "--seconds" => seconds = it.next().expect("--seconds value").parse().expect("number"),
            "--url" => url = Some(it.next().expect("--url value")),
            other => panic!("unknown bench option {other} (server options go after --)"),
        }
    }

    let mut server = None;
    let url = match url {
        Some(u) => u,
        None => {
            let mut cfg = match parse_args(server_args, None) {
                Ok(Cli::Run(c)) => *c,
                Ok(_) => return,
                Err(e) => panic!("{e}"),
            };
            cfg.port = 0;
            cfg.quiet = true;
            let s = Server::start(cfg).await.expect("server");
            let u = format!("ws://{}/ws", s.addr);
            println!(
                "server: {} series at {} Hz = {:.0} samples/s offered",
                s.state.hub.series_count(),
                s.state.rate_hz,
                s.state.rate_hz * s.state.hub.series_count() as f64
            );
            server = Some(s);
            u
        }
    };
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{url}?format={format}"))
        .await
        .expect("connect");

    let warmup_end = Instant::now() + Duration::from_secs(2);
    let (mut samples, mut bytes, mut frames, mut dropped) = (0u64, 0u64, 0u64, 0.0f64);
    let (mut lag_start, mut lag_end) = (None, 0.0);
    let mut start = None;
    let mut skipped_at_start = 0;
    loop {
        let msg = match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
            Ok(Some(Ok(m))) => m,
            _ => panic!("stream stopped"),
        };
        let (n, d) = samples_in(&msg);
        if let Some(d) = d {
            dropped = d;
        }
        let Some(started) = start else {
            if Instant::now() >= warmup_end {
                start = Some(Instant::now());
                skipped_at_start = server.as_ref().map_or(0, |s| {
                    s.state
                        .source_stats
                        .skipped_samples
                        .load(std::sync::atomic::Ordering::Relaxed)
                });
            }
            continue;
        };
        if let Some(n) = n {
            samples += n;
            frames += 1;
            bytes += msg.len() as u64;
            if let Some(t) = last_ts(&msg) {
                lag_end = now_ms() - t;
                lag_start.get_or_insert(lag_end);
            }
        }
        if started.elapsed().as_secs_f64() >= seconds {
            break;
        }
    }
    let secs = start.unwrap().elapsed().as_secs_f64();
    let skipped = server.as_ref().map_or(0, |s| {
        s.state
            .source_stats
            .skipped_samples
            .load(std::sync::atomic::Ordering::Relaxed)
    }) - skipped_at_start;
    println!(
        "client ({format}): {:.0} samples/s, {:.1} MB/s, {:.0} frames/s, {:.1} bytes/sample over {secs:.1} s",
        samples as f64 / secs,
        bytes as f64 / secs / 1e6,
        frames as f64 / secs,
        bytes as f64 / samples.max(1) as f64
    );
    println!("drops reported to this client: {dropped:.0}; samples the generator skipped (could not keep up): {skipped}");
    println!(
        "lag (now − newest sample received): {:.0} ms at start, {lag_end:.0} ms at end",
        lag_start.unwrap_or(0.0)
    );
    if let Some(s) = server {
        s.shutdown().await;
    }
}
