//! Typed persistence: snapshot / restore.

use wasm_bindgen::prelude::*;

use super::convert::OrJs;
use super::TimeSeriesDb;
use crate::engine::Engine;

#[wasm_bindgen(js_class = TimeSeriesDB)]
impl TimeSeriesDb {
    /// The whole database as bytes: every series with its options, labels, compaction rules and
    /// chunks as encoded (magic, format version, CRC-32). Store it anywhere (IndexedDB, a file).
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.add("temp", 1000, 21.5, { labels: { room: "kitchen" } });
    /// const bytes = db.snapshot();
    /// bytes instanceof Uint8Array // → true
    /// TimeSeriesDB.restore(bytes).get("temp") // → { timestamp: 1000, value: 21.5 }
    /// ```
    pub fn snapshot(&self) -> Vec<u8> {
        self.engine.snapshot()
    }

    /// A database rebuilt from `snapshot()` bytes. Truncated, corrupt or foreign bytes throw an
    /// `Error` (kind `Corrupt`) saying what is wrong.
    ///
    /// @example
    /// ```js
    /// const db = new TimeSeriesDB();
    /// db.add("temp", 1000, 21.5, { labels: { room: "kitchen" } });
    /// const copy = TimeSeriesDB.restore(db.snapshot());
    /// copy.queryIndex(["room=kitchen"]) // → ["temp"]
    /// copy.range("temp").values // → Float64Array.of(21.5)
    /// let error;
    /// try { TimeSeriesDB.restore(new Uint8Array([1, 2, 3])); } catch (e) { error = e; }
    /// error.kind // → "Corrupt"
    /// ```
    pub fn restore(bytes: &[u8]) -> Result<TimeSeriesDb, JsValue> {
        console_error_panic_hook::set_once();
        Ok(TimeSeriesDb { engine: Engine::restore(bytes).or_js()? })
    }
}
