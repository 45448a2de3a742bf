//! Multi-series commands over the label index: TS.QUERYINDEX, TS.MGET, and the label options
//! shared with TS.MRANGE (docs/semantics/multi.md §4, §5, §7.1).

use super::options::find;
use super::{Ctx, Reply};
use crate::engine::Engine;
use crate::query::matching;
use crate::error::{Error, Result};
use crate::index::Filter;

/// Which labels a multi-series reply carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelsOpt {
    /// None (`[]`).
    None,
    /// WITHLABELS: every pair, in stored order.
    All,
    /// SELECTED_LABELS: these names, in request order (nil when absent).
    Selected(Vec<String>),
}

/// Words that end a SELECTED_LABELS list.
const STOP_WORDS: [&str; 9] =
    ["WITHLABELS", "AGGREGATION", "LIMIT", "GROUPBY", "REDUCE", "FILTER", "FILTER_BY_VALUE", "FILTER_BY_TS", "COUNT"];

/// Parses WITHLABELS / SELECTED_LABELS (multi.md §7.1).
pub fn parse_labels_opt(args: &[String]) -> Result<LabelsOpt> {
    let with = find(args, "WITHLABELS");
    let selected = find(args, "SELECTED_LABELS");
    match (with, selected) {
        (Some(_), Some(_)) => Err(Error::invalid("ERR TSDB: cannot accept WITHLABELS and SELECT_LABELS together")),
        (Some(_), None) => Ok(LabelsOpt::All),
        (None, None) => Ok(LabelsOpt::None),
        (None, Some(i)) => {
            let names: Vec<String> = args[i + 1..]
                .iter()
                .take_while(|a| !STOP_WORDS.iter().any(|w| a.eq_ignore_ascii_case(w)))
                .cloned()
                .collect();
            if names.is_empty() {
                return Err(Error::invalid("ERR TSDB: SELECT_LABELS should have at least 1 parameter"));
            }
            if names.len() > 50 {
                return Err(Error::invalid("ERR TSDB: reached max size for SELECT_LABELS"));
            }
            Ok(LabelsOpt::Selected(names))
        }
    }
}

/// The labels element of a reply for a series with `labels`.
pub fn labels_reply(opt: &LabelsOpt, labels: &[(String, String)]) -> Reply {
    let pair = |k: &str, v: Option<&str>| {
        Reply::Array(vec![Reply::str(k), v.map_or(Reply::Nil, Reply::str)])
    };
    match opt {
        LabelsOpt::None => Reply::Array(vec![]),
        LabelsOpt::All => Reply::Array(labels.iter().map(|(k, v)| pair(k, Some(v))).collect()),
        LabelsOpt::Selected(names) => Reply::Array(
            names
                .iter()
                .map(|n| pair(n, labels.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str())))
                .collect(),
        ),
    }
}

/// `TS.QUERYINDEX filterExpr...`
pub fn query_index(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.is_empty() {
        return Err(ctx.arity());
    }
    let filter = Filter::parse(ctx.args)?;
    Ok(Reply::Array(engine.query_index(&filter).into_iter().map(Reply::str).collect()))
}

/// `TS.MGET [LATEST] [WITHLABELS | SELECTED_LABELS label...] FILTER filterExpr...`
pub fn mget(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.len() < 2 {
        return Err(ctx.arity());
    }
    let f = find(ctx.args, "FILTER").ok_or_else(|| ctx.arity())?;
    let labels = parse_labels_opt(ctx.args)?;
    let filter = Filter::parse(&ctx.args[f + 1..])?;
    let latest = find(&ctx.args[..f], "LATEST").is_some();
    let mut out = Vec::new();
    for (key, id) in matching(engine, &filter) {
        let Some(entry) = engine.entry(id) else { continue };
        let sample = if latest { crate::compaction::latest(engine, id) } else { None }.or(entry.series.last());
        out.push(Reply::Array(vec![
            Reply::Str(key),
            labels_reply(&labels, &entry.series.options().labels),
            sample.map_or(Reply::Array(vec![]), |(t, v)| Reply::sample(t, v)),
        ]));
    }
    Ok(Reply::Array(out))
}

/// `TS.QUERYLABELS LABELS [FILTER expr...]` / `TS.QUERYLABELS VALUES label [FILTER expr...]`
/// (extension, RedisTimeSeries 8.10): the distinct label names, or the distinct values of one
/// label, over every series or those the filter selects; ascending byte order.
pub fn query_labels(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    let args = ctx.args;
    let sub = args.first().ok_or_else(|| ctx.arity())?;
    let (label, rest) = if sub.eq_ignore_ascii_case("LABELS") {
        (None, &args[1..])
    } else if sub.eq_ignore_ascii_case("VALUES") {
        let label = args.get(1).ok_or_else(|| ctx.arity())?;
        (Some(label.as_str()), &args[2..])
    } else {
        return Err(Error::invalid("ERR TSDB: unknown subtype, must be one of LABELS|VALUES"));
    };
    let filter = match rest.split_first() {
        None => None,
        Some((kw, exprs)) if kw.eq_ignore_ascii_case("FILTER") => {
            if exprs.is_empty() {
                return Err(Error::invalid("ERR TSDB: FILTER given with no filter expressions"));
            }
            Some(Filter::parse(exprs)?)
        }
        Some(_) => return Err(Error::invalid("ERR TSDB: unknown argument, expected FILTER")),
    };
    let names = engine.query_labels(label, filter.as_ref());
    Ok(Reply::Array(names.into_iter().map(Reply::str).collect()))
}
