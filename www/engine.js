// The worker's side of the engine: what the dashboard asks of tsdb-wasm, and how.
//
// The engine is growing while the dashboard ships, so every feature is probed once on a
// scratch database at start (`probe`) and the store uses the engine where it can and a JS
// stand-in from fallback.js where it cannot yet. The stats panel lists which is which.
//
//   feature          engine                                   stand-in until then
//   label filter     db.queryIndex / TS.QUERYINDEX            JS grammar over the wire's labels
//   M4 for charts    db.viewport(key, from, to, px)           TS.RANGE raw + M4 in JS
//   aggregation      db.range(k, a, b, {aggregation, bucketDuration}) or TS.RANGE … AGGREGATION
//                                                            raw + buckets in JS
//   group/reduce     TS.MRANGE … GROUPBY l REDUCE r           per-series aggregation + JS reduce
//   rollups          db.createRule / TS.CREATERULE            none: long windows read raw (M4)
//                    (10 s and 1 min × avg/min/max per series)
//   open bucket      TS.RANGE … LATEST                        the raw tail aggregated
//   persistence      db.snapshot / TimeSeriesDB.restore       disabled (the toggle says so)

import { aggregate, m4, matches, parseFilter, quoteArg, reduceSeries, tokenize } from "./fallback.js";

/** Raw series keep this long (ms); rollups keep longer (ROLLUPS). */
export const RAW_RETENTION_MS = 3_600_000;
/** Compaction rollups created for every ingested series when the engine has rules. */
export const ROLLUPS = [
  { bucket: 10_000, retention: 86_400_000, aggs: ["avg", "min", "max"] },
  { bucket: 60_000, retention: 7 * 86_400_000, aggs: ["avg", "min", "max"] },
];
/** Label that marks a rollup series (raw queries add `rollup=`: "has no such label"). */
export const ROLLUP_LABEL = "rollup";
export const rollupKey = (key, agg, bucket) => `${key}_${agg}_${bucket}`;

function attempt(fn) {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

const flat = (rows) => {
  const ts = new Float64Array(rows.length);
  const vs = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    ts[i] = rows[i][0];
    vs[i] = rows[i][1];
  }
  return { timestamps: ts, values: vs };
};

/** What the engine build can do, tried on a scratch database. */
export function probe(TimeSeriesDB) {
  const db = new TimeSeriesDB();
  const caps = {};
  try {
    db.create("p", { labels: { x: "1" } });
    // A rule first (rules compact what arrives after them), then the samples.
    const ruled = attempt(() => {
      db.create("p_avg_5000", { labels: { x: "1", [ROLLUP_LABEL]: "avg_5000" } });
      if (typeof db.createRule === "function") db.createRule("p", "p_avg_5000", { aggregation: "avg", bucketDuration: 5000 });
      else db.command("TS.CREATERULE p p_avg_5000 AGGREGATION avg 5000");
      return true;
    });
    for (const t of [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 12_000]) db.add("p", t, t / 1000);
    caps.viewport = typeof db.viewport === "function" && attempt(() => db.viewport("p", 0, 10_000, 4).timestamps.length > 0) === true;
    caps.rangeTyped = attempt(() => db.range("p", 0, 10_000, { aggregation: "avg", bucketDuration: 5000 }).timestamps.length === 2) === true;
    caps.aggregation = caps.rangeTyped || attempt(() => db.command("TS.RANGE p 0 10000 AGGREGATION avg 5000").length === 2) === true;
    caps.queryIndexTyped = typeof db.queryIndex === "function" && attempt(() => db.queryIndex(["x=1"])[0] === "p") === true;
    caps.queryIndex = caps.queryIndexTyped || attempt(() => db.command("TS.QUERYINDEX x=1")[0] === "p") === true;
    caps.mrange = attempt(() => db.command("TS.MRANGE 0 10000 AGGREGATION max 5000 FILTER x=1 rollup= GROUPBY x REDUCE max").length === 1) === true;
    // Two closed buckets ([0, 5 s) and [5 s, 10 s)); LATEST adds the open one.
    caps.rules = ruled === true && attempt(() => db.command("TS.RANGE p_avg_5000 - +").length === 2) === true;
    caps.rulesTyped = caps.rules && typeof db.createRule === "function";
    caps.latest = caps.rules && attempt(() => (caps.rangeTyped
      ? db.range("p_avg_5000", "-", "+", { latest: true }).timestamps.length
      : db.command("TS.RANGE p_avg_5000 - + LATEST").length) === 3) === true;
    caps.snapshot = typeof db.snapshot === "function" && typeof TimeSeriesDB.restore === "function" &&
      attempt(() => {
        const copy = TimeSeriesDB.restore(db.snapshot());
        const ok = copy.exists("p");
        copy.free?.();
        return ok;
      }) === true;
  } finally {
    db.free?.();
  }
  return caps;
}

export class Store {
  constructor(TimeSeriesDB, caps, db = new TimeSeriesDB()) {
    this.TimeSeriesDB = TimeSeriesDB;
    this.caps = caps;
    this.db = db;
    /** Raw series from the wire: key → labels (for the label browser and the JS filter). */
    this.raw = new Map();
    this.createErrors = 0;
    this.lastError = "";
  }

  /** Replace the database (restore from a snapshot). */
  replace(db, raw) {
    this.db.free?.();
    this.db = db;
    this.raw = new Map(raw);
  }

  /** TS.CREATE a series seen on the wire for the first time, with its rollups. */
  ensureSeries(key, labels) {
    const known = this.raw.has(key);
    this.raw.set(key, labels);
    if (known || this.db.exists(key)) return;
    const opts = { labels, retention: RAW_RETENTION_MS, duplicatePolicy: "last" };
    try {
      this.db.create(key, opts);
    } catch (e) {
      // Labels the engine refuses (it validates them): keep the series, drop its labels;
      // the JS label map still knows them.
      this.createErrors++;
      this.lastError = `${key}: ${e.message}`;
      this.db.create(key, { retention: RAW_RETENTION_MS, duplicatePolicy: "last" });
    }
    if (!this.caps.rules) return;
    for (const r of ROLLUPS) {
      for (const agg of r.aggs) {
        const dst = rollupKey(key, agg, r.bucket);
        try {
          if (!this.db.exists(dst)) {
            this.db.create(dst, { labels: { ...labels, [ROLLUP_LABEL]: `${agg}_${r.bucket}` }, retention: r.retention, duplicatePolicy: "last" });
          }
          if (this.caps.rulesTyped) this.db.createRule(key, dst, { aggregation: agg, bucketDuration: r.bucket });
          else this.db.command(`TS.CREATERULE ${quoteArg(key)} ${quoteArg(dst)} AGGREGATION ${agg} ${r.bucket}`);
        } catch (e) {
          this.createErrors++;
          this.lastError = `${dst}: ${e.message}`;
        }
      }
    }
  }

  /** Raw keys matching a filter text (RedisTimeSeries grammar); empty text = every raw series. */
  select(filterText) {
    const tokens = tokenize(filterText);
    if (tokens.length === 0) return [...this.raw.keys()].sort(byBytes);
    if (this.caps.queryIndex) {
      const args = [...tokens, `${ROLLUP_LABEL}=`];
      const keys = this.caps.queryIndexTyped ? this.db.queryIndex(args) : this.db.command(`TS.QUERYINDEX ${args.map(quoteArg).join(" ")}`);
      return keys.slice().sort(byBytes);
    }
    const matchers = parseFilter(tokens);
    const out = [];
    for (const [key, labels] of this.raw) if (matches(labels, matchers)) out.push(key);
    return out.sort(byBytes);
  }

  /** Label name → sorted values, over the raw series (for the browser and the pickers). */
  labelIndex(limit = 400) {
    const names = new Map();
    for (const labels of this.raw.values()) {
      for (const [k, v] of Object.entries(labels)) {
        let vals = names.get(k);
        if (!vals) names.set(k, (vals = new Map()));
        vals.set(v, (vals.get(v) ?? 0) + 1);
      }
    }
    return [...names.entries()].sort((a, b) => byBytes(a[0], b[0])).map(([name, vals]) => ({
      name,
      distinct: vals.size,
      values: [...vals.entries()].sort((a, b) => byBytes(a[0], b[0])).slice(0, limit),
    }));
  }

  raw_(key, from, to) {
    return this.db.range(key, from, to);
  }

  /** TS.RANGE key from to AGGREGATION agg bucket [LATEST]. */
  aggregated(key, from, to, agg, bucket, latest = false) {
    if (this.caps.rangeTyped) {
      const opts = { aggregation: agg, bucketDuration: bucket };
      if (latest && this.caps.latest) opts.latest = true;
      return this.db.range(key, from, to, opts);
    }
    if (this.caps.aggregation) {
      const l = latest && this.caps.latest ? " LATEST" : "";
      return flat(this.db.command(`TS.RANGE ${quoteArg(key)} ${from} ${to}${l} AGGREGATION ${agg} ${bucket}`));
    }
    const r = this.db.range(key, from, to);
    return aggregate(r.timestamps, r.values, agg, bucket);
  }

  /** M4 points of a raw series for a chart `width` px wide. */
  viewport(key, from, to, width) {
    if (this.caps.viewport) return this.db.viewport(key, from, to, width);
    const r = this.db.range(key, from, to);
    return m4(r.timestamps, r.values, from, to, width);
  }

  /** The rollup bucket to read for a wanted resolution (the largest not above it), or 0. */
  rollupFor(bucketWanted) {
    if (!this.caps.rules || !this.caps.aggregation) return 0;
    let best = 0;
    for (const r of ROLLUPS) if (r.bucket <= bucketWanted) best = Math.max(best, r.bucket);
    return best;
  }

  /** A rollup read at `bucket` (a multiple of the rollup's), plus the raw tail its open
   *  bucket does not cover yet (or LATEST when the engine has it). */
  fromRollup(key, agg, rb, from, to, bucket) {
    const dst = rollupKey(key, agg, rb);
    // A rollup sample is stamped with its bucket's start, which may lie before `from`: read
    // from the start of the bucket `from` falls in, as a raw aggregation would.
    const r = this.aggregated(dst, Math.floor(from / bucket) * bucket, to, agg, bucket, true);
    if (this.caps.latest) return r;
    const n = r.timestamps.length;
    const tailFrom = n ? r.timestamps[n - 1] + bucket : from;
    if (tailFrom > to) return r;
    const tail = this.aggregated(key, tailFrom, to, agg, bucket);
    return concat(r, tail);
  }

  /** One chart's columns for a raw series: [ts, v] (M4 or aggregation), or [ts, avg, min, max]
   *  from rollups when the window is long. */
  seriesColumns(key, from, to, width, agg, bucket) {
    const rb = this.rollupFor(bucket);
    if (agg === "auto") {
      if (rb) {
        const b = Math.max(rb, Math.floor(bucket / rb) * rb);
        const avg = this.fromRollup(key, "avg", rb, from, to, b);
        const lo = this.fromRollup(key, "min", rb, from, to, b);
        const hi = this.fromRollup(key, "max", rb, from, to, b);
        return { kind: "band", bucket: b, source: `rollup ${rb / 1000}s`, cols: alignCols(avg, [lo, hi]) };
      }
      const v = this.viewport(key, from, to, width);
      return { kind: "line", bucket: 0, source: this.caps.viewport ? "raw · M4 viewport" : "raw · M4 (JS)", cols: [v.timestamps, v.values] };
    }
    if (rb && (agg === "avg" || agg === "min" || agg === "max")) {
      const b = Math.max(rb, Math.floor(bucket / rb) * rb);
      const r = this.fromRollup(key, agg, rb, from, to, b);
      return { kind: "line", bucket: b, source: `rollup ${rb / 1000}s`, cols: [r.timestamps, r.values] };
    }
    const r = this.aggregated(key, from, to, agg, bucket);
    return { kind: "line", bucket, source: this.caps.aggregation ? "aggregation" : "aggregation (js)", cols: [r.timestamps, r.values] };
  }

  /** TS.MRANGE from to AGGREGATION agg bucket FILTER … GROUPBY label REDUCE reducer:
   *  one reduced series per label value. */
  groups(filterText, groupBy, reducer, from, to, agg, bucket) {
    const tokens = tokenize(filterText);
    if (this.caps.mrange && tokens.length) {
      const args = [...tokens, `${ROLLUP_LABEL}=`].map(quoteArg).join(" ");
      const reply = this.db.command(
        `TS.MRANGE ${from} ${to} WITHLABELS AGGREGATION ${agg} ${bucket} FILTER ${args} GROUPBY ${quoteArg(groupBy)} REDUCE ${reducer}`,
      );
      return reply.map(([name, labels, rows]) => {
        const l = Object.fromEntries(labels);
        return { name, value: l[groupBy] ?? name, sources: String(l.__source__ ?? "").split(",").filter(Boolean), ...flat(rows) };
      });
    }
    const keys = this.select(filterText);
    const byValue = new Map();
    for (const key of keys) {
      const v = this.raw.get(key)?.[groupBy];
      if (v === undefined) continue;
      if (!byValue.has(v)) byValue.set(v, []);
      byValue.get(v).push(key);
    }
    return [...byValue.entries()].sort((a, b) => byBytes(a[0], b[0])).map(([value, members]) => {
      const parts = members.map((k) => this.aggregated(k, from, to, agg, bucket));
      return { name: `${groupBy}=${value}`, value, sources: members, ...reduceSeries(parts, reducer) };
    });
  }
}

function byBytes(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function concat(a, b) {
  if (!b.timestamps.length) return a;
  if (!a.timestamps.length) return b;
  const ts = new Float64Array(a.timestamps.length + b.timestamps.length);
  const vs = new Float64Array(ts.length);
  ts.set(a.timestamps);
  ts.set(b.timestamps, a.timestamps.length);
  vs.set(a.values);
  vs.set(b.values, a.values.length);
  return { timestamps: ts, values: vs };
}

/** Columns [ts, main, ...others] on main's timestamps (others matched by timestamp). */
function alignCols(main, others) {
  const ts = main.timestamps;
  const cols = [ts, main.values];
  for (const o of others) {
    if (o.timestamps.length === ts.length && o.timestamps.every((t, i) => t === ts[i])) {
      cols.push(o.values);
      continue;
    }
    const at = new Map();
    for (let i = 0; i < o.timestamps.length; i++) at.set(o.timestamps[i], o.values[i]);
    cols.push(Float64Array.from(ts, (t, i) => at.get(t) ?? main.values[i]));
  }
  return cols;
}
