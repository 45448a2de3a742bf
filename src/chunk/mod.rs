//! Chunks: runs of samples in time order, stored within a byte budget.
//!
//! PLACEHOLDER STORAGE: samples are kept as plain vectors until the codecs land
//! (issue 3). The public API below is the contract the series layer relies on.

mod summary;

pub use summary::Summary;

use crate::error::{Error, Result};

/// RedisTimeSeries' default chunk size in bytes.
pub const DEFAULT_CHUNK_SIZE: usize = 4096;
/// Smallest accepted CHUNK_SIZE.
pub const MIN_CHUNK_SIZE: usize = 48;
/// Largest accepted CHUNK_SIZE.
pub const MAX_CHUNK_SIZE: usize = 1_048_576;

/// How a series stores its chunks (TS.CREATE ... ENCODING).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// The best codec per block (the default).
    #[default]
    Compressed,
    /// 16 bytes per sample.
    Uncompressed,
}

impl Encoding {
    /// The name TS.INFO reports as `chunkType`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Compressed => "compressed",
            Encoding::Uncompressed => "uncompressed",
        }
    }
}

/// Samples that did not fit into a full chunk (the new sample last); the caller starts a
/// new chunk with them.
#[derive(Debug, Default)]
pub struct Overflow {
    /// Timestamps, in time order.
    pub ts: Vec<i64>,
    /// Values, parallel to `ts`.
    pub vals: Vec<f64>,
}

/// A run of samples in time order within a byte budget, with its [`Summary`].
#[derive(Debug, Clone)]
pub struct Chunk {
    encoding: Encoding,
    budget: usize,
    ts: Vec<i64>,
    vals: Vec<f64>,
    summary: Summary,
}

impl Chunk {
    /// An empty chunk.
    pub fn new(encoding: Encoding, budget: usize) -> Chunk {
        Chunk { encoding, budget, ts: Vec::new(), vals: Vec::new(), summary: Summary::default() }
    }

    /// Chunks holding `ts` / `vals` (strictly increasing timestamps), each within `budget`.
    pub fn build(encoding: Encoding, budget: usize, ts: &[i64], vals: &[f64]) -> Vec<Chunk> {
        let mut out = vec![Chunk::new(encoding, budget)];
        for (&t, &v) in ts.iter().zip(vals) {
            let last = out.last_mut().expect("non-empty");
            if let Err(over) = last.push(t, v) {
                let mut next = Chunk::new(encoding, budget);
                for (&t, &v) in over.ts.iter().zip(&over.vals) {
                    next.push(t, v).map_err(|_| ()).expect("a fresh chunk takes one sample");
                }
                out.push(next);
            }
        }
        out.retain(|c| !c.is_empty());
        out
    }

    /// The encoding this chunk was created with.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }
    /// The byte budget.
    pub fn budget(&self) -> usize {
        self.budget
    }
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.ts.len()
    }
    /// True when the chunk holds no sample.
    pub fn is_empty(&self) -> bool {
        self.ts.is_empty()
    }
    /// The summary of every sample in the chunk.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }
    /// First timestamp (0 when empty).
    pub fn start(&self) -> i64 {
        self.summary.start
    }
    /// Last timestamp (0 when empty).
    pub fn end(&self) -> i64 {
        self.summary.end
    }

    /// Appends a sample later than every sample in the chunk. When the chunk is full, it keeps
    /// what fits and returns the rest, with the new sample last.
    pub fn push(&mut self, ts: i64, v: f64) -> std::result::Result<(), Overflow> {
        debug_assert!(self.is_empty() || ts > self.end());
        if (self.ts.len() + 1) * 16 > self.budget.max(16) {
            return Err(Overflow { ts: vec![ts], vals: vec![v] });
        }
        self.ts.push(ts);
        self.vals.push(v);
        self.summary.push(ts, v);
        Ok(())
    }

    /// Appends every sample to `ts` / `vals`.
    pub fn decode_into(&self, ts: &mut Vec<i64>, vals: &mut Vec<f64>) -> Result<()> {
        ts.extend_from_slice(&self.ts);
        vals.extend_from_slice(&self.vals);
        Ok(())
    }

    /// Appends the samples with `from <= ts <= to`.
    pub fn decode_range_into(
        &self,
        from: i64,
        to: i64,
        ts: &mut Vec<i64>,
        vals: &mut Vec<f64>,
    ) -> Result<()> {
        let lo = self.ts.partition_point(|&t| t < from);
        let hi = self.ts.partition_point(|&t| t <= to);
        if lo < hi {
            ts.extend_from_slice(&self.ts[lo..hi]);
            vals.extend_from_slice(&self.vals[lo..hi]);
        }
        Ok(())
    }

    /// Bytes of encoded sample data.
    pub fn data_bytes(&self) -> usize {
        self.ts.len() * 16
    }

    /// Bytes of memory this chunk holds (allocations and the struct itself).
    pub fn mem_bytes(&self) -> usize {
        std::mem::size_of::<Chunk>() + self.ts.capacity() * 8 + self.vals.capacity() * 8
    }

    /// Serialises the chunk (for snapshots).
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.push(match self.encoding {
            Encoding::Compressed => 0,
            Encoding::Uncompressed => 1,
        });
        out.extend_from_slice(&(self.budget as u32).to_le_bytes());
        out.extend_from_slice(&(self.ts.len() as u32).to_le_bytes());
        for (&t, &v) in self.ts.iter().zip(&self.vals) {
            out.extend_from_slice(&t.to_le_bytes());
            out.extend_from_slice(&v.to_bits().to_le_bytes());
        }
    }

    /// Reads a chunk written by [`Chunk::write_to`], validating everything.
    pub fn read_from(bytes: &[u8], pos: &mut usize) -> Result<Chunk> {
        let mut take = |n: usize| -> Result<&[u8]> {
            let end = pos.checked_add(n).filter(|&e| e <= bytes.len());
            let end = end.ok_or_else(|| Error::corrupt("truncated chunk"))?;
            let s = &bytes[*pos..end];
            *pos = end;
            Ok(s)
        };
        let encoding = match take(1)?[0] {
            0 => Encoding::Compressed,
            1 => Encoding::Uncompressed,
            e => return Err(Error::corrupt(format!("unknown chunk encoding {e}"))),
        };
        let budget = u32::from_le_bytes(take(4)?.try_into().unwrap_or_default()) as usize;
        let n = u32::from_le_bytes(take(4)?.try_into().unwrap_or_default()) as usize;
        let raw = take(n.checked_mul(16).ok_or_else(|| Error::corrupt("chunk length"))?)?;
        let mut c = Chunk::new(encoding, budget);
        for s in raw.chunks_exact(16) {
            let t = i64::from_le_bytes(s[..8].try_into().unwrap_or_default());
            let v = f64::from_bits(u64::from_le_bytes(s[8..].try_into().unwrap_or_default()));
            if t < 0 || (!c.is_empty() && t <= c.end()) {
                return Err(Error::corrupt("chunk timestamps out of order"));
            }
            c.ts.push(t);
            c.vals.push(v);
            c.summary.push(t, v);
        }
        Ok(c)
    }
}
