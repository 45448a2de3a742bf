//! The error tables in docs/semantics/errors-*.md, a test per row: every documented error text
//! must be the expected reply of at least one fixture case (tests/compat.rs replays them all
//! against the engine), or — for the extensions 1.12 cannot record — be produced by the engine
//! for the command given here. Rows that cannot arise in this engine are listed with the reason.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use serde_json::Value;
use tsdb_wasm::{execute, Engine, Reply};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/");

/// Texts that cannot occur here, and why.
const NOT_APPLICABLE: &[(&str, &str)] = &[
    ("WRONGTYPE Operation against a key holding the wrong kind of value", "the engine holds only series, so no key has another type"),
    (
        "TSDB: the number of AGGREGATION arguments must be equal to numkeys",
        "a reimplementation's variant; the engine answers with RedisTimeSeries' own text (tested)",
    ),
];

/// Extension texts (no 1.12 fixture): a command producing each, on the fleet of `setup`.
const EXTENSION_COMMANDS: &[(&str, &str)] = &[
    ("ERR wrong number of arguments for 'ts.querylabels' command", "TS.QUERYLABELS"),
    ("ERR TSDB: unknown subtype, must be one of LABELS|VALUES", "TS.QUERYLABELS KEYS"),
    ("ERR TSDB: unknown argument, expected FILTER", "TS.QUERYLABELS LABELS x=y"),
    ("ERR TSDB: FILTER given with no filter expressions", "TS.QUERYLABELS LABELS FILTER"),
    ("ERR TSDB: numkeys must be a positive integer", "TS.NRANGE 0 k - +"),
    ("ERR wrong number of arguments for 'ts.nrange' command", "TS.NRANGE 5 k - +"),
    ("ERR TSDB: the number of aggregators must be equal to numkeys", "TS.NRANGE 2 k k - + AGGREGATION avg 10"),
    ("ERR TSDB: EXCLUDEEMPTY is not allowed with GROUPBY", "TS.MRANGE - + EXCLUDEEMPTY FILTER a=b GROUPBY a REDUCE max"),
];

/// Error texts documented in the first column of every table row (backticked, `/`-separated,
/// with `(`'ts.revrange'`)`-style variants), normalised to full `ERR ...` texts where the table
/// omits the prefix. `<placeholders>` stay as they are.
fn documented() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in ["errors-write.md", "errors-query.md", "errors-multi.md"] {
        let text = std::fs::read_to_string(format!("{DIR}docs/semantics/{file}")).unwrap();
        for line in text.lines().filter(|l| l.starts_with("| `") || l.starts_with("| **")) {
            let first = line.split(" | ").next().unwrap_or_default();
            for (i, piece) in first.split('`').enumerate() {
                if i % 2 == 1 && piece.trim().len() > 4 && (piece.contains("TSDB") || piece.contains("ERR") || piece.contains("wrong number") || piece.contains("WRONGTYPE")) {
                    out.push((file.to_owned(), piece.replace("\\|", "|")));
                }
            }
        }
    }
    out
}

fn fixture_errors() -> BTreeSet<String> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::Object(o) => {
                if let Some(Value::String(e)) = o.get("error") {
                    out.insert(e.clone());
                }
                o.values().for_each(|x| walk(x, out));
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for f in std::fs::read_dir(format!("{DIR}tests/compat/fixtures")).unwrap() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(f.unwrap().path()).unwrap()).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            let fixed: Vec<usize> = case["fixed"].as_array().into_iter().flatten().map(|f| f["index"].as_u64().unwrap() as usize).collect();
            for (i, r) in case["replies"].as_array().unwrap().iter().enumerate() {
                if !fixed.contains(&i) {
                    walk(r, &mut out);
                }
            }
            walk(&case["fixed"], &mut out);
        }
    }
    out
}

/// Does `actual` match the documented `pattern` (`<...>` = any text, optional `ERR ` prefix)?
fn matches(pattern: &str, actual: &str) -> bool {
    let pattern = pattern.trim_end_matches(' ');
    let actual = actual.trim_end_matches(' ');
    let parts: Vec<&str> = pattern.split('<').map(|p| p.split_once('>').map_or(p, |(_, rest)| rest)).collect();
    let anchored = |text: &str| {
        let mut rest = text;
        for (i, part) in parts.iter().enumerate() {
            if i == 0 {
                match rest.strip_prefix(part) {
                    Some(r) => rest = r,
                    None => return false,
                }
            } else if let Some(pos) = rest.find(part) {
                rest = &rest[pos + part.len()..];
            } else {
                return false;
            }
        }
        rest.is_empty() || pattern.ends_with('>')
    };
    anchored(actual) || actual.strip_prefix("ERR ").is_some_and(anchored)
}

#[test]
fn every_documented_error_has_a_test() {
    let fixtures = fixture_errors();
    let mut engine = Engine::new();
    execute(&mut engine, "TS.CREATE k LABELS a b", 0);
    let mut missing = Vec::new();
    let rows = documented();
    assert!(rows.len() > 80, "only {} rows parsed", rows.len());
    for (file, pattern) in &rows {
        if fixtures.iter().any(|e| matches(pattern, e)) {
            continue;
        }
        if NOT_APPLICABLE.iter().any(|(t, _)| matches(pattern, t) || pattern.contains(t)) {
            continue;
        }
        if let Some((text, cmd)) = EXTENSION_COMMANDS.iter().find(|(t, _)| matches(pattern, t)) {
            match execute(&mut engine, cmd, 0) {
                Reply::Error(e) if e.message() == *text => continue,
                other => panic!("{file}: `{cmd}` should fail with {text:?}, got {other:?}"),
            }
        }
        missing.push(format!("{file}: {pattern}"));
    }
    assert!(missing.is_empty(), "documented errors without a test:\n{}", missing.join("\n"));
}
