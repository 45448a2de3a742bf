//! The wire protocol: message values and their two encodings.
//!
//! PROTOCOL.md (next to Cargo.toml) is the specification; this module implements the
//! server side of it. A connection carries, in order:
//!
//! 1. one **hello** (server, session, resume outcome),
//! 2. **series** announcements (id → key + labels) for every known series, in messages
//!    of at most 10,000 series,
//! 3. the **gap** replay as **samples** frames (only with `since=`), then a **status**
//!    with reason `live`,
//! 4. the live stream: **samples** frames, further **series** announcements before the
//!    first samples of a new series, and **status** messages (periodically, and soon
//!    after samples were dropped for this client).
//!
//! The same messages exist in both formats: JSON text frames (`json.rs`) and compact
//! little-endian binary frames (`binary.rs`).

pub mod binary;
pub mod json;

use std::sync::Arc;

use crate::batch::{Batch, SeriesInfo};
use crate::hub::ResumeInfo;

/// Protocol version, sent in every binary frame and in the hello message.
pub const PROTOCOL_VERSION: u8 = 1;

/// Wire format chosen by the client with `?format=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Binary,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "json" => Some(Format::Json),
            "binary" | "bin" => Some(Format::Binary),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Binary => "binary",
        }
    }
}

/// First message of every connection.
#[derive(Clone, Debug)]
pub struct Hello {
    /// Server start, ms since epoch: changes when the server restarts (ids are only
    /// stable within one session).
    pub session: i64,
    pub now: i64,
    /// "generator" or "replay".
    pub mode: String,
    /// Nominal samples per second per series.
    pub rate_hz: f64,
    pub series: usize,
    pub format: Format,
    pub resume: ResumeInfo,
    /// Queue capacity of this client, in samples.
    pub queue_capacity: u64,
}

/// Why a status message was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusReason {
    /// Sent every status interval.
    Periodic = 0,
    /// Samples were dropped for this client since the last status.
    Drops = 1,
    /// The gap replay is complete; live samples follow.
    Live = 2,
}

impl StatusReason {
    pub fn name(self) -> &'static str {
        match self {
            StatusReason::Periodic => "periodic",
            StatusReason::Drops => "drops",
            StatusReason::Live => "live",
        }
    }
}

/// Per-connection counters.
#[derive(Clone, Copy, Debug)]
pub struct Status {
    pub reason: StatusReason,
    pub now: i64,
    /// Samples dropped for this connection because it was too slow (total so far).
    pub dropped_samples: u64,
    /// Samples sent on this connection (total so far, gap replay included), counting
    /// every samples frame written before this status.
    pub sent_samples: u64,
    pub queued_samples: u64,
    pub queue_capacity: u64,
    pub series: usize,
    pub buffer_oldest: Option<i64>,
    pub buffer_newest: Option<i64>,
}

/// An encoded message, ready to become a WebSocket frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Frame {
    Text(String),
    Binary(Vec<u8>),
}

impl Frame {
    pub fn len(&self) -> usize {
        match self {
            Frame::Text(s) => s.len(),
            Frame::Binary(b) => b.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Encode messages in one format.
#[derive(Clone, Copy, Debug)]
pub struct Encoder(pub Format);

impl Encoder {
    pub fn hello(&self, h: &Hello) -> Frame {
        match self.0 {
            Format::Json => Frame::Text(json::hello(h)),
            Format::Binary => Frame::Binary(binary::hello(h)),
        }
    }

    pub fn series(&self, s: &[Arc<SeriesInfo>]) -> Frame {
        match self.0 {
            Format::Json => Frame::Text(json::series(s)),
            Format::Binary => Frame::Binary(binary::series(s)),
        }
    }

    pub fn samples(&self, batches: &[Arc<Batch>]) -> Frame {
        match self.0 {
            Format::Json => Frame::Text(json::samples(batches)),
            Format::Binary => Frame::Binary(binary::samples(batches)),
        }
    }

    pub fn status(&self, s: &Status) -> Frame {
        match self.0 {
            Format::Json => Frame::Text(json::status(s)),
            Format::Binary => Frame::Binary(binary::status(s)),
        }
    }
}
