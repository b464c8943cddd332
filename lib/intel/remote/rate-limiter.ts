import { sleep, type Clock } from "./clock";

/** At most `limit` requests started in any `intervalMs`: how providers state their rates (4 per minute, 1 per second). */
export interface RateSetting {
  limit: number;
  intervalMs: number;
}

/**
 * A sliding-window limiter: a request may start when fewer than `limit` started in the last
 * `intervalMs`. Unlike a token bucket it never lets a burst of 2 × limit straddle a window edge,
 * which is what gets a client banned by providers that count strictly (InternetDB, VirusTotal).
 */
export class RateLimiter {
  /** Start times inside the window, oldest first; never more than `limit`. */
  private readonly starts: number[] = [];

  constructor(
    private readonly rate: RateSetting,
    private readonly clock: Clock,
  ) {}

  /** Waits for a slot and takes it; false when `signal` aborted first. */
  async take(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      const now = this.clock.now();
      const wait = this.waitMs(now);
      if (wait === 0) {
        this.starts.push(now);
        return true;
      }
      if (!(await sleep(this.clock, wait, signal))) return false;
    }
  }

  private waitMs(now: number): number {
    this.expire(now);
    return this.starts.length < this.rate.limit ? 0 : this.starts[0] + this.rate.intervalMs - now;
  }

  private expire(now: number): void {
    while (this.starts.length > 0 && this.starts[0] <= now - this.rate.intervalMs) this.starts.shift();
  }
}
