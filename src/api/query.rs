//! Typed query API: range, revRange, viewport (M4), createRule, deleteRule.
//!
//! Results are `{ timestamps, values, columns }` of Float64Array copies: `columns` holds one
//! array per aggregator (raw and single-aggregator results have one), `values` is `columns[0]`.
//! For uPlot: `[r.timestamps, ...r.columns]`.

use js_sys::{Array, Float64Array, Object};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::convert::{bound, invalid, set, OrJs, MAX_SAFE};
use super::options::from_js;
use super::{Columns, RangeBound, TimeSeriesDb};
use crate::compaction;
use crate::query::{
    self, Aggregation, Aggregator, Align, BucketTimestamp, RangeRequest, RangeResult, MAX_FILTER_BY_TS,
};

#[wasm_bindgen]
extern "C" {
    /// Range options (see types.d.ts).
    #[wasm_bindgen(typescript_type = "RangeOptions")]
    pub type RangeOptionsTs;
    /// Compaction rule options (see types.d.ts).
    #[wasm_bindgen(typescript_type = "RuleOptions")]
    pub type RuleOptionsTs;
}

/// An aggregator name or a list of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Names {
    One(String),
    Many(Vec<String>),
}

/// `"start"`, `"end"` or a timestamp.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum AlignJs {
    Name(String),
    At(f64),
}

/// `range` / `revRange` options: see `RangeOptions` in the TypeScript declarations.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RangeOptionsJs {
    aggregation: Option<Names>,
    bucket_duration: Option<f64>,
    width_px: Option<f64>,
    align: Option<AlignJs>,
    bucket_timestamp: Option<String>,
    empty: Option<bool>,
    count: Option<f64>,
    filter_by_ts: Option<Vec<f64>>,
    filter_by_value: Option<(f64, f64)>,
    latest: Option<bool>,
}

const RANGE_FIELDS: &[&str] = &[
    "aggregation",
    "bucketDuration",
    "widthPx",
    "align",
    "bucketTimestamp",
    "empty",
    "count",
    "filterByTs",
    "filterByValue",
    "latest",
];

/// `createRule` options: see `RuleOptions` in the TypeScript declarations.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RuleOptionsJs {
    aggregation: Option<String>,
    bucket_duration: Option<f64>,
    align_timestamp: Option<f64>,
}

const RULE_FIELDS: &[&str] = &["aggregation", "bucketDuration", "alignTimestamp"];

/// Largest chart width `viewport` takes (4 points per pixel column).
const MAX_WIDTH_PX: f64 = 1_048_576.0;

/// An integer in `[min, 2^53)`.
fn int(v: f64, what: &str, min: i64) -> Result<i64, JsValue> {
    if v.is_finite() && v.fract() == 0.0 && v >= min as f64 && v <= MAX_SAFE {
        Ok(v as i64)
    } else {
        Err(invalid(format!("ERR TSDB: invalid {what}: {v} is not an integer in [{min}, 2^53)")))
    }
}

fn aggregator(name: &str) -> Result<Aggregator, JsValue> {
    Aggregator::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Aggregator::ALL.iter().map(|a| a.name()).collect();
        invalid(format!("ERR TSDB: Unknown aggregation type '{name}' (one of {})", names.join(", ")))
    })
}

fn is_open(v: &JsValue, open: &str, inf: f64) -> bool {
    v.is_undefined() || v.is_null() || v.as_string().is_some_and(|s| s == open) || v.as_f64() == Some(inf)
}

/// What a `range` call asks for.
pub(super) enum Query {
    Range(RangeRequest),
    Viewport { from: i64, to: i64, open: (bool, bool), width: u32 },
}

pub(super) fn parse(from_v: &JsValue, to_v: &JsValue, options: JsValue) -> Result<Query, JsValue> {
    let o: RangeOptionsJs = from_js(options, RANGE_FIELDS)?;
    let from = bound(from_v, 0, "from")?;
    let to = bound(to_v, i64::MAX, "to")?;
    let open = (is_open(from_v, "-", f64::NEG_INFINITY), is_open(to_v, "+", f64::INFINITY));
    if matches!(&o.aggregation, Some(Names::One(m)) if m.eq_ignore_ascii_case("m4")) {
        let others = o.bucket_duration.is_some() as u8
            + o.align.is_some() as u8
            + o.bucket_timestamp.is_some() as u8
            + o.empty.is_some() as u8
            + o.count.is_some() as u8
            + o.filter_by_ts.is_some() as u8
            + o.filter_by_value.is_some() as u8
            + o.latest.is_some() as u8;
        if others > 0 {
            return Err(invalid("ERR TSDB: invalid options: aggregation \"m4\" takes only widthPx"));
        }
        let w = o.width_px.ok_or_else(|| invalid("ERR TSDB: invalid options: aggregation \"m4\" needs widthPx"))?;
        let width = int(w, "widthPx", 1)?;
        if width as f64 > MAX_WIDTH_PX {
            return Err(invalid(format!("ERR TSDB: invalid widthPx: at most {MAX_WIDTH_PX}")));
        }
        return Ok(Query::Viewport { from, to, open, width: width as u32 });
    }
    if o.width_px.is_some() {
        return Err(invalid("ERR TSDB: invalid options: widthPx goes with aggregation \"m4\""));
    }
    let mut req = RangeRequest::new(from, to);
    req.latest = o.latest.unwrap_or(false);
    if let Some(c) = o.count {
        req.count = Some(int(c, "count", 1)? as u64);
    }
    if let Some(ts) = &o.filter_by_ts {
        if ts.is_empty() || ts.len() > MAX_FILTER_BY_TS {
            return Err(invalid(format!("ERR TSDB: invalid filterByTs: 1 to {MAX_FILTER_BY_TS} timestamps")));
        }
        let list = ts.iter().map(|&t| int(t, "filterByTs timestamp", 0)).collect::<Result<Vec<i64>, _>>()?;
        req.set_filter_by_ts(&list);
    }
    if let Some((lo, hi)) = o.filter_by_value {
        if lo.is_nan() || hi.is_nan() {
            return Err(invalid("ERR TSDB: invalid filterByValue: bounds may not be NaN"));
        }
        req.filter_by_value = Some((lo, hi));
    }
    let Some(names) = o.aggregation else {
        if o.bucket_duration.is_some() || o.align.is_some() || o.bucket_timestamp.is_some() || o.empty.is_some() {
            return Err(invalid(
                "ERR TSDB: invalid options: bucketDuration, align, bucketTimestamp and empty need aggregation",
            ));
        }
        return Ok(Query::Range(req));
    };
    let aggregators = match names {
        Names::One(n) => vec![aggregator(&n)?],
        Names::Many(ns) if ns.is_empty() => return Err(invalid("ERR TSDB: invalid aggregation: an empty list")),
        Names::Many(ns) => ns.iter().map(|n| aggregator(n)).collect::<Result<_, _>>()?,
    };
    let d = o.bucket_duration.ok_or_else(|| invalid("ERR TSDB: invalid options: aggregation needs bucketDuration"))?;
    let mut agg = Aggregation::new(Aggregator::Avg, int(d, "bucketDuration", 1)?);
    agg.aggregators = aggregators;
    agg.empty = o.empty.unwrap_or(false);
    if let Some(bt) = o.bucket_timestamp {
        agg.bucket_timestamp = match bt.as_str() {
            "start" => BucketTimestamp::Start,
            "mid" => BucketTimestamp::Mid,
            "end" => BucketTimestamp::End,
            _ => {
                return Err(invalid(format!("ERR TSDB: unknown BUCKETTIMESTAMP parameter '{bt}' (start, mid or end)")))
            }
        };
    }
    agg.align = match o.align {
        None => Align::Zero,
        Some(AlignJs::Name(s)) if s == "start" => {
            if open.0 {
                return Err(invalid("ERR TSDB: start alignment can only be used with explicit start timestamp"));
            }
            Align::Start
        }
        Some(AlignJs::Name(s)) if s == "end" => {
            if open.1 {
                return Err(invalid("ERR TSDB: end alignment can only be used with explicit end timestamp"));
            }
            Align::End
        }
        Some(AlignJs::Name(s)) => {
            return Err(invalid(format!("ERR TSDB: unknown ALIGN parameter '{s}' (start, end or a timestamp)")))
        }
        Some(AlignJs::At(t)) => Align::At(int(t, "align", 0)?),
    };
    req.aggregation = Some(agg);
    Ok(Query::Range(req))
}

/// `{ timestamps, values, columns }` (copies).
pub(super) fn result_js(r: &RangeResult) -> JsValue {
    let obj = Object::new();
    let t: Vec<f64> = r.timestamps.iter().map(|&t| t as f64).collect();
    let ts = Float64Array::new_with_length(t.len() as u32);
    ts.copy_from(&t);
    let cols = Array::new();
    for c in &r.columns {
        let a = Float64Array::new_with_length(c.len() as u32);
        a.copy_from(c);
        cols.push(&a);
    }
    let values = if cols.length() > 0 { cols.get(0) } else { Float64Array::new_with_length(0).into() };
    set(&obj, "timestamps", ts);
    set(&obj, "values", values);
    set(&obj, "columns", cols);
    obj.into()
}

fn js(v: Option<impl Into<JsValue>>) -> JsValue {
    v.map(Into::into).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen(js_class = TimeSeriesDB)]
impl TimeSeriesDb {
    /// TS.RANGE: the samples of `key` in `[from, to]` (default: all), raw or aggregated
    /// (`options`), as Float64Array columns in time order.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.addMany("temp", [0, 30_000, 60_000, 90_000], [20, 22, 21, 25]);
    /// db.range("temp").values // → Float64Array.of(20, 22, 21, 25)
    /// db.range("temp", 30_000, 60_000).timestamps // → Float64Array.of(30000, 60000)
    /// const r = db.range("temp", "-", "+", { aggregation: ["min", "max"], bucketDuration: 60_000 });
    /// r.timestamps // → Float64Array.of(0, 60000)
    /// r.columns // → [Float64Array.of(20, 21), Float64Array.of(22, 25)]
    /// r.values // → Float64Array.of(20, 21)
    /// ```
    pub fn range(
        &self,
        key: &str,
        from: Option<RangeBound>,
        to: Option<RangeBound>,
        options: Option<RangeOptionsTs>,
    ) -> Result<Columns, JsValue> {
        self.query(key, js(from), js(to), js(options), false)
    }

    /// TS.REVRANGE: exactly `range`'s rows, newest first (`count` keeps the newest).
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.addMany("temp", [1000, 2000, 3000], [21, 22, 23]);
    /// db.revRange("temp").timestamps // → Float64Array.of(3000, 2000, 1000)
    /// db.revRange("temp", "-", "+", { count: 2 }).values // → Float64Array.of(23, 22)
    /// ```
    #[wasm_bindgen(js_name = revRange)]
    pub fn rev_range(
        &self,
        key: &str,
        from: Option<RangeBound>,
        to: Option<RangeBound>,
        options: Option<RangeOptionsTs>,
    ) -> Result<Columns, JsValue> {
        self.query(key, js(from), js(to), js(options), true)
    }

    /// M4 for charts: per pixel column of a `widthPx`-wide chart over `[from, to]` (default:
    /// the series' first to last sample), the first, smallest, largest and last sample, in
    /// time order — at most 4 × widthPx points that draw exactly the pixels of the full data.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.addMany("s", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [5, 1, 9, 3, 4, 2, 8, 0, 7, 6]);
    /// const v = db.viewport("s", "-", "+", 2); // two pixel columns: 0–4 and 5–9
    /// v.timestamps // → Float64Array.of(0, 1, 2, 4, 5, 6, 7, 9)
    /// v.values // → Float64Array.of(5, 1, 9, 4, 2, 8, 0, 6)
    /// ```
    #[allow(non_snake_case)]
    pub fn viewport(
        &self,
        key: &str,
        from: Option<RangeBound>,
        to: Option<RangeBound>,
        widthPx: f64,
    ) -> Result<Columns, JsValue> {
        let (from_v, to_v) = (js(from), js(to));
        let open = (is_open(&from_v, "-", f64::NEG_INFINITY), is_open(&to_v, "+", f64::INFINITY));
        let width = int(widthPx, "widthPx", 1)?;
        if width as f64 > MAX_WIDTH_PX {
            return Err(invalid(format!("ERR TSDB: invalid widthPx: at most {MAX_WIDTH_PX}")));
        }
        self.m4(key, bound(&from_v, 0, "from")?, bound(&to_v, i64::MAX, "to")?, open, width as u32)
    }

    /// TS.CREATERULE: compacts `source` into `dest` from now on (no backfill).
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.create("temp");
    /// db.create("temp:avg1m");
    /// db.createRule("temp", "temp:avg1m", { aggregation: "avg", bucketDuration: 60_000 });
    /// db.addMany("temp", [0, 30_000, 60_000], [20, 22, 30]);
    /// db.range("temp:avg1m").values // → Float64Array.of(21)
    /// db.get("temp:avg1m", { latest: true }) // → { timestamp: 60000, value: 30 }
    /// ```
    #[wasm_bindgen(js_name = createRule)]
    pub fn create_rule(&mut self, source: &str, dest: &str, options: RuleOptionsTs) -> Result<(), JsValue> {
        let o: RuleOptionsJs = from_js(options.into(), RULE_FIELDS)?;
        let name = o.aggregation.ok_or_else(|| invalid("ERR TSDB: invalid options: aggregation is required"))?;
        let agg = aggregator(&name)?;
        let d = o.bucket_duration.ok_or_else(|| invalid("ERR TSDB: invalid options: bucketDuration is required"))?;
        let d = int(d, "bucketDuration", 1)?;
        let align = o.align_timestamp.map(|a| int(a, "alignTimestamp", 0)).transpose()?.unwrap_or(0);
        compaction::create_rule(&mut self.engine, source, dest, agg, d, align).or_js()
    }

    /// TS.DELETERULE: removes the rule `source` → `dest` (the destination keeps its data).
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.create("temp");
    /// db.create("temp:max1h");
    /// db.createRule("temp", "temp:max1h", { aggregation: "max", bucketDuration: 3_600_000 });
    /// db.info("temp").rules.length // → 1
    /// db.deleteRule("temp", "temp:max1h");
    /// db.info("temp").rules // → []
    /// db.exists("temp:max1h") // → true
    /// ```
    #[wasm_bindgen(js_name = deleteRule)]
    pub fn delete_rule(&mut self, source: &str, dest: &str) -> Result<(), JsValue> {
        compaction::delete_rule(&mut self.engine, source, dest).or_js()
    }
}

impl TimeSeriesDb {
    fn query(
        &self,
        key: &str,
        from: JsValue,
        to: JsValue,
        options: JsValue,
        reverse: bool,
    ) -> Result<Columns, JsValue> {
        match parse(&from, &to, options)? {
            Query::Range(mut req) => {
                req.reverse = reverse;
                let r = query::range_key(&self.engine, key, &req).or_js()?;
                Ok(result_js(&r).unchecked_into())
            }
            Query::Viewport { .. } if reverse => {
                Err(invalid("ERR TSDB: invalid options: aggregation \"m4\" is for range, not revRange"))
            }
            Query::Viewport { from, to, open, width } => self.m4(key, from, to, open, width),
        }
    }

    fn m4(&self, key: &str, from: i64, to: i64, open: (bool, bool), width: u32) -> Result<Columns, JsValue> {
        let series = self.engine.series(key).or_js()?;
        let from = if open.0 { series.first().map_or(from, |(t, _)| t) } else { from };
        let to = if open.1 { series.last().map_or(from, |(t, _)| t) } else { to };
        let r = query::viewport(series, from, to, width).or_js()?;
        Ok(result_js(&r).unchecked_into())
    }
}
