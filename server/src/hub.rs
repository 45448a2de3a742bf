//! The hub: the series dictionary, the bounded resume buffer and the fan-out to clients.
//!
//! ```text
//! source thread ──publish(batch)──► Hub ─┬─► resume buffer (last N s / N samples)
//!                                        ├─► ClientQueue #1 ──► writer task ──► socket
//!                                        └─► ClientQueue #2 ──► ...
//! ```
//!
//! * **Dictionary.** Series are registered once and never removed, so an id is stable
//!   for the life of the process. Writers announce series a client has not seen yet
//!   before the first samples that use them.
//! * **Ordering invariant.** [`Hub::publish`] rejects a batch whose oldest sample is not
//!   newer than the newest sample already published. Batches therefore cover disjoint,
//!   increasing time ranges, and a client that holds every sample up to timestamp `T`
//!   (it received whole frames, in order) lacks exactly the samples newer than `T`.
//! * **Resume.** [`Hub::subscribe`] snapshots the buffered batches newer than `since`
//!   and registers the client's queue under the same lock, so every batch is either in
//!   the snapshot (the gap) or pushed to the queue (live) — never both, never neither.
//! * **Bounds.** The buffer evicts batches older than `buffer_seconds` (by publish time)
//!   and keeps at most `buffer_samples` samples; each client queue is bounded (see
//!   `queue.rs`). Nothing grows with time or with a client's slowness.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::batch::{Batch, SeriesInfo};
use crate::queue::{ClientQueue, QueueStats};

/// Limits of the hub.
#[derive(Clone, Debug)]
pub struct HubLimits {
    /// Keep published batches at most this long for resume.
    pub buffer_seconds: f64,
    /// Keep at most this many samples for resume (oldest batches go first).
    pub buffer_samples: usize,
    /// Capacity of each client's queue, in samples.
    pub client_queue_samples: usize,
    /// At most this many clients at once; more are refused.
    pub max_clients: usize,
}

impl Default for HubLimits {
    fn default() -> Self {
        HubLimits {
            buffer_seconds: 60.0,
            buffer_samples: 2_000_000,
            client_queue_samples: 200_000,
            max_clients: 64,
        }
    }
}

/// Why a publish or registration was refused (a bug in the source, not a runtime state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubError {
    /// Columns of unequal length.
    Malformed,
    /// A sample references an id that was never registered.
    UnknownSeries(u32),
    /// The batch overlaps in time with what was already published.
    NotNewer { batch_min: i64, published_max: i64 },
    /// Key or label text longer than the wire format allows (65535 bytes).
    TooLong,
}

impl std::fmt::Display for HubError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HubError::Malformed => write!(f, "batch columns have different lengths"),
            HubError::UnknownSeries(id) => {
                write!(f, "batch references unregistered series id {id}")
            }
            HubError::NotNewer {
                batch_min,
                published_max,
            } => {
                write!(
                    f,
                    "batch starts at {batch_min} but {published_max} was already published"
                )
            }
            HubError::TooLong => write!(f, "key or label longer than 65535 bytes"),
        }
    }
}

impl std::error::Error for HubError {}

/// What a new subscriber gets: its queue, the gap to replay first and how complete it is.
pub struct Subscription {
    pub queue: Arc<ClientQueue>,
    /// Buffered samples newer than `since`, oldest first (empty when `since` is None).
    pub gap: Vec<Arc<Batch>>,
    pub resume: ResumeInfo,
}

/// Outcome of a resume request, reported to the client in its hello message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResumeInfo {
    pub since: Option<i64>,
    /// Samples in the gap replay.
    pub replayed_samples: u64,
    /// False when samples newer than `since` were already evicted from the buffer
    /// (the client reconnected too late to get everything back).
    pub complete: bool,
}

/// Buffer and client figures for `/api/info` and status messages.
#[derive(Clone, Debug, Default)]
pub struct HubStats {
    pub series: usize,
    pub published_samples: u64,
    pub buffered_samples: u64,
    pub buffered_batches: u64,
    pub oldest_ts: Option<i64>,
    pub newest_ts: Option<i64>,
    pub dropped_samples_total: u64,
    pub clients: Vec<(u64, QueueStats, u64)>,
}

struct Entry {
    batch: Arc<Batch>,
    at: Instant,
    max_ts: i64,
}

#[derive(Default)]
struct Inner {
    buffer: VecDeque<Entry>,
    buffered_samples: usize,
    clients: Vec<Arc<ClientQueue>>,
    next_client_id: u64,
    /// Newest timestamp published so far.
    published_max: Option<i64>,
    /// Newest timestamp ever evicted from the buffer.
    evicted_max: Option<i64>,
}

#[derive(Default)]
struct Dictionary {
    list: Vec<Arc<SeriesInfo>>,
    by_key: HashMap<String, u32>,
}

/// See the module docs.
pub struct Hub {
    limits: HubLimits,
    dict: RwLock<Dictionary>,
    inner: Mutex<Inner>,
    published_samples: AtomicU64,
    dropped_samples: AtomicU64,
}

impl Hub {
    pub fn new(limits: HubLimits) -> Hub {
        Hub {
            limits,
            dict: RwLock::new(Dictionary::default()),
            inner: Mutex::new(Inner::default()),
            published_samples: AtomicU64::new(0),
            dropped_samples: AtomicU64::new(0),
        }
    }

    pub fn limits(&self) -> &HubLimits {
        &self.limits
    }

    /// Register a series (or return the id of the one with that key).
    pub fn register(&self, key: &str, labels: Vec<(String, String)>) -> Result<u32, HubError> {
        let too_long = key.len() > u16::MAX as usize
            || labels.len() > u16::MAX as usize
            || labels
                .iter()
                .any(|(n, v)| n.len() > u16::MAX as usize || v.len() > u16::MAX as usize);
        if too_long {
            return Err(HubError::TooLong);
        }
        let mut d = self.dict.write().unwrap();
        if let Some(&id) = d.by_key.get(key) {
            return Ok(id);
        }
        let id = d.list.len() as u32;
        d.list.push(Arc::new(SeriesInfo {
            id,
            key: key.to_string(),
            labels,
        }));
        d.by_key.insert(key.to_string(), id);
        Ok(id)
    }

    pub fn series_count(&self) -> usize {
        self.dict.read().unwrap().list.len()
    }

    /// Series with ids in `from..` (the ones a client has not been told about yet).
    pub fn series_from(&self, from: usize) -> Vec<Arc<SeriesInfo>> {
        let d = self.dict.read().unwrap();
        d.list.get(from..).map(|s| s.to_vec()).unwrap_or_default()
    }

    /// Buffer the batch and hand it to every client. Empty batches are ignored.
    pub fn publish(&self, batch: Batch) -> Result<(), HubError> {
        self.publish_at(batch, Instant::now())
    }

    /// [`Hub::publish`] for a batch that is as old as if it had been published at `at`
    /// (the start-up backfill): the buffer evicts it by that age, not by now.
    pub fn publish_at(&self, batch: Batch, at: Instant) -> Result<(), HubError> {
        if !batch.is_well_formed() {
            return Err(HubError::Malformed);
        }
        let Some((min_ts, max_ts)) = batch.ts_range() else {
            return Ok(());
        };
        let n_series = self.series_count() as u32;
        if let Some(&bad) = batch.ids.iter().find(|&&id| id >= n_series) {
            return Err(HubError::UnknownSeries(bad));
        }
        let batch = Arc::new(batch);
        let now = Instant::now();
        let at = at.min(now);
        let mut inner = self.inner.lock().unwrap();
        if let Some(published_max) = inner.published_max {
            if min_ts <= published_max {
                return Err(HubError::NotNewer {
                    batch_min: min_ts,
                    published_max,
                });
            }
        }
        inner.published_max = Some(max_ts);
        inner.buffered_samples += batch.len();
        inner.buffer.push_back(Entry {
            batch: batch.clone(),
            at,
            max_ts,
        });
        self.evict(&mut inner, now);
        inner.clients.retain(|c| !c.is_closed());
        let mut dropped = 0;
        for c in &inner.clients {
            dropped += c.push(batch.clone());
        }
        drop(inner);
        self.published_samples
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
        self.dropped_samples.fetch_add(dropped, Ordering::Relaxed);
        Ok(())
    }

    fn evict(&self, inner: &mut Inner, now: Instant) {
        let max_age = Duration::try_from_secs_f64(self.limits.buffer_seconds.max(0.0))
            .unwrap_or(Duration::MAX);
        while let Some(front) = inner.buffer.front() {
            let too_old = now.duration_since(front.at) > max_age;
            let too_many = inner.buffered_samples > self.limits.buffer_samples;
            if !too_old && !too_many {
                break;
            }
            let e = inner.buffer.pop_front().expect("front exists");
            inner.buffered_samples -= e.batch.len();
            inner.evicted_max = Some(inner.evicted_max.map_or(e.max_ts, |m| m.max(e.max_ts)));
        }
    }

    /// Register a client. With `since = Some(t)`, the returned gap holds every buffered
    /// sample newer than `t`; with `None`, the client only gets the live stream.
    /// Returns `None` when `max_clients` are already connected.
    pub fn subscribe(&self, since: Option<i64>) -> Option<Subscription> {
        let mut inner = self.inner.lock().unwrap();
        inner.clients.retain(|c| !c.is_closed());
        if inner.clients.len() >= self.limits.max_clients {
            return None;
        }
        self.evict(&mut inner, Instant::now());
        let mut gap = Vec::new();
        let mut replayed = 0u64;
        if let Some(since) = since {
            for e in inner.buffer.iter().filter(|e| e.max_ts > since) {
                let b = if e.batch.ts.iter().all(|&t| t > since) {
                    e.batch.clone()
                } else {
                    Arc::new(e.batch.newer_than(since))
                };
                replayed += b.len() as u64;
                gap.push(b);
            }
        }
        let complete = match (since, inner.evicted_max) {
            (Some(s), Some(ev)) => ev <= s,
            _ => true,
        };
        inner.next_client_id += 1;
        let queue = Arc::new(ClientQueue::new(
            inner.next_client_id,
            self.limits.client_queue_samples,
        ));
        inner.clients.push(queue.clone());
        Some(Subscription {
            queue,
            gap,
            resume: ResumeInfo {
                since,
                replayed_samples: replayed,
                complete,
            },
        })
    }

    /// Remove a client (its writer ended).
    pub fn unsubscribe(&self, queue: &ClientQueue) {
        queue.close();
        self.inner
            .lock()
            .unwrap()
            .clients
            .retain(|c| c.id != queue.id);
    }

    pub fn stats(&self) -> HubStats {
        let inner = self.inner.lock().unwrap();
        let oldest_ts = inner
            .buffer
            .front()
            .and_then(|e| e.batch.ts_range())
            .map(|r| r.0);
        HubStats {
            series: self.series_count(),
            published_samples: self.published_samples.load(Ordering::Relaxed),
            buffered_samples: inner.buffered_samples as u64,
            buffered_batches: inner.buffer.len() as u64,
            oldest_ts,
            newest_ts: inner.buffer.back().map(|e| e.max_ts),
            dropped_samples_total: self.dropped_samples.load(Ordering::Relaxed),
            clients: inner
                .clients
                .iter()
                .map(|c| (c.id, c.stats(), c.sent_samples()))
                .collect(),
        }
    }

    /// Oldest and newest buffered timestamps (cheap; for status messages).
    pub fn buffer_span(&self) -> (Option<i64>, Option<i64>) {
        let inner = self.inner.lock().unwrap();
        (
            inner
                .buffer
                .front()
                .and_then(|e| e.batch.ts_range())
                .map(|r| r.0),
            inner.buffer.back().map(|e| e.max_ts),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub(buffer_samples: usize) -> Hub {
        let h = Hub::new(HubLimits {
            buffer_samples,
            client_queue_samples: 100,
            ..HubLimits::default()
        });
        h.register("a", vec![("metric".into(), "a".into())])
            .unwrap();
        h.register("b", vec![]).unwrap();
        h
    }

    fn batch(ts: &[i64]) -> Batch {
        let mut b = Batch::default();
        for (i, &t) in ts.iter().enumerate() {
            b.push((i % 2) as u32, t, t as f64);
        }
        b
    }

    #[test]
    fn register_is_idempotent_by_key() {
        let h = hub(10);
        assert_eq!(h.register("a", vec![]).unwrap(), 0);
        assert_eq!(h.register("c", vec![]).unwrap(), 2);
        assert_eq!(h.series_from(2)[0].key, "c");
        assert!(h.series_from(5).is_empty());
    }

    #[test]
    fn publish_rejects_overlap_unknown_ids_and_malformed() {
        let h = hub(100);
        h.publish(batch(&[10, 11])).unwrap();
        assert_eq!(
            h.publish(batch(&[11, 12])),
            Err(HubError::NotNewer {
                batch_min: 11,
                published_max: 11
            })
        );
        let mut b = batch(&[20]);
        b.ids[0] = 9;
        assert_eq!(h.publish(b), Err(HubError::UnknownSeries(9)));
        let mut b = batch(&[20]);
        b.values.clear();
        assert_eq!(h.publish(b), Err(HubError::Malformed));
    }

    #[test]
    fn gap_is_exactly_the_samples_after_since_and_live_follows() {
        let h = hub(100);
        h.publish(batch(&[1, 2, 3])).unwrap();
        h.publish(batch(&[4, 5, 6])).unwrap();
        let sub = h.subscribe(Some(4)).unwrap();
        let gap: Vec<i64> = sub.gap.iter().flat_map(|b| b.ts.clone()).collect();
        assert_eq!(gap, vec![5, 6]);
        assert!(sub.resume.complete);
        assert_eq!(sub.resume.replayed_samples, 2);
        h.publish(batch(&[7])).unwrap();
        let live: Vec<i64> = sub
            .queue
            .pop_up_to(100)
            .iter()
            .flat_map(|b| b.ts.clone())
            .collect();
        assert_eq!(live, vec![7]);
    }

    #[test]
    fn eviction_bounds_the_buffer_and_marks_resume_incomplete() {
        let h = hub(4);
        h.publish(batch(&[1, 2, 3])).unwrap();
        h.publish(batch(&[4, 5, 6])).unwrap(); // 6 > 4: first batch evicted
        let s = h.stats();
        assert_eq!(
            (s.buffered_samples, s.oldest_ts, s.newest_ts),
            (3, Some(4), Some(6))
        );
        assert!(!h.subscribe(Some(1)).unwrap().resume.complete);
        assert!(h.subscribe(Some(3)).unwrap().resume.complete);
        assert!(h.subscribe(None).unwrap().gap.is_empty());
    }

    #[test]
    fn backdated_batches_are_evicted_by_their_age() {
        let h = Hub::new(HubLimits {
            buffer_seconds: 10.0,
            ..HubLimits::default()
        });
        h.register("a", vec![]).unwrap();
        h.register("b", vec![]).unwrap();
        let now = Instant::now();
        let Some(old) = now.checked_sub(Duration::from_secs(30)) else {
            return; // a machine up for less than 30 s: nothing to test
        };
        h.publish_at(batch(&[1, 2]), old).unwrap();
        h.publish_at(batch(&[3, 4]), now).unwrap();
        let s = h.stats();
        assert_eq!((s.buffered_samples, s.oldest_ts), (2, Some(3)));
        assert!(!h.subscribe(Some(0)).unwrap().resume.complete);
        assert!(h.subscribe(Some(2)).unwrap().resume.complete);
    }

    #[test]
    fn max_clients_and_unsubscribe() {
        let h = Hub::new(HubLimits {
            max_clients: 1,
            ..HubLimits::default()
        });
        let a = h.subscribe(None).unwrap();
        assert!(h.subscribe(None).is_none());
        h.unsubscribe(&a.queue);
        assert!(h.subscribe(None).is_some());
    }
}
