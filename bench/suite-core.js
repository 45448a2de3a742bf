// Engine benchmarks on one regular 10 M-sample series, each against a plain JS baseline timed in
// the same run: batched ingest, bytes per sample (the real-data corpus), decode, and queries
// (bucketed avg, M4 viewport).

import { measurePair, na, errorRow, tick } from "./harness.js";
import { ingestGrowing, copyColumns, bucketAvg, m4 } from "./baselines.js";
import { parseSeries, seriesName, redisFigures, geomean } from "./corpus.js";
import { toColumns, maxRelDiff } from "./api.js";

export const KEY = "rw";
const msps = (n, ms) => n / ms / 1e3; // samples per ms → M samples/s

/** Throughput row: engine vs baseline over `n` samples (ratio = engine speed / baseline speed). */
function throughputRow(group, id, name, n, m, extra = {}) {
  return {
    group, id, name, status: "ok", unit: "M samples/s",
    figure: msps(n, m.a.ms.median), engine: m.a.ms,
    baselineFigure: msps(n, m.b.ms.median), baseline: m.b.ms,
    ratio: m.b.ms.median / m.a.ms.median, ratioLabel: "vs JS",
    ...extra,
  };
}

/** Time row: engine vs baseline (ratio = baseline time / engine time, > 1 when faster). */
function timeRow(group, id, name, m, extra = {}) {
  return {
    group, id, name, status: "ok", unit: "ms", engine: m.a.ms, baseline: m.b.ms,
    ratio: m.b.ms.median / m.a.ms.median, ratioLabel: "vs JS",
    ...extra,
  };
}

/** 1. Batched ingest. Returns the database of the last run (holding the series `rw`). */
export async function ingest({ TimeSeriesDB, data, cfg, push }) {
  const { timestamps: ts, values: vs } = data;
  const n = ts.length;
  const B = cfg.batch;
  const m = await measurePair(
    {
      setup: () => new TimeSeriesDB(),
      run: (db) => {
        for (let off = 0; off < n; off += B) db.addMany(KEY, ts.subarray(off, off + B), vs.subarray(off, off + B));
        return db;
      },
      teardown: (db) => db.free(),
    },
    () => ingestGrowing(ts, vs, B),
    { warmup: 1, runs: cfg.runsHeavy },
  );
  const db = m.a.last;
  const info = db.info(KEY);
  const ok = info.totalSamples === n;
  const figure = msps(n, m.a.ms.median);
  push(throughputRow("ingest", "ingest", `addMany, ${fmtN(n)} samples in batches of ${fmtN(B)}`, n, m, {
    baselineName: "JS loop into growing Float64Array pair",
    target: "≥ 30 M samples/s", met: figure >= 30,
    note: ok ? `${info.chunkCount} chunks` : `WRONG: ${info.totalSamples} samples stored`,
  }));
  return db;
}

/** 2. Bytes per sample: the corpus and the 10 M random walk. */
export async function bytesPerSample({ TimeSeriesDB, db, data, push }) {
  const specs = await (await fetch("data/corpus.json")).json();
  const redis = redisFigures(await (await fetch("data/README.md")).text());
  const texts = new Map();
  const cdb = new TimeSeriesDB();
  const ours = [];
  for (const spec of specs) {
    if (!texts.has(spec.file)) texts.set(spec.file, await (await fetch(`data/${spec.file}`)).text());
    const key = seriesName(spec);
    const r = redis.series.get(key);
    try {
      const s = parseSeries(texts.get(spec.file), spec);
      cdb.addMany(key, s.timestamps, s.values);
      const info = cdb.info(key);
      const bps = info.memoryUsage / info.totalSamples;
      ours.push(bps);
      const notes = [`${info.totalSamples} samples`];
      if (r && r.samples !== info.totalSamples) notes.push(`Redis: ${r.samples}!`);
      if (s.shiftMs) notes.push("pre-1970: shifted by 400 years");
      push({
        group: "bytes/sample", id: `bps:${key}`, name: key, status: "ok", unit: "B/sample",
        figure: bps, baselineFigure: r?.bytesPerSample, baselineName: "RedisTimeSeries 1.12",
        ratio: r ? r.bytesPerSample / bps : undefined, ratioLabel: "smaller than Redis", note: notes.join("; "),
      });
    } catch (e) {
      push(errorRow("bytes/sample", `bps:${key}`, key, e));
    }
  }
  cdb.free();
  const g = geomean(ours);
  const complete = ours.length === specs.length;
  push({
    group: "bytes/sample", id: "bps:geomean", name: "geometric mean (corpus)", status: "ok", unit: "B/sample",
    figure: g, baselineFigure: redis.geomean, baselineName: "RedisTimeSeries 1.12",
    ratio: redis.geomean / g, ratioLabel: "smaller than Redis", target: "≤ 1.5", met: g <= 1.5,
    note: complete ? undefined : `INCOMPLETE: ${ours.length} of ${specs.length} series`,
  });
  const info = db.info(KEY);
  push({
    group: "bytes/sample", id: "bps:randomwalk", name: `random walk, 2 decimals, 1 s (${fmtN(data.timestamps.length)})`,
    status: "ok", unit: "B/sample", figure: info.memoryUsage / info.totalSamples,
    note: `memoryUsage ${(info.memoryUsage / 2 ** 20).toFixed(1)} MiB vs ${((16 * info.totalSamples) / 2 ** 20).toFixed(0)} MiB raw`,
  });
}

/** 3. Decode: the whole series back as Float64Array columns. */
export async function decode({ db, data, cfg, push }) {
  const { timestamps: ts, values: vs } = data;
  const m = await measurePair(() => db.range(KEY), () => copyColumns(ts, vs), { warmup: 1, runs: cfg.runsHeavy });
  const r = m.a.last;
  let ok = r.timestamps.length === ts.length;
  for (let i = 0; ok && i < ts.length; i++) ok = r.timestamps[i] === ts[i] && Object.is(r.values[i], vs[i]);
  push(throughputRow("decode", "decode", `range(key): all ${fmtN(ts.length)} samples`, ts.length, m, {
    baselineName: "Float64Array.slice() of both columns",
    note: ok ? "bit-exact; decimal blocks" : "WRONG: decoded samples differ",
  }));
  // The other codecs, on 1 M samples each: values that are not short decimals (the XOR path),
  // and ENCODING UNCOMPRESSED.
  const n = Math.min(1_000_000, ts.length);
  const noisy = new Float64Array(n);
  for (let i = 0; i < n; i++) noisy[i] = Math.sin(i * 0.001) * 1000 + Math.cos(i * 7.3);
  const cases = [
    ["xor", `range(key): ${fmtN(n)} noisy f64 samples (XOR blocks)`, noisy, {}],
    ["uncompressed", `range(key): ${fmtN(n)} samples, ENCODING UNCOMPRESSED`, vs.subarray(0, n), { encoding: "uncompressed" }],
  ];
  for (const [id, name, values, opts] of cases) {
    const key = `decode:${id}`;
    const t = ts.subarray(0, n);
    db.create(key, opts);
    db.addMany(key, t, values);
    const mc = await measurePair(() => db.range(key), () => copyColumns(t, values), { warmup: 1, runs: cfg.runsHeavy });
    const rc = mc.a.last;
    let okc = rc.timestamps.length === n;
    for (let i = 0; okc && i < n; i++) okc = rc.timestamps[i] === t[i] && Object.is(rc.values[i], values[i]);
    const info = db.info(key);
    push(throughputRow("decode", `decode:${id}`, name, n, mc, {
      baselineName: "Float64Array.slice() of both columns",
      note: `${okc ? "bit-exact" : "WRONG: decoded samples differ"}; ${(info.memoryUsage / n).toFixed(2)} B/sample`,
    }));
    db.deleteSeries(key);
  }
}

/** 4. Queries on the series: bucketed avg (1000 buckets, 1-minute buckets) and M4 viewports. */
export async function queries({ db, api, data, cfg, push }) {
  const { timestamps: ts, values: vs } = data;
  const from = ts[0];
  const to = ts[ts.length - 1];
  const n = ts.length;

  const aggs = [
    ["avg1000", `avg into 1000 buckets (full range)`, Math.ceil((to - from + 1) / 1000 / 1e3) * 1e3, "≥ 10× JS", 10, cfg.runsLight],
    // Light runs for both (about 0.1 s per pair): the ratio's run-to-run spread is the machine's.
    ["avg1m", `avg into 1-minute buckets (${fmtN(Math.ceil(n / 60))} buckets)`, 60_000, "≥ 1× JS", 1, cfg.runsLight],
  ];
  for (const [id, name, bucket, target, want, runs] of aggs) {
    if (api.aggRange.missing) {
      push(na("query", id, name, api.aggRange.missing));
      continue;
    }
    try {
      const m = await measurePair(
        () => api.aggRange(db, KEY, "-", "+", "avg", bucket),
        () => bucketAvg(ts, vs, from, to, bucket),
        { warmup: 2, runs },
      );
      const d = maxRelDiff(toColumns(m.a.last), m.b.last);
      push(timeRow("query", id, `${name}, bucket ${bucket} ms`, m, {
        target, met: m.b.ms.median / m.a.ms.median >= want,
        note: `${api.aggRange.path}; ${d === Infinity ? "WRONG: buckets differ from JS" : `max rel. diff ${d.toExponential(1)}`}`,
      }));
    } catch (e) {
      push(errorRow("query", id, name, e));
    }
    await tick();
  }

  const mid = ts[Math.floor(n / 2)];
  const views = [
    ["m4full", "viewport M4, full range, 1000 px", from, to, "< 5 ms"],
    ["m4day", "viewport M4, one day (86 400 samples), 1000 px", mid, mid + 86_400_000 - 1, ""],
  ];
  for (const [id, name, f, t, target] of views) {
    if (api.viewport.missing) {
      push(na("query", id, name, api.viewport.missing));
      continue;
    }
    try {
      const m = await measurePair(() => api.viewport(db, KEY, f, t, 1000), () => m4(ts, vs, f, t, 1000), {
        warmup: 2, runs: cfg.runsLight,
      });
      const d = maxRelDiff(m.a.last, m.b.last);
      push(timeRow("query", id, name, m, {
        target, met: target ? m.a.ms.median < 5 : undefined,
        note: `${m.a.last.timestamps.length} points; ${d === 0 ? "same points as JS M4" : "WRONG: points differ from JS M4"}`,
      }));
    } catch (e) {
      push(errorRow("query", id, name, e));
    }
    await tick();
  }
}

export const fmtN = (n) => (n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6} M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3} k` : `${n}`);
