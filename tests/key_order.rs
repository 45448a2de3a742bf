//! Key byte order of the multi-series commands through the engine: the engine caches each key's
//! rank and must drop it on every key change (see `Engine::matching`).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use tsdb_wasm::engine::Engine;
use tsdb_wasm::index::Filter;
use tsdb_wasm::series::SeriesOptions;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

/// `Engine::matching` / `query_index` return keys in byte order while series are created,
/// deleted and renamed between queries (the engine caches key ranks and drops them on every
/// key change): checked against a BTreeMap after every operation.
#[test]
fn engine_key_order_survives_creates_deletes_and_renames() {
    let mut rng = Rng(0x0005_EED0_F0DE);
    let mut engine = Engine::new();
    let mut model: BTreeMap<Vec<u8>, String> = BTreeMap::new();
    let parts = ["a", "b", "é", "\u{0}", "series:1234567890123", "z"];
    let key = |rng: &mut Rng| -> String {
        (0..1 + rng.below(4))
            .map(|_| rng.pick(&parts).to_string())
            .collect()
    };
    let filters = [
        vec!["g=1".to_string()],
        vec!["g=(0,1)".to_string()],
        vec!["g=0".to_string(), "h!=".to_string()],
    ];
    let mut queries = 0;
    let mut most = 0;
    for op in 0..4000 {
        most = most.max(engine.len());
        match rng.below(100) {
            0..=49 => {
                let k = key(&mut rng);
                let g = rng.below(2).to_string();
                let mut labels = vec![("g".to_string(), g.clone())];
                if rng.chance(30) {
                    labels.push(("h".to_string(), "x".to_string()));
                }
                if engine
                    .create(
                        &k,
                        SeriesOptions {
                            labels,
                            ..SeriesOptions::default()
                        },
                    )
                    .is_ok()
                {
                    model.insert(k.clone().into_bytes(), g);
                }
            }
            50..=59 => {
                let k = key(&mut rng);
                engine.delete_keys(std::slice::from_ref(&k));
                model.remove(k.as_bytes());
            }
            60..=69 => {
                let (from, to) = (key(&mut rng), key(&mut rng));
                if engine.rename(&from, &to).is_ok() {
                    if let Some(g) = model.remove(from.as_bytes()) {
                        model.insert(to.into_bytes(), g);
                    }
                }
            }
            70 if op % 7 == 0 => {
                engine.flush();
                model.clear();
            }
            _ => {
                // Bursts: enough queries in a row for the engine to build its key ranks.
                for _ in 0..1 + rng.below(30) {
                    let f = &filters[rng.below(filters.len() as u64) as usize];
                    let filter = Filter::parse(f).unwrap();
                    let got: Vec<&str> = engine.query_index(&filter);
                    let ids: BTreeSet<u32> = engine.query_ids(&filter).into_iter().collect();
                    let want: Vec<&str> = model
                        .keys()
                        .map(|k| std::str::from_utf8(k).unwrap())
                        .filter(|k| engine.id(k).is_some_and(|id| ids.contains(&id)))
                        .collect();
                    assert_eq!(got, want, "op {op} filter {f:?}");
                    queries += 1;
                }
            }
        }
    }
    assert!(queries > 800 && most > 50, "{queries} queries, at most {most} series");
}
