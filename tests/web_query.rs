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
