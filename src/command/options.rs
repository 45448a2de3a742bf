//! Series options shared by TS.CREATE, TS.ALTER, TS.ADD, TS.INCRBY and TS.DECRBY.
//!
//! RedisTimeSeries does not parse these left to right: each keyword is looked up in the whole
//! argument list (the key and positional arguments included) and the first case-insensitive match
//! wins; the value(s) right after it are read. Unknown words are ignored. The checks run in a
//! fixed order (LABELS, RETENTION, CHUNK_SIZE, ENCODING, DUPLICATE_POLICY, IGNORE) and the first
//! failure answers (docs/semantics/write.md §1).

use super::args::{parse_i64, parse_redis_double};
use super::Ctx;
use crate::chunk::Encoding;
use crate::engine::AlterOptions;
use crate::error::{Error, Result};
use crate::series::{validate_chunk_size, validate_labels, DuplicatePolicy, SeriesOptions};

/// Index of the first argument equal to `kw` (ASCII case-insensitive).
pub fn find(args: &[String], kw: &str) -> Option<usize> {
    args.iter().position(|a| a.eq_ignore_ascii_case(kw))
}

/// The argument after keyword `kw`: `None` when the keyword is absent, `Some(None)` when it is
/// the last argument.
pub fn value_of<'a>(args: &'a [String], kw: &str) -> Option<Option<&'a str>> {
    find(args, kw).map(|i| args.get(i + 1).map(String::as_str))
}

/// The create options present in a command; `None` = keyword absent.
#[derive(Debug, Default)]
pub struct CreateArgs {
    pub labels: Option<Vec<(String, String)>>,
    pub retention_ms: Option<u64>,
    pub chunk_size: Option<usize>,
    pub encoding: Option<Encoding>,
    pub duplicate_policy: Option<DuplicatePolicy>,
    pub ignore: Option<(u64, f64)>,
}

/// Parses DUPLICATE_POLICY / ON_DUPLICATE's value.
pub fn parse_policy(v: Option<&str>) -> Result<DuplicatePolicy> {
    let v = v.ok_or_else(|| Error::invalid("ERR TSDB: Couldn't parse DUPLICATE_POLICY"))?;
    DuplicatePolicy::parse(v).ok_or_else(|| Error::invalid("ERR TSDB: Unknown DUPLICATE_POLICY"))
}

/// Parses the create options of `ctx.args` in RedisTimeSeries' order.
pub fn parse_create_args(ctx: &Ctx) -> Result<CreateArgs> {
    let args = ctx.args;
    let mut out = CreateArgs::default();
    if let Some(i) = find(args, "LABELS") {
        let labels: Vec<(String, String)> =
            args[i + 1..].chunks_exact(2).map(|p| (p[0].clone(), p[1].clone())).collect();
        validate_labels(&labels)?;
        out.labels = Some(labels);
    }
    if let Some(v) = value_of(args, "RETENTION") {
        let r = v.and_then(parse_i64).ok_or_else(|| Error::invalid("ERR TSDB: Couldn't parse RETENTION"))?;
        if r < 0 {
            return Err(Error::invalid("TSDB: Couldn't parse RETENTION"));
        }
        out.retention_ms = Some(r as u64);
    }
    if let Some(v) = value_of(args, "CHUNK_SIZE") {
        let c = v.and_then(parse_i64).ok_or_else(|| Error::invalid("ERR TSDB: Couldn't parse CHUNK_SIZE"))?;
        out.chunk_size = Some(validate_chunk_size(u64::try_from(c).unwrap_or(1))?);
    }
    match value_of(args, "ENCODING") {
        Some(None) => return Err(ctx.arity()),
        Some(Some(v)) if v.eq_ignore_ascii_case("compressed") => out.encoding = Some(Encoding::Compressed),
        Some(Some(v)) if v.eq_ignore_ascii_case("uncompressed") => out.encoding = Some(Encoding::Uncompressed),
        Some(Some(_)) => return Err(Error::invalid("ERR TSDB: unknown ENCODING parameter")),
        None if find(args, "UNCOMPRESSED").is_some() => out.encoding = Some(Encoding::Uncompressed),
        None => {}
    }
    if let Some(v) = value_of(args, "DUPLICATE_POLICY") {
        out.duplicate_policy = Some(parse_policy(v)?);
    }
    if let Some(i) = find(args, "IGNORE") {
        let bad = || Error::invalid("ERR TSDB: Couldn't parse IGNORE");
        let t = args.get(i + 1).and_then(|s| parse_i64(s)).ok_or_else(bad)?;
        let v = args.get(i + 2).and_then(|s| parse_redis_double(s)).ok_or_else(bad)?;
        if t < 0 || v < 0.0 {
            return Err(Error::invalid("ERR TSDB: IGNORE arguments cannot be negative"));
        }
        out.ignore = Some((t as u64, v));
    }
    Ok(out)
}

impl CreateArgs {
    /// The options of a new series.
    pub fn into_series_options(self) -> SeriesOptions {
        let mut o = SeriesOptions::default();
        if let Some(l) = self.labels {
            o.labels = l;
        }
        if let Some(r) = self.retention_ms {
            o.retention_ms = r;
        }
        if let Some(c) = self.chunk_size {
            o.chunk_size = c;
        }
        if let Some(e) = self.encoding {
            o.encoding = e;
        }
        o.duplicate_policy = self.duplicate_policy;
        if let Some((t, v)) = self.ignore {
            o.ignore_max_time_diff = t;
            o.ignore_max_val_diff = v;
        }
        o
    }

    /// The changes of TS.ALTER (ENCODING is validated but cannot be altered).
    pub fn into_alter(self) -> AlterOptions {
        AlterOptions {
            retention_ms: self.retention_ms,
            chunk_size: self.chunk_size,
            duplicate_policy: self.duplicate_policy,
            ignore: self.ignore,
            labels: self.labels,
        }
    }
}
