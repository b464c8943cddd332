// Node-RED settings for `npm start`. Everything that varies comes from the environment, so the
// same file serves a laptop and a headless container.
"use strict";
const path = require("node:path");

const dataDir = path.resolve(process.env.ZTNA_DATA_DIR || "data");
const headless = /^(1|true|yes)$/i.test(process.env.ZTNA_HEADLESS || "");

module.exports = {
  uiHost: process.env.ZTNA_HOST || "127.0.0.1",
  uiPort: Number(process.env.PORT || 1880),
  userDir: path.join(dataDir, "node-red"),
  flowFile: "flows.json",
  flowFilePretty: true,
  credentialSecret: process.env.NODE_RED_CREDENTIAL_SECRET || false,
  // The editor and its admin API are off headless; webhooks stay on httpNodeRoot.
  httpAdminRoot: headless ? false : "/",
  httpNodeRoot: "/",
  diagnostics: { enabled: false, ui: false },
  telemetry: { enabled: false },
  contextStorage: {
    default: { module: "memory" },
    file: { module: "localfilesystem" },
  },
  externalModules: { palette: { allowInstall: !headless } },
  logging: {
    console: { level: process.env.ZTNA_LOG_LEVEL || "info", metrics: false, audit: false },
  },
  editorTheme: {
    page: { title: "Cloudflare ZTNA · Node-RED" },
    header: { title: "Cloudflare ZTNA" },
    projects: { enabled: false },
    tours: false,
  },
};
