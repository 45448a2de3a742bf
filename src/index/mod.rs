//! Label index and filter grammar: which series a `FILTER` selects, and key globs for `KEYS`.
//!
//! - [`filter`]: [`Filter`] / [`Matcher`], the RedisTimeSeries 1.12 filter grammar with its
//!   `strtok` quirks and exact error texts (docs/semantics/multi.md section 3).
//! - `label_index`: [`LabelIndex`], the inverted index label pair → series ids, with the helpers
//!   for TS.QUERYLABELS and a series browser.
//! - `postings` (private): compact sorted id sets (inline / array / bitmap chunks).
//! - `plan` (private): query evaluation, seeded from the most selective positive matcher.
//! - [`glob`]: Redis `stringmatchlen` for `KEYS pattern`.
//!
//! The index knows series only by a dense `u32` id that the engine assigns; it stores no keys.
//! The engine keeps id → key (and key → id), calls [`LabelIndex::insert`] / [`LabelIndex::remove`]
//! whenever a series' label list starts or stops existing, and maps [`LabelIndex::query`]'s
//! ascending ids to keys, which it sorts by bytes for the reply.
//!
//! Wiring (the engine owns one `LabelIndex`; `labels` is the series' stored list):
//!
//! | engine event                                | index call                                                       |
//! |---------------------------------------------|------------------------------------------------------------------|
//! | TS.CREATE, TS.ADD/INCRBY/DECRBY auto-create | `insert(id, &labels)` after the series is stored                 |
//! | TS.ALTER with `LABELS`                      | `remove(id, &old)` then `insert(id, &new)`                       |
//! | DEL (and RENAME onto an existing key)       | `remove(id, &labels)` before the id is freed                     |
//! | RENAME                                      | nothing: the id and labels stay                                  |
//! | FLUSHALL                                    | `clear()`                                                        |
//! | snapshot restore                            | `insert` per series, then `shrink_to_fit()`                      |
//! | QUERYINDEX / MGET / MRANGE                  | `query(&Filter::parse(exprs)?)` → ids → keys sorted by bytes     |
//! | TS.QUERYLABELS (extension)                  | `label_names()` / `values(l)`, with FILTER `*_among(&query(..))` |
//!
//! ```
//! use tsdb_wasm::index::{Filter, LabelIndex};
//! let mut index = LabelIndex::new();
//! let labels = vec![("metric".to_string(), "cpu".to_string()), ("env".to_string(), "prod".to_string())];
//! index.insert(42, &labels);
//! let args: Vec<String> = vec!["metric=cpu".into(), "env!=dev".into()];
//! assert_eq!(index.query(&Filter::parse(&args)?), [42]);
//! # Ok::<(), tsdb_wasm::Error>(())
//! ```

pub mod filter;
pub mod glob;
mod label_index;
mod plan;
mod postings;

pub use filter::{Filter, Matcher};
pub use glob::{glob_match, Glob};
pub use label_index::LabelIndex;
