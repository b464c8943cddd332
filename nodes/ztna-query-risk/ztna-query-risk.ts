import type { NodeAPI } from "node-red";
import { registerQueryNode } from "../shared/query-node";

export default function (RED: NodeAPI) {
  registerQueryNode(RED, "risk");
}
