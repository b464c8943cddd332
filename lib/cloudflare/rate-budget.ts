export interface RateBudgetOptions {
  /** Requests allowed in any window; Cloudflare's REST API allows 1,200 per 5 minutes per user. */
  limit?: number;
  windowMs?: number;
  now?: () => number;
}

export interface RateBudgetStats {
  limit: number;
  windowMs: number;
  /** Requests started in the current window. */
  used: number;
  /** Callers waiting for a slot. */
  waiting: number;
  /** Epoch ms until which a 429 holds everyone back; null when not blocked. */
  blockedUntil: number | null;
}

/**
 * A sliding-window request budget shared by everything that calls one account, so that the
 * nodes together stay under Cloudflare's limit instead of each discovering it by a 429 (after
 * which Cloudflare blocks the user for minutes). Callers wait for a slot rather than fail, in
 * the order they asked; a 429 blocks every caller until the time the server named.
 */
export class RateBudget {
  readonly limit: number;
  readonly windowMs: number;
  private readonly now: () => number;
  /** Start times of the requests in the window, oldest first; never more than `limit` of them. */
  private readonly starts: number[] = [];
  private blockedUntilMs = 0;
  private readonly waiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: RateBudgetOptions = {}) {
    this.limit = opts.limit ?? 1200;
    this.windowMs = opts.windowMs ?? 300_000;
    this.now = opts.now ?? Date.now;
    if (!Number.isInteger(this.limit) || this.limit < 1) throw new RangeError("rate budget limit must be a positive integer");
    if (!(this.windowMs > 0)) throw new RangeError("rate budget window must be positive");
  }

  /** Resolves when one more request may start; the request is counted from then. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.serve();
    });
  }

  /** Holds every caller back until `epochMs` (the server's Retry-After); an earlier time changes nothing. */
  blockUntil(epochMs: number): void {
    if (epochMs <= this.blockedUntilMs) return;
    this.blockedUntilMs = epochMs;
    this.serve();
  }

  get stats(): RateBudgetStats {
    const now = this.now();
    this.expire(now);
    return {
      limit: this.limit,
      windowMs: this.windowMs,
      used: this.starts.length,
      waiting: this.waiters.length,
      blockedUntil: this.blockedUntilMs > now ? this.blockedUntilMs : null,
    };
  }

  /** Lets waiters through while there is room, then sleeps until the next slot frees: one timer, whatever the queue. */
  private serve(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.waiters.length > 0) {
      const now = this.now();
      const wait = this.waitMs(now);
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.serve();
        }, wait);
        return;
      }
      this.starts.push(now);
      this.waiters.shift()!();
    }
  }

  private waitMs(now: number): number {
    this.expire(now);
    const full = this.starts.length >= this.limit ? this.starts[0] + this.windowMs - now : 0;
    return Math.max(this.blockedUntilMs - now, full, 0);
  }

  private expire(now: number): void {
    while (this.starts.length > 0 && this.starts[0] <= now - this.windowMs) this.starts.shift();
  }
}
