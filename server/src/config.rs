//! Command-line configuration (hand-rolled parser: `--flag value` or `--flag=value`).
//!
//! [`HELP`] is the `--help` text and the reference for every flag and default. The
//! listening port comes from `--port`, else the `PORT` environment variable, else 8080.
//! Static directories are resolved against `--root` (default: the current directory);
//! an absolute path is taken as is. The `--replay` path is taken as given (relative to
//! the current directory), like any command-line file argument.

use std::path::PathBuf;
use std::time::Duration;

use crate::fleet::Metric;
use crate::generator::{GeneratorConfig, MAX_RATE_HZ};
use crate::hub::HubLimits;
use crate::replay::{ReplayConfig, ReplayTime, Speed};

pub const HELP: &str = "\
tsdb-server — telemetry WebSocket server and static host for the tsdb-wasm dashboard

USAGE:
    tsdb-server [OPTIONS]

Serves www/ at /, pkg/ at /pkg/, uPlot at /vendor/uplot/, telemetry at /ws
(protocol: server/PROTOCOL.md), /healthz and /api/info.

NETWORK
    --host ADDR               address to bind                       [127.0.0.1]
    --port N                  port (0 = any free port)              [$PORT or 8080]

STATIC FILES (relative to --root unless absolute)
    --root DIR                project root                          [.]
    --static-root DIR         dashboard files served at /           [www]
    --pkg-dir DIR             npm package served at /pkg/           [pkg]
    --uplot-dir DIR           uPlot dist served at /vendor/uplot/   [node_modules/uplot/dist]

GENERATOR (the default source)
    --hosts N                 simulated hosts                       [50]
    --metrics LIST            comma-separated subset of: cpu,mem,disk_io,net_rx,net_tx,
                              temperature,latency_p99,errors,requests        [all]
    --rate HZ                 samples per second per series, <= 1000 [10]
    --seed N                  random seed (same seed, same fleet)    [1]
                              Giving --seed also backfills the resume buffer at start with
                              the last --buffer-seconds of the deterministic stream, so a
                              client that reconnects after a restart gets its gap back
    --no-backfill             do not backfill, even with --seed
    --start-ms MS             pretend the server started at this time (ms since the
                              epoch) instead of now: with the same --seed and --rate the
                              values are then identical from run to run  [now]

REPLAY (instead of the generator)
    --replay PATH.csv         stream a CSV: a time column + numeric columns
    --speed FACTOR|auto[:S]   data time per wall time; auto plays the file in S seconds [auto:60]
    --replay-time live|original
                              timestamps: scheduled wall-clock time, or the CSV's own [live]
    --time-column NAME        time column                           [date|time|timestamp|...]
    --no-loop                 stop at the end of the file instead of starting over

STREAMING
    --tick-ms MS              how often sources emit a batch         [20]
    --buffer-seconds S        resume buffer: keep the last S seconds [60]
    --buffer-samples N        resume buffer: at most N samples       [2000000]
    --client-queue N          per-client queue bound, samples; beyond it the oldest
                              queued samples are dropped and reported [200000]
    --max-frame-samples N     samples per frame (whole batches)      [20000]
    --status-interval-ms MS   periodic status message                [1000]
    --max-clients N           concurrent WebSocket clients           [64]

OTHER
    --quiet                   print only the listening line and errors
    --test-malformed-every N  test hook: after every N samples frames, send each client
                              one malformed frame (clients must count and skip it) [off]
    -h, --help                this text
    -V, --version             version
";

/// Where samples come from.
#[derive(Clone, Debug)]
pub enum SourceConfig {
    Generator(GeneratorConfig),
    Replay(ReplayConfig),
    /// No source: batches are published through the hub by the embedding code (tests).
    Manual,
}

/// Everything the server needs to run.
#[derive(Clone, Debug)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub root: PathBuf,
    pub static_root: PathBuf,
    pub pkg_dir: PathBuf,
    pub uplot_dir: PathBuf,
    pub source: SourceConfig,
    pub tick: Duration,
    /// Clock origin (ms since epoch) instead of the real time at start.
    pub start_ms: Option<i64>,
    pub limits: HubLimits,
    pub max_frame_samples: usize,
    pub status_interval: Duration,
    pub quiet: bool,
    /// Generator only: fill the resume buffer at start with the last `buffer_seconds` of
    /// the (deterministic) stream. Set by an explicit `--seed`.
    pub backfill: bool,
    /// Test hook: a malformed frame after every N samples frames (0 = never).
    pub test_malformed_every: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 8080,
            root: PathBuf::from("."),
            static_root: PathBuf::from("www"),
            pkg_dir: PathBuf::from("pkg"),
            uplot_dir: PathBuf::from("node_modules/uplot/dist"),
            source: SourceConfig::Generator(GeneratorConfig::default()),
            tick: Duration::from_millis(20),
            start_ms: None,
            limits: HubLimits::default(),
            max_frame_samples: 20_000,
            status_interval: Duration::from_millis(1000),
            quiet: false,
            backfill: false,
            test_malformed_every: 0,
        }
    }
}

impl Config {
    /// A config for tests and embedding: port 0 (any free port), quiet.
    pub fn ephemeral() -> Config {
        Config {
            port: 0,
            quiet: true,
            ..Config::default()
        }
    }

    /// `dir` resolved against the root.
    pub fn under_root(&self, dir: &std::path::Path) -> PathBuf {
        self.root.join(dir)
    }
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Cli {
    Run(Box<Config>),
    Help,
    Version,
}

fn parse_num<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.trim()
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{flag}: not a valid number: {v:?}"))
}

fn parse_speed(v: &str) -> Result<Speed, String> {
    let speed = if v == "auto" {
        Speed::Auto(60.0)
    } else if let Some(s) = v.strip_prefix("auto:") {
        Speed::Auto(parse_num("--speed", s)?)
    } else {
        Speed::Factor(parse_num("--speed", v)?)
    };
    match speed {
        Speed::Auto(x) | Speed::Factor(x) if x.is_finite() && x > 0.0 => Ok(speed),
        _ => Err(format!(
            "--speed: must be a positive number or auto[:SECONDS], got {v:?}"
        )),
    }
}

/// Parse the arguments (without the program name). `env_port` is `$PORT`.
pub fn parse_args<I: IntoIterator<Item = String>>(
    args: I,
    env_port: Option<&str>,
) -> Result<Cli, String> {
    let mut c = Config::default();
    if let Some(p) = env_port.filter(|p| !p.is_empty()) {
        c.port = parse_num("PORT", p)?;
    }
    let mut gen = GeneratorConfig::default();
    let mut replay: Option<ReplayConfig> = None;
    let (mut speed, mut time, mut looping, mut time_column) =
        (Speed::Auto(60.0), ReplayTime::Live, true, None);
    let (mut seed_given, mut no_backfill) = (false, false);
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Cli::Help),
            "-V" | "--version" => return Ok(Cli::Version),
            "--no-loop" => {
                looping = false;
                continue;
            }
            "--quiet" => {
                c.quiet = true;
                continue;
            }
            "--no-backfill" => {
                no_backfill = true;
                continue;
            }
            _ => {}
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{flag}: missing value"))
        };
        match flag.as_str() {
            "--host" => c.host = value()?,
            "--port" => c.port = parse_num(&flag, &value()?)?,
            "--root" => c.root = value()?.into(),
            "--static-root" => c.static_root = value()?.into(),
            "--pkg-dir" => c.pkg_dir = value()?.into(),
            "--uplot-dir" => c.uplot_dir = value()?.into(),
            "--hosts" => gen.hosts = parse_num(&flag, &value()?)?,
            "--rate" => gen.rate_hz = parse_num(&flag, &value()?)?,
            "--seed" => {
                gen.seed = parse_num(&flag, &value()?)?;
                seed_given = true;
            }
            "--start-ms" => c.start_ms = Some(parse_num(&flag, &value()?)?),
            "--metrics" => {
                let v = value()?;
                gen.metrics = v
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| {
                        Metric::parse(s.trim())
                            .ok_or_else(|| format!("--metrics: unknown metric {s:?}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--replay" => {
                replay = Some(ReplayConfig {
                    path: value()?.into(),
                    speed,
                    time,
                    looping,
                    time_column: None,
                });
            }
            "--speed" => speed = parse_speed(&value()?)?,
            "--replay-time" => {
                time = match value()?.as_str() {
                    "live" => ReplayTime::Live,
                    "original" => ReplayTime::Original,
                    v => {
                        return Err(format!(
                            "--replay-time: expected live or original, got {v:?}"
                        ))
                    }
                }
            }
            "--time-column" => time_column = Some(value()?),
            "--tick-ms" => c.tick = Duration::from_millis(parse_num(&flag, &value()?)?),
            "--buffer-seconds" => c.limits.buffer_seconds = parse_num(&flag, &value()?)?,
            "--buffer-samples" => c.limits.buffer_samples = parse_num(&flag, &value()?)?,
            "--client-queue" => c.limits.client_queue_samples = parse_num(&flag, &value()?)?,
            "--max-clients" => c.limits.max_clients = parse_num(&flag, &value()?)?,
            "--max-frame-samples" => c.max_frame_samples = parse_num(&flag, &value()?)?,
            "--test-malformed-every" => c.test_malformed_every = parse_num(&flag, &value()?)?,
            "--status-interval-ms" => {
                c.status_interval = Duration::from_millis(parse_num(&flag, &value()?)?)
            }
            _ => return Err(format!("unknown argument {arg:?} (try --help)")),
        }
    }
    if !(gen.rate_hz > 0.0 && gen.rate_hz <= MAX_RATE_HZ) {
        return Err(format!(
            "--rate: must be > 0 and <= {MAX_RATE_HZ}, got {}",
            gen.rate_hz
        ));
    }
    if gen.hosts == 0 || gen.hosts > 100_000 {
        return Err("--hosts: must be between 1 and 100000".into());
    }
    if gen.metrics.is_empty() {
        return Err("--metrics: at least one metric".into());
    }
    if c.tick.is_zero() || c.tick > Duration::from_secs(10) {
        return Err("--tick-ms: must be between 1 and 10000".into());
    }
    if !(c.limits.buffer_seconds >= 0.0 && c.limits.buffer_seconds.is_finite()) {
        return Err("--buffer-seconds: must be a non-negative number".into());
    }
    if c.limits.client_queue_samples == 0 || c.max_frame_samples == 0 || c.limits.max_clients == 0 {
        return Err(
            "--client-queue, --max-frame-samples and --max-clients must be positive".into(),
        );
    }
    if c.start_ms
        .is_some_and(|t| !(0..=4_000_000_000_000).contains(&t))
    {
        return Err("--start-ms: must be between 0 and 4000000000000".into());
    }
    if c.status_interval.is_zero() || c.status_interval > Duration::from_secs(3600) {
        return Err("--status-interval-ms: must be between 1 and 3600000".into());
    }
    c.backfill = seed_given && !no_backfill && replay.is_none();
    c.source = match replay {
        Some(r) => SourceConfig::Replay(ReplayConfig {
            speed,
            time,
            looping,
            time_column,
            ..r
        }),
        None => SourceConfig::Generator(gen),
    };
    Ok(Cli::Run(Box::new(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str], port: Option<&str>) -> Result<Config, String> {
        match parse_args(args.iter().map(|s| s.to_string()), port)? {
            Cli::Run(c) => Ok(*c),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults_and_port_precedence() {
        let c = run(&[], None).unwrap();
        assert_eq!((c.host.as_str(), c.port), ("127.0.0.1", 8080));
        assert_eq!(run(&[], Some("9000")).unwrap().port, 9000);
        assert_eq!(run(&["--port", "9001"], Some("9000")).unwrap().port, 9001);
        let SourceConfig::Generator(g) = c.source else {
            panic!()
        };
        assert_eq!((g.hosts, g.rate_hz, g.metrics.len()), (50, 10.0, 9));
    }

    #[test]
    fn flags_in_both_spellings() {
        let c = run(
            &[
                "--hosts=200",
                "--rate",
                "100",
                "--metrics",
                "cpu,mem",
                "--root",
                "/p",
                "--client-queue=1_000",
            ],
            None,
        )
        .unwrap();
        let SourceConfig::Generator(g) = &c.source else {
            panic!()
        };
        assert_eq!(
            (g.hosts, g.rate_hz, g.metrics.clone()),
            (200, 100.0, vec![Metric::Cpu, Metric::Mem])
        );
        assert_eq!(c.limits.client_queue_samples, 1000);
        assert_eq!(c.under_root(&c.static_root), PathBuf::from("/p/www"));
    }

    #[test]
    fn replay_options_apply_in_any_order() {
        let c = run(
            &[
                "--replay",
                "a.csv",
                "--speed",
                "3600",
                "--replay-time",
                "original",
                "--no-loop",
            ],
            None,
        )
        .unwrap();
        let SourceConfig::Replay(r) = c.source else {
            panic!()
        };
        assert_eq!(
            (r.speed, r.time, r.looping),
            (Speed::Factor(3600.0), ReplayTime::Original, false)
        );
        let c = run(&["--speed=auto:5", "--replay=b.csv"], None).unwrap();
        let SourceConfig::Replay(r) = c.source else {
            panic!()
        };
        assert_eq!(r.speed, Speed::Auto(5.0));
    }

    #[test]
    fn an_explicit_seed_turns_backfill_on() {
        assert!(!run(&[], None).unwrap().backfill);
        assert!(run(&["--seed", "3"], None).unwrap().backfill);
        assert!(
            !run(&["--seed", "3", "--no-backfill"], None)
                .unwrap()
                .backfill
        );
        assert!(
            !run(&["--seed=3", "--replay", "a.csv"], None)
                .unwrap()
                .backfill
        );
        assert_eq!(run(&[], None).unwrap().test_malformed_every, 0);
        assert_eq!(
            run(&["--test-malformed-every", "5"], None)
                .unwrap()
                .test_malformed_every,
            5
        );
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for bad in [
            &["--rate", "0"][..],
            &["--rate", "5000"],
            &["--hosts", "x"],
            &["--metrics", "cpu,gpu"],
            &["--speed", "-1"],
            &["--port"],
            &["--frobnicate"],
            &["--replay-time", "later"],
            &["--tick-ms", "0"],
        ] {
            assert!(run(bad, None).is_err(), "{bad:?}");
        }
        assert!(run(&[], Some("http")).is_err());
        assert!(matches!(
            parse_args(["--help".to_string()], None),
            Ok(Cli::Help)
        ));
    }
}
