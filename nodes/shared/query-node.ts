import type { Node, NodeAPI, NodeDef, NodeMessage } from "node-red";
import { investigate, isAlert, type Investigation, type InvestigationKind } from "../../lib/investigate";
import { parseQueryConfig, type QueryConfigInput } from "../../lib/investigate/query-config";
import { accountFor } from "../ztna-account/ztna-account";
import { storeFor } from "../ztna-store/ztna-store";
import { refuseConfig } from "./refuse-config";

interface QueryDef extends NodeDef, QueryConfigInput {
  store?: string;
  account?: string;
  value?: string;
  valueType?: string;
}

/** The status after an investigation: what it found and how each backend did. */
export function queryStatusText(result: Investigation): { fill: "green" | "yellow" | "red" | "grey"; text: string } {
  if (result.value === null) return { fill: "grey", text: result.problem ?? "nothing to investigate" };
  const { store, api } = result.backends;
  const said = (name: string, state: string) => (state === "absent" ? null : `${name} ${state}`);
  const parts = [`${result.timeline_total} events`, said("store", store.state), said("api", api.state)].filter((p): p is string => p !== null);
  const states = [store.state, api.state].filter((s) => s !== "absent");
  const fill = states.length === 0 || states.every((s) => s === "error") ? "red" : states.some((s) => s !== "ok") ? "yellow" : "green";
  return { fill, text: parts.join(" · ") };
}

/**
 * Registers one of the query nodes: the four differ only in what they investigate. Each takes an
 * alert (the value from its evidence) or a value from the flow, asks the event store and the
 * Cloudflare API around the alert's time, and adds `investigation.<kind>` to the alert.
 */
export function registerQueryNode(RED: NodeAPI, kind: InvestigationKind): void {
  function QueryNode(this: Node, def: QueryDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const parsed = parseQueryConfig(def);
    if (!parsed.ok) return refuseConfig(node, `invalid configuration: ${parsed.error}`);
    const cfg = parsed.value;
    const store = def.store ? storeFor(RED, def.store) : null;
    const account = def.account ? accountFor(RED, def.account) : null;
    if (!store && !account) return refuseConfig(node, "choose an event store, a Cloudflare account, or both");
    node.status({ fill: "grey", shape: "ring", text: "ready" });

    node.on("input", (msg, send, done) => {
      const alert = isAlert(msg.payload) ? (msg.payload as Record<string, unknown>) : undefined;
      let value: unknown;
      if (def.valueType && def.valueType !== "alert") {
        try {
          value = RED.util.evaluateNodeProperty(def.value ?? "", def.valueType, node, msg);
        } catch (err) {
          done(new Error(`the value to investigate could not be read: ${(err as Error).message}`));
          return;
        }
      }
      node.status({ fill: "blue", shape: "dot", text: "investigating…" });
      investigate(
        kind,
        { alert, value },
        {
          store: store?.store ?? null,
          storeProblem: store?.problem ?? undefined,
          client: account?.client ?? null,
          apiProblem: account?.problem ?? undefined,
        },
        cfg,
      ).then(
        (result) => {
          if (alert) {
            const investigation = (alert.investigation ??= {}) as Record<string, unknown>;
            investigation[kind] = result;
          } else {
            msg.payload = result;
          }
          const status = queryStatusText(result);
          node.status({ fill: status.fill, shape: "dot", text: status.text });
          send(msg as NodeMessage);
          done();
        },
        // investigate() reports failures in its result; reaching here is a defect, and the
        // message still goes on.
        (err: Error) => {
          node.status({ fill: "red", shape: "ring", text: err.message });
          send(msg as NodeMessage);
          done(err);
        },
      );
    });

    node.on("close", (done: () => void) => {
      node.status({});
      done();
    });
  }

  RED.nodes.registerType(`ztna-query-${kind}`, QueryNode);
}
