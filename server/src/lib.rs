//! tsdb-server: the telemetry WebSocket server of the tsdb-wasm dashboard.
//!
//! It generates a realistic fleet of host metrics (or replays a CSV dataset), keeps a
//! bounded resume buffer, and streams samples to WebSocket clients in JSON or a compact
//! binary format (PROTOCOL.md); it also serves the dashboard's static files.
//!
//! ```text
//! Generator / Replay ──(thread, per tick)──► Hub ──► ClientQueue ──► ws writer ──► browser
//!   source.rs, generator.rs, replay.rs      hub.rs   queue.rs        ws.rs, protocol/
//! ```
//!
//! This file only lists modules and re-exports.

pub mod app;
pub mod batch;
pub mod config;
pub mod csv;
pub mod fleet;
pub mod generator;
pub mod hub;
pub mod protocol;
pub mod queue;
pub mod replay;
pub mod rng;
pub mod signals;
pub mod source;
pub mod statics;
pub mod ws;

pub use app::{AppState, Server};
pub use batch::{Batch, SeriesInfo};
pub use config::{parse_args, Cli, Config, SourceConfig, HELP};
pub use generator::GeneratorConfig;
pub use hub::{Hub, HubLimits};
pub use protocol::Format;
pub use replay::{ReplayConfig, ReplayTime, Speed};
