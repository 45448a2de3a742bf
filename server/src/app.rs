//! The HTTP application: shared state, routes, and starting / stopping a server.
//!
//! Routes:
//!
//! | path             | what                                                   |
//! |------------------|--------------------------------------------------------|
//! | `/ws`            | telemetry WebSocket (`ws.rs`, PROTOCOL.md)             |
//! | `/healthz`       | `ok` (200) while the server runs                       |
//! | `/api/info`      | JSON: version, series count, rate, uptime, buffer, clients |
//! | `/pkg/…`         | the npm package (`--pkg-dir`)                          |
//! | `/vendor/uplot/…`| uPlot's dist directory (`--uplot-dir`)                 |
//! | `/…`             | the dashboard (`--static-root`)                        |
//!
//! [`Server::start`] binds (port 0 picks a free port — tests use that), starts the
//! configured source on its thread and serves until [`Server::shutdown`].

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{Config, SourceConfig};
use crate::generator::{backfill_origin, Generator};
use crate::hub::Hub;
use crate::replay::Replay;
use crate::source::{spawn, Clock, Source, SourceHandle, SourceStats};
use crate::statics::{Mount, Mounts};

/// State shared by all handlers.
pub struct AppState {
    pub hub: Arc<Hub>,
    pub clock: Clock,
    pub mode: &'static str,
    /// Nominal samples per second per series.
    pub rate_hz: f64,
    pub mounts: Mounts,
    pub max_frame_samples: usize,
    pub status_interval: Duration,
    pub source_stats: Arc<SourceStats>,
    /// Test hook (`--test-malformed-every`): a malformed frame after every N samples
    /// frames; 0 = never.
    pub test_malformed_every: u32,
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn info(State(s): State<Arc<AppState>>) -> Response {
    let h = s.hub.stats();
    let limits = s.hub.limits();
    let clients: Vec<_> = h
        .clients
        .iter()
        .map(|(id, q, sent)| {
            json!({
                "id": id, "queued": q.queued_samples, "peak_queued": q.peak_queued_samples,
                "queue_capacity": limits.client_queue_samples, "dropped": q.dropped_samples,
                "dropped_batches": q.dropped_batches, "sent": sent,
            })
        })
        .collect();
    let body = json!({
        "name": "tsdb-server",
        "version": env!("CARGO_PKG_VERSION"),
        "protocol": crate::protocol::PROTOCOL_VERSION,
        "mode": s.mode,
        "series": h.series,
        "rate_hz": s.rate_hz,
        "samples_per_second": s.rate_hz * h.series as f64,
        "uptime_s": (s.clock.now_ms() - s.clock.start_ms()) as f64 / 1000.0,
        "session": s.clock.start_ms(),
        "now": s.clock.now_ms(),
        "published_samples": h.published_samples,
        "dropped_samples_total": h.dropped_samples_total,
        "source_skipped_samples": s.source_stats.skipped_samples.load(Ordering::Relaxed),
        "source_finished": s.source_stats.finished.load(Ordering::Relaxed),
        "buffer": {
            "samples": h.buffered_samples, "batches": h.buffered_batches,
            "oldest_ts": h.oldest_ts, "newest_ts": h.newest_ts,
            "max_seconds": limits.buffer_seconds, "max_samples": limits.buffer_samples,
        },
        "clients": clients,
        "max_clients": limits.max_clients,
    });
    let mut r = body.to_string().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn files(
    State(s): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    crate::statics::serve(&s.mounts, &method, &uri, &headers).await
}

/// The router for `state` (exposed for embedding; [`Server::start`] uses it).
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/ws", get(crate::ws::handler))
        .route("/healthz", get(healthz))
        .route("/api/info", get(info))
        .fallback(files)
        .with_state(state)
}

/// A running server.
pub struct Server {
    pub addr: SocketAddr,
    pub hub: Arc<Hub>,
    pub state: Arc<AppState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    source: Option<SourceHandle>,
}

impl Server {
    /// Build the source, bind, and serve in the background.
    pub async fn start(cfg: Config) -> Result<Server, String> {
        let hub = Arc::new(Hub::new(cfg.limits.clone()));
        let clock = cfg.start_ms.map_or_else(Clock::new, Clock::starting_at);
        let source: Option<Box<dyn Source>> = match &cfg.source {
            SourceConfig::Generator(g) if cfg.backfill => {
                // Fill the resume buffer with the last buffer span of the deterministic
                // stream (generator.rs, "Backfill"): capped by the buffer's sample bound.
                let per_s = (g.hosts.max(1) * g.metrics.len()) as f64 * g.rate_hz;
                let span_s = cfg
                    .limits
                    .buffer_seconds
                    .min(cfg.limits.buffer_samples as f64 / per_s);
                let now = clock.now_ms();
                let origin = backfill_origin(now, (span_s * 1000.0) as i64);
                let mut gen = Generator::new(g, &hub, origin).map_err(|e| e.to_string())?;
                let n = gen
                    .backfill(&hub, now, cfg.max_frame_samples)
                    .map_err(|e| e.to_string())?;
                if !cfg.quiet {
                    eprintln!("tsdb-server: backfilled {n} samples ({span_s:.0} s) into the resume buffer");
                }
                Some(Box::new(gen))
            }
            SourceConfig::Generator(g) => Some(Box::new(
                Generator::new(g, &hub, clock.now_ms()).map_err(|e| e.to_string())?,
            )),
            SourceConfig::Replay(r) => {
                let replay = Replay::open(r, &hub, clock.now_ms())?;
                if !cfg.quiet {
                    eprintln!(
                        "tsdb-server: replaying {} ({} series, speed ×{:.0}, {} rows skipped)",
                        r.path.display(),
                        replay.series_count(),
                        replay.speed(),
                        replay.skipped_rows()
                    );
                }
                Some(Box::new(replay))
            }
            SourceConfig::Manual => None,
        };
        let (mode, rate_hz) = source
            .as_ref()
            .map_or(("manual", 0.0), |s| (s.mode(), s.rate_hz()));
        let mounts = Mounts::new(vec![
            Mount {
                prefix: "/".into(),
                dir: cfg.under_root(&cfg.static_root),
            },
            Mount {
                prefix: "/pkg/".into(),
                dir: cfg.under_root(&cfg.pkg_dir),
            },
            Mount {
                prefix: "/vendor/uplot/".into(),
                dir: cfg.under_root(&cfg.uplot_dir),
            },
        ]);
        if !cfg.quiet {
            for m in mounts.iter().filter(|m| !m.dir.is_dir()) {
                eprintln!(
                    "tsdb-server: warning: {} (served at {}) does not exist yet",
                    m.dir.display(),
                    m.prefix
                );
            }
        }
        let listener = tokio::net::TcpListener::bind((cfg.host.as_str(), cfg.port))
            .await
            .map_err(|e| format!("cannot listen on {}:{}: {e}", cfg.host, cfg.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let handle = source.map(|s| spawn(s, hub.clone(), clock, cfg.tick, cfg.max_frame_samples));
        let source_stats = handle
            .as_ref()
            .map_or_else(Default::default, |h| h.stats.clone());
        let state = Arc::new(AppState {
            hub: hub.clone(),
            clock,
            mode,
            rate_hz,
            mounts,
            max_frame_samples: cfg.max_frame_samples,
            status_interval: cfg.status_interval,
            source_stats,
            test_malformed_every: cfg.test_malformed_every,
        });
        let app = router(state.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(e) = serve.await {
                eprintln!("tsdb-server: server error: {e}");
            }
        });
        Ok(Server {
            addr,
            hub,
            state,
            shutdown: Some(tx),
            task: Some(task),
            source: handle,
        })
    }

    /// Stop the source and the listener. Open WebSockets are closed by dropping the
    /// runtime (graceful shutdown waits for HTTP requests, which a WebSocket is not).
    pub async fn shutdown(mut self) {
        if let Some(s) = self.source.take() {
            let _ = tokio::task::spawn_blocking(move || s.stop()).await;
        }
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(2), t).await;
        }
    }
}
