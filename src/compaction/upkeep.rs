//! Rule upkeep after writes and deletes of a source (docs/semantics/query.md §10.3).
//!
//! - An **append** feeds each rule's open bucket; a sample in a later bucket first closes it:
//!   the bucket is written to the destination at `max(0, start)` (gap buckets are not written).
//! - A **late** write (insert or duplicate update) into the open bucket recomputes it from the
//!   source; into any other bucket it recomputes that bucket from the source and rewrites it.
//! - **TS.DEL** deletes the destination's buckets wholly inside the range, recomputes the two
//!   edge buckets (rewritten, or deleted when left without samples) and the open bucket
//!   (dropped when emptied — 1.12 crashes there; fixed).
//!
//! No chaining (a destination has no rules) and no backfill (a new rule ignores existing
//! samples until a late write touches their bucket).

use super::rule::{OpenBucket, Rule};
use crate::engine::{Engine, SeriesId};
use crate::error::{Error, ErrorKind, Result};
use crate::query::scan::{next_valid, prev_valid};
use crate::query::Aggregator;
use crate::series::{AddOutcome, DuplicatePolicy, Series};

/// A sample `(timestamp, value)`.
type Sample = (i64, f64);

/// Runs `f` on each rule of `src` with the engine at hand (the rules are detached meanwhile
/// and put back afterwards, whatever happens).
fn each_rule(
    engine: &mut Engine,
    src: SeriesId,
    mut f: impl FnMut(&mut Engine, &mut Rule) -> Result<()>,
) -> Result<()> {
    let Some(entry) = engine.entry_mut(src) else { return Ok(()) };
    let mut rules = std::mem::take(&mut entry.rules);
    let mut result = Ok(());
    for rule in &mut rules {
        if let Err(e) = f(engine, rule) {
            result = Err(e);
            break;
        }
    }
    if let Some(entry) = engine.entry_mut(src) {
        entry.rules = rules;
    }
    result
}

/// After an accepted write of `(ts, _)` to `src`.
pub fn on_write(engine: &mut Engine, src: SeriesId, ts: i64, outcome: AddOutcome) -> Result<()> {
    let value = match outcome {
        AddOutcome::Ignored => return Ok(()),
        AddOutcome::Appended => engine.series_by_id(src).and_then(Series::last).map(|(_, v)| v),
        _ => None,
    };
    each_rule(engine, src, |engine, rule| match value {
        Some(v) => append(engine, src, rule, ts, v),
        None => late(engine, src, rule, ts),
    })
}

/// After TS.DEL removed the samples of `src` in `[from, to]`.
pub fn on_delete(engine: &mut Engine, src: SeriesId, from: i64, to: i64) -> Result<()> {
    each_rule(engine, src, |engine, rule| delete(engine, src, rule, from, to))
}

/// Case A: a new newest sample.
fn append(engine: &mut Engine, src: SeriesId, rule: &mut Rule, t: i64, v: f64) -> Result<()> {
    let b = rule.grid().start_of(t);
    match rule.open.take() {
        None => {
            let mut o = OpenBucket::new(b, None);
            o.add(t, v);
            rule.open = Some(o);
        }
        Some(mut o) if o.start == b => {
            o.add(t, v);
            rule.open = Some(o);
        }
        Some(o) if o.start < b => {
            let right = (!v.is_nan()).then_some((t, v));
            if let Some(val) = o.value(rule.aggregator, rule.bucket_duration, right) {
                write_dest(engine, rule.dest, o.start.max(0), val)?;
            }
            let mut next = OpenBucket::new(b, o.last_valid());
            next.add(t, v);
            rule.open = Some(next);
        }
        Some(o) => {
            rule.open = Some(o);
            return late(engine, src, rule, t);
        }
    }
    Ok(())
}

/// Case B: a write at or before the newest sample.
fn late(engine: &mut Engine, src: SeriesId, rule: &mut Rule, t: i64) -> Result<()> {
    let b = rule.grid().start_of(t);
    if rule.open.as_ref().is_some_and(|o| o.start == b) {
        rule.open = recompute(engine, src, rule, b)?.map(|(o, _)| o);
        return Ok(());
    }
    rewrite(engine, src, rule, b)
}

/// Recomputes the closed bucket `b` from the source: rewritten, or deleted when it holds no
/// input any more.
fn rewrite(engine: &mut Engine, src: SeriesId, rule: &Rule, b: i64) -> Result<()> {
    let value =
        recompute(engine, src, rule, b)?.and_then(|(o, right)| o.value(rule.aggregator, rule.bucket_duration, right));
    match value {
        Some(v) => write_dest(engine, rule.dest, b.max(0), v),
        None => delete_dest(engine, rule.dest, b.max(0), b.max(0)),
    }
}

/// The bucket `b` recomputed from every visible source sample in it, with twa's neighbours
/// from the source, and its right neighbour; `None` when the bucket holds no sample.
fn recompute(engine: &Engine, src: SeriesId, rule: &Rule, b: i64) -> Result<Option<(OpenBucket, Option<Sample>)>> {
    let Some(series) = engine.series_by_id(src) else { return Ok(None) };
    let end = b.saturating_add(rule.bucket_duration);
    let (mut ts, mut vals) = (Vec::new(), Vec::new());
    series.range_into(b.max(0), end - 1, &mut ts, &mut vals)?;
    if ts.is_empty() {
        return Ok(None);
    }
    let twa = rule.aggregator == Aggregator::Twa;
    let first_valid = ts.iter().zip(&vals).find(|(_, v)| !v.is_nan()).map(|(&t, _)| t);
    let left = match first_valid {
        Some(t) if twa => prev_valid(series, t)?,
        _ => None,
    };
    let mut o = OpenBucket::new(b, left);
    for (&t, &v) in ts.iter().zip(&vals) {
        o.add(t, v);
    }
    let right = match o.acc.last {
        Some((t, _)) if twa && t < i64::MAX => next_valid(series, t + 1)?,
        _ => None,
    };
    Ok(Some((o, right)))
}

/// TS.DEL on the source over `[from, to]`.
fn delete(engine: &mut Engine, src: SeriesId, rule: &mut Rule, from: i64, to: i64) -> Result<()> {
    let grid = rule.grid();
    let d = rule.bucket_duration;
    let (bf, bl) = (grid.start_of(from), grid.start_of(to));
    let open = rule.open.as_ref().map(|o| o.start);
    // Buckets strictly between the edge buckets lost every sample.
    if bl > bf.saturating_add(d) {
        delete_dest(engine, rule.dest, bf.saturating_add(d).max(0), bl - 1)?;
        if open.is_some_and(|c| c > bf && c < bl) {
            rule.open = None;
        }
    }
    let edges: &[i64] = if bf == bl { &[bf] } else { &[bf, bl] };
    for &b in edges {
        match open {
            Some(c) if b == c => rule.open = recompute(engine, src, rule, b)?.map(|(o, _)| o),
            // Newer than the open bucket: the rule never wrote there.
            Some(c) if b > c => {}
            _ => rewrite(engine, src, rule, b)?,
        }
    }
    Ok(())
}

/// Writes a bucket to the destination through the engine (the destination's chunk size,
/// encoding and retention apply; its duplicate policy does not: a bucket is overwritten).
/// A rewrite older than the destination's retention window is stored anyway, hidden from
/// reads until the window moves (1.12 does the same).
fn write_dest(engine: &mut Engine, dest: SeriesId, ts: i64, v: f64) -> Result<()> {
    match engine.add_to(dest, ts, v, Some(DuplicatePolicy::Last)) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::Rejected => {
            let series = &mut engine.entry_mut(dest).ok_or_else(Error::key_not_found)?.series;
            series.upsert(ts, v, DuplicatePolicy::Last).map(|_| ())
        }
        Err(e) => Err(e),
    }
}

/// Removes destination samples in `[from, to]`.
fn delete_dest(engine: &mut Engine, dest: SeriesId, from: i64, to: i64) -> Result<()> {
    if let Some(e) = engine.entry_mut(dest) {
        e.series.delete_range(from, to)?;
    }
    Ok(())
}
