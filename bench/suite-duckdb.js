// DuckDB-WASM in the same run, on the same 10 M samples and the same queries.
//
// Served locally: bench/server.mjs maps node_modules/@duckdb/duckdb-wasm/dist/ to /duckdb/, and
// apache-arrow, flatbuffers and tslib (which duckdb-browser.mjs imports) to /vendor/, named in the
// page's import map. The MVP or EH bundle (EH in Chromium) runs in a Worker, single-threaded.
//
// Load path: the same Float64Arrays wrapped zero-copy in an Arrow table (`tableFromArrays`), sent
// as an Arrow IPC stream with `conn.insertArrowTable` (DuckDB's native columnar import — no
// per-row INSERT, no text), then `CREATE TABLE s AS SELECT CAST(ts AS BIGINT) ts, v FROM raw` so
// bucketing is integer arithmetic. Query times include the Worker round trip and decoding the
// Arrow result on the main thread — what a page pays.

import * as duckdb from "/duckdb/duckdb-browser.mjs";
import * as arrow from "apache-arrow";
import { measure, errorRow, tick } from "./harness.js";
import { bucketAvg, m4 } from "./baselines.js";
import { maxRelDiff } from "./api.js";
import { fmtN } from "./suite-core.js";

async function open() {
  const bundles = {
    mvp: { mainModule: "/duckdb/duckdb-mvp.wasm", mainWorker: "/duckdb/duckdb-browser-mvp.worker.js" },
    eh: { mainModule: "/duckdb/duckdb-eh.wasm", mainWorker: "/duckdb/duckdb-browser-eh.worker.js" },
  };
  const bundle = await duckdb.selectBundle(bundles);
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule);
  const version = await db.getVersion();
  const conn = await db.connect();
  return { db, conn, worker, version, bundle: bundle.mainModule.includes("-eh") ? "eh" : "mvp" };
}

const num = (x) => (typeof x === "bigint" ? Number(x) : x);
const column = (table, name) => Float64Array.from(table.getChild(name).toArray(), num);

/** Memory DuckDB reports for itself (buffer manager), in bytes, or undefined. */
async function memoryBytes(conn) {
  try {
    const t = await conn.query("SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()");
    return num(t.getChild("b").get(0));
  } catch {
    return undefined;
  }
}

export async function duckdbSuite({ data, cfg, push, rows, tsdbMemory }) {
  const { timestamps: ts, values: vs } = data;
  const n = ts.length;
  const from = ts[0];
  const to = ts[n - 1];
  const eng = (id) => rows.find((r) => r.id === id && r.status === "ok");
  const G = "DuckDB-WASM";
  let d;
  try {
    d = await open();
  } catch (e) {
    return push(errorRow(G, "duck:open", "open DuckDB-WASM", e));
  }
  const label = `DuckDB-WASM ${d.version} (${d.bundle} bundle)`;
  try {
    const table = arrow.tableFromArrays({ ts, v: vs });
    const load = await measure(
      async () => {
        await d.conn.query("DROP TABLE IF EXISTS s; DROP TABLE IF EXISTS raw");
        await d.conn.insertArrowTable(table, { name: "raw" });
        await d.conn.query("CREATE TABLE s AS SELECT CAST(ts AS BIGINT) AS ts, v FROM raw; DROP TABLE raw");
      },
      { warmup: 0, runs: cfg.runsDuckLoad },
    );
    const cnt = num((await d.conn.query("SELECT count(*) AS c FROM s")).getChild("c").get(0));
    const ing = eng("ingest");
    push({
      group: G, id: "duck:load", name: `load ${fmtN(n)} samples (Arrow IPC insert + CAST)`, status: "ok", unit: "M samples/s",
      figure: ing?.figure, engine: ing?.engine, baselineFigure: n / load.ms.median / 1e3, baseline: load.ms,
      baselineName: label, ratio: ing ? load.ms.median / ing.engine.median : undefined, ratioLabel: "vs DuckDB",
      note: `engine column: tsdb-wasm addMany; DuckDB ${cnt === n ? "" : `WRONG count ${cnt}; `}${cfg.runsDuckLoad} run(s), no warm-up (drop + reload)`,
    });
    await tick();
    const mem = await memoryBytes(d.conn);
    push({
      group: G, id: "duck:memory", name: "memory holding the series", status: "ok", unit: "MiB",
      figure: tsdbMemory / 2 ** 20, baselineFigure: mem != null ? mem / 2 ** 20 : undefined, baselineName: label,
      ratio: mem != null ? mem / tsdbMemory : undefined, ratioLabel: "smaller than DuckDB",
      note: `tsdb-wasm: info().memoryUsage; DuckDB: sum(duckdb_memory().memory_usage_bytes)${mem == null ? " — not available" : ""}`,
    });

    const aggs = [
      ["avg1000", "avg into 1000 buckets", Math.ceil((to - from + 1) / 1000 / 1e3) * 1e3],
      ["avg1m", "avg into 1-minute buckets", 60_000],
    ];
    for (const [id, name, bucket] of aggs) {
      // Grouping on ts // bucket and scaling afterwards: ~1.7× faster here than grouping on
      // ts // bucket * bucket (measured with DuckDB-WASM 1.4.3).
      const sql = `SELECT k * ${bucket} AS b, v FROM (SELECT ts // ${bucket} AS k, avg(v) AS v FROM s GROUP BY k) ORDER BY b`;
      const m = await measure(() => d.conn.query(sql), { warmup: 2, runs: cfg.runsHeavy });
      const got = { timestamps: column(m.last, "b"), values: column(m.last, "v") };
      const diff = maxRelDiff(got, bucketAvg(ts, vs, from, to, bucket));
      push(duckRow(G, `duck:${id}`, `${name}, bucket ${bucket} ms`, eng(id), m.ms, label,
        `GROUP BY ts // ${bucket}; ${diff === Infinity ? "WRONG: buckets differ" : `max rel. diff ${diff.toExponential(1)}`}`));
      await tick();
    }

    const mid = ts[Math.floor(n / 2)];
    const views = [
      ["m4full", "M4 per pixel, full range, 1000 px", from, to],
      ["m4day", "M4 per pixel, one day, 1000 px", mid, mid + 86_400_000 - 1],
    ];
    for (const [id, name, f, t] of views) {
      const px = `(ts - ${f}) * 1000 // ${t - f + 1}`;
      const where = `WHERE ts BETWEEN ${f} AND ${t} GROUP BY px ORDER BY px`;
      const full = `SELECT ${px} AS px, min(ts) AS t_first, arg_min(v, ts) AS v_first, max(ts) AS t_last,
        arg_max(v, ts) AS v_last, min(v) AS v_min, arg_min(ts, v) AS t_min, max(v) AS v_max,
        arg_max(ts, v) AS t_max FROM s ${where}`;
      const js = m4(ts, vs, f, t, 1000);
      const m = await measure(() => d.conn.query(full), { warmup: 1, runs: cfg.runsHeavy });
      const ok = m.last.numRows > 0 && column(m.last, "v_max").every((x) => js.values.includes(x));
      push(duckRow(G, `duck:${id}`, name, eng(id), m.ms, label,
        `first/min/max/last with their timestamps (arg_min/arg_max), ${m.last.numRows} rows${ok ? "" : " — WRONG: max values not in JS M4"}`));
      await tick();
      // The cheap "M4-like" variant: min and max per pixel only (no first/last, no timestamps).
      const mm = await measure(() => d.conn.query(`SELECT ${px} AS px, min(v) AS lo, max(v) AS hi FROM s ${where}`), {
        warmup: 1, runs: cfg.runsHeavy,
      });
      push(duckRow(G, `duck:${id}:minmax`, `${name}: min/max only`, eng(id), mm.ms, label,
        "min(v), max(v) per pixel: less than M4 (engine column: full M4)"));
      await tick();
    }
  } catch (e) {
    push(errorRow(G, "duck:error", "DuckDB-WASM", e));
  } finally {
    await d.conn.close().catch(() => {});
    await d.db.terminate().catch(() => {});
  }
}

function duckRow(group, id, name, engineRow, duckMs, label, note) {
  return {
    group, id, name, status: "ok", unit: "ms", engine: engineRow?.engine, baseline: duckMs, baselineName: label,
    ratio: engineRow ? duckMs.median / engineRow.engine.median : undefined, ratioLabel: "vs DuckDB",
    note: `${engineRow ? "" : "tsdb-wasm n/a; "}${note}`,
  };
}
