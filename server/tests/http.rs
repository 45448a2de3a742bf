//! Static files (types, CSP, safety, caching), /healthz, /api/info, /ws errors.

mod common;

use std::path::PathBuf;

use common::*;
use tsdb_server::statics::CSP;

/// A fresh project-like directory tree under the system temp dir.
fn fixture_root(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("tsdb-server-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let files: &[(&str, &[u8])] = &[
        ("www/index.html", b"<!doctype html><title>tsdb</title>"),
        ("www/js/app.js", b"export const x = 1;"),
        ("www/js/worker.mjs", b"self.onmessage = () => {};"),
        ("www/style.css", b"body{}"),
        ("www/sub/index.html", b"<p>sub</p>"),
        ("www/.secret", b"no"),
        ("pkg/tsdb_wasm_bg.wasm", b"\0asm\x01\0\0\0"),
        ("pkg/tsdb_wasm.js", b"export default function init() {}"),
        (
            "node_modules/uplot/dist/uPlot.esm.js",
            b"export default class uPlot {}",
        ),
        ("node_modules/uplot/dist/uPlot.min.css", b".uplot{}"),
        ("outside.txt", b"must not be served"),
    ];
    for (path, body) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    root
}

async fn server_with_root(name: &str) -> (Server, PathBuf) {
    let root = fixture_root(name);
    let r = root.clone();
    (start_manual(move |c| c.root = r).await, root)
}

#[tokio::test]
async fn static_files_types_and_csp() {
    let (server, root) = server_with_root("static").await;
    let a = server.addr;

    let r = http(a, "GET", "/", &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, b"<!doctype html><title>tsdb</title>");
    assert_eq!(r.headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(r.headers["content-security-policy"], CSP);
    for directive in [
        "script-src 'self' 'wasm-unsafe-eval'",
        "worker-src 'self'",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "style-src 'self'",
    ] {
        assert!(
            CSP.split("; ").any(|d| d == directive),
            "CSP lacks {directive}"
        );
    }
    assert!(!CSP.contains("unsafe-inline") && !CSP.contains("'unsafe-eval'"));
    assert_eq!(r.headers["x-content-type-options"], "nosniff");

    let r = http(a, "GET", "/pkg/tsdb_wasm_bg.wasm", &[]).await;
    assert_eq!(
        (r.status, r.headers["content-type"].as_str()),
        (200, "application/wasm")
    );
    assert_eq!(r.body, b"\0asm\x01\0\0\0");
    assert!(!r.headers.contains_key("content-security-policy"));

    for (path, ctype) in [
        ("/js/app.js", "text/javascript; charset=utf-8"),
        ("/js/worker.mjs", "text/javascript; charset=utf-8"),
        ("/pkg/tsdb_wasm.js", "text/javascript; charset=utf-8"),
        (
            "/vendor/uplot/uPlot.esm.js",
            "text/javascript; charset=utf-8",
        ),
        ("/vendor/uplot/uPlot.min.css", "text/css; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
    ] {
        let r = http(a, "GET", path, &[]).await;
        assert_eq!(
            (r.status, r.headers["content-type"].as_str()),
            (200, ctype),
            "{path}"
        );
        // Scripts carry the policy too: a worker's CSP is the one sent with its script.
        assert_eq!(
            r.headers.contains_key("content-security-policy"),
            ctype.starts_with("text/javascript"),
            "{path}"
        );
    }

    // Directories: index.html, and a redirect to add the slash.
    let r = http(a, "GET", "/sub/", &[]).await;
    assert_eq!((r.status, r.body.as_slice()), (200, &b"<p>sub</p>"[..]));
    let r = http(a, "GET", "/sub?x=1", &[]).await;
    assert_eq!(
        (r.status, r.headers["location"].as_str()),
        (301, "/sub/?x=1")
    );

    // HEAD, ETag revalidation, method filter.
    let r = http(a, "HEAD", "/js/app.js", &[]).await;
    assert_eq!((r.status, r.body.len()), (200, 0));
    let etag = r.headers["etag"].clone();
    let r = http(a, "GET", "/js/app.js", &[("If-None-Match", &etag)]).await;
    assert_eq!((r.status, r.body.len()), (304, 0));
    assert_eq!(http(a, "POST", "/js/app.js", &[]).await.status, 405);

    // Nothing outside the mounts, no dotfiles, no traversal however spelled.
    for path in [
        "/missing.js",
        "/.secret",
        "/../outside.txt",
        "/%2e%2e/outside.txt",
        "/js/..%2f..%2foutside.txt",
        "/pkg/../outside.txt",
        "/js//app.js",
        "/%2e%2e%5coutside.txt",
    ] {
        let r = http(a, "GET", path, &[]).await;
        assert!(r.status == 404 || r.status == 400, "{path}: {}", r.status);
        assert_ne!(r.body, b"must not be served");
    }
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test]
async fn health_info_and_ws_errors() {
    let server = start_manual(|_| {}).await;
    server.hub.register("a:b", vec![]).unwrap();
    publish_block(&server, 1, 10, 5);
    let a = server.addr;
    let r = http(a, "GET", "/healthz", &[]).await;
    assert_eq!((r.status, r.body.as_slice()), (200, &b"ok\n"[..]));

    let info = get_json(a, "/api/info").await;
    assert_eq!(info["name"], "tsdb-server");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["protocol"], 1);
    assert_eq!(info["series"], 1);
    assert_eq!(info["mode"], "manual");
    assert!(info["rate_hz"].is_number());
    assert!(info["uptime_s"].as_f64().unwrap() >= 0.0);
    assert_eq!(info["published_samples"], 5);
    assert_eq!(info["buffer"]["samples"], 5);
    assert_eq!(
        (
            info["buffer"]["oldest_ts"].as_i64(),
            info["buffer"]["newest_ts"].as_i64()
        ),
        (Some(10), Some(14))
    );
    assert!(info["clients"].as_array().unwrap().is_empty());

    let r = http(
        a,
        "GET",
        "/ws?format=xml",
        &[
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade, close"),
            ("Sec-WebSocket-Version", "13"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ],
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(String::from_utf8_lossy(&r.body).contains("format"));
    assert!(
        http(a, "GET", "/ws", &[]).await.status >= 400,
        "plain GET on /ws is not an upgrade"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn too_many_clients_are_refused_politely() {
    let server = start_manual(|c| c.limits.max_clients = 1).await;
    let mut first = connect(server.addr, "").await;
    assert!(matches!(next_msg(&mut first).await, Some(Msg::Hello(_))));
    let mut second = connect(server.addr, "").await;
    assert_eq!(
        next_msg(&mut second).await,
        None,
        "closed (code 1013) without a hello"
    );
    server.shutdown().await;
}
