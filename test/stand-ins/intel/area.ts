import type { RecordedRequest, Reply } from "../cloudflare/http";

export type { Reply } from "../cloudflare/http";
export type Rec = Record<string, unknown>;

/** The providers the intel stand-in serves (Cloudflare Intel lives in the Cloudflare stand-in). */
export const INTEL_AREAS = ["abuseipdb", "greynoise", "virustotal", "otx", "internetdb", "urlhaus", "threatfox"] as const;
export type IntelAreaName = (typeof INTEL_AREAS)[number];

/** One request as a provider saw it; the key header's value is never kept, only whether it matched. */
export interface IntelRequest extends RecordedRequest {
  provider: IntelAreaName;
  /** Form fields of a form-encoded POST (abuse.ch URLhaus); empty otherwise. */
  form: URLSearchParams;
}

/**
 * One provider's API on the stand-in: its routes over its own seeded data, and each of its
 * documented failure answers, so that a fault is answered the way that provider answers it.
 */
export interface ProviderArea {
  readonly name: IntelAreaName;
  /** Where the API root sits below the provider's prefix, as on the real host (`/api/v2`). */
  readonly root: string;
  /** The header that carries the key (lower case), or null for a provider without keys. */
  readonly keyHeader: string | null;
  /** The normal answer, including the provider's "not found" form and its validation errors. */
  answer(req: IntelRequest): Reply;
  /** The provider's answer to a missing or wrong key. */
  unauthorized(req: IntelRequest): Reply;
  /** The provider's answer once its daily quota (or, without one, its long ban) is spent. */
  quotaExhausted(): Reply;
  /** The provider's 429, with a Retry-After when given one. */
  rateLimited(retryAfter?: number | string): Reply;
  /** The provider's error body for another status (500, 503, 400). */
  failure(status: number): Reply;
  /** Forgets seeded data and counters. */
  reset(): void;
}

/** Seconds until the next 00:00 UTC, and that time in epoch seconds. */
export function untilUtcMidnight(nowMs = Date.now()): { seconds: number; epoch: number } {
  const day = 86_400_000;
  const next = (Math.floor(nowMs / day) + 1) * day;
  return { seconds: Math.ceil((next - nowMs) / 1000), epoch: next / 1000 };
}

export function withRetryAfter(reply: Reply, retryAfter: number | string | undefined): Reply {
  return retryAfter === undefined ? reply : { ...reply, headers: { ...reply.headers, "retry-after": String(retryAfter) } };
}
