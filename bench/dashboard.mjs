#!/usr/bin/env node
// Dashboard benchmark: sustained ingest through the page (socket → worker → engine) while
// 20 live charts draw a 5-minute window. Measured, never asserted. Prints one JSON object.
//
//   node bench/dashboard.mjs [--seconds 30] [--warmup 5] [--hosts 100] [--rate 100]
//                            [--metrics cpu,mem,disk_io,net_rx,net_tx] [--window 5m] [--charts 20]
//
// Default load: 100 hosts × 5 metrics = 500 series at 100 Hz = 50,000 samples/s, from the
// release server (built with `cargo build --release -p tsdb-server` when missing; or set
// TSDB_SERVER_BIN). Needs `make pkg`. Reports:
//   ingest     offered vs ingested samples/s, dropped (the server's count for this client),
//              lag (server clock − newest sample held) at the end
//   worker     busy share of the worker (time in its handlers / wall time), mean and max
//   frames     chart-frame time (script work per animation frame that draws) p50 / p95 / max,
//              and rAF interval p95 (how smooth the page is overall)
//   longTasks  main-thread tasks over 50 ms (PerformanceObserver "longtask"), count and max
//   queries    worker query time p50 / p95
// Headless Chromium with --disable-gpu draws canvases in software: a GPU machine does better.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { CHROMIUM, freePort, launchBrowser, openDashboard, ROOT, serverBin, startServer, until } from "../tests/e2e/harness.mjs";

const opt = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SECONDS = Number(opt("seconds", 30));
const WARMUP = Number(opt("warmup", 5));
const HOSTS = Number(opt("hosts", 100));
const RATE = Number(opt("rate", 100));
const METRICS = opt("metrics", "cpu,mem,disk_io,net_rx,net_tx");
const WINDOW = opt("window", "5m");
const CHARTS = Number(opt("charts", 20));
const log = (...a) => console.error("[dashboard-bench]", ...a);

const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = xs.slice().sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2);
};

async function main() {
  let bin = serverBin("release");
  if (!process.env.TSDB_SERVER_BIN && !existsSync(bin)) {
    log("building the release server…");
    const r = spawnSync("cargo", ["build", "--release", "-p", "tsdb-server"], { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) throw new Error("cargo build failed");
  }
  const port = await freePort();
  const series = HOSTS * METRICS.split(",").length;
  const server = await startServer({
    port, bin,
    args: ["--hosts", String(HOSTS), "--metrics", METRICS, "--rate", String(RATE), "--seed", "1", "--no-backfill"],
  });
  const browser = await launchBrowser({ colorScheme: "dark" });
  try {
    const { page, problems } = await openDashboard(browser.context, `${server.url}#window=${WINDOW}`);
    // rAF intervals, measured from the page (an extra rAF loop; cheap).
    await page.evaluate(() => {
      window.__raf = [];
      let last = performance.now();
      const loop = (t) => {
        window.__raf.push(t - last);
        last = t;
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    });
    await until(page, (n) => document.querySelectorAll("#grid .card canvas").length >= n && window.tsdb.stats()?.samples > 0, CHARTS, {
      timeout: 60_000, what: `${CHARTS} live charts`,
    });
    log(`${series} series at ${RATE} Hz; warming up ${WARMUP} s`);
    await page.waitForTimeout(WARMUP * 1000);
    const info0 = await (await fetch(`${server.url}api/info`)).json();
    const s0 = await page.evaluate(() => {
      window.tsdb.reset();
      window.__raf.length = 0;
      return window.tsdb.stats();
    });
    const t0 = Date.now();
    const busy = [];
    const rates = [];
    log(`measuring ${SECONDS} s`);
    while (Date.now() - t0 < SECONDS * 1000) {
      await page.waitForTimeout(1000);
      const s = await page.evaluate(() => window.tsdb.stats());
      busy.push(s.workerBusy);
      rates.push(s.ingestRate);
    }
    const elapsed = (Date.now() - t0) / 1000;
    const end = await page.evaluate(() => ({
      stats: window.tsdb.stats(),
      frames: window.tsdb.frameTimes(),
      longTasks: window.tsdb.longTasks(),
      raf: window.__raf.slice(),
      charts: document.querySelectorAll("#grid .card canvas").length,
    }));
    const info1 = await (await fetch(`${server.url}api/info`)).json();
    const s1 = end.stats;
    const client = info1.clients[0] ?? {};
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, chromium: spawnSync(CHROMIUM, ["--version"]).stdout?.toString().trim() },
      load: { series, rateHz: RATE, offeredPerSecond: series * RATE, seconds: +elapsed.toFixed(1), window: WINDOW, charts: end.charts },
      ingest: {
        ingestedPerSecond: Math.round((s1.ingested - s0.ingested) / elapsed),
        publishedPerSecond: Math.round((info1.published_samples - info0.published_samples) / elapsed),
        dropped: s1.dropped,
        serverDroppedForClient: client.dropped ?? null,
        generatorSkipped: info1.source_skipped_samples,
        lagMsAtEnd: s1.lastTs ? Math.round(s1.serverNow - s1.lastTs) : null,
        badFrames: s1.badFrames,
        samplesHeld: s1.samples,
        memoryBytes: s1.memoryBytes,
        bytesPerSample: +s1.bytesPerSample.toFixed(3),
      },
      worker: { busyMean: +(busy.reduce((a, b) => a + b, 0) / busy.length).toFixed(3), busyMax: +Math.max(...busy).toFixed(3) },
      frames: {
        count: end.frames.length,
        p50Ms: pct(end.frames, 0.5),
        p95Ms: pct(end.frames, 0.95),
        maxMs: end.frames.length ? +Math.max(...end.frames).toFixed(2) : null,
        rafIntervalP50Ms: pct(end.raf, 0.5),
        rafIntervalP95Ms: pct(end.raf, 0.95),
      },
      longTasks: { over50ms: end.longTasks.count ?? null, maxMs: end.longTasks.max ? +end.longTasks.max.toFixed(1) : 0 },
      queries: { p50Ms: s1.queryP50 && +s1.queryP50.toFixed(2), p95Ms: s1.queryP95 && +s1.queryP95.toFixed(2) },
      problems,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
