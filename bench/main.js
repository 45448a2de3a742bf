// The benchmark page: loads the engine, runs every suite, renders the table and exposes
// `window.benchResults` (JSON) and `window.benchDone` for bench/run.mjs.
//
// URL parameters (all optional): n (samples of the big series, default 10 M), batch (64 k),
// runs (timed runs of heavy benchmarks and of DuckDB, 7), light (timed runs of fast ones, 21), labels (series of
// the label benchmark, 100 k), skip (comma list of suites: ingest,bytes,decode,queries,labels,
// mrange,duckdb).

import init, { TimeSeriesDB } from "/pkg/web/tsdb_wasm.js";
import { renderTable, errorRow, tick, stats } from "./harness.js";
import { randomWalk } from "./gen.js";
import { probe } from "./api.js";
import { ingest, bytesPerSample, decode, queries, KEY } from "./suite-core.js";
import { labelFilter, mrange } from "./suite-labels.js";

const q = new URLSearchParams(location.search);
const int = (k, d) => (q.has(k) ? Number(q.get(k)) : d);
const cfg = {
  n: int("n", 10_000_000),
  batch: int("batch", 65_536),
  runsHeavy: int("runs", 7),
  runsLight: int("light", 21),
  labelSeries: int("labels", 100_000),
  mrangeSeries: int("mseries", 1000),
  mrangeSamples: int("msamples", 10_000),
  runsDuckLoad: int("duckload", 3),
  skip: new Set((q.get("skip") ?? "").split(",").filter(Boolean)),
};

const rows = [];
const status = document.getElementById("status");
const table = document.getElementById("results");
const log = (msg) => {
  console.log(`[bench] ${msg}`);
  status.textContent = msg;
};
const push = (row) => {
  rows.push(row);
  renderTable(table, rows);
  const s = row.engine?.median ?? row.figure;
  log(`${row.group} | ${row.name} | ${row.status === "ok" ? `${row.figure?.toFixed?.(2) ?? ""} ${row.unit} engine ${s?.toFixed?.(2)}` : row.note}`);
};

/** performance.now() granularity, in ms (5 µs when cross-origin isolated, 100 µs otherwise). */
function timerResolution() {
  const d = [];
  let last = performance.now();
  while (d.length < 50) {
    const t = performance.now();
    if (t !== last) d.push(t - last);
    last = t;
  }
  return stats(d).min;
}

async function run() {
  const wasm = await init();
  const t0 = performance.now();
  log(`generating ${cfg.n} samples`);
  const data = randomWalk(cfg.n);
  const api = probe(TimeSeriesDB);
  const meta = {
    date: new Date().toISOString(),
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    timerResolutionMs: timerResolution(),
    config: { ...cfg, skip: [...cfg.skip] },
    apiPaths: Object.fromEntries(Object.entries(api).map(([k, v]) => [k, v.path ?? `missing: ${v.missing}`])),
  };
  window.benchResults = { meta, rows };
  const ctx = { TimeSeriesDB, api, data, cfg, push, rows };
  const want = (s) => !cfg.skip.has(s);
  let db;
  try {
    db = await ingest(ctx);
  } catch (e) {
    push(errorRow("ingest", "ingest", "addMany", e));
  }
  await tick();
  if (!db) {
    // Later suites need the series: build it untimed.
    db = new TimeSeriesDB();
    for (let off = 0; off < cfg.n; off += cfg.batch) {
      db.addMany(KEY, data.timestamps.subarray(off, off + cfg.batch), data.values.subarray(off, off + cfg.batch));
    }
  }
  const suites = [
    ["bytes", () => bytesPerSample({ ...ctx, db })],
    ["decode", () => decode({ ...ctx, db })],
    ["queries", () => queries({ ...ctx, db })],
    ["labels", () => labelFilter(ctx)],
    ["mrange", () => mrange(ctx)],
    // Loaded on demand: a DuckDB-WASM that fails to load is one error row, not a dead page.
    ["duckdb", async () => (await import("./suite-duckdb.js")).duckdbSuite({ ...ctx, tsdbMemory: db.info(KEY).memoryUsage })],
  ];
  for (const [name, fn] of suites) {
    if (!want(name)) continue;
    log(`running ${name}`);
    try {
      await fn();
    } catch (e) {
      push(errorRow(name, name, name, e));
    }
    await tick();
  }
  meta.wasmMemoryBytes = wasm.memory.buffer.byteLength;
  meta.totalSeconds = (performance.now() - t0) / 1e3;
  db.free();
  log(`done in ${meta.totalSeconds.toFixed(0)} s`);
}

run()
  .catch((e) => {
    console.error(e);
    window.benchError = String(e?.stack ?? e);
    log(`failed: ${e?.message ?? e}`);
  })
  .finally(() => {
    window.benchDone = true;
  });
