//! The engine: keys mapped to series, and every operation on them.
//!
//! Series live in slots addressed by a dense id (`SeriesId`), so the label index and compaction
//! rules refer to series by id and RENAME only changes the key map.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::compaction::{self, Rule};
use crate::error::{Error, Result};
use crate::index::{Filter, LabelIndex};
use crate::series::{AddOutcome, DuplicatePolicy, Series, SeriesOptions};

mod key_order;
use key_order::{sort_by_key_bytes, KeyOrder};

/// Dense identifier of a series slot.
pub type SeriesId = u32;

/// Options of one TS.ADD beyond the sample itself.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// ON_DUPLICATE for this write only.
    pub on_duplicate: Option<DuplicatePolicy>,
    /// Options used when the key does not exist yet and is created by this write.
    pub create: SeriesOptions,
}

/// TS.ALTER: the options to change; `None` leaves one as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlterOptions {
    /// RETENTION.
    pub retention_ms: Option<u64>,
    /// CHUNK_SIZE (for chunks created from now on).
    pub chunk_size: Option<usize>,
    /// DUPLICATE_POLICY.
    pub duplicate_policy: Option<DuplicatePolicy>,
    /// IGNORE maxTimeDiff maxValDiff.
    pub ignore: Option<(u64, f64)>,
    /// LABELS: replaces the whole set.
    pub labels: Option<Vec<(String, String)>>,
}

/// One compaction rule as TS.INFO lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    /// Destination key.
    pub dest: String,
    /// Bucket duration in ms.
    pub bucket_ms: i64,
    /// Aggregator name (lower case, e.g. `avg`).
    pub aggregator: String,
    /// Bucket alignment timestamp.
    pub align: i64,
}

/// One chunk as TS.INFO DEBUG lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkInfo {
    /// First timestamp.
    pub start: i64,
    /// Last timestamp.
    pub end: i64,
    /// Samples.
    pub samples: usize,
    /// Bytes of encoded data.
    pub bytes: usize,
}

/// What TS.INFO reports about a series.
#[derive(Debug, Clone, PartialEq)]
pub struct Info {
    /// Visible samples.
    pub total_samples: u64,
    /// Bytes held by the series.
    pub memory_usage: usize,
    /// First visible timestamp (0 when empty).
    pub first_timestamp: i64,
    /// Newest timestamp (0 when empty).
    pub last_timestamp: i64,
    /// The options (retention, chunk size, encoding, policy, IGNORE, labels).
    pub options: SeriesOptions,
    /// Number of chunks.
    pub chunk_count: usize,
    /// Key of the series this one is the compaction destination of.
    pub source_key: Option<String>,
    /// Compaction rules of this series, in creation order.
    pub rules: Vec<RuleInfo>,
    /// The chunks.
    pub chunks: Vec<ChunkInfo>,
}

/// A series and what the engine knows about it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// The data.
    pub series: Series,
    /// The series this one is the compaction destination of.
    pub source: Option<SeriesId>,
    /// Compaction rules of this series (it is their source), in creation order.
    pub rules: Vec<Rule>,
}

/// A time-series database: keys mapped to series.
#[derive(Debug, Default)]
pub struct Engine {
    by_key: HashMap<String, SeriesId>,
    slots: Vec<Option<Entry>>,
    free: Vec<SeriesId>,
    index: LabelIndex,
    /// Key byte order, kept for the multi-series commands (see [`Engine::matching`]).
    order: RefCell<KeyOrder>,
}

impl Engine {
    /// An empty database.
    ///
    /// ```
    /// use tsdb_wasm::Engine;
    ///
    /// let engine = Engine::new();
    /// assert!(engine.is_empty());
    /// assert_eq!(engine.len(), 0);
    /// ```
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Number of series.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// True when no series exists.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// The id of `key`.
    pub fn id(&self, key: &str) -> Option<SeriesId> {
        self.by_key.get(key).copied()
    }

    /// The entry of `id`.
    pub fn entry(&self, id: SeriesId) -> Option<&Entry> {
        self.slots.get(id as usize)?.as_ref()
    }

    /// The entry of `id`, mutably (compaction upkeep).
    pub(crate) fn entry_mut(&mut self, id: SeriesId) -> Option<&mut Entry> {
        self.slots.get_mut(id as usize)?.as_mut()
    }

    /// The series stored under `key`.
    pub fn series(&self, key: &str) -> Result<&Series> {
        let id = self.id(key).ok_or_else(Error::key_not_found)?;
        Ok(&self.entry(id).ok_or_else(Error::key_not_found)?.series)
    }

    /// Every entry, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (SeriesId, &Entry)> {
        self.slots.iter().enumerate().filter_map(|(i, e)| Some((i as SeriesId, e.as_ref()?)))
    }

    /// Every entry in id order (snapshots).
    pub fn entries_in_order(&self) -> Vec<(SeriesId, &Entry)> {
        self.entries().collect()
    }

    /// An engine holding `entries`, their ids in order (snapshot restore). Keys must be unique.
    pub(crate) fn from_entries(entries: Vec<Entry>) -> Result<Engine> {
        let mut engine = Engine::new();
        for e in entries {
            if engine.by_key.contains_key(&e.key) {
                return Err(Error::corrupt(format!("duplicate key {:?}", e.key)));
            }
            let id = engine.slots.len() as SeriesId;
            engine.by_key.insert(e.key.clone(), id);
            engine.index.insert(id, &e.series.options().labels);
            engine.slots.push(Some(e));
        }
        engine.index.shrink_to_fit();
        Ok(engine)
    }

    /// The whole database as bytes (see [`crate::snapshot`]).
    ///
    /// ```
    /// use tsdb_wasm::{AddOptions, Engine};
    ///
    /// let mut engine = Engine::new();
    /// engine.add("temp", 1000, 21.5, &AddOptions::default()).unwrap();
    /// let bytes = engine.snapshot();
    /// let copy = Engine::restore(&bytes).unwrap();
    /// assert_eq!(copy.range("temp", 0, i64::MAX).unwrap(), (vec![1000], vec![21.5]));
    /// ```
    pub fn snapshot(&self) -> Vec<u8> {
        crate::snapshot::write(self)
    }

    /// A database rebuilt from [`Engine::snapshot`] bytes; corrupt input is an error.
    ///
    /// ```
    /// use tsdb_wasm::{Engine, ErrorKind};
    ///
    /// let bytes = Engine::new().snapshot();
    /// assert!(Engine::restore(&bytes).unwrap().is_empty());
    /// assert_eq!(Engine::restore(&bytes[..bytes.len() - 1]).unwrap_err().kind(), ErrorKind::Corrupt);
    /// ```
    pub fn restore(bytes: &[u8]) -> Result<Engine> {
        crate::snapshot::read(bytes)
    }

    /// Every key, in byte-lexicographic order.
    pub fn sorted_keys(&self) -> Vec<&str> {
        let mut keys: Vec<(&str, ())> = self.by_key.keys().map(|k| (k.as_str(), ())).collect();
        sort_by_key_bytes(&mut keys);
        keys.into_iter().map(|(k, ())| k).collect()
    }

    /// The keys and ids of the series matching `filter`, in key byte order (the order of
    /// TS.QUERYINDEX, TS.MGET and TS.MRANGE).
    pub fn matching(&self, filter: &Filter) -> Vec<(&str, SeriesId)> {
        let ids = self.query_ids(filter);
        let key = |id: SeriesId| Some(self.entry(id)?.key.as_str());
        let all = || self.entries().map(|(id, e)| (e.key.as_str(), id)).collect();
        self.order.borrow_mut().sort(ids, self.len(), self.slots.len(), key, all)
    }

    /// Drops the key order (a key was added, removed or renamed).
    fn keys_changed(&mut self) {
        *self.order.get_mut() = KeyOrder::default();
    }

    fn insert(&mut self, key: &str, series: Series) -> SeriesId {
        let labels = series.options().labels.clone();
        let entry = Entry { key: key.to_owned(), series, source: None, rules: Vec::new() };
        let id = match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = Some(entry);
                id
            }
            None => {
                self.slots.push(Some(entry));
                (self.slots.len() - 1) as SeriesId
            }
        };
        self.by_key.insert(key.to_owned(), id);
        self.index.insert(id, &labels);
        self.keys_changed();
        id
    }

    /// The label index.
    pub fn index(&self) -> &LabelIndex {
        &self.index
    }

    /// The ids of the series matching `filter`, ascending.
    pub fn query_ids(&self, filter: &Filter) -> Vec<SeriesId> {
        self.index.query(filter)
    }

    /// TS.QUERYLABELS: the distinct label names (`label` None) or the distinct values of
    /// `label`, over every series or those `filter` selects; in byte order.
    ///
    /// ```
    /// use tsdb_wasm::index::Filter;
    /// use tsdb_wasm::{Engine, SeriesOptions};
    ///
    /// let mut engine = Engine::new();
    /// for (key, metric, host) in [("cpu:a", "cpu", "a"), ("cpu:b", "cpu", "b"), ("mem:c", "mem", "c")] {
    ///     let labels = vec![("metric".into(), metric.into()), ("host".into(), host.into())];
    ///     engine.create(key, SeriesOptions { labels, ..Default::default() }).unwrap();
    /// }
    /// assert_eq!(engine.query_labels(None, None), ["host", "metric"]);
    /// let cpu = Filter::from_exprs(["metric=cpu"]).unwrap();
    /// assert_eq!(engine.query_labels(Some("host"), Some(&cpu)), ["a", "b"]);
    /// ```
    pub fn query_labels(&self, label: Option<&str>, filter: Option<&Filter>) -> Vec<&str> {
        let ids = filter.map(|f| self.query_ids(f));
        let mut names = match (label, &ids) {
            (None, None) => self.index.label_names(),
            (None, Some(ids)) => self.index.label_names_among(ids),
            (Some(l), None) => self.index.values(l),
            (Some(l), Some(ids)) => self.index.values_among(l, ids),
        };
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The keys matching `filter`, in byte-lexicographic order (TS.QUERYINDEX).
    ///
    /// ```
    /// use tsdb_wasm::index::Filter;
    /// use tsdb_wasm::{Engine, SeriesOptions};
    ///
    /// let mut engine = Engine::new();
    /// for (key, metric, host) in [("cpu:b", "cpu", "b"), ("cpu:a", "cpu", "a"), ("mem:a", "mem", "a")] {
    ///     let labels = vec![("metric".into(), metric.into()), ("host".into(), host.into())];
    ///     engine.create(key, SeriesOptions { labels, ..Default::default() }).unwrap();
    /// }
    /// let cpu = Filter::from_exprs(["metric=cpu"]).unwrap();
    /// assert_eq!(engine.query_index(&cpu), ["cpu:a", "cpu:b"]);
    /// let host_a = Filter::from_exprs(["host=a", "metric=(cpu,mem)"]).unwrap();
    /// assert_eq!(engine.query_index(&host_a), ["cpu:a", "mem:a"]);
    /// ```
    pub fn query_index(&self, filter: &Filter) -> Vec<&str> {
        self.matching(filter).into_iter().map(|(k, _)| k).collect()
    }

    /// TS.CREATE: a new empty series.
    ///
    /// ```
    /// use tsdb_wasm::{Engine, ErrorKind, SeriesOptions};
    ///
    /// let mut engine = Engine::new();
    /// let opts = SeriesOptions { retention_ms: 3_600_000, labels: vec![("room".into(), "kitchen".into())], ..Default::default() };
    /// engine.create("temp:kitchen", opts.clone()).unwrap();
    /// assert!(engine.id("temp:kitchen").is_some());
    /// // A key is created once.
    /// assert_eq!(engine.create("temp:kitchen", opts).unwrap_err().kind(), ErrorKind::AlreadyExists);
    /// ```
    pub fn create(&mut self, key: &str, opts: SeriesOptions) -> Result<SeriesId> {
        if self.by_key.contains_key(key) {
            return Err(Error::key_exists());
        }
        Ok(self.insert(key, Series::new(opts)))
    }

    /// TS.ALTER: changes the given options.
    ///
    /// ```
    /// use tsdb_wasm::{AlterOptions, Engine, SeriesOptions};
    ///
    /// let mut engine = Engine::new();
    /// engine.create("cpu", SeriesOptions::default()).unwrap();
    /// let alter = AlterOptions { retention_ms: Some(60_000), labels: Some(vec![("host".into(), "a".into())]), ..Default::default() };
    /// engine.alter("cpu", alter).unwrap();
    /// let info = engine.info("cpu").unwrap();
    /// assert_eq!(info.options.retention_ms, 60_000);
    /// assert_eq!(info.options.labels, [("host".to_string(), "a".to_string())]);
    /// ```
    pub fn alter(&mut self, key: &str, alter: AlterOptions) -> Result<()> {
        let id = self.id(key).ok_or_else(Error::key_not_found)?;
        let entry = self.entry_mut(id).ok_or_else(Error::key_not_found)?;
        if let Some(r) = alter.retention_ms {
            entry.series.set_retention(r);
        }
        let o = entry.series.options_mut();
        if let Some(c) = alter.chunk_size {
            o.chunk_size = c;
        }
        if let Some(p) = alter.duplicate_policy {
            o.duplicate_policy = Some(p);
        }
        if let Some((t, v)) = alter.ignore {
            o.ignore_max_time_diff = t;
            o.ignore_max_val_diff = v;
        }
        if let Some(labels) = alter.labels {
            let old = std::mem::replace(&mut o.labels, labels.clone());
            self.index.remove(id, &old);
            self.index.insert(id, &labels);
        }
        Ok(())
    }

    /// TS.ADD: adds one sample, creating the series when needed. Returns the timestamp written,
    /// or the newest timestamp when IGNORE drops the sample.
    ///
    /// ```
    /// use tsdb_wasm::{AddOptions, DuplicatePolicy, Engine, ErrorKind};
    ///
    /// let mut engine = Engine::new();
    /// // Creates the series (with `opts.create`) on the first write.
    /// assert_eq!(engine.add("temp", 1000, 21.5, &AddOptions::default()), Ok(1000));
    /// // The default policy (BLOCK) refuses a second value at the same timestamp...
    /// let err = engine.add("temp", 1000, 22.0, &AddOptions::default()).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Rejected);
    /// // ...ON_DUPLICATE overrides it for one write.
    /// let last = AddOptions { on_duplicate: Some(DuplicatePolicy::Last), ..Default::default() };
    /// assert_eq!(engine.add("temp", 1000, 22.0, &last), Ok(1000));
    /// assert_eq!(engine.range("temp", 0, i64::MAX).unwrap(), (vec![1000], vec![22.0]));
    /// ```
    pub fn add(&mut self, key: &str, ts: i64, value: f64, opts: &AddOptions) -> Result<i64> {
        if ts < 0 {
            return Err(Error::invalid("ERR TSDB: invalid timestamp, must be a nonnegative integer"));
        }
        let id = match self.id(key) {
            Some(id) => id,
            None => self.insert(key, Series::new(opts.create.clone())),
        };
        self.add_to(id, ts, value, opts.on_duplicate)
    }

    /// Adds a sample to an existing series (TS.ADD, TS.MADD, TS.INCRBY after parsing). Returns
    /// the timestamp written, or the newest timestamp when IGNORE drops the sample.
    pub fn add_to(&mut self, id: SeriesId, ts: i64, value: f64, on_dup: Option<DuplicatePolicy>) -> Result<i64> {
        match self.write(id, ts, value, on_dup)? {
            AddOutcome::Ignored => Ok(self.series_by_id(id).and_then(Series::last).map_or(ts, |(t, _)| t)),
            _ => Ok(ts),
        }
    }

    /// Writes one sample and keeps the series' compaction rules up to date.
    fn write(&mut self, id: SeriesId, ts: i64, value: f64, on_dup: Option<DuplicatePolicy>) -> Result<AddOutcome> {
        let entry = self.entry_mut(id).ok_or_else(Error::key_not_found)?;
        let is_dest = entry.source.is_some();
        let outcome = entry.series.add(ts, value, on_dup, is_dest)?;
        if outcome != AddOutcome::Ignored && !entry.rules.is_empty() {
            compaction::on_write(self, id, ts, outcome)?;
        }
        Ok(outcome)
    }

    /// Adds many samples to one series (the typed `addMany`), all or nothing: a bad timestamp,
    /// or a sample the series would refuse (duplicate under BLOCK, older than retention), fails
    /// the whole batch and changes nothing. Creates the series with `opts.create` when needed.
    /// Returns how many samples were written (IGNOREd ones excluded).
    ///
    /// ```
    /// use tsdb_wasm::{AddOptions, Engine};
    ///
    /// let mut engine = Engine::new();
    /// let n = engine.add_many("temp", &[3000, 1000, 2000], &[23.0, 21.0, 22.0], &AddOptions::default()).unwrap();
    /// assert_eq!(n, 3);
    /// assert_eq!(engine.range("temp", 0, i64::MAX).unwrap(), (vec![1000, 2000, 3000], vec![21.0, 22.0, 23.0]));
    /// // All or nothing: a duplicate under BLOCK fails the batch and writes nothing.
    /// assert!(engine.add_many("temp", &[4000, 1000], &[24.0, 0.0], &AddOptions::default()).is_err());
    /// assert_eq!(engine.series("temp").unwrap().total_samples(), 3);
    /// ```
    pub fn add_many(&mut self, key: &str, ts: &[i64], vals: &[f64], opts: &AddOptions) -> Result<usize> {
        if ts.len() != vals.len() {
            return Err(Error::invalid("ERR TSDB: timestamps and values differ in length"));
        }
        if ts.iter().any(|&t| t < 0) {
            return Err(Error::invalid("ERR TSDB: invalid timestamp, must be a nonnegative integer"));
        }
        if ts.is_empty() {
            return Ok(0);
        }
        let (id, created) = match self.id(key) {
            Some(id) => (id, false),
            None => (self.insert(key, Series::new(opts.create.clone())), true),
        };
        let entry = self.entry_mut(id).ok_or_else(Error::key_not_found)?;
        let is_dest = entry.source.is_some();
        let result = if entry.rules.is_empty() {
            entry.series.add_batch(ts, vals, opts.on_duplicate, is_dest)
        } else {
            // Rules need every sample: check the batch, then add one by one.
            entry.series.check_batch(ts, vals, opts.on_duplicate, is_dest).and_then(|()| {
                let mut written = 0;
                for (&t, &v) in ts.iter().zip(vals) {
                    written += usize::from(self.write(id, t, v, opts.on_duplicate)? != AddOutcome::Ignored);
                }
                Ok(written)
            })
        };
        if result.is_err() && created {
            self.delete_keys(&[key.to_owned()]);
        }
        result
    }

    /// TS.MADD: one result per sample; never creates a series.
    ///
    /// ```
    /// use tsdb_wasm::{Engine, ErrorKind, SeriesOptions};
    ///
    /// let mut engine = Engine::new();
    /// engine.create("a", SeriesOptions::default()).unwrap();
    /// let out = engine.madd(&[("a".into(), 1000, 1.0), ("missing".into(), 1000, 2.0)]);
    /// assert_eq!(out[0], Ok(1000));
    /// assert_eq!(out[1].as_ref().unwrap_err().kind(), ErrorKind::NotFound);
    /// ```
    pub fn madd(&mut self, samples: &[(String, i64, f64)]) -> Vec<Result<i64>> {
        samples
            .iter()
            .map(|(key, ts, v)| {
                let id = self.id(key).ok_or_else(|| Error::new(crate::ErrorKind::NotFound, "ERR TSDB: the key is not a TSDB key"))?;
                self.add_to(id, *ts, *v, None)
            })
            .collect()
    }

    /// TS.INCRBY / TS.DECRBY after parsing: adds `delta` to the newest value at `ts` (`None` =
    /// `now_ms`), creating the series with `create` when needed.
    ///
    /// ```
    /// use tsdb_wasm::{Engine, SeriesOptions};
    ///
    /// let mut engine = Engine::new();
    /// let create = SeriesOptions::default();
    /// assert_eq!(engine.incr_by("requests", 5.0, Some(1000), 0, &create), Ok(1000));
    /// // `None`: at `now_ms`.
    /// assert_eq!(engine.incr_by("requests", 2.0, None, 2000, &create), Ok(2000));
    /// assert_eq!(engine.series("requests").unwrap().last(), Some((2000, 7.0)));
    /// ```
    pub fn incr_by(&mut self, key: &str, delta: f64, ts: Option<i64>, now_ms: i64, create: &SeriesOptions) -> Result<i64> {
        let ts = ts.unwrap_or(now_ms);
        if ts < 0 {
            return Err(Error::invalid("ERR TSDB: invalid timestamp, must be a nonnegative integer"));
        }
        let id = match self.id(key) {
            Some(id) => id,
            None => self.insert(key, Series::new(create.clone())),
        };
        let series = &self.entry(id).ok_or_else(Error::key_not_found)?.series;
        let (last_ts, last_v) = series.last().unwrap_or((0, 0.0));
        if series.last().is_some() && ts < last_ts {
            return Err(Error::rejected("TSDB: timestamp must be equal to or higher than the maximum existing timestamp"));
        }
        if last_v.is_nan() {
            return Err(Error::rejected("ERR TSDB: cannot increment/decrement NaN value"));
        }
        self.add_to(id, ts, last_v + delta, Some(DuplicatePolicy::Last))
    }

    /// TS.DEL: removes the samples with `from <= ts <= to`; returns how many.
    ///
    /// ```
    /// use tsdb_wasm::{AddOptions, Engine};
    ///
    /// let mut engine = Engine::new();
    /// engine.add_many("temp", &[1000, 2000, 3000], &[21.0, 22.0, 23.0], &AddOptions::default()).unwrap();
    /// assert_eq!(engine.delete_range("temp", 1500, i64::MAX), Ok(2));
    /// assert_eq!(engine.range("temp", 0, i64::MAX).unwrap(), (vec![1000], vec![21.0]));
    /// ```
    pub fn delete_range(&mut self, key: &str, from: i64, to: i64) -> Result<u64> {
        let id = self.id(key).ok_or_else(Error::key_not_found)?;
        let entry = self.entry_mut(id).ok_or_else(Error::key_not_found)?;
        let n = entry.series.delete_range(from, to)?;
        if n > 0 && !entry.rules.is_empty() {
            compaction::on_delete(self, id, from, to)?;
        }
        Ok(n)
    }

    /// The series of `id`.
    pub fn series_by_id(&self, id: SeriesId) -> Option<&Series> {
        self.entry(id).map(|e| &e.series)
    }

    /// The raw samples of `key` with `from <= ts <= to` (retention applied).
    ///
    /// ```
    /// use tsdb_wasm::{AddOptions, Engine};
    ///
    /// let mut engine = Engine::new();
    /// engine.add_many("temp", &[1000, 2000, 3000], &[21.0, 22.0, 23.0], &AddOptions::default()).unwrap();
    /// assert_eq!(engine.range("temp", 1500, 3000).unwrap(), (vec![2000, 3000], vec![22.0, 23.0]));
    /// assert!(engine.range("missing", 0, i64::MAX).is_err());
    /// ```
    pub fn range(&self, key: &str, from: i64, to: i64) -> Result<(Vec<i64>, Vec<f64>)> {
        let series = self.series(key)?;
        let (mut ts, mut vals) = (Vec::new(), Vec::new());
        series.range_into(from, to, &mut ts, &mut vals)?;
        Ok((ts, vals))
    }

    /// TS.INFO.
    ///
    /// ```
    /// use tsdb_wasm::{AddOptions, Engine};
    ///
    /// let mut engine = Engine::new();
    /// engine.add_many("temp", &[1000, 2000], &[21.0, 22.0], &AddOptions::default()).unwrap();
    /// let info = engine.info("temp").unwrap();
    /// assert_eq!((info.total_samples, info.first_timestamp, info.last_timestamp), (2, 1000, 2000));
    /// assert_eq!(info.chunk_count, 1);
    /// assert!(info.rules.is_empty() && info.source_key.is_none());
    /// ```
    pub fn info(&self, key: &str) -> Result<Info> {
        let id = self.id(key).ok_or_else(Error::key_not_found)?;
        let entry = self.entry(id).ok_or_else(Error::key_not_found)?;
        let s = &entry.series;
        Ok(Info {
            total_samples: s.total_samples(),
            memory_usage: s.mem_bytes() + entry.key.capacity(),
            first_timestamp: s.first().map_or(0, |(t, _)| t),
            last_timestamp: s.last().map_or(0, |(t, _)| t),
            options: s.options().clone(),
            chunk_count: s.chunks().len(),
            source_key: entry.source.and_then(|id| self.entry(id)).map(|e| e.key.clone()),
            rules: entry.rules.iter().filter_map(|r| r.info(self)).collect(),
            chunks: s
                .chunks()
                .iter()
                .map(|c| ChunkInfo { start: c.start(), end: c.end(), samples: c.len(), bytes: c.data_bytes() })
                .collect(),
        })
    }

    /// DEL: removes whole series; returns how many existed.
    ///
    /// ```
    /// use tsdb_wasm::{AddOptions, Engine};
    ///
    /// let mut engine = Engine::new();
    /// engine.add("a", 1000, 1.0, &AddOptions::default()).unwrap();
    /// assert_eq!(engine.delete_keys(&["a".into(), "b".into()]), 1);
    /// assert!(engine.is_empty());
    /// ```
    pub fn delete_keys(&mut self, keys: &[String]) -> u64 {
        let mut n = 0;
        for key in keys {
            if let Some(id) = self.by_key.remove(key) {
                self.keys_changed();
                if let Some(e) = self.slots[id as usize].take() {
                    self.index.remove(id, &e.series.options().labels);
                }
                self.free.push(id);
                for e in self.slots.iter_mut().flatten() {
                    if e.source == Some(id) {
                        e.source = None;
                    }
                    e.rules.retain(|r| r.dest != id);
                }
                n += 1;
            }
        }
        n
    }

    /// RENAME: moves a series (data, options, labels, rules) to a new key, replacing any series
    /// already there.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<()> {
        let id = self.id(from).ok_or_else(|| Error::new(crate::ErrorKind::NotFound, "ERR no such key"))?;
        if from == to {
            return Ok(());
        }
        self.delete_keys(&[to.to_owned()]);
        self.by_key.remove(from);
        self.by_key.insert(to.to_owned(), id);
        self.keys_changed();
        if let Some(e) = self.entry_mut(id) {
            e.key = to.to_owned();
        }
        Ok(())
    }

    /// FLUSHALL.
    pub fn flush(&mut self) {
        *self = Engine::new();
    }

    /// Total bytes held by all series.
    pub fn mem_bytes(&self) -> usize {
        std::mem::size_of::<Engine>()
            + self.index.mem_bytes()
            + self.slots.capacity() * std::mem::size_of::<Option<Entry>>()
            + self.by_key.capacity() * (std::mem::size_of::<String>() + 8)
            + self.order.borrow().mem_bytes()
            + self.entries().map(|(_, e)| 2 * e.key.capacity() + e.series.mem_bytes() - std::mem::size_of::<Series>()).sum::<usize>()
    }
}
