//! The raw tail of a compressed chunk: samples appended since the last sealed block.
//!
//! Appends land here in O(1); when [`BLOCK_LEN`] samples have gathered they are sealed into a
//! block and the buffers are freed. Its memory is real and counted, so it is kept small:
//!
//! * Values grow in steps of [`STEP`] samples and exist only while there are unsealed samples.
//! * Timestamps are not stored while they are regular: the tail keeps their common step, and
//!   the chunk's summary knows the last one, so `t_i = end - (n - 1 - i) * step`. Only when a
//!   step differs are they materialised (then 16 bytes per sample, as a plain buffer would).
//!   Regular series, the common case, cost 8 bytes per unsealed sample.
//!
//! The tail also remembers the summary of the sealed part (`base`, boxed with the irregular
//! timestamps: only open chunks hold one), so that when a block does not fit the budget and
//! its samples overflow to the next chunk, the chunk's summary returns exactly to what it was
//! (min / max / sums cannot be "subtracted").

use super::{Summary, BLOCK_LEN};

/// Growth step of the buffers, in samples.
pub const STEP: usize = 64;

/// What only an open tail needs.
#[derive(Debug, Clone, Default)]
struct Open {
    /// Summary of the sealed samples (set when the first unsealed sample arrives).
    base: Summary,
    /// The timestamps, once irregular.
    ts: Vec<i64>,
}

/// Unsealed samples and the summary of everything before them.
#[derive(Debug, Clone, Default)]
pub struct Tail {
    /// Values in time order.
    vals: Vec<f64>,
    /// Common step of the timestamps (valid with two samples or more, while `!irregular`;
    /// 0 otherwise: no real step is 0).
    step: u64,
    /// The timestamps are in `open.ts`.
    irregular: bool,
    open: Option<Box<Open>>,
}

impl Tail {
    /// Appends a sample; `summary` is the chunk's summary before it (its `end` is the previous
    /// timestamp). Returns the new length.
    #[inline(always)]
    pub fn push(&mut self, t: i64, v: f64, summary: &Summary) -> usize {
        let n = self.vals.len();
        if n == self.vals.capacity() {
            self.grow(summary);
        }
        // Fast path: the step of a regular tail. Everything else (the first two samples, a
        // different step, an irregular tail, whose `step` is 0) takes the slow path.
        let d = (t as u64).wrapping_sub(summary.end as u64);
        if d != self.step {
            self.slow_ts(t, d, summary.end);
        }
        self.vals.push(v);
        n + 1
    }

    #[cold]
    #[inline(never)]
    fn slow_ts(&mut self, t: i64, d: u64, end: i64) {
        match self.vals.len() {
            0 => {}
            1 => self.step = d,
            _ => {
                self.irregular_push(t, end);
                self.step = 0;
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, summary: &Summary) {
        let len = self.vals.len();
        let open = self.open.get_or_insert_with(Box::default);
        if len == 0 {
            open.base = *summary;
        }
        let cap = (self.vals.capacity() + STEP).min(BLOCK_LEN).max(len + 1);
        self.vals.reserve_exact(cap - len);
        if self.irregular {
            open.ts.reserve_exact(cap - open.ts.len());
        }
    }

    /// Appends `t` to the materialised timestamps (materialising them first if needed).
    #[cold]
    fn irregular_push(&mut self, t: i64, end: i64) {
        let n = self.vals.len();
        let open = self.open.get_or_insert_with(Box::default);
        if !self.irregular {
            open.ts = Vec::with_capacity(self.vals.capacity());
            let step = self.step;
            open.ts.extend((0..n).map(|i| regular_ts(end, step, n, i)));
            self.irregular = true;
        }
        open.ts.push(t);
    }

    /// Samples held.
    #[inline]
    pub fn len(&self) -> usize {
        self.vals.len()
    }

    /// The values.
    #[inline]
    pub fn vals(&self) -> &[f64] {
        &self.vals
    }

    /// Timestamp `i` (`< len()`); `end` is the last one (the chunk's summary knows it).
    #[inline]
    pub fn ts_at(&self, i: usize, end: i64) -> i64 {
        match &self.open {
            Some(o) if self.irregular => o.ts[i],
            _ => regular_ts(end, self.step, self.vals.len(), i),
        }
    }

    /// Writes the timestamps into `ts[..len()]`; `end` is the last one.
    pub fn timestamps(&self, end: i64, ts: &mut [i64]) {
        let n = self.vals.len();
        match &self.open {
            Some(o) if self.irregular => ts[..n].copy_from_slice(&o.ts),
            _ => {
                for (i, t) in ts[..n].iter_mut().enumerate() {
                    *t = regular_ts(end, self.step, n, i);
                }
            }
        }
    }

    /// Summary of the samples before the tail (meaningful while the tail is not empty).
    pub fn base(&self) -> Summary {
        self.open.as_ref().map(|o| o.base).unwrap_or_default()
    }

    /// Empties the tail after its samples were sealed, freeing its buffers.
    pub fn clear(&mut self) {
        self.vals = Vec::new();
        self.irregular = false;
        self.step = 0;
        if let Some(o) = &mut self.open {
            o.ts = Vec::new();
        }
    }

    /// Drops everything (the chunk takes no more appends).
    pub fn free(&mut self) {
        *self = Tail::default();
    }

    /// Heap bytes held.
    pub fn mem_bytes(&self) -> usize {
        self.vals.capacity() * 8
            + self.open.as_ref().map_or(0, |o| std::mem::size_of::<Open>() + o.ts.capacity() * 8)
    }
}

/// Timestamp `i` of `n` regular ones with step `step` ending at `end` (wrapping arithmetic is
/// exact: every timestamp involved is an i64 and the differences fit in u64).
#[inline]
fn regular_ts(end: i64, step: u64, n: usize, i: usize) -> i64 {
    (end as u64).wrapping_sub(step.wrapping_mul((n - 1 - i) as u64)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(ts: &[i64]) -> (Tail, Summary) {
        let mut t = Tail::default();
        let mut s = Summary::default();
        for (i, &x) in ts.iter().enumerate() {
            t.push(x, i as f64, &s);
            s.push(x, i as f64);
        }
        (t, s)
    }

    #[test]
    fn regular_then_irregular() {
        for ts in [
            vec![5],
            vec![i64::MIN, i64::MAX],
            vec![0, 1000, 2000, 3000],
            vec![0, 1000, 2000, 2500, 3500],
            vec![-7, 3, 13, 23, i64::MAX],
            vec![1, 2, 4, 8, 16, 32, 64],
        ] {
            let (t, s) = fill(&ts);
            let mut got = vec![0; ts.len()];
            t.timestamps(s.end, &mut got);
            assert_eq!(got, ts);
            for (i, &x) in ts.iter().enumerate() {
                assert_eq!(t.ts_at(i, s.end), x);
            }
            assert_eq!(t.irregular, ts.windows(3).any(|w| w[2] - w[1] != w[1] - w[0]));
        }
        let (regular, _) = fill(&(0..100).map(|i| i * 10).collect::<Vec<_>>());
        let (irregular, _) = fill(&(0..100).map(|i| i * i).collect::<Vec<_>>());
        assert!(regular.mem_bytes() + 100 * 8 <= irregular.mem_bytes());
    }
}
