//! Test helpers: a protocol decoder written from PROTOCOL.md (independently of the
//! server's encoder), a WebSocket client, and a minimal HTTP/1.1 client.
//!
//! Every wait is bounded by [`GUARD`], a hang guard only: tests never assert on how
//! long anything took.

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub use tsdb_server::{Batch, Config, Server, SourceConfig};

pub const GUARD: Duration = Duration::from_secs(60);

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;
pub type RawWs = WebSocketStream<TcpStream>;

#[derive(Debug, Clone, PartialEq)]
pub struct SeriesEntry {
    pub id: u32,
    pub key: String,
    pub labels: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub reason: String,
    pub now: f64,
    pub dropped: f64,
    pub sent: f64,
    pub queued: f64,
    pub queue_capacity: f64,
    pub series: f64,
    pub oldest: Option<f64>,
    pub newest: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Hello(Value),
    Series(Vec<SeriesEntry>),
    Samples {
        ids: Vec<u32>,
        ts: Vec<i64>,
        values: Vec<f64>,
    },
    Status(Status),
}

// ---- binary decoder (PROTOCOL.md, "Binary format") ----

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        assert!(
            self.at + n <= self.b.len(),
            "frame truncated: need {n} bytes at {} of {}",
            self.at,
            self.b.len()
        );
        let s = &self.b[self.at..self.at + n];
        self.at += n;
        s
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.take(2).try_into().unwrap())
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take(4).try_into().unwrap())
    }
    fn f64(&mut self) -> f64 {
        f64::from_le_bytes(self.take(8).try_into().unwrap())
    }
    fn str(&mut self) -> String {
        let n = self.u16() as usize;
        String::from_utf8(self.take(n).to_vec()).expect("UTF-8 string")
    }
}

pub fn decode_binary(b: &[u8]) -> Msg {
    assert!(b.len() >= 8, "frame shorter than its header");
    assert_eq!(b[0], 1, "protocol version");
    let (kind, flags, reserved) = (b[1], b[2], b[3]);
    assert_eq!(reserved, 0);
    let mut r = Reader { b, at: 4 };
    let count = r.u32() as usize;
    let msg = match kind {
        1 => {
            assert_eq!(flags, 0);
            let body = r.take(count);
            Msg::Hello(serde_json::from_slice(body).expect("hello JSON"))
        }
        2 => {
            assert_eq!(flags, 0);
            let mut list = Vec::with_capacity(count);
            for _ in 0..count {
                let id = r.u32();
                let key = r.str();
                let n = r.u16() as usize;
                let labels = (0..n).map(|_| (r.str(), r.str())).collect();
                list.push(SeriesEntry { id, key, labels });
            }
            Msg::Series(list)
        }
        3 => {
            assert_eq!(flags & !3, 0, "unknown sample flags");
            let base = r.f64();
            assert_eq!(base.fract(), 0.0);
            let values: Vec<f64> = (0..count).map(|_| r.f64()).collect();
            let ts: Vec<i64> = if flags & 2 == 0 {
                (0..count).map(|_| base as i64 + r.u32() as i64).collect()
            } else {
                (0..count).map(|_| r.f64() as i64).collect()
            };
            let ids: Vec<u32> = if flags & 1 == 1 {
                (0..count).map(|_| r.u16() as u32).collect()
            } else {
                (0..count).map(|_| r.u32()).collect()
            };
            Msg::Samples { ids, ts, values }
        }
        4 => {
            assert_eq!(count, 0);
            let reason = match flags {
                0 => "periodic",
                1 => "drops",
                2 => "live",
                x => panic!("unknown status reason {x}"),
            }
            .to_string();
            let mut f = || r.f64();
            let (now, dropped, sent, queued, queue_capacity, series) =
                (f(), f(), f(), f(), f(), f());
            let opt = |x: f64| if x.is_nan() { None } else { Some(x) };
            let (oldest, newest) = (opt(f()), opt(f()));
            Msg::Status(Status {
                reason,
                now,
                dropped,
                sent,
                queued,
                queue_capacity,
                series,
                oldest,
                newest,
            })
        }
        k => panic!("unknown message type {k}"),
    };
    assert_eq!(r.at, b.len(), "trailing bytes in a type {kind} frame");
    msg
}

// ---- JSON decoder ----

fn num(v: &Value, field: &str) -> f64 {
    v[field]
        .as_f64()
        .unwrap_or_else(|| panic!("{field} is not a number in {v}"))
}

fn opt_num(v: &Value, field: &str) -> Option<f64> {
    match &v[field] {
        Value::Null => None,
        x => Some(x.as_f64().unwrap_or_else(|| panic!("{field} in {v}"))),
    }
}

pub fn decode_json(text: &str) -> Msg {
    let v: Value = serde_json::from_str(text).expect("valid JSON");
    match v["type"].as_str().expect("type field") {
        "hello" => Msg::Hello(v),
        "series" => Msg::Series(
            v["series"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| SeriesEntry {
                    id: s["id"].as_u64().unwrap() as u32,
                    key: s["key"].as_str().unwrap().to_string(),
                    labels: s["labels"]
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                        .collect(),
                })
                .collect(),
        ),
        "samples" => {
            let n = v["n"].as_u64().unwrap() as usize;
            let ids: Vec<u32> = v["id"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as u32)
                .collect();
            let ts: Vec<i64> = v["t"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_i64().unwrap())
                .collect();
            let values: Vec<f64> = v["v"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap_or(f64::NAN))
                .collect();
            assert!(
                ids.len() == n && ts.len() == n && values.len() == n,
                "column lengths differ from n"
            );
            Msg::Samples { ids, ts, values }
        }
        "status" => Msg::Status(Status {
            reason: v["reason"].as_str().unwrap().to_string(),
            now: num(&v, "now"),
            dropped: num(&v, "dropped"),
            sent: num(&v, "sent"),
            queued: num(&v, "queued"),
            queue_capacity: num(&v, "queue_capacity"),
            series: num(&v, "series"),
            oldest: opt_num(&v, "buffer_oldest"),
            newest: opt_num(&v, "buffer_newest"),
        }),
        t => panic!("unknown message type {t}"),
    }
}

// ---- servers and clients ----

pub async fn start(cfg: Config) -> Server {
    Server::start(cfg).await.expect("server starts")
}

/// A server whose batches the test publishes itself (through `server.hub`).
pub async fn start_manual(f: impl FnOnce(&mut Config)) -> Server {
    let mut cfg = Config::ephemeral();
    cfg.source = SourceConfig::Manual;
    f(&mut cfg);
    start(cfg).await
}

pub async fn connect(addr: SocketAddr, query: &str) -> Ws {
    let url = format!("ws://{addr}/ws{query}");
    let (ws, _) = tokio::time::timeout(GUARD, tokio_tungstenite::connect_async(url))
        .await
        .expect("guard")
        .expect("connect");
    ws
}

/// Connect with a tiny receive buffer, so a client that does not read stalls the
/// server's writes quickly.
pub async fn connect_small_buffer(addr: SocketAddr, query: &str) -> RawWs {
    let sock = TcpSocket::new_v4().unwrap();
    sock.set_recv_buffer_size(4096).unwrap();
    let stream = sock.connect(addr).await.unwrap();
    let url = format!("ws://{addr}/ws{query}");
    let (ws, _) = tokio_tungstenite::client_async(url, stream)
        .await
        .expect("handshake");
    ws
}

/// Next protocol message (pings and pongs skipped); `None` when the server closed.
pub async fn next_msg<S>(ws: &mut WebSocketStream<S>) -> Option<Msg>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    loop {
        let m = tokio::time::timeout(GUARD, ws.next())
            .await
            .expect("hang guard: no message")?;
        match m.expect("websocket error") {
            Message::Text(t) => return Some(decode_json(&t)),
            Message::Binary(b) => return Some(decode_binary(&b)),
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

pub async fn close<S>(mut ws: WebSocketStream<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let _ = ws.close(None).await;
}

/// Samples in arrival order.
#[derive(Default, Debug, Clone)]
pub struct Received {
    pub samples: Vec<(u32, i64, f64)>,
}

impl Received {
    pub fn add(&mut self, ids: &[u32], ts: &[i64], values: &[f64]) {
        for i in 0..ids.len() {
            self.samples.push((ids[i], ts[i], values[i]));
        }
    }
    pub fn max_ts(&self) -> Option<i64> {
        self.samples.iter().map(|s| s.1).max()
    }
    pub fn per_series(&self) -> HashMap<u32, Vec<(i64, f64)>> {
        let mut m: HashMap<u32, Vec<(i64, f64)>> = HashMap::new();
        for &(id, t, v) in &self.samples {
            m.entry(id).or_default().push((t, v));
        }
        m
    }
}

/// Publish `n` samples per series for series `0..series` starting at `t0`, one ms
/// apart, as one batch; returns the batch for bookkeeping.
pub fn publish_block(server: &Server, series: u32, t0: i64, per_series: usize) -> Batch {
    let mut b = Batch::default();
    for k in 0..per_series {
        for id in 0..series {
            b.push(id, t0 + k as i64, (id as f64) * 1000.0 + k as f64 + 0.25);
        }
    }
    server.hub.publish(b.clone()).expect("publish");
    b
}

// ---- HTTP ----

pub struct HttpResponse {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

/// One HTTP/1.1 request with `Connection: close`; reads the whole response.
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    extra_headers: &[(&str, &str)],
) -> HttpResponse {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n");
    if !extra_headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("connection"))
    {
        req.push_str("Connection: close\r\n");
    }
    for (k, v) in extra_headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(GUARD, s.read_to_end(&mut raw))
        .await
        .expect("guard")
        .unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect::<HashMap<_, _>>();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|v| v == "chunked")
    {
        body = dechunk(&body);
    }
    HttpResponse {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&b[..line_end]).unwrap().trim(), 16).unwrap();
        b = &b[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

pub async fn get_json(addr: SocketAddr, path: &str) -> Value {
    let r = http(addr, "GET", path, &[]).await;
    assert_eq!(r.status, 200);
    serde_json::from_slice(&r.body).expect("JSON body")
}
