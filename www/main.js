// The page: starts the worker (engine + socket), sends it the view, renders what comes
// back. The main thread never touches telemetry frames or the engine; it draws.
//
// Devtools / tests: `window.tsdb` — `await tsdb.command("TS.INFO cpu:host-00")`,
// `tsdb.stats()`, `tsdb.caps`, `tsdb.frame()`, `await tsdb.persistNow()`.

import { ChartGrid, fmtDuration } from "./charts.js";
import { Console } from "./console.js";
import { Controls } from "./controls.js";
import { StatsPanel } from "./stats.js";

const $ = (id) => document.getElementById(id);
const THEME_KEY = "tsdb-wasm.theme";
const PERSIST_KEY = "tsdb-wasm.persist";

// ---- theme ----
const darkQuery = matchMedia("(prefers-color-scheme: dark)");
function applyTheme(t) {
  if (t === "dark" || t === "light") document.documentElement.dataset.theme = t;
  else delete document.documentElement.dataset.theme;
}
function storage(key, value) {
  try {
    if (value === undefined) return localStorage.getItem(key);
    localStorage.setItem(key, value);
  } catch {
    return null;
  }
  return value;
}
applyTheme(storage(THEME_KEY));

// ---- worker ----
const params = new URLSearchParams(location.search);
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const waiting = new Map();
let nextId = 1;
function ask(msg) {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    worker.postMessage({ ...msg, id });
  });
}

const grid = new ChartGrid($("grid"), {
  onZoom: (a, b) => controls.zoomTo(a, b),
  onPan: (f) => controls.pan(f),
  onZoomOut: () => controls.zoomOut(),
  onLive: () => controls.live(),
  onExport: (card) => exportCsv(card),
});
const stats = new StatsPanel($("stats"), $("caps"));
const controls = new Controls(() => query.changed());
const cli = new Console($("console-form"), $("console-in"), $("console-out"), (text) => ask({ t: "command", text }));

$("theme").addEventListener("click", () => {
  const now = document.documentElement.dataset.theme ?? (darkQuery.matches ? "dark" : "light");
  const next = now === "dark" ? "light" : "dark";
  storage(THEME_KEY, next);
  applyTheme(next);
  grid.retheme();
});
darkQuery.addEventListener("change", () => grid.retheme());

// ---- query loop: one query in flight; live views re-query at the chart's pixel pace ----
const query = {
  inFlight: 0,
  dirty: true,
  timer: 0,
  sentAt: 0,
  viewSeq: 0,
  changed() {
    this.viewSeq++;
    this.dirty = true;
    this.kick();
  },
  kick() {
    clearTimeout(this.timer);
    this.timer = 0;
    if (this.inFlight || document.hidden) return;
    const id = nextId++;
    this.inFlight = id;
    this.seqAtSend = this.viewSeq;
    this.sentAt = performance.now();
    worker.postMessage({ t: "query", id, view: { ...controls.view, width: grid.plotWidth() } });
  },
  done(res) {
    this.inFlight = 0;
    const stale = this.seqAtSend !== this.viewSeq;
    if (!stale) render(res);
    const w = controls.view.window;
    let delay = 0;
    if (!stale) {
      const px = grid.plotWidth() || 400;
      delay = w.mode === "live" ? clamp((res.to - res.from) / px, 100, 1000) : 2000;
      delay = Math.max(0, delay - (performance.now() - this.sentAt));
    }
    this.timer = setTimeout(() => this.kick(), delay);
  },
};
document.addEventListener("visibilitychange", () => {
  if (document.hidden) worker.postMessage({ t: "persist-now" });
  else query.kick();
});
addEventListener("pagehide", () => worker.postMessage({ t: "persist-now" }));

const clamp = (x, a, b) => Math.max(a, Math.min(b, x));
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

function render(res) {
  if (res.error) {
    controls.showError(res.error);
    return;
  }
  controls.showError("");
  controls.lastWindow = [res.from, res.to];
  grid.update(res);
  const v = controls.view;
  const shown = res.charts.length;
  const what = v.groupBy ? `group${res.matched === 1 ? "" : "s"} by ${v.groupBy}` : `series`;
  const m = $("matched");
  const strong = document.createElement("span");
  strong.textContent = shown < res.matched ? `${shown} of ${res.matched} ${what}` : `${res.matched} ${what}`;
  const muted = document.createElement("span");
  muted.className = "muted";
  muted.textContent = v.groupBy ? "" : ` · ${res.total} known`;
  m.replaceChildren(strong, muted);
  $("range-label").textContent = `${timeFmt.format(res.from)} – ${timeFmt.format(res.to)} · ${fmtDuration(res.to - res.from)}${v.window.mode === "fixed" ? " · paused" : ""}`;
  const empty = $("grid-empty");
  empty.hidden = shown > 0;
  if (!shown) {
    empty.textContent = res.total === 0 ? "Waiting for telemetry…" : v.groupBy
      ? `No series of this filter has a “${v.groupBy}” label.`
      : "No series matches this filter.";
  }
}

// ---- connection status ----
function showConn(c) {
  const el = $("conn");
  el.dataset.state = c.state;
  const text = {
    connecting: "connecting…",
    replaying: c.replay ? `catching up · ${c.replay.toLocaleString()} samples` : "catching up…",
    live: c.complete === false ? "live · some samples were lost while away" : "live",
    reconnecting: `offline · retry ${c.attempt} in ${(c.retryInMs / 1000).toFixed(1)} s`,
  }[c.state] ?? c.state;
  $("conn-text").textContent = text;
}

// ---- persistence ----
const persistBox = $("persist");
persistBox.checked = storage(PERSIST_KEY) === "1";
persistBox.addEventListener("change", () => {
  storage(PERSIST_KEY, persistBox.checked ? "1" : "0");
  worker.postMessage({ t: "persist", enabled: persistBox.checked });
  if (!persistBox.checked) ask({ t: "persist-clear" });
});
function showPersist(caps, p) {
  const note = $("persist-note");
  if (!caps.snapshot) {
    persistBox.disabled = true;
    persistBox.checked = false;
    note.textContent = "Needs the engine's snapshot() / restore(), not in this build yet.";
    return;
  }
  if (!p) return;
  const parts = [];
  if (p.restored) parts.push(`Restored ${p.restored.samples.toLocaleString()} samples in ${p.restored.ms.toFixed(0)} ms.`);
  if (p.enabled && p.lastSavedAt) parts.push(`Saved ${timeFmt.format(p.lastSavedAt)} · ${(p.bytes / 1048576).toFixed(1)} MiB in ${p.ms.toFixed(0)} ms.`);
  else if (p.enabled) parts.push("Saving every 30 s and when the tab is hidden.");
  if (p.error) parts.push(p.error);
  note.textContent = parts.join(" ");
}

// ---- CSV export ----
function exportCsv(card) {
  const blob = new Blob([grid.csvOf(card)], { type: "text/csv" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${card.id.replace(/[^\w.-]+/g, "_")}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// ---- messages from the worker ----
let caps = {};
let lastStats = null;
worker.onmessage = (ev) => {
  const m = ev.data;
  switch (m.t) {
    case "result":
      if (m.id === query.inFlight) query.done(m);
      break;
    case "reply":
    case "persisted":
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
      break;
    case "conn":
      showConn(m);
      break;
    case "labels":
      controls.setLabels(m.labels);
      break;
    case "stats":
      lastStats = m.stats;
      stats.update(m.stats, grid.framePercentiles());
      showPersist(caps, m.stats.persist);
      $("clock").textContent = m.stats.lastTs ? timeFmt.format(m.stats.lastTs) : "";
      break;
    case "ready":
      caps = m.caps;
      stats.showCaps(caps);
      showPersist(caps, null);
      query.kick();
      break;
    case "fatal":
      showConn({ state: "error" });
      $("conn-text").textContent = `engine failed: ${m.error}`;
      break;
  }
};
worker.onerror = (e) => {
  showConn({ state: "error" });
  $("conn-text").textContent = `worker failed: ${e.message ?? "error"}`;
};
worker.postMessage({ t: "init", persist: persistBox.checked, format: params.get("format") ?? "binary" });

window.tsdb = {
  command: async (text) => {
    const r = await ask({ t: "command", text });
    if (!r.ok) throw new Error(r.error);
    return r.value;
  },
  stats: () => lastStats,
  get caps() {
    return caps;
  },
  view: () => structuredClone(controls.view),
  frame: () => grid.framePercentiles(),
  longTasks: () => ({ ...stats.longTasks }),
  persistNow: () => ask({ t: "persist-now" }),
  /** Start measuring afresh (frame times, long tasks, query times): for benchmarks. */
  reset() {
    grid.frameTimes.length = 0;
    Object.assign(stats.longTasks ?? {}, { count: 0, max: 0, over50: 0 });
    worker.postMessage({ t: "reset-measurements" });
  },
  /** Every frame time (ms) since the last reset (the panel shows percentiles of the last 600). */
  frameTimes: () => grid.frameTimes.slice(),
};
