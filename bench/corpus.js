// The real-data corpus (bench/data/corpus.json): CSV text → one series, parsed exactly as
// bench/data/README.md says: timestamps as UTC milliseconds (a date alone is midnight UTC, a
// date-time without an offset is UTC too — unlike `Date.parse`, which takes it as local time),
// rows with an empty value skipped. Shared by the page and bench/redis.mjs.

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?Z?$/;

/** A UTC timestamp in ms from an ISO date or date-time; throws on anything else. */
export function parseUtc(text) {
  const m = DATE.exec(text.trim());
  if (!m) throw new Error(`corpus: not an ISO date: ${JSON.stringify(text)}`);
  const [, y, mo, d, h = "0", mi = "0", s = "0", ms = "0"] = m;
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, "0"));
}

/** 400 Gregorian years (146 097 days) in ms: a shift that keeps the calendar (weekdays, leap days). */
export const SHIFT_400Y_MS = 146_097 * 86_400_000;

/**
 * One series of a CSV: `{ timestamps, values, shiftMs }` (Float64Array columns) for
 * `spec = { time, value }`. Neither this engine nor RedisTimeSeries stores timestamps before 1970
 * (negative), so a series that starts earlier (the 1958 CO2 series) is shifted by 400 Gregorian
 * years as a whole: the same deltas, so the same bytes per sample. `shiftMs` says by how much.
 */
export function parseSeries(csv, spec) {
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(",");
  const ti = header.indexOf(spec.time);
  const vi = header.indexOf(spec.value);
  if (ti < 0 || vi < 0) throw new Error(`corpus: ${spec.file} lacks ${spec.time} or ${spec.value}`);
  const ts = [];
  const vs = [];
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(",");
    const raw = (cells[vi] ?? "").trim();
    if (raw === "") continue;
    const v = Number(raw);
    if (!Number.isFinite(v)) throw new Error(`corpus: ${spec.file} row ${r}: bad value ${raw}`);
    ts.push(parseUtc(cells[ti]));
    vs.push(v);
  }
  const shiftMs = ts.length && ts[0] < 0 ? SHIFT_400Y_MS * Math.ceil(-ts[0] / SHIFT_400Y_MS) : 0;
  return { timestamps: Float64Array.from(ts, (t) => t + shiftMs), values: Float64Array.from(vs), shiftMs };
}

/** The series name used in bench/data/README.md: `file:column`. */
export const seriesName = (spec) => `${spec.file}:${spec.value}`;

/** RedisTimeSeries' bytes/sample per series from bench/data/README.md's table. */
export function redisFigures(readme) {
  const out = new Map();
  for (const m of readme.matchAll(/^\|\s*([^|]+?\.csv:[^|\s]+)\s*\|\s*(\d+)\s*\|\s*([\d.]+)\s*\|/gm)) {
    out.set(m[1], { samples: +m[2], bytesPerSample: +m[3] });
  }
  const g = /^\|\s*geometric mean\s*\|[^|]*\|\s*([\d.]+)\s*\|/m.exec(readme);
  return { series: out, geomean: g ? +g[1] : NaN };
}

export const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
