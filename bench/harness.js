// Timing and reporting helpers of the benchmark page.
//
// Every figure is the median (and p95, nearest rank) of N timed runs after warm-up runs, timed
// with performance.now() (5 µs resolution when the page is cross-origin isolated, as bench/server.mjs
// serves it; 100 µs otherwise). Engine and baseline are timed in the same page, in the same run,
// alternately, so machine noise hits both alike.

/** Yields to the event loop (lets the table render and the runner poll). */
export const tick = () => new Promise((r) => setTimeout(r, 0));

export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, p95: at(0.95), min: s[0], max: s[s.length - 1], runs: samples.length };
}

/**
 * Times `fn` (`warmup` untimed runs, then `runs` timed ones). `setup()` runs untimed before each
 * run and its value is passed to `fn`; `fn`'s result of the last run is returned as `last`.
 * Returns `{ ms: stats, last }`.
 */
export async function measure(fn, { warmup = 1, runs = 5, setup = () => undefined, teardown = () => {} } = {}) {
  const times = [];
  let last;
  for (let i = 0; i < warmup + runs; i++) {
    const ctx = await setup();
    const t0 = performance.now();
    const out = await fn(ctx);
    const dt = performance.now() - t0;
    if (i >= warmup) times.push(dt);
    if (i === warmup + runs - 1) last = out;
    else await teardown(ctx, out);
    await tick();
  }
  return { ms: stats(times), last };
}

/**
 * Times `a` and `b` alternately (a, b, a, b, …) so drift affects both alike.
 * Returns `{ a: { ms, last }, b: { ms, last } }`.
 */
export async function measurePair(a, b, opts = {}) {
  const { warmup = 1, runs = 5 } = opts;
  const ta = [];
  const tb = [];
  let la;
  let lb;
  for (let i = 0; i < warmup + runs; i++) {
    for (const [fn, times, side] of [[a, ta, "a"], [b, tb, "b"]]) {
      const ctx = fn.setup ? await fn.setup() : undefined;
      const t0 = performance.now();
      const out = await (fn.run ?? fn)(ctx);
      const dt = performance.now() - t0;
      if (i >= warmup) times.push(dt);
      if (i === warmup + runs - 1) {
        if (side === "a") la = out;
        else lb = out;
      } else if (fn.teardown) await fn.teardown(ctx, out);
      await tick();
    }
  }
  return { a: { ms: stats(ta), last: la }, b: { ms: stats(tb), last: lb } };
}

/** A result row that could not run because the engine lacks an API. */
export function na(group, id, name, why) {
  return { group, id, name, status: "n/a", note: `n/a: API not available yet (${why})` };
}

export function errorRow(group, id, name, e) {
  return { group, id, name, status: "error", note: `error: ${e?.message ?? e}` };
}

const f = (x, d = 2) => (x == null || Number.isNaN(x) ? "–" : x >= 1000 ? x.toFixed(0) : x.toFixed(d));
const fmtMs = (s) => (s ? `${f(s.median)} / ${f(s.p95)} ms` : "–");

/** Markdown-ish cells of one row (shared by the page's table and bench/run.mjs). */
export function cells(r) {
  if (r.status !== "ok") return [r.group, r.name, r.note ?? r.status, "", "", "", ""];
  const eng = r.figure != null ? `${f(r.figure)} ${r.unit}` : "";
  const engT = r.engine ? fmtMs(r.engine) : "";
  const base = r.baseline
    ? `${r.baselineFigure != null ? `${f(r.baselineFigure)} ${r.unit} · ` : ""}${fmtMs(r.baseline)}`
    : r.baselineFigure != null
      ? `${f(r.baselineFigure)} ${r.unit}`
      : "";
  const ratio = r.ratio != null ? `${f(r.ratio)}× ${r.ratioLabel ?? ""}`.trim() : "";
  const target = r.target ? `${r.target}${r.met == null ? "" : r.met ? " ✓" : " ✗"}` : "";
  return [r.group, r.name, [eng, engT].filter(Boolean).join(" · "), base, ratio, target, r.note ?? ""];
}

export const HEADER = [
  "group", "benchmark", "tsdb-wasm (median / p95)", "baseline (median / p95)", "ratio (speed: engine ÷ baseline)", "target", "notes",
];

export function renderTable(el, rows) {
  const esc = (s) => String(s).replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
  el.innerHTML =
    `<tr>${HEADER.map((h) => `<th>${esc(h)}</th>`).join("")}</tr>` +
    rows.map((r) => `<tr class="${r.status}">${cells(r).map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("");
}
