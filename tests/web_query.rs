//! The typed query API in real browsers (headless Chromium and Firefox via `wasm-pack test`):
//! range / revRange options, aggregator lists as columns, viewport (M4), rules, get LATEST,
//! and errors instead of panics.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Float64Array, Object, Reflect};
use tsdb_wasm::api::TimeSeriesDb;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn arr(xs: &[JsValue]) -> JsValue {
    xs.iter().collect::<Array>().into()
}

fn column(result: &JsValue, name: &str) -> Vec<f64> {
    Reflect::get(result, &name.into()).unwrap().dyn_into::<Float64Array>().unwrap().to_vec()
}

fn columns(result: &JsValue) -> Vec<Vec<f64>> {
    let cols: Array = Reflect::get(result, &"columns".into()).unwrap().dyn_into().unwrap();
    cols.iter().map(|c| c.dyn_into::<Float64Array>().unwrap().to_vec()).collect()
}

fn message(e: JsValue) -> String {
    e.dyn_into::<js_sys::Error>().expect("a JS Error").message().into()
}

fn bound(v: impl Into<JsValue>) -> Option<tsdb_wasm::api::RangeBound> {
    Some(v.into().unchecked_into())
}

fn db_with_series() -> TimeSeriesDb {
    let mut db = TimeSeriesDb::new();
    for (t, v) in [(1, 5.0), (2, -3.0), (4, 8.0), (7, 2.0), (13, 6.0), (14, -1.0), (26, 4.0)] {
        db.add("k", t as f64, v, None).unwrap();
    }
    db
}

#[wasm_bindgen_test]
fn aggregated_range_and_rev_range() {
    let db = db_with_series();
    let opts = obj(&[("aggregation", "sum".into()), ("bucketDuration", 10.into()), ("empty", true.into())]);
    let r: JsValue = db.range("k", None, None, Some(opts.clone().unchecked_into())).unwrap().into();
    assert_eq!(column(&r, "timestamps"), [0.0, 10.0, 20.0]);
    assert_eq!(column(&r, "values"), [12.0, 5.0, 4.0]);
    assert_eq!(columns(&r), vec![vec![12.0, 5.0, 4.0]]);
    let r: JsValue = db.rev_range("k", bound("-"), bound(15), Some(opts.unchecked_into())).unwrap().into();
    assert_eq!(column(&r, "timestamps"), [10.0, 0.0]);
    let opts = obj(&[("count", 2.into()), ("filterByValue", arr(&[0.into(), 6.into()]))]);
    let r: JsValue = db.range("k", None, None, Some(opts.unchecked_into())).unwrap().into();
    assert_eq!(column(&r, "timestamps"), [1.0, 7.0]);
}

#[wasm_bindgen_test]
fn aggregator_lists_give_one_column_each() {
    let db = db_with_series();
    let opts = obj(&[
        ("aggregation", arr(&["min".into(), "max".into(), "count".into()])),
        ("bucketDuration", 10.into()),
        ("bucketTimestamp", "mid".into()),
        ("align", 1.into()),
    ]);
    let r: JsValue = db.range("k", None, None, Some(opts.unchecked_into())).unwrap().into();
    // Buckets [1, 11), [11, 21), [21, 31), reported at their middle.
    assert_eq!(column(&r, "timestamps"), [6.0, 16.0, 26.0]);
    assert_eq!(columns(&r), vec![vec![-3.0, -1.0, 4.0], vec![8.0, 6.0, 4.0], vec![4.0, 2.0, 1.0]]);
    assert_eq!(column(&r, "values"), [-3.0, -1.0, 4.0]);
}

#[wasm_bindgen_test]
fn viewport_and_m4_option() {
    let mut db = TimeSeriesDb::new();
    let ts: Vec<f64> = (0..10_000).map(|i| i as f64).collect();
    let vs: Vec<f64> = (0..10_000).map(|i| ((i * 7919) % 1000) as f64).collect();
    db.add_many("w", &ts, &vs, None).unwrap();
    let v: JsValue = db.viewport("w", None, None, 50.0).unwrap().into();
    let t = column(&v, "timestamps");
    assert!(t.len() <= 200 && t.len() >= 100, "{}", t.len());
    assert_eq!((t[0], t[t.len() - 1]), (0.0, 9999.0));
    let opts = obj(&[("aggregation", "m4".into()), ("widthPx", 50.into())]);
    let same: JsValue = db.range("w", None, None, Some(opts.unchecked_into())).unwrap().into();
    assert_eq!(column(&same, "timestamps"), t);
    assert!(db.viewport("w", None, None, 0.0).is_err());
    assert!(db.viewport("w", None, None, 1.5).is_err());
    assert!(db.viewport("nope", None, None, 10.0).is_err());
}

/// A decimal random walk, 1 s apart: `n` samples with `decimals` decimals and steps of up to
/// `step` units of the last decimal (xorshift, fixed seed).
fn walk(n: usize, decimals: i32, step: i64) -> (Vec<f64>, Vec<f64>) {
    let (mut g, mut x) = (0x9e37_79b9_7f4a_7c15u64, 10_000i64);
    let scale = 10f64.powi(decimals);
    let mut vs = Vec::with_capacity(n);
    for _ in 0..n {
        g ^= g << 13;
        g ^= g >> 7;
        g ^= g << 17;
        x += (g % (2 * step as u64 + 1)) as i64 - step;
        vs.push(x as f64 / scale);
    }
    ((0..n).map(|i| i as f64 * 1000.0).collect(), vs)
}

/// Buckets of `d` ms aligned to 0 by plain loops over the samples: (start, sequential sum,
/// count, min, max) per non-empty bucket.
fn plain_buckets(ts: &[f64], vs: &[f64], d: f64) -> Vec<(f64, f64, f64, f64, f64)> {
    let mut out: Vec<(f64, f64, f64, f64, f64)> = Vec::new();
    for (&t, &v) in ts.iter().zip(vs) {
        let start = t - t % d;
        match out.last_mut() {
            Some(b) if b.0 == start => *b = (start, b.1 + v, b.2 + 1.0, b.3.min(v), b.4.max(v)),
            _ => out.push((start, v, 1.0, v, v)),
        }
    }
    out
}

/// The decoding and folding paths as compiled for the browser (simd128; batches of whole
/// decimal blocks summed several buckets at a time; extremes per block on integers; buckets
/// wider than blocks folded from the block index), against plain loops: bit for bit for
/// sequential sums (1-minute buckets hold fewer samples than a block), exact for counts and
/// extremes.
#[wasm_bindgen_test]
fn bucketed_aggregates_match_plain_loops() {
    for (decimals, step) in [(2, 50), (3, 20_000), (1, 0)] {
        let (ts, vs) = walk(20_000, decimals, step);
        let mut db = TimeSeriesDb::new();
        db.add_many("w", &ts, &vs, None).unwrap();
        for d in [60_000.0, 7_000.0, 1_000.0] {
            let want = plain_buckets(&ts, &vs, d);
            let opts = obj(&[
                ("aggregation", arr(&["avg".into(), "sum".into(), "count".into(), "min".into(), "max".into()])),
                ("bucketDuration", d.into()),
            ]);
            let r: JsValue = db.range("w", None, None, Some(opts.unchecked_into())).unwrap().into();
            assert_eq!(column(&r, "timestamps"), want.iter().map(|b| b.0).collect::<Vec<_>>(), "{decimals} {d}");
            let cols = columns(&r);
            let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            let col = |f: fn(&(f64, f64, f64, f64, f64)) -> f64| want.iter().map(f).collect::<Vec<_>>();
            assert_eq!(bits(&cols[0]), bits(&col(|b| b.1 / b.2)), "avg {decimals} {d}");
            assert_eq!(bits(&cols[1]), bits(&col(|b| b.1)), "sum {decimals} {d}");
            assert_eq!(cols[2], col(|b| b.2), "count {decimals} {d}");
            assert_eq!(cols[3], col(|b| b.3), "min {decimals} {d}");
            assert_eq!(cols[4], col(|b| b.4), "max {decimals} {d}");
            // Also alone: sums and counts only take the batch path.
            let opts = obj(&[("aggregation", "avg".into()), ("bucketDuration", d.into())]);
            let r: JsValue = db.range("w", None, None, Some(opts.unchecked_into())).unwrap().into();
            assert_eq!(bits(&column(&r, "values")), bits(&col(|b| b.1 / b.2)), "avg alone {decimals} {d}");
        }
    }
}

#[wasm_bindgen_test]
fn rules_and_get_latest() {
    let mut db = TimeSeriesDb::new();
    db.create("raw", None).unwrap();
    db.create("avg", None).unwrap();
    let rule = obj(&[("aggregation", "avg".into()), ("bucketDuration", 10.into())]);
    db.create_rule("raw", "avg", rule.clone().unchecked_into()).unwrap();
    assert_eq!(
        message(db.create_rule("raw", "avg", rule.unchecked_into()).err().unwrap()),
        "ERR TSDB: the destination key already has a src rule"
    );
    for (t, v) in [(1.0, 1.0), (5.0, 3.0), (12.0, 10.0)] {
        db.add("raw", t, v, None).unwrap();
    }
    let r: JsValue = db.range("avg", None, None, None).unwrap().into();
    assert_eq!(column(&r, "values"), [2.0]);
    let latest = obj(&[("latest", true.into())]);
    let r: JsValue = db.range("avg", None, None, Some(latest.clone().unchecked_into())).unwrap().into();
    assert_eq!(column(&r, "timestamps"), [0.0, 10.0]);
    let g: JsValue = db.get("avg", Some(latest.unchecked_into())).unwrap().into();
    assert_eq!(Reflect::get(&g, &"timestamp".into()).unwrap().as_f64(), Some(10.0));
    let g: JsValue = db.get("avg", None).unwrap().into();
    assert_eq!(Reflect::get(&g, &"timestamp".into()).unwrap().as_f64(), Some(0.0));
    db.delete_rule("raw", "avg").unwrap();
    assert_eq!(message(db.delete_rule("raw", "avg").unwrap_err()), "ERR TSDB: compaction rule does not exist");
    let info: JsValue = db.info("avg").unwrap().into();
    assert!(Reflect::get(&info, &"sourceKey".into()).unwrap().is_null());
}

#[wasm_bindgen_test]
fn bad_options_are_errors_not_panics() {
    let mut db = db_with_series();
    let bad = [
        obj(&[("aggregaton", "avg".into())]),
        obj(&[("aggregation", "avg".into())]),
        obj(&[("aggregation", "wavg".into()), ("bucketDuration", 10.into())]),
        obj(&[("aggregation", arr(&[])), ("bucketDuration", 10.into())]),
        obj(&[("aggregation", "avg".into()), ("bucketDuration", 0.into())]),
        obj(&[("aggregation", "avg".into()), ("bucketDuration", 1.5.into())]),
        obj(&[("aggregation", "avg".into()), ("bucketDuration", 10.into()), ("align", "middle".into())]),
        obj(&[("aggregation", "avg".into()), ("bucketDuration", 10.into()), ("align", "start".into())]),
        obj(&[("aggregation", "avg".into()), ("bucketDuration", 10.into()), ("bucketTimestamp", "~".into())]),
        obj(&[("bucketDuration", 10.into())]),
        obj(&[("count", 0.into())]),
        obj(&[("count", "3".into())]),
        obj(&[("filterByTs", arr(&[]))]),
        obj(&[("filterByTs", arr(&[(-1).into()]))]),
        obj(&[("filterByValue", arr(&[f64::NAN.into(), 1.into()]))]),
        obj(&[("filterByValue", 3.into())]),
        obj(&[("aggregation", "m4".into())]),
        obj(&[("aggregation", "m4".into()), ("widthPx", 10.into()), ("count", 3.into())]),
        obj(&[("widthPx", 10.into())]),
        JsValue::from("avg"),
    ];
    for (i, o) in bad.into_iter().enumerate() {
        assert!(db.range("k", None, None, Some(o.unchecked_into())).is_err(), "options #{i}");
    }
    let Err(e) = db.range("k", None, None, Some(obj(&[("nope", 1.into())]).unchecked_into())) else {
        panic!("accepted")
    };
    assert!(message(e).contains("unknown field `nope`"));
    assert!(db.range("missing", None, None, None).is_err());
    let m4_rev = obj(&[("aggregation", "m4".into()), ("widthPx", 10.into())]);
    assert!(db.rev_range("k", None, None, Some(m4_rev.unchecked_into())).is_err());
    let bad_rules = [
        obj(&[("aggregation", "avg".into())]),
        obj(&[("aggregation", "m4".into()), ("bucketDuration", 10.into())]),
        obj(&[("aggregation", "avg".into()), ("bucketDuration", 10.into()), ("alignTimestamp", (-1).into())]),
        obj(&[("aggregation", "avg".into()), ("bucketDuration", 10.into()), ("extra", 1.into())]),
    ];
    db.create("d", None).unwrap();
    for (i, o) in bad_rules.into_iter().enumerate() {
        assert!(db.create_rule("k", "d", o.unchecked_into()).is_err(), "rule options #{i}");
    }
    assert!(db.get("k", Some(obj(&[("latest", "yes".into())]).unchecked_into())).is_err());
    // Still alive and unchanged.
    let r: JsValue = db.range("k", None, None, None).unwrap().into();
    assert_eq!(column(&r, "timestamps").len(), 7);
}
