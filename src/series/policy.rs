//! DUPLICATE_POLICY: what a write does to a timestamp that already holds a sample.

use crate::error::{Error, Result};

/// How a sample at an existing timestamp is resolved (TS.CREATE DUPLICATE_POLICY,
/// TS.ADD ON_DUPLICATE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DuplicatePolicy {
    /// Refuse the write (the default).
    #[default]
    Block,
    /// Keep the stored value.
    First,
    /// Take the new value.
    Last,
    /// Keep the smaller value.
    Min,
    /// Keep the larger value.
    Max,
    /// Store the sum of both.
    Sum,
}

impl DuplicatePolicy {
    /// Every policy. Snapshots number them 1..=6 in this order: never reorder (the golden
    /// snapshot test fails if it changes).
    pub const ALL: [DuplicatePolicy; 6] = [
        DuplicatePolicy::Block,
        DuplicatePolicy::First,
        DuplicatePolicy::Last,
        DuplicatePolicy::Min,
        DuplicatePolicy::Max,
        DuplicatePolicy::Sum,
    ];

    /// Parses a policy name, case-insensitively.
    pub fn parse(s: &str) -> Option<DuplicatePolicy> {
        Some(match s.to_ascii_lowercase().as_str() {
            "block" => DuplicatePolicy::Block,
            "first" => DuplicatePolicy::First,
            "last" => DuplicatePolicy::Last,
            "min" => DuplicatePolicy::Min,
            "max" => DuplicatePolicy::Max,
            "sum" => DuplicatePolicy::Sum,
            _ => return None,
        })
    }

    /// The lower-case name TS.INFO reports.
    pub fn name(self) -> &'static str {
        match self {
            DuplicatePolicy::Block => "block",
            DuplicatePolicy::First => "first",
            DuplicatePolicy::Last => "last",
            DuplicatePolicy::Min => "min",
            DuplicatePolicy::Max => "max",
            DuplicatePolicy::Sum => "sum",
        }
    }

    /// The value stored when `new` arrives at a timestamp already holding `old`.
    ///
    /// NaN (RedisTimeSeries 8.6): FIRST and LAST behave as usual; MIN, MAX and SUM refuse to mix
    /// a NaN with a number (two NaNs stay NaN).
    pub fn resolve(self, old: f64, new: f64) -> Result<f64> {
        const BLOCKED: &str =
            "ERR TSDB: Error at upsert, update is not supported when DUPLICATE_POLICY is set to BLOCK mode";
        const NAN_MIX: &str = "ERR TSDB: Error at upsert, update is not supported when DUPLICATE_POLICY is set to BLOCK mode, or either current or new value is NaN and DUPLICATE_POLICY is MAX/MIN/SUM";
        let mixed = old.is_nan() != new.is_nan();
        Ok(match self {
            DuplicatePolicy::Block => return Err(Error::rejected(BLOCKED)),
            DuplicatePolicy::First => old,
            DuplicatePolicy::Last => new,
            DuplicatePolicy::Min | DuplicatePolicy::Max | DuplicatePolicy::Sum if mixed => {
                return Err(Error::rejected(NAN_MIX))
            }
            DuplicatePolicy::Min => {
                if new < old { new } else { old }
            }
            DuplicatePolicy::Max => {
                if new > old { new } else { old }
            }
            DuplicatePolicy::Sum => old + new,
        })
    }
}
