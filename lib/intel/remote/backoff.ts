/** No back-off step grows beyond this, however many retries came before. */
const MAX_STEP_MS = 10_000;

/**
 * "Full jitter" back-off: a random wait between 0 and the exponential step. Many lookups failing
 * together (a provider's hiccup) then come back spread out instead of in one wave.
 */
export function fullJitterMs(retry: number, baseMs: number, random: () => number): number {
  const step = Math.min(MAX_STEP_MS, baseMs * 2 ** (retry - 1));
  return Math.floor(random() * step);
}
