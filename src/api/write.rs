//! Typed write API: alter, addMany, madd, incrBy, decrBy, del, deleteSeries.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::convert::{bound, invalid, js_error, timestamp, timestamps, value, OrJs};
use super::options::{from_js, AlterOptionsJs, CreateOptionsJs, IncrOptionsJs, ADD_FIELDS, ALTER_FIELDS, INCR_FIELDS};
use super::{AddOptionsTs, CreateOptions, RangeBound, TimeSeriesDb};
use crate::engine::AddOptions;
use crate::error::Error;

#[wasm_bindgen]
extern "C" {
    /// TS.ALTER options (see types.d.ts).
    #[wasm_bindgen(typescript_type = "AlterOptions")]
    pub type AlterOptionsTs;
    /// TS.INCRBY options (see types.d.ts).
    #[wasm_bindgen(typescript_type = "IncrByOptions")]
    pub type IncrByOptionsTs;
    /// TS.MADD input (see types.d.ts).
    #[wasm_bindgen(typescript_type = "Array<[string, number, number]>")]
    pub type MaddInput;
    /// TS.MADD result (see types.d.ts).
    #[wasm_bindgen(typescript_type = "Array<number | Error>")]
    pub type MaddResult;
}

fn opt(v: Option<impl Into<JsValue>>) -> JsValue {
    v.map(Into::into).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen(js_class = TimeSeriesDB)]
impl TimeSeriesDb {
    /// TS.ALTER: changes retention, chunk size, duplicate policy, IGNORE or labels (the labels
    /// object replaces the whole set).
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.create("cpu", { labels: { metric: "cpu" } });
    /// db.alter("cpu", { retention: 60_000, labels: { metric: "cpu", host: "a" } });
    /// db.info("cpu").retentionTime // → 60000
    /// db.info("cpu").labels // → { host: "a", metric: "cpu" }
    /// ```
    pub fn alter(&mut self, key: &str, options: AlterOptionsTs) -> Result<(), JsValue> {
        let opts: AlterOptionsJs = from_js(options.into(), ALTER_FIELDS)?;
        let alter = opts.into_alter()?;
        self.engine.alter(key, alter).or_js()
    }

    /// Adds a batch of samples to one series in one call: all or nothing. Timestamps need not
    /// be ordered. Returns how many samples were written (IGNOREd ones excluded). The series is
    /// created with `options` when it does not exist.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.addMany("temp", [3000, 1000, 2000], [23, 21, 22], { labels: { room: "kitchen" } }) // → 3
    /// db.range("temp").timestamps // → Float64Array.of(1000, 2000, 3000)
    /// db.range("temp").values // → Float64Array.of(21, 22, 23)
    /// ```
    #[wasm_bindgen(js_name = addMany)]
    pub fn add_many(
        &mut self,
        key: &str,
        timestamps_ms: &[f64],
        values: &[f64],
        options: Option<AddOptionsTs>,
    ) -> Result<f64, JsValue> {
        if timestamps_ms.len() != values.len() {
            return Err(invalid(format!(
                "ERR TSDB: timestamps ({}) and values ({}) differ in length",
                timestamps_ms.len(),
                values.len()
            )));
        }
        let ts = timestamps(timestamps_ms)?;
        if let Some(i) = values.iter().position(|v| v.is_infinite()) {
            return Err(invalid(format!("ERR TSDB: invalid value at index {i}: {}", values[i])));
        }
        let opts: CreateOptionsJs = from_js(opt(options), ADD_FIELDS)?;
        let (create, on_duplicate) = opts.into_series_options(true)?;
        let add = AddOptions { on_duplicate, create };
        self.engine.add_many(key, &ts, values, &add).map(|n| n as f64).or_js()
    }

    /// TS.MADD: `[[key, timestamp, value], ...]` into existing series; one result per sample,
    /// the timestamp written or an `Error` (other samples still go in).
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.create("a");
    /// db.create("b");
    /// const written = db.madd([["a", 1000, 1.5], ["b", 1000, 2.5], ["missing", 1000, 3]]);
    /// written.map((r) => (r instanceof Error ? r.message : r)) // → [1000, 1000, "ERR TSDB: the key is not a TSDB key"]
    /// ```
    pub fn madd(&mut self, samples: MaddInput) -> Result<MaddResult, JsValue> {
        let arr: Array = JsValue::from(samples)
            .dyn_into()
            .map_err(|_| invalid("ERR TSDB: madd expects an array of [key, timestamp, value]"))?;
        let out = Array::new();
        for item in arr.iter() {
            let one = || -> Result<f64, JsValue> {
                let triple: Array = item.dyn_into().map_err(|_| invalid("ERR TSDB: expected [key, timestamp, value]"))?;
                let (k, t, v) = (triple.get(0).as_string(), triple.get(1).as_f64(), triple.get(2).as_f64());
                let (Some(k), Some(t), Some(v), 3) = (k, t, v, triple.length()) else {
                    return Err(invalid("ERR TSDB: expected [key, timestamp, value]"));
                };
                let (t, v) = (timestamp(t, "timestamp")?, value(v)?);
                let id = self.engine.id(&k).ok_or_else(|| {
                    js_error(&Error::new(crate::ErrorKind::NotFound, "ERR TSDB: the key is not a TSDB key"))
                })?;
                self.engine.add_to(id, t, v, None).map(|t| t as f64).or_js()
            };
            out.push(&one().map_or_else(|e| e, JsValue::from));
        }
        Ok(JsValue::from(out).unchecked_into())
    }

    /// TS.INCRBY: adds `delta` to the newest value, at `options.timestamp` (default now).
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.incrBy("requests", 5, { timestamp: 1000 }) // → 1000
    /// db.incrBy("requests", 2, { timestamp: 2000 }) // → 2000
    /// db.get("requests") // → { timestamp: 2000, value: 7 }
    /// ```
    #[wasm_bindgen(js_name = incrBy)]
    pub fn incr_by(&mut self, key: &str, delta: f64, options: Option<IncrByOptionsTs>) -> Result<f64, JsValue> {
        self.incr(key, delta, options)
    }

    /// TS.DECRBY: subtracts `delta` from the newest value, at `options.timestamp` (default now).
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.add("stock", 1000, 10) // → 1000
    /// db.decrBy("stock", 3, { timestamp: 2000 }) // → 2000
    /// db.get("stock") // → { timestamp: 2000, value: 7 }
    /// ```
    #[wasm_bindgen(js_name = decrBy)]
    pub fn decr_by(&mut self, key: &str, delta: f64, options: Option<IncrByOptionsTs>) -> Result<f64, JsValue> {
        self.incr(key, -delta, options)
    }

    /// TS.DEL: removes the samples with `from <= timestamp <= to`; returns how many.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.addMany("temp", [1000, 2000, 3000], [21, 22, 23]);
    /// db.del("temp", 1500, "+") // → 2
    /// db.range("temp").timestamps // → Float64Array.of(1000)
    /// ```
    pub fn del(&mut self, key: &str, from: RangeBound, to: RangeBound) -> Result<f64, JsValue> {
        let from = bound(&from.into(), 0, "from")?;
        let to = bound(&to.into(), i64::MAX, "to")?;
        self.engine.delete_range(key, from, to).map(|n| n as f64).or_js()
    }

    /// DEL: deletes a whole series (data, labels, rules). Returns whether it existed.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.add("temp", 1000, 21);
    /// db.deleteSeries("temp") // → true
    /// db.deleteSeries("temp") // → false
    /// db.exists("temp") // → false
    /// ```
    #[wasm_bindgen(js_name = deleteSeries)]
    pub fn delete_series(&mut self, key: &str) -> bool {
        self.engine.delete_keys(&[key.to_owned()]) == 1
    }

    /// Whether a series exists under `key`.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.create("temp");
    /// db.exists("temp") // → true
    /// db.exists("humidity") // → false
    /// ```
    pub fn exists(&self, key: &str) -> bool {
        self.engine.id(key).is_some()
    }

    /// The number of series.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.create("a");
    /// db.add("b", 1000, 1);
    /// db.size // → 2
    /// ```
    #[wasm_bindgen(getter, js_name = size)]
    pub fn size(&self) -> f64 {
        self.engine.len() as f64
    }
}

impl TimeSeriesDb {
    fn incr(&mut self, key: &str, delta: f64, options: Option<IncrByOptionsTs>) -> Result<f64, JsValue> {
        if !delta.is_finite() {
            return Err(invalid("ERR TSDB: invalid increase/decrease value"));
        }
        let opts: IncrOptionsJs = from_js(opt(options), INCR_FIELDS)?;
        let (ts, create) = opts.into_parts()?;
        let now = js_sys::Date::now() as i64;
        self.engine.incr_by(key, delta, ts, now, &create).map(|t| t as f64).or_js()
    }
}

#[allow(dead_code)]
fn _types(_: CreateOptions) {}
