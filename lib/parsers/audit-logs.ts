import type { Dataset, NormalizedEvent, Outcome, RawRecord } from "../schema/event";
import { endpoint, finish, newEvent, relate, setEndpoint, setUser, type Draft, type ParseContext } from "./build";
import { flag, lower, text } from "./fields";

/** The fields of one audit record, named alike for both versions of the dataset. */
interface AuditFields {
  time: unknown;
  id: unknown;
  action: unknown;
  /** A boolean in v1, "success"/"failure" in v2. */
  result: unknown;
  email: unknown;
  actorId: unknown;
  actorIp: unknown;
  provider: unknown;
  message?: unknown;
}

/** `audit_logs` (reference §2.5): one change to the account, by a user, a token or Cloudflare. */
export function normalizeAuditLogs(r: RawRecord, ctx: ParseContext): NormalizedEvent {
  const ev = audit("audit_logs", ctx, {
    time: r.When,
    id: r.ID,
    action: r.ActionType,
    result: r.ActionResult,
    email: r.ActorEmail,
    actorId: r.ActorID,
    actorIp: r.ActorIP,
    provider: r.Interface,
  });
  relate(ev.related.user, text(r.OwnerID));
  return finish(ev, { audit_logs: r }, ctx);
}

/** `audit_logs_v2` (reference §2.5): the same story with the newer field names. */
export function normalizeAuditLogsV2(r: RawRecord, ctx: ParseContext): NormalizedEvent {
  const ev = audit("audit_logs_v2", ctx, {
    time: r.ActionTimestamp,
    id: r.AuditLogID,
    action: r.ActionType,
    result: r.ActionResult,
    email: r.ActorEmail,
    actorId: r.ActorID,
    actorIp: r.ActorIPAddress,
    provider: r.ResourceProduct,
    message: r.ActionDescription,
  });
  return finish(ev, { audit_logs_v2: r }, ctx);
}

function audit(dataset: Dataset, ctx: ParseContext, f: AuditFields): Draft {
  const action = lower(f.action);
  const ok = typeof f.result === "string" ? resultWord(f.result) : flag(f.result);
  const outcome: Outcome = ok === undefined ? "unknown" : ok ? "success" : "failure";
  const ev = newEvent(dataset, f.time, { category: ["configuration"], type: [changeType(action)], action, outcome, id: text(f.id) }, ctx);
  setUser(ev, f.email, f.actorId);
  setEndpoint(ev, "source", endpoint(f.actorIp, undefined));
  const provider = text(f.provider);
  if (provider !== undefined) ev.event.provider = provider;
  const message = text(f.message);
  if (message !== undefined) ev.message = message;
  return ev;
}

function resultWord(result: string): boolean | undefined {
  const word = result.toLowerCase();
  return word === "success" ? true : word === "failure" ? false : flag(word);
}

/** ECS `creation`/`deletion` where the action type says so (`token_create`, `delete`), `change` otherwise. */
function changeType(action: string | undefined): string {
  if (action?.includes("create")) return "creation";
  if (action?.includes("delete")) return "deletion";
  return "change";
}
