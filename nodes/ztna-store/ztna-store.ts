import type { Node, NodeAPI, NodeDef } from "node-red";
import type { EventStore } from "../../lib/store/event-store";
import { SqliteEventStore } from "../../lib/store/sqlite-event-store";
import { parseStoreConfig, type StoreConfigInput } from "../../lib/store/store-config";

interface StoreDef extends NodeDef, StoreConfigInput {}

/** The config node as the nodes that name it see it. */
export interface StoreNode extends Node {
  /** The event store, opened on first use; null when `problem` says why there is none. */
  store: EventStore | null;
  problem: string | null;
}

export type StoreRef = { store: EventStore; problem: null } | { store: null; problem: string };

/**
 * The event store of the `ztna-store` config node with id `id`, or why there is none: for a
 * node's constructor, to show the reason in its status instead of failing on every message.
 */
export function storeFor(RED: NodeAPI, id: unknown): StoreRef {
  const node = typeof id === "string" && id !== "" ? (RED.nodes.getNode(id) as StoreNode | null) : null;
  if (!node || node.type !== "ztna-store") return { store: null, problem: "no event store configured" };
  return node.store ? { store: node.store, problem: null } : { store: null, problem: node.problem ?? "event store is not usable" };
}

export default function (RED: NodeAPI) {
  function StoreConfigNode(this: StoreNode, def: StoreDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const parsed = parseStoreConfig(def);
    if (!parsed.ok) {
      node.store = null;
      node.problem = `invalid event store configuration: ${parsed.error}`;
      node.error(node.problem);
      return;
    }
    node.problem = null;
    // One store for every node naming this config node; the file opens on the first call.
    const store = new SqliteEventStore({
      file: parsed.value.file,
      retentionDays: parsed.value.retentionDays,
      maxBytes: parsed.value.maxBytes,
      log: { warn: (m) => node.warn(m), error: (m) => node.error(m) },
    });
    node.store = store;
    node.on("close", (_removed: boolean, done: () => void) => {
      store.close().then(done, (err: Error) => {
        node.warn(`event store did not close cleanly: ${err.message}`);
        done();
      });
    });
  }

  RED.nodes.registerType("ztna-store", StoreConfigNode);
}
