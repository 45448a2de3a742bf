// A minimal command console over the engine (until the dashboard lands).
import init, { TimeSeriesDB } from "/pkg/web/tsdb_wasm.js";

await init();
const db = new TimeSeriesDB();
const out = document.getElementById("out");
const input = document.getElementById("cmd");

function show(text, isError) {
  const line = document.createElement("div");
  line.textContent = text; // never innerHTML: keys and values are untrusted
  if (isError) line.className = "err";
  out.prepend(line);
}

document.getElementById("console").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  try {
    show(`> ${text}\n${JSON.stringify(db.command(text))}`, false);
  } catch (e) {
    show(`> ${text}\n(error) ${e.message}`, true);
  }
  input.select();
});
