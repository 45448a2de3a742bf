/** A duplicate policy: what a write does to a timestamp that already holds a sample. */
export type DuplicatePolicy = "block" | "first" | "last" | "min" | "max" | "sum";

/** Options of a series (TS.CREATE). */
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

/** Options of TS.ADD: the series options used when the write creates the series, and ON_DUPLICATE. */
export interface AddOptions extends CreateOptions {
  /** Duplicate policy for this write only. */
  onDuplicate?: DuplicatePolicy;
}

/** A range bound: a timestamp in ms, or "-" (earliest) / "+" (latest). */
export type RangeBound = number | "-" | "+";

/**
 * Query results as columns (copies), ready for charting libraries: for uPlot,
 * `[r.timestamps, ...r.columns]`.
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
 * db.range("cpu", "-", "+", { aggregation: ["min", "avg", "max"], bucketDuration: 60_000, empty: true })
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

/** Options of `createRule` (TS.CREATERULE). */
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

/** Which labels a multi-series result carries: all (the default), none, or a selection. */
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

/** TS.MRANGE / TS.MREVRANGE options: every `range` option, plus labels, grouping and EXCLUDEEMPTY. */
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
