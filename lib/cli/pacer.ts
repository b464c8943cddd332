import { sleepUntil } from "./timers";

/**
 * Holds a sender under a records-per-second cap by spacing batches: a batch of n records holds the
 * next one back n / rate seconds. Spacing from the previous batch, not from the start, means a
 * batch delayed by retries is not followed by a catch-up burst.
 */
export class Pacer {
  private nextAt = 0;

  constructor(private readonly recordsPerSecond: number) {}

  /** Resolves when a batch of `records` may go. */
  async admit(records: number): Promise<void> {
    await sleepUntil(this.nextAt);
    this.nextAt = Math.max(performance.now(), this.nextAt) + (records / this.recordsPerSecond) * 1000;
  }
}
