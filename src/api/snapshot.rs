//! Typed persistence: snapshot / restore.

use wasm_bindgen::prelude::*;

use super::convert::OrJs;
use super::TimeSeriesDb;
use crate::engine::Engine;

#[wasm_bindgen(js_class = TimeSeriesDB)]
impl TimeSeriesDb {
    /// The whole database as bytes: every series with its options, labels, compaction rules and
    /// chunks as encoded (magic, format version, CRC-32). Store it anywhere (IndexedDB, a file).
    pub fn snapshot(&self) -> Vec<u8> {
        self.engine.snapshot()
    }

    /// A database rebuilt from `snapshot()` bytes. Truncated, corrupt or foreign bytes throw an
    /// `Error` (kind `Corrupt`) saying what is wrong.
    pub fn restore(bytes: &[u8]) -> Result<TimeSeriesDb, JsValue> {
        console_error_panic_hook::set_once();
        Ok(TimeSeriesDb { engine: Engine::restore(bytes).or_js()? })
    }
}
