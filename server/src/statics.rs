//! Static files: the dashboard, the npm package and uPlot, from a few mounted
//! directories.
//!
//! * **Mounts** map a URL prefix to a directory; the longest matching prefix wins
//!   (`/pkg/` and `/vendor/uplot/` before `/`). `…/` serves `index.html`; a directory
//!   without the trailing slash redirects to it.
//! * **Safety.** The path is percent-decoded, then every segment must be a plain name:
//!   no `..` or `.`, no empty segment, no backslash or NUL, no leading dot (no
//!   dotfiles). So a request can only name files inside a mount.
//! * **Types.** Content types come from a fixed table (`application/wasm` for `.wasm`,
//!   which `WebAssembly.instantiateStreaming` requires; `text/javascript` for
//!   `.js`/`.mjs`), plus `X-Content-Type-Options: nosniff`.
//! * **CSP.** HTML documents get the Content-Security-Policy below; so do scripts,
//!   because a dedicated worker's policy is the one delivered with its script.
//! * **Caching.** `Cache-Control: no-cache` with an ETag from size and mtime, so a
//!   reload revalidates (cheap 304) and a rebuilt `pkg/` is never served stale.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;

/// The policy sent with HTML and scripts. `'wasm-unsafe-eval'` lets the page compile
/// WebAssembly and nothing else eval-like; `ws:`/`wss:` let it reach the telemetry
/// socket; styles only from files (uPlot sets element styles from script via CSSOM,
/// which `style-src` does not restrict).
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; \
connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; font-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// URL prefix → directory.
#[derive(Clone, Debug)]
pub struct Mount {
    pub prefix: String,
    pub dir: PathBuf,
}

/// Mounts, longest prefix first.
#[derive(Clone, Debug)]
pub struct Mounts(Vec<Mount>);

impl Mounts {
    pub fn new(mut mounts: Vec<Mount>) -> Mounts {
        mounts.sort_by_key(|m| std::cmp::Reverse(m.prefix.len()));
        Mounts(mounts)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Mount> {
        self.0.iter()
    }

    /// The file a URL path names, if it is inside a mount and well-formed.
    /// Returns the mount's directory and the relative path.
    pub fn resolve(&self, url_path: &str) -> Option<(PathBuf, PathBuf)> {
        let mount = self.0.iter().find(|m| url_path.starts_with(&m.prefix))?;
        let rest = &url_path[mount.prefix.len()..];
        let decoded = percent_decode(rest)?;
        let mut rel = PathBuf::new();
        let segments: Vec<&str> = if decoded.is_empty() {
            Vec::new()
        } else {
            decoded.split('/').collect()
        };
        for (i, seg) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            if seg.is_empty() && last {
                break; // trailing slash
            }
            if seg.is_empty() || seg.starts_with('.') || seg.contains(['\\', '\0']) {
                return None;
            }
            rel.push(seg);
        }
        Some((mount.dir.clone(), rel))
    }
}

/// Decode `%XX` escapes; `None` if malformed or not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Content type by file extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "ts" | "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

fn wants_csp(ctype: &str) -> bool {
    ctype.starts_with("text/html") || ctype.starts_with("text/javascript")
}

fn plain(status: StatusCode, text: &str) -> Response {
    let mut r = Response::new(Body::from(text.to_string()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// Serve `uri` from `mounts` (GET and HEAD; anything else is 405).
pub async fn serve(
    mounts: &Mounts,
    method: &Method,
    uri: &Uri,
    req_headers: &HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = uri.path();
    let Some((dir, rel)) = mounts.resolve(path) else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let mut file = dir.join(&rel);
    let Ok(mut meta) = tokio::fs::metadata(&file).await else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    if meta.is_dir() {
        if !path.ends_with('/') {
            let mut r = plain(StatusCode::MOVED_PERMANENTLY, "moved\n");
            let q = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            if let Ok(loc) = HeaderValue::from_str(&format!("{path}/{q}")) {
                r.headers_mut().insert(header::LOCATION, loc);
            }
            return r;
        }
        file = file.join("index.html");
        match tokio::fs::metadata(&file).await {
            Ok(m) if m.is_file() => meta = m,
            _ => return plain(StatusCode::NOT_FOUND, "not found\n"),
        }
    }
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let etag = format!("\"{:x}-{:x}\"", meta.len(), mtime);
    let ctype = content_type(&file);
    let not_modified = req_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut r = if not_modified {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        match tokio::fs::read(&file).await {
            Ok(bytes) => Response::new(Body::from(bytes)),
            Err(_) => return plain(StatusCode::NOT_FOUND, "not found\n"),
        }
    };
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if wants_csp(ctype) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mounts() -> Mounts {
        Mounts::new(vec![
            Mount {
                prefix: "/".into(),
                dir: "/srv/www".into(),
            },
            Mount {
                prefix: "/pkg/".into(),
                dir: "/srv/pkg".into(),
            },
            Mount {
                prefix: "/vendor/uplot/".into(),
                dir: "/srv/uplot".into(),
            },
        ])
    }

    #[test]
    fn longest_prefix_and_safe_paths() {
        let m = mounts();
        assert_eq!(
            m.resolve("/pkg/a.wasm"),
            Some(("/srv/pkg".into(), "a.wasm".into()))
        );
        assert_eq!(
            m.resolve("/vendor/uplot/uPlot.iife.min.js"),
            Some(("/srv/uplot".into(), "uPlot.iife.min.js".into()))
        );
        assert_eq!(m.resolve("/"), Some(("/srv/www".into(), "".into())));
        assert_eq!(
            m.resolve("/js/app%20x.js"),
            Some(("/srv/www".into(), "js/app x.js".into()))
        );
        assert_eq!(m.resolve("/sub/"), Some(("/srv/www".into(), "sub".into())));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/../b",
            "/a//b",
            "/.git/config",
            "/a%5cb",
            "/a%00",
            "/%zz",
            "/pkg/%2e%2e%2fsecret",
            "/%ff",
        ] {
            assert_eq!(m.resolve(bad), None, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("x/tsdb_wasm_bg.wasm")),
            "application/wasm"
        );
        assert_eq!(
            content_type(Path::new("a.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("a.MJS")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("uPlot.min.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("LICENSE")),
            "application/octet-stream"
        );
    }
}
