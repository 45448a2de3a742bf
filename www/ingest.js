// The telemetry socket, in the worker: connect, decode, batch, ingest, reconnect.
//
// Why the socket lives in the worker and not on the main thread: every frame goes
// socket → decoder → engine without a postMessage hop and without ever touching the main
// thread, which only renders. At 50 k samples/s that is ~50 frames/s the main thread
// never sees (no structured-clone copies, no event-loop contention with drawing).
//
// Batching. Decoded samples are appended per series into growable Float64Array columns
// and flushed every FLUSH_MS (and before every query or command, so reads see
// everything received) with one `addMany(key, ts, values)` per series: one boundary call
// per series per flush, all-or-nothing. Measured against one `madd` of [key, ts, v]
// triples for the whole flush (Node, 500 series): addMany 2.1 M samples/s at 10 samples
// per series per flush vs madd 0.77 M/s — madd pays for a JS array per sample.
//
// Resume. `lastTs` is the newest timestamp of every samples frame fully processed; the
// server guarantees frames cover disjoint, increasing time ranges, so a reconnect with
// `since=lastTs` gets exactly what is missing (PROTOCOL.md "Resume"). Reconnects back off
// exponentially (250 ms × 2^n, at most 10 s, ±20 % jitter); a frame that does not decode
// is counted and skipped, never a reason to drop the connection.

import { decodeBinary, decodeJson } from "./protocol.js";

export const FLUSH_MS = 100;
const FLUSH_SAMPLES = 25_000;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 10_000;

class Column {
  constructor(key) {
    this.key = key;
    this.ts = new Float64Array(16);
    this.vs = new Float64Array(16);
    this.n = 0;
  }
  push(t, v) {
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2);
      const vs = new Float64Array(this.n * 2);
      ts.set(this.ts);
      vs.set(this.vs);
      this.ts = ts;
      this.vs = vs;
    }
    this.ts[this.n] = t;
    this.vs[this.n] = v;
    this.n++;
  }
}

export class Ingest {
  /** `store`: engine.js Store; `notify(kind, payload)`: tell the page (status changes). */
  constructor(store, notify, { format = "binary", url } = {}) {
    this.store = store;
    this.notify = notify;
    this.format = format === "json" ? "json" : "binary";
    this.url = url ?? new URL("/ws", self.location.href).href.replace(/^http/, "ws");
    this.ws = null;
    this.byId = [];
    this.dirty = new Set();
    this.pending = 0;
    this.lastTs = null;
    this.earliest = null;
    this.attempt = 0;
    this.timer = 0;
    this.state = "idle";
    this.session = null;
    this.serverOffset = 0;
    this.complete = true;
    // Counters for the stats panel.
    this.ingested = 0;
    this.frames = 0;
    this.badFrames = 0;
    this.badReason = "";
    this.unknownSamples = 0;
    this.ingestErrors = 0;
    this.lastIngestError = "";
    this.droppedBefore = 0;
    this.droppedNow = 0;
    this.connects = 0;
    this.flushTimer = setInterval(() => this.flush(), FLUSH_MS);
  }

  get dropped() {
    return this.droppedBefore + this.droppedNow;
  }

  /** Server clock, estimated (ms). */
  now() {
    return Date.now() + this.serverOffset;
  }

  start() {
    if (this.ws || this.timer) return;
    this.connect();
  }

  connect() {
    this.timer = 0;
    const since = this.lastTs ?? 0;
    const url = `${this.url}?format=${this.format}&since=${since}`;
    this.setState("connecting", { since });
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      this.badReason = String(e.message);
      this.retry();
      return;
    }
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    this.connects++;
    ws.onmessage = (ev) => this.onFrame(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.flush();
      this.droppedBefore += this.droppedNow;
      this.droppedNow = 0;
      this.retry();
    };
    ws.onerror = () => {}; // onclose follows
  }

  retry() {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempt);
    const delay = Math.round(base * (0.8 + 0.4 * Math.random()));
    this.attempt++;
    this.timer = setTimeout(() => this.connect(), delay);
    this.setState("reconnecting", { retryInMs: delay, attempt: this.attempt });
  }

  setState(state, extra = {}) {
    this.state = state;
    this.notify("conn", { state, session: this.session, complete: this.complete, lastTs: this.lastTs, ...extra });
  }

  onFrame(data) {
    let msg;
    try {
      msg = typeof data === "string" ? decodeJson(data) : decodeBinary(data);
    } catch (e) {
      this.badFrames++;
      this.badReason = String(e.message).slice(0, 200);
      return;
    }
    this.frames++;
    switch (msg.type) {
      case "samples":
        this.onSamples(msg);
        break;
      case "series":
        this.onSeries(msg.series);
        break;
      case "hello":
        this.flush();
        this.byId = [];
        this.session = msg.session;
        this.serverOffset = msg.now - Date.now();
        // since=0 (nothing held yet) asks for "whatever the buffer has": not a loss.
        this.complete = !(msg.resume?.since > 0 && msg.resume?.complete === false);
        this.setState(msg.resume?.since != null ? "replaying" : "live", { replay: msg.resume?.replayed ?? 0, mode: msg.mode });
        if (msg.resume?.since == null) this.attempt = 0;
        break;
      case "status":
        this.serverOffset = msg.now - Date.now();
        this.droppedNow = msg.dropped;
        if (msg.reason === "live" || this.state === "replaying") {
          this.attempt = 0;
          this.setState("live");
        }
        break;
      default:
        break; // unknown types: newer servers may add some
    }
  }

  onSeries(list) {
    for (const { id, key, labels } of list) {
      const old = this.byId[id];
      if (old && old.key === key) continue;
      if (old) this.flushOne(old);
      try {
        this.store.ensureSeries(key, labels);
        this.byId[id] = new Column(key);
      } catch (e) {
        this.ingestErrors++;
        this.lastIngestError = `${key}: ${e.message}`;
      }
    }
    this.notify("dictionary", null);
  }

  onSamples({ n, ids, ts, values }) {
    const byId = this.byId;
    let max = -Infinity;
    let unknown = 0;
    for (let i = 0; i < n; i++) {
      const col = byId[ids[i]];
      const t = ts[i];
      if (t > max) max = t;
      if (col === undefined) {
        unknown++;
        continue;
      }
      if (col.n === 0) this.dirty.add(col);
      col.push(t, values[i]);
    }
    if (unknown) {
      this.unknownSamples += unknown;
      this.badFrames++;
      this.badReason = `${unknown} samples for series never announced`;
    }
    this.pending += n - unknown;
    if (n > 0) {
      if (this.lastTs === null || max > this.lastTs) this.lastTs = max;
      let min = Infinity;
      if (this.earliest === null) {
        for (let i = 0; i < n; i++) if (ts[i] < min) min = ts[i];
        this.earliest = min;
      }
    }
    if (this.pending >= FLUSH_SAMPLES) this.flush();
  }

  flushOne(col) {
    if (col.n === 0) return;
    const ts = col.ts.subarray(0, col.n);
    const vs = col.vs.subarray(0, col.n);
    try {
      this.store.db.addMany(col.key, ts, vs);
      this.ingested += col.n;
    } catch (e) {
      // All or nothing failed: salvage sample by sample, count what is refused.
      this.lastIngestError = `${col.key}: ${e.message}`;
      for (let i = 0; i < col.n; i++) {
        try {
          this.store.db.add(col.key, ts[i], vs[i]);
          this.ingested++;
        } catch {
          this.ingestErrors++;
        }
      }
    }
    this.pending -= col.n;
    col.n = 0;
  }

  /** Ingest everything pending: one addMany per series. */
  flush() {
    if (this.dirty.size === 0) return;
    for (const col of this.dirty) this.flushOne(col);
    this.dirty.clear();
    this.pending = 0;
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = 0;
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.flush();
  }
}
