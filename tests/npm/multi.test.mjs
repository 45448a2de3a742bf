// The typed multi-series API of the installed package: queryIndex, queryLabels, mget, mrange.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TimeSeriesDB } from "tsdb-wasm";

function fleet() {
  const db = new TimeSeriesDB();
  const hosts = [["a", "eu"], ["b", "us"], ["c", "eu"]];
  for (const [host, region] of hosts) {
    for (const metric of ["cpu", "mem"]) {
      const key = `${metric}:${host}`;
      db.create(key, { labels: { metric, host, region } });
      const ts = Float64Array.from({ length: 6 }, (_, i) => i * 10_000);
      const vs = Float64Array.from({ length: 6 }, (_, i) => (host.charCodeAt(0) - 96) * 10 + i);
      db.addMany(key, ts, vs);
    }
  }
  return db;
}

test("queryIndex and queryLabels", () => {
  const db = fleet();
  assert.deepEqual(db.queryIndex(["metric=cpu", "region=(eu,us)", "host!=b"]), ["cpu:a", "cpu:c"]);
  assert.deepEqual(db.queryIndex(["metric=disk"]), []);
  assert.throws(() => db.queryIndex(["host!=a"]), /ERR TSDB: please provide at least one matcher/);
  assert.throws(() => db.queryIndex(["nonsense"]), /ERR TSDB: failed parsing labels/);
  assert.deepEqual(db.queryLabels(), ["host", "metric", "region"]);
  assert.deepEqual(db.queryLabels("region"), ["eu", "us"]);
  assert.deepEqual(db.queryLabels("host", ["region=eu"]), ["a", "c"]);
});

test("mget returns the newest sample with labels", () => {
  const db = fleet();
  const r = db.mget(["metric=mem", "region=eu"]);
  assert.deepEqual(r.map((e) => e.key), ["mem:a", "mem:c"]);
  assert.deepEqual(r[0].labels, { metric: "mem", host: "a", region: "eu" });
  assert.deepEqual(r[0].sample, { timestamp: 50_000, value: 15 });
  assert.deepEqual(db.mget(["metric=mem"], { selectedLabels: ["host", "nope"] })[1].labels, { host: "b" });
  assert.deepEqual(db.mget(["metric=mem"], { withLabels: false })[0].labels, {});
  assert.throws(() => db.mget(["metric=mem"], { withLabels: true, selectedLabels: ["x"] }), /cannot accept WITHLABELS/);
  assert.throws(() => db.mget(["metric=mem"], { lates: true }), /unknown field `lates`/);
});

test("mrange per series and grouped", () => {
  const db = fleet();
  const per = db.mrange("-", "+", ["metric=cpu"], { aggregation: "max", bucketDuration: 30_000 });
  assert.deepEqual(per.map((e) => e.key), ["cpu:a", "cpu:b", "cpu:c"]);
  assert.deepEqual([...per[1].timestamps], [0, 30_000]);
  assert.deepEqual([...per[1].values], [22, 25]);
  const groups = db.mrange("-", "+", ["metric=cpu"], {
    aggregation: "max", bucketDuration: 30_000, groupBy: { label: "region", reduce: "sum" },
  });
  assert.deepEqual(groups.map((g) => g.key), ["region=eu", "region=us"]);
  assert.deepEqual(groups[0].labels, { region: "eu", __reducer__: "sum", __source__: "cpu:a,cpu:c" });
  assert.deepEqual([...groups[0].values], [12 + 32, 15 + 35]);
  const rev = db.mrevRange(0, 20_000, ["host=a", "metric=cpu"], { count: 2 });
  assert.deepEqual([...rev[0].timestamps], [20_000, 10_000]);
  const lists = db.mrange("-", "+", ["host=b", "metric=mem"], { aggregation: ["min", "max"], bucketDuration: 60_000 });
  assert.deepEqual(lists[0].columns.map((c) => [...c]), [[20], [25]]);
  assert.deepEqual(db.mrange(100_000, "+", ["metric=cpu"], { excludeEmpty: true }), []);
  assert.throws(() => db.mrange("-", "+", ["metric=cpu"], { groupBy: { label: "region", reduce: "first" } }), /Invalid reducer type/);
});
