/** What went wrong, as far as a caller needs to tell failures apart. */
export type FailureKind =
  /** Non-2xx answer without a usable Cloudflare error list. */
  | "http"
  /** A Cloudflare envelope with `success: false` (or errors on a non-2xx answer). */
  | "api"
  /** GraphQL `errors`, whatever the HTTP status. */
  | "graphql"
  /** The body is not JSON, or JSON of the wrong shape. */
  | "malformed"
  /** No answer: connection refused or reset, DNS, TLS. */
  | "network"
  | "timeout";

/** One failed attempt, before it is known whether it will be retried. */
export interface Failure {
  kind: FailureKind;
  status: number | null;
  codes: number[];
  messages: string[];
  retryable: boolean;
  /** What the server asked for in Retry-After, if anything usable. */
  retryAfterMs: number | null;
  /** One line saying what failed, for the error message. */
  detail: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/**
 * A failed Cloudflare API call. Built only from plain values picked out of the answer: never from
 * an HTTP library error, whose request config carries the Authorization header.
 */
export class CloudflareApiError extends Error {
  /** Method and path, without the query string. */
  readonly endpoint: string;
  readonly kind: FailureKind;
  /** HTTP status, null when no answer arrived. */
  readonly status: number | null;
  /** Cloudflare error codes (e.g. 10000 for an authentication error). */
  readonly codes: number[];
  readonly messages: string[];
  /** True when trying again later may succeed (rate limit, server error, network). */
  readonly retryable: boolean;
  readonly attempts: number;

  constructor(endpoint: string, failure: Failure, attempts: number) {
    const tries = attempts > 1 ? ` (gave up after ${attempts} attempts)` : "";
    super(`${endpoint} failed: ${failure.detail}${tries}`);
    this.name = "CloudflareApiError";
    this.endpoint = endpoint;
    this.kind = failure.kind;
    this.status = failure.status;
    this.codes = failure.codes;
    this.messages = failure.messages;
    this.retryable = failure.retryable;
    this.attempts = attempts;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      endpoint: this.endpoint,
      kind: this.kind,
      status: this.status,
      codes: this.codes,
      messages: this.messages,
      retryable: this.retryable,
      attempts: this.attempts,
    };
  }
}

/**
 * Replaces every occurrence of `secret` in text that came from elsewhere (a server's error
 * message, a socket error): a misbehaving server or proxy may echo the request back.
 */
export function redactor(secret: string): (text: string) => string {
  return (text) => (secret === "" ? text : text.split(secret).join("[redacted]"));
}
