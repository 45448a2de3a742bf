// The npm package as a user installs it (scripts/test-npm.mjs packs pkg/ and installs it into a
// temporary project, then runs these files there with Node's test runner).
import { test } from "node:test";
import assert from "node:assert/strict";
import { TimeSeriesDB } from "tsdb-wasm";

test("typed API: create, add, range", () => {
  const db = new TimeSeriesDB();
  db.create("temp:kitchen", { retention: 0, labels: { room: "kitchen" } });
  assert.equal(db.add("temp:kitchen", 1000, 21.5), 1000);
  db.add("temp:kitchen", 3000, 22.75);
  db.add("temp:kitchen", 2000, -0);
  const { timestamps, values } = db.range("temp:kitchen", "-", "+");
  assert.ok(timestamps instanceof Float64Array && values instanceof Float64Array);
  assert.deepEqual([...timestamps], [1000, 2000, 3000]);
  assert.deepEqual([...values], [21.5, -0, 22.75]);
  assert.ok(Object.is(values[1], -0));
  assert.deepEqual([...db.range("temp:kitchen", 1500, 2500).timestamps], [2000]);
  db.free();
});

test("command text with RESP2 replies as JS values", () => {
  const db = new TimeSeriesDB();
  assert.equal(db.command("TS.CREATE k"), "OK");
  assert.equal(db.command("TS.ADD k 10 1.5"), 10);
  assert.equal(db.command('TS.ADD "k" 20 2.5'), 20);
  assert.deepEqual(db.command("ts.range k - +"), [[10, 1.5], [20, 2.5]]);
  assert.deepEqual(db.command("TS.RANGE k 11 19"), []);
  const now = Date.now();
  const t = db.command("TS.ADD k * 3");
  assert.ok(t >= now && t <= Date.now());
});

test("errors throw RedisTimeSeries texts and change nothing", () => {
  const db = new TimeSeriesDB();
  db.command("TS.CREATE k");
  db.add("k", 1, 1);
  const expectError = (fn, message) => assert.throws(fn, (e) => e instanceof Error && e.message === message);
  expectError(() => db.command("TS.RANGE nokey - +"), "ERR TSDB: the key does not exist");
  expectError(() => db.command("TS.CREATE k"), "ERR TSDB: key already exists");
  expectError(() => db.command("TS.ADD k 2 1a"), "ERR TSDB: invalid value");
  expectError(() => db.command("TS.ADD k -3 1"), "ERR TSDB: invalid timestamp, must be a nonnegative integer");
  expectError(() => db.command("TS.ADD k 1 5"),
    "ERR TSDB: Error at upsert, update is not supported when DUPLICATE_POLICY is set to BLOCK mode");
  expectError(() => db.command("TS.RANGE k"), "ERR wrong number of arguments for 'ts.range' command");
  expectError(() => db.create("x", { chunkSize: 47 }),
    "ERR TSDB: CHUNK_SIZE value must be a multiple of 8 in the range [48 .. 1048576]");
  assert.throws(() => db.create("x", { retentoin: 5 }), /unknown field `retentoin`/);
  assert.throws(() => db.add("k", -1, 1), /invalid timestamp/);
  assert.throws(() => db.add("k", 2 ** 60, 1), /invalid timestamp/);
  assert.throws(() => db.command("TS.RANGE nokey - +"), (e) => e.kind === "NotFound");
  assert.deepEqual(db.command("TS.RANGE k - +"), [[1, 1]]);
  expectError(() => db.command("TS.RANGE x - +"), "ERR TSDB: the key does not exist");
});
