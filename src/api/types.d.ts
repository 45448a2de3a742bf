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

/** Query results as columns, ready for charting libraries such as uPlot. */
export interface Columns {
  timestamps: Float64Array;
  values: Float64Array;
}

/** A command reply: RESP2 mapped to JS (integers and doubles as numbers, nil as null). */
export type Reply = number | string | null | Error | Reply[];
