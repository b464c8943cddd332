#!/usr/bin/env node
// Compiles the TypeScript into dist/ and copies the editor files (HTML, locales, icons) beside
// the compiled nodes, where Node-RED looks for them. `--if-stale` skips the work when nothing
// under the sources changed since the last build.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const dist = path.join(root, "dist");
const stamp = path.join(dist, ".build-stamp");
const sources = ["lib", "nodes", "bench", path.join("test", "stand-ins"), "icons", "tsconfig.json", "package.json"];

function newestMtime(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function isStale() {
  const built = fs.statSync(stamp, { throwIfNoEntry: false });
  if (!built) return true;
  return sources.some((s) => newestMtime(path.join(root, s)) > built.mtimeMs);
}

function copyTree(from, to, keep) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, keep);
    else if (keep(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

/**
 * The four query nodes differ only in what they investigate, so their editor, labels and help are
 * one set of templates (nodes/shared/query-editor/) filled in per kind, not four copies.
 */
function renderQueryEditors() {
  const from = path.join(nodesDir, "shared", "query-editor");
  const kinds = JSON.parse(fs.readFileSync(path.join(from, "kinds.json"), "utf8"));
  const template = (name) => fs.readFileSync(path.join(from, name), "utf8");
  for (const [kind, k] of Object.entries(kinds)) {
    const fill = (text) =>
      text
        .replace(/__KIND__/g, kind)
        .replace(/__PALETTE__/g, k.palette)
        .replace(/__VALUE_LABEL__/g, k.valueLabel)
        .replace(/__WHAT__/g, k.what)
        .replace(/__INTRO__/g, k.intro)
        .replace(/__SUMMARY__/g, k.summary)
        .replace(/__API__/g, k.api);
    const type = `ztna-query-${kind}`;
    const locales = path.join(dist, "nodes", type, "locales", "en-US");
    fs.mkdirSync(locales, { recursive: true });
    fs.writeFileSync(path.join(dist, "nodes", type, `${type}.html`), fill(template("editor.html")));
    fs.writeFileSync(path.join(locales, `${type}.json`), fill(template("labels.json")));
    fs.writeFileSync(path.join(locales, `${type}.html`), fill(template("help.html")));
  }
  fs.rmSync(path.join(dist, "nodes", "shared", "query-editor"), { recursive: true, force: true });
}

if (process.argv.includes("--if-stale") && !isStale()) process.exit(0);

fs.rmSync(dist, { recursive: true, force: true });
try {
  const tsc = path.join(path.dirname(require.resolve("typescript/package.json")), "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { stdio: "inherit", cwd: root });
} catch (err) {
  console.error("build failed: the TypeScript compiler reported errors (above)");
  process.exit(err.status || 1);
}
const nodesDir = path.join(root, "nodes");
copyTree(nodesDir, path.join(dist, "nodes"), (name) => !name.endsWith(".ts"));
renderQueryEditors();
// The built-in detection rules are data read at run time, beside the compiled engine.
copyTree(path.join(root, "lib"), path.join(dist, "lib"), (name) => name.endsWith(".yml"));
for (const type of fs.readdirSync(path.join(dist, "nodes"))) {
  if (!fs.existsSync(path.join(dist, "nodes", type, `${type}.html`))) continue;
  copyTree(path.join(root, "icons"), path.join(dist, "nodes", type, "icons"), () => true);
}
fs.chmodSync(path.join(dist, "lib", "cli", "main.js"), 0o755);
fs.writeFileSync(stamp, new Date().toISOString());
