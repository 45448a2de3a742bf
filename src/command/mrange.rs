//! TS.MRANGE / TS.MREVRANGE: range queries over the series a label filter selects, optionally
//! grouped and reduced (docs/semantics/multi.md §6, §7; EXCLUDEEMPTY as in RedisTimeSeries 8.10).

use super::multi::{labels_reply, matching, parse_labels_opt, LabelsOpt};
use super::options::find;
use super::read::rows;
use super::{Ctx, Reply};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::index::Filter;
use crate::query::{self, parse_range_request, parse_reducer, Aggregator, RangeRequest, RangeResult};

/// A parsed TS.MRANGE / TS.MREVRANGE.
#[derive(Debug, Clone)]
pub struct MRange {
    /// The per-series query.
    pub req: RangeRequest,
    /// The label filter.
    pub filter: Filter,
    /// WITHLABELS / SELECTED_LABELS.
    pub labels: LabelsOpt,
    /// GROUPBY label REDUCE reducer.
    pub group: Option<(String, Aggregator)>,
    /// EXCLUDEEMPTY (extension): series whose reply has no sample are left out.
    pub exclude_empty: bool,
}

/// Parses the arguments in RedisTimeSeries' order (multi.md §6.1).
pub fn parse(ctx: &Ctx, reverse: bool) -> Result<MRange> {
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
    Ok(MRange { req, filter, labels, group, exclude_empty })
}

/// One series of a result: key, labels, rows.
#[derive(Debug, Clone)]
pub struct SeriesRows {
    /// The key, or `label=value` for a group.
    pub key: String,
    /// The labels to report.
    pub labels: Vec<(String, String)>,
    /// The rows.
    pub rows: RangeResult,
}

/// Runs a parsed query. Series come in key byte order; groups in group-value byte order.
pub fn run(engine: &Engine, m: &MRange) -> Result<Vec<SeriesRows>> {
    let selected = matching(engine, &m.filter);
    let Some((label, reducer)) = &m.group else {
        let mut out = Vec::with_capacity(selected.len());
        for (key, id) in selected {
            let Some(entry) = engine.entry(id) else { continue };
            let latest = if m.req.latest { crate::compaction::latest(engine, id) } else { None };
            let rows = query::range(&entry.series, latest, &m.req)?;
            if m.exclude_empty && rows.is_empty() {
                continue;
            }
            out.push(SeriesRows { key, labels: entry.series.options().labels.clone(), rows });
        }
        return Ok(out);
    };
    // Per series with every option (ascending, COUNT as the series would apply it), then grouped.
    let mut groups: Vec<(String, Vec<String>, Vec<RangeResult>)> = Vec::new();
    for (key, id) in selected {
        let Some(entry) = engine.entry(id) else { continue };
        let Some((_, value)) = entry.series.options().labels.iter().find(|(k, _)| k == label) else { continue };
        let latest = if m.req.latest { crate::compaction::latest(engine, id) } else { None };
        let mut rows = query::range(&entry.series, latest, &m.req)?;
        if m.req.reverse {
            rows.reverse();
        }
        match groups.iter_mut().find(|(v, _, _)| v == value) {
            Some((_, keys, results)) => {
                keys.push(key);
                results.push(rows);
            }
            None => groups.push((value.clone(), vec![key], vec![rows])),
        }
    }
    groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let reducer_name = reducer.name().to_ascii_lowercase();
    Ok(groups
        .into_iter()
        .map(|(value, keys, results)| {
            let refs: Vec<&RangeResult> = results.iter().collect();
            let mut rows = query::reduce(&refs, *reducer);
            if m.req.reverse {
                rows.reverse();
            }
            if let Some(n) = m.req.count {
                rows.truncate(usize::try_from(n).unwrap_or(usize::MAX));
            }
            SeriesRows {
                key: format!("{label}={value}"),
                labels: vec![
                    (label.clone(), value),
                    ("__reducer__".to_owned(), reducer_name.clone()),
                    ("__source__".to_owned(), keys.join(",")),
                ],
                rows,
            }
        })
        .collect())
}

fn mrange(engine: &mut Engine, ctx: &Ctx, reverse: bool) -> Result<Reply> {
    let m = parse(ctx, reverse)?;
    let out = run(engine, &m)?;
    Ok(Reply::Array(
        out.into_iter()
            .map(|s| Reply::Array(vec![Reply::Str(s.key), labels_reply(&m.labels, &s.labels), rows(&s.rows)]))
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
