//! Same --seed and --start-ms: two servers stream identical values.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::*;
use tsdb_server::GeneratorConfig;

async fn first_samples(seed: u64) -> HashMap<String, Vec<(i64, u64)>> {
    let mut cfg = Config::ephemeral();
    cfg.source = SourceConfig::Generator(GeneratorConfig {
        hosts: 4,
        rate_hz: 100.0,
        seed,
        ..GeneratorConfig::default()
    });
    cfg.start_ms = Some(1_700_000_000_000);
    cfg.tick = Duration::from_millis(7);
    let server = start(cfg).await;
    let mut ws = connect(server.addr, "?format=binary&since=0").await;
    let mut keys = HashMap::new();
    let mut per: HashMap<String, Vec<(i64, u64)>> = HashMap::new();
    while keys.is_empty() || per.len() < keys.len() || per.values().any(|v| v.len() < 30) {
        match next_msg(&mut ws).await.unwrap() {
            Msg::Series(s) => keys.extend(s.into_iter().map(|e| (e.id, e.key))),
            Msg::Samples { ids, ts, values } => {
                for i in 0..ids.len() {
                    per.entry(keys[&ids[i]].clone())
                        .or_default()
                        .push((ts[i], values[i].to_bits()));
                }
            }
            _ => {}
        }
    }
    server.shutdown().await;
    per.into_iter()
        .map(|(k, mut v)| {
            v.truncate(30);
            (k, v)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_seed_and_start_give_the_same_stream() {
    let a = first_samples(5).await;
    let b = first_samples(5).await;
    assert_eq!(a.len(), 36);
    assert!(a
        .values()
        .all(|v| v[0].0 > 1_700_000_000_000 && v[0].0 < 1_700_000_000_011));
    assert_eq!(a, b);
    assert_ne!(first_samples(6).await, a);
}
