//! Conversions between engine values and JS values. Nothing here panics.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::command::Reply;
use crate::error::{Error, ErrorKind};

/// A JS `Error` carrying the engine's message, with `kind` naming what the caller does next.
pub fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(e.message());
    let kind = match e.kind() {
        ErrorKind::InvalidArgument => "InvalidArgument",
        ErrorKind::NotFound => "NotFound",
        ErrorKind::AlreadyExists => "AlreadyExists",
        ErrorKind::Rejected => "Rejected",
        ErrorKind::Corrupt => "Corrupt",
    };
    let _ = Reflect::set(&err, &"kind".into(), &kind.into());
    err.into()
}

/// A JS `Error` for a bad argument of the typed API.
pub fn invalid(msg: impl Into<String>) -> JsValue {
    js_error(&Error::invalid(msg.into()))
}

/// Converts engine results to `Result<T, JsValue>`.
pub trait OrJs<T> {
    /// Maps the engine error to a JS `Error`.
    fn or_js(self) -> Result<T, JsValue>;
}

impl<T> OrJs<T> for crate::error::Result<T> {
    fn or_js(self) -> Result<T, JsValue> {
        self.map_err(|e| js_error(&e))
    }
}

/// A reply as JS values: numbers, strings, arrays, null; errors inside arrays become `Error`
/// objects. A top-level error is returned as `Err` (thrown).
pub fn reply_to_js(r: Reply) -> Result<JsValue, JsValue> {
    match r {
        Reply::Error(e) => Err(js_error(&e)),
        other => Ok(reply_value(other)),
    }
}

fn reply_value(r: Reply) -> JsValue {
    match r {
        Reply::Integer(i) => JsValue::from_f64(i as f64),
        Reply::Double(d) => JsValue::from_f64(d),
        Reply::Str(s) => JsValue::from_str(&s),
        Reply::Nil => JsValue::NULL,
        Reply::Error(e) => js_error(&e),
        Reply::Array(items) if items.len() > 1 && items.iter().all(|r| matches!(r, Reply::Str(_))) => strings(
            items.iter().map(|r| match r {
                Reply::Str(s) => s.as_str(),
                _ => "",
            }),
        )
        .into(),
        Reply::Array(items) => {
            let arr = Array::new_with_length(items.len() as u32);
            for (i, item) in items.into_iter().enumerate() {
                arr.set(i as u32, reply_value(item));
            }
            arr.into()
        }
    }
}

/// JS strings from Rust ones, for lists (keys, label values): joined with a separator no item
/// contains, decoded once and split by JS, two boundary calls for the whole list. Converting
/// each on its own costs a `TextDecoder` call and an array store from wasm apiece (about
/// 0.45 µs: 1.2 ms for the 2668 keys of the label benchmark).
pub fn strings<'a>(items: impl IntoIterator<Item = &'a str> + Clone) -> Array {
    const SEPARATORS: [char; 4] = ['\u{1f}', '\u{1e}', '\u{0}', '\u{fdd0}'];
    let Some(sep) = SEPARATORS
        .into_iter()
        .find(|&c| !items.clone().into_iter().any(|s| s.contains(c)))
    else {
        // Every separator occurs in some item: one conversion apiece.
        return items.into_iter().map(JsValue::from_str).collect();
    };
    let mut all = String::new();
    let mut n = 0usize;
    for s in items {
        if n > 0 {
            all.push(sep);
        }
        all.push_str(s);
        n += 1;
    }
    if n == 0 {
        return Array::new();
    }
    js_sys::JsString::from(all.as_str()).split(sep.encode_utf8(&mut [0; 4]))
}

/// Largest integer a JS number holds exactly.
pub const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// A timestamp from a JS number: an integer in [0, 2^53).
pub fn timestamp(v: f64, what: &str) -> Result<i64, JsValue> {
    if v.is_finite() && v.fract() == 0.0 && (0.0..=MAX_SAFE).contains(&v) {
        Ok(v as i64)
    } else {
        Err(invalid(format!("ERR TSDB: invalid {what}: {v} is not an integer in [0, 2^53)")))
    }
}

/// A range bound: a number, or "-" / "+" (or undefined for the open end).
pub fn bound(v: &JsValue, open: i64, what: &str) -> Result<i64, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(open);
    }
    if let Some(s) = v.as_string() {
        return match s.as_str() {
            "-" => Ok(0),
            "+" => Ok(i64::MAX),
            _ => Err(invalid(format!("ERR TSDB: invalid {what}: expected a number, \"-\" or \"+\""))),
        };
    }
    match v.as_f64() {
        Some(f) if f == f64::INFINITY => Ok(i64::MAX),
        Some(f) if f == f64::NEG_INFINITY => Ok(0),
        Some(f) => timestamp(f, what),
        None => Err(invalid(format!("ERR TSDB: invalid {what}: expected a number, \"-\" or \"+\""))),
    }
}

/// Timestamps from JS numbers, each an integer in [0, 2^53).
///
/// Why fast: the check is a branch-free range test per sample; the error message is built only
/// for the first bad timestamp (formatting one per sample was most of `addMany`'s time).
pub fn timestamps(ts: &[f64]) -> Result<Vec<i64>, JsValue> {
    let ok = |t: f64| t.fract() == 0.0 && (0.0..=MAX_SAFE).contains(&t);
    if let Some(i) = ts.iter().position(|&t| !ok(t)) {
        return Err(timestamp(ts[i], &format!("timestamp at index {i}")).err().unwrap_or(JsValue::NULL));
    }
    Ok(ts.iter().map(|&t| t as i64).collect())
}

/// A sample value from JS: any number but ±Infinity (TS.ADD's rule; NaN is a value).
pub fn value(v: f64) -> Result<f64, JsValue> {
    if v.is_infinite() {
        Err(js_error(&Error::invalid_value()))
    } else {
        Ok(v)
    }
}

/// Sets `obj[key] = value`.
pub fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

/// `{ timestamp, value }` or null.
pub fn sample(s: Option<(i64, f64)>) -> JsValue {
    match s {
        None => JsValue::NULL,
        Some((t, v)) => {
            let o = Object::new();
            set(&o, "timestamp", t as f64);
            set(&o, "value", v);
            o.into()
        }
    }
}

/// Labels as a plain object (the first value of a repeated name wins).
pub fn labels(labels: &[(String, String)]) -> Object {
    let o = Object::new();
    for (k, v) in labels.iter().rev() {
        set(&o, k, v.as_str());
    }
    o
}
