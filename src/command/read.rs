//! Read commands: TS.RANGE.

use super::args::parse_i64;
use super::{Ctx, Reply};
use crate::engine::Engine;
use crate::error::{Error, Result};

/// Parses a range bound: `-` (earliest), `+` (latest) or a non-negative integer.
fn parse_bound(s: &str, err: &'static str) -> Result<i64> {
    match s {
        "-" => Ok(0),
        "+" => Ok(i64::MAX),
        _ => parse_i64(s).filter(|&t| t >= 0).ok_or_else(|| Error::invalid(err)),
    }
}

/// `TS.RANGE key fromTimestamp toTimestamp`
pub fn range(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.len() < 3 {
        return Err(ctx.arity());
    }
    let key = &ctx.args[0];
    let from = parse_bound(&ctx.args[1], "ERR TSDB: wrong fromTimestamp")?;
    let to = parse_bound(&ctx.args[2], "ERR TSDB: wrong toTimestamp")?;
    if ctx.args.len() > 3 {
        return Err(Error::invalid("ERR TSDB: unknown option (aggregation is not supported yet)"));
    }
    let (ts, vals) = engine.range(key, from, to)?;
    Ok(Reply::samples(&ts, &vals))
}
