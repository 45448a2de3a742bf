//! A client that stops reading: its queue stays bounded, the server drops (oldest
//! first) instead of buffering, and the client is told how many samples it lost.

mod common;

use common::*;

async fn slow_client_is_bounded_and_told(format: &str) {
    const CAPACITY: usize = 2_000;
    const SERIES: u32 = 50;
    const PER: usize = 10; // 500-sample batches
    let server = start_manual(|c| {
        c.limits.client_queue_samples = CAPACITY;
        c.max_frame_samples = 500;
    })
    .await;
    for i in 0..SERIES {
        server.hub.register(&format!("s:{i}"), vec![]).unwrap();
    }
    let mut ws = connect_small_buffer(server.addr, &format!("?format={format}")).await;
    assert!(matches!(next_msg(&mut ws).await, Some(Msg::Hello(_))));
    assert!(matches!(next_msg(&mut ws).await, Some(Msg::Series(_))));

    // Stop reading; publish until the server reports drops for this client. The socket
    // buffers fill first (a few MB at most), then the queue, then drops begin.
    let mut published = 0usize;
    let mut t = 0i64;
    let mut blocks = 0;
    loop {
        publish_block(&server, SERIES, t, PER);
        t += PER as i64;
        published += SERIES as usize * PER;
        blocks += 1;
        let stats = server.hub.stats();
        let (_, q, _) = stats.clients[0];
        assert!(
            q.queued_samples as usize <= CAPACITY,
            "queue over its bound: {}",
            q.queued_samples
        );
        assert!(q.peak_queued_samples as usize <= CAPACITY);
        if q.dropped_samples > 0 && blocks % 50 == 0 {
            break;
        }
        assert!(
            blocks < 200_000,
            "no drops after {published} samples: is the queue bounded?"
        );
        if blocks % 64 == 0 {
            tokio::task::yield_now().await;
        }
    }
    // Keep going a little so drops happen while the client is still not reading.
    for _ in 0..20 {
        publish_block(&server, SERIES, t, PER);
        t += PER as i64;
        published += SERIES as usize * PER;
    }
    let info = get_json(server.addr, "/api/info").await;
    let client = &info["clients"][0];
    assert!(client["dropped"].as_u64().unwrap() > 0);
    assert!(client["peak_queued"].as_u64().unwrap() as usize <= CAPACITY);
    assert_eq!(client["queue_capacity"], CAPACITY);
    assert!(info["dropped_samples_total"].as_u64().unwrap() > 0);
    let server_dropped = server.hub.stats().clients[0].1.dropped_samples;

    // Now read: everything not dropped arrives, in order, then a status whose counts
    // add up to exactly what was published.
    let mut got = Received::default();
    let mut saw_drop_status = false;
    loop {
        match next_msg(&mut ws).await.expect("stream continues") {
            Msg::Samples { ids, ts, values } => got.add(&ids, &ts, &values),
            Msg::Status(s) => {
                assert!(s.queued <= CAPACITY as f64);
                assert_eq!(s.queue_capacity, CAPACITY as f64);
                saw_drop_status |= s.reason == "drops" && s.dropped > 0.0;
                if s.sent as usize == got.samples.len() && s.sent + s.dropped == published as f64 {
                    assert_eq!(
                        s.dropped as u64, server_dropped,
                        "reported drops = server's count"
                    );
                    break;
                }
            }
            m => panic!("unexpected {m:?}"),
        }
    }
    assert!(
        saw_drop_status,
        "a status with reason=drops was sent once the client read again"
    );
    assert!(got.samples.len() < published);
    // What arrived is in publish order, without duplicates (drops remove whole batches).
    let ts: Vec<i64> = got.samples.iter().map(|s| s.1).collect();
    assert!(ts.windows(2).all(|w| w[0] <= w[1]));
    let per = got.per_series();
    assert!(per.values().all(|v| v.windows(2).all(|w| w[0].0 < w[1].0)));
    // The newest data survived (drop-oldest policy).
    assert_eq!(got.max_ts(), Some(t - 1));
    close(ws).await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_client_is_bounded_and_told_binary() {
    slow_client_is_bounded_and_told("binary").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_client_is_bounded_and_told_json() {
    slow_client_is_bounded_and_told("json").await;
}

/// A slow client does not slow down or starve a fast one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_client_does_not_affect_others() {
    let server = start_manual(|c| c.limits.client_queue_samples = 1_000).await;
    server.hub.register("s", vec![]).unwrap();
    let mut slow = connect_small_buffer(server.addr, "?format=json").await;
    let mut fast = connect(server.addr, "?format=binary").await;
    for ws in [&mut fast] {
        assert!(matches!(next_msg(ws).await, Some(Msg::Hello(_))));
        assert!(matches!(next_msg(ws).await, Some(Msg::Series(_))));
    }
    let mut got = Received::default();
    // Publish until the slow client has dropped (its socket buffers, up to a few MB,
    // fill first), at least 200 batches; the fast client reads everything meanwhile.
    let slow_dropped = |server: &Server| {
        let stats = server.hub.stats();
        stats
            .clients
            .iter()
            .filter(|c| c.1.dropped_samples > 0)
            .count()
    };
    let mut t = 0i64;
    while t < 200_000 || slow_dropped(&server) == 0 {
        assert!(t < 50_000_000, "the slow client never dropped");
        publish_block(&server, 1, t, 1_000);
        t += 1_000;
        while got.samples.len() < t as usize {
            match next_msg(&mut fast).await.unwrap() {
                Msg::Samples { ids, ts, values } => got.add(&ids, &ts, &values),
                Msg::Status(s) => assert_eq!(s.dropped, 0.0),
                m => panic!("{m:?}"),
            }
        }
    }
    assert_eq!(
        got.samples.len(),
        t as usize,
        "the fast client got everything"
    );
    assert_eq!(slow_dropped(&server), 1, "only the slow client dropped");
    assert!(matches!(next_msg(&mut slow).await, Some(Msg::Hello(_))));
    server.shutdown().await;
}
