// Label benchmarks: a 3-matcher filter over 100 k labelled series (engine index vs a JS linear
// scan), and TS.MRANGE … GROUPBY region REDUCE max over 1000 series × 10 k samples (engine vs a
// plain JS loop over the same Float64Arrays).

import { measure, measurePair, na, errorRow, tick } from "./harness.js";
import { scanLabels, mrangeGroupMax } from "./baselines.js";
import { labelsOf, mrangeLabelsOf, LABEL_FILTER, labelFilterMatches } from "./gen.js";
import { fmtN } from "./suite-core.js";

export async function labelFilter({ TimeSeriesDB, api, cfg, push }) {
  const name = `filter ${LABEL_FILTER.join(" ")} over ${fmtN(cfg.labelSeries)} series × 5 labels`;
  if (api.queryIndex.missing) return push(na("labels", "queryindex", name, api.queryIndex.missing));
  const n = cfg.labelSeries;
  const keys = Array.from({ length: n }, (_, i) => `host:${i}`);
  const labels = keys.map((_, i) => labelsOf(i));
  let db;
  try {
    const build = await measure(
      () => {
        db = new TimeSeriesDB();
        for (let i = 0; i < n; i++) db.create(keys[i], { labels: labels[i] });
      },
      { warmup: 0, runs: 1 },
    );
    push({
      group: "labels", id: "create", name: `create ${fmtN(n)} series with 5 labels each`, status: "ok",
      unit: "k series/s", figure: n / build.ms.median, engine: build.ms, note: "one run; informational",
    });
    await tick();
    const m = await measurePair(
      () => api.queryIndex(db, LABEL_FILTER),
      () => scanLabels(keys, labels, labelFilterMatches),
      { warmup: 3, runs: cfg.runsLight },
    );
    const a = new Set(m.a.last);
    const ok = a.size === m.b.last.length && m.b.last.every((k) => a.has(k));
    push({
      group: "labels", id: "queryindex", name, status: "ok", unit: "ms", engine: m.a.ms, baseline: m.b.ms,
      baselineName: "JS linear scan over label objects",
      ratio: m.b.ms.median / m.a.ms.median, ratioLabel: "vs JS",
      note: `${api.queryIndex.path}; ${m.b.last.length} matches${ok ? "" : " — WRONG: engine's set differs"}`,
    });
  } catch (e) {
    push(errorRow("labels", "queryindex", name, e));
  } finally {
    db?.free();
  }
}

/** `[[label=value, labels, samples], …]` (RESP2 MRANGE + GROUPBY) → Map(value → columns). */
function mrangeReply(reply, label) {
  const out = new Map();
  for (const [name, , samples] of reply) {
    const g = String(name).slice(label.length + 1);
    out.set(g, { timestamps: Float64Array.from(samples, (p) => p[0]), values: Float64Array.from(samples, (p) => +p[1]) });
  }
  return out;
}

export async function mrange({ TimeSeriesDB, api, data, cfg, push }) {
  const S = cfg.mrangeSeries;
  const L = cfg.mrangeSamples;
  const bucket = 60_000;
  const text = `TS.MRANGE - + AGGREGATION max ${bucket} FILTER metric=cpu GROUPBY region REDUCE max`;
  const name = `MRANGE ${fmtN(S)} series × ${fmtN(L)} samples, max 1-min buckets, GROUPBY region REDUCE max`;
  if (api.mrange.missing) return push(na("labels", "mrange", name, api.mrange.missing));
  if (data.timestamps.length < S * L) return push(errorRow("labels", "mrange", name, "random walk too short"));
  const ts = data.timestamps.subarray(0, L);
  const series = Array.from({ length: S }, (_, i) => ({
    key: `cpu:${i}`, labels: mrangeLabelsOf(i), timestamps: ts, values: data.values.subarray(i * L, (i + 1) * L),
  }));
  const db = new TimeSeriesDB();
  try {
    for (const s of series) db.addMany(s.key, s.timestamps, s.values, { labels: s.labels });
    await tick();
    const m = await measurePair(() => api.mrange(db, text), () => mrangeGroupMax(series, "region", bucket), {
      warmup: 1, runs: cfg.runsHeavy,
    });
    const eng = mrangeReply(m.a.last, "region");
    let ok = eng.size === m.b.last.size;
    for (const [g, c] of m.b.last) {
      const e = eng.get(g);
      ok &&= !!e && e.timestamps.length === c.timestamps.length && e.values.every((v, i) => v === c.values[i]);
    }
    push({
      group: "labels", id: "mrange", name, status: "ok", unit: "ms", engine: m.a.ms, baseline: m.b.ms,
      baselineName: "JS loop over the same Float64Arrays",
      ratio: m.b.ms.median / m.a.ms.median, ratioLabel: "vs JS",
      note: `${api.mrange.path}; ${eng.size} groups${ok ? ", same as JS" : " — WRONG: differs from JS"}`,
    });
  } catch (e) {
    push(errorRow("labels", "mrange", name, e));
  } finally {
    db.free();
  }
}
