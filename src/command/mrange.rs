//! TS.MRANGE / TS.MREVRANGE: range queries over the series a label filter selects, optionally
//! grouped and reduced (docs/semantics/multi.md §6, §7; EXCLUDEEMPTY as in RedisTimeSeries 8.10).

use super::multi::{labels_reply, parse_labels_opt, LabelsOpt};
use super::options::find;
use super::read::rows;
use super::{Ctx, Reply};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::index::Filter;
use crate::query::{self, parse_range_request, parse_reducer, MRangeRequest};

/// Parses the arguments in RedisTimeSeries' order (multi.md §6.1).
pub fn parse(ctx: &Ctx, reverse: bool) -> Result<(MRangeRequest, LabelsOpt)> {
    let args = ctx.args;
    if args.len() < 3 {
        return Err(ctx.arity());
    }
    let mut req = parse_range_request(args, 0, ctx.name)?;
    req.reverse = reverse;
    let f = find(args, "FILTER").ok_or_else(|| Error::invalid("ERR TSDB: missing FILTER argument"))?;
    let labels = parse_labels_opt(args)?;
    let g = find(args, "GROUPBY");
    if g.is_some_and(|g| g < f) {
        return Err(Error::invalid("ERR TSDB: GROUPBY should always come after filter"));
    }
    let exprs = &args[f + 1..g.unwrap_or(args.len())];
    if exprs.is_empty() {
        return Err(Error::invalid("ERR TSDB: missing labels for filter argument"));
    }
    let filter = Filter::parse(exprs)?;
    let group = match g {
        None => None,
        Some(g) => {
            let r = find(args, "REDUCE");
            if g + 1 >= args.len() || r.is_none() || args.len() - g != 4 {
                return Err(ctx.arity());
            }
            let name = args.get(r.unwrap_or(0) + 1).ok_or_else(|| ctx.arity())?;
            let reducer = parse_reducer(name).ok_or_else(|| Error::invalid("ERR TSDB: Invalid reducer type"))?;
            if req.aggregation.as_ref().is_some_and(|a| a.aggregators.len() > 1) {
                return Err(Error::invalid("ERR TSDB: GROUPBY is not allowed when multiple aggregators are specified"));
            }
            Some((args[g + 1].clone(), reducer))
        }
    };
    let exclude_empty = find(&args[..f], "EXCLUDEEMPTY").is_some();
    if exclude_empty && group.is_some() {
        return Err(Error::invalid("ERR TSDB: EXCLUDEEMPTY is not allowed with GROUPBY"));
    }
    Ok((MRangeRequest { req, filter, group, exclude_empty }, labels))
}

fn mrange(engine: &mut Engine, ctx: &Ctx, reverse: bool) -> Result<Reply> {
    let (m, labels) = parse(ctx, reverse)?;
    let out = query::mrange(engine, &m)?;
    Ok(Reply::Array(
        out.into_iter()
            .map(|s| Reply::Array(vec![Reply::Str(s.key), labels_reply(&labels, &s.labels), rows(&s.rows)]))
            .collect(),
    ))
}

/// `TS.MRANGE fromTimestamp toTimestamp [options] FILTER filterExpr... [GROUPBY label REDUCE reducer]`
pub fn mrange_fwd(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    mrange(engine, ctx, false)
}

/// `TS.MREVRANGE ...`: as TS.MRANGE, samples newest first (series and groups still ascending).
pub fn mrevrange(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    mrange(engine, ctx, true)
}
