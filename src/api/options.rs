//! Options objects of the typed API, deserialised strictly (unknown fields are errors) and
//! checked by the same validators as the command text.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use wasm_bindgen::{JsCast, JsValue};

use super::convert::{invalid, js_error};
use crate::chunk::Encoding;
use crate::engine::AlterOptions;
use crate::series::{validate_chunk_size, validate_labels, DuplicatePolicy, SeriesOptions};

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

impl IgnoreJs {
    fn parse(&self) -> Result<(u64, f64), JsValue> {
        let t = non_negative_int(self.max_time_diff, "ignore.maxTimeDiff")?;
        if self.max_val_diff.is_nan() || self.max_val_diff < 0.0 {
            return Err(invalid("ERR TSDB: IGNORE arguments cannot be negative"));
        }
        Ok((t, self.max_val_diff))
    }
}

/// `create` / `add` options: see `CreateOptions` / `AddOptions` in the TypeScript declarations.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateOptionsJs {
    #[serde(flatten)]
    create: CreateFieldsJs,
    /// Only for `add`.
    on_duplicate: Option<String>,
}

/// `alter` options: see `AlterOptions` in the TypeScript declarations.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlterOptionsJs {
    retention: Option<f64>,
    chunk_size: Option<f64>,
    duplicate_policy: Option<String>,
    ignore: Option<IgnoreJs>,
    labels: Option<Labels>,
}

/// `incrBy` / `decrBy` options: see `IncrByOptions` in the TypeScript declarations.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IncrOptionsJs {
    timestamp: Option<f64>,
    #[serde(flatten)]
    create: CreateFieldsJs,
}

/// The series fields shared by every options object.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateFieldsJs {
    retention: Option<f64>,
    encoding: Option<String>,
    chunk_size: Option<f64>,
    duplicate_policy: Option<String>,
    ignore: Option<IgnoreJs>,
    labels: Option<Labels>,
}

fn non_negative_int(v: f64, what: &str) -> Result<u64, JsValue> {
    if v.is_finite() && v.fract() == 0.0 && (0.0..=super::convert::MAX_SAFE).contains(&v) {
        Ok(v as u64)
    } else {
        Err(invalid(format!("ERR TSDB: invalid {what}: {v} is not a non-negative integer")))
    }
}

fn policy(s: &str, what: &str) -> Result<DuplicatePolicy, JsValue> {
    DuplicatePolicy::parse(s).ok_or_else(|| {
        invalid(format!("ERR TSDB: Unknown DUPLICATE_POLICY '{s}' for {what} (block, first, last, min, max or sum)"))
    })
}

fn chunk_size(c: f64) -> Result<usize, JsValue> {
    let c = non_negative_int(c, "chunkSize")?;
    validate_chunk_size(c).map_err(|e| js_error(&e))
}

fn labels(l: Labels) -> Result<Vec<(String, String)>, JsValue> {
    validate_labels(&l.0).map_err(|e| js_error(&e))?;
    Ok(l.0)
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
/// Fields of `AlterOptions`.
pub const ALTER_FIELDS: &[&str] = &["retention", "chunkSize", "duplicatePolicy", "ignore", "labels"];
/// Fields of `IncrByOptions`.
pub const INCR_FIELDS: &[&str] =
    &["timestamp", "retention", "encoding", "chunkSize", "duplicatePolicy", "ignore", "labels"];

impl CreateFieldsJs {
    fn into_series_options(self) -> Result<SeriesOptions, JsValue> {
        let mut o = SeriesOptions::default();
        if let Some(r) = self.retention {
            o.retention_ms = non_negative_int(r, "retention")?;
        }
        if let Some(e) = self.encoding {
            o.encoding = match e.to_ascii_lowercase().as_str() {
                "compressed" => Encoding::Compressed,
                "uncompressed" => Encoding::Uncompressed,
                _ => return Err(invalid(format!("ERR TSDB: unknown ENCODING parameter '{e}' (compressed or uncompressed)"))),
            };
        }
        if let Some(c) = self.chunk_size {
            o.chunk_size = chunk_size(c)?;
        }
        if let Some(p) = self.duplicate_policy {
            o.duplicate_policy = Some(policy(&p, "duplicatePolicy")?);
        }
        if let Some(i) = self.ignore {
            (o.ignore_max_time_diff, o.ignore_max_val_diff) = i.parse()?;
        }
        if let Some(l) = self.labels {
            o.labels = labels(l)?;
        }
        Ok(o)
    }
}

impl CreateOptionsJs {
    /// The series options these stand for, validated. `allow_on_duplicate` is true for `add`.
    pub fn into_series_options(
        self,
        allow_on_duplicate: bool,
    ) -> Result<(SeriesOptions, Option<DuplicatePolicy>), JsValue> {
        let on_dup = match self.on_duplicate {
            Some(_) if !allow_on_duplicate => {
                return Err(invalid("ERR TSDB: invalid options: unknown field `onDuplicate`"))
            }
            Some(p) => Some(policy(&p, "onDuplicate")?),
            None => None,
        };
        Ok((self.create.into_series_options()?, on_dup))
    }
}

impl AlterOptionsJs {
    /// The TS.ALTER changes, validated.
    pub fn into_alter(self) -> Result<AlterOptions, JsValue> {
        Ok(AlterOptions {
            retention_ms: self.retention.map(|r| non_negative_int(r, "retention")).transpose()?,
            chunk_size: self.chunk_size.map(chunk_size).transpose()?,
            duplicate_policy: self.duplicate_policy.map(|p| policy(&p, "duplicatePolicy")).transpose()?,
            ignore: self.ignore.map(|i| i.parse()).transpose()?,
            labels: self.labels.map(labels).transpose()?,
        })
    }
}

impl IncrOptionsJs {
    /// The timestamp (None = now) and the options of a series this creates.
    pub fn into_parts(self) -> Result<(Option<i64>, SeriesOptions), JsValue> {
        let ts = self.timestamp.map(|t| super::convert::timestamp(t, "timestamp")).transpose()?;
        Ok((ts, self.create.into_series_options()?))
    }
}
