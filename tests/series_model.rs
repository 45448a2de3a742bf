//! Model test of the write path: thousands of random operation sequences (appends, out-of-order
//! inserts, duplicates under every policy, IGNORE, retention, deletes, alters, batches, incr)
//! run against a `Series` and against a naive BTreeMap model of RedisTimeSeries' rules
//! (docs/semantics/write.md §5); results and visible data must be identical after every step.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use tsdb_wasm::{DuplicatePolicy, Encoding, Series, SeriesOptions};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

#[derive(Clone)]
struct Model {
    map: BTreeMap<i64, f64>,
    retention: u64,
    policy: Option<DuplicatePolicy>,
    ignore: (u64, f64),
}

impl Model {
    fn last(&self) -> Option<(i64, f64)> {
        self.map.last_key_value().map(|(&t, &v)| (t, v))
    }
    fn expire(&mut self) {
        if let (Some((last, _)), true) = (self.last(), self.retention > 0) {
            let cutoff = last.saturating_sub(self.retention as i64);
            self.map = self.map.split_off(&cutoff);
        }
    }
    fn add(&mut self, ts: i64, v: f64, on_dup: Option<DuplicatePolicy>) -> Result<(), String> {
        let last = self.last();
        if let Some((l, _)) = last {
            if self.retention > 0 && ts < l && (l - ts) as u64 > self.retention {
                return Err("ERR TSDB: Timestamp is older than retention".into());
            }
        }
        let policy = on_dup.or(self.policy).unwrap_or(DuplicatePolicy::Block);
        if let Some((l, lv)) = last {
            if policy == DuplicatePolicy::Last
                && ts >= l
                && (ts - l) as u64 <= self.ignore.0
                && !v.is_nan()
                && !lv.is_nan()
                && (v - lv).abs() <= self.ignore.1
            {
                return Ok(());
            }
        }
        match self.map.get(&ts) {
            Some(&old) => {
                let mixed = old.is_nan() != v.is_nan();
                let new = match policy {
                    DuplicatePolicy::Block => return Err("ERR TSDB: Error at upsert, update is not supported when DUPLICATE_POLICY is set to BLOCK mode".into()),
                    DuplicatePolicy::Min | DuplicatePolicy::Max | DuplicatePolicy::Sum if mixed => {
                        return Err("ERR TSDB: Error at upsert, update is not supported when DUPLICATE_POLICY is set to BLOCK mode, or either current or new value is NaN and DUPLICATE_POLICY is MAX/MIN/SUM".into())
                    }
                    DuplicatePolicy::First => old,
                    DuplicatePolicy::Last => v,
                    DuplicatePolicy::Min => if v < old { v } else { old },
                    DuplicatePolicy::Max => if v > old { v } else { old },
                    DuplicatePolicy::Sum => old + v,
                };
                self.map.insert(ts, new);
            }
            None => {
                self.map.insert(ts, v);
                if last.is_none_or(|(l, _)| ts > l) {
                    self.expire();
                }
            }
        }
        Ok(())
    }
}

fn random_value(rng: &mut Rng) -> f64 {
    match rng.below(20) {
        0 => f64::NAN,
        1 => -0.0,
        2 => f64::from_bits(rng.next()) , // any bit pattern, even NaN payloads and infinities
        _ => (rng.below(2000) as f64 - 1000.0) / 100.0,
    }
}

fn visible(s: &Series) -> Vec<(i64, u64)> {
    let (mut ts, mut vs) = (Vec::new(), Vec::new());
    s.range_into(0, i64::MAX, &mut ts, &mut vs).unwrap();
    ts.into_iter().zip(vs.into_iter().map(f64::to_bits)).collect()
}

fn model_visible(m: &Model) -> Vec<(i64, u64)> {
    m.map.iter().map(|(&t, &v)| (t, v.to_bits())).collect()
}

fn canon(r: Result<(), String>) -> Result<(), String> {
    r
}

#[test]
fn random_write_sequences_match_the_model() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for seq in 0..3000 {
        let opts = SeriesOptions {
            retention_ms: if rng.chance(30) { rng.below(200) + 1 } else { 0 },
            chunk_size: [48, 64, 128, 256, 4096][rng.below(5) as usize],
            encoding: if rng.chance(30) { Encoding::Uncompressed } else { Encoding::Compressed },
            duplicate_policy: if rng.chance(70) { Some(DuplicatePolicy::ALL[rng.below(6) as usize]) } else { None },
            ignore_max_time_diff: if rng.chance(20) { rng.below(5) } else { 0 },
            ignore_max_val_diff: if rng.chance(20) { rng.below(3) as f64 } else { 0.0 },
            labels: vec![],
        };
        let mut s = Series::new(opts.clone());
        let mut m = Model {
            map: BTreeMap::new(),
            retention: opts.retention_ms,
            policy: opts.duplicate_policy,
            ignore: (opts.ignore_max_time_diff, opts.ignore_max_val_diff),
        };
        let mut next_ts: i64 = rng.below(1000) as i64;
        for step in 0..rng.below(120) {
            let op = rng.below(100);
            let ctx = format!("seq {seq} step {step} op {op}");
            if op < 55 {
                // Mostly appends, some out of order, some duplicates.
                let ts = if rng.chance(75) {
                    next_ts += rng.below(5) as i64;
                    next_ts
                } else {
                    next_ts.saturating_sub(rng.below(300) as i64).max(0)
                };
                let v = random_value(&mut rng);
                let on_dup = if rng.chance(25) { Some(DuplicatePolicy::ALL[rng.below(6) as usize]) } else { None };
                let got = s.add(ts, v, on_dup, false).map(|_| ()).map_err(|e| e.message().to_owned());
                assert_eq!(got, canon(m.add(ts, v, on_dup)), "{ctx}: add({ts}, {v})");
            } else if op < 65 {
                // A batch: all or nothing.
                let n = rng.below(8) as usize + 1;
                let mut ts = Vec::new();
                let mut vs = Vec::new();
                for _ in 0..n {
                    next_ts += rng.below(3) as i64;
                    ts.push(if rng.chance(80) { next_ts } else { next_ts.saturating_sub(rng.below(50) as i64).max(0) });
                    vs.push(random_value(&mut rng));
                }
                let mut trial = m.clone();
                let want: Result<(), String> = ts.iter().zip(&vs).try_for_each(|(&t, &v)| trial.add(t, v, None));
                let got = s.add_batch(&ts, &vs, None, false).map(|_| ());
                match (&got, &want) {
                    (Ok(()), Ok(())) => m = trial,
                    (Err(e), Err(w)) => assert!(e.message().starts_with(w.as_str()), "{ctx}: batch error {e} vs {w}"),
                    _ => panic!("{ctx}: batch {ts:?} got {got:?} want {want:?}"),
                }
            } else if op < 75 {
                let a = rng.below(next_ts as u64 + 10) as i64;
                let b = a + rng.below(100) as i64 - 10;
                let got = s.delete_range(a, b).unwrap();
                let keys: Vec<i64> = m.map.range(a..=b.max(a)).map(|(&t, _)| t).filter(|&t| t <= b).collect();
                for k in &keys {
                    m.map.remove(k);
                }
                assert_eq!(got, keys.len() as u64, "{ctx}: del({a}, {b})");
            } else if op < 80 {
                let r = if rng.chance(50) { 0 } else { rng.below(300) + 1 };
                // Samples already expired stay expired when the window grows.
                s.set_retention(r);
                m.retention = r;
                m.expire();
            } else if op < 85 {
                let p = DuplicatePolicy::ALL[rng.below(6) as usize];
                s.options_mut().duplicate_policy = Some(p);
                m.policy = Some(p);
            } else if op < 88 {
                let (t, v) = (rng.below(4), rng.below(3) as f64);
                s.options_mut().ignore_max_time_diff = t;
                s.options_mut().ignore_max_val_diff = v;
                m.ignore = (t, v);
            } else {
                // INCRBY semantics at the series level: newest value + delta at a later-or-equal ts.
                let delta = (rng.below(100) as f64 - 50.0) / 10.0;
                next_ts += rng.below(3) as i64;
                let ts = if rng.chance(85) { next_ts } else { next_ts - 5 };
                if let Some((l, lv)) = m.last() {
                    if ts < l || lv.is_nan() {
                        continue;
                    }
                }
                let base = m.last().map_or(0.0, |(_, v)| v);
                let got = s.add(ts.max(0), base + delta, Some(DuplicatePolicy::Last), false).map(|_| ());
                assert_eq!(got.map_err(|e| e.message().to_owned()), m.add(ts.max(0), base + delta, Some(DuplicatePolicy::Last)), "{ctx}: incr");
            }
            assert_eq!(visible(&s), model_visible(&m), "{ctx}: visible data");
            assert_eq!(s.total_samples(), m.map.len() as u64, "{ctx}: total");
            assert_eq!(s.last().map(|(t, v)| (t, v.to_bits())), m.last().map(|(t, v)| (t, v.to_bits())), "{ctx}: last");
            assert_eq!(s.first().map(|(t, _)| t), m.map.keys().next().copied(), "{ctx}: first");
        }
    }
}
