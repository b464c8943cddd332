import type { Indicator, IndicatorType, ResultReason, Verdict } from "../types";

/** What one request to a provider came to, before the resilience layer decides what to do next. */
export type Attempt = Answer | Failure | QuotaSpent;

/** The provider answered: it knows the indicator (`found`) or says it does not. */
export interface Answer {
  kind: "answer";
  found: boolean;
  verdict: Verdict;
  score: number;
  detail: string;
  data: Record<string, unknown>;
  quota?: QuotaHint;
}

export interface Failure {
  kind: "failure";
  reason: ResultReason;
  detail: string;
  /** Network errors, 5xx and 429 only: nothing else gets better by asking again. */
  retryable: boolean;
  /** What the provider asked for (Retry-After) or documents for this failure. */
  retryAfterMs: number | null;
  quota?: QuotaHint;
}

/** The provider says its daily quota is spent. */
export interface QuotaSpent {
  kind: "quota";
  detail: string;
  /** When the provider said it resets; null for "at 00:00 UTC". */
  resetAt: number | null;
}

/** Quota facts from a provider's headers (AbuseIPDB's X-RateLimit-*). */
export interface QuotaHint {
  remaining: number;
  resetAt: number | null;
}

/**
 * A provider behind the resilience layer: one request per call, mapped to an Attempt. Never
 * rejects; the signal aborts the request (the layer's timeout or the caller giving up).
 */
export interface RemoteSource {
  readonly name: string;
  readonly party: "first" | "third";
  supports(type: IndicatorType): boolean;
  request(indicator: Indicator, signal: AbortSignal): Promise<Attempt>;
}

const BANDS: Record<Verdict, [number, number]> = {
  malicious: [75, 100],
  suspicious: [25, 74],
  unknown: [0, 24],
  benign: [0, 0],
};

/**
 * A 0–100 score inside the verdict's band, `strength` (0–1) placing it: every provider's score
 * then means the same thing (≥ 75 malicious, 25–74 suspicious), whatever its native scale.
 */
export function bandScore(verdict: Verdict, strength: number): number {
  const [low, high] = BANDS[verdict];
  const s = Number.isFinite(strength) ? Math.min(1, Math.max(0, strength)) : 0;
  return Math.round(low + s * (high - low));
}

export function found(verdict: Verdict, score: number, detail: string, data: Record<string, unknown>): Answer {
  return { kind: "answer", found: true, verdict, score, detail, data };
}

export function notFound(detail: string, data: Record<string, unknown> = {}): Answer {
  return { kind: "answer", found: false, verdict: "unknown", score: 0, detail, data };
}

export function failure(reason: ResultReason, detail: string, opts: { retryable?: boolean; retryAfterMs?: number | null } = {}): Failure {
  return { kind: "failure", reason, detail, retryable: opts.retryable ?? false, retryAfterMs: opts.retryAfterMs ?? null };
}

export function quotaSpent(detail: string, resetAt: number | null): QuotaSpent {
  return { kind: "quota", detail, resetAt };
}
