//! How simulated values move: shared per-host drivers, and one small state machine per
//! series.
//!
//! Realism comes from layering, as in real fleets:
//!
//! * **Daily cycle** — load follows the local time of the host's region (quiet ~04:00,
//!   busy ~16:00, weekends lighter); batch hosts are busiest at night.
//! * **Incidents** — a datacenter occasionally degrades for 20 s – 5 min (all its hosts
//!   at once: CPU up, p99 latency ×N, errors pouring in), and single hosts have their
//!   own rarer incidents. Ramps up and down, not square pulses.
//! * **Bursts** — short traffic spikes per host; rare per-sample CPU spikes.
//! * **Noise** — AR(1) noise with a correlation time in *seconds* (independent of the
//!   sample rate), plus log-normal jitter on latency and I/O.
//! * **State** — memory leaks slowly and drops on "restart" (a sawtooth); temperature
//!   follows load with a thermal lag; counters (`errors`, `requests`) only ever rise.
//! * **Rounding** — each metric is rounded to the decimals its exporter would send.
//!
//! Why deterministic: the shared drivers (daily cycle, incidents, bursts, backup
//! windows) are *stateless* functions of (seed, host or DC, timestamp), computed by
//! hashing; per-series state advances once per sample from the series' own RNG. So the
//! values of a series depend only on the seed and its sample timestamps — never on how
//! samples were batched into ticks, nor on other series.

use crate::fleet::{Host, Metric, Role};
use crate::rng::{mix_all, unit, Rng};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Load cycle of a region at `t_ms`: 0 near 04:00 local time, 1 near 16:00, lower on
/// weekends.
pub fn diurnal(t_ms: i64, utc_offset_hours: f64) -> f64 {
    let local_ms = t_ms as f64 + utc_offset_hours * HOUR_MS as f64;
    let hour = (local_ms / HOUR_MS as f64).rem_euclid(24.0);
    let day_cycle = 0.5 - 0.5 * ((hour - 4.0) / 24.0 * std::f64::consts::TAU).cos();
    // 1970-01-01 was a Thursday: day 0 -> Thursday, so days 2 and 3 are the weekend.
    let weekday = (local_ms / DAY_MS as f64).floor().rem_euclid(7.0) as i64;
    let weekend = if weekday == 2 || weekday == 3 {
        0.7
    } else {
        1.0
    };
    day_cycle * weekend
}

/// Smooth pseudo-random function of time in [0, 1): hashed knots every `period_ms`,
/// smoothstep-interpolated.
pub fn value_noise(seed: u64, stream: u64, t_ms: i64, period_ms: i64) -> f64 {
    let k = t_ms.div_euclid(period_ms);
    let f = t_ms.rem_euclid(period_ms) as f64 / period_ms as f64;
    let a = unit(mix_all(&[seed, stream, k as u64]));
    let b = unit(mix_all(&[seed, stream, (k + 1) as u64]));
    let s = f * f * (3.0 - 2.0 * f);
    a + (b - a) * s
}

/// Parameters of an incident process.
struct IncidentKind {
    window_ms: i64,
    /// Chance that an incident starts in a given window.
    probability: f64,
    min_ms: i64,
    max_ms: i64,
}

const DC_INCIDENTS: IncidentKind = IncidentKind {
    window_ms: 10 * 60_000,
    probability: 0.12,
    min_ms: 20_000,
    max_ms: 300_000,
};
const HOST_INCIDENTS: IncidentKind = IncidentKind {
    window_ms: 10 * 60_000,
    probability: 0.03,
    min_ms: 10_000,
    max_ms: 120_000,
};

/// Severity in [0, 1] of the incident (if any) affecting `stream` at `t_ms`.
fn incident(seed: u64, stream: u64, t_ms: i64, kind: &IncidentKind) -> f64 {
    let w = t_ms.div_euclid(kind.window_ms);
    let lookback = (kind.max_ms + kind.window_ms - 1) / kind.window_ms;
    let mut severity: f64 = 0.0;
    for wi in (w - lookback)..=w {
        let h = mix_all(&[seed, stream, wi as u64, 0x1AC1]);
        if unit(h) >= kind.probability {
            continue;
        }
        let start = wi * kind.window_ms + (unit(mix_all(&[h, 1])) * kind.window_ms as f64) as i64;
        let dur =
            kind.min_ms + (unit(mix_all(&[h, 2])) * (kind.max_ms - kind.min_ms) as f64) as i64;
        if t_ms < start || t_ms >= start + dur {
            continue;
        }
        let peak = 0.4 + 0.6 * unit(mix_all(&[h, 3]));
        let ramp_up = ((t_ms - start) as f64 / 15_000.0).min(1.0);
        let ramp_down = ((start + dur - t_ms) as f64 / 30_000.0).min(1.0);
        severity = severity.max(peak * ramp_up * ramp_down);
    }
    severity
}

/// Drivers shared by all series of one host at one instant.
#[derive(Clone, Copy, Debug)]
pub struct HostDrivers {
    /// Overall utilisation, 0.02 .. 1.
    pub load: f64,
    /// Incident severity (DC-wide or host-only, whichever is worse), 0 .. 1.
    pub incident: f64,
    /// Daily cycle of the region, 0 .. 1.
    pub diurnal: f64,
    /// True during the host's hourly backup window.
    pub backup: bool,
}

pub fn host_drivers(seed: u64, host: &Host, t_ms: i64) -> HostDrivers {
    let region = host.region();
    let diurnal = diurnal(t_ms, region.utc_offset_hours);
    let (base, amp, cycle) = match host.role {
        Role::Web => (0.12, 0.55, diurnal),
        Role::Api => (0.18, 0.45, diurnal),
        Role::Db => (0.30, 0.30, diurnal),
        Role::Cache => (0.10, 0.35, diurnal),
        Role::Batch => (0.20, 0.55, 1.0 - diurnal),
    };
    let dc_stream = 0xDC00_0000 + host.dc_global as u64;
    let host_stream = 0x4057_0000 + host.index as u64;
    let incident = incident(seed, dc_stream, t_ms, &DC_INCIDENTS).max(incident(
        seed,
        host_stream,
        t_ms,
        &HOST_INCIDENTS,
    ));
    let burst = ((value_noise(seed, host_stream, t_ms, 4_000) - 0.8) / 0.2).max(0.0);
    let load = (base + amp * cycle + 0.3 * burst + 0.55 * incident).clamp(0.02, 1.0);
    let backup_offset = (unit(mix_all(&[seed, host_stream, 0xBAC])) * HOUR_MS as f64) as i64;
    let backup = (t_ms - backup_offset).rem_euclid(HOUR_MS) < 180_000;
    HostDrivers {
        load,
        incident,
        diurnal,
        backup,
    }
}

/// Round to `decimals` places; the result is the f64 nearest to the decimal value, i.e.
/// exactly what parsing the exporter's text would give.
pub fn round_to(v: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (v * scale).round() / scale
}

/// Per-series state machine.
#[derive(Clone, Debug)]
pub struct SeriesModel {
    pub metric: Metric,
    rng: Rng,
    /// AR(1) noise, unit variance.
    noise: f64,
    /// Metric-specific level: leak (mem), temperature, or counter value.
    level: f64,
    started: bool,
}

impl SeriesModel {
    pub fn new(metric: Metric, seed: u64, series_index: u64) -> SeriesModel {
        let rng = Rng::new(mix_all(&[seed, series_index, 0x5E71E5]));
        SeriesModel {
            metric,
            rng,
            noise: 0.0,
            level: 0.0,
            started: false,
        }
    }

    fn init(&mut self, host: &Host, d: &HostDrivers) {
        self.noise = self.rng.normal();
        self.level = match self.metric {
            Metric::Mem => self.rng.range(0.0, 25.0),
            Metric::Temperature => temperature_target(host, d),
            Metric::Errors => self.rng.below(5_000) as f64,
            Metric::Requests => (self.rng.range(1e6, 5e7) * host.capacity).floor(),
            _ => 0.0,
        };
        self.started = true;
    }

    /// The next value, at a sample `dt_s` seconds after the previous one.
    pub fn next(&mut self, host: &Host, d: &HostDrivers, dt_s: f64) -> f64 {
        if !self.started {
            self.init(host, d);
        }
        let phi = (-dt_s / 5.0).exp();
        self.noise = phi * self.noise + (1.0 - phi * phi).sqrt() * self.rng.normal();
        let m = self.metric;
        let v = match m {
            Metric::Cpu => {
                let spike = if self.rng.chance(1.0 - (-dt_s / 120.0).exp()) {
                    self.rng.range(10.0, 35.0)
                } else {
                    0.0
                };
                (100.0 * d.load + 3.0 * self.noise + spike).clamp(0.3, 100.0)
            }
            Metric::Mem => {
                let base = match host.role {
                    Role::Db => 62.0,
                    Role::Cache => 70.0,
                    _ => 38.0,
                };
                let leak_per_s = 0.002 + 0.01 * unit(mix_all(&[host.index as u64, 0x1EA4]));
                self.level += leak_per_s * dt_s;
                let v = base + 8.0 * d.load + self.level + 0.4 * self.noise;
                if v > 96.0 {
                    self.level = 0.0; // the process is restarted by its supervisor
                }
                v.clamp(1.0, 99.9)
            }
            Metric::DiskIo => {
                let base = match host.role {
                    Role::Db => 45.0,
                    Role::Batch => 30.0,
                    Role::Cache => 4.0,
                    _ => 3.0,
                };
                let backup = if d.backup { 110.0 * host.capacity } else { 0.0 };
                let jitter = (0.35 * self.rng.normal()).exp();
                (base * (0.3 + d.load) * jitter + backup * (0.9 + 0.1 * self.noise)).max(0.0)
            }
            Metric::NetRx | Metric::NetTx => {
                let (rx, tx) = match host.role {
                    Role::Web => (0.6, 1.5),
                    Role::Api => (0.8, 1.0),
                    Role::Db => (0.5, 0.7),
                    Role::Cache => (1.0, 1.2),
                    Role::Batch => (0.3, 0.2),
                };
                let ratio = if m == Metric::NetRx { rx } else { tx };
                (400.0 * host.capacity * d.load * ratio * (1.0 + 0.08 * self.noise)).max(0.0)
            }
            Metric::Temperature => {
                let target = temperature_target(host, d);
                self.level += (target - self.level) * (1.0 - (-dt_s / 45.0).exp());
                self.level + 0.15 * self.rng.normal()
            }
            Metric::LatencyP99 => {
                let util = d.load.min(0.95);
                let queueing = 1.0 + 0.25 * util / (1.0 - util);
                host.region().base_latency_ms
                    * queueing
                    * (1.0 + 4.0 * d.incident)
                    * (0.12 * self.rng.normal()).exp()
            }
            Metric::Errors => {
                let per_s = 0.05 + 40.0 * d.incident * d.incident + 5.0 * (d.load - 0.85).max(0.0);
                self.level += self.rng.poisson(per_s * dt_s) as f64;
                self.level
            }
            Metric::Requests => {
                self.level += self.rng.poisson(300.0 * host.capacity * d.load * dt_s) as f64;
                self.level
            }
        };
        round_to(v, m.decimals())
    }
}

fn temperature_target(host: &Host, d: &HostDrivers) -> f64 {
    host.region().ambient_c + 1.5 * (d.diurnal - 0.5) + 18.0 + 38.0 * d.load
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::build_hosts;

    #[test]
    fn diurnal_peaks_in_the_afternoon() {
        // 2024-01-10 (a Wednesday) 16:00 UTC vs 04:00 UTC, in a UTC region.
        let day = 19_732 * DAY_MS;
        assert!(diurnal(day + 16 * HOUR_MS, 0.0) > 0.99);
        assert!(diurnal(day + 4 * HOUR_MS, 0.0) < 0.01);
        // Same UTC instant is a different local hour in another region.
        assert!(diurnal(day + 16 * HOUR_MS, -8.0) < 0.5);
    }

    #[test]
    fn incidents_happen_and_are_bounded() {
        let mut seen = 0;
        for minute in 0..(24 * 60) {
            let s = incident(3, 7, minute * 60_000, &DC_INCIDENTS);
            assert!((0.0..=1.0).contains(&s));
            if s > 0.0 {
                seen += 1;
            }
        }
        assert!(seen > 0, "a day without any incident in this DC");
        assert!(seen < 24 * 60 / 2, "incidents should be the exception");
    }

    #[test]
    fn metrics_stay_in_range_counters_rise_and_values_are_rounded() {
        let hosts = build_hosts(20, 5);
        let t0 = 1_700_000_000_000;
        for (i, host) in hosts.iter().enumerate() {
            for m in Metric::ALL {
                let mut model = SeriesModel::new(m, 5, (i * 9) as u64);
                let mut prev = f64::NEG_INFINITY;
                for k in 0..3000 {
                    let t = t0 + k * 100;
                    let v = model.next(host, &host_drivers(5, host, t), 0.1);
                    assert!(v.is_finite(), "{m:?} {v}");
                    let scaled = v * 10f64.powi(m.decimals());
                    assert!(
                        (scaled - scaled.round()).abs() < 1e-6,
                        "{m:?} not rounded: {v}"
                    );
                    match m {
                        Metric::Cpu | Metric::Mem => assert!((0.0..=100.0).contains(&v)),
                        Metric::Temperature => assert!((10.0..=95.0).contains(&v), "{v}"),
                        _ => assert!(v >= 0.0),
                    }
                    if m.is_counter() {
                        assert!(v >= prev);
                    }
                    prev = v;
                }
            }
        }
    }
}
