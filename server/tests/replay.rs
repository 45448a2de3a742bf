//! CSV replay end to end: a real dataset from bench/data streamed over /ws.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::*;
use tsdb_server::{ReplayConfig, ReplayTime, Speed};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replays_a_real_dataset_in_order_with_its_values() {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../bench/data/seattle_weather_hourly_normals.csv"
    ));
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not present", path.display());
        return;
    };
    // The first rows of the temperature column, straight from the file.
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "temperature").unwrap();
    let want: Vec<f64> = text
        .lines()
        .skip(1)
        .take(200)
        .map(|l| l.split(',').nth(col).unwrap().parse().unwrap())
        .collect();

    let mut cfg = Config::ephemeral();
    cfg.source = SourceConfig::Replay(ReplayConfig {
        path,
        speed: Speed::Auto(4.0),
        time: ReplayTime::Live,
        looping: false,
        time_column: None,
    });
    cfg.tick = Duration::from_millis(10);
    let server = start(cfg).await;
    let mut ws = connect(server.addr, "?format=binary&since=0").await;
    let Some(Msg::Hello(hello)) = next_msg(&mut ws).await else {
        panic!()
    };
    assert_eq!(hello["mode"], "replay");
    let Some(Msg::Series(series)) = next_msg(&mut ws).await else {
        panic!()
    };
    let keys: Vec<&str> = series.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "pressure:seattle_weather_hourly_normals",
            "temperature:seattle_weather_hourly_normals",
            "wind:seattle_weather_hourly_normals"
        ]
    );
    let temp = &series[1];
    assert!(temp
        .labels
        .contains(&("metric".into(), "temperature".into())));
    assert!(temp
        .labels
        .contains(&("source".into(), "seattle_weather_hourly_normals".into())));

    let mut got = Received::default();
    while got.per_series().get(&temp.id).map_or(0, |v| v.len()) < want.len() {
        if let Msg::Samples { ids, ts, values } = next_msg(&mut ws).await.unwrap() {
            got.add(&ids, &ts, &values);
        }
    }
    let per = got.per_series();
    let temps: Vec<f64> = per[&temp.id].iter().map(|s| s.1).take(want.len()).collect();
    assert_eq!(temps, want, "values replayed exactly, in file order");
    let session = hello["session"].as_i64().unwrap();
    for v in per.values() {
        assert!(v.windows(2).all(|w| w[0].0 < w[1].0), "timestamps rise");
        assert!(
            v[0].0 >= session,
            "live timestamps start at the server's start"
        );
    }
    server.shutdown().await;
}
