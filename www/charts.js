// The chart grid (main thread): one card per series or group, drawn with uPlot.
//
// Results arrive from the worker as Float64Array columns already in uPlot's shape; `update`
// only stores them and asks for an animation frame; `frame` applies every pending result
// with one `setData` per chart inside `u.batch` (synchronous draw), so charts redraw at most
// once per frame however often results come. The time spent in `frame` is the "frame
// time" of the stats panel. Keys, labels and values are untrusted: text only, no HTML.

import uPlot from "/vendor/uplot/uPlot.esm.js";

const UNITS = { percent: "%", celsius: "°C", "MB/s": "MB/s", "Mbit/s": "Mbit/s", ms: "ms", count: "" };
const PLOT_HEIGHT = 150;
const CHARTS_PER_FRAME = 5;
const FRAME_BUDGET_MS = 8;
const SYNC = uPlot.sync("tsdb-grid");

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function formatValue(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(2) + "G";
  if (a >= 1e6) return (v / 1e6).toFixed(2) + "M";
  if (a >= 1e4) return (v / 1e3).toFixed(1) + "k";
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

class Card {
  constructor(grid, id) {
    this.grid = grid;
    this.id = id;
    this.u = null;
    this.layout = "";
    this.data = null;
    this.root = el("article", "card");
    this.root.setAttribute("aria-label", "chart");
    const head = el("header");
    this.swatch = el("span", "swatch");
    this.swatch.setAttribute("aria-hidden", "true");
    this.title = el("h3");
    this.value = el("span", "value");
    this.value.setAttribute("aria-label", "latest value");
    this.csv = el("button", "csv", "CSV");
    this.csv.type = "button";
    this.csv.addEventListener("click", () => grid.onExport(this));
    head.append(this.swatch, this.title, this.value, this.csv);
    this.chips = el("div", "chips");
    this.plot = el("div", "plot");
    this.foot = el("footer");
    this.footL = el("span");
    this.footR = el("span");
    this.foot.append(this.footL, this.footR);
    this.root.append(head, this.chips, this.plot, this.foot);
  }

  /** Header, chips and footer from a result entry (text only). */
  describe(c, unit) {
    if (this.title.textContent !== c.title) {
      this.title.textContent = c.title;
      this.title.title = c.title;
      this.root.setAttribute("aria-label", `chart ${c.title}`);
      this.csv.setAttribute("aria-label", `Export ${c.title} as CSV`);
    }
    const chipText = Object.entries(c.labels ?? {})
      .filter(([k]) => k !== "metric" && k !== "host" && k !== "unit")
      .slice(0, 4);
    const sig = JSON.stringify(chipText) + (c.sources ?? "");
    if (sig !== this.chipSig) {
      this.chipSig = sig;
      const chips = chipText.map(([k, v]) => {
        const chip = el("span", "chip");
        chip.append(el("b", "", `${k} `), document.createTextNode(v));
        return chip;
      });
      if (c.sources) chips.unshift(el("span", "chip", `${c.sources} series`));
      this.chips.replaceChildren(...chips);
    }
    this.unit = unit;
    this.setValue(c.last);
    this.footL.textContent = c.source + (c.bucket ? ` · ${fmtDuration(c.bucket)} buckets` : "");
    this.footR.textContent = `${c.points.toLocaleString()} pts`;
  }

  setValue(v) {
    const text = formatValue(v);
    if (this.value.firstChild?.textContent === text) return;
    const unit = this.unit ? el("span", "unit", this.unit) : null;
    this.value.replaceChildren(document.createTextNode(text), ...(unit ? [unit] : []));
  }

  destroy() {
    this.grid.resizeObs.unobserve(this.plot);
    this.u?.destroy();
    this.u = null;
    this.root.remove();
  }
}

export function fmtDuration(ms) {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / 3_600_000).toFixed(1)} h`;
}

export class ChartGrid {
  /** `handlers`: onZoom(from, to), onPan(fraction), onZoomOut(), onLive(), onExport(card). */
  constructor(gridEl, handlers) {
    this.el = gridEl;
    Object.assign(this, handlers);
    this.cards = new Map();
    this.pending = new Map();
    this.raf = 0;
    this.window = [0, 1];
    this.frameTimes = [];
    this.theme = this.readTheme();
    // Widths come from ResizeObserver, never from reading clientWidth during updates
    // (that forces a synchronous layout per chart per frame).
    this.gridWidth = gridEl.clientWidth;
    this.resizeObs = new ResizeObserver((entries) => {
      for (const e of entries) {
        if (e.target === this.el) this.gridWidth = e.contentRect.width;
        else if (e.target.card) e.target.card.w = Math.floor(e.contentRect.width);
      }
      this.schedule(true);
    });
    this.resizeObs.observe(this.el);
    this.needResize = true;
    gridEl.addEventListener("wheel", (ev) => {
      if (!ev.shiftKey && Math.abs(ev.deltaX) <= Math.abs(ev.deltaY)) return;
      ev.preventDefault();
      const d = Math.abs(ev.deltaX) > Math.abs(ev.deltaY) ? ev.deltaX : ev.deltaY;
      this.onPan(Math.sign(d) * 0.1);
    }, { passive: false });
    gridEl.addEventListener("keydown", (ev) => {
      const k = ev.key;
      if (k === "ArrowLeft" || k === "ArrowRight") this.onPan(k === "ArrowLeft" ? -0.25 : 0.25);
      else if (k === "-" || k === "_") this.onZoomOut();
      else if (k === "Escape" || k === "l") this.onLive();
      else return;
      ev.preventDefault();
    });
  }

  readTheme() {
    return {
      palette: cssVar("--palette").split(/\s+/).filter(Boolean),
      grid: cssVar("--grid"),
      axis: cssVar("--axis"),
      band: cssVar("--band"),
      text: cssVar("--text"),
    };
  }

  /** Theme changed: rebuild every chart with the new colours. */
  retheme() {
    this.theme = this.readTheme();
    for (const card of this.cards.values()) {
      card.u?.destroy();
      card.u = null;
      card.layout = "";
      if (card.data) this.pending.set(card.id, card.data);
    }
    this.schedule();
  }

  /** Width (CSS px) of one chart's plot area, for the worker's M4 / bucket sizing. */
  plotWidth() {
    const first = this.cards.values().next().value;
    const w = first?.w || Math.min(this.gridWidth, 480);
    return Math.round(Math.max(50, w - 56) * Math.min(2, window.devicePixelRatio || 1));
  }

  /** Take a worker result: reconcile cards (by id, in result order) and queue the data. */
  update(res) {
    this.window = [res.from, res.to];
    const seen = new Set();
    let prev = null;
    for (const c of res.charts) {
      seen.add(c.id);
      let card = this.cards.get(c.id);
      if (!card) {
        card = new Card(this, c.id);
        this.cards.set(c.id, card);
        card.plot.card = card;
        card.w = Math.floor(this.cards.size > 1 ? this.cards.values().next().value.w || 0 : 0);
        this.resizeObs.observe(card.plot);
      }
      const unit = UNITS[c.labels?.unit] ?? c.labels?.unit ?? "";
      card.describe(c, unit);
      const colorKey = c.labels?.metric ?? c.title.split(":")[0];
      card.color = this.theme.palette[hash(colorKey) % this.theme.palette.length] || "#5aa9ff";
      card.swatch.style.background = card.color;
      // Keep DOM order = result order without moving nodes that are already in place.
      const want = prev ? prev.root.nextSibling : this.el.firstChild;
      if (want !== card.root) this.el.insertBefore(card.root, want);
      prev = card;
      card.data = { kind: c.kind, cols: c.cols, from: res.from, to: res.to, title: c.title, labels: c.labels, bucket: c.bucket };
      this.pending.set(c.id, card.data);
    }
    for (const [id, card] of this.cards) {
      if (!seen.has(id)) {
        card.destroy();
        this.cards.delete(id);
        this.pending.delete(id);
      }
    }
    this.schedule();
  }

  schedule(resize = false) {
    if (resize) this.needResize = true;
    if (!this.raf) this.raf = requestAnimationFrame(() => this.frame());
  }

  /** Apply pending results, a few charts per frame: a chart's draw costs ~0.5 ms of script
   *  and, on a software-rendered canvas, a few ms of rasterising in the commit after the
   *  frame; capping the charts per frame keeps every frame short (no long tasks) — a grid of
   *  20 live charts refreshes over 3–4 frames instead of in one 60 ms burst. */
  frame() {
    this.raf = 0;
    const t0 = performance.now();
    const resize = this.needResize;
    this.needResize = false;
    let drawn = 0;
    for (const card of this.cards.values()) {
      const data = this.pending.get(card.id);
      const width = card.w || 300;
      const resizeThis = resize && card.u && width !== card.u.width;
      if (!data && !resizeThis) continue;
      if (drawn >= CHARTS_PER_FRAME || (drawn > 0 && performance.now() - t0 > FRAME_BUDGET_MS)) {
        if (resizeThis) this.needResize = true;
        continue;
      }
      drawn++;
      this.pending.delete(card.id);
      const d = data ?? card.data;
      if (!card.u || card.layout !== d.kind) {
        card.u?.destroy();
        card.u = this.make(card, d, width);
        card.layout = d.kind;
      } else {
        card.u.batch(() => {
          if (resizeThis) card.u.setSize({ width, height: PLOT_HEIGHT });
          card.view = [d.from, d.to];
          card.u.setData(d.cols);
        });
      }
    }
    if (this.pending.size || this.needResize) this.raf = requestAnimationFrame(() => this.frame());
    if (drawn === 0) return;
    const ms = performance.now() - t0;
    this.frameTimes.push(ms);
    if (this.frameTimes.length > 100_000) this.frameTimes.splice(0, 50_000);
  }

  make(card, d, width) {
    const t = this.theme;
    card.view = [d.from, d.to];
    const axis = {
      stroke: t.axis,
      grid: { stroke: t.grid, width: 1 },
      ticks: { stroke: t.grid, width: 1, size: 4 },
      font: "10.5px system-ui, sans-serif",
    };
    const series = [{}];
    let bands;
    if (d.kind === "band") {
      series.push({ label: "avg", stroke: card.color, width: 1.25, points: { show: false } });
      series.push({ label: "min", stroke: card.color + "55", width: 0.5, points: { show: false } });
      series.push({ label: "max", stroke: card.color + "55", width: 0.5, points: { show: false } });
      bands = [{ series: [3, 2], fill: card.color + "2e" }];
    } else {
      series.push({ label: d.title, stroke: card.color, width: 1.25, points: { show: false }, fill: card.color + "14" });
    }
    const opts = {
      width,
      height: PLOT_HEIGHT,
      ms: 1,
      legend: { show: false },
      padding: [6, 14, 0, 0],
      series,
      bands,
      scales: { x: { time: true, range: () => card.view }, y: { range: yRange } },
      axes: [
        { ...axis, space: 64, size: 22, values: timeTicks },
        { ...axis, size: 46, space: 28, values: (u, vals) => vals.map(formatValue) },
      ],
      cursor: {
        sync: { key: SYNC.key },
        drag: { x: true, y: false, setScale: false },
        points: { show: false },
      },
      hooks: {
        setSelect: [(u) => {
          const { left, width: w } = u.select;
          if (w < 4) return;
          const a = u.posToVal(left, "x");
          const b = u.posToVal(left + w, "x");
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          this.onZoom(a, b);
        }],
        setCursor: [(u) => {
          const i = u.cursor.idx;
          card.setValue(i == null ? card.data?.lastValue ?? lastOf(u.data[1]) : u.data[1][i]);
        }],
      },
    };
    const u = new uPlot(opts, d.cols, card.plot);
    u.over.addEventListener("dblclick", () => this.onLive());
    return u;
  }

  framePercentiles() {
    const s = this.frameTimes.slice(-600).sort((a, b) => a - b);
    const p = (q) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : null);
    return { p50: p(0.5), p95: p(0.95), n: s.length };
  }

  /** CSV of what a card shows: time, then its columns. */
  csvOf(card) {
    const d = card.data;
    if (!d) return "";
    const names = d.kind === "band" ? ["avg", "min", "max"] : ["value"];
    const cell = (s) => {
      let v = String(s);
      if (/^[=+\-@\t\r]/.test(v)) v = "'" + v; // no formulas from untrusted text
      return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    };
    const lines = [`# ${cell(d.title)}`, ["timestamp_ms", "time_utc", ...names].join(",")];
    const ts = d.cols[0];
    for (let i = 0; i < ts.length; i++) {
      const row = [ts[i], new Date(ts[i]).toISOString()];
      for (let c = 1; c < d.cols.length; c++) row.push(Number.isFinite(d.cols[c][i]) ? d.cols[c][i] : "");
      lines.push(row.join(","));
    }
    return lines.join("\n") + "\n";
  }
}

const pad2 = (n) => (n < 10 ? "0" : "") + n;
/** Compact 24 h tick labels: seconds when ticks are under a minute apart, days when over a day. */
function timeTicks(u, splits, _axis, _space, incr) {
  return splits.map((t) => {
    const d = new Date(t);
    const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
    if (incr < 60_000) return `${hm}:${pad2(d.getSeconds())}`;
    if (incr < 86_400_000) return hm;
    return `${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  });
}

function lastOf(a) {
  return a && a.length ? a[a.length - 1] : null;
}

function yRange(u, min, max) {
  if (min === null || max === null || !Number.isFinite(min)) return [0, 1];
  if (min === max) {
    const d = Math.abs(min) * 0.1 || 1;
    return [min - d, max + d];
  }
  const pad = (max - min) * 0.08;
  return [min >= 0 && min - pad < 0 ? 0 : min - pad, max + pad];
}
