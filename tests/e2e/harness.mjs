// End-to-end harness: the real telemetry server on a free port and Debian's Chromium driven
// by playwright-core (never a downloaded browser). Shared by tests/e2e/*.test.mjs and
// bench/dashboard.mjs.
//
// The server binary: $TSDB_SERVER_BIN, else <$CARGO_TARGET_DIR or target>/debug/tsdb-server
// (`make test-e2e` builds it with `cargo build -p tsdb-server`).

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export function serverBin(profile = "debug") {
  if (process.env.TSDB_SERVER_BIN) return process.env.TSDB_SERVER_BIN;
  return join(resolve(ROOT, process.env.CARGO_TARGET_DIR ?? "target"), profile, "tsdb-server");
}

export const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Start tsdb-server; resolves once /healthz answers. `stop()` ends it (SIGTERM, then SIGKILL). */
export async function startServer({ port, args = [], bin = serverBin() }) {
  if (!existsSync(bin)) throw new Error(`no server binary at ${bin}: run \`cargo build -p tsdb-server\` (or set TSDB_SERVER_BIN)`);
  const proc = spawn(bin, ["--host", "127.0.0.1", "--port", String(port), "--root", ROOT, "--quiet", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stdout.on("data", (d) => (log += d));
  proc.stderr.on("data", (d) => (log += d));
  const exited = new Promise((r) => proc.once("exit", (code, sig) => r({ code, sig })));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`tsdb-server exited: ${log}`);
    try {
      if ((await fetch(`${url}healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`tsdb-server did not come up on ${port}: ${log}`);
    }
    await sleep(50);
  }
  return {
    url,
    port,
    proc,
    log: () => log,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Chromium with a fresh profile; `close()` also removes the profile. */
export async function launchBrowser({ colorScheme = "dark", viewport = { width: 1440, height: 900 } } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "tsdb-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    colorScheme,
    acceptDownloads: true,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Open the dashboard and record CSP violations and page errors for later assertions. */
export async function openDashboard(context, url) {
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto(url);
  return { page, problems };
}

/** Wait until `fn` (run in the page) returns truthy; returns its value. */
export async function until(page, fn, arg, { timeout = 20_000, what = "condition" } = {}) {
  try {
    const h = await page.waitForFunction(fn, arg, { timeout, polling: 100 });
    return await h.jsonValue();
  } catch (e) {
    throw new Error(`timed out waiting for ${what}: ${e.message.split("\n")[0]}`);
  }
}
