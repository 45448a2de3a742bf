// The same ingest, storage and query benchmarks against a real RedisTimeSeries over loopback, for
// the README's "for reference" column. Not part of `make test` or `make bench`.
//
//   PORT=6430 node bench/redis.mjs          (starts ../shared/tools/redis-timeseries-server on PORT
//                                            when nothing answers there, and stops it at the end)
//   node bench/redis.mjs --quick            1 M samples, fewer runs
//
// Same data as the page (bench/gen.js, bench/corpus.js). Client: bench/resp.mjs, one connection,
// pipelined. Ingest sends TS.MADD commands of 1000 samples, 64 per batch (64 k samples, as the
// page's addMany batches), up to 4 batches in flight, pre-encoded once outside the timing. Each
// figure is given twice: the client's round trip (socket, Redis' own request parsing, the reply
// parsed in Node) and the server's own command time (INFO commandstats, reset before each run).
// Writes bench/results/redis.json.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Resp, encode } from "./resp.mjs";
import { randomWalk, labelsOf, mrangeLabelsOf, LABEL_FILTER } from "./gen.js";
import { parseSeries, seriesName, geomean } from "./corpus.js";
import { stats } from "./harness.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));

// Large replies (10 M samples as nested arrays) make Node's default young generation thrash:
// re-run with a bigger one so the client's garbage collection does not dominate the figures.
if (!process.execArgv.some((a) => a.startsWith("--max-semi-space-size"))) {
  const args = ["--max-semi-space-size=64", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  process.exit(spawnSync(process.execPath, args, { stdio: "inherit" }).status ?? 1);
}
const PORT = Number(process.env.PORT ?? 6430);
const quick = process.argv.includes("--quick");
const N = quick ? 1_000_000 : 10_000_000;
const RUNS = quick ? 2 : 3;
const LIGHT = quick ? 5 : 15;
const LABEL_SERIES = quick ? 10_000 : 100_000;
const MSERIES = quick ? 100 : 1000;
const MSAMPLES = 10_000;
const MADD = 1000; // samples per TS.MADD
const PIPE = 64; // TS.MADD commands per pipelined batch
const SERVER = process.env.REDIS_TS_SERVER ?? path.resolve(HERE, "../../shared/tools/redis-timeseries-server");
const K = "bench:rw";

let started = false;
async function connect() {
  try {
    return await Resp.connect(PORT);
  } catch {
    console.error(`nothing on 127.0.0.1:${PORT}: starting ${SERVER}`);
    const r = spawnSync(SERVER, [], { env: { ...process.env, PORT: String(PORT) }, stdio: "inherit" });
    if (r.status !== 0) throw new Error(`could not start RedisTimeSeries (${SERVER})`);
    started = true;
    return Resp.connect(PORT);
  }
}

/** Writes the ASCII string `str` at `off` of `buf`; returns the new offset. */
function ascii(buf, off, str) {
  for (let i = 0; i < str.length; i++) buf[off++] = str.charCodeAt(i);
  return off;
}

/**
 * Pre-encoded TS.MADD batches of `key`'s samples: [{ bytes, count }]. Written byte by byte into
 * one Buffer per batch (a generic string encoder takes ~2 µs a sample: 20 s for 10 M).
 */
function maddBatches(key, ts, vs) {
  const keyArg = `$${key.length}\r\n${key}\r\n`;
  const out = [];
  for (let off = 0; off < ts.length; off += MADD * PIPE) {
    const end = Math.min(ts.length, off + MADD * PIPE);
    const buf = Buffer.allocUnsafe((end - off) * (keyArg.length + 64) + PIPE * 32);
    let o = 0;
    let count = 0;
    for (let c = off; c < end; c += MADD) {
      const m = Math.min(end, c + MADD) - c;
      o = ascii(buf, o, `*${1 + 3 * m}\r\n$7\r\nTS.MADD\r\n`);
      for (let i = c; i < c + m; i++) {
        const t = String(ts[i]);
        const v = String(vs[i]);
        o = ascii(buf, o, keyArg);
        o = ascii(buf, o, `$${t.length}\r\n${t}\r\n$${v.length}\r\n${v}\r\n`);
      }
      count++;
    }
    out.push({ bytes: buf.subarray(0, o), count });
  }
  return out;
}

/** Sends the batches with up to `WINDOW` in flight, so client and server work overlap. */
async function send(r, batches) {
  const WINDOW = 4;
  const inflight = [];
  const check = (replies) => {
    const bad = replies.flat().find((x) => typeof x !== "number");
    if (bad !== undefined) throw new Error(`TS.MADD: ${bad}`);
  };
  for (const b of batches) {
    if (inflight.length >= WINDOW) check(await inflight.shift());
    inflight.push(r.raw(b.bytes, b.count));
  }
  for (const p of inflight) check(await p);
}

async function delAll(r, keys) {
  for (let i = 0; i < keys.length; i += 1000) await r.call("DEL", ...keys.slice(i, i + 1000));
}

const info = async (r, key, debug = false) => {
  const a = await r.call("TS.INFO", key, ...(debug ? ["DEBUG"] : []));
  const o = {};
  for (let i = 0; i < a.length; i += 2) o[a[i]] = a[i + 1];
  return o;
};

/** Server-side time of the TS.* commands since the last CONFIG RESETSTAT, in ms. */
async function serverMs(r) {
  let usec = 0;
  for (const m of (await r.call("INFO", "commandstats")).matchAll(/^cmdstat_ts\.[a-z]+:calls=\d+,usec=(\d+)/gm)) usec += +m[1];
  return usec / 1e3;
}

/**
 * Times `fn` as the client sees it (round trip, reply parsed) and as the server spent it (INFO
 * commandstats, TS.* commands only). Returns `{ ms, server, last }` (stats over `runs`).
 */
async function timed(r, fn, { warmup = 1, runs = 5, setup = async () => {} } = {}) {
  const client = [];
  const server = [];
  let last;
  for (let i = 0; i < warmup + runs; i++) {
    await setup();
    await r.call("CONFIG", "RESETSTAT");
    const t0 = performance.now();
    const out = await fn();
    const dt = performance.now() - t0;
    const sv = await serverMs(r);
    if (i >= warmup) {
      client.push(dt);
      server.push(sv);
      last = out;
    }
  }
  return { ms: stats(client), server: stats(server), last };
}

const rows = [];
const f2 = (x) => (x >= 1000 ? x.toFixed(0) : x.toFixed(2));
const msCell = (s) => (s ? `${f2(s.median)} / ${f2(s.p95)} ms` : "");
function row(name, t, extra = {}) {
  const r = { name, ms: t?.ms, serverMs: t?.server, ...extra };
  rows.push(r);
  const fig = r.figure != null ? `${f2(r.figure)} ${r.unit} · ` : "";
  console.error(`[redis] ${name}: ${fig}${msCell(r.ms)}${r.serverMs ? ` (server ${msCell(r.serverMs)})` : ""}`);
}

const r = await connect();
try {
  const version = /redis_version:(\S+)/.exec(await r.call("INFO", "server"))?.[1];
  const modules = await r.call("MODULE", "LIST");
  const tsnum = modules.map((m) => Object.fromEntries(m.reduce((a, x, i) => (i % 2 ? a : [...a, [x, m[i + 1]]]), []))).find((m) => m.name === "timeseries")?.ver;
  const tsver = tsnum ? `${Math.floor(tsnum / 10000)}.${Math.floor(tsnum / 100) % 100}.${tsnum % 100}` : "?";
  const { timestamps: ts, values: vs } = randomWalk(N);
  const from = ts[0];
  const to = ts[N - 1];

  // Ingest.
  const batches = maddBatches(K, ts, vs);
  const ing = await timed(r, () => send(r, batches), {
    warmup: 0, runs: RUNS,
    setup: async () => {
      await r.call("DEL", K);
      await r.call("TS.CREATE", K);
    },
  });
  row(`ingest ${N} samples, pipelined TS.MADD (${MADD} samples × ${PIPE} per batch)`, ing, {
    unit: "M samples/s", figure: N / ing.ms.median / 1e3, serverFigure: N / ing.server.median / 1e3,
  });
  const bpsRow = async (name, key) => {
    const i = await info(r, key, true);
    const chunkBytes = i.Chunks.reduce((a, c) => a + c[c.indexOf("size") + 1], 0);
    row(`bytes/sample, ${name}`, null, {
      unit: "B/sample", figure: i.memoryUsage / i.totalSamples, chunkBytesPerSample: chunkBytes / i.totalSamples,
      samples: i.totalSamples,
    });
    return rows.at(-1);
  };
  await bpsRow("random walk", K);

  // Bytes per sample on the corpus (checks bench/data/README.md's figures).
  const specs = JSON.parse(fs.readFileSync(path.join(HERE, "data/corpus.json"), "utf8"));
  const bps = [];
  const cbps = [];
  for (const spec of specs) {
    const s = parseSeries(fs.readFileSync(path.join(HERE, "data", spec.file), "utf8"), spec);
    const key = `bench:corpus:${seriesName(spec)}`;
    await r.call("DEL", key);
    await r.call("TS.CREATE", key);
    await send(r, maddBatches(key, s.timestamps, s.values));
    const x = await bpsRow(seriesName(spec), key);
    bps.push(x.figure);
    cbps.push(x.chunkBytesPerSample);
    await r.call("DEL", key);
  }
  row("bytes/sample, corpus geometric mean", null, { unit: "B/sample", figure: geomean(bps), chunkBytesPerSample: geomean(cbps) });

  // Decode: every sample of the series, parsed into JS.
  const dec = await timed(r, () => r.call("TS.RANGE", K, "-", "+"), { warmup: 0, runs: quick ? 2 : 1 });
  if (dec.last.length !== N) throw new Error(`TS.RANGE returned ${dec.last.length} samples`);
  row(`decode: TS.RANGE - + of ${N} samples (RESP parsed in Node)`, dec, {
    unit: "M samples/s", figure: N / dec.ms.median / 1e3, serverFigure: N / dec.server.median / 1e3,
  });
  dec.last = null;

  // Queries.
  const b1000 = Math.ceil((to - from + 1) / 1000 / 1e3) * 1e3;
  for (const [name, bucket, runs] of [["avg into 1000 buckets", b1000, LIGHT], ["avg into 1-minute buckets", 60_000, RUNS]]) {
    const m = await timed(r, () => r.call("TS.RANGE", K, "-", "+", "AGGREGATION", "avg", bucket), { warmup: 2, runs });
    row(`${name} (bucket ${bucket} ms, ${m.last.length} buckets)`, m);
  }
  const mid = ts[Math.floor(N / 2)];
  for (const [name, f, t] of [["full range", from, to], ["one day", mid, mid + 86_400_000 - 1]]) {
    const bucket = Math.ceil((t - f + 1) / 1000);
    const m4 = () => Promise.all(["first", "min", "max", "last"].map((a) =>
      r.call("TS.RANGE", K, f, t, "ALIGN", "-", "AGGREGATION", a, bucket)));
    const m = await timed(r, m4, { warmup: 2, runs: LIGHT });
    row(`M4-like, ${name}, 1000 px: first/min/max/last (4 pipelined TS.RANGE, bucket ${bucket} ms)`, m);
  }
  await r.call("DEL", K);

  // Labels: 100 k series × 5 labels, a 3-matcher TS.QUERYINDEX.
  const lkeys = Array.from({ length: LABEL_SERIES }, (_, i) => `bench:host:${i}`);
  await delAll(r, lkeys);
  const creates = [];
  for (let i = 0; i < LABEL_SERIES; i += 1000) {
    let s = "";
    for (let j = i; j < Math.min(LABEL_SERIES, i + 1000); j++) {
      s += encode(["TS.CREATE", lkeys[j], "LABELS", ...Object.entries(labelsOf(j)).flat()]);
    }
    creates.push({ bytes: s, count: Math.min(1000, LABEL_SERIES - i) });
  }
  const mk = await timed(r, async () => {
    for (const c of creates) await r.raw(c.bytes, c.count);
  }, { warmup: 0, runs: 1 });
  row(`create ${LABEL_SERIES} series with 5 labels (pipelined TS.CREATE)`, mk, { unit: "k series/s", figure: LABEL_SERIES / mk.ms.median });
  const qi = await timed(r, () => r.call("TS.QUERYINDEX", ...LABEL_FILTER), { warmup: 3, runs: LIGHT });
  row(`TS.QUERYINDEX ${LABEL_FILTER.join(" ")} over ${LABEL_SERIES} series (${qi.last.length} matches)`, qi);
  await delAll(r, lkeys);

  // TS.MRANGE GROUPBY over 1000 series × 10 k samples.
  const mkeys = Array.from({ length: MSERIES }, (_, i) => `bench:cpu:${i}`);
  await delAll(r, mkeys);
  for (let i = 0; i < MSERIES; i++) {
    await r.call("TS.CREATE", mkeys[i], "LABELS", ...Object.entries(mrangeLabelsOf(i)).flat());
    await send(r, maddBatches(mkeys[i], ts.subarray(0, MSAMPLES), vs.subarray(i * MSAMPLES, (i + 1) * MSAMPLES)));
  }
  const mr = await timed(
    r,
    () => r.call("TS.MRANGE", "-", "+", "AGGREGATION", "max", 60000, "FILTER", "metric=cpu", "GROUPBY", "region", "REDUCE", "max"),
    { warmup: 1, runs: RUNS },
  );
  row(`TS.MRANGE ${MSERIES} series × ${MSAMPLES} samples, max 1-min, GROUPBY region REDUCE max (${mr.last.length} groups)`, mr);
  await delAll(r, mkeys);

  const cpu = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1];
  const report = {
    date: new Date().toISOString(),
    machine: { cpu, cores: os.cpus().length, node: process.version },
    server: { redis: version, timeseries: tsver, port: PORT },
    config: { N, RUNS, LIGHT, LABEL_SERIES, MSERIES, MSAMPLES, MADD, PIPE },
    rows,
  };
  const out = path.join(HERE, "results", quick ? "redis-quick.json" : "redis.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 1)}\n`);
  console.log(`RedisTimeSeries ${tsver} (Redis ${version}) over loopback — ${report.date.slice(0, 10)}, ${cpu}, ${report.machine.cores} cores\n`);
  console.log("Client: round trip from Node, reply parsed. Server: INFO commandstats (TS.* commands' own time).");
  console.log("Bytes/sample: TS.INFO memoryUsage / totalSamples (and chunk bytes only, as bench/data/README.md).\n");
  console.log("| benchmark | figure | client median / p95 | server median / p95 |");
  console.log("| --- | --- | --- | --- |");
  for (const x of rows) {
    const fig = x.figure == null ? "" : `${f2(x.figure)} ${x.unit}${x.serverFigure ? ` (server ${f2(x.serverFigure)})` : ""}${x.chunkBytesPerSample ? ` (chunks ${f2(x.chunkBytesPerSample)})` : ""}`;
    console.log(`| ${x.name} | ${fig} | ${msCell(x.ms)} | ${msCell(x.serverMs)} |`);
  }
  console.log(`\nwritten: ${path.relative(process.cwd(), out)}`);
} finally {
  r.close();
  if (started) spawnSync(SERVER, ["stop"], { env: { ...process.env, PORT: String(PORT) }, stdio: "inherit" });
}
