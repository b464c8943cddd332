import type { Node, NodeAPI, NodeDef, NodeMessage } from "node-red";
import {
  investigate,
  isAlert,
  notInvestigated,
  parseQueryConfig,
  statusLine,
  windowAround,
  WorkGate,
  type Investigation,
  type InvestigationKind,
  type QueryConfigInput,
  type QuerySettings,
} from "../../lib/investigate";
import { accountFor } from "../ztna-account/ztna-account";
import { storeFor } from "../ztna-store/ztna-store";
import { refuseConfig } from "./refuse-config";

interface QueryDef extends NodeDef, QueryConfigInput {
  store?: string;
  account?: string;
}

/** Investigations of one node running at once, and waiting; beyond that an alert goes on uninvestigated. */
const MAX_ACTIVE = 4;
const MAX_QUEUED = 200;

/**
 * Registers one of the four query nodes (`ztna-query-ip`, `-host`, `-risk`, `-user`): they differ
 * only in the kind of investigation, so one adapter serves them all. The node reads the value,
 * runs the investigation over the configured store and account, puts the result on the alert
 * (`msg.payload.investigation.<kind>`) and sends the message on, whatever the backends did.
 */
export function registerQueryNode(RED: NodeAPI, kind: InvestigationKind): void {
  function QueryNode(this: Node, def: QueryDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const parsed = parseQueryConfig(def);
    if (!parsed.ok) return refuseConfig(node, `invalid configuration: ${parsed.error}`);
    const cfg = parsed.value;
    // Either backend may be missing: the result says why, and the other one still answers.
    const store = storeFor(RED, def.store);
    const account = accountFor(RED, def.account);
    const backends = { store: store.store, storeProblem: store.problem ?? undefined, client: account.client, apiProblem: account.problem ?? undefined };
    if (!store.store && !account.client) node.status({ fill: "grey", shape: "ring", text: "no event store or Cloudflare account" });
    else node.status({});
    const gate = new WorkGate(MAX_ACTIVE, MAX_QUEUED);

    node.on("input", (msg, send, done) => {
      const alert = isAlert(msg.payload) ? msg.payload : undefined;
      const skipped = (problem: string) => notInvestigated(kind, problem, windowAround(alert, cfg.beforeMs, cfg.afterMs, Date.now()));
      const opts = { beforeMs: cfg.beforeMs, afterMs: cfg.afterMs, cap: cfg.cap, timeoutMs: cfg.timeoutMs };
      valueOf(RED, node, cfg, msg)
        .then(
          (value) => {
            const work = gate.run(() => investigate(kind, { alert, value }, backends, opts));
            return work === "full" ? skipped(`not investigated: ${MAX_QUEUED} investigations are waiting already`) : work;
          },
          (err: Error) => skipped(`the value could not be read: ${err.message}`),
        )
        // investigate() reports failures in its result; anything else still must not cost the alert.
        .catch((err: Error) => skipped(`the investigation failed: ${err.message}`))
        .then((result) => {
          attach(msg, kind, result);
          node.status(statusLine(result));
          send(msg);
          done();
        });
    });
  }

  RED.nodes.registerType(`ztna-query-${kind}`, QueryNode);
}

/** The configured value: none for `alert` (the investigation reads the alert), else the typed input's. */
function valueOf(RED: NodeAPI, node: Node, cfg: QuerySettings, msg: NodeMessage): Promise<unknown> {
  if (cfg.valueType === "alert") return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    // Flow and global context may live in a store that answers asynchronously.
    RED.util.evaluateNodeProperty(cfg.value, cfg.valueType, node, msg, (err: Error | null, value: unknown) => (err ? reject(err) : resolve(value)));
  });
}

/**
 * The result goes on the alert, beside the other investigations and the enrichment; a payload
 * that is no object (a timestamp from an inject node) is replaced by one holding the result.
 */
function attach(msg: NodeMessage, kind: InvestigationKind, result: Investigation): void {
  const payload = msg.payload;
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    msg.payload = { investigation: { [kind]: result } };
    return;
  }
  const holder = payload as { investigation?: unknown };
  if (holder.investigation === null || typeof holder.investigation !== "object" || Array.isArray(holder.investigation)) holder.investigation = {};
  (holder.investigation as Record<string, unknown>)[kind] = result;
}
