//! Commands and options of later RedisTimeSeries releases that 1.12 lacks (so no recorded
//! fixtures): TS.QUERYLABELS, TS.NRANGE / TS.NREVRANGE, EXCLUDEEMPTY, countNaN / countAll reducers,
//! aggregator lists in TS.MRANGE. Exact replies, written from docs/semantics/multi.md §9.
#![cfg(not(target_arch = "wasm32"))]

use tsdb_wasm::{execute, Engine, Reply};

fn run(e: &mut Engine, cmd: &str) -> Reply {
    execute(e, cmd, 0)
}

fn s(v: &str) -> Reply {
    Reply::Str(v.into())
}
fn i(v: i64) -> Reply {
    Reply::Integer(v)
}
fn d(v: f64) -> Reply {
    Reply::Double(v)
}
fn a(v: Vec<Reply>) -> Reply {
    Reply::Array(v)
}
fn err(e: &Reply) -> String {
    match e {
        Reply::Error(e) => e.message().to_owned(),
        other => panic!("expected an error, got {other:?}"),
    }
}

fn fleet() -> Engine {
    let mut e = Engine::new();
    for c in [
        "TS.CREATE cpu:a LABELS metric cpu host a region eu",
        "TS.CREATE cpu:b LABELS metric cpu host b region us",
        "TS.CREATE mem:a LABELS metric mem host a region eu",
        "TS.CREATE idle LABELS metric cpu host c region ap",
        "TS.MADD cpu:a 10 1 cpu:a 20 nan cpu:b 10 5 cpu:b 30 7 mem:a 10 100",
    ] {
        assert!(!matches!(run(&mut e, c), Reply::Error(_)), "{c}");
    }
    e
}

#[test]
fn querylabels_lists_names_and_values() {
    let mut e = fleet();
    assert_eq!(run(&mut e, "TS.QUERYLABELS LABELS"), a(vec![s("host"), s("metric"), s("region")]));
    assert_eq!(run(&mut e, "TS.QUERYLABELS VALUES host"), a(vec![s("a"), s("b"), s("c")]));
    assert_eq!(run(&mut e, "TS.QUERYLABELS values region FILTER metric=cpu host!=c"), a(vec![s("eu"), s("us")]));
    assert_eq!(run(&mut e, "TS.QUERYLABELS VALUES nope"), a(vec![]));
    assert_eq!(err(&run(&mut e, "TS.QUERYLABELS")), "ERR wrong number of arguments for 'ts.querylabels' command");
    assert_eq!(err(&run(&mut e, "TS.QUERYLABELS VALUES")), "ERR wrong number of arguments for 'ts.querylabels' command");
    assert_eq!(err(&run(&mut e, "TS.QUERYLABELS KEYS")), "ERR TSDB: unknown subtype, must be one of LABELS|VALUES");
    assert_eq!(err(&run(&mut e, "TS.QUERYLABELS LABELS WHERE x=y")), "ERR TSDB: unknown argument, expected FILTER");
    assert_eq!(err(&run(&mut e, "TS.QUERYLABELS LABELS FILTER")), "ERR TSDB: FILTER given with no filter expressions");
    assert_eq!(err(&run(&mut e, "TS.QUERYLABELS LABELS FILTER host!=a")), "ERR TSDB: please provide at least one matcher");
}

#[test]
fn nrange_joins_keys_by_timestamp() {
    let mut e = fleet();
    let nan = f64::NAN;
    let want = a(vec![
        a(vec![i(10), a(vec![d(1.0), d(5.0)])]),
        a(vec![i(20), a(vec![d(nan), d(nan)])]),
        a(vec![i(30), a(vec![d(nan), d(7.0)])]),
    ]);
    let got = run(&mut e, "TS.NRANGE 2 cpu:a cpu:b - +");
    assert_eq!(format!("{got:?}"), format!("{want:?}"));
    let got = run(&mut e, "TS.NREVRANGE 2 cpu:a cpu:b - + COUNT 1");
    let want = a(vec![a(vec![i(30), a(vec![d(nan), d(7.0)])])]);
    assert_eq!(format!("{got:?}"), format!("{want:?}"));
    // One aggregator operand per key; a list gives that key one value per aggregator.
    let got = run(&mut e, "TS.NRANGE 2 cpu:b mem:a 0 100 AGGREGATION max,min sum 100");
    assert_eq!(got, a(vec![a(vec![i(0), a(vec![d(7.0), d(5.0), d(100.0)])])]));
    assert_eq!(err(&run(&mut e, "TS.NRANGE 0 cpu:a - +")), "ERR TSDB: numkeys must be a positive integer");
    assert_eq!(err(&run(&mut e, "TS.NRANGE 3 cpu:a - +")), "ERR wrong number of arguments for 'ts.nrange' command");
    assert_eq!(err(&run(&mut e, "TS.NRANGE 2 cpu:a cpu:b - + AGGREGATION avg 10")), "ERR TSDB: the number of aggregators must be equal to numkeys");
    assert_eq!(err(&run(&mut e, "TS.NRANGE 1 nope - +")), "ERR TSDB: the key does not exist");
}

#[test]
fn exclude_empty_drops_series_without_samples() {
    let mut e = fleet();
    let got = run(&mut e, "TS.MRANGE 0 15 EXCLUDEEMPTY FILTER metric=cpu");
    let keys: Vec<String> = match got {
        Reply::Array(rows) => rows.into_iter().map(|r| match r {
            Reply::Array(v) => match &v[0] { Reply::Str(k) => k.clone(), _ => panic!() },
            _ => panic!(),
        }).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(keys, ["cpu:a", "cpu:b"]);
    let without = run(&mut e, "TS.MRANGE 0 15 FILTER metric=cpu");
    assert!(matches!(without, Reply::Array(ref v) if v.len() == 3));
    assert_eq!(err(&run(&mut e, "TS.MRANGE - + EXCLUDEEMPTY FILTER metric=cpu GROUPBY region REDUCE max")), "ERR TSDB: EXCLUDEEMPTY is not allowed with GROUPBY");
}

#[test]
fn count_nan_and_count_all_reducers() {
    let mut e = fleet();
    run(&mut e, "TS.ADD cpu:b 20 nan");
    // At t=20 both cpu series hold NaN: count 0, countNaN 2, countAll 2.
    for (reducer, want) in [("count", [2.0, 0.0, 1.0]), ("countNaN", [0.0, 2.0, 0.0]), ("countall", [2.0, 2.0, 1.0])] {
        let got = run(&mut e, &format!("TS.MRANGE - + FILTER metric=cpu host!=c GROUPBY metric REDUCE {reducer}"));
        let Reply::Array(groups) = got else { panic!("{reducer}: {got:?}") };
        let Reply::Array(g) = &groups[0] else { panic!() };
        let label = reducer.to_ascii_lowercase();
        assert_eq!(g[1], a(vec![]));
        let Reply::Array(rows) = &g[2] else { panic!() };
        let vals: Vec<f64> = rows.iter().map(|r| match r { Reply::Array(r) => match r[1] { Reply::Double(v) => v, _ => panic!() }, _ => panic!() }).collect();
        assert_eq!(vals, want, "{reducer}");
        let with = run(&mut e, &format!("TS.MRANGE - + WITHLABELS FILTER metric=cpu host!=c GROUPBY metric REDUCE {reducer}"));
        assert!(format!("{with:?}").contains(&format!("Str(\"__reducer__\"), Str(\"{label}\")")), "{with:?}");
    }
}

#[test]
fn aggregator_lists_in_mrange() {
    let mut e = fleet();
    let got = run(&mut e, "TS.MRANGE 0 100 AGGREGATION min,max,count 100 FILTER metric=cpu host=b");
    assert_eq!(got, a(vec![a(vec![s("cpu:b"), a(vec![]), a(vec![a(vec![i(0), d(5.0), d(7.0), d(2.0)])])])]));
    assert_eq!(
        err(&run(&mut e, "TS.MRANGE 0 100 AGGREGATION min,max 100 FILTER metric=cpu GROUPBY region REDUCE max")),
        "ERR TSDB: GROUPBY is not allowed when multiple aggregators are specified"
    );
}
