//! A restarted server resumes a client without a gap: with `--seed` (Config::backfill)
//! the generator backfills the resume buffer at start, on the same timestamp grid as
//! before the restart. And the malformed-frame test hook (`--test-malformed-every`).

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::*;
use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;
use tsdb_server::GeneratorConfig;

const RATE_HZ: f64 = 100.0;

fn seeded(seed: u64) -> Config {
    let mut cfg = Config::ephemeral();
    cfg.source = SourceConfig::Generator(GeneratorConfig {
        hosts: 3,
        rate_hz: RATE_HZ,
        seed,
        ..GeneratorConfig::default()
    });
    cfg.backfill = true;
    cfg.limits.buffer_seconds = 20.0;
    cfg.tick = Duration::from_millis(10);
    cfg
}

/// Read one connection: hello, series, then samples until `enough` (key → timestamps).
async fn read(
    ws: &mut Ws,
    enough: impl Fn(&HashMap<String, Vec<i64>>) -> bool,
) -> (serde_json::Value, HashMap<String, Vec<i64>>) {
    let Some(Msg::Hello(hello)) = next_msg(ws).await else {
        panic!("hello first")
    };
    let mut keys = HashMap::new();
    let mut per: HashMap<String, Vec<i64>> = HashMap::new();
    while !enough(&per) {
        match next_msg(ws).await.expect("open") {
            Msg::Series(s) => keys.extend(s.into_iter().map(|e| (e.id, e.key))),
            Msg::Samples { ids, ts, .. } => {
                for i in 0..ids.len() {
                    per.entry(keys[&ids[i]].clone()).or_default().push(ts[i]);
                }
            }
            _ => {}
        }
    }
    (hello, per)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_server_resumes_without_a_gap() {
    let a = start(seeded(11)).await;
    let mut ws = connect(a.addr, "?format=binary&since=0").await;
    let (hello, first) = read(&mut ws, |p| {
        p.len() == 27 && p.values().all(|v| v.len() > 1000)
    })
    .await;
    let backfilled = hello["resume"]["replayed"].as_u64().unwrap();
    assert!(
        backfilled >= 27 * 1500,
        "the buffer starts full: {backfilled} samples"
    );
    close(ws).await;
    let since = first
        .values()
        .flat_map(|v| v.iter().copied())
        .max()
        .unwrap();
    a.shutdown().await;

    // The "restart": a new server with the same seed, some time later.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let b = start(seeded(11)).await;
    let mut ws = connect(b.addr, &format!("?format=binary&since={since}")).await;
    let (hello, second) = read(&mut ws, |p| {
        p.len() == 27 && p.values().all(|v| v.len() > 60)
    })
    .await;
    close(ws).await;
    b.shutdown().await;
    assert_eq!(hello["resume"]["complete"], true, "{hello}");
    assert!(hello["resume"]["replayed"].as_u64().unwrap() > 0);

    let period = (1000.0 / RATE_HZ) as i64;
    for (key, before) in &first {
        let after = &second[key];
        assert!(
            after[0] > since,
            "{key}: nothing at or before since comes again"
        );
        let all: Vec<i64> = before.iter().chain(after.iter()).copied().collect();
        let holes: Vec<_> = all.windows(2).filter(|w| w[1] - w[0] != period).collect();
        assert!(
            holes.is_empty(),
            "{key}: every step is one period across the restart, got {holes:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_backfill_a_new_server_starts_empty() {
    let mut cfg = seeded(11);
    cfg.backfill = false;
    let s = start(cfg).await;
    let mut ws = connect(s.addr, "?format=binary&since=0").await;
    let Some(Msg::Hello(hello)) = next_msg(&mut ws).await else {
        panic!()
    };
    assert!(hello["resume"]["replayed"].as_u64().unwrap() < 27 * 100);
    close(ws).await;
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_hook_sends_malformed_frames_between_good_ones() {
    for format in ["binary", "json"] {
        let mut cfg = seeded(4);
        cfg.backfill = false;
        cfg.test_malformed_every = 2;
        let s = start(cfg).await;
        let mut ws = connect(s.addr, &format!("?format={format}")).await;
        let (mut good_samples, mut bad) = (0, 0);
        while bad < 3 || good_samples < 6 {
            let m = tokio::time::timeout(GUARD, ws.next())
                .await
                .unwrap()
                .unwrap()
                .unwrap();
            let ok = match &m {
                Message::Binary(b) => well_formed_binary(b).map(|kind| kind == 3),
                Message::Text(t) => well_formed_json(t).map(|kind| kind == "samples"),
                _ => continue,
            };
            match ok {
                Some(true) => good_samples += 1,
                Some(false) => {}
                None => {
                    bad += 1;
                    assert!(
                        good_samples >= 2 * bad - 1,
                        "{format}: bad frames only after good ones"
                    );
                }
            }
        }
        close(ws).await;
        s.shutdown().await;
    }
}

/// The message type of a well-formed binary frame (enough to tell the hook's frames from
/// the server's own), or `None`.
fn well_formed_binary(b: &[u8]) -> Option<u8> {
    if b.len() < 8 || b[0] != 1 {
        return None;
    }
    let count = u32::from_le_bytes(b[4..8].try_into().unwrap()) as usize;
    let need = match b[1] {
        1 => 8 + count,
        2 => {
            // Walk the entries.
            let mut at = 8;
            let u16_at = |at: usize| {
                b.get(at..at + 2)
                    .map(|x| u16::from_le_bytes([x[0], x[1]]) as usize)
            };
            for _ in 0..count {
                at += 4;
                at += 2 + u16_at(at)?;
                let labels = u16_at(at)?;
                at += 2;
                for _ in 0..2 * labels {
                    at += 2 + u16_at(at)?;
                }
            }
            at
        }
        3 => {
            16 + count * (8 + if b[2] & 2 == 0 { 4 } else { 8 } + if b[2] & 1 == 1 { 2 } else { 4 })
        }
        4 => 72,
        _ => 8,
    };
    (b.len() == need).then_some(b[1])
}

fn well_formed_json(t: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(t).ok()?;
    let kind = v["type"].as_str()?.to_string();
    let ok = match kind.as_str() {
        "samples" => {
            let n = v["n"].as_u64()? as usize;
            ["id", "t", "v"]
                .iter()
                .all(|c| v[c].as_array().is_some_and(|a| a.len() == n))
        }
        "series" => v["series"]
            .as_array()?
            .iter()
            .all(|e| e["key"].is_string() && e["id"].is_u64()),
        _ => true,
    };
    ok.then_some(kind)
}
