// Assembles the npm package in pkg/ from the two wasm-pack builds (pkg/web: browsers and
// bundlers, ES module with `init`; pkg/node: Node, CommonJS, loads the wasm synchronously) and
// pkg.json, merged over the manifest fields Cargo.toml gives (wasm-pack runs with --no-pack).
import { readFileSync, writeFileSync, copyFileSync, rmSync, existsSync } from "node:fs";

const read = (p) => JSON.parse(readFileSync(p, "utf8"));
// What Cargo.toml says (repository...), then pkg.json over it.
const cargo = readFileSync("Cargo.toml", "utf8");
const field = (name) => (cargo.match(new RegExp(`^${name} = "(.*)"$`, "m")) || [])[1];
const generated = {
  name: field("name"),
  version: field("version"),
  description: field("description"),
  license: field("license"),
  repository: { type: "git", url: field("repository") },
};
const merged = { ...generated, ...read("pkg.json") };
if (merged.version !== generated.version) {
  throw new Error(`pkg.json version ${merged.version} differs from Cargo.toml ${generated.version}`);
}
writeFileSync("pkg/package.json", JSON.stringify(merged, null, 2) + "\n");

// Each build keeps a minimal manifest so Node reads node/ as CommonJS and web/ as ES modules.
writeFileSync("pkg/node/package.json", JSON.stringify({ type: "commonjs" }) + "\n");
writeFileSync("pkg/web/package.json", JSON.stringify({ type: "module" }) + "\n");
for (const dir of ["pkg/web", "pkg/node"]) {
  for (const f of [".gitignore", "README.md", "LICENSE"]) {
    if (existsSync(`${dir}/${f}`)) rmSync(`${dir}/${f}`);
  }
}
copyFileSync("README.md", "pkg/README.md");
copyFileSync("LICENSE", "pkg/LICENSE");
console.log(`pkg/: ${merged.name}@${merged.version}`);
