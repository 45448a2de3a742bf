//! Compaction rule commands: TS.CREATERULE, TS.DELETERULE (docs/semantics/query.md §10.1–§10.2).

use super::args::parse_i64;
use super::{Ctx, Reply};
use crate::compaction;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::query::Aggregator;

/// `TS.CREATERULE sourceKey destKey AGGREGATION aggregator bucketDuration [alignTimestamp]`
///
/// The arguments are checked before any key: arity (and the literal `AGGREGATION`), the
/// duration's syntax, the aggregator, the duration's sign, the alignment. A comma list of
/// aggregators is not accepted here (unknown aggregation type).
pub fn create_rule(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    let a = ctx.args;
    if !(a.len() == 5 || a.len() == 6) || !a[2].eq_ignore_ascii_case("AGGREGATION") {
        return Err(ctx.arity());
    }
    let duration = parse_i64(&a[4]).ok_or_else(|| Error::invalid("ERR TSDB: Couldn't parse AGGREGATION"))?;
    let aggregator = Aggregator::parse(&a[3]).ok_or_else(|| Error::invalid("ERR TSDB: Unknown aggregation type"))?;
    if duration <= 0 {
        return Err(Error::invalid("ERR TSDB: bucketDuration must be greater than zero"));
    }
    let align = match a.get(5) {
        None => 0,
        Some(s) => {
            parse_i64(s).filter(|&t| t >= 0).ok_or_else(|| Error::invalid("ERR TSDB: Couldn't parse alignTimestamp"))?
        }
    };
    compaction::create_rule(engine, &a[0], &a[1], aggregator, duration, align)?;
    Ok(Reply::ok())
}

/// `TS.DELETERULE sourceKey destKey`
pub fn delete_rule(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.len() != 2 {
        return Err(ctx.arity());
    }
    compaction::delete_rule(engine, &ctx.args[0], &ctx.args[1])?;
    Ok(Reply::ok())
}
