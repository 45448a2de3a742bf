// JS stand-ins for engine features that are still being built, plus small text helpers.
// Each function here is replaced by an engine call as soon as the engine has it (see
// engine.js, which probes the engine and picks): the label filter grammar (until
// TS.QUERYINDEX), M4 (until viewport), bucket aggregation (until TS.RANGE AGGREGATION),
// and GROUPBY/REDUCE (until TS.MRANGE). Semantics follow RedisTimeSeries, error texts too.

/** Split a line as redis-cli does: whitespace separates, "double" quotes (with \" \\ \n \t \xHH
 *  escapes) and 'single' quotes group. Throws on unbalanced quotes. */
export function tokenize(line) {
  const out = [];
  let i = 0;
  const n = line.length;
  const unbalanced = () => new Error("ERR Protocol error: unbalanced quotes in request");
  for (;;) {
    while (i < n && /\s/.test(line[i])) i++;
    if (i >= n) return out;
    let cur = "";
    let quote = "";
    for (;;) {
      if (i >= n) {
        if (quote) throw unbalanced();
        break;
      }
      const c = line[i];
      if (quote === '"') {
        if (c === "\\" && line[i + 1] === "x" && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === "\\" && i + 1 < n) {
          i++;
          cur += { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" }[line[i]] ?? line[i];
        } else if (c === '"') {
          if (i + 1 < n && !/\s/.test(line[i + 1])) throw unbalanced();
          i++;
          break;
        } else cur += c;
      } else if (quote === "'") {
        if (c === "\\" && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !/\s/.test(line[i + 1])) throw unbalanced();
          i++;
          break;
        } else cur += c;
      } else if (/\s/.test(c)) break;
      else if (c === '"' || c === "'") quote = c;
      else cur += c;
      i++;
    }
    out.push(cur);
  }
}

/** Quote one argument for a command line so the engine's tokenizer gives it back unchanged. */
export function quoteArg(s) {
  if (s !== "" && /^[\x21\x23-\x26\x28-\x5b\x5d-\x7e]+$/.test(s)) return s;
  const esc = s.replace(/[\\"]/g, (c) => "\\" + c).replace(/[\n\r\t]/g, (c) => ({ "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]);
  return `"${esc}"`;
}

const FAILED = "ERR TSDB: failed parsing labels";
const NO_MATCHER = "ERR TSDB: please provide at least one matcher";

/** Parse filter expressions (one per token) with the RedisTimeSeries grammar:
 *  l=v, l!=v, l=, l!=, l=(a,b), l!=(a,b). Returns a list of matchers; throws the engine's
 *  error texts. */
export function parseFilter(tokens) {
  const matchers = tokens.map((expr) => {
    let op;
    if (expr.includes("!=(")) op = "notin";
    else if (expr.includes("!=")) op = "ne";
    else if (expr.includes("=(")) op = "in";
    else if (expr.includes("=")) op = "eq";
    else throw new Error(FAILED);
    const at = expr.indexOf(op === "notin" || op === "ne" ? "!=" : "=");
    const label = expr.slice(0, at);
    let rest = expr.slice(at + (op === "ne" || op === "notin" ? 2 : 1));
    if (!label) throw new Error(FAILED);
    if (op === "in" || op === "notin") {
      if (!rest.startsWith("(") || !rest.endsWith(")")) throw new Error(FAILED);
      rest = rest.slice(1, -1);
      const values = rest === "" ? [] : rest.split(",");
      if (values.some((v) => v === "")) throw new Error(FAILED);
      return { label, op, values };
    }
    if (rest === "") return { label, op: op === "eq" ? "absent" : "present" };
    return { label, op, value: rest };
  });
  if (!matchers.some((m) => m.op === "eq" || m.op === "in")) throw new Error(NO_MATCHER);
  return matchers;
}

/** Whether a label set passes every matcher. */
export function matches(labels, matchers) {
  for (const m of matchers) {
    const v = Object.hasOwn(labels, m.label) ? labels[m.label] : undefined;
    switch (m.op) {
      case "eq": if (v !== m.value) return false; break;
      case "ne": if (v === m.value) return false; break;
      case "in": if (v === undefined || !m.values.includes(v)) return false; break;
      case "notin": if (v !== undefined && m.values.includes(v)) return false; break;
      case "absent": if (v !== undefined) return false; break;
      case "present": if (v === undefined) return false; break;
    }
  }
  return true;
}

/** M4 downsampling for a chart `width` pixels wide over [from, to]: per pixel column the
 *  first, min, max and last sample, in time order (a line through them draws exactly like
 *  the raw data). Input sorted by time. */
export function m4(ts, vs, from, to, width) {
  const n = ts.length;
  if (n <= 4 * width) return { timestamps: ts, values: vs };
  const span = Math.max(1, to - from + 1);
  const ot = new Float64Array(4 * width + 4);
  const ov = new Float64Array(4 * width + 4);
  let o = 0;
  let i = 0;
  while (i < n) {
    const col = Math.floor(((ts[i] - from) * width) / span);
    const first = i;
    let lo = i, hi = i;
    i++;
    while (i < n && Math.floor(((ts[i] - from) * width) / span) === col) {
      if (vs[i] < vs[lo]) lo = i;
      if (vs[i] > vs[hi]) hi = i;
      i++;
    }
    const last = i - 1;
    const picks = [first, lo, hi, last].sort((a, b) => a - b);
    for (let k = 0; k < 4; k++) {
      if (k > 0 && picks[k] === picks[k - 1]) continue;
      if (o >= ot.length) break;
      ot[o] = ts[picks[k]];
      ov[o] = vs[picks[k]];
      o++;
    }
  }
  return { timestamps: ot.slice(0, o), values: ov.slice(0, o) };
}

/** Aggregators as accumulate / finish pairs (RedisTimeSeries names). */
const AGGS = {
  avg: [() => [0, 0], (s, v) => { s[0] += v; s[1]++; }, (s) => s[0] / s[1]],
  sum: [() => [0], (s, v) => { s[0] += v; }, (s) => s[0]],
  min: [() => [Infinity], (s, v) => { if (v < s[0]) s[0] = v; }, (s) => s[0]],
  max: [() => [-Infinity], (s, v) => { if (v > s[0]) s[0] = v; }, (s) => s[0]],
  range: [() => [Infinity, -Infinity], (s, v) => { if (v < s[0]) s[0] = v; if (v > s[1]) s[1] = v; }, (s) => s[1] - s[0]],
  count: [() => [0], (s) => { s[0]++; }, (s) => s[0]],
  first: [() => [NaN, 0], (s, v) => { if (!s[1]) { s[0] = v; s[1] = 1; } }, (s) => s[0]],
  last: [() => [NaN], (s, v) => { s[0] = v; }, (s) => s[0]],
  "var.p": [() => [0, 0, 0], welford, (s) => s[2] / s[0]],
  "var.s": [() => [0, 0, 0], welford, (s) => (s[0] > 1 ? s[2] / (s[0] - 1) : 0)],
  "std.p": [() => [0, 0, 0], welford, (s) => Math.sqrt(s[2] / s[0])],
  "std.s": [() => [0, 0, 0], welford, (s) => (s[0] > 1 ? Math.sqrt(s[2] / (s[0] - 1)) : 0)],
};
function welford(s, v) {
  s[0]++;
  const d = v - s[1];
  s[1] += d / s[0];
  s[2] += d * (v - s[1]);
}
export const FALLBACK_AGGREGATORS = Object.keys(AGGS);

/** TS.RANGE … AGGREGATION agg bucket (ALIGN 0, bucket start timestamps, no EMPTY). */
export function aggregate(ts, vs, agg, bucket) {
  const def = AGGS[agg];
  if (!def) throw new Error(`ERR TSDB: aggregator ${agg} is not available in this build`);
  const [init, add, finish] = def;
  const n = ts.length;
  const ot = [];
  const ov = [];
  let i = 0;
  while (i < n) {
    const start = ts[i] - (((ts[i] % bucket) + bucket) % bucket);
    const end = start + bucket;
    const s = init();
    while (i < n && ts[i] < end) add(s, vs[i++]);
    ot.push(start);
    ov.push(finish(s));
  }
  return { timestamps: Float64Array.from(ot), values: Float64Array.from(ov) };
}

/** REDUCE across series whose buckets share timestamps (TS.MRANGE GROUPBY … REDUCE r). */
export function reduceSeries(list, reducer) {
  const def = AGGS[reducer];
  if (!def) throw new Error(`ERR TSDB: reducer ${reducer} is not available in this build`);
  const [init, add, finish] = def;
  const acc = new Map();
  for (const { timestamps, values } of list) {
    for (let i = 0; i < timestamps.length; i++) {
      let s = acc.get(timestamps[i]);
      if (!s) acc.set(timestamps[i], (s = init()));
      add(s, values[i]);
    }
  }
  const keys = Float64Array.from(acc.keys()).sort();
  const values = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) values[i] = finish(acc.get(keys[i]));
  return { timestamps: keys, values };
}
