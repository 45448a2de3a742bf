//! Write commands: TS.CREATE, TS.ADD.

use super::args::{parse_i64, parse_value};
use super::options::parse_create_options;
use super::{Ctx, Reply};
use crate::engine::{AddOptions, Engine};
use crate::error::{Error, Result};
use crate::series::{DuplicatePolicy, SeriesOptions};

/// `TS.CREATE key [options]`
pub fn create(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    let (key, rest) = ctx.args.split_first().ok_or_else(|| ctx.arity())?;
    let mut opts = SeriesOptions::default();
    parse_create_options(rest, &mut opts, |_, _| Ok(0))?;
    engine.create(key, opts)?;
    Ok(Reply::ok())
}

/// Parses a TS.ADD-style timestamp: `*` (now) or a non-negative integer.
pub fn parse_add_timestamp(s: &str, now_ms: i64) -> Result<i64> {
    if s == "*" {
        return Ok(now_ms);
    }
    match parse_i64(s) {
        Some(t) if t >= 0 => Ok(t),
        Some(_) => Err(Error::invalid("ERR TSDB: invalid timestamp, must be a nonnegative integer")),
        None => Err(Error::invalid_timestamp()),
    }
}

/// `TS.ADD key timestamp value [options] [ON_DUPLICATE policy]`
pub fn add(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.len() < 3 {
        return Err(ctx.arity());
    }
    let key = &ctx.args[0];
    let ts = parse_add_timestamp(&ctx.args[1], ctx.now_ms)?;
    let value = parse_value(&ctx.args[2]).ok_or_else(Error::invalid_value)?;
    let mut opts = AddOptions::default();
    let mut on_dup = None;
    parse_create_options(&ctx.args[3..], &mut opts.create, |kw, rest| {
        if kw != "ON_DUPLICATE" {
            return Ok(0);
        }
        let p = rest.get(1).and_then(|s| DuplicatePolicy::parse(s));
        on_dup = Some(p.ok_or_else(|| Error::invalid("ERR TSDB: Unknown ON_DUPLICATE policy"))?);
        Ok(2)
    })?;
    opts.on_duplicate = on_dup;
    Ok(Reply::Integer(engine.add(key, ts, value, &opts)?))
}
