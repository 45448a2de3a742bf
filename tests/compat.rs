//! Replays the fixtures recorded from a real RedisTimeSeries (tests/compat/record.py) against the
//! engine, through `command::execute`, and compares every reply.
//!
//! Doubles (RESP2 sends them as strings) are compared as numbers: equal, both NaN, or within a
//! relative 1e-12 (summation order may differ in the last bits). `fixed` entries replace the
//! recorded reply where RedisTimeSeries 1.12 has a known bug (../shared/DESIGN.md section 4).
//! `mask` names fields (in name/value arrays) whose values depend on the storage codec.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use tsdb_wasm::{execute, Engine, Reply};

fn to_json(r: &Reply) -> Value {
    match r {
        Reply::Integer(i) => Value::from(*i),
        Reply::Double(d) => Value::from(format!("{d:?}")),
        Reply::Str(s) => Value::from(s.clone()),
        Reply::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        Reply::Nil => Value::Null,
        Reply::Error(e) => serde_json::json!({ "error": e.message() }),
    }
}

fn parse_double(s: &str) -> Option<f64> {
    match s.to_ascii_lowercase().as_str() {
        "nan" | "-nan" => Some(f64::NAN),
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        l => l.parse().ok(),
    }
}

fn doubles_match(want: f64, got: f64) -> bool {
    if want.is_nan() || got.is_nan() {
        return want.is_nan() && got.is_nan();
    }
    if want == got {
        return want.is_sign_negative() == got.is_sign_negative() || want != 0.0;
    }
    (want - got).abs() <= 1e-12 * want.abs().max(got.abs())
}

/// Compares `got` with `want`; returns a description of the first difference.
fn diff(want: &Value, got: &Reply, mask: &[String]) -> Option<String> {
    match (want, got) {
        (Value::String(w), Reply::Double(g)) => match parse_double(w) {
            Some(wd) if doubles_match(wd, *g) => None,
            _ => Some(format!("want {w}, got double {g:?}")),
        },
        (Value::Array(w), Reply::Array(g)) => {
            if w.len() != g.len() {
                return Some(format!("want {} elements, got {}: want {want}, got {}", w.len(), g.len(), to_json(got)));
            }
            let mut skip_next = false;
            for (i, (wi, gi)) in w.iter().zip(g).enumerate() {
                if skip_next {
                    skip_next = false;
                    continue;
                }
                if let (Value::String(name), Reply::Str(gname)) = (wi, gi) {
                    if name == gname && mask.iter().any(|m| m == name) {
                        skip_next = true;
                        continue;
                    }
                }
                if let Some(d) = diff(wi, gi, mask) {
                    return Some(format!("[{i}] {d}"));
                }
            }
            None
        }
        _ => {
            let g = to_json(got);
            (want != &g).then(|| format!("want {want}, got {g}"))
        }
    }
}

#[test]
fn replay_fixtures() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/compat/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let (mut total, mut failures) = (0, Vec::new());
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let area = doc["area"].as_str().unwrap().to_owned();
        for case in doc["cases"].as_array().unwrap() {
            total += 1;
            let name = case["name"].as_str().unwrap();
            let mask: Vec<String> = case["mask"]
                .as_array()
                .map(|m| m.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default();
            let mut want: Vec<Value> = case["replies"].as_array().unwrap().clone();
            for fix in case["fixed"].as_array().into_iter().flatten() {
                want[fix["index"].as_u64().unwrap() as usize] = fix["reply"].clone();
            }
            let mut engine = Engine::new();
            for (i, cmd) in case["commands"].as_array().unwrap().iter().enumerate() {
                let cmd = cmd.as_str().unwrap();
                let got = execute(&mut engine, cmd, 1_700_000_000_000);
                if let Some(d) = diff(&want[i], &got, &mask) {
                    failures.push(format!("{area}/{name} #{i} `{cmd}`: {d}"));
                    break;
                }
            }
        }
    }
    assert!(total > 0, "no fixtures found in {dir}");
    assert!(failures.is_empty(), "{} of {total} cases differ:\n{}", failures.len(), failures.join("\n"));
    eprintln!("{total} fixture cases match");
}
