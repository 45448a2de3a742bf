//! Options objects of the typed API, deserialised strictly (unknown fields are errors) and
//! checked by the same validators as the command text.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use wasm_bindgen::{JsCast, JsValue};

use super::convert::invalid;
use crate::chunk::Encoding;
use crate::series::{validate_chunk_size, DuplicatePolicy, SeriesOptions};

/// Labels as a JS object, in insertion order.
#[derive(Debug, Default)]
pub struct Labels(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Labels;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of string label values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Labels, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, String>()? {
                    out.push((k, v));
                }
                Ok(Labels(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// IGNORE options.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IgnoreJs {
    max_time_diff: f64,
    max_val_diff: f64,
}

/// `create` / `add` options: see `CreateOptions` in the TypeScript declarations.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateOptionsJs {
    retention: Option<f64>,
    encoding: Option<String>,
    chunk_size: Option<f64>,
    duplicate_policy: Option<String>,
    ignore: Option<IgnoreJs>,
    labels: Option<Labels>,
    /// Only for `add`.
    on_duplicate: Option<String>,
}

fn non_negative_int(v: f64, what: &str) -> Result<u64, JsValue> {
    if v.is_finite() && v.fract() == 0.0 && v >= 0.0 && v <= super::convert::MAX_SAFE {
        Ok(v as u64)
    } else {
        Err(invalid(format!("ERR TSDB: invalid {what}: {v} is not a non-negative integer")))
    }
}

fn policy(s: &str, what: &str) -> Result<DuplicatePolicy, JsValue> {
    DuplicatePolicy::parse(s).ok_or_else(|| {
        invalid(format!("ERR TSDB: unknown {what} '{s}' (block, first, last, min, max or sum)"))
    })
}

/// Deserialises an options object (undefined / null = defaults) whose own keys must all be in
/// `known` (serde-wasm-bindgen reads only the fields it knows, so unknown ones are caught here).
pub fn from_js<T: Default + for<'de> Deserialize<'de>>(v: JsValue, known: &[&str]) -> Result<T, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    if !v.is_object() || js_sys::Array::is_array(&v) {
        return Err(invalid("ERR TSDB: invalid options: expected an object"));
    }
    let obj: &js_sys::Object = v.unchecked_ref();
    for key in js_sys::Object::keys(obj).iter() {
        let key = key.as_string().unwrap_or_default();
        if !known.contains(&key.as_str()) {
            return Err(invalid(format!(
                "ERR TSDB: invalid options: unknown field `{key}`, expected one of {}",
                known.join(", ")
            )));
        }
    }
    serde_wasm_bindgen::from_value(v).map_err(|e| invalid(format!("ERR TSDB: invalid options: {e}")))
}

/// Fields of `CreateOptions`.
pub const CREATE_FIELDS: &[&str] = &["retention", "encoding", "chunkSize", "duplicatePolicy", "ignore", "labels"];
/// Fields of `AddOptions`.
pub const ADD_FIELDS: &[&str] =
    &["retention", "encoding", "chunkSize", "duplicatePolicy", "ignore", "labels", "onDuplicate"];

impl CreateOptionsJs {
    /// The series options these stand for, validated. `allow_on_duplicate` is true for `add`.
    pub fn into_series_options(
        self,
        allow_on_duplicate: bool,
    ) -> Result<(SeriesOptions, Option<DuplicatePolicy>), JsValue> {
        let mut o = SeriesOptions::default();
        if let Some(r) = self.retention {
            o.retention_ms = non_negative_int(r, "retention")?;
        }
        if let Some(e) = self.encoding {
            o.encoding = match e.to_ascii_lowercase().as_str() {
                "compressed" => Encoding::Compressed,
                "uncompressed" => Encoding::Uncompressed,
                _ => return Err(invalid(format!("ERR TSDB: unknown encoding '{e}' (compressed or uncompressed)"))),
            };
        }
        if let Some(c) = self.chunk_size {
            let c = non_negative_int(c, "chunkSize")?;
            o.chunk_size = validate_chunk_size(c).map_err(|e| super::convert::js_error(&e))?;
        }
        if let Some(p) = self.duplicate_policy {
            o.duplicate_policy = Some(policy(&p, "duplicatePolicy")?);
        }
        if let Some(i) = self.ignore {
            o.ignore_max_time_diff = non_negative_int(i.max_time_diff, "ignore.maxTimeDiff")?;
            if !(i.max_val_diff >= 0.0 && i.max_val_diff.is_finite()) {
                return Err(invalid("ERR TSDB: invalid ignore.maxValDiff: must be a finite number >= 0"));
            }
            o.ignore_max_val_diff = i.max_val_diff;
        }
        if let Some(l) = self.labels {
            o.labels = l.0;
        }
        let on_dup = match self.on_duplicate {
            Some(_) if !allow_on_duplicate => {
                return Err(invalid("ERR TSDB: invalid options: unknown field `onDuplicate`"))
            }
            Some(p) => Some(policy(&p, "onDuplicate")?),
            None => None,
        };
        Ok((o, on_dup))
    }
}
