import { nextUtcMidnight } from "./clock";

/**
 * A provider's daily request quota. Counts requests since the last reset (00:00 UTC unless the
 * provider named another time) and, once spent or once the provider says so, holds every
 * request back until the reset, so that an exhausted quota costs no further calls.
 */
export class DailyQuota {
  private used = 0;
  private resetAt: number;
  private exhaustedUntil = 0;

  /** `limit` null: no quota of our own, but the provider's "quota exhausted" is still honoured. */
  constructor(
    private readonly limit: number | null,
    now: number,
  ) {
    this.resetAt = nextUtcMidnight(now);
  }

  /** Counts one request; false (and nothing counted) when the quota is spent. */
  take(now: number): boolean {
    this.roll(now);
    if (this.exhaustedUntil > now) return false;
    if (this.limit !== null && this.used >= this.limit) {
      this.exhaustedUntil = this.resetAt;
      return false;
    }
    this.used++;
    return true;
  }

  /** The provider said the quota is spent; it comes back at `until`, or at the next reset when it did not say. */
  exhaust(now: number, until: number | null): void {
    this.roll(now);
    this.exhaustedUntil = until !== null && until > now ? until : this.resetAt;
  }

  /** When requests may start again, or null when they may now. */
  blockedUntil(now: number): number | null {
    this.roll(now);
    if (this.exhaustedUntil > now) return this.exhaustedUntil;
    if (this.limit !== null && this.used >= this.limit) return this.resetAt;
    return null;
  }

  usedToday(now: number): number {
    this.roll(now);
    return this.used;
  }

  private roll(now: number): void {
    if (now < this.resetAt) return;
    this.used = 0;
    this.resetAt = nextUtcMidnight(now);
  }
}
