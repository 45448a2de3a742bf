// The command console: RedisTimeSeries commands run by the engine in the worker, replies
// printed the way redis-cli prints them, errors shown as they come. History (↑ ↓) is kept
// in localStorage; Tab completes a command name. Output is text only (textContent).

const COMMANDS = [
  "TS.ADD", "TS.ALTER", "TS.CREATE", "TS.CREATERULE", "TS.DECRBY", "TS.DEL", "TS.DELETERULE", "TS.GET",
  "TS.INCRBY", "TS.INFO", "TS.MADD", "TS.MGET", "TS.MRANGE", "TS.MREVRANGE", "TS.QUERYINDEX", "TS.RANGE",
  "TS.REVRANGE", "DEL", "EXISTS", "KEYS", "TYPE", "RENAME",
];
const HISTORY_KEY = "tsdb-wasm.console.history";
const MAX_LINES = 400;

/** redis-cli style rendering of a reply (numbers, strings, nil, errors, nested arrays). */
export function formatReply(v, indent = 0) {
  if (v === null || v === undefined) return "(nil)";
  if (v instanceof Error) return `(error) ${v.message}`;
  if (typeof v === "number") return Number.isInteger(v) ? `(integer) ${v}` : `(double) ${v}`;
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return "(empty array)";
    const w = String(v.length).length;
    const pad = " ".repeat(indent);
    return v
      .map((x, i) => {
        const head = `${String(i + 1).padStart(w)}) `;
        const body = formatReply(x, indent + head.length);
        return (i === 0 ? "" : pad) + head + body;
      })
      .join("\n");
  }
  return String(v);
}

export class Console {
  /** `run(text)` → Promise<{ ok, value | error }>. */
  constructor(form, input, out, run) {
    this.input = input;
    this.out = out;
    this.run = run;
    try {
      this.history = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? "[]").filter((x) => typeof x === "string");
    } catch {
      this.history = [];
    }
    this.pos = this.history.length;
    this.draft = "";
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.submit();
    });
    input.addEventListener("keydown", (ev) => this.key(ev));
    this.note("Commands run on the engine in this tab. Try TS.INFO cpu:host-00 or TS.RANGE cpu:host-00 - + AGGREGATION max 10000");
  }

  key(ev) {
    if (ev.key === "ArrowUp" || ev.key === "ArrowDown") {
      if (!this.history.length) return;
      ev.preventDefault();
      if (this.pos === this.history.length) this.draft = this.input.value;
      this.pos = Math.max(0, Math.min(this.history.length, this.pos + (ev.key === "ArrowUp" ? -1 : 1)));
      this.input.value = this.pos === this.history.length ? this.draft : this.history[this.pos];
      this.input.setSelectionRange(this.input.value.length, this.input.value.length);
    } else if (ev.key === "Tab" && !ev.shiftKey) {
      const v = this.input.value;
      if (!v || /\s/.test(v)) return;
      const hits = COMMANDS.filter((c) => c.startsWith(v.toUpperCase()));
      if (!hits.length) return;
      ev.preventDefault();
      const common = hits.reduce((a, b) => {
        let i = 0;
        while (i < a.length && a[i] === b[i]) i++;
        return a.slice(0, i);
      });
      this.input.value = hits.length === 1 ? hits[0] + " " : common;
      if (hits.length > 1) this.note(hits.join("  "));
    }
  }

  async submit() {
    const text = this.input.value.trim();
    if (!text) return;
    if (this.history[this.history.length - 1] !== text) this.history.push(text);
    this.history = this.history.slice(-100);
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(this.history));
    } catch {
      /* private mode: history for this page only */
    }
    this.pos = this.history.length;
    this.input.value = "";
    const entry = this.entry();
    entry.append(line("cmd", text));
    const t0 = performance.now();
    const r = await this.run(text);
    const dt = performance.now() - t0;
    if (r.ok) {
      const lines = formatReply(r.value).split("\n");
      const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `… ${lines.length - MAX_LINES} more lines`] : lines;
      entry.append(line("", shown.join("\n")));
    } else {
      entry.append(line("err", `(error) ${r.error}`));
    }
    entry.append(line("meta", `${dt.toFixed(1)} ms`));
    this.out.scrollTop = this.out.scrollHeight;
  }

  entry() {
    const e = document.createElement("div");
    e.className = "entry";
    this.out.append(e);
    while (this.out.childElementCount > 200) this.out.firstElementChild.remove();
    return e;
  }

  note(text) {
    this.entry().append(line("meta", text));
  }
}

function line(cls, text) {
  const d = document.createElement("div");
  if (cls) d.className = cls;
  d.textContent = text;
  return d;
}
