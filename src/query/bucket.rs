//! Bucket arithmetic (docs/semantics/query.md §4).
//!
//! A bucket of duration `d` aligned to `A` starts at `bucket(ts) = ts − ((ts − A) mod d)` with
//! the mathematical (non-negative) modulo; it may start before 0 (`d = 10, A = 5, ts = 3` →
//! `−5`). It is *reported* at its start clamped to 0, `s = max(0, start)`: `s`, `s + d / 2` or
//! `s + d` (BUCKETTIMESTAMP start, mid, end). Sums saturate at `i64::MAX`.

/// Which timestamp a bucket is reported at (BUCKETTIMESTAMP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BucketTimestamp {
    /// The (clamped) start, `-` / `start` (the default).
    #[default]
    Start,
    /// Start + duration / 2, `~` / `mid`.
    Mid,
    /// Start + duration, `+` / `end`.
    End,
}

impl BucketTimestamp {
    /// Parses `start` / `-`, `mid` / `~`, `end` / `+` (case-insensitive).
    ///
    /// ```
    /// use tsdb_wasm::query::BucketTimestamp;
    /// assert_eq!(BucketTimestamp::parse("~"), Some(BucketTimestamp::Mid));
    /// assert_eq!(BucketTimestamp::parse("END"), Some(BucketTimestamp::End));
    /// assert_eq!(BucketTimestamp::parse("middle"), None);
    /// ```
    pub fn parse(s: &str) -> Option<BucketTimestamp> {
        match s.to_ascii_lowercase().as_str() {
            "start" | "-" => Some(BucketTimestamp::Start),
            "mid" | "~" => Some(BucketTimestamp::Mid),
            "end" | "+" => Some(BucketTimestamp::End),
            _ => None,
        }
    }
}

/// A bucket grid: a duration (> 0) and an alignment.
///
/// ```
/// use tsdb_wasm::query::{BucketTimestamp, Buckets};
/// let b = Buckets::new(10, 5);
/// assert_eq!(b.start_of(3), -5);
/// assert_eq!(b.start_of(17), 15);
/// assert_eq!(b.reported(-5, BucketTimestamp::End), 10);
/// assert_eq!(b.reported(15, BucketTimestamp::Mid), 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Buckets {
    /// Duration in ms (> 0).
    pub duration: i64,
    /// Alignment timestamp.
    pub align: i64,
}

impl Buckets {
    /// A grid of `duration` (values below 1 act as 1) aligned to `align`.
    pub fn new(duration: i64, align: i64) -> Buckets {
        Buckets { duration: duration.max(1), align }
    }

    /// Start of the bucket holding `ts` (may be negative).
    #[inline]
    pub fn start_of(&self, ts: i64) -> i64 {
        if ts >= 0 && self.align >= 0 {
            // Both non-negative: `ts - align` cannot overflow, and 64-bit division is far
            // cheaper than 128-bit (a libcall on most targets).
            return ts - (ts - self.align).rem_euclid(self.duration);
        }
        let d = self.duration as i128;
        let r = (ts as i128 - self.align as i128).rem_euclid(d);
        (ts as i128 - r).clamp(i64::MIN as i128, i64::MAX as i128) as i64
    }

    /// End (exclusive) of the bucket starting at `start`, saturated.
    #[inline]
    pub fn end_of(&self, start: i64) -> i64 {
        start.saturating_add(self.duration)
    }

    /// The timestamp a bucket starting at `start` is reported at.
    #[inline]
    pub fn reported(&self, start: i64, bt: BucketTimestamp) -> i64 {
        let s = start.max(0);
        match bt {
            BucketTimestamp::Start => s,
            BucketTimestamp::Mid => s.saturating_add(self.duration / 2),
            BucketTimestamp::End => s.saturating_add(self.duration),
        }
    }

    /// Number of buckets from `first` to `last` inclusive (both bucket starts), saturated.
    pub fn count_between(&self, first: i64, last: i64) -> u64 {
        if last < first {
            return 0;
        }
        ((last as i128 - first as i128) / self.duration as i128 + 1).min(u64::MAX as i128) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extremes_do_not_overflow() {
        let b = Buckets::new(10, i64::MAX);
        assert_eq!(b.start_of(3), -3);
        let b = Buckets::new(i64::MAX, 0);
        assert_eq!(b.start_of(i64::MAX), i64::MAX);
        assert_eq!(b.end_of(5), i64::MAX);
        assert_eq!(b.reported(0, BucketTimestamp::End), i64::MAX);
        assert_eq!(Buckets::new(7, 0).reported(0, BucketTimestamp::Mid), 3);
        assert_eq!(Buckets::new(3, 0).count_between(0, 9), 4);
    }
}
