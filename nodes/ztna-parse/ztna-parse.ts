import type { Node, NodeAPI, NodeDef, NodeMessage } from "node-red";
import { compactCount, RateMeter } from "../../lib/ingest/rate-meter";
import { parseBatch } from "../../lib/parsers";
import { routeBySource } from "../../lib/parsers/route-by-source";

interface ParseDef extends NodeDef {
  split?: unknown;
}

/** Records reported one by one per batch; the rest are summed up in one report. */
const ERRORS_REPORTED = 10;
const STATUS_EVERY_MS = 1000;

export default function (RED: NodeAPI) {
  function ParseNode(this: Node, def: ParseDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const bySource = def.split === true || def.split === "true";
    const rate = new RateMeter();
    let total = 0;
    let failed = 0;
    let shown = "";

    const showStatus = () => {
      const perSecond = rate.perSecond();
      const head = perSecond > 0 ? `${compactCount(perSecond)} ev/s` : total > 0 ? "idle" : "waiting";
      const text = `${head} · ${compactCount(total)} events${failed ? ` · ${compactCount(failed)} failed` : ""}`;
      if (text === shown) return;
      shown = text;
      node.status({ fill: failed ? "yellow" : "green", shape: perSecond > 0 ? "dot" : "ring", text });
    };
    const timer = setInterval(showStatus, STATUS_EVERY_MS);
    timer.unref();

    node.on("input", (msg, send, done) => {
      const declared = typeof msg.topic === "string" ? msg.topic : undefined;
      const { events, errors } = parseBatch(msg.payload, declared);
      total += events.length;
      failed += errors.length;
      rate.add(events.length);
      errors.slice(0, ERRORS_REPORTED).forEach((e) => {
        const report = { topic: e.dataset, payload: Array.isArray(msg.payload) ? msg.payload[e.index] : msg.payload, index: e.index, code: e.code };
        node.error(new Error(`record ${e.index} of the ${e.dataset} batch: ${e.reason}`), report as NodeMessage);
      });
      if (errors.length > ERRORS_REPORTED) {
        node.error(new Error(`${errors.length} records of the batch could not be normalized; the first ${ERRORS_REPORTED} were reported`), { topic: declared, payload: null } as NodeMessage);
      }
      if (bySource) {
        send(routeBySource(events).map((group) => (group ? ({ ...msg, payload: group } as NodeMessage) : null)));
      } else if (events.length > 0) {
        msg.payload = events;
        send(msg);
      }
      showStatus();
      done();
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      clearInterval(timer);
      node.status({});
      done();
    });
  }

  RED.nodes.registerType("ztna-parse", ParseNode);
}
