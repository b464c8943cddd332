import { failure, notFound, type Attempt } from "../attempt";
import { excerpt } from "../compact";
import { isObject, jsonBody, statusFailure } from "../http-reply";
import type { HttpReply } from "../http-source";

/**
 * What URLhaus and ThreatFox share: outcomes come in `query_status`, not in the HTTP status. The
 * body of an answer whose status is "ok", or the Attempt the answer already comes to (not found,
 * a refused key, a refused indicator, an HTTP failure).
 */
export function abuseChBody(provider: string, reply: HttpReply, noResults: string): { ok: true; body: Record<string, unknown> } | { ok: false; attempt: Attempt } {
  const body = jsonBody(reply);
  if (!body.ok) return { ok: false, attempt: body.failure };
  const b = isObject(body.value) ? body.value : {};
  const status = typeof b.query_status === "string" ? b.query_status : "";
  const done = (attempt: Attempt) => ({ ok: false as const, attempt });
  if (status === "unknown_auth_key" || reply.status === 401) return done(failure("auth", `${provider} rejected the Auth-Key`));
  if (reply.status !== 200) return done(statusFailure(reply, `${provider} HTTP ${reply.status}${status ? `: ${excerpt(status)}` : ""}`));
  if (status === noResults) return done(notFound(`not in ${provider}`));
  if (status === "ok") return { ok: true, body: b };
  if (/^(invalid|illegal)_/.test(status)) return done(failure("http_error", `${provider} refused the indicator: ${excerpt(status)}`));
  return done(failure("bad_response", `${provider} answered query_status "${excerpt(status, 60)}"`));
}
