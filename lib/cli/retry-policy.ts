/**
 * How long to wait before retry number `retry` (1 for the first): what the server asked for in
 * Retry-After when it is usable, otherwise `baseMs` doubled for each earlier retry, as Logpush does.
 */
export function retryWaitMs(retry: number, baseMs: number, retryAfter: string | undefined, nowMs: number): number {
  const asked = retryAfter === undefined ? null : parseRetryAfter(retryAfter, nowMs);
  return asked ?? baseMs * 2 ** (retry - 1);
}

/**
 * A Retry-After value (RFC 9110 §10.2.3) as milliseconds from `nowMs`: delay-seconds or an
 * HTTP-date; null when it is neither. Every HTTP-date format names its month, and requiring a
 * letter keeps Date.parse's leniency from reading "1.5" as a date in 2001.
 */
export function parseRetryAfter(value: string, nowMs: number): number | null {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
