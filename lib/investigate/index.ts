/**
 * Investigations (DESIGN §5): Query IP, Query Host, Query Risk Events and user activity, over the
 * event store and the Cloudflare API side by side. Knows nothing of Node-RED; the ztna-query-*
 * nodes are adapters.
 *
 *   await investigate(kind: "ip" | "host" | "risk" | "user",
 *                     { alert?, value? },                       // value wins; else alert key, then evidence
 *                     { store: EventStore | null, storeProblem?, client: CloudflareClient | null, apiProblem? },
 *                     { beforeMs, afterMs, cap, top?, timeoutMs, now? }): Promise<Investigation>
 *
 * - Never throws. Each backend's state is `ok`, `partial` (some calls failed), `error` or
 *   `absent`, with a reason and each call's own status; one failing keeps the other's answer.
 *   Each backend has its own deadline; calls still running then are reported as timed out.
 * - `timeline`: store events and API rows, oldest first, the newest `cap` kept; `source` is
 *   `store` or `api:<call>`; API analytics rows carry `count`.
 * - `summary`: counts by dataset and action, top peers, domains, users and hosts, first and last
 *   seen, related connections (other users and hosts by source IP, destination IP and the alert's
 *   domain); a host adds `device` and `posture`, a user `activity` and `risk`, risk adds `risk`.
 *   Counts of one value from both backends are not added: the larger is kept (same traffic).
 * - `notInvestigated(kind, problem, window)`: the same shape for a message left uninvestigated.
 * - `parseQueryConfig(def)` validates a query node's settings; `statusLine(result)` is its status.
 * - API answers are untrusted: malformed rows are skipped and counted, oversized answers cut,
 *   text capped; values reach GraphQL only as variables.
 */
export { investigate, notInvestigated, type Backends, type InvestigateInput, type InvestigateOptions } from "./investigator";
export { parseQueryConfig, VALUE_TYPES, type QueryConfigInput, type QuerySettings, type ValueType } from "./query-config";
export { statusLine, type StatusLine } from "./status-line";
export { WorkGate } from "./work-gate";
export { choosePivot, isAlert, type PivotChoice } from "./pivot";
export { windowAround, type TimeWindow } from "./window";
export * from "./types";
