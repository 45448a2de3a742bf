//! Queries: range reads, aggregation into buckets, M4 viewports — with RedisTimeSeries
//! semantics (docs/semantics/query.md).
//!
//! | file            | idea                                                              |
//! |-----------------|-------------------------------------------------------------------|
//! | `aggregator.rs` | aggregators as accumulate / merge / finish values ([`Acc`])       |
//! | `fold.rs`       | the hot loop: a decoded run into an [`Acc`], bit-exact            |
//! | `stream.rs`     | a decimal block folded into buckets while it decodes              |
//! | `twa.rs`        | the time-weighted average and its EMPTY interpolation             |
//! | `bucket.rs`     | bucket alignment and reported timestamps                          |
//! | `request.rs`    | what a query asks ([`RangeRequest`]) and returns ([`RangeResult`]) |
//! | `parse.rs`      | TS.RANGE / TS.REVRANGE arguments → [`RangeRequest`]               |
//! | `scan.rs`       | reading a series: chunk / block-group summaries or decoded blocks, neighbours |
//! | `aggregate.rs`  | samples → buckets → rows, EMPTY                                   |
//! | `range.rs`      | the pipeline: raw or aggregated, REVRANGE, COUNT                  |
//! | `viewport.rs`   | M4: first / min / max / last per pixel column                     |
//! | `group.rs`      | GROUPBY / REDUCE: per-series results merged and reduced           |
//! | `mrange.rs`     | TS.MRANGE: the filter's series queried, grouped, reduced           |

mod aggregate;
mod aggregator;
mod bucket;
mod group;
mod mrange;
mod fold;
mod parse;
mod range;
mod request;
pub(crate) mod scan;
mod stream;
mod twa;
mod viewport;

pub use aggregate::MAX_EMPTY_BUCKETS;
pub use aggregator::{Acc, Aggregator, Need};
pub use bucket::{BucketTimestamp, Buckets};
pub use group::{parse_reducer, reduce};
pub use mrange::{matching, mrange, MRangeRequest, SeriesRows};
pub use parse::{parse_aggregators, parse_range_request};
pub use range::{range, range_key};
pub use request::{Aggregation, Align, RangeRequest, RangeResult, MAX_FILTER_BY_TS};
pub use twa::Twa;
pub use viewport::viewport;
