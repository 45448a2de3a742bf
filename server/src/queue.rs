//! The bounded per-client queue between the hub and one WebSocket writer.
//!
//! The hub pushes every published batch into every client's queue without ever
//! waiting; the client's writer task pops batches and sends them. When a client cannot
//! keep up (slow network, a tab in the background, a reader that stopped reading), the
//! queue would grow without end — so it is bounded in *samples*:
//!
//! * after a push, while the queue holds more than `capacity` samples and more than one
//!   batch, the **oldest** batch is dropped (a live dashboard prefers fresh data);
//! * dropped samples and batches are counted, and the writer reports the count to the
//!   client in a status message (see PROTOCOL.md).
//!
//! So a client's queue never holds more than `max(capacity, largest single batch)`
//! samples, and the batches themselves are shared `Arc`s also held by the hub's resume
//! buffer, so a queue costs little more than its pointers.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::batch::Batch;

/// Counters of one client's queue, as reported by [`ClientQueue::stats`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueStats {
    /// Samples waiting in the queue now.
    pub queued_samples: u64,
    /// Largest `queued_samples` ever observed right after a push.
    pub peak_queued_samples: u64,
    /// Samples (and batches) dropped because the client was too slow.
    pub dropped_samples: u64,
    pub dropped_batches: u64,
    /// Samples ever accepted into the queue (before any drop).
    pub enqueued_samples: u64,
}

#[derive(Default)]
struct State {
    batches: VecDeque<Arc<Batch>>,
    stats: QueueStats,
    closed: bool,
}

/// A bounded, drop-oldest, single-consumer queue of shared batches.
pub struct ClientQueue {
    pub id: u64,
    pub capacity: usize,
    state: Mutex<State>,
    notify: Notify,
    /// Samples the writer has handed to the socket (live and gap replay).
    sent_samples: AtomicU64,
}

impl ClientQueue {
    pub fn new(id: u64, capacity: usize) -> ClientQueue {
        ClientQueue {
            id,
            capacity: capacity.max(1),
            state: Mutex::new(State::default()),
            notify: Notify::new(),
            sent_samples: AtomicU64::new(0),
        }
    }

    /// Append a batch, dropping the oldest batches if over capacity. Never blocks for
    /// long (one short mutex section). Returns the number of samples dropped.
    pub fn push(&self, batch: Arc<Batch>) -> u64 {
        let mut st = self.state.lock().unwrap();
        if st.closed {
            return 0;
        }
        let n = batch.len() as u64;
        st.stats.enqueued_samples += n;
        st.stats.queued_samples += n;
        st.batches.push_back(batch);
        let mut dropped = 0;
        while st.stats.queued_samples > self.capacity as u64 && st.batches.len() > 1 {
            let old = st.batches.pop_front().expect("len > 1");
            let k = old.len() as u64;
            st.stats.queued_samples -= k;
            st.stats.dropped_samples += k;
            st.stats.dropped_batches += 1;
            dropped += k;
        }
        st.stats.peak_queued_samples = st.stats.peak_queued_samples.max(st.stats.queued_samples);
        drop(st);
        self.notify.notify_one();
        dropped
    }

    /// Take batches from the front, at least one if any is queued, and more while the
    /// total stays within `max_samples`.
    pub fn pop_up_to(&self, max_samples: usize) -> Vec<Arc<Batch>> {
        let mut st = self.state.lock().unwrap();
        let mut out = Vec::new();
        let mut total = 0usize;
        while let Some(front) = st.batches.front() {
            if !out.is_empty() && total + front.len() > max_samples {
                break;
            }
            total += front.len();
            let b = st.batches.pop_front().expect("front exists");
            st.stats.queued_samples -= b.len() as u64;
            out.push(b);
        }
        out
    }

    /// Wait until something was pushed since the last wait (or the queue was closed).
    pub async fn notified(&self) {
        self.notify.notified().await
    }

    /// Stop accepting batches and release the queued ones.
    pub fn close(&self) {
        let mut st = self.state.lock().unwrap();
        st.closed = true;
        st.batches.clear();
        st.stats.queued_samples = 0;
        drop(st);
        self.notify.notify_one();
    }

    pub fn is_closed(&self) -> bool {
        self.state.lock().unwrap().closed
    }

    pub fn stats(&self) -> QueueStats {
        self.state.lock().unwrap().stats
    }

    pub fn add_sent(&self, n: u64) {
        self.sent_samples.fetch_add(n, Ordering::Relaxed);
    }

    pub fn sent_samples(&self) -> u64 {
        self.sent_samples.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(n: usize, t0: i64) -> Arc<Batch> {
        let mut b = Batch::default();
        for i in 0..n {
            b.push(0, t0 + i as i64, 1.0);
        }
        Arc::new(b)
    }

    #[test]
    fn drops_oldest_beyond_capacity_and_counts() {
        let q = ClientQueue::new(1, 10);
        assert_eq!(q.push(batch(4, 0)), 0);
        assert_eq!(q.push(batch(4, 4)), 0);
        assert_eq!(q.push(batch(4, 8)), 4); // 12 > 10: the first batch goes
        let s = q.stats();
        assert_eq!(
            (s.queued_samples, s.dropped_samples, s.dropped_batches),
            (8, 4, 1)
        );
        let got = q.pop_up_to(100);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].ts[0], 4);
        assert_eq!(q.stats().queued_samples, 0);
        assert_eq!(q.stats().enqueued_samples, 12);
    }

    #[test]
    fn a_single_oversized_batch_is_kept() {
        let q = ClientQueue::new(1, 10);
        q.push(batch(50, 0));
        assert_eq!(q.stats().queued_samples, 50);
        q.push(batch(1, 50));
        let s = q.stats();
        assert_eq!((s.queued_samples, s.dropped_samples), (1, 50));
    }

    #[test]
    fn pop_respects_the_frame_budget_but_returns_at_least_one() {
        let q = ClientQueue::new(1, 1000);
        q.push(batch(30, 0));
        q.push(batch(30, 30));
        q.push(batch(30, 60));
        assert_eq!(q.pop_up_to(10).len(), 1);
        assert_eq!(q.pop_up_to(60).len(), 2);
        assert!(q.pop_up_to(60).is_empty());
    }

    #[test]
    fn closed_queue_accepts_nothing() {
        let q = ClientQueue::new(1, 10);
        q.push(batch(3, 0));
        q.close();
        assert!(q.is_closed());
        q.push(batch(3, 3));
        assert!(q.pop_up_to(100).is_empty());
    }
}
