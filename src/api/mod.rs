//! The wasm-bindgen boundary: the `TimeSeriesDB` JS class.
//!
//! Everything here validates, converts and delegates to the plain-Rust engine. Nothing panics:
//! every failure becomes a thrown JS `Error` whose message is the RedisTimeSeries text and whose
//! `kind` says what to do next.

mod convert;
mod options;
mod info;
mod multi;
mod query;
mod snapshot;
mod write;

use wasm_bindgen::prelude::*;

use crate::command;
use crate::engine::{AddOptions, Engine};
use convert::{reply_to_js, timestamp as js_timestamp, OrJs};
use options::{from_js, CreateOptionsJs, ADD_FIELDS, CREATE_FIELDS};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// Series options (see types.d.ts).
    #[wasm_bindgen(typescript_type = "CreateOptions")]
    pub type CreateOptions;
    /// TS.ADD options (see types.d.ts).
    #[wasm_bindgen(typescript_type = "AddOptions")]
    pub type AddOptionsTs;
    /// A range bound (see types.d.ts).
    #[wasm_bindgen(typescript_type = "RangeBound")]
    pub type RangeBound;
    /// Query result columns (see types.d.ts).
    #[wasm_bindgen(typescript_type = "Columns")]
    pub type Columns;
    /// A command reply (see types.d.ts).
    #[wasm_bindgen(typescript_type = "Reply")]
    pub type ReplyTs;
}

/// A time-series database living in this wasm instance.
///
/// Its memory is wasm memory, not garbage-collected: call `free()` (or declare it with `using`)
/// when done with a database. In Node it is ready on import; in a browser or with a bundler,
/// `import init, { TimeSeriesDB } from "tsdb-wasm"` and `await init()` once first.
///
/// @example
/// ```js
/// import { TimeSeriesDB } from "tsdb-wasm";
///
/// const db = new TimeSeriesDB();
/// db.add("temp:kitchen", 1000, 21.5, { labels: { room: "kitchen" } });
/// db.add("temp:kitchen", 2000, 22);
/// db.range("temp:kitchen").values // → Float64Array.of(21.5, 22)
/// db.free(); // releases its wasm memory; db must not be used afterwards
/// ```
#[wasm_bindgen(js_name = TimeSeriesDB)]
pub struct TimeSeriesDb {
    engine: Engine,
}

#[wasm_bindgen(js_class = TimeSeriesDB)]
impl TimeSeriesDb {
    /// An empty database.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.size // → 0
    /// db.exists("temp") // → false
    /// ```
    #[wasm_bindgen(constructor)]
    pub fn new() -> TimeSeriesDb {
        console_error_panic_hook::set_once();
        TimeSeriesDb { engine: Engine::new() }
    }

    /// Runs one RedisTimeSeries command (redis-cli syntax) and returns its reply as JS values.
    /// Throws an `Error` with the RedisTimeSeries error text.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.command("TS.CREATE temp:kitchen LABELS room kitchen") // → "OK"
    /// db.command("TS.ADD temp:kitchen 1000 21.5") // → 1000
    /// db.command("TS.ADD temp:kitchen 2000 22") // → 2000
    /// db.command("TS.RANGE temp:kitchen - +") // → [[1000, 21.5], [2000, 22]]
    /// db.command("TS.MGET FILTER room=kitchen") // → [["temp:kitchen", [], [2000, 22]]]
    /// ```
    pub fn command(&mut self, text: &str) -> Result<ReplyTs, JsValue> {
        let now = js_sys::Date::now() as i64;
        reply_to_js(command::execute(&mut self.engine, text, now)).map(JsCast::unchecked_into)
    }

    /// TS.CREATE: creates an empty series.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.create("cpu:a", { retention: 86_400_000, duplicatePolicy: "last", labels: { metric: "cpu", host: "a" } });
    /// db.exists("cpu:a") // → true
    /// db.info("cpu:a").retentionTime // → 86400000
    /// db.info("cpu:a").labels // → { host: "a", metric: "cpu" }
    /// ```
    pub fn create(&mut self, key: &str, options: Option<CreateOptions>) -> Result<(), JsValue> {
        let opts: CreateOptionsJs = from_js(options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED), CREATE_FIELDS)?;
        let (opts, _) = opts.into_series_options(false)?;
        self.engine.create(key, opts).map(|_| ()).or_js()
    }

    /// TS.ADD: adds one sample (creating the series with `options` when it does not exist).
    /// Returns the timestamp written.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.add("temp", 1000, 21.5, { labels: { room: "kitchen" } }) // → 1000
    /// db.add("temp", 2000, 22) // → 2000
    /// db.add("temp", 2000, 23, { onDuplicate: "last" }) // → 2000
    /// db.get("temp") // → { timestamp: 2000, value: 23 }
    /// ```
    pub fn add(
        &mut self,
        key: &str,
        timestamp: f64,
        value: f64,
        options: Option<AddOptionsTs>,
    ) -> Result<f64, JsValue> {
        let ts = js_timestamp(timestamp, "timestamp")?;
        let opts: CreateOptionsJs = from_js(options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED), ADD_FIELDS)?;
        let (create, on_duplicate) = opts.into_series_options(true)?;
        let add = AddOptions { on_duplicate, create };
        self.engine.add(key, ts, value, &add).map(|t| t as f64).or_js()
    }

    // range / revRange / viewport / createRule / deleteRule: query.rs.
}

impl Default for TimeSeriesDb {
    fn default() -> Self {
        TimeSeriesDb::new()
    }
}
