//! The engine: keys to series, and every operation on them.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::series::{DuplicatePolicy, Series, SeriesOptions};

/// Options of one TS.ADD beyond the sample itself.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// ON_DUPLICATE for this write only.
    pub on_duplicate: Option<DuplicatePolicy>,
    /// Options used when the key does not exist yet and is created by this write.
    pub create: SeriesOptions,
}

/// A time-series database: keys mapped to series.
#[derive(Debug, Default)]
pub struct Engine {
    series: HashMap<String, Series>,
}

impl Engine {
    /// An empty database.
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Number of series.
    pub fn len(&self) -> usize {
        self.series.len()
    }

    /// True when no series exists.
    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    /// The series stored under `key`.
    pub fn get_series(&self, key: &str) -> Result<&Series> {
        self.series.get(key).ok_or_else(Error::key_not_found)
    }

    /// TS.CREATE: a new empty series.
    pub fn create(&mut self, key: &str, opts: SeriesOptions) -> Result<()> {
        if self.series.contains_key(key) {
            return Err(Error::key_exists());
        }
        self.series.insert(key.to_owned(), Series::new(opts));
        Ok(())
    }

    /// TS.ADD: adds one sample, creating the series when needed. Returns the timestamp.
    pub fn add(&mut self, key: &str, ts: i64, value: f64, opts: &AddOptions) -> Result<i64> {
        if ts < 0 {
            return Err(Error::invalid("ERR TSDB: invalid timestamp, must be a nonnegative integer"));
        }
        let series = match self.series.get_mut(key) {
            Some(s) => s,
            None => self.series.entry(key.to_owned()).or_insert_with(|| Series::new(opts.create.clone())),
        };
        series.add(ts, value, opts.on_duplicate)
    }

    /// TS.RANGE without options: the samples with `from <= ts <= to`.
    pub fn range(&self, key: &str, from: i64, to: i64) -> Result<(Vec<i64>, Vec<f64>)> {
        let series = self.get_series(key)?;
        let (mut ts, mut vals) = (Vec::new(), Vec::new());
        series.range_into(from, to, &mut ts, &mut vals)?;
        Ok((ts, vals))
    }

    /// Total bytes held by all series.
    pub fn mem_bytes(&self) -> usize {
        self.series.iter().map(|(k, s)| k.len() + s.mem_bytes()).sum()
    }
}
