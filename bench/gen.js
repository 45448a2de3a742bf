// Deterministic benchmark data, shared by the browser page (bench/*.js) and bench/redis.mjs.
//
// The 10 M-sample series: a regular 1 s series starting at T0 whose values are a 2-decimal random
// walk (integer cents / 100, so each value is the double nearest its 2-decimal text, exactly what
// parsing "123.45" gives). T0 is a multiple of both 10 000 000 ms (1000 buckets over 10 M s) and
// 60 000 ms, so the bucket grids aligned to 0 (RedisTimeSeries' default) start at the first sample.

export const T0 = 1_710_000_000_000;
export const STEP_MS = 1000;

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` samples of the random walk: `{ timestamps, values }` as Float64Arrays. */
export function randomWalk(n, seed = 42, start = T0) {
  const rnd = prng(seed);
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  let cents = 10_000; // 100.00
  for (let i = 0; i < n; i++) {
    cents += Math.floor(rnd() * 101) - 50; // a step of -0.50 … +0.50
    timestamps[i] = start + i * STEP_MS;
    values[i] = cents / 100;
  }
  return { timestamps, values };
}

/** Label values of the label benchmarks: series `i` of `n`. */
export const LABELS = {
  metric: ["cpu", "mem", "disk", "net", "load", "temp", "fan", "power", "iops", "latency"],
  region: ["eu-west", "eu-north", "us-east", "us-west", "ap-south"],
  env: ["prod", "staging", "dev"],
};

export function labelsOf(i) {
  return {
    metric: LABELS.metric[i % 10],
    region: LABELS.region[Math.floor(i / 10) % 5],
    env: LABELS.env[Math.floor(i / 50) % 3],
    team: `team-${Math.floor(i / 150) % 20}`,
    host: `host-${i}`,
  };
}

/** The 3-matcher filter of the label benchmark (RedisTimeSeries syntax), and as a JS predicate. */
export const LABEL_FILTER = ["metric=cpu", "region=(eu-west,us-east)", "env!=dev"];
export function labelFilterMatches(l) {
  return l.metric === "cpu" && (l.region === "eu-west" || l.region === "us-east") && l.env !== "dev";
}

/** TS.MRANGE benchmark series `i`: labels (5 regions round-robin). */
export function mrangeLabelsOf(i) {
  return { metric: "cpu", region: LABELS.region[i % 5], host: `host-${i}` };
}
