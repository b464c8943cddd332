import type { Node } from "node-red";

/** A node whose configuration is invalid does nothing, and says why in its status and the log. */
export function refuseConfig(node: Node, reason: string): void {
  node.status({ fill: "red", shape: "ring", text: reason });
  node.error(reason);
}
