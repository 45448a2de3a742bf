//! The command layer never panics: random commands built from every keyword, odd numbers and
//! junk, run against a database holding series, rules and labels. A panic inside wasm would
//! abort the instance and lose every series, so every input must end in a reply or an error.
#![cfg(not(target_arch = "wasm32"))]

use tsdb_wasm::{execute, Engine, Reply};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const COMMANDS: &[&str] = &[
    "TS.CREATE", "TS.ALTER", "TS.ADD", "TS.MADD", "TS.INCRBY", "TS.DECRBY", "TS.DEL", "TS.GET", "TS.MGET",
    "TS.RANGE", "TS.REVRANGE", "TS.MRANGE", "TS.MREVRANGE", "TS.NRANGE", "TS.NREVRANGE", "TS.INFO",
    "TS.QUERYINDEX", "TS.QUERYLABELS", "TS.CREATERULE", "TS.DELETERULE", "DEL", "EXISTS", "TYPE", "KEYS",
    "RENAME", "FLUSHALL",
];
const WORDS: &[&str] = &[
    "a", "b", "src", "dst", "k", "-", "+", "*", "0", "1", "-1", "10", "100", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "1.5", "nan", "inf", "1e308", "1e-320", "0x10", "", "x=1",
    "x!=1", "x=", "x!=", "x=(1,2)", "x!=(1,2)", "x=()", "=", "(", ")", "\"a b\"", "RETENTION", "CHUNK_SIZE",
    "ENCODING", "COMPRESSED", "UNCOMPRESSED", "DUPLICATE_POLICY", "ON_DUPLICATE", "LAST", "SUM", "BLOCK",
    "IGNORE", "LABELS", "TIMESTAMP", "LATEST", "FILTER_BY_TS", "FILTER_BY_VALUE", "COUNT", "ALIGN", "start",
    "end", "AGGREGATION", "avg", "twa", "std.s", "countNaN", "min,max", "m4", "BUCKETTIMESTAMP", "mid", "~",
    "EMPTY", "WITHLABELS", "SELECTED_LABELS", "FILTER", "GROUPBY", "REDUCE", "max", "EXCLUDEEMPTY", "DEBUG",
    "VALUES", "2", "3", "48", "47", "4096",
];

fn fresh() -> Engine {
    let mut e = Engine::new();
    for c in [
        "TS.CREATE src RETENTION 1000 LABELS x 1 y 2",
        "TS.CREATE dst LABELS x 2",
        "TS.CREATERULE src dst AGGREGATION twa 10",
        "TS.CREATE k ENCODING UNCOMPRESSED CHUNK_SIZE 48 DUPLICATE_POLICY SUM LABELS x 1",
        "TS.MADD src 1 1 src 5 nan src 12 3 k 1 1 k 2 2 k 3 3 k 4 4",
    ] {
        execute(&mut e, c, 0);
    }
    e
}

#[test]
fn random_commands_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut engine = fresh();
    for i in 0..60_000u32 {
        if i % 5000 == 0 {
            engine = fresh();
        }
        let mut line = rng.pick(COMMANDS).to_owned();
        for _ in 0..(rng.next() % 14) {
            line.push(' ');
            line.push_str(rng.pick(WORDS));
        }
        let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| execute(&mut engine, &line, 1_000)));
        match reply {
            Ok(Reply::Error(e)) => assert!(!e.message().is_empty(), "{line}"),
            Ok(_) => {}
            Err(_) => panic!("panicked on: {line}"),
        }
    }
}
