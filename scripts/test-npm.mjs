// Tests the npm package as a user gets it: packs pkg/ with `npm pack`, installs the tarball into
// a temporary project, type-checks TypeScript against it (Node and bundler resolution), runs
// tests/npm/*.test.mjs there with Node's test runner, and runs the README quick-start verbatim,
// comparing its output with the README's.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, copyFileSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const run = (cmd, args, cwd, opts = {}) =>
  execFileSync(cmd, args, { cwd, stdio: opts.capture ? "pipe" : "inherit", encoding: "utf8" });

const dir = mkdtempSync(join(tmpdir(), "tsdb-wasm-npm-"));
try {
  const tgz = run("npm", ["pack", "--silent", "--pack-destination", dir, join(root, "pkg")], root, { capture: true }).trim().split("\n").pop();
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", join(dir, tgz)], dir);

  const tests = join(root, "tests", "npm");
  for (const f of readdirSync(tests)) copyFileSync(join(tests, f), join(dir, f));

  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const common = ["--noEmit", "--strict", "--skipLibCheck", "false", "--target", "es2022", "--lib", "es2022,dom,esnext.disposable"];
  run("node", [tsc, ...common, "--module", "node16", "--moduleResolution", "node16", "types-node.ts"], dir);
  run("node", [tsc, ...common, "--module", "esnext", "--moduleResolution", "bundler", "types-web.ts"], dir);
  console.log("types: ok (node16 and bundler resolution)");

  // The README quick-start, verbatim: the first ```js block after "## Quick start", whose
  // output must equal the ```text block that follows it.
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.split(/^## Quick start/m)[1] ?? "";
  const code = section.match(/```js\n([\s\S]*?)```/)?.[1];
  const expected = section.match(/```text\n([\s\S]*?)```/)?.[1];
  if (!code || !expected) throw new Error("README: no quick-start js block followed by a text block");
  writeFileSync(join(dir, "quickstart.mjs"), code);
  const out = run("node", ["quickstart.mjs"], dir, { capture: true });
  if (out.trim() !== expected.trim()) {
    throw new Error(`README quick-start output differs:\n--- README\n${expected}\n--- actual\n${out}`);
  }
  console.log("README quick-start: ok");

  const files = readdirSync(dir).filter((f) => f.endsWith(".test.mjs"));
  run("node", ["--test", ...files], dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
