//! The query extensions beyond RedisTimeSeries 1.12 (docs/semantics/query.md §12), through the
//! command text: NaN samples ignored by aggregators, `countNaN` / `countAll`, comma-separated
//! aggregator lists, and the guard against EMPTY replies too large to build.
#![cfg(not(target_arch = "wasm32"))]

use tsdb_wasm::{execute, Engine, Reply};

fn run(db: &mut Engine, cmd: &str) -> Reply {
    execute(db, cmd, 0)
}

/// Rows as `(ts, [values])`; panics on anything else.
fn rows(r: Reply) -> Vec<(i64, Vec<f64>)> {
    let Reply::Array(rows) = r else { panic!("not an array: {r:?}") };
    rows.into_iter()
        .map(|row| {
            let Reply::Array(cells) = row else { panic!("not a row") };
            let Reply::Integer(t) = cells[0] else { panic!("no timestamp") };
            let vals =
                cells[1..].iter().map(|c| if let Reply::Double(d) = c { *d } else { panic!("not a double") }).collect();
            (t, vals)
        })
        .collect()
}

fn same(a: &[(i64, Vec<f64>)], b: &[(i64, Vec<f64>)]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.0 == y.0
                && x.1.len() == y.1.len()
                && x.1.iter().zip(&y.1).all(|(p, q)| p == q || (p.is_nan() && q.is_nan()))
        })
}

fn setup() -> Engine {
    let mut db = Engine::new();
    for cmd in [
        "TS.CREATE k",
        "TS.ADD k 1 2",
        "TS.ADD k 2 nan",
        "TS.ADD k 3 4",
        "TS.ADD k 11 nan",
        "TS.ADD k 12 NaN",
        "TS.ADD k 25 6",
    ] {
        assert!(!matches!(run(&mut db, cmd), Reply::Error(_)), "{cmd}");
    }
    db
}

#[test]
fn nan_samples_are_ignored_by_aggregators() {
    let mut db = setup();
    let nan = f64::NAN;
    let r = rows(run(&mut db, "TS.RANGE k - +"));
    assert_eq!(r.len(), 6, "raw ranges include NaN samples");
    assert!(r[1].1[0].is_nan());
    // Bucket 10 holds only NaN: not reported, and EMPTY fills it like a gap.
    let r = rows(run(&mut db, "TS.RANGE k - + AGGREGATION avg 10"));
    assert!(same(&r, &[(0, vec![3.0]), (20, vec![6.0])]), "{r:?}");
    let r = rows(run(&mut db, "TS.RANGE k - + AGGREGATION last 10 EMPTY"));
    assert!(same(&r, &[(0, vec![4.0]), (10, vec![4.0]), (20, vec![6.0])]), "{r:?}");
    let r = rows(run(&mut db, "TS.RANGE k - + AGGREGATION max 10 EMPTY"));
    assert!(same(&r, &[(0, vec![4.0]), (10, vec![nan]), (20, vec![6.0])]), "{r:?}");
    // twa skips NaN neighbours: the line from 3:4 to 25:6.
    let r = rows(run(&mut db, "TS.RANGE k 0 19 AGGREGATION twa 10"));
    assert_eq!(r.len(), 1);
    // FILTER_BY_VALUE drops NaN samples; its bounds may not be NaN.
    assert_eq!(rows(run(&mut db, "TS.RANGE k - + FILTER_BY_VALUE -100 100")).len(), 3);
    assert_eq!(
        run(&mut db, "TS.RANGE k - + FILTER_BY_VALUE nan 1"),
        Reply::Error(tsdb_wasm::Error::invalid("ERR TSDB: Couldn't parse MIN"))
    );
}

#[test]
fn count_nan_and_count_all() {
    let mut db = setup();
    let r = rows(run(&mut db, "TS.RANGE k - + AGGREGATION countNaN 10"));
    assert!(same(&r, &[(0, vec![1.0]), (10, vec![2.0]), (20, vec![0.0])]), "{r:?}");
    let r = rows(run(&mut db, "TS.REVRANGE k - + AGGREGATION COUNTALL 10"));
    assert!(same(&r, &[(20, vec![1.0]), (10, vec![2.0]), (0, vec![3.0])]), "{r:?}");
    let r = rows(run(&mut db, "TS.RANGE k - + AGGREGATION count 10 EMPTY"));
    assert!(same(&r, &[(0, vec![2.0]), (10, vec![0.0]), (20, vec![1.0])]), "{r:?}");
    // Rules take them too.
    for cmd in ["TS.CREATE n", "TS.CREATERULE k n AGGREGATION countNaN 10", "TS.ADD k 31 nan", "TS.ADD k 45 1"] {
        assert!(!matches!(run(&mut db, cmd), Reply::Error(_)), "{cmd}");
    }
    let r = rows(run(&mut db, "TS.RANGE n - + LATEST"));
    assert!(same(&r, &[(30, vec![1.0]), (40, vec![0.0])]), "{r:?}");
    assert_eq!(
        run(&mut db, "TS.CREATERULE k x AGGREGATION min,max 10"),
        Reply::Error(tsdb_wasm::Error::invalid("ERR TSDB: Unknown aggregation type"))
    );
}

#[test]
fn aggregator_lists_give_one_value_per_aggregator() {
    let mut db = setup();
    let nan = f64::NAN;
    let r = rows(run(&mut db, "TS.RANGE k - + AGGREGATION min,max,avg,countNaN 10"));
    assert!(
        same(&r, &[(0, vec![2.0, 4.0, 3.0, 1.0]), (10, vec![nan, nan, nan, 2.0]), (20, vec![6.0, 6.0, 6.0, 0.0])]),
        "{r:?}"
    );
    let fwd = rows(run(&mut db, "TS.RANGE k - + AGGREGATION first,last,sum 5 EMPTY BUCKETTIMESTAMP mid"));
    let mut rev = rows(run(&mut db, "TS.REVRANGE k - + AGGREGATION first,last,sum 5 EMPTY BUCKETTIMESTAMP mid"));
    rev.reverse();
    assert!(same(&fwd, &rev), "REVRANGE is RANGE reversed");
    assert_eq!(fwd[0], (2, vec![2.0, 4.0, 6.0]));
    // Buckets 5 and 10 (NaN only) are gaps: `last` carries 4.
    assert!(same(&fwd[1..3], &[(7, vec![nan, 4.0, 0.0]), (12, vec![nan, 4.0, 0.0])]), "{fwd:?}");
    let one = rows(run(&mut db, "TS.RANGE k - + AGGREGATION twa 10"));
    let list = rows(run(&mut db, "TS.RANGE k - + AGGREGATION twa,count 10"));
    assert_eq!(one[0].1[0], list[0].1[0]);
    assert_eq!(rows(run(&mut db, "TS.RANGE k - + AGGREGATION min,max 10 COUNT 1")).len(), 1);
    for bad in ["avg,", ",avg", "avg,,max", "avg;max", "avg,wavg"] {
        assert_eq!(
            run(&mut db, &format!("TS.RANGE k - + AGGREGATION {bad} 10")),
            Reply::Error(tsdb_wasm::Error::invalid("ERR TSDB: Unknown aggregation type")),
            "{bad}"
        );
    }
}

#[test]
fn huge_empty_replies_are_refused_not_built() {
    let mut db = Engine::new();
    run(&mut db, "TS.ADD k 0 1");
    run(&mut db, "TS.ADD k 1000000000000 2");
    let Reply::Error(e) = run(&mut db, "TS.RANGE k - + AGGREGATION sum 1 EMPTY") else { panic!("accepted") };
    assert!(e.message().contains("EMPTY would report more than"), "{}", e.message());
    // COUNT bounds the fill, so this one is fine.
    assert_eq!(rows(run(&mut db, "TS.RANGE k - + AGGREGATION sum 1 EMPTY COUNT 3")).len(), 3);
}

#[test]
fn extreme_durations_and_alignments_never_panic() {
    let mut db = Engine::new();
    for cmd in ["TS.ADD k 0 1", "TS.ADD k 5 nan", "TS.ADD k 7 2", "TS.ADD k 9223372036854775806 3"] {
        run(&mut db, cmd);
    }
    let max = i64::MAX;
    for agg in ["avg", "twa", "last", "count", "countNaN", "min,twa,sum"] {
        for d in [1, 2, 3, max / 2, max - 1, max] {
            for align in ["", "ALIGN 0", "ALIGN 5", "ALIGN 9223372036854775807", "ALIGN 9223372036854775806"] {
                for bt in ["-", "~", "+"] {
                    for range in [
                        "- +",
                        "0 9223372036854775807",
                        "6 9223372036854775806",
                        "9223372036854775807 9223372036854775807",
                    ] {
                        let cmd = format!(
                            "TS.RANGE k {range} AGGREGATION {agg} {d} BUCKETTIMESTAMP {bt} EMPTY {align} COUNT 50"
                        );
                        let _ = run(&mut db, &cmd);
                        let _ = run(&mut db, &cmd.replace("TS.RANGE", "TS.REVRANGE"));
                    }
                }
            }
        }
    }
    for cmd in ["TS.CREATE d", "TS.CREATERULE k d AGGREGATION twa 9223372036854775807 9223372036854775806"] {
        run(&mut db, cmd);
    }
    for cmd in
        ["TS.ADD k 9223372036854775807 4", "TS.ADD k 3 1", "TS.DEL k 0 9223372036854775807", "TS.RANGE d - + LATEST"]
    {
        let _ = run(&mut db, cmd);
    }
}
