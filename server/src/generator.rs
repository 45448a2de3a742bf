//! The fleet generator: N hosts × M metrics, each host reporting all its metrics at the
//! configured rate, with real-clock timestamps.
//!
//! Timing. Host `h` of `H` samples at `start + 1 + floor((h / H + k) × period)` for
//! k = 0, 1, 2, … (period = 1000 / rate ms), so hosts are spread evenly over a period
//! instead of all reporting in the same millisecond, and each host's timestamps rise
//! strictly (the rate is capped at 1000 Hz: one sample per ms). Timestamps are computed
//! from `k`, never accumulated, so they do not drift.
//!
//! A poll at `now` emits, host by host, every sample with timestamp in
//! `(previous end, end]`, where `end` is `now` or earlier if that many samples would
//! exceed the batch bound (then it returns `Poll::More`). If the generator falls more than [`MAX_CATCH_UP_MS`] behind
//! (the machine is overloaded or the process was suspended) it skips ahead instead of
//! building an ever-larger batch, and counts the samples it skipped.
//!
//! Values come from `signals.rs`; see there why they are deterministic given the seed.
//!
//! Backfill (`--seed`, see [`Generator::backfill`]). A restarted server would otherwise
//! start with an empty resume buffer, and a client reconnecting with `since` would get a
//! hole. So a seeded generator starts its clock at [`backfill_origin`] — `now` minus the
//! buffer span, rounded down to a whole minute — and generates everything from there to
//! `now` into the buffer before going live. Rounding the origin to a minute keeps the
//! timestamp grid the same across restarts (for any rate with a whole number of samples
//! per minute): after a restart a series continues on exactly the timestamps it would
//! have had. Values of stateful series (counters, memory) start over from their initial
//! state at the origin, like an agent that restarted.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::batch::Batch;
use crate::fleet::{build_hosts, series_key, series_labels, Host, Metric};
use crate::hub::{Hub, HubError};
use crate::signals::{host_drivers, SeriesModel};
use crate::source::{Poll, Source};

/// Largest span of time one poll generates; beyond it the generator skips ahead.
pub const MAX_CATCH_UP_MS: i64 = 2_000;

/// Highest supported rate per series (timestamps are whole milliseconds).
pub const MAX_RATE_HZ: f64 = 1000.0;

/// A backfilling generator's clock origin is a multiple of this.
pub const BACKFILL_ALIGN_MS: i64 = 60_000;

/// Where a backfilling generator starts: `span_ms` before `now_ms`, rounded down to a
/// multiple of [`BACKFILL_ALIGN_MS`].
pub fn backfill_origin(now_ms: i64, span_ms: i64) -> i64 {
    (now_ms - span_ms.max(0)).div_euclid(BACKFILL_ALIGN_MS) * BACKFILL_ALIGN_MS
}

/// Generator settings.
#[derive(Clone, Debug)]
pub struct GeneratorConfig {
    pub hosts: usize,
    pub metrics: Vec<Metric>,
    /// Samples per second per series, 0 < rate <= 1000.
    pub rate_hz: f64,
    pub seed: u64,
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        GeneratorConfig {
            hosts: 50,
            metrics: Metric::ALL.to_vec(),
            rate_hz: 10.0,
            seed: 1,
        }
    }
}

struct HostState {
    host: Host,
    /// Hub ids of this host's series, one per configured metric.
    ids: Vec<u32>,
    models: Vec<SeriesModel>,
    /// Phase offset in periods, in [0, 1).
    phase: f64,
    /// Index of the next sample.
    k: u64,
}

/// See the module docs.
pub struct Generator {
    hosts: Vec<HostState>,
    seed: u64,
    rate_hz: f64,
    period_ms: f64,
    start_ms: i64,
    last_now: i64,
    skipped: u64,
}

impl Generator {
    /// Build the fleet and register its series in `hub`. The first samples are due just
    /// after `start_ms`.
    pub fn new(
        cfg: &GeneratorConfig,
        hub: &Arc<Hub>,
        start_ms: i64,
    ) -> Result<Generator, HubError> {
        assert!(
            cfg.rate_hz > 0.0 && cfg.rate_hz <= MAX_RATE_HZ,
            "rate validated by the caller"
        );
        let n = cfg.hosts.max(1);
        let mut hosts = Vec::with_capacity(n);
        for (i, host) in build_hosts(cfg.hosts, cfg.seed).into_iter().enumerate() {
            let mut ids = Vec::with_capacity(cfg.metrics.len());
            let mut models = Vec::with_capacity(cfg.metrics.len());
            for &m in &cfg.metrics {
                let id = hub.register(&series_key(m, &host), series_labels(m, &host))?;
                // Seed per (host, metric), not per hub id: the values do not depend on
                // what else was registered.
                models.push(SeriesModel::new(
                    m,
                    cfg.seed,
                    (i * Metric::ALL.len() + m as usize) as u64,
                ));
                ids.push(id);
            }
            hosts.push(HostState {
                host,
                ids,
                models,
                phase: i as f64 / n as f64,
                k: 0,
            });
        }
        Ok(Generator {
            hosts,
            seed: cfg.seed,
            rate_hz: cfg.rate_hz,
            period_ms: 1000.0 / cfg.rate_hz,
            start_ms,
            last_now: start_ms,
            skipped: 0,
        })
    }

    pub fn series_count(&self) -> usize {
        self.hosts.iter().map(|h| h.ids.len()).sum()
    }

    /// Generate everything due up to `now_ms` (from the origin given to [`Generator::new`])
    /// and publish it to `hub` in batches of about `max_batch` samples, each backdated to
    /// its age so the buffer evicts it as if it had been published live. Returns the
    /// number of samples published. Call once, before the source thread starts.
    pub fn backfill(&mut self, hub: &Hub, now_ms: i64, max_batch: usize) -> Result<u64, HubError> {
        let wall = Instant::now();
        let mut published = 0u64;
        let mut t = self.last_now;
        while t < now_ms {
            // Steps well under MAX_CATCH_UP_MS, so nothing is skipped.
            t = (t + MAX_CATCH_UP_MS / 2).min(now_ms);
            loop {
                let mut b = Batch::default();
                let p = self.poll(t, max_batch, &mut b);
                if let Some((_, newest)) = b.ts_range() {
                    let age = Duration::from_millis((now_ms - newest).max(0) as u64);
                    published += b.len() as u64;
                    hub.publish_at(b, wall.checked_sub(age).unwrap_or(wall))?;
                }
                if p != Poll::More {
                    break;
                }
            }
        }
        Ok(published)
    }

    fn ts(&self, phase: f64, k: u64) -> i64 {
        self.start_ms + 1 + ((phase + k as f64) * self.period_ms).floor() as i64
    }

    /// First sample index of a host with timestamp > `t`.
    fn first_after(&self, phase: f64, t: i64) -> u64 {
        let approx = ((t - self.start_ms) as f64 / self.period_ms - phase)
            .floor()
            .max(0.0) as u64;
        let mut k = approx.saturating_sub(2);
        while self.ts(phase, k) <= t {
            k += 1;
        }
        k
    }
}

impl Source for Generator {
    fn mode(&self) -> &'static str {
        "generator"
    }

    fn rate_hz(&self) -> f64 {
        self.rate_hz
    }

    fn skipped(&self) -> u64 {
        self.skipped
    }

    fn poll(&mut self, now_ms: i64, max_samples: usize, out: &mut Batch) -> Poll {
        if now_ms <= self.last_now {
            return Poll::Ready;
        }
        if now_ms - self.last_now > MAX_CATCH_UP_MS {
            let cutoff = now_ms - MAX_CATCH_UP_MS;
            for i in 0..self.hosts.len() {
                let (phase, k) = (self.hosts[i].phase, self.hosts[i].k);
                let k2 = self.first_after(phase, cutoff).max(k);
                self.skipped += (k2 - k) * self.hosts[i].ids.len() as u64;
                self.hosts[i].k = k2;
            }
        }
        // Generate a slice of time small enough to stay within the batch bound.
        let per_ms = self.series_count() as f64 / self.period_ms;
        let step = ((max_samples as f64 / per_ms).floor() as i64).max(1);
        let until = now_ms.min(self.last_now + step);
        let dt_s = self.period_ms / 1000.0;
        let (seed, start_ms, period_ms) = (self.seed, self.start_ms, self.period_ms);
        for h in &mut self.hosts {
            loop {
                let t = start_ms + 1 + ((h.phase + h.k as f64) * period_ms).floor() as i64;
                if t > until {
                    break;
                }
                let drivers = host_drivers(seed, &h.host, t);
                for (id, model) in h.ids.iter().zip(h.models.iter_mut()) {
                    out.push(*id, t, model.next(&h.host, &drivers, dt_s));
                }
                h.k += 1;
            }
        }
        self.last_now = until;
        if until < now_ms {
            Poll::More
        } else {
            Poll::Ready
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::HubLimits;
    use std::collections::HashMap;

    const T0: i64 = 1_700_000_000_000;

    fn gen(hosts: usize, rate: f64, seed: u64) -> (Generator, Arc<Hub>) {
        let hub = Arc::new(Hub::new(HubLimits::default()));
        let cfg = GeneratorConfig {
            hosts,
            rate_hz: rate,
            seed,
            ..GeneratorConfig::default()
        };
        (Generator::new(&cfg, &hub, T0).unwrap(), hub)
    }

    fn run(g: &mut Generator, ticks: &[i64]) -> Batch {
        let mut all = Batch::default();
        for &t in ticks {
            let mut b = Batch::default();
            while g.poll(T0 + t, 1000, &mut b) == Poll::More {}
            all.ids.extend(b.ids);
            all.ts.extend(b.ts);
            all.values.extend(b.values);
        }
        all
    }

    fn per_series(b: &Batch) -> HashMap<u32, Vec<(i64, u64)>> {
        let mut m: HashMap<u32, Vec<(i64, u64)>> = HashMap::new();
        for i in 0..b.len() {
            m.entry(b.ids[i])
                .or_default()
                .push((b.ts[i], b.values[i].to_bits()));
        }
        m
    }

    #[test]
    fn rate_and_series_count() {
        let (mut g, hub) = gen(50, 10.0, 1);
        assert_eq!(g.series_count(), 450);
        assert_eq!(hub.series_count(), 450);
        let b = run(&mut g, &[1000]);
        assert_eq!(b.len(), 450 * 10); // one second at 10 Hz
        for (_, s) in per_series(&b) {
            assert!(
                s.windows(2).all(|w| w[0].0 < w[1].0),
                "timestamps rise per series"
            );
        }
    }

    #[test]
    fn output_is_independent_of_tick_schedule() {
        let (mut a, _) = gen(7, 50.0, 42);
        let (mut b, _) = gen(7, 50.0, 42);
        let x = run(&mut a, &[3, 20, 21, 500, 501, 1999, 2000]);
        let y = run(&mut b, &[1000, 2000]);
        assert_eq!(per_series(&x), per_series(&y));
        let (mut c, _) = gen(7, 50.0, 43);
        assert_ne!(per_series(&run(&mut c, &[2000])), per_series(&y));
    }

    #[test]
    fn each_poll_covers_only_new_time() {
        let (mut g, _) = gen(5, 1000.0, 1);
        let mut prev = T0;
        // 5 hosts × 9 metrics at 1000 Hz = 45 samples per ms: a 100-sample bound means
        // 2 ms slices.
        for t in [5, 6, 50, 51, 400] {
            loop {
                let mut b = Batch::default();
                let p = g.poll(T0 + t, 100, &mut b);
                if let Some((lo, hi)) = b.ts_range() {
                    assert!(lo > prev && hi <= T0 + t);
                    assert!(
                        b.len() <= 100 + 5 * 9,
                        "batch bound, give or take one instant"
                    );
                    prev = hi;
                }
                if p == Poll::Ready {
                    break;
                }
            }
        }
    }

    #[test]
    fn backfill_fills_the_buffer_on_the_same_grid_as_a_live_run() {
        let now = T0 + 123_456;
        let origin = backfill_origin(now, 10_000);
        assert_eq!(origin % BACKFILL_ALIGN_MS, 0);
        assert!(origin <= now - 10_000 && origin > now - 10_000 - BACKFILL_ALIGN_MS);
        let hub = Arc::new(Hub::new(HubLimits {
            buffer_seconds: 10.0,
            ..HubLimits::default()
        }));
        let cfg = GeneratorConfig {
            hosts: 3,
            rate_hz: 100.0,
            seed: 9,
            ..GeneratorConfig::default()
        };
        let mut g = Generator::new(&cfg, &hub, origin).unwrap();
        let n = g.backfill(&hub, now, 500).unwrap();
        let periods = (now - origin) as u64 / 10;
        assert!(
            n >= (periods - 1) * 27 && n <= (periods + 1) * 27,
            "{n} samples for {periods} periods"
        );
        assert_eq!(g.skipped(), 0);
        let stats = hub.stats();
        let newest = stats.newest_ts.unwrap();
        assert!(
            newest <= now && newest > now - 10,
            "caught up with now: {newest}"
        );
        let oldest = stats.oldest_ts.unwrap();
        assert!(
            oldest > now - 12_000 && oldest <= now - 9_000,
            "buffer spans ~10 s: {oldest}"
        );
        // A generator started a whole number of minutes earlier puts samples on the same
        // timestamps.
        let hub2 = Arc::new(Hub::new(HubLimits::default()));
        let mut g2 = Generator::new(&cfg, &hub2, origin - 2 * BACKFILL_ALIGN_MS).unwrap();
        let mut b = Batch::default();
        g2.backfill(&hub2, now, 1_000_000).unwrap();
        let sub = hub2.subscribe(Some(now - 1000)).unwrap();
        for x in &sub.gap {
            b.ids.extend(&x.ids);
            b.ts.extend(&x.ts);
            b.values.extend(&x.values);
        }
        let sub1 = hub.subscribe(Some(now - 1000)).unwrap();
        let mut a = Batch::default();
        for x in &sub1.gap {
            a.ids.extend(&x.ids);
            a.ts.extend(&x.ts);
            a.values.extend(&x.values);
        }
        let grid = |b: &Batch| -> HashMap<u32, Vec<i64>> {
            per_series(b)
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(|x| x.0).collect()))
                .collect()
        };
        assert_eq!(a.len(), 100 * 27);
        assert_eq!(grid(&a), grid(&b));
    }

    #[test]
    fn falling_far_behind_skips_instead_of_growing() {
        let (mut g, _) = gen(2, 100.0, 1);
        let b = run(&mut g, &[60_000]);
        assert!(b.len() <= 2 * 9 * 100 * (MAX_CATCH_UP_MS as usize / 1000 + 1));
        assert!(g.skipped() > 0);
        assert_eq!(b.len() as u64 + g.skipped(), 2 * 9 * 100 * 60);
    }
}
