//! TS.NRANGE / TS.NREVRANGE (extension, RedisTimeSeries 8.10; docs/semantics/multi.md §9.4):
//! an outer join by timestamp of several keys' range queries.
//!
//! `TS.NRANGE numkeys key... from to [options] [AGGREGATION agg... bucketDuration ...]`: one
//! aggregator operand per key (each may be a list such as `avg,max`). Reply: one row per distinct
//! timestamp, `[ts, [v...]]`, a value per key (per aggregator) in key order, NaN where a key has
//! no sample. COUNT limits the joined rows.

use super::read::rows_values;
use super::{Ctx, Reply};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::query::{self, parse_aggregators, parse_range_request, RangeResult};

fn nrange(engine: &mut Engine, ctx: &Ctx, reverse: bool) -> Result<Reply> {
    let args = ctx.args;
    if args.len() < 4 {
        return Err(ctx.arity());
    }
    let n = crate::command::parse_i64(&args[0])
        .filter(|&n| n > 0)
        .ok_or_else(|| Error::invalid("ERR TSDB: numkeys must be a positive integer"))? as usize;
    if args.len() < 1 + n + 2 {
        return Err(ctx.arity());
    }
    let keys = &args[1..1 + n];
    let mut rest: Vec<String> = args[1 + n..].to_vec();
    // One aggregator operand per key: parse them here, hand the range parser a single one.
    let mut per_key = None;
    if let Some(a) = rest.iter().position(|s| s.eq_ignore_ascii_case("AGGREGATION")) {
        let operands: Vec<String> = rest.iter().skip(a + 1).take(n).cloned().collect();
        if operands.len() < n || a + 1 + n >= rest.len() {
            return Err(Error::invalid("ERR TSDB: the number of aggregators must be equal to numkeys"));
        }
        let lists = operands.iter().map(|o| parse_aggregators(o)).collect::<Result<Vec<_>>>()?;
        rest.splice(a + 1..a + 1 + n, [lists[0][0].name().to_owned()]);
        per_key = Some(lists);
    }
    let mut req = parse_range_request(&rest, 0, ctx.name)?;
    let count = req.count.take();
    let mut results = Vec::with_capacity(n);
    for (i, key) in keys.iter().enumerate() {
        if let (Some(lists), Some(agg)) = (&per_key, req.aggregation.as_mut()) {
            agg.aggregators = lists[i].clone();
        }
        results.push(query::range_key(engine, key, &req)?);
    }
    let mut joined = join(&results);
    if reverse {
        joined.reverse();
    }
    if let Some(c) = count {
        joined.truncate(usize::try_from(c).unwrap_or(usize::MAX));
    }
    Ok(rows_values(&joined))
}

/// Outer join by timestamp: every column of every result, NaN where a result lacks the row.
fn join(results: &[RangeResult]) -> RangeResult {
    let mut ts: Vec<i64> = results.iter().flat_map(|r| r.timestamps.iter().copied()).collect();
    ts.sort_unstable();
    ts.dedup();
    let width: usize = results.iter().map(|r| r.columns.len()).sum();
    let mut out = RangeResult::with_columns(width);
    out.timestamps = ts.clone();
    let mut col = 0;
    for r in results {
        let mut j = 0;
        for &t in &ts {
            let hit = r.timestamps.get(j) == Some(&t);
            for (k, c) in r.columns.iter().enumerate() {
                out.columns[col + k].push(if hit { c[j] } else { f64::NAN });
            }
            if hit {
                j += 1;
            }
        }
        col += r.columns.len();
    }
    out
}

/// `TS.NRANGE numkeys key... fromTimestamp toTimestamp [options]`
pub fn nrange_fwd(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    nrange(engine, ctx, false)
}

/// `TS.NREVRANGE ...`: as TS.NRANGE, newest row first.
pub fn nrevrange(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    nrange(engine, ctx, true)
}
