// Headless runner of the benchmark page: starts bench/server.mjs, drives Debian's Chromium with
// playwright-core (never downloads a browser), waits for `window.benchDone`, prints a Markdown
// table and writes bench/results/latest.json with the machine's description.
//
//   node bench/run.mjs                       the full run (about 3–5 minutes on 2 cores)
//   node bench/run.mjs --quick               1 M samples, fewer runs → bench/results/quick.json
//   node bench/run.mjs --params "skip=duckdb&runs=3"   extra page parameters
//   CHROMIUM=/path/to/chrome node bench/run.mjs

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServer } from "./server.mjs";
import { cells, HEADER } from "./harness.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const loadAtStart = os.loadavg(); // other work on the machine skews every figure: recorded with them
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const opt = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const quick = flag("--quick");
const params = new URLSearchParams(quick ? "n=1000000&runs=2&light=5&labels=10000&mseries=100" : "");
for (const [k, v] of new URLSearchParams(opt("--params", ""))) params.set(k, v);
const out = opt("--out", path.join(HERE, "results", quick ? "quick.json" : "latest.json"));
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const timeoutMs = Number(opt("--timeout", 15 * 60)) * 1000;

function machine() {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
  let chromiumVersion = "unknown";
  try {
    chromiumVersion = execFileSync(executablePath, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {}
  let commit = "unknown";
  try {
    const git = (...a) => execFileSync("git", a, { cwd: HERE, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    commit = `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--", "../src").length ? " + uncommitted src/ changes" : ""}`;
  } catch {}
  const wasm = path.join(HERE, "../pkg/web/tsdb_wasm_bg.wasm");
  return {
    engine: { commit, wasmBytes: fs.existsSync(wasm) ? fs.statSync(wasm).size : undefined },
    cpu: model,
    cores: os.cpus().length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    chromium: chromiumVersion,
    node: process.version,
  };
}

const server = await startServer();
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tsdb-bench-chromium-"));
let context;
let exitCode = 0;
try {
  // headless: false + an explicit --headless=new: Playwright would otherwise add its own --headless.
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: false,
    args: [
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => {
    if (m.text().startsWith("[bench]") || m.type() === "error") console.error(m.text());
  });
  let pageError;
  page.on("pageerror", (e) => {
    console.error(`page error: ${e.message}`);
    pageError ??= e;
  });
  const url = `${server.url}/bench/index.html${params.size ? `?${params}` : ""}`;
  console.error(`opening ${url}`);
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => window.benchDone === true, null, { timeout: timeoutMs, polling: 1000 });
  if (pageError) console.error("(an uncaught page error was reported above)");
  const results = await page.evaluate(() => window.benchResults);
  const error = await page.evaluate(() => window.benchError);
  if (error || !results) throw new Error(`the page failed: ${error ?? "no results"}`);
  const loadAverage = { atStart: loadAtStart, atEnd: os.loadavg() };
  const report = { machine: { ...machine(), loadAverage }, date: new Date().toISOString(), wallSeconds: (Date.now() - t0) / 1e3, ...results };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 1)}\n`);

  const m = report.machine;
  console.log(`tsdb-wasm benchmarks — ${report.date.slice(0, 10)}, ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), ${m.chromium}, ${m.os}`);
  console.log(`engine ${m.engine.commit}; cross-origin isolated: ${results.meta.crossOriginIsolated}, timer resolution ${results.meta.timerResolutionMs.toFixed(3)} ms, wall ${report.wallSeconds.toFixed(0)} s; load average (1/5/15 min) ${loadAtStart.map((x) => x.toFixed(1)).join(" ")} at start\n`);
  const line = (cs) => `| ${cs.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`;
  console.log(line(HEADER));
  console.log(line(HEADER.map(() => "---")));
  for (const r of results.rows) console.log(line(cells(r)));
  console.log(`\nwritten: ${path.relative(process.cwd(), out)}`);
  if (results.rows.some((r) => r.status === "error" || /WRONG/.test(r.note ?? ""))) exitCode = 1;
} catch (e) {
  console.error(e?.stack ?? e);
  exitCode = 1;
} finally {
  await context?.close().catch(() => {});
  await server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(exitCode);
