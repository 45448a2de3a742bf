// Plain JS baselines over uncompressed Float64Arrays: what a page would do without the engine.
// Each is the straightforward fast loop (no per-sample division, typed-array output), so a ratio
// against it is a ratio against competent hand-written JS, not a straw man.

/** Ingest: copy batches into a pair of growing Float64Arrays (capacity doubles when full). */
export function ingestGrowing(timestamps, values, batch) {
  let cap = 1024;
  let n = 0;
  let T = new Float64Array(cap);
  let V = new Float64Array(cap);
  for (let off = 0; off < timestamps.length; off += batch) {
    const bt = timestamps.subarray(off, off + batch);
    const bv = values.subarray(off, off + batch);
    const need = n + bt.length;
    if (need > cap) {
      while (cap < need) cap *= 2;
      const T2 = new Float64Array(cap);
      const V2 = new Float64Array(cap);
      T2.set(T.subarray(0, n));
      V2.set(V.subarray(0, n));
      T = T2;
      V = V2;
    }
    for (let i = 0; i < bt.length; i++) {
      T[n + i] = bt[i];
      V[n + i] = bv[i];
    }
    n = need;
  }
  return { timestamps: T.subarray(0, n), values: V.subarray(0, n) };
}

/** Decode baseline: copy both columns out (what `range` returns: fresh Float64Arrays). */
export function copyColumns(timestamps, values) {
  return { timestamps: timestamps.slice(), values: values.slice() };
}

/** First index with `ts[i] >= t` (ts ascending). */
export function lowerBound(ts, t) {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * avg per bucket of `bucket` ms aligned to 0 (RedisTimeSeries' default) over `[from, to]`,
 * buckets without samples omitted, bucket start as timestamp. One division per bucket, not per
 * sample. Returns Float64Array columns.
 */
export function bucketAvg(ts, vs, from, to, bucket) {
  const lo = lowerBound(ts, from);
  const hi = lowerBound(ts, to + 1);
  const cap = Math.min(hi - lo, Math.floor((to - from) / bucket) + 2);
  const outT = new Float64Array(cap);
  const outV = new Float64Array(cap);
  let n = 0;
  let start = 0;
  let end = -Infinity;
  let sum = 0;
  let cnt = 0;
  for (let i = lo; i < hi; i++) {
    const t = ts[i];
    if (t >= end) {
      if (cnt > 0) {
        outT[n] = start;
        outV[n++] = sum / cnt;
      }
      start = Math.floor(t / bucket) * bucket;
      end = start + bucket;
      sum = 0;
      cnt = 0;
    }
    sum += vs[i];
    cnt++;
  }
  if (cnt > 0) {
    outT[n] = start;
    outV[n++] = sum / cnt;
  }
  return { timestamps: outT.subarray(0, n), values: outV.subarray(0, n) };
}

/**
 * M4 (first, min, max, last per pixel column, in time order, duplicates dropped) over `[from, to]`
 * for `width` columns, column k = ⌊(t − from) · width / (to − from + 1)⌋ — the engine's definition
 * (src/query/viewport.rs), ties to the earliest sample.
 */
export function m4(ts, vs, from, to, width) {
  const lo = lowerBound(ts, from);
  const hi = lowerBound(ts, to + 1);
  const span = to - from + 1;
  const outT = new Float64Array(4 * width);
  const outV = new Float64Array(4 * width);
  let n = 0;
  let end = -Infinity;
  let iFirst = -1;
  let iMin = 0;
  let iMax = 0;
  let iLast = 0;
  const flush = () => {
    const idx = [iFirst, iMin, iMax, iLast].sort((a, b) => a - b);
    let prev = -1;
    for (const j of idx) {
      if (j !== prev) {
        outT[n] = ts[j];
        outV[n++] = vs[j];
        prev = j;
      }
    }
  };
  for (let i = lo; i < hi; i++) {
    const t = ts[i];
    if (t >= end) {
      if (iFirst >= 0) flush();
      const k = Math.floor(((t - from) * width) / span);
      end = from + Math.ceil(((k + 1) * span) / width);
      iFirst = iMin = iMax = iLast = i;
      continue;
    }
    const v = vs[i];
    if (v < vs[iMin]) iMin = i;
    if (v > vs[iMax]) iMax = i;
    iLast = i;
  }
  if (iFirst >= 0) flush();
  return { timestamps: outT.subarray(0, n), values: outV.subarray(0, n) };
}

/** Label filter: a linear scan over every series' label object. Returns the matching keys. */
export function scanLabels(keys, labelObjs, predicate) {
  const out = [];
  for (let i = 0; i < keys.length; i++) if (predicate(labelObjs[i])) out.push(keys[i]);
  return out;
}

/**
 * TS.MRANGE … AGGREGATION max `bucket` … GROUPBY `label` REDUCE max, over series given as
 * `{ labels, timestamps, values }`. Returns `Map(group → { timestamps, values })`.
 */
export function mrangeGroupMax(series, label, bucket) {
  const groups = new Map();
  for (const s of series) {
    const g = s.labels[label];
    const ts = s.timestamps;
    const vs = s.values;
    const first = Math.floor(ts[0] / bucket) * bucket;
    const nb = Math.floor((ts[ts.length - 1] - first) / bucket) + 1;
    let acc = groups.get(g);
    if (!acc) groups.set(g, (acc = { first, max: new Float64Array(nb).fill(-Infinity) }));
    let b = 0;
    let end = first + bucket;
    let m = -Infinity;
    for (let i = 0; i < ts.length; i++) {
      if (ts[i] >= end) {
        if (m > acc.max[b]) acc.max[b] = m;
        b = Math.floor((ts[i] - first) / bucket);
        end = first + (b + 1) * bucket;
        m = -Infinity;
      }
      if (vs[i] > m) m = vs[i];
    }
    if (m > acc.max[b]) acc.max[b] = m;
  }
  const out = new Map();
  for (const [g, { first, max }] of groups) {
    out.set(g, { timestamps: Float64Array.from(max, (_, i) => first + i * bucket), values: max });
  }
  return out;
}
