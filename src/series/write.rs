//! The write path of a series: append, upsert under a duplicate policy, IGNORE, retention,
//! range deletion (RedisTimeSeries' `internalAdd` rules, docs/semantics/write.md §5).

use super::{DuplicatePolicy, Series};
use crate::chunk::Chunk;
use crate::error::{Error, Result};

/// What an accepted write did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AddOutcome {
    /// A new newest sample.
    Appended,
    /// A sample inserted before the newest one, at a timestamp that held none.
    Inserted,
    /// A sample at an existing timestamp resolved by the duplicate policy: `old` was stored,
    /// `new` is stored now.
    Updated { old: f64, new: f64 },
    /// Dropped by the IGNORE filter; nothing changed.
    Ignored,
}

impl Series {
    /// The policy a write uses: ON_DUPLICATE, else the series' own, else BLOCK.
    pub fn effective_policy(&self, on_duplicate: Option<DuplicatePolicy>) -> DuplicatePolicy {
        on_duplicate.or(self.opts.duplicate_policy).unwrap_or_default()
    }

    /// Checks a write at `ts` against the retention window without changing anything.
    pub fn check_retention(&self, ts: i64) -> Result<()> {
        if let Some((last, _)) = self.last {
            let r = self.opts.retention_ms;
            if r > 0 && ts < last && (last - ts) as u64 > r {
                return Err(Error::rejected("ERR TSDB: Timestamp is older than retention"));
            }
        }
        Ok(())
    }

    /// True when IGNORE drops `(ts, v)` under `policy` (write.md §5 step 3). `is_destination`:
    /// the series is the destination of a compaction rule (never filtered).
    pub fn ignores(&self, ts: i64, v: f64, policy: DuplicatePolicy, is_destination: bool) -> bool {
        let Some((last, last_v)) = self.last else { return false };
        policy == DuplicatePolicy::Last
            && !is_destination
            && ts >= last
            && (ts - last) as u64 <= self.opts.ignore_max_time_diff
            && !v.is_nan()
            && !last_v.is_nan()
            && (v - last_v).abs() <= self.opts.ignore_max_val_diff
    }

    /// Adds a sample (TS.ADD after parsing): retention, IGNORE, then append or upsert.
    /// Nothing changes when it fails.
    pub fn add(
        &mut self,
        ts: i64,
        v: f64,
        on_duplicate: Option<DuplicatePolicy>,
        is_destination: bool,
    ) -> Result<AddOutcome> {
        self.check_retention(ts)?;
        let policy = self.effective_policy(on_duplicate);
        if self.ignores(ts, v, policy, is_destination) {
            return Ok(AddOutcome::Ignored);
        }
        match self.last {
            Some((last, _)) if ts <= last => self.upsert(ts, v, policy),
            _ => {
                self.append(ts, v);
                Ok(AddOutcome::Appended)
            }
        }
    }

    /// Appends a sample newer than every stored one (the caller checked).
    pub(crate) fn append(&mut self, ts: i64, v: f64) {
        let (enc, size) = (self.opts.encoding, self.opts.chunk_size);
        match self.chunks.last_mut() {
            None => self.chunks.extend(Chunk::build(enc, size, &[ts], &[v])),
            Some(head) => {
                if let Err(over) = head.push(ts, v) {
                    self.chunks.extend(Chunk::build(enc, size, &over.ts, &over.vals));
                }
            }
        }
        self.stored += 1;
        self.last = Some((ts, v));
        self.expire();
    }

    /// Appends samples newer than every stored one, in strictly increasing time order (the
    /// caller checked): [`Series::append`] for each, in one pass over the chunks.
    pub(crate) fn append_batch(&mut self, ts: &[i64], vals: &[f64]) {
        let (enc, size) = (self.opts.encoding, self.opts.chunk_size);
        let n = ts.len().min(vals.len());
        let mut i = 0;
        while i < n {
            if self.chunks.is_empty() {
                self.chunks.push(Chunk::new(enc, size));
            }
            let Some(head) = self.chunks.last_mut() else { break };
            let (used, over) = head.push_many(&ts[i..n], &vals[i..n]);
            i += used.max(1);
            if let Some(over) = over {
                self.chunks.extend(Chunk::build(enc, size, &over.ts, &over.vals));
            }
        }
        if n > 0 {
            self.stored += n as u64;
            self.last = Some((ts[n - 1], vals[n - 1]));
            self.expire();
        }
        // A small series' spare chunk slots would cost more than its samples (each slot is a
        // chunk struct); a large series' are a sliver, and keep appends amortised.
        if self.chunks.len() < 64 {
            self.chunks.shrink_to_fit();
        }
    }

    /// Advances the retention window after an append and frees chunks wholly before it.
    fn expire(&mut self) {
        if self.opts.retention_ms == 0 {
            return;
        }
        let cutoff = self.cutoff();
        self.dead_before = cutoff;
        let dead = self.chunks.partition_point(|c| c.end() < cutoff);
        if dead > 0 && dead < self.chunks.len() {
            self.stored -= self.chunks[..dead].iter().map(|c| c.len() as u64).sum::<u64>();
            self.chunks.drain(..dead);
        }
    }

    /// Physically removes expired samples, so that a write or delete below the window cannot
    /// bring them back; afterwards nothing stored is older than the window.
    fn purge_expired(&mut self) -> Result<()> {
        let cutoff = self.cutoff();
        if cutoff > 0 && self.chunks.first().is_some_and(|c| c.start() < cutoff) {
            self.remove_range(i64::MIN, cutoff - 1)?;
        }
        self.dead_before = 0;
        Ok(())
    }

    /// Inserts or overwrites a sample at `ts` under `policy`, without the retention check
    /// (compaction rewrites a destination bucket even when it is older than the window).
    pub(crate) fn upsert(&mut self, ts: i64, v: f64, policy: DuplicatePolicy) -> Result<AddOutcome> {
        // Resolve first: a refused duplicate must change nothing.
        let old = self.value_at(ts)?.filter(|_| ts >= self.cutoff());
        let outcome = match old {
            Some(old) => AddOutcome::Updated { old, new: policy.resolve(old, v)? },
            None => AddOutcome::Inserted,
        };
        self.purge_expired()?;
        let new = match outcome {
            AddOutcome::Updated { new, .. } => new,
            _ => v,
        };
        let i = self.chunks.partition_point(|c| c.end() < ts).min(self.chunks.len().saturating_sub(1));
        let (mut tss, mut vals) = (Vec::new(), Vec::new());
        if let Some(c) = self.chunks.get(i) {
            c.decode_into(&mut tss, &mut vals)?;
        }
        match tss.binary_search(&ts) {
            Ok(pos) => vals[pos] = new,
            Err(pos) => {
                tss.insert(pos, ts);
                vals.insert(pos, new);
                self.stored += 1;
            }
        }
        let rebuilt = Chunk::build(self.opts.encoding, self.opts.chunk_size, &tss, &vals);
        let n = rebuilt.len();
        if self.chunks.is_empty() {
            self.chunks = rebuilt;
        } else {
            self.chunks.splice(i..=i, rebuilt);
        }
        self.seal_rebuilt(i, n);
        if self.last.is_none_or(|(last, _)| ts >= last) {
            self.last = Some((ts, new));
        }
        Ok(outcome)
    }

    /// TS.DEL: removes the visible samples with `from <= ts <= to`; returns how many.
    pub fn delete_range(&mut self, from: i64, to: i64) -> Result<u64> {
        self.purge_expired()?;
        if from > to {
            return Ok(0);
        }
        let n = self.remove_range(from, to)?;
        if n > 0 {
            self.last = self.newest()?;
        }
        Ok(n)
    }

    /// Removes stored samples in `[from, to]`, rebuilding the chunks that straddle a bound.
    fn remove_range(&mut self, from: i64, to: i64) -> Result<u64> {
        let lo = self.chunks.partition_point(|c| c.end() < from);
        let hi = self.chunks.partition_point(|c| c.start() <= to);
        if lo >= hi {
            return Ok(0);
        }
        let mut removed = 0u64;
        let mut replacement = Vec::new();
        for c in &self.chunks[lo..hi] {
            if c.start() >= from && c.end() <= to {
                removed += c.len() as u64;
                continue;
            }
            let (mut tss, mut vals) = (Vec::with_capacity(c.len()), Vec::with_capacity(c.len()));
            c.decode_into(&mut tss, &mut vals)?;
            let a = tss.partition_point(|&t| t < from);
            let b = tss.partition_point(|&t| t <= to);
            removed += (b - a) as u64;
            tss.drain(a..b);
            vals.drain(a..b);
            replacement.extend(Chunk::build(self.opts.encoding, self.opts.chunk_size, &tss, &vals));
        }
        let n = replacement.len();
        self.chunks.splice(lo..hi, replacement);
        self.seal_rebuilt(lo, n);
        self.stored -= removed;
        Ok(removed)
    }

    /// Rebuilt chunks before the head take no more appends: encode their raw tails now rather
    /// than keep up to a block of samples at 16 bytes each.
    fn seal_rebuilt(&mut self, first: usize, n: usize) {
        let head = self.chunks.len().saturating_sub(1);
        for c in self.chunks.iter_mut().take(head).skip(first).take(n) {
            c.seal_tail();
        }
    }

    /// The newest stored sample, read from the chunks.
    pub(crate) fn newest(&self) -> Result<Option<(i64, f64)>> {
        let Some(c) = self.chunks.last() else { return Ok(None) };
        let (mut t, mut v) = (Vec::new(), Vec::new());
        c.decode_range_into(c.end(), c.end(), &mut t, &mut v)?;
        Ok(t.first().copied().zip(v.first().copied()))
    }
}
