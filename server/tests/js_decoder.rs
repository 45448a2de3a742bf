//! The dashboard's JavaScript decoder (www/protocol.js) decodes real frames
//! exactly like the Rust test decoder does. Needs `node`; skipped (with a note) when
//! it is not installed.

mod common;

use std::process::Command;

use common::*;
use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_js_decoder_agrees_with_the_spec() {
    if Command::new("node")
        .arg("--version")
        .output()
        .map(|o| !o.status.success())
        .unwrap_or(true)
    {
        eprintln!("skipping: node is not installed");
        return;
    }
    let server = start_manual(|c| c.max_frame_samples = 4).await;
    server
        .hub
        .register(
            "cpu:host-01",
            vec![
                ("metric".into(), "cpu".into()),
                ("host".into(), "host-01".into()),
            ],
        )
        .unwrap();
    server
        .hub
        .register("é\"<x>", vec![("k".into(), "v\u{1F600}".into())])
        .unwrap();
    for i in 2..70_000u32 {
        server.hub.register(&format!("s:{i}"), vec![]).unwrap();
    }

    let mut frames: Vec<(u8, Vec<u8>)> = Vec::new();
    for format in ["binary", "json"] {
        let mut ws = connect(server.addr, &format!("?format={format}&since=0")).await;
        let mut samples = 0;
        let mut statuses = 0;
        // Publish after the first client subscribed, so both get the same data (the
        // second one through the resume buffer).
        if format == "binary" {
            let vals = [0.1, -0.0, 5e-324, f64::MAX, -1.5, 22262.0];
            let mut b = Batch::default();
            for (i, &v) in vals.iter().enumerate() {
                b.push(
                    [0, 1, 65_535, 65_536, 69_999, 1][i],
                    1_700_000_000_000 + i as i64,
                    v,
                );
            }
            server.hub.publish(b).unwrap();
            let mut b = Batch::default();
            b.push(0, 1_700_000_000_000 + (1i64 << 33), f64::NAN);
            b.push(1, 1_700_000_000_000 + (1i64 << 34), 1.0);
            server.hub.publish(b).unwrap();
        }
        while samples < 8 || statuses < 1 {
            let m = tokio::time::timeout(GUARD, ws.next())
                .await
                .expect("guard")
                .unwrap()
                .unwrap();
            let (kind, bytes) = match m {
                Message::Text(t) => (0u8, t.as_bytes().to_vec()),
                Message::Binary(b) => (1u8, b.to_vec()),
                _ => continue,
            };
            let decoded = if kind == 0 {
                decode_json(std::str::from_utf8(&bytes).unwrap())
            } else {
                decode_binary(&bytes)
            };
            match decoded {
                Msg::Samples { ids, .. } => samples += ids.len(),
                Msg::Status(_) => statuses += 1,
                _ => {}
            }
            frames.push((kind, bytes));
        }
        close(ws).await;
    }

    let path = std::env::temp_dir().join(format!("tsdb-server-frames-{}.bin", std::process::id()));
    let mut file = Vec::new();
    for (kind, bytes) in &frames {
        file.push(*kind);
        file.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        file.extend_from_slice(bytes);
    }
    std::fs::write(&path, file).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js/decode_check.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), frames.len());

    for ((kind, bytes), js) in frames.iter().zip(&lines) {
        let rust = if *kind == 0 {
            decode_json(std::str::from_utf8(bytes).unwrap())
        } else {
            decode_binary(bytes)
        };
        match rust {
            Msg::Hello(h) => {
                assert_eq!(js["type"], "hello");
                assert_eq!(js["session"], h["session"]);
                assert_eq!(js["resume"], h["resume"]);
            }
            Msg::Series(s) => {
                let list = js["series"].as_array().unwrap();
                assert_eq!(list.len(), s.len());
                for (a, b) in list.iter().zip(&s) {
                    assert_eq!(
                        (a["id"].as_u64().unwrap() as u32, a["key"].as_str().unwrap()),
                        (b.id, b.key.as_str())
                    );
                    for (k, v) in &b.labels {
                        assert_eq!(a["labels"][k].as_str(), Some(v.as_str()));
                    }
                }
            }
            Msg::Samples { ids, ts, values } => {
                let js_ids: Vec<u32> = js["ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap() as u32)
                    .collect();
                let js_ts: Vec<i64> = js["ts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_i64().unwrap())
                    .collect();
                let js_bits: Vec<u64> = js["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| u64::from_str_radix(x.as_str().unwrap(), 16).unwrap())
                    .collect();
                assert_eq!(js_ids, ids);
                assert_eq!(js_ts, ts);
                // JSON carries NaN as null; both decoders turn it back into a NaN.
                let norm = |b: u64| {
                    if f64::from_bits(b).is_nan() {
                        u64::MAX
                    } else {
                        b
                    }
                };
                assert_eq!(
                    js_bits.into_iter().map(norm).collect::<Vec<_>>(),
                    values.iter().map(|v| norm(v.to_bits())).collect::<Vec<_>>()
                );
            }
            Msg::Status(s) => {
                assert_eq!(js["type"], "status");
                assert_eq!(js["reason"].as_str(), Some(s.reason.as_str()));
                assert_eq!(js["sent"].as_f64(), Some(s.sent));
                assert_eq!(js["dropped"].as_f64(), Some(s.dropped));
                assert_eq!(js["buffer_oldest"].as_f64(), s.oldest);
            }
        }
    }
    server.shutdown().await;
}
