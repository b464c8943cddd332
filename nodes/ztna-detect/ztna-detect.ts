import os from "node:os";
import path from "node:path";
import type { Node, NodeAPI, NodeDef, NodeMessage } from "node-red";
import { ruleCatalog, type DetectionEngine } from "../../lib/detect";
import { assembleRules, buildEngine, parseDetectConfig, type DetectConfigInput } from "../../lib/detect/detect-settings";
import { toEvents } from "../../lib/detect/to-events";
import { compactCount, RateMeter } from "../../lib/ingest/rate-meter";
import { readJsonFile, safeFileName, writeJsonFileAtomic } from "../../lib/storage/json-file";
import { refuseConfig } from "../shared/refuse-config";

interface DetectDef extends NodeDef, DetectConfigInput {}

const STATUS_EVERY_MS = 1000;
/** How often changed detection state is written out, besides on close. */
const SAVE_EVERY_MS = 60_000;
/** Records of a batch that could not be normalized, reported one by one; the rest are counted. */
const ERRORS_REPORTED = 10;

export default function (RED: NodeAPI) {
  // The editor's rule catalog: built-in rules plus a folder's, with load errors. Read-only, but
  // it reads files named by the caller, so it sits behind the node type's read permission.
  RED.httpAdmin.get("/ztna/rules", RED.auth.needsPermission("ztna-detect.read"), (req, res) => {
    const dir = typeof req.query.dir === "string" ? req.query.dir : "";
    const { rules, errors } = assembleRules(dir);
    res.json({ rules: ruleCatalog(rules), errors });
  });

  function DetectNode(this: Node, def: DetectDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const parsed = parseDetectConfig(def);
    if (!parsed.ok) return refuseConfig(node, `invalid configuration: ${parsed.error}`);
    const cfg = parsed.value;
    const { rules, errors } = assembleRules(cfg.rulesDir);
    for (const e of errors) node.warn(`rule refused: ${e.file}:${e.line}: ${e.reason}`);
    let engine: DetectionEngine;
    try {
      engine = buildEngine(rules, cfg);
    } catch (err) {
      return refuseConfig(node, `invalid rule overrides: ${(err as Error).message}`);
    }
    for (const w of engine.warnings) node.warn(w);

    const userDir = (RED.settings as { userDir?: string }).userDir || os.tmpdir();
    const stateFile = path.join(userDir, "ztna", "state", safeFileName(`detect-${node.id}`));
    let restored = false;
    let dirty = false;
    const restoring = readJsonFile(stateFile)
      .then(({ value, warning }) => {
        if (warning) node.warn(`detection state ${warning}; starting afresh`);
        if (value !== undefined) engine.restore(value);
      })
      .catch((err: Error) => node.warn(`detection state could not be read: ${err.message}; starting afresh`))
      .finally(() => {
        restored = true;
      });
    const save = async () => {
      if (!dirty) return;
      dirty = false;
      await writeJsonFileAtomic(stateFile, engine.snapshot()).catch((err: Error) => node.warn(`detection state could not be saved: ${err.message}`));
    };
    const saver = setInterval(() => void save(), SAVE_EVERY_MS);
    saver.unref();

    const rate = new RateMeter();
    let events = 0;
    let alerts = 0;
    let shown = "";
    const showStatus = () => {
      const perSecond = rate.perSecond();
      const head = perSecond > 0 ? `${compactCount(perSecond)} ev/s` : events > 0 ? "idle" : `${engine.stats().rules.active} rules`;
      const text = `${head} · ${compactCount(alerts)} alert${alerts === 1 ? "" : "s"}${errors.length ? ` · ${errors.length} rules refused` : ""}`;
      if (text === shown) return;
      shown = text;
      node.status({ fill: errors.length ? "yellow" : alerts ? "red" : "green", shape: perSecond > 0 ? "dot" : "ring", text });
    };
    showStatus();
    const timer = setInterval(showStatus, STATUS_EVERY_MS);
    timer.unref();

    node.on("input", (msg, send, done) => {
      const run = () => {
        const batch = toEvents(msg.payload, typeof msg.topic === "string" ? msg.topic : undefined);
        batch.errors.slice(0, ERRORS_REPORTED).forEach((e) => {
          node.error(new Error(`record ${e.index} of the ${e.dataset} batch: ${e.reason}`), { topic: e.dataset, payload: null, index: e.index } as NodeMessage);
        });
        const found = engine.process(batch.events);
        dirty = true;
        events += batch.events.length;
        alerts += found.length;
        rate.add(batch.events.length);
        for (const alert of found) send([{ topic: alert.rule.id, payload: alert } as NodeMessage, null]);
        if (cfg.telemetry && batch.events.length > 0) send([null, { ...msg, payload: batch.events } as NodeMessage]);
        showStatus();
        done();
      };
      // The first batches wait for the saved state, so a restart never alerts on what it knew.
      if (restored) run();
      else restoring.then(run, done);
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      clearInterval(timer);
      clearInterval(saver);
      restoring.then(save).finally(() => {
        node.status({});
        done();
      });
    });
  }

  RED.nodes.registerType("ztna-detect", DetectNode);
}
