//! A series: its options and its samples, kept in time-ordered chunks.

mod policy;

pub use policy::DuplicatePolicy;

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
    /// Labels, in the order given.
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
    opts: SeriesOptions,
    chunks: Vec<Chunk>,
    total: u64,
}

impl Series {
    /// An empty series.
    pub fn new(opts: SeriesOptions) -> Series {
        Series { opts, chunks: Vec::new(), total: 0 }
    }

    /// The options.
    pub fn options(&self) -> &SeriesOptions {
        &self.opts
    }

    /// Number of samples stored.
    pub fn total_samples(&self) -> u64 {
        self.total
    }

    /// The chunks, in time order.
    pub fn chunks(&self) -> &[Chunk] {
        &self.chunks
    }

    /// The newest sample.
    pub fn last(&self) -> Option<(i64, f64)> {
        let c = self.chunks.last()?;
        let mut ts = Vec::new();
        let mut vs = Vec::new();
        c.decode_range_into(c.end(), c.end(), &mut ts, &mut vs).ok()?;
        Some((*ts.first()?, *vs.first()?))
    }

    /// Adds a sample. Returns the timestamp written.
    pub fn add(&mut self, ts: i64, v: f64, on_duplicate: Option<DuplicatePolicy>) -> Result<i64> {
        let newest = self.chunks.last().map(|c| c.end());
        match newest {
            None => self.append(ts, v),
            Some(end) if ts > end => self.append(ts, v),
            Some(_) => {
                let policy = on_duplicate.or(self.opts.duplicate_policy).unwrap_or_default();
                self.upsert(ts, v, policy)?;
            }
        }
        Ok(ts)
    }

    fn append(&mut self, ts: i64, v: f64) {
        let (enc, size) = (self.opts.encoding, self.opts.chunk_size);
        if self.chunks.is_empty() {
            self.chunks.push(Chunk::new(enc, size));
        }
        let head = self.chunks.last_mut().expect("non-empty");
        if let Err(over) = head.push(ts, v) {
            self.chunks.extend(Chunk::build(enc, size, &over.ts, &over.vals));
        }
        self.total += 1;
    }

    fn upsert(&mut self, ts: i64, v: f64, policy: DuplicatePolicy) -> Result<()> {
        // The chunk that holds `ts`, or the one it falls before / after.
        let i = self.chunks.partition_point(|c| c.end() < ts).min(self.chunks.len() - 1);
        let c = &self.chunks[i];
        let (mut tss, mut vals) = (Vec::with_capacity(c.len() + 1), Vec::with_capacity(c.len() + 1));
        c.decode_into(&mut tss, &mut vals)?;
        match tss.binary_search(&ts) {
            Ok(pos) => {
                vals[pos] = policy.resolve(vals[pos], v)?;
            }
            Err(pos) => {
                tss.insert(pos, ts);
                vals.insert(pos, v);
                self.total += 1;
            }
        }
        let rebuilt = Chunk::build(self.opts.encoding, self.opts.chunk_size, &tss, &vals);
        self.chunks.splice(i..=i, rebuilt);
        Ok(())
    }

    /// Appends the samples with `from <= ts <= to` to `ts` / `vals`, in time order.
    pub fn range_into(&self, from: i64, to: i64, ts: &mut Vec<i64>, vals: &mut Vec<f64>) -> Result<()> {
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

    /// Bytes of memory held by the samples and the series itself.
    pub fn mem_bytes(&self) -> usize {
        std::mem::size_of::<Series>()
            + self.chunks.iter().map(Chunk::mem_bytes).sum::<usize>()
            + self.opts.labels.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>()
    }
}
