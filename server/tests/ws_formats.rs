//! Both wire formats, decoded fully by the test's own decoder (tests/common), from the
//! real generator and from hand-published batches.

mod common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use common::*;
use tsdb_server::GeneratorConfig;

const METRICS: [&str; 9] = [
    "cpu",
    "mem",
    "disk_io",
    "net_rx",
    "net_tx",
    "temperature",
    "latency_p99",
    "errors",
    "requests",
];

async fn generator_stream_is_well_formed(format: &str) {
    let mut cfg = Config::ephemeral();
    cfg.source = SourceConfig::Generator(GeneratorConfig {
        hosts: 12,
        rate_hz: 50.0,
        seed: 7,
        ..GeneratorConfig::default()
    });
    cfg.tick = Duration::from_millis(10);
    cfg.status_interval = Duration::from_millis(100);
    let server = start(cfg).await;
    let mut ws = connect(server.addr, &format!("?format={format}")).await;

    let Some(Msg::Hello(hello)) = next_msg(&mut ws).await else {
        panic!("hello first")
    };
    assert_eq!(hello["type"], "hello");
    assert_eq!(hello["protocol"], 1);
    assert_eq!(hello["format"], format);
    assert_eq!(hello["mode"], "generator");
    assert_eq!(hello["series"], 108);
    assert_eq!(hello["rate_hz"], 50.0);
    assert_eq!(hello["resume"]["since"], serde_json::Value::Null);
    let session = hello["session"].as_f64().unwrap() as i64;

    let Some(Msg::Series(series)) = next_msg(&mut ws).await else {
        panic!("series second")
    };
    assert_eq!(series.len(), 108);
    let mut metric_of = HashMap::new();
    for (i, s) in series.iter().enumerate() {
        assert_eq!(s.id as usize, i, "ids are dense and in order");
        let label = |n: &str| {
            s.labels
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("{} lacks {n}", s.key))
        };
        let (metric, host) = (label("metric"), label("host"));
        assert_eq!(s.key, format!("{metric}:{host}"));
        assert!(METRICS.contains(&metric.as_str()), "{metric}");
        assert!(host.starts_with("host-"));
        assert!(
            label("dc").starts_with(&label("region")),
            "{} in {}",
            label("dc"),
            label("region")
        );
        label("role");
        label("unit");
        metric_of.insert(s.id, metric);
    }
    assert_eq!(
        series.iter().map(|s| &s.key).collect::<HashSet<_>>().len(),
        108,
        "keys are unique"
    );

    let mut got = Received::default();
    let mut last: HashMap<u32, (i64, f64)> = HashMap::new();
    let mut periodic = 0;
    while got.samples.len() < 3000 || periodic < 2 {
        match next_msg(&mut ws).await.expect("stream continues") {
            Msg::Samples { ids, ts, values } => {
                assert!(!ids.is_empty(), "no empty samples frames");
                for i in 0..ids.len() {
                    let (id, t, v) = (ids[i], ts[i], values[i]);
                    let metric = metric_of
                        .get(&id)
                        .unwrap_or_else(|| panic!("unannounced id {id}"));
                    assert!(v.is_finite(), "{metric} {v}");
                    assert!(t > session, "timestamps are the real clock");
                    if let Some(&(pt, pv)) = last.get(&id) {
                        assert!(
                            t > pt,
                            "timestamps rise per series ({metric}: {pt} then {t})"
                        );
                        if metric == "errors" || metric == "requests" {
                            assert!(v >= pv, "counter {metric} went down");
                        }
                    }
                    if metric == "cpu" || metric == "mem" {
                        assert!((0.0..=100.0).contains(&v));
                    }
                    last.insert(id, (t, v));
                }
                got.add(&ids, &ts, &values);
            }
            Msg::Status(s) => {
                assert_eq!(s.reason, "periodic");
                assert_eq!(s.dropped, 0.0);
                assert_eq!(
                    s.sent as usize,
                    got.samples.len(),
                    "status counts exactly the samples sent before it"
                );
                assert_eq!(s.series, 108.0);
                assert!(s.now as i64 >= got.max_ts().unwrap_or(0));
                assert!(s.oldest.is_some() && s.newest.is_some());
                periodic += 1;
            }
            m => panic!("unexpected {m:?}"),
        }
    }
    assert_eq!(last.len(), 108, "every series produced samples");
    close(ws).await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generator_stream_is_well_formed_json() {
    generator_stream_is_well_formed("json").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generator_stream_is_well_formed_binary() {
    generator_stream_is_well_formed("binary").await;
}

/// Exact, bit-for-bit round trip through both formats, including u32 ids (> 65535),
/// a frame spanning more than 2^32 ms, awkward values and awkward label text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_formats_carry_exactly_what_was_published() {
    let server = start_manual(|_| {}).await;
    let hub = server.hub.clone();
    hub.register(
        "temp:\"quoted\" <b>",
        vec![
            ("metric".into(), "temp".into()),
            ("note".into(), "ünï\u{1F600}\n".into()),
        ],
    )
    .unwrap();
    for i in 1..70_001u32 {
        hub.register(&format!("s:{i}"), vec![("metric".into(), "s".into())])
            .unwrap();
    }
    let mut clients = Vec::new();
    for format in ["json", "binary"] {
        let mut ws = connect(server.addr, &format!("?format={format}")).await;
        let Some(Msg::Hello(hello)) = next_msg(&mut ws).await else {
            panic!()
        };
        assert_eq!(hello["series"], 70_001);
        // Announced in chunks of at most 10,000.
        let mut s = Vec::new();
        let mut messages = 0;
        while s.len() < 70_001 {
            let Some(Msg::Series(chunk)) = next_msg(&mut ws).await else {
                panic!("series announcements first")
            };
            assert!(chunk.len() <= 10_000);
            s.extend(chunk);
            messages += 1;
        }
        assert_eq!((s.len(), messages), (70_001, 8));
        assert!(s.iter().enumerate().all(|(i, e)| e.id as usize == i));
        assert_eq!(s[0].key, "temp:\"quoted\" <b>");
        assert_eq!(
            s[0].labels[1],
            ("note".to_string(), "ünï\u{1F600}\n".to_string())
        );
        assert_eq!(s[70_000].key, "s:70000");
        clients.push(ws);
    }

    let values = [
        0.1,
        -0.0,
        5e-324,
        1e300,
        -42.0,
        22262.0,
        1016.6,
        f64::MAX,
        3.0e-7,
    ];
    let mut published = Vec::new();
    let mut b = Batch::default();
    for (i, &v) in values.iter().enumerate() {
        b.push([0, 65_535, 65_536, 70_000][i % 4], 1_000 + i as i64, v);
    }
    published.push(b);
    let mut b = Batch::default(); // spans 2^40 ms: absolute f64 timestamps
    b.push(1, 2_000, 1.5);
    b.push(2, 2_000 + (1i64 << 40), 2.5);
    published.push(b);
    let mut b = Batch::default(); // small ids, short span
    b.push(3, 1_700_000_000_000 + (1i64 << 41), 7.25);
    published.push(b);
    for b in &published {
        hub.publish(b.clone()).unwrap();
    }
    let want: Vec<(u32, i64, u64)> = published
        .iter()
        .flat_map(|b| (0..b.len()).map(move |i| (b.ids[i], b.ts[i], b.values[i].to_bits())))
        .collect();

    for mut ws in clients {
        let mut got = Vec::new();
        while got.len() < want.len() {
            match next_msg(&mut ws).await.unwrap() {
                Msg::Samples { ids, ts, values } => {
                    for i in 0..ids.len() {
                        got.push((ids[i], ts[i], values[i].to_bits()));
                    }
                }
                Msg::Status(_) => {}
                m => panic!("unexpected {m:?}"),
            }
        }
        assert_eq!(got, want);
        close(ws).await;
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn series_registered_later_are_announced_before_their_samples() {
    let server = start_manual(|_| {}).await;
    server.hub.register("a", vec![]).unwrap();
    let mut ws = connect(server.addr, "?format=binary").await;
    assert!(matches!(next_msg(&mut ws).await, Some(Msg::Hello(_))));
    let Some(Msg::Series(s)) = next_msg(&mut ws).await else {
        panic!()
    };
    assert_eq!(s.len(), 1);
    let id = server
        .hub
        .register("late", vec![("metric".into(), "late".into())])
        .unwrap();
    let mut b = Batch::default();
    b.push(id, 5, 1.0);
    server.hub.publish(b).unwrap();
    let Some(Msg::Series(s)) = next_msg(&mut ws).await else {
        panic!("announcement first")
    };
    assert_eq!((s.len(), s[0].id, s[0].key.as_str()), (1, 1, "late"));
    let Some(Msg::Samples { ids, .. }) = next_msg(&mut ws).await else {
        panic!("then samples")
    };
    assert_eq!(ids, vec![1]);
    server.shutdown().await;
}
