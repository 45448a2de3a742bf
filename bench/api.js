// Which engine APIs exist in this build, and how to call them. The typed query API is being built
// while this page is; every probe runs on a tiny throw-away database and checks the answer's
// shape, so a 4th argument that an older `range` silently ignores is not mistaken for support.
// Benchmarks use the typed call when it exists and `db.command(...)` otherwise; each result row
// says which path it measured.

const cols = (r) => r && r.timestamps instanceof Float64Array && r.values instanceof Float64Array;

function tinyDb(TimeSeriesDB) {
  const db = new TimeSeriesDB();
  const ts = Float64Array.from({ length: 100 }, (_, i) => 1000 * i);
  const vs = Float64Array.from({ length: 100 }, (_, i) => i % 7);
  db.addMany("p", ts, vs, { labels: { a: "1", b: "2" } });
  return db;
}

const tryCall = (f) => {
  try {
    return f();
  } catch {
    return undefined;
  }
};

/** `{ aggRange, viewport, queryIndex, mrange }`: each a function or a `{ missing }` reason. */
export function probe(TimeSeriesDB) {
  const db = tinyDb(TimeSeriesDB);
  const api = {};

  // Aggregated range: typed shapes first (Float64Array columns, 10 buckets of 10 s), then the command.
  const typed = [
    ["db.range(k, from, to, { aggregation: type, bucketDuration })",
      (d, k, f, t, a, b) => d.range(k, f, t, { aggregation: a, bucketDuration: b })],
    ["db.range(k, from, to, { aggregation: { type, bucketDuration } })",
      (d, k, f, t, a, b) => d.range(k, f, t, { aggregation: { type: a, bucketDuration: b } })],
    ["db.range(k, from, to, { aggregation: { aggregator, bucketDuration } })",
      (d, k, f, t, a, b) => d.range(k, f, t, { aggregation: { aggregator: a, bucketDuration: b } })],
    ["db.aggregate(k, from, to, type, bucketDuration)",
      (d, k, f, t, a, b) => d.aggregate?.(k, f, t, a, b)],
  ];
  // Bucket 0 holds i % 7 for i in 0..9: avg 2.4.
  const near = (x, y) => Math.abs(+x - y) < 1e-9;
  const okAgg = (r) => cols(r) && r.timestamps.length === 10 && near(r.values[0], 2.4);
  const hit = typed.find(([, f]) => okAgg(tryCall(() => f(db, "p", "-", "+", "avg", 10000))));
  if (hit) api.aggRange = Object.assign(hit[1], { path: hit[0] });
  else {
    const r = tryCall(() => db.command("TS.RANGE p - + AGGREGATION avg 10000"));
    if (Array.isArray(r) && r.length === 10 && near(r[0][1], 2.4)) {
      api.aggRange = Object.assign(
        (d, k, f, t, a, b) => d.command(`TS.RANGE ${k} ${f} ${t} AGGREGATION ${a} ${b}`),
        { path: "db.command(\"TS.RANGE … AGGREGATION …\") (RESP reply as nested JS arrays)" },
      );
    } else api.aggRange = { missing: "TS.RANGE … AGGREGATION" };
  }

  // M4 viewport.
  const vp = tryCall(() => db.viewport("p", 0, 99000, 10));
  api.viewport = cols(vp) && vp.timestamps.length > 0 && vp.timestamps.length <= 40
    ? Object.assign((d, k, f, t, w) => d.viewport(k, f, t, w), { path: "db.viewport" })
    : { missing: "db.viewport" };

  // Label index.
  const qi = [
    ["db.queryIndex([matchers])", (d, m) => d.queryIndex(m)],
    ["db.queryIndex(\"matchers\")", (d, m) => d.queryIndex(m.join(" "))],
    ["db.command(\"TS.QUERYINDEX …\")", (d, m) => d.command(`TS.QUERYINDEX ${m.join(" ")}`)],
  ].find(([, f]) => {
    const r = tryCall(() => f(db, ["a=1", "b=2"]));
    return Array.isArray(r) && r.length === 1 && r[0] === "p";
  });
  api.queryIndex = qi ? Object.assign(qi[1], { path: qi[0] }) : { missing: "queryIndex / TS.QUERYINDEX" };

  // Multi-series range with GROUPBY / REDUCE (command text; the typed mrange is used if it
  // answers the same command's shape — it is not probed further here).
  const mr = tryCall(() => db.command("TS.MRANGE - + AGGREGATION max 10000 FILTER a=1 GROUPBY b REDUCE max"));
  api.mrange = Array.isArray(mr) && mr.length === 1
    ? Object.assign((d, text) => d.command(text), { path: "db.command(\"TS.MRANGE …\")" })
    : { missing: "TS.MRANGE … GROUPBY … REDUCE" };

  db.free();
  return api;
}

/** Columns of an aggregated-range answer, typed or RESP (`[[t, v], …]`). */
export function toColumns(r) {
  if (cols(r)) return r;
  return { timestamps: Float64Array.from(r, (p) => p[0]), values: Float64Array.from(r, (p) => +p[1]) };
}

/** Largest |a − b| relative to max(1, |b|) over two column sets; Infinity when lengths differ. */
export function maxRelDiff(a, b) {
  if (a.timestamps.length !== b.timestamps.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.timestamps.length; i++) {
    if (a.timestamps[i] !== b.timestamps[i]) return Infinity;
    d = Math.max(d, Math.abs(a.values[i] - b.values[i]) / Math.max(1, Math.abs(b.values[i])));
  }
  return d;
}
