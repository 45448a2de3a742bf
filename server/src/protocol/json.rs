//! JSON encoding (`?format=json`): one message per WebSocket text frame, an object with
//! a `"type"` field. Samples are columnar like the binary format:
//!
//! ```json
//! {"type":"hello","protocol":1,"server":"tsdb-server/0.1.0","session":1700000000000,
//!  "now":1700000001234,"mode":"generator","rate_hz":10,"series":450,"format":"json",
//!  "queue_capacity":200000,"resume":{"since":1700000001000,"replayed":42,"complete":true}}
//! {"type":"series","series":[{"id":0,"key":"cpu:host-00",
//!   "labels":{"metric":"cpu","host":"host-00","region":"us-east","dc":"us-east-1a"}}]}
//! {"type":"samples","n":2,"id":[0,1],"t":[1700000001300,1700000001300],"v":[42.5,61.2]}
//! {"type":"status","reason":"periodic","now":1700000002000,"dropped":0,"sent":9000,
//!  "queued":0,"queue_capacity":200000,"series":450,
//!  "buffer_oldest":1700000000000,"buffer_newest":1700000001980}
//! ```
//!
//! Values are written in the shortest form that parses back to the same f64 (`ryu`);
//! a non-finite value (never produced by the built-in sources) is written as `null`.
//! Labels keep their registration order.

use std::fmt::Write as _;
use std::sync::Arc;

use super::{Hello, Status, PROTOCOL_VERSION};
use crate::batch::{Batch, SeriesInfo};

/// A JSON string literal (quotes and escapes included).
fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("strings always serialise")
}

fn opt_i64(v: Option<i64>) -> String {
    v.map_or_else(|| "null".to_string(), |t| t.to_string())
}

fn number(out: &mut String, v: f64) {
    if v.is_finite() {
        let mut buf = ryu::Buffer::new();
        out.push_str(buf.format_finite(v));
    } else {
        out.push_str("null");
    }
}

pub fn hello(h: &Hello) -> String {
    let mut rate = String::new();
    number(&mut rate, h.rate_hz);
    format!(
        concat!(
            r#"{{"type":"hello","protocol":{},"server":"tsdb-server/{}","session":{},"now":{},"mode":{},"#,
            r#""rate_hz":{},"series":{},"format":"{}","queue_capacity":{},"#,
            r#""resume":{{"since":{},"replayed":{},"complete":{}}}}}"#
        ),
        PROTOCOL_VERSION,
        env!("CARGO_PKG_VERSION"),
        h.session,
        h.now,
        quote(&h.mode),
        rate,
        h.series,
        h.format.name(),
        h.queue_capacity,
        opt_i64(h.resume.since),
        h.resume.replayed_samples,
        h.resume.complete,
    )
}

pub fn series(list: &[Arc<SeriesInfo>]) -> String {
    let mut out = String::with_capacity(32 + list.len() * 128);
    out.push_str(r#"{"type":"series","series":["#);
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            r#"{{"id":{},"key":{},"labels":{{"#,
            s.id,
            quote(&s.key)
        );
        for (j, (name, value)) in s.labels.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            let _ = write!(out, "{}:{}", quote(name), quote(value));
        }
        out.push_str("}}");
    }
    out.push_str("]}");
    out
}

pub fn samples(batches: &[Arc<Batch>]) -> String {
    let n: usize = batches.iter().map(|b| b.len()).sum();
    let mut out = String::with_capacity(48 + n * 36);
    let mut ints = itoa::Buffer::new();
    out.push_str(r#"{"type":"samples","n":"#);
    out.push_str(ints.format(n));
    out.push_str(r#","id":["#);
    let mut first = true;
    for &id in batches.iter().flat_map(|b| b.ids.iter()) {
        if !std::mem::take(&mut first) {
            out.push(',');
        }
        out.push_str(ints.format(id));
    }
    out.push_str(r#"],"t":["#);
    first = true;
    for &t in batches.iter().flat_map(|b| b.ts.iter()) {
        if !std::mem::take(&mut first) {
            out.push(',');
        }
        out.push_str(ints.format(t));
    }
    out.push_str(r#"],"v":["#);
    first = true;
    for &v in batches.iter().flat_map(|b| b.values.iter()) {
        if !std::mem::take(&mut first) {
            out.push(',');
        }
        number(&mut out, v);
    }
    out.push_str("]}");
    out
}

pub fn status(s: &Status) -> String {
    format!(
        concat!(
            r#"{{"type":"status","reason":"{}","now":{},"dropped":{},"sent":{},"queued":{},"#,
            r#""queue_capacity":{},"series":{},"buffer_oldest":{},"buffer_newest":{}}}"#
        ),
        s.reason.name(),
        s.now,
        s.dropped_samples,
        s.sent_samples,
        s.queued_samples,
        s.queue_capacity,
        s.series,
        opt_i64(s.buffer_oldest),
        opt_i64(s.buffer_newest),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::ResumeInfo;
    use crate::protocol::{Format, StatusReason};
    use serde_json::Value;

    #[test]
    fn every_message_is_valid_json() {
        let h = Hello {
            session: 1,
            now: 2,
            mode: "gen\"erator".into(),
            rate_hz: 10.0,
            series: 3,
            format: Format::Json,
            resume: ResumeInfo {
                since: None,
                replayed_samples: 0,
                complete: true,
            },
            queue_capacity: 5,
        };
        let v: Value = serde_json::from_str(&hello(&h)).unwrap();
        assert_eq!(v["mode"], "gen\"erator");
        assert_eq!(v["resume"]["since"], Value::Null);

        let s = SeriesInfo {
            id: 0,
            key: "k<b>".into(),
            labels: vec![("z".into(), "1".into()), ("a".into(), "\n".into())],
        };
        let v: Value = serde_json::from_str(&series(&[Arc::new(s)])).unwrap();
        assert_eq!(v["series"][0]["labels"]["a"], "\n");

        let mut b = Batch::default();
        b.push(1, 10, 0.1);
        b.push(2, 11, f64::NAN);
        b.push(3, 12, -1e300);
        let v: Value = serde_json::from_str(&samples(&[Arc::new(b.clone()), Arc::new(b)])).unwrap();
        assert_eq!(v["n"], 6);
        assert_eq!(v["v"][0].as_f64(), Some(0.1));
        assert_eq!(v["v"][1], Value::Null);
        assert_eq!(v["v"][2].as_f64(), Some(-1e300));
        assert_eq!(v["t"][5], 12);

        let st = Status {
            reason: StatusReason::Drops,
            now: 1,
            dropped_samples: 2,
            sent_samples: 3,
            queued_samples: 4,
            queue_capacity: 5,
            series: 6,
            buffer_oldest: None,
            buffer_newest: Some(7),
        };
        let v: Value = serde_json::from_str(&status(&st)).unwrap();
        assert_eq!(
            (
                v["reason"].as_str(),
                v["dropped"].as_u64(),
                v["buffer_newest"].as_i64()
            ),
            (Some("drops"), Some(2), Some(7))
        );
    }
}
