// Quick wasm performance check in Node: the engine (pkg/node) against plain JS loops over
// Float64Arrays, timed alternately in the same run (medians; ratio = JS time / engine time, above
// 1 the engine wins). Same data and baselines as the in-browser page (bench/gen.js,
// bench/baselines.js), without a browser.
//
//   node scripts/perf-node.mjs [--pkg pkg/node] [--n 10000000] [--runs 9] [--batch 65536]
//
// Prints: batched ingest (M samples/s; addMany into one series, regular 1 s, 2 decimals), bytes
// per sample of that series and of the real corpus (bench/data, info.memoryUsage), and the three
// target queries: avg into 1000 buckets, avg into 1-minute buckets, M4 viewport 1000 px.

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { randomWalk } from "../bench/gen.js";
import { ingestGrowing, bucketAvg, m4 } from "../bench/baselines.js";
import { parseSeries } from "../bench/corpus.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const pkgDir = resolve(root, arg("pkg", "pkg/node"));
const N = Number(arg("n", 10_000_000));
const RUNS = Number(arg("runs", 9));
const BATCH = Number(arg("batch", 65_536));

const require = createRequire(import.meta.url);
const { TimeSeriesDB } = require(resolve(pkgDir, "tsdb_wasm.js"));

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const now = () => performance.now();

/** Times `a` and `b` alternately `runs` times (after one warm-up each); medians in ms. */
function pair(a, b, runs = RUNS) {
  a();
  b();
  const ta = [];
  const tb = [];
  let ra;
  let rb;
  for (let i = 0; i < runs; i++) {
    let t = now();
    ra = a();
    ta.push(now() - t);
    t = now();
    rb = b();
    tb.push(now() - t);
  }
  return { a: median(ta), b: median(tb), ra, rb };
}

const maxRelDiff = (x, y) => {
  if (x.timestamps.length !== y.timestamps.length) return Infinity;
  let d = 0;
  for (let i = 0; i < x.timestamps.length; i++) {
    if (x.timestamps[i] !== y.timestamps[i]) return Infinity;
    const a = x.values[i];
    const b = y.values[i];
    if (a !== b) d = Math.max(d, Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
  }
  return d;
};

const { timestamps: ts, values: vs } = randomWalk(N);
const from = ts[0];
const to = ts[N - 1];
const KEY = "rw";
const fmt = (x, d = 2) => x.toFixed(d).padStart(8);
console.log(`pkg ${pkgDir}\nnode ${process.version}, ${N} samples, ${RUNS} runs (medians), batch ${BATCH}`);

// 1. Ingest.
let db = null;
const ingest = pair(
  () => {
    if (db) db.free();
    db = new TimeSeriesDB();
    for (let off = 0; off < N; off += BATCH) db.addMany(KEY, ts.subarray(off, off + BATCH), vs.subarray(off, off + BATCH));
    return db;
  },
  () => ingestGrowing(ts, vs, BATCH),
  Math.max(3, RUNS >> 1),
);
const info = db.info(KEY);
console.log(
  `ingest addMany               engine ${fmt(N / ingest.a / 1e3)} M/s   JS ${fmt(N / ingest.b / 1e3)} M/s` +
    `   (${info.totalSamples === N ? "ok" : "WRONG"}; ${info.chunkCount} chunks; ${(info.memoryUsage / N).toFixed(3)} B/sample)`,
);

// 2. Queries.
const queries = [
  ["avg, 1000 buckets", () => db.range(KEY, from, to, { aggregation: "avg", bucketDuration: 10_000_000 }), () => bucketAvg(ts, vs, from, to, 10_000_000)],
  ["avg, 1-minute buckets", () => db.range(KEY, from, to, { aggregation: "avg", bucketDuration: 60_000 }), () => bucketAvg(ts, vs, from, to, 60_000)],
  ["viewport M4, 1000 px", () => db.viewport(KEY, from, to, 1000), () => m4(ts, vs, from, to, 1000)],
];
for (const [name, a, b] of queries) {
  const m = pair(a, b);
  const d = maxRelDiff(m.ra, m.rb);
  console.log(
    `${name.padEnd(28)} engine ${fmt(m.a, 3)} ms   JS ${fmt(m.b, 3)} ms   ratio ${fmt(m.b / m.a)}x` +
      `   (${d === Infinity ? "WRONG" : `max rel diff ${d.toExponential(1)}`})`,
  );
}
db.free();

// 3. Corpus bytes per sample (info.memoryUsage, as the page measures it).
const specs = JSON.parse(readFileSync(resolve(root, "bench/data/corpus.json"), "utf8"));
const cdb = new TimeSeriesDB();
let logSum = 0;
for (const spec of specs) {
  const s = parseSeries(readFileSync(resolve(root, "bench/data", spec.file), "utf8"), spec);
  const key = `${spec.file}:${spec.value}`;
  cdb.addMany(key, s.timestamps, s.values);
  const i = cdb.info(key);
  const bps = i.memoryUsage / i.totalSamples;
  logSum += Math.log(bps);
  console.log(`  ${key.padEnd(50)} ${String(i.totalSamples).padStart(7)} ${bps.toFixed(3)} B/sample`);
}
console.log(`corpus geometric mean (wasm memoryUsage, key included): ${Math.exp(logSum / specs.length).toFixed(3)} B/sample`);
cdb.free();
