import { parseRetryAfter } from "../../cli/retry-policy";
import { failure, type Failure } from "./attempt";
import { excerpt } from "./compact";
import type { HttpReply } from "./http-source";

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Milliseconds the provider asked to wait (Retry-After, seconds or HTTP date), or null. */
export function retryAfterMs(reply: HttpReply): number | null {
  const value = reply.headers["retry-after"];
  return value === undefined ? null : parseRetryAfter(value, reply.now);
}

/** The body as JSON, or the failure to report: a proxy's HTML page is recognisable by its start. */
export function jsonBody(reply: HttpReply): { ok: true; value: unknown } | { ok: false; failure: Failure } {
  try {
    return { ok: true, value: JSON.parse(reply.text) };
  } catch {
    const start = excerpt(reply.text, 80);
    const detail = `HTTP ${reply.status}: answer is not JSON${start ? ` (starts "${start}")` : " (empty body)"}`;
    return { ok: false, failure: isSuccess(reply.status) ? failure("bad_response", detail) : statusFailure(reply, detail) };
  }
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * The failure a status means when the provider adds nothing more specific: 401/403 the key,
 * 429 the rate limit, 5xx the provider (both worth another try), any other a refusal.
 */
export function statusFailure(reply: HttpReply, detail: string): Failure {
  const { status } = reply;
  if (status === 401 || status === 403) return failure("auth", detail);
  if (status === 429) return failure("rate_limited", detail, { retryable: true, retryAfterMs: retryAfterMs(reply) });
  if (status >= 500) return failure("http_error", detail, { retryable: true, retryAfterMs: retryAfterMs(reply) });
  return failure("http_error", detail);
}

/** A body of the wrong shape: the provider changed or something in between did. */
export function badShape(provider: string, what: string): Failure {
  return failure("bad_response", `${provider} answer has no ${what}`);
}
