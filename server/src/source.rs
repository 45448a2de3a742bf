//! Sources of samples and the thread that drives one.
//!
//! A [`Source`] is polled with the current time and appends every sample that has
//! become due since the previous poll; [`spawn`] runs it on its own OS thread (sample
//! generation is CPU work and must not stall the async runtime) once per tick and
//! publishes each non-empty batch to the hub.
//!
//! Contract, relied on by the hub's ordering check: a poll at `now` produces only
//! samples with timestamps in `(previous now, now]` — or, for sources whose timestamps
//! are not wall-clock (CSV replay of original timestamps), samples newer than anything
//! produced before.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::batch::Batch;
use crate::hub::Hub;

/// A monotonic clock reading milliseconds since the Unix epoch: the real time when it
/// was created, then advanced by `Instant` (never jumps back if the system clock does).
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    start: Instant,
    start_ms: i64,
}

impl Clock {
    pub fn new() -> Clock {
        let start_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Clock {
            start: Instant::now(),
            start_ms,
        }
    }

    /// A clock that reads `start_ms` now and runs at real speed from there (for
    /// reproducible generator runs: `--start-ms`).
    pub fn starting_at(start_ms: i64) -> Clock {
        Clock {
            start: Instant::now(),
            start_ms,
        }
    }

    pub fn start_ms(&self) -> i64 {
        self.start_ms
    }

    pub fn now_ms(&self) -> i64 {
        self.start_ms + self.start.elapsed().as_millis() as i64
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::new()
    }
}

/// Something that produces samples as time passes.
pub trait Source: Send + 'static {
    /// "generator" or "replay".
    fn mode(&self) -> &'static str;
    /// Nominal samples per second per series.
    fn rate_hz(&self) -> f64;
    /// Append samples due at or before `now_ms` that were not produced yet, about
    /// `max_samples` at most (whole timestamps: never half of one instant).
    fn poll(&mut self, now_ms: i64, max_samples: usize, out: &mut Batch) -> Poll;
    /// Samples skipped because the source fell too far behind the clock.
    fn skipped(&self) -> u64 {
        0
    }
}

/// What a poll left to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Poll {
    /// Caught up with `now`: poll again next tick.
    Ready,
    /// The batch bound was reached and more is due: poll again at once.
    More,
    /// Exhausted: nothing more will come.
    Finished,
}

/// Counters a running source shares with the HTTP side.
#[derive(Debug, Default)]
pub struct SourceStats {
    pub skipped_samples: AtomicU64,
    pub ticks: AtomicU64,
    pub finished: AtomicBool,
}

/// A source running on its thread; dropping it stops the thread.
pub struct SourceHandle {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    pub stats: Arc<SourceStats>,
}

impl SourceHandle {
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            if let Some(join_err) = t.join().err() {
                eprintln!("tsdb-server: source thread panicked: {join_err:?}");
            }
        }
    }
}

impl Drop for SourceHandle {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Run `source` on a new thread, polling it every `tick` and publishing batches of about
/// `max_batch` samples at most to `hub`.
pub fn spawn(
    mut source: Box<dyn Source>,
    hub: Arc<Hub>,
    clock: Clock,
    tick: Duration,
    max_batch: usize,
) -> SourceHandle {
    let stop = Arc::new(AtomicBool::new(false));
    let stats = Arc::new(SourceStats::default());
    let (stop2, stats2) = (stop.clone(), stats.clone());
    let thread = std::thread::Builder::new()
        .name(format!("tsdb-{}", source.mode()))
        .spawn(move || {
            let mut next = Instant::now();
            'ticks: while !stop2.load(Ordering::Relaxed) {
                let now = clock.now_ms();
                loop {
                    let mut batch = Batch::default();
                    let poll = source.poll(now, max_batch, &mut batch);
                    stats2
                        .skipped_samples
                        .store(source.skipped(), Ordering::Relaxed);
                    if let Err(e) = hub.publish(batch) {
                        eprintln!(
                            "tsdb-server: {} produced a bad batch, stopping it: {e}",
                            source.mode()
                        );
                        break 'ticks;
                    }
                    match poll {
                        Poll::More if !stop2.load(Ordering::Relaxed) => continue,
                        Poll::Finished => break 'ticks,
                        _ => break,
                    }
                }
                stats2.ticks.fetch_add(1, Ordering::Relaxed);
                next += tick;
                let now = Instant::now();
                if next > now {
                    std::thread::sleep(next - now);
                } else {
                    next = now; // behind: do not try to catch up with a burst of ticks
                }
            }
            stats2.finished.store(true, Ordering::Relaxed);
        })
        .expect("spawning the source thread");
    SourceHandle {
        stop,
        thread: Some(thread),
        stats,
    }
}
