// The query controls: filter box (RedisTimeSeries label grammar), GROUPBY / REDUCE /
// aggregation pickers, time windows, pan / zoom / live, and the label browser. They own
// the view — { filter, groupBy, reduce, agg, window, max } — mirrored in the URL hash so a
// view can be bookmarked or shared. Label names and values come from the wire: text only.

import { tokenize } from "./fallback.js";

const $ = (id) => document.getElementById(id);
const SPANS = { "1m": 60_000, "5m": 300_000, "1h": 3_600_000, all: 0 };
const MIN_SPAN_MS = 200;

export class Controls {
  constructor(onChange) {
    this.onChange = onChange;
    this.view = { filter: "", groupBy: "", reduce: "max", agg: "auto", window: { mode: "live", span: 60_000 }, max: 20 };
    this.lastWindow = [0, 0];
    this.labels = [];
    this.fromHash();
    this.filter = $("filter");
    this.filter.value = this.view.filter;
    $("filter-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.setFilter(this.filter.value.trim());
    });
    this.filter.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") {
        this.filter.value = this.view.filter;
        this.showError("");
      }
    });
    for (const id of ["groupby", "reduce", "agg"]) {
      $(id).addEventListener("change", () => {
        this.view.groupBy = $("groupby").value;
        this.view.reduce = $("reduce").value;
        this.view.agg = $("agg").value;
        this.changed();
      });
    }
    $("reduce").value = this.view.reduce;
    $("agg").value = this.view.agg;
    for (const b of $("windows").querySelectorAll("button")) {
      b.addEventListener("click", () => this.setWindow({ mode: "live", span: Number(b.dataset.span) }));
    }
    $("pan-left").addEventListener("click", () => this.pan(-0.5));
    $("pan-right").addEventListener("click", () => this.pan(0.5));
    $("zoom-out").addEventListener("click", () => this.zoomOut());
    $("live").addEventListener("click", () => this.live());
    window.addEventListener("hashchange", () => {
      if (location.hash.slice(1) === this.hash()) return;
      this.fromHash();
      this.filter.value = this.view.filter;
      $("reduce").value = this.view.reduce;
      $("agg").value = this.view.agg;
      this.renderLabels(this.labels);
      this.changed(false);
    });
    this.reflect();
  }

  fromHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    const v = this.view;
    if (p.has("filter")) v.filter = p.get("filter");
    if (p.has("groupby")) v.groupBy = p.get("groupby");
    if (p.has("reduce")) v.reduce = p.get("reduce");
    if (p.has("agg")) v.agg = p.get("agg");
    const w = p.get("window");
    if (w && w in SPANS) v.window = { mode: "live", span: SPANS[w] };
    const m = /^(\d+)-(\d+)$/.exec(p.get("range") ?? "");
    if (m && +m[2] > +m[1]) v.window = { mode: "fixed", from: +m[1], to: +m[2] };
  }

  hash() {
    const v = this.view;
    const p = new URLSearchParams();
    if (v.filter) p.set("filter", v.filter);
    if (v.groupBy) p.set("groupby", v.groupBy);
    if (v.groupBy) p.set("reduce", v.reduce);
    if (v.agg !== "auto") p.set("agg", v.agg);
    if (v.window.mode === "live") {
      const name = Object.keys(SPANS).find((k) => SPANS[k] === v.window.span);
      if (name && name !== "1m") p.set("window", name);
    } else p.set("range", `${Math.round(v.window.from)}-${Math.round(v.window.to)}`);
    return p.toString();
  }

  changed(writeHash = true) {
    if (writeHash) {
      const h = this.hash();
      if (location.hash.slice(1) !== h) history.replaceState(null, "", h ? `#${h}` : location.pathname + location.search);
    }
    this.reflect();
    this.onChange(this.view);
  }

  /** Pressed states and labels that mirror the view. */
  reflect() {
    const w = this.view.window;
    for (const b of $("windows").querySelectorAll("button")) {
      b.setAttribute("aria-pressed", String(w.mode === "live" && Number(b.dataset.span) === w.span));
    }
    $("live").setAttribute("aria-pressed", String(w.mode === "live"));
    $("reduce").disabled = !this.view.groupBy;
    $("groupby").value = this.view.groupBy;
  }

  setFilter(text) {
    try {
      tokenize(text); // quotes must balance; the grammar itself is checked by the engine
    } catch (e) {
      this.showError(e.message);
      return;
    }
    this.view.filter = text;
    this.renderLabels(this.labels);
    this.changed();
  }

  showError(msg) {
    $("filter-error").textContent = msg;
    this.filter.setAttribute("aria-invalid", msg ? "true" : "false");
  }

  setWindow(w) {
    if (w.mode === "live") this.liveSpan = w.span;
    this.view.window = w;
    this.changed();
  }

  /** The window the charts show now (from the last result), for pan and zoom. */
  current() {
    return this.lastWindow;
  }

  zoomTo(from, to) {
    if (!(to - from >= MIN_SPAN_MS)) {
      const mid = (from + to) / 2;
      from = mid - MIN_SPAN_MS / 2;
      to = mid + MIN_SPAN_MS / 2;
    }
    this.setWindow({ mode: "fixed", from, to });
  }

  pan(fraction) {
    const [a, b] = this.current();
    const d = (b - a) * fraction;
    this.setWindow({ mode: "fixed", from: a + d, to: b + d });
  }

  zoomOut() {
    const [a, b] = this.current();
    const d = (b - a) / 2;
    this.setWindow({ mode: "fixed", from: a - d, to: b + d });
  }

  live() {
    this.setWindow({ mode: "live", span: this.liveSpan ?? 60_000 });
  }

  /** Label names for the GROUPBY picker and the browser. */
  setLabels(list) {
    this.labels = list;
    const sel = $("groupby");
    const names = ["", ...list.map((l) => l.name)];
    const have = [...sel.options].map((o) => o.value);
    if (have.join("\0") !== names.join("\0")) {
      sel.replaceChildren(...names.map((n) => {
        const o = document.createElement("option");
        o.value = n;
        o.textContent = n || "none";
        return o;
      }));
      sel.value = this.view.groupBy;
    }
    this.renderLabels(list);
  }

  /** The browser: each label name, its values with series counts; click toggles a matcher. */
  renderLabels(list) {
    const root = $("labels");
    const active = this.activeMatchers();
    const openNow = new Set([...root.querySelectorAll("details[open]")].map((d) => d.dataset.name));
    const first = root.childElementCount === 0;
    const nodes = list.map(({ name, distinct, values }) => {
      const d = document.createElement("details");
      d.dataset.name = name;
      if (openNow.has(name) || (first && (name === "metric" || name === "region")) || active.has(name)) d.open = true;
      const s = document.createElement("summary");
      const n = document.createElement("span");
      n.textContent = name;
      const c = document.createElement("span");
      c.className = "n";
      c.textContent = String(distinct);
      s.append(n, c);
      const ul = document.createElement("ul");
      for (const [value, count] of values) {
        const li = document.createElement("li");
        const b = document.createElement("button");
        b.type = "button";
        b.title = `${name}=${value} (${count} series)`;
        b.setAttribute("aria-pressed", String(active.get(name)?.has(value) ?? false));
        const cnt = document.createElement("span");
        cnt.className = "n";
        cnt.textContent = String(count);
        b.append(document.createTextNode(value), cnt);
        b.addEventListener("click", () => this.toggle(name, value));
        li.append(b);
        ul.append(li);
      }
      d.append(s, ul);
      return d;
    });
    root.replaceChildren(...nodes);
  }

  /** name → Set(values) of the filter's positive matchers (`l=v`, `l=(a,b)`). */
  activeMatchers() {
    const out = new Map();
    let tokens = [];
    try {
      tokens = tokenize(this.view.filter);
    } catch {
      return out;
    }
    for (const t of tokens) {
      const m = /^([^=!]+)=(\((.*)\)|[^()]*)$/.exec(t);
      if (!m) continue;
      const values = m[3] !== undefined ? m[3].split(",").filter(Boolean) : m[2] ? [m[2]] : [];
      out.set(m[1], new Set(values));
    }
    return out;
  }

  /** Add or remove `name=value` from the filter (merging into `name=(a,b)` lists). */
  toggle(name, value) {
    let tokens;
    try {
      tokens = tokenize(this.view.filter);
    } catch {
      tokens = [];
    }
    const active = this.activeMatchers();
    const set = new Set(active.get(name) ?? []);
    if (set.has(value)) set.delete(value);
    else set.add(value);
    const quote = (s) => (/[\s"'\\]/.test(s) || s === "" ? `"${s.replace(/[\\"]/g, (c) => "\\" + c)}"` : s);
    const rest = tokens.filter((t) => !new RegExp(`^${escapeRe(name)}=(?!=)`).test(t));
    const list = [...set];
    const mine = list.length === 0 ? [] : [list.length === 1 ? `${name}=${list[0]}` : `${name}=(${list.join(",")})`];
    const text = [...rest, ...mine].map(quote).join(" ");
    this.filter.value = text;
    this.showError("");
    this.setFilter(text);
  }
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
