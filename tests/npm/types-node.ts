// Type-checked (tsc --strict, module node16) against the installed package: the Node entry.
import { TimeSeriesDB, type CreateOptions, type Columns, type Reply } from "tsdb-wasm";

const opts: CreateOptions = { retention: 60_000, chunkSize: 4096, duplicatePolicy: "last", labels: { a: "b" } };
const db = new TimeSeriesDB();
db.create("k", opts);
const t: number = db.add("k", 1, 2.5, { onDuplicate: "sum" });
const cols: Columns = db.range("k", "-", "+");
const first: number = cols.values[0] + cols.timestamps[0] + t;
const reply: Reply = db.command("TS.RANGE k - +");
// @ts-expect-error unknown encodings are not accepted by the types
db.create("x", { encoding: "zip" });
console.log(first, reply);
