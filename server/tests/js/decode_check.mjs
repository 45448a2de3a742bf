// Test driver for the dashboard's decoder (www/protocol.js): reads frames recorded by
// tests/js_decoder.rs (u8 kind 0=text 1=binary, u32 LE length, bytes; repeated),
// decodes each and prints one normalised JSON line per
// frame. Values are printed as hex bit patterns so -0, subnormals and NaN compare
// exactly.
import { readFileSync } from "node:fs";
import { decodeBinary, decodeJson } from "../../../www/protocol.js";

const bits = (x) => {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x, true);
  return dv.getBigUint64(0, true).toString(16).padStart(16, "0");
};

const data = readFileSync(process.argv[2]);
let off = 0;
while (off < data.length) {
  const kind = data[off];
  const len = data.readUInt32LE(off + 1);
  const bytes = data.subarray(off + 5, off + 5 + len);
  off += 5 + len;
  let m;
  if (kind === 0) m = decodeJson(bytes.toString("utf8"));
  else {
    // A fresh ArrayBuffer holding exactly the frame, as a browser's binaryType="arraybuffer" gives.
    const ab = new ArrayBuffer(len);
    new Uint8Array(ab).set(bytes);
    m = decodeBinary(ab);
  }
  if (m.type === "samples") {
    m = { type: "samples", ids: Array.from(m.ids), ts: Array.from(m.ts), values: Array.from(m.values, bits) };
  }
  console.log(JSON.stringify(m));
}
