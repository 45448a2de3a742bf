//! tsdb-wasm: a time-series database engine with RedisTimeSeries semantics, for WebAssembly.
//!
//! The core (everything but `api`) is plain Rust; `api` is the wasm-bindgen boundary.

pub mod chunk;
pub mod command;
pub mod compaction;
pub mod engine;
pub mod error;
pub mod index;
pub mod query;
pub mod series;
pub mod snapshot;

#[cfg(target_arch = "wasm32")]
pub mod api;

pub use chunk::{Chunk, Encoding, Summary};
pub use command::{execute, Reply};
pub use engine::{AddOptions, AlterOptions, Engine, Info, SeriesId};
pub use error::{Error, ErrorKind, Result};
pub use series::{validate_chunk_size, validate_labels, DuplicatePolicy, Series, SeriesOptions};
