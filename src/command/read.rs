//! Read commands: TS.GET [LATEST], TS.RANGE, TS.REVRANGE (docs/semantics/query.md §2, §10.4).

use super::{Ctx, Reply};
use crate::compaction;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::query::{self, parse_range_request, RangeResult};

/// `TS.GET key [LATEST]`: the newest sample (with LATEST on a compaction destination, its open
/// bucket if any), or an empty array.
pub fn get(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.is_empty() || ctx.args.len() > 2 {
        return Err(ctx.arity());
    }
    let latest = match ctx.args.get(1) {
        None => false,
        Some(a) if a.eq_ignore_ascii_case("LATEST") => true,
        Some(_) => return Err(Error::invalid("ERR TSDB: wrong 3rd argument")),
    };
    let id = engine.id(&ctx.args[0]).ok_or_else(Error::key_not_found)?;
    let series = engine.series_by_id(id).ok_or_else(Error::key_not_found)?;
    let open = if latest { compaction::latest(engine, id) } else { None };
    Ok(open.or(series.last()).map_or(Reply::Array(vec![]), |(t, v)| Reply::sample(t, v)))
}

/// `TS.RANGE key fromTimestamp toTimestamp [options]`
pub fn range(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    read_range(engine, ctx, false)
}

/// `TS.REVRANGE key fromTimestamp toTimestamp [options]`
pub fn revrange(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    read_range(engine, ctx, true)
}

fn read_range(engine: &mut Engine, ctx: &Ctx, reverse: bool) -> Result<Reply> {
    if ctx.args.len() < 3 {
        return Err(ctx.arity());
    }
    // RedisTimeSeries looks the key up before parsing any argument.
    engine.id(&ctx.args[0]).ok_or_else(Error::key_not_found)?;
    let mut req = parse_range_request(ctx.args, 1, ctx.name)?;
    req.reverse = reverse;
    let result = query::range_key(engine, &ctx.args[0], &req)?;
    Ok(rows(&result))
}

/// `[[ts, v], ...]`, or `[[ts, v1, v2, ...], ...]` for an aggregator list.
pub fn rows(r: &RangeResult) -> Reply {
    let rows = (0..r.len())
        .map(|i| {
            let mut row = Vec::with_capacity(1 + r.columns.len());
            row.push(Reply::Integer(r.timestamps[i]));
            row.extend(r.columns.iter().map(|c| Reply::Double(c[i])));
            Reply::Array(row)
        })
        .collect();
    Reply::Array(rows)
}

/// `[[ts, [v1, v2, ...]], ...]` (TS.NRANGE's joined rows).
pub fn rows_values(r: &RangeResult) -> Reply {
    let rows = (0..r.len())
        .map(|i| {
            let values = r.columns.iter().map(|c| Reply::Double(c[i])).collect();
            Reply::Array(vec![Reply::Integer(r.timestamps[i]), Reply::Array(values)])
        })
        .collect();
    Reply::Array(rows)
}
