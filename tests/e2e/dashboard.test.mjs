// The dashboard end to end: the real server (seeded generator, a malformed frame after every
// 40 samples frames via its --test-malformed-every hook), the real page in headless Chromium.
// Run: `make test-e2e`, or `node --test tests/e2e/` after `make pkg` and
// `cargo build -p tsdb-server`. Saves docs/dashboard.png.
//
// The steps share one server and one page and run in order (a step may rely on the previous
// one having brought live data in).

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { freePort, launchBrowser, openDashboard, ROOT, startServer, until } from "./harness.mjs";

const SERVER_ARGS = ["--hosts", "20", "--rate", "10", "--seed", "42", "--buffer-seconds", "60", "--test-malformed-every", "40"];
const PERIOD_MS = 100; // 10 Hz
const KEY = "cpu:host-00";

let server, browser, page, problems, port;

const stats = () => page.evaluate(() => window.tsdb.stats());
const command = (text) => page.evaluate((t) => window.tsdb.command(t), text);
const connState = () => page.evaluate(() => document.getElementById("conn").dataset.state);

/** Timestamps of KEY held by the page's engine. */
async function held(key = KEY) {
  const rows = await command(`TS.RANGE ${key} - +`);
  return rows.map((r) => r[0]);
}

function holes(ts, period) {
  const out = [];
  for (let i = 1; i < ts.length; i++) if (ts[i] - ts[i - 1] !== period) out.push([ts[i - 1], ts[i]]);
  return out;
}

describe("dashboard", { timeout: 150_000 }, () => {
  before(async () => {
    port = await freePort();
    server = await startServer({ port, args: SERVER_ARGS });
    browser = await launchBrowser({ colorScheme: "dark" });
    ({ page, problems } = await openDashboard(browser.context, server.url));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("connects, ingests the live stream and says so", async () => {
    await until(page, () => window.tsdb?.stats()?.samples > 2000 && document.getElementById("conn").dataset.state === "live", null, {
      what: "live data",
    });
    const s = await stats();
    assert.equal(s.series, 180, "20 hosts × 9 metrics announced and created");
    assert.ok(s.ingestRate > 0);
    assert.equal(s.ingestErrors, 0, s.lastError);
    assert.match(await page.textContent("#conn-text"), /live/);
  });

  it("draws charts (non-blank canvas pixels)", async () => {
    await until(page, () => document.querySelectorAll("#grid .card canvas").length >= 8, null, { what: "8 charts" });
    await page.waitForTimeout(600); // a few frames: staggered drawing reaches every chart
    const painted = await page.evaluate(() =>
      [...document.querySelectorAll("#grid .card canvas")].slice(0, 8).map((c) => {
        const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
        let ink = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
        return ink / (c.width * c.height);
      }),
    );
    for (const share of painted) assert.ok(share > 0.01, `a chart has ink on ${(share * 100).toFixed(2)} % of its pixels`);
    const titles = await page.$$eval("#grid .card h3", (h) => h.map((x) => x.textContent));
    assert.equal(titles.length, 20, "20 charts of 180 series");
    assert.ok(titles.includes(KEY));
    // The screenshot shows steady-state figures, not the start-up burst.
    await page.evaluate(() => window.tsdb.reset());
    await page.waitForTimeout(2500);
    await page.screenshot({ path: join(ROOT, "docs/dashboard.png") });
  });

  it("narrows the series with a label filter, and groups them", async () => {
    const filter = "metric=cpu region=(us-east,eu-west)";
    await page.fill("#filter", filter);
    await page.press("#filter", "Enter");
    await until(page, () => [...document.querySelectorAll("#grid .card h3")].every((h) => h.textContent.startsWith("cpu:")), null, {
      what: "cpu charts only",
    });
    const titles = await page.$$eval("#grid .card h3", (h) => h.map((x) => x.textContent));
    assert.ok(titles.length > 0 && titles.length < 20, `${titles.length} charts`);
    for (const t of titles) {
      const labels = Object.fromEntries((await command(`TS.INFO ${t}`)).reduce((acc, v, i, a) => (i % 2 ? acc : [...acc, [v, a[i + 1]]]), []))
        .labels;
      const region = labels.find(([k]) => k === "region")[1];
      assert.ok(["us-east", "eu-west"].includes(region), `${t} is in ${region}`);
    }
    assert.equal(await page.getAttribute("#filter", "aria-invalid"), "false");
    assert.match(await page.textContent("#matched"), new RegExp(`^${titles.length} series`));

    await page.selectOption("#groupby", "region");
    await until(page, () => [...document.querySelectorAll("#grid .card h3")].map((h) => h.textContent).join() === "region=eu-west,region=us-east", null, {
      what: "one chart per region",
    });
    await page.selectOption("#groupby", "");

    await page.fill("#filter", "metric=(cpu");
    await page.press("#filter", "Enter");
    await until(page, () => document.getElementById("filter-error").textContent.includes("ERR TSDB"), null, { what: "a filter error" });
    await page.fill("#filter", "");
    await page.press("#filter", "Enter");
    await until(page, () => document.querySelectorAll("#grid .card").length === 20, null, { what: "all series again" });
  });

  it("answers TS.INFO in the console, and shows errors plainly", async () => {
    await page.fill("#console-in", `TS.INFO ${KEY}`);
    await page.press("#console-in", "Enter");
    await until(page, () => document.getElementById("console-out").textContent.includes('"totalSamples"'), null, { what: "TS.INFO reply" });
    const out = await page.textContent("#console-out");
    assert.match(out, /"labels"/);
    assert.match(out, /"host-00"/);
    await page.fill("#console-in", "TS.RANGE no:such:key - +");
    await page.press("#console-in", "Enter");
    await until(page, () => document.querySelector("#console-out .err")?.textContent.includes("the key does not exist"), null, {
      what: "an error line",
    });
    await page.press("#console-in", "ArrowUp");
    assert.equal(await page.inputValue("#console-in"), "TS.RANGE no:such:key - +", "history recalls the last command");
    await page.fill("#console-in", "");
  });

  it("counts malformed frames and keeps streaming", async () => {
    const s1 = await until(page, () => window.tsdb.stats().badFrames >= 3 && window.tsdb.stats(), null, { what: "3 bad frames" });
    await page.waitForTimeout(1200);
    const s2 = await stats();
    assert.ok(s2.samples > s1.samples, "samples keep coming after bad frames");
    assert.ok(s2.badFrames > s1.badFrames, "and bad frames keep being counted");
    assert.equal(s2.connects, 1, "a bad frame never drops the connection");
    assert.ok(s2.badReason.length > 0);
    const shown = Number((await page.textContent('#stats dd[data-stat="bad"]')).replace(/\D/g, ""));
    assert.ok(shown > 0, "the stats panel shows them");
  });

  it("exports what a chart shows as CSV", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#grid .card .csv")]);
    const text = await readFile(await download.path(), "utf8");
    const lines = text.trim().split("\n");
    assert.match(lines[0], /^# /);
    assert.equal(lines[1], "timestamp_ms,time_utc,value");
    assert.ok(lines.length > 50, `${lines.length} lines`);
    const [t, iso, v] = lines[2].split(",");
    assert.equal(new Date(Number(t)).toISOString(), iso);
    assert.ok(Number.isFinite(Number(v)));
  });

  it("resumes without a gap after a server restart", async () => {
    await until(page, () => window.tsdb.stats().lastTs > 0, null, { what: "data" });
    const before = await held();
    assert.deepEqual(holes(before, PERIOD_MS), [], "no hole before the restart");
    const stoppedAt = Date.now();
    await server.stop();
    await until(page, () => document.getElementById("conn").dataset.state === "reconnecting", null, { what: "offline state" });
    assert.match(await page.textContent("#conn-text"), /offline/);
    await new Promise((r) => setTimeout(r, 1500));
    server = await startServer({ port, args: SERVER_ARGS });
    const restartedAt = Date.now();
    await until(page, (t) => window.tsdb.stats().lastTs > t + 1500 && document.getElementById("conn").dataset.state === "live", restartedAt, {
      timeout: 30_000,
      what: "live again after the restart",
    });
    const afterTs = await held();
    assert.ok(afterTs[0] <= before[0], "nothing held was lost");
    assert.ok(afterTs[0] < stoppedAt - 1000 && afterTs[afterTs.length - 1] > restartedAt + 1000, "the series spans the restart");
    assert.deepEqual(holes(afterTs, PERIOD_MS), [], `every ${PERIOD_MS} ms across the restart, nothing missing, nothing twice`);
    const s = await stats();
    assert.equal(s.dropped, 0);
    assert.ok(s.connects >= 2);
  });

  it("keeps data across a reload with a snapshot in IndexedDB", async (t) => {
    const caps = await page.evaluate(() => window.tsdb.caps);
    if (!caps.snapshot) {
      t.todo("pending: the engine has no db.snapshot() / TimeSeriesDB.restore() yet; this step runs as soon as it does");
      return;
    }
    assert.equal(await page.isDisabled("#persist"), false);
    await page.check("#persist");
    await until(page, () => window.tsdb.stats().persist.lastSavedAt > 0, null, { what: "a first snapshot" });
    // Stop the stream, save, then serve the page again from a server *without* backfill: its
    // buffer starts empty, so whatever the page holds up to then came from the snapshot.
    await server.stop();
    await until(page, () => document.getElementById("conn").dataset.state === "reconnecting", null, { what: "offline state" });
    const saved = await page.evaluate(() => window.tsdb.persistNow());
    assert.equal(saved.error ?? "", "");
    const heldBefore = await held();
    server = await startServer({ port, args: [...SERVER_ARGS, "--no-backfill"] });
    await page.reload();
    const restored = await until(page, () => window.tsdb?.stats()?.persist?.restored, null, { what: "restore" });
    assert.ok(restored.samples > 0);
    const last = heldBefore[heldBefore.length - 1];
    const heldAfter = (await held()).filter((t) => t <= last);
    assert.deepEqual(heldAfter, heldBefore, `the ${heldBefore.length} samples of ${KEY} survive the reload`);
    assert.equal(await page.isChecked("#persist"), true, "the choice is remembered");
    await page.evaluate(() => localStorage.removeItem("tsdb-wasm.persist"));
  });

  it("ran under the server's CSP without violations or page errors", async () => {
    const csp = await page.evaluate(() => window.__csp ?? []);
    assert.deepEqual(csp, []);
    assert.deepEqual(problems, []);
  });
});
