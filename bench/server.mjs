// A small static server for the benchmark page: /bench/ (this folder), /pkg/ (the built npm
// package), /duckdb/ (node_modules/@duckdb/duckdb-wasm/dist) and /vendor/ (apache-arrow,
// flatbuffers and tslib, which DuckDB-WASM's ES module imports). Sends COOP/COEP so the page is
// cross-origin isolated (5 µs performance.now() instead of 100 µs).
//
//   node bench/server.mjs [port]     serve for a manual run: open http://127.0.0.1:PORT/bench/

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MOUNTS = [
  ["/bench/", path.join(ROOT, "bench")],
  ["/pkg/", path.join(ROOT, "pkg")],
  ["/duckdb/", path.join(ROOT, "node_modules/@duckdb/duckdb-wasm/dist")],
  ["/vendor/apache-arrow/", path.join(ROOT, "node_modules/apache-arrow")],
  ["/vendor/flatbuffers/", path.join(ROOT, "node_modules/flatbuffers")],
  ["/vendor/tslib/", path.join(ROOT, "node_modules/tslib")],
];
const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

function resolve(urlPath) {
  for (const [prefix, dir] of MOUNTS) {
    if (!urlPath.startsWith(prefix)) continue;
    const rel = urlPath.slice(prefix.length);
    const file = path.resolve(dir, rel);
    if (file !== dir && !file.startsWith(dir + path.sep)) return null; // no escaping the mount
    return file;
  }
  return null;
}

/** Starts the server; resolves to `{ url, close }`. `port` 0 picks a free one. */
export function startServer({ port = 0, host = "127.0.0.1" } = {}) {
  const server = http.createServer((req, res) => {
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (urlPath === "/" || urlPath === "/bench") {
      res.writeHead(302, { location: "/bench/" }).end();
      return;
    }
    const file = resolve(urlPath.endsWith("/") ? `${urlPath}index.html` : urlPath);
    fs.stat(file ?? "", (err, st) => {
      if (!file || err || !st.isFile()) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
        return;
      }
      res.writeHead(200, {
        "content-type": MIME[path.extname(file)] ?? "application/octet-stream",
        "content-length": st.size,
        "cache-control": "no-store",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-embedder-policy": "require-corp",
        "cross-origin-resource-policy": "same-origin",
      });
      if (req.method === "HEAD") res.end();
      else fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      ok({ url: `http://${host}:${p}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { url } = await startServer({ port: Number(process.argv[2] ?? 8090) });
  console.log(`benchmark page: ${url}/bench/`);
}
