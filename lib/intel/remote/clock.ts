/**
 * Time as the resilience layer sees it. Injectable so that tests can run a day of quota, a
 * minute of rate limit or a breaker's cool-down in microseconds, and real time everywhere else.
 */
export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; the returned function cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** Resolves true after `ms`, or false as soon as `signal` aborts; never rejects. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      cancel();
      resolve(false);
    };
    const cancel = clock.setTimer(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, Math.max(0, ms));
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** A signal that aborts after `ms` on `clock`; `clear` stops the timer once it is no longer needed. */
export function deadline(clock: Clock, ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const clear = clock.setTimer(() => controller.abort(), ms);
  return { signal: controller.signal, clear };
}

/** "14:05Z", or "2026-03-02 14:05Z" when the time is not within the next day. */
export function utcLabel(epochMs: number, nowMs: number): string {
  const iso = new Date(epochMs).toISOString();
  const hhmm = `${iso.slice(11, 16)}Z`;
  return epochMs - nowMs < 86_400_000 ? hhmm : `${iso.slice(0, 10)} ${hhmm}`;
}

/** The next 00:00 UTC after `nowMs`: when daily quotas of most providers start again. */
export function nextUtcMidnight(nowMs: number): number {
  const day = 86_400_000;
  return (Math.floor(nowMs / day) + 1) * day;
}
