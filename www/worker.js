// The dashboard's worker: the engine (tsdb-wasm), the telemetry socket and every query.
// The page only renders what this sends back. Messages (page → worker):
//
//   { t: "init", persist, format }              start: restore a snapshot if asked, connect
//   { t: "query", id, view }                    charts for a view → { t: "result", id, … }
//   { t: "command", id, text }                  console → { t: "reply", id, ok, value | error }
//   { t: "persist", enabled } / { t: "persist-now" } / { t: "persist-clear" }
//
// and back: { t: "conn" } on connection changes, { t: "labels" } when the series
// dictionary changes, { t: "stats" } every second. Query results carry Float64Array
// columns in uPlot's shape ([timestamps, values, …]); their buffers are transferred.

import init, { TimeSeriesDB } from "/pkg/web/tsdb_wasm.js";
import { probe, Store } from "./engine.js";
import { Ingest } from "./ingest.js";
import { clearSnapshot, loadSnapshot, saveSnapshot } from "./persist.js";

const STATS_MS = 1000;
const PERSIST_EVERY_MS = 30_000;
const NICE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000,
  120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

let store = null;
let ingest = null;
let caps = {};
const post = (msg, transfer) => self.postMessage(msg, transfer ?? []);

// ---- busy-time accounting (worker CPU share) ----
let busyMs = 0;
let depth = 0;
function timed(fn) {
  if (depth++ > 0) {
    try {
      return fn();
    } finally {
      depth--;
    }
  }
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    depth--;
    busyMs += performance.now() - t0;
  }
}

const queryTimes = [];
function recordQuery(ms) {
  queryTimes.push(ms);
  if (queryTimes.length > 300) queryTimes.splice(0, queryTimes.length - 300);
}
function percentile(list, p) {
  if (!list.length) return null;
  const s = list.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

// ---- persistence ----
const persist = { enabled: false, timer: 0, lastSavedAt: null, bytes: 0, ms: 0, restored: null, error: "", saving: false };

async function saveNow() {
  if (!caps.snapshot || !persist.enabled || persist.saving) return;
  persist.saving = true;
  try {
    const t0 = performance.now();
    const bytes = timed(() => {
      ingest.flush();
      return store.db.snapshot();
    });
    const meta = { lastTs: ingest.lastTs, earliest: ingest.earliest, raw: [...store.raw], session: ingest.session };
    await saveSnapshot(bytes, meta);
    persist.ms = performance.now() - t0;
    persist.bytes = bytes.byteLength;
    persist.lastSavedAt = Date.now();
    persist.error = "";
  } catch (e) {
    persist.error = String(e.message ?? e);
  } finally {
    persist.saving = false;
  }
}

function setPersist(enabled) {
  persist.enabled = enabled && caps.snapshot;
  clearInterval(persist.timer);
  persist.timer = persist.enabled ? setInterval(saveNow, PERSIST_EVERY_MS) : 0;
  if (persist.enabled) saveNow();
}

async function restore() {
  try {
    const snap = await loadSnapshot();
    if (!snap) return;
    const t0 = performance.now();
    const db = TimeSeriesDB.restore(snap.bytes);
    store.replace(db, snap.meta.raw ?? []);
    ingest.lastTs = snap.meta.lastTs ?? null;
    ingest.earliest = snap.meta.earliest ?? null;
    const s = db.stats();
    persist.restored = { samples: s.samples, series: s.series, bytes: snap.bytes.byteLength, ms: performance.now() - t0, savedAt: snap.savedAt, lastTs: ingest.lastTs };
  } catch (e) {
    persist.error = `restore failed: ${e.message ?? e}`;
  }
}

// ---- queries ----
function niceBucket(ms) {
  for (const b of NICE_BUCKETS) if (b >= ms) return b;
  return NICE_BUCKETS[NICE_BUCKETS.length - 1];
}

function windowOf(view) {
  const w = view.window;
  if (w.mode === "fixed") return [Math.max(0, Math.floor(w.from)), Math.ceil(w.to)];
  const to = Math.ceil(ingest.now());
  const from = w.span ? to - w.span : (ingest.earliest ?? to - 60_000);
  return [Math.max(0, Math.floor(from)), to];
}

function runQuery(view) {
  ingest.flush();
  const [from, to] = windowOf(view);
  const width = Math.max(16, Math.min(4096, Math.round(view.width || 400)));
  const bucket = niceBucket(Math.max(1, (to - from) / width));
  const max = Math.max(1, Math.min(48, view.max || 20));
  const charts = [];
  let matched;
  if (view.groupBy) {
    const agg = view.agg !== "auto" ? view.agg : ["min", "max"].includes(view.reduce) ? view.reduce : "avg";
    const groups = store.groups(view.filter, view.groupBy, view.reduce, from, to, agg, bucket);
    matched = groups.length;
    for (const g of groups.slice(0, max)) {
      charts.push({
        id: `group:${g.name}`, title: g.name, labels: commonLabels(g.sources, view.groupBy, g.value), sources: g.sources.length,
        kind: "line", source: `${agg} → ${view.reduce}`, bucket, cols: [g.timestamps, g.values],
      });
    }
  } else {
    const keys = store.select(view.filter);
    matched = keys.length;
    for (const key of keys.slice(0, max)) {
      const c = store.seriesColumns(key, from, to, width, view.agg, bucket);
      charts.push({ id: key, title: key, labels: store.raw.get(key) ?? {}, ...c });
    }
  }
  for (const c of charts) {
    const v = c.cols[1];
    c.last = v.length ? v[v.length - 1] : null;
    c.points = v.length;
  }
  return { from, to, bucket, matched, total: store.raw.size, charts };
}

/** Labels every member of a group shares (metric, unit, …), the group's own first. */
function commonLabels(keys, groupBy, value) {
  const out = { [groupBy]: value };
  const first = store.raw.get(keys[0]);
  if (!first) return out;
  for (const [k, v] of Object.entries(first)) {
    if (k !== groupBy && keys.every((key) => store.raw.get(key)?.[k] === v)) out[k] = v;
  }
  return out;
}

function onQuery({ id, view }) {
  const t0 = performance.now();
  let res;
  try {
    res = timed(() => runQuery(view));
  } catch (e) {
    post({ t: "result", id, error: String(e.message ?? e) });
    return;
  }
  const ms = performance.now() - t0;
  recordQuery(ms);
  const transfer = new Set();
  for (const c of res.charts) for (const col of c.cols) transfer.add(col.buffer);
  post({ t: "result", id, ms, ...res }, [...transfer]);
}

function onCommand({ id, text }) {
  try {
    const value = timed(() => {
      ingest.flush();
      return store.db.command(text);
    });
    post({ t: "reply", id, ok: true, value });
  } catch (e) {
    post({ t: "reply", id, ok: false, error: String(e?.message ?? e) });
  }
}

// ---- stats ----
let lastStatsAt = performance.now();
let lastIngested = 0;
let labelsDirty = true;

function sendStats() {
  const now = performance.now();
  const elapsed = now - lastStatsAt;
  const s = timed(() => store.db.stats());
  const rate = ((ingest.ingested - lastIngested) * 1000) / elapsed;
  const busy = busyMs / elapsed;
  lastStatsAt = now;
  lastIngested = ingest.ingested;
  busyMs = 0;
  post({
    t: "stats",
    stats: {
      series: store.raw.size, engineSeries: s.series, samples: s.samples, chunks: s.chunks, memoryBytes: s.memoryBytes,
      bytesPerSample: s.bytesPerSample, ingestRate: rate, ingested: ingest.ingested, dropped: ingest.dropped,
      badFrames: ingest.badFrames, badReason: ingest.badReason, frames: ingest.frames, unknownSamples: ingest.unknownSamples,
      ingestErrors: ingest.ingestErrors + store.createErrors, lastError: ingest.lastIngestError || store.lastError,
      queryP50: percentile(queryTimes, 0.5), queryP95: percentile(queryTimes, 0.95), workerBusy: busy,
      lastTs: ingest.lastTs, earliest: ingest.earliest, serverNow: ingest.now(), connects: ingest.connects,
      persist: { enabled: persist.enabled, lastSavedAt: persist.lastSavedAt, bytes: persist.bytes, ms: persist.ms, restored: persist.restored, error: persist.error },
    },
  });
  if (labelsDirty) {
    labelsDirty = false;
    post({ t: "labels", labels: store.labelIndex() });
  }
}

// ---- boot ----
const inbox = [];
let ready = false;

async function boot(msg) {
  try {
    await init();
    caps = probe(TimeSeriesDB);
    store = new Store(TimeSeriesDB, caps);
    ingest = new Ingest(store, (kind, payload) => {
      if (kind === "dictionary") labelsDirty = true;
      else post({ t: kind, ...payload });
    }, { format: msg.format });
    const frame = ingest.onFrame.bind(ingest);
    ingest.onFrame = (data) => timed(() => frame(data));
    const flush = ingest.flush.bind(ingest);
    ingest.flush = () => timed(flush);
    if (msg.persist && caps.snapshot) {
      persist.enabled = true;
      await restore();
      labelsDirty = true;
    }
    post({ t: "ready", caps });
    setPersist(!!msg.persist);
    ingest.start();
    setInterval(sendStats, STATS_MS);
    ready = true;
    for (const m of inbox.splice(0)) handle(m);
  } catch (e) {
    post({ t: "fatal", error: String(e?.message ?? e) });
  }
}

function handle(msg) {
  switch (msg.t) {
    case "query":
      return onQuery(msg);
    case "command":
      return onCommand(msg);
    case "persist":
      return setPersist(msg.enabled);
    case "persist-now":
      return saveNow().then(() => post({ t: "persisted", id: msg.id, error: persist.error }));
    case "reset-measurements":
      queryTimes.length = 0;
      return;
    case "persist-clear":
      return clearSnapshot().then(() => post({ t: "persisted", id: msg.id, cleared: true }));
  }
}

self.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.t === "init") boot(msg);
  else if (!ready) inbox.push(msg);
  else handle(msg);
};
