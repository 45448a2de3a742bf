//! Typed multi-series API: queryIndex, queryLabels, mget, mrange, mrevRange.
//!
//! Filters are arrays of RedisTimeSeries filter expressions (`["metric=cpu", "region=(eu,us)"]`).
//! Results come in key byte order (groups in group-value order), labels as plain objects.

use js_sys::{Array, Object, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::convert::{invalid, labels, sample, set, strings, OrJs};
use super::options::from_js;
use super::query::{parse, result_js, Query};
use super::{RangeBound, TimeSeriesDb};
use crate::index::Filter;
use crate::query::{self, matching, parse_reducer, MRangeRequest};

#[wasm_bindgen]
extern "C" {
    /// A list of filter expressions (see types.d.ts).
    #[wasm_bindgen(typescript_type = "string[]")]
    pub type FilterList;
    /// Keys (see types.d.ts).
    #[wasm_bindgen(typescript_type = "string[]")]
    pub type KeyList;
    /// MGET options (see types.d.ts).
    #[wasm_bindgen(typescript_type = "MGetOptions")]
    pub type MGetOptionsTs;
    /// MGET result (see types.d.ts).
    #[wasm_bindgen(typescript_type = "MGetEntry[]")]
    pub type MGetResult;
    /// MRANGE options (see types.d.ts).
    #[wasm_bindgen(typescript_type = "MRangeOptions")]
    pub type MRangeOptionsTs;
    /// MRANGE result (see types.d.ts).
    #[wasm_bindgen(typescript_type = "MRangeEntry[]")]
    pub type MRangeResult;
}

/// Which labels a result carries.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LabelOpts {
    with_labels: Option<bool>,
    selected_labels: Option<Vec<String>>,
}

impl LabelOpts {
    fn check(&self) -> Result<(), JsValue> {
        match (&self.with_labels, &self.selected_labels) {
            (Some(true), Some(_)) => Err(invalid("ERR TSDB: cannot accept WITHLABELS and SELECT_LABELS together")),
            (_, Some(s)) if s.is_empty() => Err(invalid("ERR TSDB: SELECT_LABELS should have at least 1 parameter")),
            _ => Ok(()),
        }
    }

    /// All labels unless `withLabels: false`; only the selected ones (absent ones omitted)
    /// with `selectedLabels`.
    fn object(&self, all: &[(String, String)]) -> Object {
        match (&self.selected_labels, self.with_labels) {
            (Some(names), _) => {
                let picked: Vec<(String, String)> = names
                    .iter()
                    .filter_map(|n| all.iter().find(|(k, _)| k == n).cloned())
                    .collect();
                labels(&picked)
            }
            (None, Some(false)) => Object::new(),
            (None, _) => labels(all),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct MGetOptionsJs {
    latest: Option<bool>,
    #[serde(flatten)]
    labels: LabelOpts,
}

/// GROUPBY label REDUCE reducer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GroupByJs {
    label: String,
    reduce: String,
}

const MGET_FIELDS: &[&str] = &["latest", "withLabels", "selectedLabels"];
const MULTI_FIELDS: &[&str] = &["withLabels", "selectedLabels", "groupBy", "excludeEmpty"];

fn filter(filters: FilterList) -> Result<Filter, JsValue> {
    let arr: Array = JsValue::from(filters)
        .dyn_into()
        .map_err(|_| invalid("ERR TSDB: filters must be an array of strings such as [\"metric=cpu\"]"))?;
    let exprs = arr
        .iter()
        .map(|v| v.as_string().ok_or_else(|| invalid("ERR TSDB: filters must be an array of strings")))
        .collect::<Result<Vec<String>, _>>()?;
    Filter::from_exprs(&exprs).or_js()
}

/// Splits an mrange options object into its multi-series fields and the range options.
fn split_options(options: JsValue) -> Result<(JsValue, JsValue), JsValue> {
    if options.is_undefined() || options.is_null() || !options.is_object() {
        return Ok((JsValue::UNDEFINED, options));
    }
    let multi = Object::new();
    let rest = Object::assign(&Object::new(), options.unchecked_ref());
    for f in MULTI_FIELDS {
        let k = JsValue::from_str(f);
        if Reflect::has(&rest, &k).unwrap_or(false) {
            let _ = Reflect::set(&multi, &k, &Reflect::get(&rest, &k).unwrap_or(JsValue::UNDEFINED));
            let _ = Reflect::delete_property(&rest, &k);
        }
    }
    Ok((multi.into(), rest.into()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MultiJs {
    group_by: Option<GroupByJs>,
    exclude_empty: Option<bool>,
    #[serde(flatten)]
    labels: LabelOpts,
}

#[wasm_bindgen(js_class = TimeSeriesDB)]
impl TimeSeriesDb {
    /// TS.QUERYINDEX: the keys whose labels match every filter expression, in byte order.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.create("cpu:a", { labels: { metric: "cpu", host: "a" } });
    /// db.create("cpu:b", { labels: { metric: "cpu", host: "b" } });
    /// db.create("mem:a", { labels: { metric: "mem", host: "a" } });
    /// db.queryIndex(["metric=cpu"]) // → ["cpu:a", "cpu:b"]
    /// db.queryIndex(["host=a", "metric=(cpu,mem)"]) // → ["cpu:a", "mem:a"]
    /// db.queryIndex(["metric=cpu", "host!=a"]) // → ["cpu:b"]
    /// ```
    #[wasm_bindgen(js_name = queryIndex)]
    pub fn query_index(&self, filters: FilterList) -> Result<KeyList, JsValue> {
        let f = filter(filters)?;
        let keys = self.engine.query_index(&f);
        Ok(JsValue::from(strings(keys.iter().copied())).unchecked_into())
    }

    /// TS.QUERYLABELS: the distinct label names (no `label`) or the distinct values of `label`,
    /// over every series or those `filters` select; byte order.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.create("cpu:a", { labels: { metric: "cpu", host: "a" } });
    /// db.create("cpu:b", { labels: { metric: "cpu", host: "b" } });
    /// db.create("mem:c", { labels: { metric: "mem", host: "c" } });
    /// db.queryLabels() // → ["host", "metric"]
    /// db.queryLabels("host") // → ["a", "b", "c"]
    /// db.queryLabels("host", ["metric=cpu"]) // → ["a", "b"]
    /// ```
    #[wasm_bindgen(js_name = queryLabels)]
    pub fn query_labels(&self, label: Option<String>, filters: Option<FilterList>) -> Result<KeyList, JsValue> {
        let f = filters.map(filter).transpose()?;
        let names = self.engine.query_labels(label.as_deref(), f.as_ref());
        Ok(JsValue::from(strings(names.iter().copied())).unchecked_into())
    }

    /// TS.MGET: the newest sample of every matching series: `[{ key, labels, sample }]`,
    /// `sample` null for an empty series. Options: `latest`, `withLabels` (default true),
    /// `selectedLabels`.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.add("cpu:a", 1000, 12, { labels: { metric: "cpu", host: "a" } });
    /// db.create("cpu:b", { labels: { metric: "cpu", host: "b" } });
    /// db.mget(["metric=cpu"], { selectedLabels: ["host"] })
    /// // → [{ key: "cpu:a", labels: { host: "a" }, sample: { timestamp: 1000, value: 12 } },
    /// // →  { key: "cpu:b", labels: { host: "b" }, sample: null }]
    /// ```
    pub fn mget(&self, filters: FilterList, options: Option<MGetOptionsTs>) -> Result<MGetResult, JsValue> {
        let f = filter(filters)?;
        let o: MGetOptionsJs = from_js(options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED), MGET_FIELDS)?;
        o.labels.check()?;
        let out = Array::new();
        for (key, id) in matching(&self.engine, &f) {
            let Some(entry) = self.engine.entry(id) else { continue };
            let latest = if o.latest.unwrap_or(false) { crate::compaction::latest(&self.engine, id) } else { None };
            let item = Object::new();
            set(&item, "key", key.as_str());
            set(&item, "labels", o.labels.object(&entry.series.options().labels));
            set(&item, "sample", sample(latest.or(entry.series.last())));
            out.push(&item);
        }
        Ok(JsValue::from(out).unchecked_into())
    }

    /// TS.MRANGE: a range query over every matching series (every `range` option), with
    /// `withLabels` (default true) / `selectedLabels`, `groupBy: { label, reduce }` and
    /// `excludeEmpty`. Returns `[{ key, labels, timestamps, values, columns }]`; a group's key
    /// is `label=value` and its labels are `{ [label]: value, __reducer__, __source__ }`.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.addMany("cpu:a", [0, 60_000], [10, 20], { labels: { metric: "cpu", host: "a" } });
    /// db.addMany("cpu:b", [0, 60_000], [30, 40], { labels: { metric: "cpu", host: "b" } });
    /// db.mrange("-", "+", ["metric=cpu"]).map((s) => [s.key, s.labels.host, [...s.values]])
    /// // → [["cpu:a", "a", [10, 20]], ["cpu:b", "b", [30, 40]]]
    /// const [total] = db.mrange("-", "+", ["metric=cpu"], { groupBy: { label: "metric", reduce: "sum" } });
    /// total.key // → "metric=cpu"
    /// total.labels // → { metric: "cpu", __reducer__: "sum", __source__: "cpu:a,cpu:b" }
    /// total.values // → Float64Array.of(40, 60)
    /// ```
    pub fn mrange(
        &self,
        from: RangeBound,
        to: RangeBound,
        filters: FilterList,
        options: Option<MRangeOptionsTs>,
    ) -> Result<MRangeResult, JsValue> {
        self.multi(from.into(), to.into(), filters, options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED), false)
    }

    /// TS.MREVRANGE: as `mrange`, rows newest first.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.addMany("cpu:a", [0, 60_000], [10, 20], { labels: { metric: "cpu" } });
    /// db.addMany("cpu:b", [0, 60_000], [30, 40], { labels: { metric: "cpu" } });
    /// db.mrevRange("-", "+", ["metric=cpu"], { count: 1 }).map((s) => [s.key, s.timestamps[0], s.values[0]])
    /// // → [["cpu:a", 60000, 20], ["cpu:b", 60000, 40]]
    /// ```
    #[wasm_bindgen(js_name = mrevRange)]
    pub fn mrev_range(
        &self,
        from: RangeBound,
        to: RangeBound,
        filters: FilterList,
        options: Option<MRangeOptionsTs>,
    ) -> Result<MRangeResult, JsValue> {
        self.multi(from.into(), to.into(), filters, options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED), true)
    }
}

impl TimeSeriesDb {
    fn multi(&self, from: JsValue, to: JsValue, filters: FilterList, options: JsValue, reverse: bool) -> Result<MRangeResult, JsValue> {
        let f = filter(filters)?;
        let (multi, rest) = split_options(options)?;
        let m: MultiJs = from_js(multi, MULTI_FIELDS)?;
        m.labels.check()?;
        let Query::Range(mut req) = parse(&from, &to, rest)? else {
            return Err(invalid("ERR TSDB: aggregation \"m4\" is not available for mrange; use viewport per key"));
        };
        req.reverse = reverse;
        let group = match m.group_by {
            None => None,
            Some(g) => {
                let r = parse_reducer(&g.reduce).ok_or_else(|| {
                    invalid(format!("ERR TSDB: Invalid reducer type '{}' (avg sum min max range count std.p std.s var.p var.s countNaN countAll)", g.reduce))
                })?;
                if req.aggregation.as_ref().is_some_and(|a| a.aggregators.len() > 1) {
                    return Err(invalid("ERR TSDB: GROUPBY is not allowed when multiple aggregators are specified"));
                }
                Some((g.label, r))
            }
        };
        let exclude_empty = m.exclude_empty.unwrap_or(false);
        if exclude_empty && group.is_some() {
            return Err(invalid("ERR TSDB: EXCLUDEEMPTY is not allowed with GROUPBY"));
        }
        let grouped = group.is_some();
        let request = MRangeRequest { req, filter: f, group, exclude_empty };
        let out = Array::new();
        for s in query::mrange(&self.engine, &request).or_js()? {
            let item: Object = result_js(&s.rows).unchecked_into();
            set(&item, "key", s.key.as_str());
            let labels = if grouped { labels(&s.labels) } else { m.labels.object(&s.labels) };
            set(&item, "labels", labels);
            out.push(&item);
        }
        Ok(JsValue::from(out).unchecked_into())
    }
}
