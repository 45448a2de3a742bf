/** A duplicate policy: what a write does to a timestamp that already holds a sample. */
export type DuplicatePolicy = "block" | "first" | "last" | "min" | "max" | "sum";

/**
 * Options of a series (TS.CREATE).
 *
 * @example
 * ```js
 * const db = new TimeSeriesDB();
 * db.create("temp:kitchen", {
 *   retention: 7 * 86_400_000, // keep a week
 *   duplicatePolicy: "last",
 *   ignore: { maxTimeDiff: 1000, maxValDiff: 0.1 }, // drop near-repeats of the newest sample
 *   labels: { metric: "temp", room: "kitchen" },
 * });
 * db.add("temp:kitchen", 10_000, 21.5) // → 10000
 * db.add("temp:kitchen", 10_500, 21.55) // → 10000
 * db.range("temp:kitchen").values // → Float64Array.of(21.5)
 * ```
 */
export interface CreateOptions {
  /** Maximum age of samples relative to the newest, in ms; 0 (default) keeps everything. */
  retention?: number;
  /** Chunk encoding; "compressed" (default) picks the best codec per block. */
  encoding?: "compressed" | "uncompressed";
  /** Chunk byte budget: a multiple of 8 in [48, 1048576]; default 4096. */
  chunkSize?: number;
  /** Duplicate policy of the series; default "block". */
  duplicatePolicy?: DuplicatePolicy;
  /** IGNORE: drop a sample close in time and value to the newest one (with policy "last"). */
  ignore?: { maxTimeDiff: number; maxValDiff: number };
  /** Labels, e.g. `{ metric: "cpu", host: "a" }`. */
  labels?: Record<string, string>;
}

/**
 * Options of TS.ADD: the series options used when the write creates the series, and ON_DUPLICATE.
 *
 * @example
 * ```js
 * const db = new TimeSeriesDB();
 * db.add("energy", 1000, 5, { labels: { metric: "energy" } }); // creates the series
 * db.add("energy", 1000, 2, { onDuplicate: "sum" }) // → 1000
 * db.get("energy") // → { timestamp: 1000, value: 7 }
 * ```
 */
export interface AddOptions extends CreateOptions {
  /** Duplicate policy for this write only. */
  onDuplicate?: DuplicatePolicy;
}

/**
 * A range bound: a timestamp in ms, or "-" (earliest) / "+" (latest).
 *
 * @example
 * ```js
 * const db = new TimeSeriesDB();
 * db.addMany("temp", [1000, 2000, 3000], [21, 22, 23]);
 * db.range("temp", 2000, "+").timestamps // → Float64Array.of(2000, 3000)
 * db.range("temp", "-", 1500).timestamps // → Float64Array.of(1000)
 * ```
 */
export type RangeBound = number | "-" | "+";

/**
 * Query results as columns (copies), ready for charting libraries: for uPlot,
 * `[r.timestamps, ...r.columns]`.
 *
 * @example
 * ```js
 * const db = new TimeSeriesDB();
 * db.addMany("temp", [0, 30_000, 60_000], [20, 22, 21]);
 * const r = db.range("temp", "-", "+", { aggregation: ["min", "max"], bucketDuration: 60_000 });
 * // uPlot data: x, then one series per aggregator
 * [r.timestamps, ...r.columns]
 * // → [Float64Array.of(0, 60000), Float64Array.of(20, 21), Float64Array.of(22, 21)]
 * ```
 */
export interface Columns {
  /** Timestamps in ms (bucket timestamps with aggregation), in the reply's order. */
  timestamps: Float64Array;
  /** The first value column: the samples, or the (first) aggregator's values. */
  values: Float64Array;
  /** Every value column, one per aggregator in the order asked (one for raw samples). */
  columns: Float64Array[];
}

/**
 * An aggregator. `countNaN` / `countAll` are extensions (RedisTimeSeries 8.6); every other
 * aggregator ignores NaN samples.
 */
export type Aggregator =
  | "avg" | "sum" | "min" | "max" | "range" | "count" | "first" | "last"
  | "std.p" | "std.s" | "var.p" | "var.s" | "twa" | "countNaN" | "countAll";

/**
 * Options of `range` / `revRange` (TS.RANGE / TS.REVRANGE). Unknown fields are errors.
 *
 * @example
 * ```js
 * const db = new TimeSeriesDB();
 * db.addMany("temp", [0, 30_000, 60_000, 90_000, 120_000], [20, 22, 21, 25, 24]);
 * // One-minute averages (AGGREGATION avg 60000):
 * db.range("temp", "-", "+", { aggregation: "avg", bucketDuration: 60_000 }).values // → Float64Array.of(21, 23, 24)
 * // Several aggregators, reported at the bucket end:
 * const r = db.range("temp", "-", "+", { aggregation: ["min", "max"], bucketDuration: 60_000, bucketTimestamp: "end" });
 * r.timestamps // → Float64Array.of(60000, 120000, 180000)
 * r.columns // → [Float64Array.of(20, 21, 24), Float64Array.of(22, 25, 24)]
 * // Raw samples, filtered:
 * db.range("temp", "-", "+", { filterByValue: [21, 24], count: 2 }).timestamps // → Float64Array.of(30000, 60000)
 * db.range("temp", "-", "+", { filterByTs: [0, 90_000] }).values // → Float64Array.of(20, 25)
 * // M4 for a chart 1 pixel wide (same as viewport):
 * db.range("temp", "-", "+", { aggregation: "m4", widthPx: 1 }).timestamps // → Float64Array.of(0, 90000, 120000)
 * // Unknown or misspelt options throw:
 * let error;
 * try { db.range("temp", "-", "+", { bucketDuraton: 60_000 }); } catch (e) { error = e; }
 * error instanceof Error // → true
 * ```
 */
export interface RangeOptions {
  /**
   * One aggregator (one value column), a list (one column each, like `AGGREGATION min,max`),
   * or `"m4"`: the `viewport` of a chart `widthPx` wide (takes no other option).
   */
  aggregation?: Aggregator | Aggregator[] | "m4";
  /** Bucket duration in ms, an integer >= 1; required with an aggregator. */
  bucketDuration?: number;
  /** With `aggregation: "m4"`: the chart width in pixels. */
  widthPx?: number;
  /** Bucket alignment: `"start"` (the `from` bound), `"end"` (the `to` bound) or a timestamp; default 0. */
  align?: "start" | "end" | number;
  /** Which timestamp reports a bucket; default `"start"`. */
  bucketTimestamp?: "start" | "mid" | "end";
  /** Also report buckets without samples (sum / counts 0, `last` carried, twa interpolated, others NaN). */
  empty?: boolean;
  /** The first `count` rows of the reply (for `revRange`, the newest). */
  count?: number;
  /** Only samples at these timestamps (1 to 128 of them). */
  filterByTs?: number[];
  /** Only samples with `min <= value <= max` (NaN samples never pass). */
  filterByValue?: [number, number];
  /** On a compaction destination, also the rule's open (latest, partial) bucket. */
  latest?: boolean;
}

/** Options of `get`. */
export interface GetOptions {
  /** On a compaction destination: the rule's open bucket, if any (TS.GET LATEST). */
  latest?: boolean;
}

/**
 * Options of `createRule` (TS.CREATERULE).
 *
 * @example
 * ```js
 * const db = new TimeSeriesDB();
 * db.create("temp");
 * db.create("temp:max1h");
 * db.createRule("temp", "temp:max1h", { aggregation: "max", bucketDuration: 3_600_000 });
 * db.info("temp").rules
 * // → [{ destKey: "temp:max1h", bucketDuration: 3600000, aggregator: "max", alignTimestamp: 0 }]
 * ```
 */
export interface RuleOptions {
  /** One aggregator (lists and `"m4"` are not rules). */
  aggregation: Aggregator;
  /** Bucket duration in ms, an integer >= 1. */
  bucketDuration: number;
  /** Bucket alignment timestamp; default 0. */
  alignTimestamp?: number;
}

/** A command reply: RESP2 mapped to JS (integers and doubles as numbers, nil as null). */
export type Reply = number | string | null | Error | Reply[];

/** TS.ALTER options: each given field replaces the current one (labels replace the whole set). */
export interface AlterOptions {
  retention?: number;
  chunkSize?: number;
  duplicatePolicy?: DuplicatePolicy;
  ignore?: { maxTimeDiff: number; maxValDiff: number };
  labels?: Record<string, string>;
}

/** TS.INCRBY / TS.DECRBY options: the timestamp (default now) and the options of a series the call creates. */
export interface IncrByOptions extends CreateOptions {
  timestamp?: number;
}

/** One sample. */
export interface Sample {
  timestamp: number;
  value: number;
}

/** A compaction rule as TS.INFO lists it. */
export interface RuleInfo {
  destKey: string;
  bucketDuration: number;
  aggregator: string;
  alignTimestamp: number;
}

/** One chunk as TS.INFO DEBUG lists it. */
export interface ChunkInfo {
  startTimestamp: number;
  endTimestamp: number;
  samples: number;
  /** Bytes of encoded sample data. */
  bytes: number;
}

/** TS.INFO of a series. */
export interface SeriesInfo {
  totalSamples: number;
  memoryUsage: number;
  firstTimestamp: number;
  lastTimestamp: number;
  retentionTime: number;
  chunkCount: number;
  chunkSize: number;
  chunkType: "compressed" | "uncompressed";
  duplicatePolicy: DuplicatePolicy | null;
  labels: Record<string, string>;
  sourceKey: string | null;
  rules: RuleInfo[];
  ignoreMaxTimeDiff: number;
  ignoreMaxValDiff: number;
  chunks: ChunkInfo[];
}

/** Totals over every series. */
export interface Stats {
  series: number;
  samples: number;
  chunks: number;
  memoryBytes: number;
  bytesPerSample: number;
}

/**
 * Which labels a multi-series result carries: all (the default), none, or a selection.
 *
 * @example
 * ```js
 * const db = new TimeSeriesDB();
 * db.add("cpu:a", 1000, 12, { labels: { metric: "cpu", host: "a", region: "eu" } });
 * db.mget(["metric=cpu"])[0].labels // → { host: "a", metric: "cpu", region: "eu" }
 * db.mget(["metric=cpu"], { withLabels: false })[0].labels // → {}
 * db.mget(["metric=cpu"], { selectedLabels: ["region", "rack"] })[0].labels // → { region: "eu" }
 * ```
 */
export interface LabelOptions {
  /** `false` leaves `labels` empty; default `true` (all labels). */
  withLabels?: boolean;
  /** Only these labels (absent ones are omitted). Not together with `withLabels: true`. */
  selectedLabels?: string[];
}

/** TS.MGET options. */
export interface MGetOptions extends LabelOptions {
  /** On compaction destinations, report the open bucket. */
  latest?: boolean;
}

/** One series of a TS.MGET result. */
export interface MGetEntry {
  key: string;
  labels: Record<string, string>;
  /** The newest sample, or null for an empty series. */
  sample: Sample | null;
}

/** A GROUPBY reducer: the aggregators that fold values of equal timestamps across a group. */
export type Reducer =
  | "avg" | "sum" | "min" | "max" | "range" | "count"
  | "std.p" | "std.s" | "var.p" | "var.s" | "countNaN" | "countAll";

/**
 * TS.MRANGE / TS.MREVRANGE options: every `range` option, plus labels, grouping and EXCLUDEEMPTY.
 *
 * Series are picked by filters, an array of RedisTimeSeries filter expressions that must all
 * hold (at least one of the `label=value` / `label=(a,b)` kind): `label=value`, `label!=value`,
 * `label=(a,b)` (one of), `label!=(a,b)` (none of), `label=` (label absent), `label!=` (present).
 *
 * @example
 * ```js
 * const db = new TimeSeriesDB();
 * db.addMany("cpu:a", [0, 60_000], [10, 20], { labels: { metric: "cpu", host: "a", region: "eu" } });
 * db.addMany("cpu:b", [0, 60_000], [30, 40], { labels: { metric: "cpu", host: "b", region: "us" } });
 * db.create("cpu:c", { labels: { metric: "cpu", host: "c" } }); // no samples, no region
 * db.mrange("-", "+", ["metric=cpu"], { excludeEmpty: true, selectedLabels: ["region"] }).map((s) => [s.key, s.labels])
 * // → [["cpu:a", { region: "eu" }], ["cpu:b", { region: "us" }]]
 * db.mrange("-", "+", ["metric=cpu", "region="]).map((s) => s.key) // → ["cpu:c"]
 * db.mrange("-", "+", ["metric=cpu", "region!=(us)"], { aggregation: "max", bucketDuration: 120_000 }).map((s) => [...s.values])
 * // → [[20], []]
 * const [peak] = db.mrange("-", "+", ["metric=cpu", "region!="], { groupBy: { label: "metric", reduce: "max" } });
 * peak.key // → "metric=cpu"
 * peak.values // → Float64Array.of(30, 40)
 * ```
 */
export interface MRangeOptions extends RangeOptions, LabelOptions {
  /** GROUPBY label REDUCE reducer: one result per value of `label`. */
  groupBy?: { label: string; reduce: Reducer };
  /** Leave out series whose result has no row (not with `groupBy`). */
  excludeEmpty?: boolean;
}

/** One series (or group) of a TS.MRANGE result: columns plus key and labels. A group's key is
 *  `label=value` and its labels are `{ [label]: value, __reducer__, __source__ }`. */
export interface MRangeEntry extends Columns {
  key: string;
  labels: Record<string, string>;
}
