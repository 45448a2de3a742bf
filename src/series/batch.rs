//! Batched writes (the typed `addMany`): all or nothing.
//!
//! A batch is first checked against the series as it would evolve sample by sample (retention
//! window, duplicate policy, IGNORE), without changing anything; only a batch with no refusal is
//! written. Why fast: the usual batch — strictly increasing timestamps after the newest sample —
//! can only append (retention never refuses an append), so it skips the check entirely.

use std::collections::BTreeMap;

use super::{AddOutcome, DuplicatePolicy, Series};
use crate::error::{Error, Result};

impl Series {
    /// Adds every sample, or none when one would be refused (the error names its position).
    /// Returns how many samples were written (IGNOREd ones excluded).
    pub fn add_batch(
        &mut self,
        ts: &[i64],
        vals: &[f64],
        on_duplicate: Option<DuplicatePolicy>,
        is_destination: bool,
    ) -> Result<usize> {
        // Branch-free (vectorisable): no early exit in the common, increasing case.
        let appends_only = !ts.windows(2).fold(false, |a, w| a | (w[0] >= w[1]))
            && ts.first().is_some_and(|&t| self.last.is_none_or(|(last, _)| t > last));
        // Appends that IGNORE cannot drop (each is at least 1 ms after the previous sample)
        // go in as a batch (`Chunk::push_many`): the same chunks as one by one.
        let policy = self.effective_policy(on_duplicate);
        let ignorable = policy == DuplicatePolicy::Last && !is_destination && self.opts.ignore_max_time_diff > 0;
        if appends_only && !ignorable {
            let n = ts.len().min(vals.len());
            self.append_batch(&ts[..n], &vals[..n]);
            return Ok(n);
        }
        if !appends_only {
            self.check_batch(ts, vals, on_duplicate, is_destination)?;
        }
        let mut written = 0;
        for (&t, &v) in ts.iter().zip(vals) {
            if self.add(t, v, on_duplicate, is_destination)? != AddOutcome::Ignored {
                written += 1;
            }
        }
        Ok(written)
    }

    /// Replays the batch's rules on an overlay of the touched timestamps; the first refusal is
    /// returned with its position.
    pub(crate) fn check_batch(
        &self,
        ts: &[i64],
        vals: &[f64],
        on_duplicate: Option<DuplicatePolicy>,
        is_destination: bool,
    ) -> Result<()> {
        let policy = self.effective_policy(on_duplicate);
        let mut overlay: BTreeMap<i64, f64> = BTreeMap::new();
        let mut last = self.last;
        let cutoff = self.cutoff();
        for (i, (&t, &v)) in ts.iter().zip(vals).enumerate() {
            let at = |e: Error| {
                Error::new(e.kind(), format!("{} (sample {i}, timestamp {t})", e.message()))
            };
            if let Some((l, _)) = last {
                let r = self.opts.retention_ms;
                if r > 0 && t < l && (l - t) as u64 > r {
                    return Err(at(Error::rejected("ERR TSDB: Timestamp is older than retention")));
                }
            }
            let ignored = last.is_some_and(|(l, lv)| {
                policy == DuplicatePolicy::Last
                    && !is_destination
                    && t >= l
                    && (t - l) as u64 <= self.opts.ignore_max_time_diff
                    && !v.is_nan()
                    && !lv.is_nan()
                    && (v - lv).abs() <= self.opts.ignore_max_val_diff
            });
            if ignored {
                continue;
            }
            let old = match overlay.get(&t) {
                Some(&o) => Some(o),
                None if t >= cutoff => self.value_at(t)?,
                None => None,
            };
            let new = match old {
                Some(o) if last.is_some_and(|(l, _)| t <= l) => policy.resolve(o, v).map_err(at)?,
                _ => v,
            };
            overlay.insert(t, new);
            if last.is_none_or(|(l, _)| t >= l) {
                last = Some((t, new));
            }
        }
        Ok(())
    }
}
