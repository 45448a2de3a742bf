//! tsdb-wasm: a time-series database engine with RedisTimeSeries semantics, for WebAssembly.
//!
//! The core (everything but `api`) is plain Rust; `api` is the wasm-bindgen boundary.

pub mod chunk;
pub mod command;
pub mod engine;
pub mod error;
pub mod series;

#[cfg(target_arch = "wasm32")]
pub mod api;

pub use chunk::{Chunk, Encoding, Summary};
pub use command::{execute, Reply};
pub use engine::Engine;
pub use error::{Error, ErrorKind, Result};
pub use series::{validate_chunk_size, DuplicatePolicy, Series, SeriesOptions};
