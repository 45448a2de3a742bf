//! `/ws`: one WebSocket client — query parsing, then the writer loop.
//!
//! `GET /ws?format=json|binary&since=<ms>`:
//! * `format` — `json` (default) or `binary`; anything else is a 400 before the
//!   upgrade.
//! * `since` — resume: replay every buffered sample with a timestamp > `since`, then go
//!   live. Omit it for live-only; `since=0` asks for the whole buffer.
//!
//! The writer loop owns the socket. Each turn it waits (biased, in this order) for a
//! message from the client (only Close matters; pings are answered by the library), a
//! non-empty queue, or the status deadline; then it sends at most one samples frame
//! and, when due, a status message (periodic, or at most every 100 ms while samples
//! are being dropped). Sending one frame per turn keeps the client's
//! messages read even while the queue never empties. `send` waits until the frame is
//! written, so a client that stops reading stalls only its own writer — its queue
//! then fills and drops (see `queue.rs`), and the drop count goes out in a status as
//! soon as the socket moves again.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use tokio::time::Instant;

use crate::app::AppState;
use crate::batch::Batch;
use crate::protocol::{Encoder, Format, Frame, Hello, Status, StatusReason};
use crate::queue::ClientQueue;
use crate::statics::percent_decode;

/// Least time between two drop-triggered status messages (a periodic status reports
/// whatever accumulates in between).
const DROP_STATUS_GAP: Duration = Duration::from_millis(100);

/// Series per announcement message (a large fleet is announced in several frames).
pub const SERIES_PER_FRAME: usize = 10_000;

/// Test hook (`--test-malformed-every`): malformed frame number `kind` (0, 1, 2, …
/// cycling) in `format`. Each breaks the protocol differently, so a client's decoder
/// is exercised on more than one failure: binary — an unknown version byte, a samples
/// frame shorter than its count says, a series entry cut inside its key; JSON — text
/// that is not JSON, samples columns shorter than `n`, a series entry without a key.
pub fn malformed_frame(format: Format, kind: u64) -> Frame {
    match (format, kind % 3) {
        (Format::Binary, 0) => Frame::Binary(vec![9, 3, 0, 0, 0, 0, 0, 0]),
        (Format::Binary, 1) => {
            let mut b = vec![1, 3, 1, 0];
            b.extend_from_slice(&1000u32.to_le_bytes());
            b.extend_from_slice(&0f64.to_le_bytes());
            Frame::Binary(b)
        }
        (Format::Binary, _) => {
            let mut b = vec![1, 2, 0, 0];
            b.extend_from_slice(&1u32.to_le_bytes());
            b.extend_from_slice(&7u32.to_le_bytes());
            b.extend_from_slice(&200u16.to_le_bytes());
            b.extend_from_slice(b"cpu");
            Frame::Binary(b)
        }
        (Format::Json, 0) => Frame::Text(r#"{"type":"samples","n":2,"id":[0,"#.into()),
        (Format::Json, 1) => {
            Frame::Text(r#"{"type":"samples","n":3,"id":[0],"t":[1],"v":[1]}"#.into())
        }
        (Format::Json, _) => {
            Frame::Text(r#"{"type":"series","series":[{"id":7,"labels":{}}]}"#.into())
        }
    }
}

/// Query parameters of `/ws`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WsParams {
    pub format: Format,
    pub since: Option<i64>,
}

/// Parse the `/ws` query string; unknown parameters are ignored.
pub fn parse_query(query: Option<&str>) -> Result<WsParams, String> {
    let mut p = WsParams {
        format: Format::Json,
        since: None,
    };
    for pair in query.unwrap_or("").split('&').filter(|s| !s.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(&v.replace('+', " ")).ok_or_else(|| format!("bad escape in {k}"))?;
        match k {
            "format" => {
                p.format = Format::parse(&v)
                    .ok_or_else(|| format!("format must be json or binary, got {v:?}"))?
            }
            "since" if v.is_empty() => {}
            "since" => {
                let t: f64 = v
                    .parse()
                    .map_err(|_| format!("since must be a timestamp in ms, got {v:?}"))?;
                if !t.is_finite() {
                    return Err(format!("since must be finite, got {v:?}"));
                }
                p.since = Some(t.floor() as i64);
            }
            _ => {}
        }
    }
    Ok(p)
}

pub async fn handler(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    // Query errors first: they say more than "not an upgrade".
    let params = match parse_query(uri.query()) {
        Ok(p) => p,
        Err(e) => return (StatusCode::BAD_REQUEST, format!("/ws: {e}\n")).into_response(),
    };
    match ws {
        Ok(ws) => ws
            .on_upgrade(move |socket| run(socket, state, params))
            .into_response(),
        Err(rejection) => rejection.into_response(),
    }
}

fn to_message(f: Frame) -> Message {
    match f {
        Frame::Text(s) => Message::Text(s.into()),
        Frame::Binary(b) => Message::Binary(b.into()),
    }
}

/// Unsubscribes when the connection ends, however it ends.
struct Guard<'a> {
    state: &'a AppState,
    queue: Arc<ClientQueue>,
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.state.hub.unsubscribe(&self.queue);
    }
}

/// Per-connection sending state.
struct Conn<'a> {
    socket: WebSocket,
    state: &'a AppState,
    queue: Arc<ClientQueue>,
    enc: Encoder,
    announced: usize,
    reported_dropped: u64,
    /// Samples frames sent (for the malformed-frame test hook).
    sample_frames: u64,
}

impl Conn<'_> {
    async fn send(&mut self, f: Frame) -> Result<(), ()> {
        self.socket.send(to_message(f)).await.map_err(|_| ())
    }

    /// Announce series registered since the last announcement, then the samples.
    async fn send_samples(&mut self, batches: &[Arc<Batch>]) -> Result<(), ()> {
        if self.state.hub.series_count() > self.announced {
            let new = self.state.hub.series_from(self.announced);
            self.announced += new.len();
            self.send_series(&new).await?;
        }
        let n: usize = batches.iter().map(|b| b.len()).sum();
        self.send(self.enc.samples(batches)).await?;
        self.queue.add_sent(n as u64);
        self.sample_frames += 1;
        let every = u64::from(self.state.test_malformed_every);
        if every > 0 && self.sample_frames % every == 0 {
            let kind = self.sample_frames / every - 1;
            self.send(malformed_frame(self.enc.0, kind)).await?;
        }
        Ok(())
    }

    /// Announce series, at most [`SERIES_PER_FRAME`] per message.
    async fn send_series(&mut self, list: &[Arc<crate::batch::SeriesInfo>]) -> Result<(), ()> {
        for chunk in list.chunks(SERIES_PER_FRAME) {
            self.send(self.enc.series(chunk)).await?;
        }
        Ok(())
    }

    async fn send_status(&mut self, reason: StatusReason) -> Result<(), ()> {
        let q = self.queue.stats();
        let (oldest, newest) = self.state.hub.buffer_span();
        self.reported_dropped = q.dropped_samples;
        let s = Status {
            reason,
            now: self.state.clock.now_ms(),
            dropped_samples: q.dropped_samples,
            sent_samples: self.queue.sent_samples(),
            queued_samples: q.queued_samples,
            queue_capacity: self.queue.capacity as u64,
            series: self.state.hub.series_count(),
            buffer_oldest: oldest,
            buffer_newest: newest,
        };
        self.send(self.enc.status(&s)).await
    }
}

async fn run(mut socket: WebSocket, state: Arc<AppState>, params: WsParams) {
    let Some(sub) = state.hub.subscribe(params.since) else {
        let close = CloseFrame {
            code: 1013,
            reason: "too many clients, try again later".into(),
        };
        let _ = socket.send(Message::Close(Some(close))).await;
        return;
    };
    let _guard = Guard {
        state: &state,
        queue: sub.queue.clone(),
    };
    let mut c = Conn {
        socket,
        state: &state,
        queue: sub.queue.clone(),
        enc: Encoder(params.format),
        announced: 0,
        reported_dropped: 0,
        sample_frames: 0,
    };
    let _ = session(&mut c, sub.gap, sub.resume, params).await;
}

async fn session(
    c: &mut Conn<'_>,
    gap: Vec<Arc<Batch>>,
    resume: crate::hub::ResumeInfo,
    params: WsParams,
) -> Result<(), ()> {
    let state = c.state;
    let all = state.hub.series_from(0);
    let hello = Hello {
        session: state.clock.start_ms(),
        now: state.clock.now_ms(),
        mode: state.mode.to_string(),
        rate_hz: state.rate_hz,
        series: all.len(),
        format: params.format,
        resume,
        queue_capacity: c.queue.capacity as u64,
    };
    c.send(c.enc.hello(&hello)).await?;
    c.announced = all.len();
    c.send_series(&all).await?;

    // Gap replay, in frames of whole batches.
    let max = state.max_frame_samples;
    let mut i = 0;
    while i < gap.len() {
        let mut j = i + 1;
        let mut n = gap[i].len();
        while j < gap.len() && n + gap[j].len() <= max {
            n += gap[j].len();
            j += 1;
        }
        c.send_samples(&gap[i..j]).await?;
        i = j;
    }
    drop(gap);
    if params.since.is_some() {
        c.send_status(StatusReason::Live).await?;
    }

    let interval = state.status_interval;
    let mut next_status = Instant::now() + interval;
    let mut last_drop_status: Option<Instant> = None;
    loop {
        let has_more = c.queue.stats().queued_samples > 0;
        tokio::select! {
            biased;
            msg = c.socket.recv() => match msg {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return Ok(()),
                Some(Ok(_)) => {} // client messages carry nothing yet; pings are auto-answered
            },
            _ = std::future::ready(()), if has_more => {}
            _ = c.queue.notified() => {}
            _ = tokio::time::sleep_until(next_status) => {}
        }
        let batches = c.queue.pop_up_to(max);
        if !batches.is_empty() {
            c.send_samples(&batches).await?;
        }
        let now = Instant::now();
        let drops_unreported = c.queue.stats().dropped_samples > c.reported_dropped;
        if drops_unreported && last_drop_status.map_or(true, |t| now >= t + DROP_STATUS_GAP) {
            c.send_status(StatusReason::Drops).await?;
            last_drop_status = Some(now);
        } else if now >= next_status {
            c.send_status(StatusReason::Periodic).await?;
            next_status = now + interval;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_frames_break_the_protocol() {
        for kind in 0..3 {
            let Frame::Binary(b) = malformed_frame(Format::Binary, kind) else {
                panic!("binary format, binary frame")
            };
            let count = u32::from_le_bytes(b[4..8].try_into().unwrap()) as usize;
            let broken = match b[1] {
                _ if b[0] != 1 => true,
                3 => b.len() < 16 + 14 * count,
                2 => b.len() < 8 + 8 + 200,
                _ => false,
            };
            assert!(broken, "kind {kind}: {b:?}");
            let Frame::Text(t) = malformed_frame(Format::Json, kind) else {
                panic!("json format, text frame")
            };
            let ok = match serde_json::from_str::<serde_json::Value>(&t) {
                Err(_) => false,
                Ok(v) if v["type"] == "samples" => {
                    v["id"].as_array().unwrap().len() == v["n"].as_u64().unwrap() as usize
                }
                Ok(v) => v["series"][0]["key"].is_string(),
            };
            assert!(!ok, "kind {kind}: {t}");
        }
    }

    #[test]
    fn query_parsing() {
        assert_eq!(
            parse_query(None).unwrap(),
            WsParams {
                format: Format::Json,
                since: None
            }
        );
        assert_eq!(
            parse_query(Some("format=binary&since=1700000000123")).unwrap(),
            WsParams {
                format: Format::Binary,
                since: Some(1_700_000_000_123)
            }
        );
        assert_eq!(
            parse_query(Some("since=12.9&x=y&format=json"))
                .unwrap()
                .since,
            Some(12)
        );
        assert_eq!(parse_query(Some("since=")).unwrap().since, None);
        assert!(parse_query(Some("format=xml")).is_err());
        assert!(parse_query(Some("since=abc")).is_err());
        assert!(parse_query(Some("since=inf")).is_err());
    }
}
