export interface BreakerSetting {
  /** Consecutive failed lookups that open the breaker. */
  failures: number;
  /** How long it stays open before one trial lookup may go through. */
  cooldownMs: number;
}

export type BreakerState = "closed" | "open" | "half_open";

/**
 * Stops calling a provider that keeps failing: after `failures` consecutive failures it opens and
 * lookups are skipped without a request; after the cool-down one trial goes through (half-open),
 * and its outcome closes the breaker again or re-opens it for another cool-down.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt = 0;
  private current: BreakerState = "closed";
  private trialRunning = false;

  constructor(private readonly setting: BreakerSetting) {}

  /**
   * Whether a lookup may call the provider now: "yes" while closed, "trial" for the one lookup
   * let through in half-open state, "no" otherwise.
   */
  allow(now: number): "yes" | "trial" | "no" {
    if (this.current === "open" && now >= this.openedAt + this.setting.cooldownMs) this.current = "half_open";
    if (this.current === "closed") return "yes";
    if (this.current === "open" || this.trialRunning) return "no";
    this.trialRunning = true;
    return "trial";
  }

  /**
   * Whether a lookup let in earlier may still send a request: lookups that were waiting in line
   * when the breaker opened must not reach a provider that is down, but the trial must.
   */
  stillAllows(pass: "yes" | "trial"): boolean {
    return pass === "trial" || this.current === "closed";
  }

  success(): void {
    this.consecutive = 0;
    this.current = "closed";
    this.trialRunning = false;
  }

  failure(now: number): void {
    this.consecutive++;
    this.trialRunning = false;
    if (this.current === "half_open" || this.consecutive >= this.setting.failures) {
      this.current = "open";
      this.openedAt = now;
    }
  }

  /** An outcome that says nothing about the provider's health (rate limited, cancelled): a trial may run again. */
  neutral(): void {
    this.trialRunning = false;
  }

  state(now: number): BreakerState {
    if (this.current === "open" && now >= this.openedAt + this.setting.cooldownMs) return "half_open";
    return this.current;
  }

  get failures(): number {
    return this.consecutive;
  }

  /** When the next trial may go, while open. */
  reopensAt(): number {
    return this.openedAt + this.setting.cooldownMs;
  }
}
