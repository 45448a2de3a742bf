// Decoder of tsdb-server's WebSocket frames (server/PROTOCOL.md), used by the dashboard's
// worker and checked against the server's own frames by server/tests/js_decoder.rs:
//
// * Samples come out columnar — { ids, ts, values } typed arrays. On little-endian hosts
//   `values` and `ids` are zero-copy views into the frame's ArrayBuffer and `ts` is one
//   Float64Array (u32 offsets widened once); nothing is allocated per sample.
// * Stricter than the reference: every length is checked against the frame (a binary
//   frame must be exactly as long as its header says), JSON columns must have `n`
//   entries, series entries must have an integer id and a string key, label values must
//   be strings. Anything else throws, so the caller can count the frame as bad and go on.
// * Unknown message types decode to { type: "unknown" } (newer servers may add some).

export const PROTOCOL_VERSION = 1;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const REASONS = ["periodic", "drops", "live"];
const utf8 = new TextDecoder("utf-8", { fatal: true });

class FrameError extends Error {}

function need(buf, end) {
  if (end > buf.byteLength) throw new FrameError(`truncated frame: need ${end} bytes, have ${buf.byteLength}`);
}

function decodeSeries(buf, dv, count) {
  let off = 8;
  const str = () => {
    need(buf, off + 2);
    const len = dv.getUint16(off, true);
    need(buf, off + 2 + len);
    const s = utf8.decode(new Uint8Array(buf, off + 2, len));
    off += 2 + len;
    return s;
  };
  const series = new Array(count);
  for (let i = 0; i < count; i++) {
    need(buf, off + 4);
    const id = dv.getUint32(off, true);
    off += 4;
    const key = str();
    need(buf, off + 2);
    const nLabels = dv.getUint16(off, true);
    off += 2;
    const labels = Object.create(null);
    for (let j = 0; j < nLabels; j++) {
      const name = str();
      labels[name] = str();
    }
    series[i] = { id, key, labels };
  }
  if (off !== buf.byteLength) throw new FrameError(`series frame has ${buf.byteLength - off} trailing bytes`);
  return { type: "series", series };
}

function decodeSamples(buf, dv, flags, n) {
  const smallIds = (flags & 1) !== 0;
  const absoluteTs = (flags & 2) !== 0;
  const tsStart = 16 + 8 * n;
  const idStart = tsStart + (absoluteTs ? 8 : 4) * n;
  const end = idStart + (smallIds ? 2 : 4) * n;
  need(buf, end);
  if (end !== buf.byteLength) throw new FrameError(`samples frame is ${buf.byteLength} bytes, expected ${end}`);
  const base = dv.getFloat64(8, true);
  const ts = new Float64Array(n);
  let values, ids;
  if (LITTLE_ENDIAN) {
    values = new Float64Array(buf, 16, n);
    if (absoluteTs) ts.set(new Float64Array(buf, tsStart, n));
    else {
      const dt = new Uint32Array(buf, tsStart, n);
      for (let i = 0; i < n; i++) ts[i] = base + dt[i];
    }
    ids = smallIds ? new Uint16Array(buf, idStart, n) : new Uint32Array(buf, idStart, n);
  } else {
    values = new Float64Array(n);
    ids = smallIds ? new Uint16Array(n) : new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      values[i] = dv.getFloat64(16 + 8 * i, true);
      ts[i] = absoluteTs ? dv.getFloat64(tsStart + 8 * i, true) : base + dv.getUint32(tsStart + 4 * i, true);
      ids[i] = smallIds ? dv.getUint16(idStart + 2 * i, true) : dv.getUint32(idStart + 4 * i, true);
    }
  }
  return { type: "samples", n, ids, ts, values };
}

/** Decode one binary frame (an ArrayBuffer holding exactly the message). Throws if malformed. */
export function decodeBinary(buf) {
  need(buf, 8);
  const dv = new DataView(buf);
  const version = dv.getUint8(0);
  if (version !== PROTOCOL_VERSION) throw new FrameError(`unsupported protocol version ${version}`);
  const type = dv.getUint8(1);
  const flags = dv.getUint8(2);
  const count = dv.getUint32(4, true);
  switch (type) {
    case 1:
      need(buf, 8 + count);
      return checkHello(JSON.parse(utf8.decode(new Uint8Array(buf, 8, count))));
    case 2:
      return decodeSeries(buf, dv, count);
    case 3:
      return decodeSamples(buf, dv, flags, count);
    case 4: {
      need(buf, 72);
      const f = (i) => dv.getFloat64(8 + 8 * i, true);
      const orNull = (x) => (Number.isNaN(x) ? null : x);
      return {
        type: "status",
        reason: REASONS[flags] ?? "unknown",
        now: f(0),
        dropped: f(1),
        sent: f(2),
        queued: f(3),
        queue_capacity: f(4),
        series: f(5),
        buffer_oldest: orNull(f(6)),
        buffer_newest: orNull(f(7)),
      };
    }
    default:
      return { type: "unknown", code: type };
  }
}

function checkHello(m) {
  if (!m || typeof m !== "object" || typeof m.session !== "number") throw new FrameError("hello without a session");
  m.type = "hello";
  return m;
}

const isId = (x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff;

/** Decode one JSON text frame; samples get the same typed-array shape as binary. Throws if malformed. */
export function decodeJson(text) {
  const m = JSON.parse(text);
  if (!m || typeof m !== "object") throw new FrameError("frame is not a JSON object");
  switch (m.type) {
    case "samples": {
      const n = m.n;
      if (!Number.isInteger(n) || !Array.isArray(m.id) || !Array.isArray(m.t) || !Array.isArray(m.v)) {
        throw new FrameError("samples frame without n / id / t / v");
      }
      if (m.id.length !== n || m.t.length !== n || m.v.length !== n) {
        throw new FrameError(`samples columns differ from n = ${n}`);
      }
      if (!m.id.every(isId) || !m.t.every(Number.isFinite)) throw new FrameError("bad id or timestamp");
      return {
        type: "samples",
        n,
        ids: Uint32Array.from(m.id),
        ts: Float64Array.from(m.t),
        values: Float64Array.from(m.v, (v) => (typeof v === "number" ? v : NaN)),
      };
    }
    case "series": {
      if (!Array.isArray(m.series)) throw new FrameError("series frame without a list");
      const series = m.series.map((e) => {
        if (!e || !isId(e.id) || typeof e.key !== "string") throw new FrameError("series entry without id or key");
        const labels = Object.create(null);
        for (const [k, v] of Object.entries(e.labels ?? {})) {
          if (typeof v !== "string") throw new FrameError("label value is not a string");
          labels[k] = v;
        }
        return { id: e.id, key: e.key, labels };
      });
      return { type: "series", series };
    }
    case "hello":
      return checkHello(m);
    case "status":
      return m;
    default:
      return { type: "unknown", code: m.type };
  }
}
