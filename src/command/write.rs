//! Write commands: TS.CREATE, TS.ALTER, TS.ADD, TS.MADD, TS.INCRBY, TS.DECRBY, TS.DEL
//! (docs/semantics/write.md §2–§8).

use super::args::{parse_i64, parse_redis_double, parse_value};
use super::options::{parse_create_args, parse_policy, value_of};
use super::{Ctx, Reply};
use crate::engine::{AddOptions, Engine};
use crate::error::{Error, ErrorKind, Result};

/// `TS.CREATE key [options]`
pub fn create(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    let key = ctx.args.first().ok_or_else(|| ctx.arity())?;
    let opts = parse_create_args(ctx)?.into_series_options();
    engine.create(key, opts)?;
    Ok(Reply::ok())
}

/// `TS.ALTER key [options]`
pub fn alter(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    let key = ctx.args.first().ok_or_else(|| ctx.arity())?;
    let alter = parse_create_args(ctx)?.into_alter();
    engine.alter(key, alter)?;
    Ok(Reply::ok())
}

/// Parses a write timestamp: `*` (now) or a non-negative integer.
pub fn parse_write_timestamp(s: &str, now_ms: i64) -> Result<i64> {
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
    let value = parse_value(&ctx.args[2]).ok_or_else(Error::invalid_value)?;
    let ts = parse_write_timestamp(&ctx.args[1], ctx.now_ms)?;
    let mut opts = AddOptions::default();
    if engine.id(key).is_none() {
        opts.create = parse_create_args(ctx)?.into_series_options();
    } else if let Some(v) = value_of(ctx.args, "ON_DUPLICATE") {
        opts.on_duplicate = Some(parse_policy(v)?);
    }
    Ok(Reply::Integer(engine.add(key, ts, value, &opts)?))
}

/// `TS.MADD key timestamp value [key timestamp value ...]`: one reply per triple.
pub fn madd(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.len() < 3 || ctx.args.len() % 3 != 0 {
        return Err(ctx.arity());
    }
    let mut replies = Vec::with_capacity(ctx.args.len() / 3);
    for t in ctx.args.chunks_exact(3) {
        let mut one = || -> Result<i64> {
            let value = parse_value(&t[2]).ok_or_else(Error::invalid_value)?;
            let ts = parse_write_timestamp(&t[1], ctx.now_ms)?;
            let not_series = || Error::new(ErrorKind::NotFound, "ERR TSDB: the key is not a TSDB key");
            let id = engine.id(&t[0]).ok_or_else(not_series)?;
            engine.add_to(id, ts, value, None)
        };
        replies.push(one().map_or_else(Reply::Error, Reply::Integer));
    }
    Ok(Reply::Array(replies))
}

/// `TS.INCRBY` / `TS.DECRBY key addend [TIMESTAMP ts] [options]` (`sign` = 1 or -1).
pub fn incr_by(engine: &mut Engine, ctx: &Ctx, sign: f64) -> Result<Reply> {
    if ctx.args.len() < 2 {
        return Err(ctx.arity());
    }
    let key = &ctx.args[0];
    let addend = parse_redis_double(&ctx.args[1])
        .ok_or_else(|| Error::invalid("ERR TSDB: invalid increase/decrease value"))?;
    let ts = match value_of(ctx.args, "TIMESTAMP") {
        None => None,
        Some(None) => return Err(Error::invalid_timestamp()),
        Some(Some(t)) => Some(parse_write_timestamp(t, ctx.now_ms)?),
    };
    let create = if engine.id(key).is_none() {
        parse_create_args(ctx)?.into_series_options()
    } else {
        Default::default()
    };
    Ok(Reply::Integer(engine.incr_by(key, sign * addend, ts, ctx.now_ms, &create)?))
}

/// `TS.DEL key fromTimestamp toTimestamp`
pub fn del(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.len() != 3 {
        return Err(ctx.arity());
    }
    let from = match ctx.args[1].as_str() {
        "-" => 0,
        s => parse_i64(s).filter(|&t| t >= 0).ok_or_else(|| Error::invalid("ERR TSDB: wrong fromTimestamp"))?,
    };
    let to = match ctx.args[2].as_str() {
        "+" => i64::MAX,
        s => parse_i64(s).filter(|&t| t >= 0).ok_or_else(|| Error::invalid("ERR TSDB: wrong toTimestamp"))?,
    };
    Ok(Reply::Integer(engine.delete_range(&ctx.args[0], from, to)? as i64))
}
