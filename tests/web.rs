//! The JS-facing API in real browsers (headless Chromium and Firefox via `wasm-pack test`).
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

fn column(result: &JsValue, name: &str) -> Vec<f64> {
    Reflect::get(result, &name.into()).unwrap().dyn_into::<Float64Array>().unwrap().to_vec()
}

fn error_message(e: JsValue) -> String {
    e.dyn_into::<js_sys::Error>().expect("a JS Error").message().into()
}

#[wasm_bindgen_test]
fn typed_create_add_range() {
    let mut db = TimeSeriesDb::new();
    db.create("temp", Some(obj(&[("retention", 0.into())]).unchecked_into())).unwrap();
    for (t, v) in [(1000.0, 21.5), (3000.0, -0.0), (2000.0, 22.25)] {
        assert_eq!(db.add("temp", t, v, None).unwrap(), t);
    }
    let r: JsValue = db.range("temp", None, None, None).unwrap().into();
    assert_eq!(column(&r, "timestamps"), [1000.0, 2000.0, 3000.0]);
    let vals = column(&r, "values");
    assert_eq!(vals, [21.5, 22.25, 0.0]);
    assert!(vals[2].is_sign_negative(), "-0.0 round-trips bit-exactly");
    let r: JsValue = db.range("temp", Some(JsValue::from(1500).unchecked_into()), Some(JsValue::from("+").unchecked_into()), None).unwrap().into();
    assert_eq!(column(&r, "timestamps"), [2000.0, 3000.0]);
}

#[wasm_bindgen_test]
fn command_replies_map_to_js_values() {
    let mut db = TimeSeriesDb::new();
    assert_eq!(db.command("TS.CREATE k").unwrap().as_string().as_deref(), Some("OK"));
    assert_eq!(JsValue::from(db.command("TS.ADD k 10 1.5").unwrap()).as_f64(), Some(10.0));
    db.command("TS.ADD k 20 2.5").unwrap();
    let reply: Array = JsValue::from(db.command("TS.RANGE k - +").unwrap()).dyn_into().unwrap();
    assert_eq!(reply.length(), 2);
    let first: Array = reply.get(0).dyn_into().unwrap();
    assert_eq!((first.get(0).as_f64(), first.get(1).as_f64()), (Some(10.0), Some(1.5)));
}

#[wasm_bindgen_test]
fn errors_throw_redis_texts_and_change_nothing() {
    let mut db = TimeSeriesDb::new();
    db.command("TS.CREATE k").unwrap();
    db.command("TS.ADD k 1 1").unwrap();
    let cases = [
        ("TS.RANGE nokey - +", "ERR TSDB: the key does not exist"),
        ("TS.CREATE k", "ERR TSDB: key already exists"),
        ("TS.ADD k 2 abc", "ERR TSDB: invalid value"),
        ("TS.ADD k x 1", "ERR TSDB: invalid timestamp"),
        ("TS.ADD k -5 1", "ERR TSDB: invalid timestamp, must be a nonnegative integer"),
        ("TS.ADD k 1 2", "ERR TSDB: Error at upsert, update is not supported when DUPLICATE_POLICY is set to BLOCK mode"),
        ("TS.ADD k", "ERR wrong number of arguments for 'ts.add' command"),
        ("TS.NOPE a", "ERR unknown command 'TS.NOPE', with args beginning with: 'a' "),
        ("TS.ADD \"k 1 2", "ERR Protocol error: unbalanced quotes in request"),
    ];
    for (cmd, msg) in cases {
        assert_eq!(error_message(db.command(cmd).map(JsValue::from).unwrap_err()), msg, "{cmd}");
    }
    let r: JsValue = db.range("k", None, None, None).unwrap().into();
    assert_eq!(column(&r, "timestamps"), [1.0]);
    assert_eq!(column(&r, "values"), [1.0]);
}

#[wasm_bindgen_test]
fn typed_api_rejects_bad_input_without_panicking() {
    let mut db = TimeSeriesDb::new();
    db.create("k", None).unwrap();
    for t in [-1.0, 1.5, f64::NAN, f64::INFINITY, 9.1e15] {
        assert!(db.add("k", t, 1.0, None).is_err(), "timestamp {t}");
    }
    let bad_opts = [
        obj(&[("retention", (-5).into())]),
        obj(&[("chunkSize", 47.into())]),
        obj(&[("encoding", "zip".into())]),
        obj(&[("duplicatePolicy", "newest".into())]),
        obj(&[("noSuchOption", 1.into())]),
        JsValue::from("not an object"),
    ];
    for (i, o) in bad_opts.into_iter().enumerate() {
        assert!(db.create(&format!("n{i}"), Some(o.unchecked_into())).is_err(), "options #{i}");
    }
    let e = db.create("c", Some(obj(&[("chunkSize", 47.into())]).unchecked_into())).unwrap_err();
    assert_eq!(
        error_message(e),
        "ERR TSDB: CHUNK_SIZE value must be a multiple of 8 in the range [48 .. 1048576]"
    );
    assert!(db.range("k", Some(JsValue::from("soon").unchecked_into()), None, None).is_err());
    // The instance is still alive and unchanged.
    let r: JsValue = db.range("k", None, None, None).unwrap().into();
    assert!(column(&r, "timestamps").is_empty());
    assert_eq!(db.add("k", 5.0, 2.0, None).unwrap(), 5.0);
}

#[wasm_bindgen_test]
fn star_timestamp_is_now() {
    let mut db = TimeSeriesDb::new();
    let before = js_sys::Date::now();
    let t = JsValue::from(db.command("TS.ADD k * 1").unwrap()).as_f64().unwrap();
    let after = js_sys::Date::now();
    assert!(before.floor() <= t && t <= after, "{before} <= {t} <= {after}");
}

#[wasm_bindgen_test]
fn labels_and_multi_series_queries() {
    let mut db = TimeSeriesDb::new();
    for cmd in [
        "TS.CREATE cpu:a LABELS metric cpu region eu",
        "TS.CREATE cpu:b LABELS metric cpu region us",
        "TS.CREATE cpu:c LABELS metric cpu region eu",
        "TS.MADD cpu:a 1 1 cpu:b 1 5 cpu:c 1 3 cpu:a 2 4",
    ] {
        db.command(cmd).unwrap();
    }
    let filters = |v: &[&str]| -> JsValue { v.iter().map(|s| JsValue::from_str(s)).collect::<Array>().into() };
    let keys: Array = JsValue::from(db.query_index(filters(&["metric=cpu", "region=eu"]).unchecked_into()).unwrap()).dyn_into().unwrap();
    assert_eq!(keys.iter().map(|k| k.as_string().unwrap()).collect::<Vec<_>>(), ["cpu:a", "cpu:c"]);
    let opts = obj(&[("groupBy", obj(&[("label", "region".into()), ("reduce", "max".into())]))]);
    let groups: Array = JsValue::from(
        db.mrange(JsValue::from("-").unchecked_into(), JsValue::from("+").unchecked_into(), filters(&["metric=cpu"]).unchecked_into(), Some(opts.unchecked_into()))
            .unwrap(),
    )
    .dyn_into()
    .unwrap();
    assert_eq!(groups.length(), 2);
    let eu = groups.get(0);
    assert_eq!(Reflect::get(&eu, &"key".into()).unwrap().as_string().as_deref(), Some("region=eu"));
    assert_eq!(column(&eu, "timestamps"), [1.0, 2.0]);
    assert_eq!(column(&eu, "values"), [3.0, 4.0]);
    let e = db.query_index(filters(&["region!=eu"]).unchecked_into()).map(JsValue::from).unwrap_err();
    assert_eq!(error_message(e), "ERR TSDB: please provide at least one matcher");
}
