// Type-checked (tsc --strict, moduleResolution bundler) against the installed package: the
// browser / bundler entry, which needs `await init()`.
import init, { TimeSeriesDB, type Columns } from "tsdb-wasm";

export async function main(): Promise<Columns> {
  await init();
  const db = new TimeSeriesDB();
  db.add("k", 1, 2.5);
  return db.range("k");
}
