import type { Node, NodeAPI, NodeDef } from "node-red";
import { isAlert } from "../../lib/detect/alert-shape";
import { Enricher, type EnricherStats } from "../../lib/intel";
import { compactCount } from "../../lib/ingest/rate-meter";
import { refuseConfig } from "../shared/refuse-config";
import { intelFor } from "../ztna-intel/ztna-intel";

interface EnrichDef extends NodeDef {
  intel?: string;
  /** Seconds. */
  timeout?: number | string;
}

const STATUS_EVERY_MS = 1000;
const DEFAULT_TIMEOUT_S = 5;

/** What the status shows: lookups/s, cache hit rate, and the providers that are not well. */
export function enrichStatusText(stats: EnricherStats): string {
  const parts = [stats.lookupsPerSecond > 0 ? `${compactCount(stats.lookupsPerSecond)} lookups/s` : `${compactCount(stats.alerts)} alerts`];
  if (stats.cacheHitRate !== null) parts.push(`${Math.round(stats.cacheHitRate * 100)}% cached`);
  for (const h of stats.degraded.slice(0, 2)) parts.push(`${h.provider}: ${h.detail ?? h.state}`);
  if (stats.degraded.length > 2) parts.push(`+${stats.degraded.length - 2} degraded`);
  return parts.join(" · ");
}

export default function (RED: NodeAPI) {
  function EnrichNode(this: Node, def: EnrichDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const seconds = def.timeout === undefined || def.timeout === "" ? DEFAULT_TIMEOUT_S : Number(def.timeout);
    if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 600) return refuseConfig(node, "invalid configuration: wait at most must be 0.1 to 600 seconds");
    const ref = intelFor(RED, def.intel);
    if (!ref.intel) return refuseConfig(node, ref.problem);
    const intel = ref.intel;
    const enricher = new Enricher({ providers: intel.providers, ownDomains: intel.ownDomains, ownNetworks: intel.ownNetworks, timeoutMs: Math.round(seconds * 1000) });

    let shown = "";
    const showStatus = () => {
      const stats = enricher.stats();
      const text = enrichStatusText(stats);
      if (text === shown) return;
      shown = text;
      node.status({ fill: stats.degraded.length ? "yellow" : "green", shape: stats.lookupsPerSecond > 0 ? "dot" : "ring", text });
    };
    showStatus();
    const timer = setInterval(showStatus, STATUS_EVERY_MS);
    timer.unref();

    node.on("input", (msg, send, done) => {
      const batch = Array.isArray(msg.payload) ? msg.payload : [msg.payload];
      const alerts = batch.filter(isAlert);
      if (alerts.length < batch.length) node.warn(`${batch.length - alerts.length} of ${batch.length} payload items are not alerts; passed on without enrichment`);
      if (alerts.length === 0) {
        send(msg);
        return done();
      }
      enricher.enrichBatch(alerts).then(
        (results) => {
          alerts.forEach((alert, i) => (alert.enrichment = results[i]));
          send(msg);
          showStatus();
          done();
        },
        // The enricher records provider failures in its results; reaching here is a defect, and
        // the alert still goes on.
        (err: Error) => {
          send(msg);
          done(err);
        },
      );
    });

    node.on("close", (done: () => void) => {
      clearInterval(timer);
      node.status({});
      done();
    });
  }

  RED.nodes.registerType("ztna-enrich", EnrichNode);
}
