//! Model test of compaction rules: random appends, late inserts and overwrites, NaN samples and
//! TS.DEL ranges on a source with rules of every aggregator (random durations and alignments,
//! one rule created after data exists), against a naive model of the upkeep rules of
//! docs/semantics/query.md §10.3 that recomputes buckets from a BTreeMap of the source. After
//! every operation each destination's samples and its LATEST value must be bit-identical.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/query_ref.rs"]
mod query_ref;

use std::collections::BTreeMap;

use query_ref::S;
use tsdb_wasm::query::Aggregator;
use tsdb_wasm::{compaction, AddOptions, DuplicatePolicy, Engine, SeriesOptions};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

struct Open {
    start: i64,
    members: Vec<S>,
    left: Option<S>,
}

struct ModelRule {
    key: String,
    agg: Aggregator,
    d: i64,
    align: i64,
    open: Option<Open>,
    dest: BTreeMap<i64, f64>,
}

impl ModelRule {
    fn bucket(&self, t: i64) -> i64 {
        query_ref::bucket(t.max(0), self.d, self.align)
    }

    fn value(&self, members: &[S], left: Option<S>, right: Option<S>, start: i64) -> Option<f64> {
        if self.agg != Aggregator::Twa {
            return query_ref::value(self.agg, members);
        }
        let vs: Vec<S> = members.iter().filter(|s| !s.1.is_nan()).copied().collect();
        if vs.is_empty() {
            return None;
        }
        Some(query_ref::twa(&vs, left, right, start.max(0), start.saturating_add(self.d)))
    }

    /// Source samples of bucket `b`, twa's left and right neighbours from the source.
    fn in_source(&self, src: &BTreeMap<i64, f64>, b: i64) -> (Vec<S>, Option<S>, Option<S>) {
        let members: Vec<S> = src.range(b.max(0)..b.saturating_add(self.d)).map(|(&t, &v)| (t, v)).collect();
        let valid: Vec<&S> = members.iter().filter(|s| !s.1.is_nan()).collect();
        let left = valid.first().and_then(|f| src.range(..f.0).rev().find(|(_, v)| !v.is_nan()).map(|(&t, &v)| (t, v)));
        let right = valid.last().and_then(|l| src.range(l.0 + 1..).find(|(_, v)| !v.is_nan()).map(|(&t, &v)| (t, v)));
        (members, left, right)
    }

    fn recompute_open(&mut self, src: &BTreeMap<i64, f64>, b: i64) {
        let (members, left, _) = self.in_source(src, b);
        self.open = (!members.is_empty()).then_some(Open { start: b, members, left });
    }

    fn rewrite(&mut self, src: &BTreeMap<i64, f64>, b: i64) {
        let (members, left, right) = self.in_source(src, b);
        match self.value(&members, left, right, b) {
            Some(v) => self.dest.insert(b.max(0), v),
            None => self.dest.remove(&b.max(0)),
        };
    }

    fn append(&mut self, t: i64, v: f64) {
        let b = self.bucket(t);
        match self.open.take() {
            None => self.open = Some(Open { start: b, members: vec![(t, v)], left: None }),
            Some(mut o) if o.start == b => {
                o.members.push((t, v));
                self.open = Some(o);
            }
            Some(o) => {
                let right = (!v.is_nan()).then_some((t, v));
                if let Some(val) = self.value(&o.members, o.left, right, o.start) {
                    self.dest.insert(o.start.max(0), val);
                }
                let left = o.members.iter().rev().find(|s| !s.1.is_nan()).copied().or(o.left);
                self.open = Some(Open { start: b, members: vec![(t, v)], left });
            }
        }
    }

    fn late(&mut self, src: &BTreeMap<i64, f64>, t: i64) {
        let b = self.bucket(t);
        if self.open.as_ref().is_some_and(|o| o.start == b) {
            self.recompute_open(src, b);
        } else {
            self.rewrite(src, b);
        }
    }

    fn delete(&mut self, src: &BTreeMap<i64, f64>, from: i64, to: i64) {
        let (bf, bl) = (self.bucket(from), self.bucket(to));
        let open = self.open.as_ref().map(|o| o.start);
        if bl > bf + self.d {
            let keys: Vec<i64> = self.dest.range((bf + self.d).max(0)..bl).map(|(&k, _)| k).collect();
            for k in keys {
                self.dest.remove(&k);
            }
            if open.is_some_and(|c| c > bf && c < bl) {
                self.open = None;
            }
        }
        let edges = if bf == bl { vec![bf] } else { vec![bf, bl] };
        for b in edges {
            match open {
                Some(c) if b == c => self.recompute_open(src, b),
                Some(c) if b > c => {}
                _ => self.rewrite(src, b),
            }
        }
    }

    fn latest(&self) -> Option<(i64, f64)> {
        let o = self.open.as_ref()?;
        Some((o.start.max(0), self.value(&o.members, o.left, None, o.start)?))
    }
}

fn bits(s: &[(i64, f64)]) -> Vec<(i64, u64)> {
    s.iter().map(|&(t, v)| (t, if v.is_nan() { f64::NAN.to_bits() } else { v.to_bits() })).collect()
}

fn random_value(rng: &mut Rng) -> f64 {
    if rng.chance(6) {
        f64::NAN
    } else {
        (rng.below(800) as f64 - 400.0) / 8.0
    }
}

#[test]
fn random_upkeep_matches_recomputed_buckets() {
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    let add = AddOptions { on_duplicate: Some(DuplicatePolicy::Last), ..AddOptions::default() };
    for case in 0..300 {
        let mut db = Engine::new();
        let chunk = [48usize, 64, 128, 4096][rng.below(4) as usize];
        db.create("src", SeriesOptions { chunk_size: chunk, ..SeriesOptions::default() }).unwrap();
        let mut src: BTreeMap<i64, f64> = BTreeMap::new();
        let mut rules: Vec<ModelRule> = Vec::new();
        let late_rule = rng.below(60);
        let mut next_t = rng.below(20) as i64;
        for step in 0..150u64 {
            if step == 0 || step == late_rule {
                let n = if step == 0 { 1 + rng.below(4) } else { 1 };
                for _ in 0..n {
                    let key = format!("d{}", rules.len());
                    let agg = Aggregator::ALL[rng.below(15) as usize];
                    let d = [1, 2, 5, 10, 25, 100][rng.below(6) as usize];
                    let align = if rng.chance(40) { rng.below(200) as i64 } else { 0 };
                    db.create(&key, SeriesOptions { chunk_size: chunk, ..SeriesOptions::default() }).unwrap();
                    compaction::create_rule(&mut db, "src", &key, agg, d, align).unwrap();
                    rules.push(ModelRule { key, agg, d, align, open: None, dest: BTreeMap::new() });
                }
            }
            let op = rng.below(100);
            let ctx = format!("case {case} step {step} op {op}");
            if op < 65 || src.is_empty() {
                next_t += if rng.chance(10) { 20 + rng.below(200) as i64 } else { 1 + rng.below(5) as i64 };
                let v = random_value(&mut rng);
                db.add("src", next_t, v, &add).unwrap();
                src.insert(next_t, v);
                rules.iter_mut().for_each(|r| r.append(next_t, v));
            } else if op < 88 {
                let newest = src.keys().next_back().copied().unwrap_or(0);
                let t = (newest - rng.below(120) as i64).max(0);
                let v = random_value(&mut rng);
                db.add("src", t, v, &add).unwrap();
                src.insert(t, v);
                rules.iter_mut().for_each(|r| r.late(&src, t));
            } else {
                let from = (next_t - rng.below(150) as i64).max(0);
                let width = if rng.chance(20) { 1000 } else { 40 };
                let to = from + rng.below(width) as i64;
                let n = db.delete_range("src", from, to).unwrap();
                let keys: Vec<i64> = src.range(from..=to).map(|(&k, _)| k).collect();
                assert_eq!(n as usize, keys.len(), "{ctx}: deleted");
                for k in &keys {
                    src.remove(k);
                }
                if n > 0 {
                    rules.iter_mut().for_each(|r| r.delete(&src, from, to));
                }
                next_t = next_t.max(src.keys().next_back().copied().unwrap_or(0));
            }
            for r in &rules {
                let (ts, vs) = db.range(&r.key, 0, i64::MAX).unwrap();
                let got: Vec<(i64, f64)> = ts.into_iter().zip(vs).collect();
                let want: Vec<(i64, f64)> = r.dest.iter().map(|(&t, &v)| (t, v)).collect();
                assert_eq!(
                    bits(&got),
                    bits(&want),
                    "{ctx}: {} ({:?}/{} align {}) closed buckets\nsource {:?}",
                    r.key,
                    r.agg,
                    r.d,
                    r.align,
                    src
                );
                let id = db.id(&r.key).unwrap();
                let latest = compaction::latest(&db, id);
                assert_eq!(
                    bits(&latest.into_iter().collect::<Vec<_>>()),
                    bits(&r.latest().into_iter().collect::<Vec<_>>()),
                    "{ctx}: {} LATEST",
                    r.key
                );
            }
        }
    }
}
