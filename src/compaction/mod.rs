//! Compaction rules (TS.CREATERULE / TS.DELETERULE): downsampling a source series into a
//! destination, kept up to date on every write and delete of the source
//! (docs/semantics/query.md §10).
//!
//! | file        | idea                                                            |
//! |-------------|-----------------------------------------------------------------|
//! | `rule.rs`   | a rule, its open bucket, their snapshot encoding                |
//! | `upkeep.rs` | what writes and deletes of the source do to the destination     |
//!
//! The engine calls [`on_write`] after every accepted write of a series with rules and
//! [`on_delete`] after TS.DEL on it; deleting either key of a rule drops the rule (engine).
//!
//! ```
//! use tsdb_wasm::{compaction, query::Aggregator, Engine, AddOptions, SeriesOptions};
//! let mut db = Engine::new();
//! db.create("raw", SeriesOptions::default()).unwrap();
//! db.create("avg_10", SeriesOptions::default()).unwrap();
//! compaction::create_rule(&mut db, "raw", "avg_10", Aggregator::Avg, 10, 0).unwrap();
//! for (t, v) in [(1, 1.0), (5, 3.0), (12, 10.0)] {
//!     db.add("raw", t, v, &AddOptions::default()).unwrap();
//! }
//! assert_eq!(db.range("avg_10", 0, i64::MAX).unwrap(), (vec![0], vec![2.0]));
//! let id = db.id("avg_10").unwrap();
//! assert_eq!(compaction::latest(&db, id), Some((10, 10.0)));
//! ```

mod rule;
mod upkeep;

pub use rule::{OpenBucket, Rule};
pub use upkeep::{on_delete, on_write};

use crate::engine::{Engine, SeriesId};
use crate::error::{Error, ErrorKind, Result};
use crate::query::Aggregator;

/// TS.CREATERULE after parsing: checks in RedisTimeSeries' order (same key, source, source
/// already a destination, destination, destination already a destination, destination already
/// a source) and adds the rule. Existing source samples are not compacted (no backfill).
pub fn create_rule(
    engine: &mut Engine,
    src_key: &str,
    dst_key: &str,
    aggregator: Aggregator,
    bucket_duration: i64,
    align: i64,
) -> Result<()> {
    if bucket_duration <= 0 {
        return Err(Error::invalid("ERR TSDB: bucketDuration must be greater than zero"));
    }
    if align < 0 {
        return Err(Error::invalid("ERR TSDB: Couldn't parse alignTimestamp"));
    }
    if src_key == dst_key {
        return Err(Error::invalid("ERR TSDB: the source key and destination key should be different"));
    }
    let src = engine.id(src_key).ok_or_else(Error::key_not_found)?;
    let rejected = |m: &'static str| Error::new(ErrorKind::Rejected, m);
    if engine.entry(src).is_some_and(|e| e.source.is_some()) {
        return Err(rejected("ERR TSDB: the source key already has a source rule"));
    }
    let dst = engine.id(dst_key).ok_or_else(Error::key_not_found)?;
    let d = engine.entry(dst).ok_or_else(Error::key_not_found)?;
    if d.source.is_some() {
        return Err(rejected("ERR TSDB: the destination key already has a src rule"));
    }
    if !d.rules.is_empty() {
        return Err(rejected("ERR TSDB: the destination key already has a dst rule"));
    }
    engine.entry_mut(src).ok_or_else(Error::key_not_found)?.rules.push(Rule::new(
        dst,
        aggregator,
        bucket_duration,
        align,
    ));
    engine.entry_mut(dst).ok_or_else(Error::key_not_found)?.source = Some(src);
    Ok(())
}

/// TS.DELETERULE after parsing: removes the rule `src_key → dst_key`; the destination keeps
/// its data and no longer has a source.
///
/// ```
/// use tsdb_wasm::{compaction, query::Aggregator, Engine, SeriesOptions};
/// let mut db = Engine::new();
/// db.create("a", SeriesOptions::default()).unwrap();
/// db.create("b", SeriesOptions::default()).unwrap();
/// compaction::create_rule(&mut db, "a", "b", Aggregator::Max, 10, 0).unwrap();
/// compaction::delete_rule(&mut db, "a", "b").unwrap();
/// let e = compaction::delete_rule(&mut db, "a", "b").unwrap_err();
/// assert_eq!(e.message(), "ERR TSDB: compaction rule does not exist");
/// ```
pub fn delete_rule(engine: &mut Engine, src_key: &str, dst_key: &str) -> Result<()> {
    let src = engine.id(src_key).ok_or_else(Error::key_not_found)?;
    let missing = || Error::new(ErrorKind::NotFound, "ERR TSDB: compaction rule does not exist");
    let dst = engine.id(dst_key).ok_or_else(missing)?;
    let entry = engine.entry_mut(src).ok_or_else(Error::key_not_found)?;
    let i = entry.rules.iter().position(|r| r.dest == dst).ok_or_else(missing)?;
    entry.rules.remove(i);
    if let Some(d) = engine.entry_mut(dst) {
        d.source = None;
    }
    Ok(())
}

/// LATEST: the open bucket of the rule writing into `dest`, as the sample it would be
/// written as if it closed now — `(max(0, start), value)`; twa without a right neighbour.
/// `None` when `dest` is not a destination or its rule has no open bucket.
pub fn latest(engine: &Engine, dest: SeriesId) -> Option<(i64, f64)> {
    let src = engine.entry(dest)?.source?;
    let rule = engine.entry(src)?.rules.iter().find(|r| r.dest == dest)?;
    let open = rule.open.as_ref()?;
    let v = open.value(rule.aggregator, rule.bucket_duration, None)?;
    Some((open.start.max(0), v))
}
