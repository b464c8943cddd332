import type { ProviderResult } from "../types";

const HOUR = 3_600_000;

/** How long an answer stays good: bad news is re-checked sooner than good news, silence in between. */
export const CACHE_TTL_MS = {
  malicious: 6 * HOUR,
  suspicious: 6 * HOUR,
  benign: 24 * HOUR,
  notFound: 2 * HOUR,
  /** The provider answered without a verdict (context only, or too few reports to judge). */
  unknown: 2 * HOUR,
} as const;

/** Milliseconds to keep `result`; 0 for anything that is not the provider's answer (errors, quota, skips). */
export function cacheTtlMs(result: ProviderResult): number {
  if (result.status === "not_found") return CACHE_TTL_MS.notFound;
  if (result.status !== "ok") return 0;
  return CACHE_TTL_MS[result.verdict];
}
