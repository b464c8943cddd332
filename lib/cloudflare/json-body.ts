import type { Failure, Outcome } from "./errors";
import { isRetryableStatus } from "./retry-policy";

const EXCERPT_CHARS = 120;

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/** A failure built from an answer that arrived, retryable by its status. */
export function answerFailure(
  status: number,
  retryAfterMs: number | null,
  fields: Pick<Failure, "kind" | "detail"> & Partial<Pick<Failure, "codes" | "messages">>,
): Failure {
  return {
    status,
    retryAfterMs,
    retryable: isRetryableStatus(status),
    codes: fields.codes ?? [],
    messages: fields.messages ?? [],
    kind: fields.kind,
    detail: fields.detail,
  };
}

/**
 * The body as JSON. A body that is not JSON is reported with its first characters, so a proxy's
 * HTML error page or a truncated answer is recognisable in the message.
 */
export function parseJsonBody(status: number, text: string, retryAfterMs: number | null): Outcome<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const excerpt = text.replace(/\s+/g, " ").trim().slice(0, EXCERPT_CHARS);
    const detail = `HTTP ${status}: response is not JSON${excerpt ? ` (starts "${excerpt}")` : " (empty body)"}`;
    const kind = isSuccessStatus(status) ? "malformed" : "http";
    return { ok: false, failure: answerFailure(status, retryAfterMs, { kind, detail }) };
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
