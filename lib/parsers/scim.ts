import type { EcsUserRef, NormalizedEvent, Outcome, RawRecord, ScimSummary } from "../schema/event";
import { finish, newEvent, relate, RELATED_LIST_MAX, type Draft, type ParseContext } from "./build";
import { lower, text } from "./fields";
import { readScimBody, type ScimBodyReading } from "./scim-body";

const OPERATIONS: ReadonlyMap<string, string> = new Map([
  ["POST", "create"],
  ["PATCH", "modify"],
  ["PUT", "replace"],
  ["DELETE", "delete"],
]);

/**
 * `scim` (polled, reference §3): one SCIM request an identity provider made to Cloudflare, as the
 * `access/logs/scim/updates` API returns it. Who was created, changed, deactivated, reactivated,
 * deleted, or added to or removed from a group is read from the method, the resource type and the
 * request body; an unreadable body loses only what it would have told. The identity provider is
 * the actor, so the account changed is `user.target` (ECS's place for it) and the group `group`.
 */
export function normalizeScim(r: RawRecord, ctx: ParseContext): NormalizedEvent {
  const method = text(r.request_method)?.toUpperCase();
  const body = readScimBody(r.request_body);
  const declaredType = lower(r.resource_type);
  const resource = declaredType === "user" || declaredType === "group" ? declaredType : (body.resourceType ?? "unknown");
  const action = actionOf(resource, method, body);
  const status = text(r.status)?.toUpperCase();
  const outcome: Outcome = status === "SUCCESS" ? "success" : status === "FAILURE" || status === "ERROR" ? "failure" : "unknown";
  const resourceId = text(r.cf_resource_id);
  const loggedAt = text(r.logged_at);
  const head = {
    category: ["iam"],
    type: [resource === "group" ? "group" : "user", changeType(action)],
    action,
    outcome,
    id: resourceId !== undefined && loggedAt !== undefined ? `${resourceId}:${loggedAt}` : undefined,
  };
  const ev = newEvent("scim", r.logged_at, head, ctx);
  setTarget(ev, r, resource === "user" ? resourceId : undefined, body);
  setGroup(ev, text(r.resource_group_name) ?? (resource === "group" ? body.displayName : undefined), resource === "group" ? resourceId : undefined);
  const error = text(r.error_description);
  if (error !== undefined) ev.error = { message: error };
  (ev.ztna ??= {}).scim = summary(method, resource, body);
  relateMembers(ev, body);
  return finish(ev, { scim: r }, ctx);
}

function actionOf(resource: string, method: string | undefined, body: ScimBodyReading): string {
  const noun = resource === "unknown" ? "resource" : resource;
  if (method === "POST") return `${noun}-created`;
  if (method === "DELETE") return `${noun}-deleted`;
  if (resource === "user") {
    if (body.active === false) return "user-deactivated";
    // A PUT restates `active: true` with every replace; only a PATCH that sets it reactivates.
    if (body.active === true && method === "PATCH") return "user-reactivated";
  }
  if (resource === "group") {
    const added = body.added.length > 0;
    const removed = body.removed.length > 0;
    if (added && removed) return "group-members-changed";
    if (added) return "group-member-added";
    if (removed) return "group-member-removed";
  }
  return `${noun}-modified`;
}

function changeType(action: string): string {
  if (action.endsWith("-created")) return "creation";
  if (action.endsWith("-deleted")) return "deletion";
  return "change";
}

function setTarget(ev: Draft, r: RawRecord, id: string | undefined, body: ScimBodyReading): void {
  const email = text(r.resource_user_email) ?? body.email;
  const name = body.userName;
  if (email === undefined && id === undefined && name === undefined) return;
  const target: EcsUserRef = {};
  if (email !== undefined) target.email = email;
  if (id !== undefined) target.id = id;
  if (name !== undefined) target.name = name;
  ev.user = { target };
  relate(ev.related.user, email);
  relate(ev.related.user, id);
  relate(ev.related.user, name);
}

function setGroup(ev: Draft, name: string | undefined, id: string | undefined): void {
  if (name === undefined && id === undefined) return;
  ev.group = {};
  if (id !== undefined) ev.group.id = id;
  if (name !== undefined) ev.group.name = name;
}

function summary(method: string | undefined, resource: string, body: ScimBodyReading): ScimSummary {
  const out: ScimSummary = {
    operation: (method !== undefined ? OPERATIONS.get(method) : undefined) ?? method?.toLowerCase() ?? "unknown",
    resource_type: resource,
    active: body.active,
    members_added: body.added,
    members_removed: body.removed,
    attributes: body.attributes,
  };
  if (body.members !== undefined) out.members = body.members;
  if (body.truncated) out.members_truncated = true;
  if (body.error !== undefined) out.body_error = body.error;
  return out;
}

/** Member ids and display names (usually e-mail addresses) are users this event is about. */
function relateMembers(ev: Draft, body: ScimBodyReading): void {
  let budget = RELATED_LIST_MAX;
  for (const list of [body.added, body.removed, body.members ?? []]) {
    for (const member of list) {
      if (budget-- <= 0) return;
      relate(ev.related.user, member.display);
      relate(ev.related.user, member.value);
    }
  }
}
