import { describeMessages, readEnvelope } from "./envelope";
import type { Outcome } from "./errors";
import { answerFailure, isObject, isSuccessStatus } from "./json-body";

/**
 * Reads a GraphQL answer's JSON: `{data, errors}`. Errors arrive with HTTP 200 as well as with
 * 4xx/5xx; authentication is refused before GraphQL runs, in the REST envelope.
 */
export function readGraphql<T>(status: number, body: unknown, retryAfterMs: number | null): Outcome<T> {
  if (isObject(body) && body.success === false) {
    const refused = readEnvelope<never>(status, body, retryAfterMs);
    if (!refused.ok) return refused;
  }
  if (isObject(body) && Array.isArray(body.errors) && body.errors.length > 0) {
    const errors = body.errors.map(graphqlMessage);
    return {
      ok: false,
      failure: answerFailure(status, retryAfterMs, {
        kind: "graphql",
        detail: `HTTP ${status}: GraphQL error: ${describeMessages(errors)}`,
        messages: errors.map((e) => e.message),
      }),
    };
  }
  if (!isSuccessStatus(status)) {
    return { ok: false, failure: answerFailure(status, retryAfterMs, { kind: "http", detail: `HTTP ${status} without GraphQL errors` }) };
  }
  if (!isObject(body) || !isObject(body.data)) {
    const detail = `HTTP ${status}: response is JSON but has no GraphQL data`;
    return { ok: false, failure: answerFailure(status, retryAfterMs, { kind: "malformed", detail }) };
  }
  return { ok: true, value: body.data as T };
}

/** The message, with the path into the query when the server gave one. */
function graphqlMessage(raw: unknown): { message: string } {
  if (!isObject(raw)) return { message: JSON.stringify(raw) };
  const message = typeof raw.message === "string" ? raw.message : JSON.stringify(raw);
  return Array.isArray(raw.path) && raw.path.length > 0 ? { message: `${message} (at ${raw.path.join(".")})` } : { message };
}
