//! A series: its options and its samples, kept in time-ordered chunks.
//!
//! Chunks never overlap and are in time order; the last one takes appends. Samples older than
//! the retention window are hidden from every read at once and freed a whole chunk at a time
//! (see [`Series::cutoff`]).

mod batch;
mod policy;
mod write;

pub use policy::DuplicatePolicy;
pub use write::AddOutcome;

use crate::chunk::{Chunk, Encoding, DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE};
use crate::error::{Error, Result};

/// Checks a CHUNK_SIZE: a multiple of 8 in [48, 1048576], as RedisTimeSeries requires.
pub fn validate_chunk_size(size: u64) -> Result<usize> {
    if size % 8 == 0 && (MIN_CHUNK_SIZE as u64..=MAX_CHUNK_SIZE as u64).contains(&size) {
        Ok(size as usize)
    } else {
        Err(Error::invalid("ERR TSDB: CHUNK_SIZE value must be a multiple of 8 in the range [48 .. 1048576]"))
    }
}

/// Checks labels as RedisTimeSeries does: names and values non-empty, values without `(`, `)`
/// or `,` (they would break the filter grammar).
pub fn validate_labels(labels: &[(String, String)]) -> Result<()> {
    let bad = |(k, v): &(String, String)| k.is_empty() || v.is_empty() || v.contains(['(', ')', ',']);
    if labels.iter().any(bad) {
        return Err(Error::invalid("ERR TSDB: Couldn't parse LABELS"));
    }
    Ok(())
}

/// The options of a series (TS.CREATE / TS.ALTER).
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesOptions {
    /// Maximum age of samples relative to the newest one, in ms; 0 keeps everything.
    pub retention_ms: u64,
    /// Chunk byte budget.
    pub chunk_size: usize,
    /// Chunk encoding.
    pub encoding: Encoding,
    /// Duplicate policy; `None` means the engine default (BLOCK).
    pub duplicate_policy: Option<DuplicatePolicy>,
    /// IGNORE maxTimeDiff (ms).
    pub ignore_max_time_diff: u64,
    /// IGNORE maxValDiff.
    pub ignore_max_val_diff: f64,
    /// Labels, in the order given (duplicates kept, as RedisTimeSeries does).
    pub labels: Vec<(String, String)>,
}

impl Default for SeriesOptions {
    fn default() -> Self {
        SeriesOptions {
            retention_ms: 0,
            chunk_size: DEFAULT_CHUNK_SIZE,
            encoding: Encoding::Compressed,
            duplicate_policy: None,
            ignore_max_time_diff: 0,
            ignore_max_val_diff: 0.0,
            labels: Vec::new(),
        }
    }
}

/// One time series: options and chunks in time order (non-overlapping, the last one open).
#[derive(Debug, Clone)]
pub struct Series {
    pub(crate) opts: SeriesOptions,
    pub(crate) chunks: Vec<Chunk>,
    /// Samples stored (expired ones not yet freed included).
    pub(crate) stored: u64,
    /// The newest sample.
    pub(crate) last: Option<(i64, f64)>,
    /// Samples older than this are expired: hidden from reads, freed lazily.
    pub(crate) dead_before: i64,
}

impl Series {
    /// An empty series.
    pub fn new(opts: SeriesOptions) -> Series {
        Series { opts, chunks: Vec::new(), stored: 0, last: None, dead_before: 0 }
    }

    /// A series from stored parts (snapshot restore): chunks must be non-empty, in time order
    /// and non-overlapping.
    pub fn from_parts(opts: SeriesOptions, chunks: Vec<Chunk>, dead_before: i64) -> Result<Series> {
        let mut prev_end = -1i64;
        for c in &chunks {
            if c.is_empty() || c.start() <= prev_end || c.end() < c.start() {
                return Err(Error::corrupt("chunks empty, out of order or overlapping"));
            }
            prev_end = c.end();
        }
        let mut s = Series { opts, chunks, stored: 0, last: None, dead_before };
        s.stored = s.chunks.iter().map(|c| c.len() as u64).sum();
        s.last = s.newest()?;
        Ok(s)
    }

    /// The options.
    pub fn options(&self) -> &SeriesOptions {
        &self.opts
    }

    /// The options, for TS.ALTER (retention goes through [`Series::set_retention`]).
    pub fn options_mut(&mut self) -> &mut SeriesOptions {
        &mut self.opts
    }

    /// Changes the retention window; it applies to reads at once. Samples that already expired
    /// stay expired when the window grows.
    ///
    /// `dead_before` holds the last trim threshold (1.12 trims on appends and on ALTER); a
    /// window of 0 trims nothing, so it keeps it — which also reveals a compaction bucket
    /// rewritten below the old window (stored but hidden, as in 1.12).
    pub fn set_retention(&mut self, retention_ms: u64) {
        self.opts.retention_ms = retention_ms;
        if retention_ms > 0 {
            self.dead_before = self.cutoff();
        }
    }

    /// The chunks, in time order. Samples before [`Series::cutoff`] are expired and must be
    /// skipped by readers.
    pub fn chunks(&self) -> &[Chunk] {
        &self.chunks
    }

    /// The newest sample.
    pub fn last(&self) -> Option<(i64, f64)> {
        self.last
    }

    /// The oldest visible timestamp: samples before it are expired (retention) and invisible.
    pub fn cutoff(&self) -> i64 {
        match self.last {
            Some((last, _)) if self.opts.retention_ms > 0 => {
                let window = last.saturating_sub(i64::try_from(self.opts.retention_ms).unwrap_or(i64::MAX));
                window.max(self.dead_before)
            }
            _ => self.dead_before,
        }
    }

    /// Number of visible samples.
    pub fn total_samples(&self) -> u64 {
        self.stored - self.count_before(self.cutoff())
    }

    /// The first visible sample.
    pub fn first(&self) -> Option<(i64, f64)> {
        let (mut ts, mut vals) = (Vec::new(), Vec::new());
        for c in &self.chunks {
            if c.end() < self.cutoff() {
                continue;
            }
            c.decode_range_into(self.cutoff(), i64::MAX, &mut ts, &mut vals).ok()?;
            if let (Some(&t), Some(&v)) = (ts.first(), vals.first()) {
                return Some((t, v));
            }
        }
        None
    }

    /// Stored samples with `ts < t`.
    fn count_before(&self, t: i64) -> u64 {
        let mut n = 0;
        for c in &self.chunks {
            if c.start() >= t {
                break;
            }
            if c.end() < t {
                n += c.len() as u64;
            } else {
                let (mut ts, mut vals) = (Vec::new(), Vec::new());
                if c.decode_range_into(i64::MIN, t - 1, &mut ts, &mut vals).is_ok() {
                    n += ts.len() as u64;
                }
            }
        }
        n
    }

    /// Appends the visible samples with `from <= ts <= to` to `ts` / `vals`, in time order.
    pub fn range_into(&self, from: i64, to: i64, ts: &mut Vec<i64>, vals: &mut Vec<f64>) -> Result<()> {
        let from = from.max(self.cutoff());
        if from > to {
            return Ok(());
        }
        let first = self.chunks.partition_point(|c| c.end() < from);
        for c in &self.chunks[first..] {
            if c.start() > to {
                break;
            }
            if c.start() >= from && c.end() <= to {
                c.decode_into(ts, vals)?;
            } else {
                c.decode_range_into(from, to, ts, vals)?;
            }
        }
        Ok(())
    }

    /// The value stored at `ts`, if any (visible or not).
    pub fn value_at(&self, ts: i64) -> Result<Option<f64>> {
        let i = self.chunks.partition_point(|c| c.end() < ts);
        let Some(c) = self.chunks.get(i).filter(|c| c.start() <= ts) else {
            return Ok(None);
        };
        let (mut t, mut v) = (Vec::new(), Vec::new());
        c.decode_range_into(ts, ts, &mut t, &mut v)?;
        Ok(v.first().copied())
    }

    /// Bytes of memory held by the samples and the series itself.
    pub fn mem_bytes(&self) -> usize {
        std::mem::size_of::<Series>()
            + self.chunks.capacity() * std::mem::size_of::<Chunk>()
            + self.chunks.iter().map(|c| c.mem_bytes() - std::mem::size_of::<Chunk>()).sum::<usize>()
            + self.opts.labels.iter().map(|(k, v)| k.capacity() + v.capacity() + 48).sum::<usize>()
    }
}
