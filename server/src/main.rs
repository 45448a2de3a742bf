//! `tsdb-server` binary: parse the command line, start the server, print the URL, run
//! until Ctrl-C (or SIGTERM). See `tsdb-server --help`.

use tsdb_server::{parse_args, Cli, Server, HELP};

fn main() {
    let env_port = std::env::var("PORT").ok();
    let cfg = match parse_args(std::env::args().skip(1), env_port.as_deref()) {
        Ok(Cli::Run(cfg)) => *cfg,
        Ok(Cli::Help) => {
            print!("{HELP}");
            return;
        }
        Ok(Cli::Version) => {
            println!("tsdb-server {}", env!("CARGO_PKG_VERSION"));
            return;
        }
        Err(e) => {
            eprintln!("tsdb-server: {e}");
            std::process::exit(2);
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async move {
        let server = match Server::start(cfg).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("tsdb-server: {e}");
                std::process::exit(1);
            }
        };
        let st = &server.state;
        let host = match server.addr {
            std::net::SocketAddr::V6(a) => format!("[{}]", a.ip()),
            std::net::SocketAddr::V4(a) => a.ip().to_string(),
        };
        println!(
            "tsdb-server: dashboard at http://{host}:{}/  (telemetry: ws://{host}:{}/ws)",
            server.addr.port(),
            server.addr.port()
        );
        println!(
            "tsdb-server: {} mode, {} series at {} Hz (~{:.0} samples/s)",
            st.mode,
            st.hub.series_count(),
            st.rate_hz,
            st.rate_hz * st.hub.series_count() as f64
        );
        wait_for_signal().await;
        eprintln!("tsdb-server: shutting down");
        server.shutdown().await;
    });
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
