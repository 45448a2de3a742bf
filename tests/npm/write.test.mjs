// The typed write API of the installed package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TimeSeriesDB } from "tsdb-wasm";

test("addMany ingests Float64Array columns all-or-nothing", () => {
  const db = new TimeSeriesDB();
  const n = 10_000;
  const ts = new Float64Array(n).map((_, i) => 1_700_000_000_000 + i * 1000);
  const vs = new Float64Array(n).map((_, i) => Math.round(Math.sin(i / 50) * 2000) / 100);
  assert.equal(db.addMany("cpu", ts, vs, { labels: { host: "a" } }), n);
  const r = db.range("cpu");
  assert.deepEqual(r.timestamps, ts);
  assert.deepEqual(r.values, vs);
  // A batch with one duplicate under BLOCK changes nothing.
  assert.throws(() => db.addMany("cpu", [ts[n - 1] + 1000, ts[5]], [1, 2]),
    /ERR TSDB: Error at upsert, update is not supported when DUPLICATE_POLICY is set to BLOCK mode \(sample 1, timestamp/);
  assert.equal(db.info("cpu").totalSamples, n);
  assert.throws(() => db.addMany("cpu", [1, 2], [1]), /differ in length/);
  assert.throws(() => db.addMany("cpu", [1.5], [1]), /invalid timestamp at index 0/);
  assert.throws(() => db.addMany("cpu", [ts[n - 1] + 1], [Infinity]), /invalid value at index 0/);
  assert.equal(db.addMany("new", [], []), 0);
  assert.equal(db.exists("new"), false);
});

test("madd returns a result or an Error per sample", () => {
  const db = new TimeSeriesDB();
  db.create("a");
  const out = db.madd([["a", 1, 1.5], ["missing", 1, 1], ["a", 1, 2], ["a", 2, NaN]]);
  assert.equal(out[0], 1);
  assert.ok(out[1] instanceof Error && out[1].message === "ERR TSDB: the key is not a TSDB key");
  assert.ok(out[2] instanceof Error && /BLOCK mode/.test(out[2].message));
  assert.equal(out[3], 2);
  assert.ok(Number.isNaN(db.get("a").value));
});

test("incrBy / decrBy, del, alter, info, get, deleteSeries", () => {
  const db = new TimeSeriesDB();
  assert.equal(db.incrBy("c", 5, { timestamp: 10, labels: { kind: "counter" } }), 10);
  assert.equal(db.incrBy("c", 2.5, { timestamp: 10 }), 10);
  assert.equal(db.decrBy("c", 1, { timestamp: 20 }), 20);
  assert.deepEqual(db.get("c"), { timestamp: 20, value: 6.5 });
  assert.throws(() => db.incrBy("c", 1, { timestamp: 5 }),
    /TSDB: timestamp must be equal to or higher than the maximum existing timestamp/);
  db.alter("c", { retention: 1000, duplicatePolicy: "sum", labels: { kind: "gauge", unit: "ms" } });
  const info = db.info("c");
  assert.equal(info.totalSamples, 2);
  assert.equal(info.retentionTime, 1000);
  assert.equal(info.duplicatePolicy, "sum");
  assert.deepEqual(info.labels, { kind: "gauge", unit: "ms" });
  assert.equal(info.chunkType, "compressed");
  assert.ok(info.memoryUsage > 0);
  assert.equal(db.del("c", "-", 15), 1);
  assert.deepEqual([...db.range("c").timestamps], [20]);
  assert.throws(() => db.alter("c", { labels: { bad: "a,b" } }), /ERR TSDB: Couldn't parse LABELS/);
  assert.throws(() => db.alter("nope", { retention: 1 }), /ERR TSDB: the key does not exist/);
  assert.equal(db.get("c").value, 6.5);
  assert.equal(db.size, 1);
  assert.equal(db.deleteSeries("c"), true);
  assert.equal(db.deleteSeries("c"), false);
  assert.equal(db.size, 0);
  const s = db.stats();
  assert.deepEqual(Object.keys(s).sort(), ["bytesPerSample", "chunks", "memoryBytes", "samples", "series"]);
});

test("snapshot / restore round-trips and rejects corrupt bytes", () => {
  const db = new TimeSeriesDB();
  db.create("t", { labels: { a: "b" }, retention: 0, chunkSize: 256 });
  const ts = new Float64Array(5000).map((_, i) => i * 1000);
  const vs = new Float64Array(5000).map((_, i) => (i % 7) * 1.25 - 3);
  db.addMany("t", ts, vs);
  const bytes = db.snapshot();
  assert.ok(bytes instanceof Uint8Array);
  const copy = TimeSeriesDB.restore(bytes);
  assert.deepEqual(copy.range("t"), db.range("t"));
  assert.deepEqual(copy.info("t").labels, { a: "b" });
  const bad = bytes.slice();
  bad[bad.length >> 1] ^= 4;
  assert.throws(() => TimeSeriesDB.restore(bad), (e) => e.kind === "Corrupt" && /checksum mismatch/.test(e.message));
  assert.throws(() => TimeSeriesDB.restore(bytes.subarray(0, 100)), (e) => e.kind === "Corrupt");
  assert.throws(() => TimeSeriesDB.restore(new Uint8Array([1, 2, 3])), /bad magic/);
});
