#!/usr/bin/env node
// `npm start`: Node-RED (the devDependency) with this package loaded, running the default flow on
// embedded defaults. Data lives under ZTNA_DATA_DIR (default ./data).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { V8_FLAGS } = require("./v8-flags");

const root = path.resolve(__dirname, "..");
const pkg = require(path.join(root, "package.json"));
const dataDir = path.resolve(process.env.ZTNA_DATA_DIR || "data");
const userDir = path.join(dataDir, "node-red");
const flowFile = path.join(userDir, "flows.json");
const credFile = path.join(userDir, "flows_cred.json");
const source = path.resolve(process.env.ZTNA_FLOWS || path.join(root, "flows", "default.json"));

fs.mkdirSync(path.join(userDir, "node_modules"), { recursive: true });
// Where the default flow reads the user's own IOC files and allowlists: there from the start, so
// the first file dropped in is picked up without a restart.
fs.mkdirSync(path.join(dataDir, "intel", "allow"), { recursive: true });

// Node-RED loads modules from its user directory; a link there loads this checkout as installed.
const link = path.join(userDir, "node_modules", pkg.name);
if (!fs.existsSync(link)) fs.symlinkSync(root, link, "dir");

// The flow is seeded once; edits deployed from the editor are kept across restarts.
if (!fs.existsSync(flowFile)) {
  fs.copyFileSync(source, flowFile);
  console.log(`[ztna] seeded ${flowFile} from ${source}`);
} else {
  console.log(`[ztna] running ${flowFile} (delete it to start again from ${source})`);
}
// Credentials are never stored in the flow: each names the environment variable that holds it.
if (!fs.existsSync(credFile)) {
  const flows = JSON.parse(fs.readFileSync(flowFile, "utf8"));
  const creds = {};
  for (const n of flows) {
    if (n.type === "ztna-logpush-in") creds[n.id] = { secret: "${ZTNA_WEBHOOK_SECRET}" };
    if (n.type === "ztna-account") creds[n.id] = { token: "${CF_API_TOKEN}" };
    if (n.type === "ztna-intel") {
      creds[n.id] = {
        abuseipdbKey: "${ABUSEIPDB_API_KEY}",
        greynoiseKey: "${GREYNOISE_API_KEY}",
        virustotalKey: "${VIRUSTOTAL_API_KEY}",
        otxKey: "${OTX_API_KEY}",
        abusechKey: "${ABUSECH_AUTH_KEY}",
      };
    }
  }
  fs.writeFileSync(credFile, JSON.stringify(creds, null, 2));
}
if (!process.env.ZTNA_WEBHOOK_SECRET) {
  console.warn("[ztna] ZTNA_WEBHOOK_SECRET is not set: the Logpush webhook answers 401 to every request");
}

// ZTNA_NODE_RED_DIR runs another Node-RED installation (the test suite uses it for Node-RED 5).
const nodeRedPkg = require.resolve("node-red/package.json", process.env.ZTNA_NODE_RED_DIR ? { paths: [path.resolve(process.env.ZTNA_NODE_RED_DIR)] } : undefined);
const red = path.join(path.dirname(nodeRedPkg), "red.js");
const child = spawn(
  process.execPath,
  [...V8_FLAGS, red, "--settings", path.join(__dirname, "node-red-settings.js"), "--userDir", userDir, flowFile],
  { stdio: "inherit", env: { ...process.env, ZTNA_DATA_DIR: dataDir } },
);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(signal ? 0 : (code ?? 1)));
