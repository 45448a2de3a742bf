// The typed query API of the installed package: range / revRange options, aggregator lists as
// columns (uPlot's shape), the M4 viewport, compaction rules and LATEST, and the command text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TimeSeriesDB } from "tsdb-wasm";

function series() {
  const db = new TimeSeriesDB();
  const n = 3600;
  const ts = new Float64Array(n).map((_, i) => 1_700_000_000_000 + i * 1000);
  const vs = new Float64Array(n).map((_, i) => Math.round(Math.sin(i / 60) * 1000) / 100);
  db.addMany("cpu", ts, vs);
  return { db, ts, vs };
}

test("aggregated range, lists as columns, revRange", () => {
  const { db, ts, vs } = series();
  const r = db.range("cpu", ts[0], "+", { aggregation: "avg", bucketDuration: 60_000, align: "start" });
  assert.equal(r.timestamps.length, 60);
  assert.ok(r.values instanceof Float64Array && r.columns.length === 1 && r.columns[0] === r.values);
  const first = vs.slice(0, 60).reduce((a, b) => a + b, 0) / 60;
  assert.ok(Math.abs(r.values[0] - first) < 1e-12);
  const l = db.range("cpu", ts[0], ts[599], { aggregation: ["min", "max", "count"], bucketDuration: 60_000, align: "start" });
  assert.equal(l.columns.length, 3);
  assert.deepEqual([...l.columns[2]], new Array(10).fill(60));
  const uplot = [l.timestamps, ...l.columns];
  assert.equal(uplot.length, 4);
  const rev = db.revRange("cpu", ts[0], "+", { aggregation: "max", bucketDuration: 600_000, align: "start", count: 2 });
  assert.deepEqual([...rev.timestamps], [1_700_003_000_000, 1_700_002_400_000]);
  const raw = db.revRange("cpu", "-", "+", { count: 3, filterByValue: [-100, 100] });
  assert.deepEqual([...raw.timestamps], [...ts.slice(-3)].reverse());
});

test("viewport keeps at most 4 points per pixel column", () => {
  const { db, ts } = series();
  const v = db.viewport("cpu", "-", "+", 100);
  assert.ok(v.timestamps.length <= 400 && v.timestamps.length >= 200);
  assert.equal(v.timestamps[0], ts[0]);
  assert.equal(v.timestamps[v.timestamps.length - 1], ts[ts.length - 1]);
  const m4 = db.range("cpu", "-", "+", { aggregation: "m4", widthPx: 100 });
  assert.deepEqual([...m4.timestamps], [...v.timestamps]);
  assert.throws(() => db.viewport("cpu", "-", "+", 0), /widthPx/);
});

test("rules, LATEST and TS.GET LATEST", () => {
  const db = new TimeSeriesDB();
  db.create("raw");
  db.create("raw:avg");
  db.createRule("raw", "raw:avg", { aggregation: "avg", bucketDuration: 10 });
  for (const [t, v] of [[1, 1], [5, 3], [12, 10]]) db.add("raw", t, v);
  assert.deepEqual([...db.range("raw:avg").values], [2]);
  assert.deepEqual([...db.range("raw:avg", "-", "+", { latest: true }).timestamps], [0, 10]);
  assert.deepEqual(db.get("raw:avg", { latest: true }), { timestamp: 10, value: 10 });
  assert.deepEqual(db.get("raw:avg"), { timestamp: 0, value: 2 });
  assert.equal(db.info("raw").rules[0].destKey, "raw:avg");
  assert.deepEqual(db.command("TS.RANGE raw:avg - + LATEST"), [[0, 2], [10, 10]]);
  assert.throws(() => db.createRule("raw", "raw:avg", { aggregation: "avg", bucketDuration: 10 }),
    (e) => e.message === "ERR TSDB: the destination key already has a src rule");
  db.deleteRule("raw", "raw:avg");
  assert.equal(db.info("raw:avg").sourceKey, null);
  assert.throws(() => db.deleteRule("raw", "raw:avg"), /compaction rule does not exist/);
});

test("command text: aggregation, EMPTY, lists; errors as RedisTimeSeries", () => {
  const db = new TimeSeriesDB();
  for (const [t, v] of [[1, 5], [2, -3], [4, 8], [13, 6], [26, 4]]) db.add("k", t, v);
  assert.deepEqual(db.command("TS.RANGE k - + AGGREGATION sum 10 EMPTY"), [[0, 10], [10, 6], [20, 4]]);
  assert.deepEqual(db.command("TS.REVRANGE k - + AGGREGATION min,max 10"), [[20, 4, 4], [10, 6, 6], [0, -3, 8]]);
  assert.throws(() => db.command("TS.RANGE k - + AGGREGATION wavg 10"), (e) => e.message === "ERR TSDB: Unknown aggregation type");
  assert.throws(() => db.command("TS.RANGE k - + ALIGN start AGGREGATION avg 5"),
    (e) => e.message === "ERR TSDB: start alignment can only be used with explicit start timestamp");
  assert.throws(() => db.range("k", "-", "+", { aggregation: "avg" }), /bucketDuration/);
  assert.throws(() => db.range("k", "-", "+", { aggregaton: "avg" }), /unknown field `aggregaton`/);
  assert.throws(() => db.range("k", "-", "+", { bucketDuration: 5 }), /need aggregation/);
  assert.deepEqual([...db.range("k").timestamps], [1, 2, 4, 13, 26]);
});
