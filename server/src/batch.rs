//! The two values every other module passes around: a series description and a batch
//! of samples.
//!
//! A [`Batch`] is columnar (ids, timestamps, values), the shape both wire formats send
//! and the shape the dashboard ingests. Sources (the generator, the CSV replay) produce
//! one batch per tick; the hub buffers and fans them out behind an `Arc`, so a batch is
//! never copied per client.
//!
//! Invariant the hub enforces (see `hub.rs`): the timestamps of successive published
//! batches do not overlap — every sample of batch *k+1* is newer than every sample of
//! batch *k*. That is what makes "resume from the last timestamp I hold" exact.

/// One series: its small integer id (index in the hub's dictionary), its key
/// (e.g. `cpu:host-07`) and its labels, in a stable order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesInfo {
    pub id: u32,
    pub key: String,
    pub labels: Vec<(String, String)>,
}

impl SeriesInfo {
    /// Value of one label, if present.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Samples in columns; `ids[i]`, `ts[i]`, `values[i]` describe sample `i`.
/// Timestamps are milliseconds since the Unix epoch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    pub ids: Vec<u32>,
    pub ts: Vec<i64>,
    pub values: Vec<f64>,
}

impl Batch {
    pub fn with_capacity(n: usize) -> Batch {
        Batch {
            ids: Vec::with_capacity(n),
            ts: Vec::with_capacity(n),
            values: Vec::with_capacity(n),
        }
    }

    pub fn push(&mut self, id: u32, ts: i64, value: f64) {
        self.ids.push(id);
        self.ts.push(ts);
        self.values.push(value);
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Smallest and largest timestamp, or `None` for an empty batch.
    pub fn ts_range(&self) -> Option<(i64, i64)> {
        let first = *self.ts.first()?;
        Some(
            self.ts
                .iter()
                .fold((first, first), |(lo, hi), &t| (lo.min(t), hi.max(t))),
        )
    }

    /// The samples strictly newer than `since`, in their original order.
    pub fn newer_than(&self, since: i64) -> Batch {
        let mut out = Batch::with_capacity(self.len());
        for i in 0..self.len() {
            if self.ts[i] > since {
                out.push(self.ids[i], self.ts[i], self.values[i]);
            }
        }
        out
    }

    /// Check the columns have equal length (a programming error otherwise).
    pub fn is_well_formed(&self) -> bool {
        self.ids.len() == self.ts.len() && self.ts.len() == self.values.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_and_filter() {
        let mut b = Batch::default();
        assert_eq!(b.ts_range(), None);
        b.push(0, 10, 1.0);
        b.push(1, 12, 2.0);
        b.push(0, 11, 3.0);
        assert_eq!(b.ts_range(), Some((10, 12)));
        let f = b.newer_than(10);
        assert_eq!(f.ids, vec![1, 0]);
        assert_eq!(f.ts, vec![12, 11]);
        assert_eq!(f.values, vec![2.0, 3.0]);
        assert!(b.newer_than(12).is_empty());
    }
}
