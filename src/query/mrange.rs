//! TS.MRANGE / TS.MREVRANGE execution: range queries over the series a label filter selects,
//! optionally grouped and reduced (docs/semantics/multi.md §6–§7; EXCLUDEEMPTY as in
//! RedisTimeSeries 8.10). Parsing is the command layer's; the typed API builds the request
//! directly.

use super::aggregator::Aggregator;
use super::group::reduce;
use super::range::range;
use super::request::{RangeRequest, RangeResult};
use crate::engine::{Engine, SeriesId};
use crate::error::Result;
use crate::index::Filter;

/// A multi-series range query.
#[derive(Debug, Clone)]
pub struct MRangeRequest {
    /// The per-series query (`reverse` for TS.MREVRANGE).
    pub req: RangeRequest,
    /// The label filter.
    pub filter: Filter,
    /// GROUPBY label REDUCE reducer.
    pub group: Option<(String, Aggregator)>,
    /// EXCLUDEEMPTY: series whose result has no row are left out.
    pub exclude_empty: bool,
}

/// One series (or group) of a multi-series result.
#[derive(Debug, Clone)]
pub struct SeriesRows {
    /// The key, or `label=value` for a group.
    pub key: String,
    /// The series' labels, or a group's `[label=value, __reducer__, __source__]`.
    pub labels: Vec<(String, String)>,
    /// The rows.
    pub rows: RangeResult,
}

/// The series matching `filter`, as (key, id) in key byte order.
pub fn matching(engine: &Engine, filter: &Filter) -> Vec<(String, SeriesId)> {
    engine.matching(filter).into_iter().map(|(k, id)| (k.to_owned(), id)).collect()
}

/// Runs `m`: series in key byte order, or groups in group-value byte order. Each series is
/// queried with every range option first; groups then merge and reduce equal timestamps
/// (samples newest first for MREVRANGE, COUNT applied to the reduced rows).
pub fn mrange(engine: &Engine, m: &MRangeRequest) -> Result<Vec<SeriesRows>> {
    let selected = matching(engine, &m.filter);
    let latest_of = |id| if m.req.latest { crate::compaction::latest(engine, id) } else { None };
    let Some((label, reducer)) = &m.group else {
        let mut out = Vec::with_capacity(selected.len());
        for (key, id) in selected {
            let Some(entry) = engine.entry(id) else { continue };
            let rows = range(&entry.series, latest_of(id), &m.req)?;
            if !(m.exclude_empty && rows.is_empty()) {
                out.push(SeriesRows { key, labels: entry.series.options().labels.clone(), rows });
            }
        }
        return Ok(out);
    };
    let mut groups: Vec<(String, Vec<String>, Vec<RangeResult>)> = Vec::new();
    for (key, id) in selected {
        let Some(entry) = engine.entry(id) else { continue };
        let Some((_, value)) = entry.series.options().labels.iter().find(|(k, _)| k == label) else { continue };
        let mut rows = range(&entry.series, latest_of(id), &m.req)?;
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
            let mut rows = reduce(&refs, *reducer);
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
