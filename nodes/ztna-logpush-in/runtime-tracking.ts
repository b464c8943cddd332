import type { InflightLedger } from "../../lib/ingest/inflight-ledger";

/** The slice of Node-RED's messaging hooks API (RED.hooks) used to follow messages downstream. */
export interface RuntimeHooks {
  add(id: string, fn: (event: HookEvent) => void): void;
  remove(id: string): void;
}

interface HookEvent {
  msg?: { _msgid?: string };
  destination?: { node?: { _expectedDoneCount?: number } };
}

/**
 * Feeds the ledger from the runtime's message hooks: deliveries scheduled, receipts and
 * completions of the messages this node sent (they keep their `_msgid` as they travel and when
 * cloned). A node whose input handler takes no `done` never completes, so for those the return of
 * the handler counts as finishing. Returns the detach function; `tracking` is false when the
 * runtime offers no hooks, in which case only messages wired to nothing are released at once and
 * the rest by the ledger's timeout.
 */
export function attachRuntimeTracking(
  hooks: RuntimeHooks | undefined,
  nodeId: string,
  ledger: InflightLedger,
): (() => void) & { tracking: boolean } {
  if (!hooks) return Object.assign(() => undefined, { tracking: false });
  const label = `ztnaLogpushIn_${nodeId.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const id = (e: HookEvent) => e.msg?._msgid;
  hooks.add(`preDeliver.${label}`, (e) => {
    const m = id(e);
    if (m) ledger.delivering(m);
  });
  hooks.add(`onReceive.${label}`, (e) => {
    const m = id(e);
    if (m) ledger.received(m);
  });
  hooks.add(`postReceive.${label}`, (e) => {
    const m = id(e);
    if (m && e.destination?.node?._expectedDoneCount === 0) ledger.completed(m);
  });
  hooks.add(`onComplete.${label}`, (e) => {
    const m = id(e);
    if (m) ledger.completed(m);
  });
  return Object.assign(() => hooks.remove(`*.${label}`), { tracking: true });
}
