#!/usr/bin/env node
// The example flows under examples/ are the source; each flows/<name>.json that `npm start` can
// run is the concatenation of the examples that flows/manifest.json lists for it. `--check` fails
// when a committed flows file differs from what the examples give.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");

function compose() {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "flows", "manifest.json"), "utf8"));
  const out = {};
  for (const [target, examples] of Object.entries(manifest)) {
    const nodes = examples.flatMap((name) => JSON.parse(fs.readFileSync(path.join(root, "examples", name), "utf8")));
    const ids = new Set();
    for (const n of nodes) {
      if (ids.has(n.id)) throw new Error(`${target}: node id ${n.id} appears in more than one example`);
      ids.add(n.id);
    }
    out[target] = `${JSON.stringify(nodes, null, 2)}\n`;
  }
  return out;
}

const check = process.argv.includes("--check");
let stale = 0;
for (const [target, text] of Object.entries(compose())) {
  const file = path.join(root, "flows", target);
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  if (current === text) continue;
  if (check) {
    console.error(`flows/${target} is out of date: run npm run build:flows`);
    stale++;
  } else {
    fs.writeFileSync(file, text);
    console.log(`wrote flows/${target}`);
  }
}
process.exit(stale ? 1 : 0);
