import { setTimeout as sleep } from "node:timers/promises";

/** Node's timers overflow past this many milliseconds and fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves once `performance.now()` reaches `deadline`. Waits in steps so that a deadline past
 * MAX_TIMER_MS still holds, and re-checks the clock because a timer may fire a little early.
 */
export async function sleepUntil(deadline: number): Promise<void> {
  for (let wait = deadline - performance.now(); wait > 0; wait = deadline - performance.now()) {
    await sleep(Math.min(Math.ceil(wait), MAX_TIMER_MS));
  }
}
