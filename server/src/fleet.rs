//! The simulated fleet: regions, datacenters, hosts and the metrics each host reports.
//!
//! Only *who is where* lives here; *how values move* is in `signals.rs`. Every choice
//! (which datacenter a host is in, its role, its capacity) is drawn from the seed, so
//! `--seed` fixes the topology as well as the values.
//!
//! Series keys are `<metric>:<host>` (e.g. `cpu:host-07`), labels are, in this order:
//! `metric`, `host`, `region`, `dc`, `role`, `unit`.

use crate::rng::Rng;

/// A region: name, UTC offset (drives the daily cycle), datacenters, and a few
/// physical constants for its hosts.
#[derive(Debug)]
pub struct Region {
    pub name: &'static str,
    pub utc_offset_hours: f64,
    pub dcs: &'static [&'static str],
    /// Baseline p99 request latency, ms.
    pub base_latency_ms: f64,
    /// Mean machine-room temperature, °C.
    pub ambient_c: f64,
    /// Relative share of the fleet placed here.
    pub weight: f64,
}

pub const REGIONS: &[Region] = &[
    Region {
        name: "us-east",
        utc_offset_hours: -5.0,
        dcs: &["us-east-1a", "us-east-1b", "us-east-1c"],
        base_latency_ms: 38.0,
        ambient_c: 22.0,
        weight: 3.0,
    },
    Region {
        name: "us-west",
        utc_offset_hours: -8.0,
        dcs: &["us-west-2a", "us-west-2b"],
        base_latency_ms: 42.0,
        ambient_c: 21.0,
        weight: 2.0,
    },
    Region {
        name: "eu-west",
        utc_offset_hours: 0.0,
        dcs: &["eu-west-1a", "eu-west-1b"],
        base_latency_ms: 35.0,
        ambient_c: 19.5,
        weight: 2.0,
    },
    Region {
        name: "eu-central",
        utc_offset_hours: 1.0,
        dcs: &["eu-central-1a", "eu-central-1b"],
        base_latency_ms: 33.0,
        ambient_c: 20.0,
        weight: 1.5,
    },
    Region {
        name: "ap-northeast",
        utc_offset_hours: 9.0,
        dcs: &["ap-northeast-1a", "ap-northeast-1c"],
        base_latency_ms: 47.0,
        ambient_c: 23.0,
        weight: 1.5,
    },
    Region {
        name: "ap-south",
        utc_offset_hours: 5.5,
        dcs: &["ap-south-1a"],
        base_latency_ms: 55.0,
        ambient_c: 26.0,
        weight: 1.0,
    },
    Region {
        name: "sa-east",
        utc_offset_hours: -3.0,
        dcs: &["sa-east-1a"],
        base_latency_ms: 61.0,
        ambient_c: 24.5,
        weight: 0.7,
    },
];

/// What a host does; shapes its load profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Web,
    Api,
    Db,
    Cache,
    Batch,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Web => "web",
            Role::Api => "api",
            Role::Db => "db",
            Role::Cache => "cache",
            Role::Batch => "batch",
        }
    }
}

/// The metrics every host reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Cpu,
    Mem,
    DiskIo,
    NetRx,
    NetTx,
    Temperature,
    LatencyP99,
    Errors,
    Requests,
}

impl Metric {
    pub const ALL: [Metric; 9] = [
        Metric::Cpu,
        Metric::Mem,
        Metric::DiskIo,
        Metric::NetRx,
        Metric::NetTx,
        Metric::Temperature,
        Metric::LatencyP99,
        Metric::Errors,
        Metric::Requests,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Cpu => "cpu",
            Metric::Mem => "mem",
            Metric::DiskIo => "disk_io",
            Metric::NetRx => "net_rx",
            Metric::NetTx => "net_tx",
            Metric::Temperature => "temperature",
            Metric::LatencyP99 => "latency_p99",
            Metric::Errors => "errors",
            Metric::Requests => "requests",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Metric::Cpu | Metric::Mem => "percent",
            Metric::DiskIo => "MB/s",
            Metric::NetRx | Metric::NetTx => "Mbit/s",
            Metric::Temperature => "celsius",
            Metric::LatencyP99 => "ms",
            Metric::Errors | Metric::Requests => "count",
        }
    }

    /// Decimal places the value is rounded to, as the real exporter would send it.
    pub fn decimals(self) -> i32 {
        match self {
            Metric::Cpu | Metric::Mem | Metric::Temperature | Metric::LatencyP99 => 1,
            Metric::DiskIo | Metric::NetRx | Metric::NetTx => 2,
            Metric::Errors | Metric::Requests => 0,
        }
    }

    /// Monotone counter (never decreases)?
    pub fn is_counter(self) -> bool {
        matches!(self, Metric::Errors | Metric::Requests)
    }

    pub fn parse(s: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == s)
    }
}

/// One simulated machine.
#[derive(Clone, Debug)]
pub struct Host {
    pub index: usize,
    pub name: String,
    pub region: usize,
    /// Index into `REGIONS[region].dcs`.
    pub dc: usize,
    /// Global datacenter number (stable across hosts; seeds per-DC incidents).
    pub dc_global: usize,
    pub role: Role,
    /// Relative machine size, 0.5 .. 2.0 (scales throughput metrics).
    pub capacity: f64,
}

impl Host {
    pub fn region(&self) -> &'static Region {
        &REGIONS[self.region]
    }

    pub fn dc_name(&self) -> &'static str {
        REGIONS[self.region].dcs[self.dc]
    }
}

/// Global number of a datacenter (position in the flattened region list).
fn dc_global(region: usize, dc: usize) -> usize {
    REGIONS[..region].iter().map(|r| r.dcs.len()).sum::<usize>() + dc
}

/// Build `n` hosts named `host-00`, `host-01`, … (zero-padded to the width of `n - 1`,
/// at least 2 digits), placed and typed from the seed.
pub fn build_hosts(n: usize, seed: u64) -> Vec<Host> {
    let width = n.saturating_sub(1).to_string().len().max(2);
    let total_weight: f64 = REGIONS.iter().map(|r| r.weight).sum();
    let mut rng = Rng::new(seed ^ 0xF1EE7);
    (0..n)
        .map(|index| {
            let mut pick = rng.f64() * total_weight;
            let region = REGIONS.iter().position(|r| {
                pick -= r.weight;
                pick < 0.0
            });
            let region = region.unwrap_or(REGIONS.len() - 1);
            let dc = rng.below(REGIONS[region].dcs.len() as u64) as usize;
            let role = match rng.below(10) {
                0..=3 => Role::Web,
                4..=5 => Role::Api,
                6 => Role::Db,
                7 => Role::Cache,
                _ => Role::Batch,
            };
            let capacity = [0.5, 1.0, 1.0, 2.0][rng.below(4) as usize];
            Host {
                index,
                name: format!("host-{index:0width$}"),
                region,
                dc,
                dc_global: dc_global(region, dc),
                role,
                capacity,
            }
        })
        .collect()
}

/// The series key of `metric` on `host`.
pub fn series_key(metric: Metric, host: &Host) -> String {
    format!("{}:{}", metric.name(), host.name)
}

/// The labels of `metric` on `host`, in the documented order.
pub fn series_labels(metric: Metric, host: &Host) -> Vec<(String, String)> {
    vec![
        ("metric".into(), metric.name().into()),
        ("host".into(), host.name.clone()),
        ("region".into(), host.region().name.into()),
        ("dc".into(), host.dc_name().into()),
        ("role".into(), host.role.name().into()),
        ("unit".into(), metric.unit().into()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_deterministic_named_and_spread() {
        let a = build_hosts(120, 9);
        let b = build_hosts(120, 9);
        assert_eq!(
            a.iter()
                .map(|h| (h.region, h.dc, h.role))
                .collect::<Vec<_>>(),
            b.iter()
                .map(|h| (h.region, h.dc, h.role))
                .collect::<Vec<_>>()
        );
        assert_eq!(a[7].name, "host-007");
        assert_eq!(build_hosts(50, 1)[7].name, "host-07");
        let regions: std::collections::HashSet<_> = a.iter().map(|h| h.region).collect();
        assert!(regions.len() >= 5);
        assert_ne!(
            build_hosts(120, 10)
                .iter()
                .map(|h| h.region)
                .collect::<Vec<_>>(),
            a.iter().map(|h| h.region).collect::<Vec<_>>()
        );
    }

    #[test]
    fn keys_and_labels() {
        let h = &build_hosts(50, 1)[7];
        assert_eq!(series_key(Metric::Cpu, h), "cpu:host-07");
        let labels = series_labels(Metric::LatencyP99, h);
        let names: Vec<&str> = labels.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["metric", "host", "region", "dc", "role", "unit"]);
        assert!(labels[3].1.starts_with(&labels[2].1));
        assert_eq!(Metric::parse("latency_p99"), Some(Metric::LatencyP99));
    }
}
