//! Resume after a reconnect: `?since=<last timestamp held>` replays exactly the gap.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use tsdb_server::GeneratorConfig;

/// Read samples until `done(received)`; statuses are checked for drops and returned.
async fn read_until<S>(
    ws: &mut tokio_tungstenite::WebSocketStream<S>,
    got: &mut Received,
    mut done: impl FnMut(&Received) -> bool,
) -> Vec<Status>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut statuses = Vec::new();
    while !done(got) {
        match next_msg(ws).await.expect("stream continues") {
            Msg::Samples { ids, ts, values } => got.add(&ids, &ts, &values),
            Msg::Status(s) => {
                assert_eq!(s.dropped, 0.0, "no drops expected in this test");
                statuses.push(s);
            }
            m => panic!("unexpected {m:?}"),
        }
    }
    statuses
}

/// A publisher thread keeps producing while client A is cut off mid-stream and client
/// B resumes: A ∪ B must be exactly what was published — nothing missing, nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnect_with_since_replays_the_gap_exactly() {
    const SERIES: u32 = 5;
    const BLOCKS: usize = 400;
    const PER: usize = 4; // samples per series per block
    let server = start_manual(|c| c.max_frame_samples = 50).await;
    for i in 0..SERIES {
        server
            .hub
            .register(&format!("m:{i}"), vec![("metric".into(), "m".into())])
            .unwrap();
    }
    let mut a = connect(server.addr, "?format=binary").await;
    assert!(matches!(next_msg(&mut a).await, Some(Msg::Hello(_))));
    assert!(matches!(next_msg(&mut a).await, Some(Msg::Series(_))));

    // Publish concurrently with the clients; pace a little so the reconnect lands
    // mid-stream (the test's correctness does not depend on the pacing).
    let hub = server.hub.clone();
    let publisher = std::thread::spawn(move || {
        let mut all = Vec::new();
        for k in 0..BLOCKS {
            let mut b = Batch::default();
            for j in 0..PER {
                for id in 0..SERIES {
                    b.push(
                        id,
                        1_000 + (k * PER + j) as i64,
                        (k * 100 + j) as f64 + id as f64 / 10.0,
                    );
                }
            }
            hub.publish(b.clone()).unwrap();
            all.push(b);
            std::thread::sleep(Duration::from_micros(500));
        }
        all
    });

    let mut got_a = Received::default();
    read_until(&mut a, &mut got_a, |r| r.samples.len() >= 300).await;
    drop(a); // abrupt: no close handshake
    let since = got_a.max_ts().unwrap();

    let mut b = connect(server.addr, &format!("?format=json&since={since}")).await;
    let Some(Msg::Hello(hello)) = next_msg(&mut b).await else {
        panic!()
    };
    assert_eq!(hello["resume"]["since"], since);
    assert_eq!(hello["resume"]["complete"], true);
    let replayed = hello["resume"]["replayed"].as_u64().unwrap() as usize;
    assert!(matches!(next_msg(&mut b).await, Some(Msg::Series(_))));

    // The gap ends with a "live" status whose `sent` is the replayed count.
    let mut got_b = Received::default();
    loop {
        match next_msg(&mut b).await.unwrap() {
            Msg::Samples { ids, ts, values } => got_b.add(&ids, &ts, &values),
            Msg::Status(s) if s.reason == "live" => {
                assert_eq!(s.sent as usize, replayed);
                break;
            }
            m => panic!("unexpected {m:?}"),
        }
    }
    assert_eq!(got_b.samples.len(), replayed);

    let published = publisher.join().unwrap();
    let total: usize = published.iter().map(|b| b.len()).sum();
    assert_eq!(total, BLOCKS * PER * SERIES as usize);
    let last_ts = published.last().unwrap().ts[published.last().unwrap().len() - 1];
    read_until(&mut b, &mut got_b, |r| {
        r.max_ts() == Some(last_ts) && r.samples.len() + got_a.samples.len() >= total
    })
    .await;

    assert!(
        got_b.samples.iter().all(|s| s.1 > since),
        "nothing at or before since is sent again"
    );
    let want: Vec<(u32, i64, u64)> = published
        .iter()
        .flat_map(|b| (0..b.len()).map(move |i| (b.ids[i], b.ts[i], b.values[i].to_bits())))
        .collect();
    let got: Vec<(u32, i64, u64)> = got_a
        .samples
        .iter()
        .chain(got_b.samples.iter())
        .map(|&(id, t, v)| (id, t, v.to_bits()))
        .collect();
    assert_eq!(
        got.len(),
        want.len(),
        "no sample missing and none duplicated"
    );
    assert_eq!(got, want, "same samples in the same order");
    close(b).await;
    server.shutdown().await;
}

/// Against the real generator: A disconnects, B resumes from A's last timestamp; a
/// reference client R that stayed connected from the start (since=0) saw the truth.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnect_to_the_generator_loses_nothing() {
    let mut cfg = Config::ephemeral();
    cfg.source = SourceConfig::Generator(GeneratorConfig {
        hosts: 10,
        rate_hz: 40.0,
        seed: 3,
        ..GeneratorConfig::default()
    });
    cfg.tick = Duration::from_millis(10);
    let server = start(cfg).await;

    let mut r = connect(server.addr, "?format=binary&since=0").await;
    let mut a = connect(server.addr, "?format=json").await;
    for ws in [&mut r, &mut a] {
        assert!(matches!(next_msg(ws).await, Some(Msg::Hello(_))));
        assert!(matches!(next_msg(ws).await, Some(Msg::Series(_))));
    }
    let mut got_a = Received::default();
    read_until(&mut a, &mut got_a, |g| g.samples.len() >= 2000).await;
    drop(a);
    let since = got_a.max_ts().unwrap();
    let a_min = got_a.samples.iter().map(|s| s.1).min().unwrap();

    // Let the generator run on past A's end before B reconnects: R reads meanwhile.
    let mut got_r = Received::default();
    read_until(&mut r, &mut got_r, |g| {
        g.max_ts().is_some_and(|t| t > since + 300)
    })
    .await;

    let mut b = connect(server.addr, &format!("?format=binary&since={since}")).await;
    let Some(Msg::Hello(hello)) = next_msg(&mut b).await else {
        panic!()
    };
    assert_eq!(hello["resume"]["complete"], true);
    assert!(
        hello["resume"]["replayed"].as_u64().unwrap() > 0,
        "there was a gap to replay"
    );
    assert!(matches!(next_msg(&mut b).await, Some(Msg::Series(_))));
    let mut got_b = Received::default();
    read_until(&mut b, &mut got_b, |g| {
        g.max_ts().is_some_and(|t| t > since + 600)
    })
    .await;
    let t_end = got_b.max_ts().unwrap();
    read_until(&mut r, &mut got_r, |g| {
        g.max_ts().is_some_and(|t| t >= t_end)
    })
    .await;

    let key = |s: &(u32, i64, f64)| (s.0, s.1, s.2.to_bits());
    let truth: Vec<_> = got_r
        .samples
        .iter()
        .filter(|s| s.1 >= a_min && s.1 <= t_end)
        .map(key)
        .collect();
    let ab: Vec<_> = got_a
        .samples
        .iter()
        .chain(got_b.samples.iter())
        .filter(|s| s.1 <= t_end)
        .map(key)
        .collect();
    let ab_set: HashSet<_> = ab.iter().cloned().collect();
    assert_eq!(ab_set.len(), ab.len(), "no duplicates across the reconnect");
    let mut truth_sorted = truth.clone();
    let mut ab_sorted = ab.clone();
    truth_sorted.sort();
    ab_sorted.sort();
    assert_eq!(
        ab_sorted.len(),
        truth_sorted.len(),
        "same number of samples as the reference client"
    );
    assert_eq!(ab_sorted, truth_sorted);
    server.shutdown().await;
}

/// A client that comes back after its gap was evicted is told the replay is incomplete,
/// and gets what is left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_beyond_the_buffer_is_reported_incomplete() {
    let server = start_manual(|c| c.limits.buffer_samples = 100).await;
    server.hub.register("x", vec![]).unwrap();
    for k in 0..5 {
        publish_block(&server, 1, 1_000 + k * 50, 50);
    }
    let mut ws = connect(server.addr, "?format=binary&since=1020").await;
    let Some(Msg::Hello(hello)) = next_msg(&mut ws).await else {
        panic!()
    };
    assert_eq!(hello["resume"]["complete"], false);
    assert_eq!(hello["resume"]["replayed"], 100);
    assert!(matches!(next_msg(&mut ws).await, Some(Msg::Series(_))));
    let mut got = Received::default();
    let st = read_until(&mut ws, &mut got, |g| g.samples.len() >= 100).await;
    assert!(st.is_empty());
    let ts: Vec<i64> = got.samples.iter().map(|s| s.1).collect();
    assert_eq!(ts, (1_150..1_250).collect::<Vec<_>>());
    let Some(Msg::Status(s)) = next_msg(&mut ws).await else {
        panic!()
    };
    assert_eq!(
        (s.reason.as_str(), s.sent, s.oldest, s.newest),
        ("live", 100.0, Some(1150.0), Some(1249.0))
    );

    // since beyond everything: nothing replayed, complete.
    let mut ws = connect(server.addr, "?since=5000").await;
    let Some(Msg::Hello(hello)) = next_msg(&mut ws).await else {
        panic!()
    };
    assert_eq!(
        (
            hello["resume"]["complete"].as_bool(),
            hello["resume"]["replayed"].as_u64()
        ),
        (Some(true), Some(0))
    );
    server.shutdown().await;
}
