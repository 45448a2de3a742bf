// Reference decoder for tsdb-server's WebSocket frames (server/PROTOCOL.md), plain ES
// module, no dependencies. Browser: `ws.binaryType = "arraybuffer"`, then
//   const msg = typeof ev.data === "string" ? decodeJson(ev.data) : decodeBinary(ev.data);
//
// Samples come out columnar — { ids, ts, values } as typed arrays — the shape the engine's
// batch ingest takes. On little-endian hosts (every browser in practice) `values`, and
// `ids`, are zero-copy views into the frame's ArrayBuffer; `ts` is one Float64Array.
// Unknown message types decode to { type: "unknown" } so newer servers do not break
// older clients; an unknown protocol version or a malformed frame throws.

export const PROTOCOL_VERSION = 1;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const REASONS = ["periodic", "drops", "live"];
const utf8 = new TextDecoder("utf-8", { fatal: true });

function need(buf, end) {
  if (end > buf.byteLength) throw new Error(`truncated frame: need ${end} bytes, have ${buf.byteLength}`);
}

/** Decode one binary frame (an ArrayBuffer holding exactly the message). */
export function decodeBinary(buf) {
  need(buf, 8);
  const dv = new DataView(buf);
  const version = dv.getUint8(0);
  if (version !== PROTOCOL_VERSION) throw new Error(`unsupported protocol version ${version}`);
  const type = dv.getUint8(1);
  const flags = dv.getUint8(2);
  const count = dv.getUint32(4, true);
  switch (type) {
    case 1: {
      need(buf, 8 + count);
      return JSON.parse(utf8.decode(new Uint8Array(buf, 8, count)));
    }
    case 2: {
      let off = 8;
      const str = () => {
        need(buf, off + 2);
        const len = dv.getUint16(off, true);
        need(buf, off + 2 + len);
        const s = utf8.decode(new Uint8Array(buf, off + 2, len));
        off += 2 + len;
        return s;
      };
      const series = [];
      for (let i = 0; i < count; i++) {
        need(buf, off + 4);
        const id = dv.getUint32(off, true);
        off += 4;
        const key = str();
        need(buf, off + 2);
        const nLabels = dv.getUint16(off, true);
        off += 2;
        const labels = {};
        for (let j = 0; j < nLabels; j++) {
          const name = str();
          labels[name] = str();
        }
        series.push({ id, key, labels });
      }
      return { type: "series", series };
    }
    case 3: {
      const n = count;
      const smallIds = (flags & 1) !== 0;
      const absoluteTs = (flags & 2) !== 0;
      const tsStart = 16 + 8 * n;
      const idStart = tsStart + (absoluteTs ? 8 : 4) * n;
      need(buf, idStart + (smallIds ? 2 : 4) * n);
      const base = dv.getFloat64(8, true);
      let values, ids;
      const ts = new Float64Array(n);
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

/** Decode one JSON text frame; samples get the same typed-array shape as binary. */
export function decodeJson(text) {
  const m = JSON.parse(text);
  if (m.type === "samples") {
    return {
      type: "samples",
      n: m.n,
      ids: Uint32Array.from(m.id),
      ts: Float64Array.from(m.t),
      values: Float64Array.from(m.v, (v) => (v === null ? NaN : v)),
    };
  }
  if (m.type === "hello" || m.type === "series" || m.type === "status") return m;
  return { type: "unknown", code: m.type };
}
