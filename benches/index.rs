//! Label index: 100 000 series × 5 labels, the index against a linear scan of every series'
//! labels (what an engine without an index does), in the same run.
//!
//! Data: hosts `h0..h999` (100 series each), each host in one of 5 regions and one of 20 data
//! centres (4 per region) and one of 3 environments; 20 metrics. Series are created in a shuffled
//! order, so ids do not follow the labels.
//!
//! Run: `CARGO_TARGET_DIR=/work/target-index cargo bench -p tsdb-wasm --bench index`.
//! Before the criterion groups it prints a report: memory per series and per label pair, the
//! time to insert and to remove all 100 000 series, and the speedup of each filter over the scan.
//!
//! Also measured (group `index/alternative`): evaluating the filter by seeding from the index and
//! then checking each candidate's labels through a per-id forward table of interned pairs — the
//! design the index does *not* use; the report prints the forward table's extra memory.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, BatchSize, Criterion};
use tsdb_wasm::index::{Filter, LabelIndex};

type Labels = Vec<(String, String)>;

const SERIES: usize = 100_000;
const REGIONS: [&str; 5] = ["eu", "us", "ap", "sa", "af"];
const ENVS: [&str; 3] = ["prod", "dev", "staging"];
const METRICS: [&str; 20] = [
    "cpu", "mem", "disk", "net_in", "net_out", "load1", "load5", "load15", "iops", "temp", "fan",
    "power", "swap", "procs", "threads", "fds", "tcp", "udp", "latency", "errors",
];

/// The main filter of the brief.
const MAIN: &[&str] = &["metric=cpu", "region=(eu,us)", "env!=dev"];

/// Other shapes, for context.
const OTHERS: &[(&str, &[&str])] = &[
    ("selective host=h17 metric=cpu", &["host=h17", "metric=cpu"]),
    ("broad env=prod", &["env=prod"]),
    ("list of 50 hosts, env!=dev", &[]), // filled in by `other_filters`
    (
        "dc=(dc1,dc2) metric!=(cpu,mem) host!=",
        &["dc=(dc1,dc2)", "metric!=(cpu,mem)", "host!="],
    ),
    ("absent: region=eu nolabel=", &["region=eu", "nolabel="]),
];

fn dataset() -> Vec<Labels> {
    let mut order: Vec<usize> = (0..SERIES).collect();
    let mut state = 0x1234_5678_9abc_def0u64;
    for i in (1..order.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    order
        .into_iter()
        .map(|i| {
            let h = i / 100;
            let region = h % 5;
            let dc = region * 4 + (h / 5) % 4;
            let env = ((h as u64).wrapping_mul(2_654_435_761) >> 7) % 3;
            vec![
                ("host".to_string(), format!("h{h}")),
                ("region".to_string(), REGIONS[region].to_string()),
                ("dc".to_string(), format!("dc{dc}")),
                ("metric".to_string(), METRICS[i % 20].to_string()),
                ("env".to_string(), ENVS[env as usize].to_string()),
            ]
        })
        .collect()
}

fn build(data: &[Labels]) -> LabelIndex {
    let mut index = LabelIndex::new();
    for (id, labels) in data.iter().enumerate() {
        index.insert(id as u32, labels);
    }
    index
}

fn linear_scan(data: &[Labels], filter: &Filter) -> Vec<u32> {
    data.iter()
        .enumerate()
        .filter(|(_, l)| filter.matches(l))
        .map(|(id, _)| id as u32)
        .collect()
}

fn other_filters() -> Vec<(String, Filter)> {
    OTHERS
        .iter()
        .map(|(name, exprs)| {
            let filter = if exprs.is_empty() {
                let hosts: Vec<String> = (0..50).map(|i| format!("h{}", i * 7)).collect();
                Filter::from_exprs([
                    format!("host=({})", hosts.join(",")),
                    "env!=dev".to_string(),
                ])
            } else {
                Filter::from_exprs(exprs.iter())
            };
            (name.to_string(), filter.unwrap())
        })
        .collect()
}

/// The alternative evaluation: per-id interned label pairs.
struct Forward {
    syms: HashMap<String, u32>,
    pairs: Vec<Box<[(u32, u32)]>>,
}

impl Forward {
    fn new(data: &[Labels]) -> Forward {
        let mut syms = HashMap::new();
        let mut sym = |s: &str| {
            let n = syms.len() as u32;
            *syms.entry(s.to_string()).or_insert(n)
        };
        let pairs = data
            .iter()
            .map(|l| l.iter().map(|(n, v)| (sym(n), sym(v))).collect())
            .collect();
        Forward { syms, pairs }
    }

    fn bytes(&self) -> usize {
        self.pairs.len() * std::mem::size_of::<Box<[(u32, u32)]>>()
            + self.pairs.iter().map(|p| p.len() * 8).sum::<usize>()
            + self.syms.capacity() * (std::mem::size_of::<(String, u32)>() + 1)
            + self.syms.keys().map(String::len).sum::<usize>()
    }

    /// `metric=cpu region=(eu,us) env!=dev`: seed from the index, check the rest per candidate.
    fn main_query(&self, index: &LabelIndex, seed: &Filter) -> Vec<u32> {
        let s = |x: &str| self.syms[x];
        let (region, eu, us, env, dev) = (s("region"), s("eu"), s("us"), s("env"), s("dev"));
        let mut ids = index.query(seed);
        ids.retain(|&id| {
            let p = &self.pairs[id as usize];
            p.iter().any(|&(n, v)| n == region && (v == eu || v == us))
                && !p.iter().any(|&(n, v)| n == env && v == dev)
        });
        ids
    }
}

fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn report() {
    let data = dataset();
    let pairs: usize = data.iter().map(Vec::len).sum();
    let insert = median_time(5, || {
        black_box(build(&data));
    });
    let index = build(&data);
    let remove = median_time(3, || {
        let mut ix = index.clone();
        let t = Instant::now();
        for (id, labels) in data.iter().enumerate() {
            ix.remove(id as u32, labels);
        }
        assert!(ix.is_empty());
        black_box(t.elapsed());
    });
    let bytes = index.mem_bytes();
    let labels_bytes: usize = data
        .iter()
        .map(|l| {
            l.capacity() * std::mem::size_of::<(String, String)>()
                + l.iter()
                    .map(|(n, v)| n.capacity() + v.capacity())
                    .sum::<usize>()
        })
        .sum();
    println!("\n== label index report: {SERIES} series, {pairs} label pairs ==");
    println!(
        "index memory: {bytes} bytes = {:.1} B/series, {:.2} B/label pair",
        bytes as f64 / SERIES as f64,
        bytes as f64 / pairs as f64
    );
    println!(
        "(for scale: the engine's own Vec<(String, String)> label lists hold {:.1} B/series)",
        labels_bytes as f64 / SERIES as f64
    );
    println!(
        "insert all: {insert:.2?} ({:.0} ns/series); remove all one by one: {remove:.2?}",
        insert.as_nanos() as f64 / SERIES as f64
    );
    let mut filters = vec![(
        "main: metric=cpu region=(eu,us) env!=dev".to_string(),
        Filter::from_exprs(MAIN).unwrap(),
    )];
    filters.extend(other_filters());
    for (name, f) in &filters {
        let got = index.query(f);
        assert_eq!(got, linear_scan(&data, f), "{name}");
        let t_index = median_time(201, || {
            black_box(index.query(f));
        });
        let t_scan = median_time(11, || {
            black_box(linear_scan(&data, f));
        });
        println!(
            "{name:<45} {:>6} hits  index {t_index:>10.2?}  scan {t_scan:>10.2?}  speedup {:>7.0}x",
            got.len(),
            t_scan.as_secs_f64() / t_index.as_secs_f64()
        );
    }
    let fwd = Forward::new(&data);
    let seed = Filter::from_exprs(["metric=cpu"]).unwrap();
    assert_eq!(fwd.main_query(&index, &seed), index.query(&filters[0].1));
    let t_fwd = median_time(201, || {
        black_box(fwd.main_query(&index, &seed));
    });
    println!(
        "alternative (seed metric=cpu from the index, forward-table check per candidate): {t_fwd:.2?}, \
         +{:.1} B/series of forward table",
        fwd.bytes() as f64 / SERIES as f64
    );
    println!();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(20)
}

fn bench_query(c: &mut Criterion) {
    let data = dataset();
    let index = build(&data);
    let main = Filter::from_exprs(MAIN).unwrap();
    let mut g = c.benchmark_group("index/main_filter");
    g.bench_function("index", |b| {
        b.iter(|| black_box(index.query(black_box(&main))))
    });
    g.bench_function("linear_scan", |b| {
        b.iter(|| black_box(linear_scan(&data, black_box(&main))))
    });
    g.finish();

    let fwd = Forward::new(&data);
    let seed = Filter::from_exprs(["metric=cpu"]).unwrap();
    let mut g = c.benchmark_group("index/alternative");
    g.bench_function("seed_then_forward_table", |b| {
        b.iter(|| black_box(fwd.main_query(&index, &seed)))
    });
    g.finish();

    let mut g = c.benchmark_group("index/other_filters");
    for (name, f) in other_filters() {
        g.bench_function(name, |b| b.iter(|| black_box(index.query(&f))));
    }
    g.finish();
}

fn bench_build(c: &mut Criterion) {
    let data = dataset();
    let mut g = c.benchmark_group("index/build");
    g.sample_size(10);
    g.bench_function("insert_100k_series", |b| b.iter(|| black_box(build(&data))));
    let index = build(&data);
    g.bench_function("remove_100k_series", |b| {
        b.iter_batched(
            || index.clone(),
            |mut ix| {
                for (id, labels) in data.iter().enumerate() {
                    ix.remove(id as u32, labels);
                }
                ix
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_query, bench_build
}

fn main() {
    report();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
