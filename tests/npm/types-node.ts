// Type-checked (tsc --strict, module node16) against the installed package: the Node entry.
import { TimeSeriesDB, type CreateOptions, type Columns, type Reply, type RangeOptions } from "tsdb-wasm";

const opts: CreateOptions = { retention: 60_000, chunkSize: 4096, duplicatePolicy: "last", labels: { a: "b" } };
const db = new TimeSeriesDB();
db.create("k", opts);
const t: number = db.add("k", 1, 2.5, { onDuplicate: "sum" });
const cols: Columns = db.range("k", "-", "+");
const first: number = cols.values[0] + cols.timestamps[0] + t;
const reply: Reply = db.command("TS.RANGE k - +");
// @ts-expect-error unknown encodings are not accepted by the types
db.create("x", { encoding: "zip" });
const ro: RangeOptions = {
  aggregation: ["min", "max", "countNaN"], bucketDuration: 60_000, align: "start", bucketTimestamp: "mid",
  empty: true, count: 10, filterByTs: [1, 2], filterByValue: [0, 1], latest: false,
};
const agg: Columns = db.revRange("k", 0, "+", ro);
const uplot: Float64Array[] = [agg.timestamps, ...agg.columns];
const vp: Columns = db.viewport("k", "-", "+", 800);
db.createRule("k", "k:avg", { aggregation: "twa", bucketDuration: 1000, alignTimestamp: 0 });
db.deleteRule("k", "k:avg");
const latest = db.get("k", { latest: true });
// @ts-expect-error unknown aggregators are not accepted by the types
db.range("k", "-", "+", { aggregation: "median", bucketDuration: 10 });
console.log(first, reply, uplot.length, vp.values.length, latest?.value);
