//! Typed introspection: info, get, stats.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::convert::{js_error, labels, sample, set, OrJs};
use super::options::from_js;
use super::TimeSeriesDb;

#[wasm_bindgen]
extern "C" {
    /// TS.INFO result (see types.d.ts).
    #[wasm_bindgen(typescript_type = "SeriesInfo")]
    pub type SeriesInfoTs;
    /// A sample or null (see types.d.ts).
    #[wasm_bindgen(typescript_type = "Sample | null")]
    pub type SampleOrNull;
    /// Database statistics (see types.d.ts).
    #[wasm_bindgen(typescript_type = "Stats")]
    pub type StatsTs;
    /// TS.GET options (see types.d.ts).
    #[wasm_bindgen(typescript_type = "GetOptions")]
    pub type GetOptionsTs;
}

/// `get` options: see `GetOptions` in the TypeScript declarations.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GetOptionsJs {
    latest: Option<bool>,
}

#[wasm_bindgen(js_class = TimeSeriesDB)]
impl TimeSeriesDb {
    /// TS.INFO: the series' counters, options, labels, rules and chunks.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.addMany("temp", [1000, 2000], [21, 22], { retention: 3_600_000, labels: { room: "kitchen" } });
    /// const i = db.info("temp");
    /// [i.totalSamples, i.firstTimestamp, i.lastTimestamp, i.retentionTime] // → [2, 1000, 2000, 3600000]
    /// [i.chunkType, i.duplicatePolicy, i.sourceKey] // → ["compressed", null, null]
    /// i.labels // → { room: "kitchen" }
    /// ```
    pub fn info(&self, key: &str) -> Result<SeriesInfoTs, JsValue> {
        let info = self.engine.info(key).or_js()?;
        let o = &info.options;
        let obj = Object::new();
        set(&obj, "totalSamples", info.total_samples as f64);
        set(&obj, "memoryUsage", info.memory_usage as f64);
        set(&obj, "firstTimestamp", info.first_timestamp as f64);
        set(&obj, "lastTimestamp", info.last_timestamp as f64);
        set(&obj, "retentionTime", o.retention_ms as f64);
        set(&obj, "chunkCount", info.chunk_count as f64);
        set(&obj, "chunkSize", o.chunk_size as f64);
        set(&obj, "chunkType", o.encoding.name());
        set(&obj, "duplicatePolicy", o.duplicate_policy.map_or(JsValue::NULL, |p| p.name().into()));
        set(&obj, "labels", labels(&o.labels));
        set(&obj, "sourceKey", info.source_key.as_deref().map_or(JsValue::NULL, JsValue::from));
        let rules = Array::new();
        for r in &info.rules {
            let ro = Object::new();
            set(&ro, "destKey", r.dest.as_str());
            set(&ro, "bucketDuration", r.bucket_ms as f64);
            set(&ro, "aggregator", r.aggregator.as_str());
            set(&ro, "alignTimestamp", r.align as f64);
            rules.push(&ro);
        }
        set(&obj, "rules", rules);
        set(&obj, "ignoreMaxTimeDiff", o.ignore_max_time_diff as f64);
        set(&obj, "ignoreMaxValDiff", o.ignore_max_val_diff);
        let chunks = Array::new();
        for c in &info.chunks {
            let co = Object::new();
            set(&co, "startTimestamp", c.start as f64);
            set(&co, "endTimestamp", c.end as f64);
            set(&co, "samples", c.samples as f64);
            set(&co, "bytes", c.bytes as f64);
            chunks.push(&co);
        }
        set(&obj, "chunks", chunks);
        Ok(JsValue::from(obj).unchecked_into())
    }

    /// TS.GET: the newest sample, or null for an empty series. With `{ latest: true }` on a
    /// compaction destination: its rule's open bucket if any (TS.GET LATEST).
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.create("temp");
    /// db.get("temp") // → null
    /// db.addMany("temp", [1000, 2000], [21, 22]);
    /// db.get("temp") // → { timestamp: 2000, value: 22 }
    /// ```
    pub fn get(&self, key: &str, options: Option<GetOptionsTs>) -> Result<SampleOrNull, JsValue> {
        let o: GetOptionsJs = from_js(options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED), &["latest"])?;
        let id = self.engine.id(key).ok_or_else(|| js_error(&crate::Error::key_not_found()))?;
        let series = self.engine.series_by_id(id).ok_or_else(|| js_error(&crate::Error::key_not_found()))?;
        let open = if o.latest.unwrap_or(false) { crate::compaction::latest(&self.engine, id) } else { None };
        Ok(sample(open.or(series.last())).unchecked_into())
    }

    /// Totals over every series: count, samples, bytes held, bytes per sample, chunks.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.addMany("a", [1000, 2000], [1, 2]);
    /// db.addMany("b", [1000, 2000], [3, 4]);
    /// const s = db.stats();
    /// [s.series, s.samples, s.chunks] // → [2, 4, 2]
    /// s.bytesPerSample === s.memoryBytes / s.samples // → true
    /// ```
    pub fn stats(&self) -> StatsTs {
        let (mut samples, mut chunks) = (0u64, 0usize);
        for (_, e) in self.engine.entries() {
            samples += e.series.total_samples();
            chunks += e.series.chunks().len();
        }
        let bytes = self.engine.mem_bytes();
        let obj = Object::new();
        set(&obj, "series", self.engine.len() as f64);
        set(&obj, "samples", samples as f64);
        set(&obj, "chunks", chunks as f64);
        set(&obj, "memoryBytes", bytes as f64);
        set(&obj, "bytesPerSample", if samples == 0 { 0.0 } else { bytes as f64 / samples as f64 });
        JsValue::from(obj).unchecked_into()
    }
}
