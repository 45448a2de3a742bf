// The stats panel: engine totals and rates from the worker (every second), frame times
// from the chart grid, long tasks from a PerformanceObserver — and the list of engine
// features in use (engine vs JS stand-in).

import { formatValue } from "./charts.js";

const ROWS = [
  ["series", "Series"],
  ["samples", "Samples"],
  ["memory", "Memory"],
  ["bps", "Bytes / sample"],
  ["rate", "Ingest rate"],
  ["lag", "Lag"],
  ["dropped", "Dropped"],
  ["bad", "Bad frames"],
  ["query", "Query p50 / p95"],
  ["frame", "Frame p50 / p95"],
  ["busy", "Worker busy"],
  ["long", "Long tasks"],
];

const CAPS = [
  ["queryIndex", "Label index (TS.QUERYINDEX)"],
  ["mrange", "GROUPBY / REDUCE (TS.MRANGE)"],
  ["aggregation", "Aggregation (TS.RANGE)"],
  ["viewport", "M4 viewport"],
  ["rules", "Rollups (TS.CREATERULE)"],
  ["latest", "Open bucket (LATEST)"],
  ["snapshot", "Snapshot / restore"],
];

export function bytes(n) {
  if (n >= 1 << 30) return (n / (1 << 30)).toFixed(2) + " GiB";
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + " MiB";
  if (n >= 1 << 10) return (n / (1 << 10)).toFixed(1) + " KiB";
  return `${n} B`;
}

const ms = (x) => (x === null || x === undefined ? "–" : x < 10 ? x.toFixed(1) : x.toFixed(0));

export class StatsPanel {
  constructor(dl, capsList) {
    this.cells = {};
    for (const [id, label] of ROWS) {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.textContent = "–";
      dd.dataset.stat = id;
      this.cells[id] = dd;
      dl.append(dt, dd);
    }
    this.capsList = capsList;
    this.longTasks = { count: 0, max: 0, over50: 0 };
    if (PerformanceObserver.supportedEntryTypes?.includes("longtask")) {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          this.longTasks.count++;
          this.longTasks.max = Math.max(this.longTasks.max, e.duration);
          if (e.duration > 50) this.longTasks.over50++;
        }
      }).observe({ type: "longtask", buffered: true });
    } else this.longTasks = null;
  }

  set(id, text, level = "") {
    const dd = this.cells[id];
    if (dd.textContent !== text) dd.textContent = text;
    dd.className = level;
  }

  showCaps(caps) {
    this.capsList.replaceChildren(...CAPS.map(([k, label]) => {
      const li = document.createElement("li");
      const a = document.createElement("span");
      a.textContent = label;
      const b = document.createElement("span");
      b.textContent = caps[k] ? "engine" : k === "snapshot" || k === "rules" || k === "latest" ? "not yet" : "JS stand-in";
      b.className = caps[k] ? "native" : "js";
      li.append(a, b);
      return li;
    }));
  }

  update(s, frame) {
    this.set("series", s.engineSeries !== s.series ? `${s.series.toLocaleString()} (+${(s.engineSeries - s.series).toLocaleString()} rollups)` : s.series.toLocaleString());
    this.set("samples", s.samples.toLocaleString());
    this.set("memory", bytes(s.memoryBytes));
    this.set("bps", s.bytesPerSample ? s.bytesPerSample.toFixed(2) : "–");
    this.set("rate", `${formatValue(s.ingestRate)}/s`);
    const lag = s.lastTs ? s.serverNow - s.lastTs : null;
    this.set("lag", lag === null ? "–" : `${ms(Math.max(0, lag))} ms`, lag > 2000 ? "warn" : "");
    this.set("dropped", s.dropped.toLocaleString(), s.dropped ? "bad" : "");
    this.set("bad", s.badFrames.toLocaleString(), s.badFrames ? "warn" : "");
    this.cells.bad.title = s.badReason || "";
    this.set("query", `${ms(s.queryP50)} / ${ms(s.queryP95)} ms`);
    this.set("frame", `${ms(frame.p50)} / ${ms(frame.p95)} ms`, frame.p95 > 16 ? "warn" : "");
    this.set("busy", `${(s.workerBusy * 100).toFixed(1)} %`, s.workerBusy > 0.8 ? "warn" : "");
    const lt = this.longTasks;
    this.set("long", lt ? `${lt.count} (max ${ms(lt.max)} ms)` : "n/a", lt?.over50 ? "warn" : "");
  }
}
