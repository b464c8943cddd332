/**
 * Events per second over a sliding window of one-second buckets: cheap enough to call per batch,
 * and it decays to zero when traffic stops.
 */
export class RateMeter {
  private readonly buckets: number[];
  private head = 0;
  private headSecond: number;

  constructor(
    private readonly windowSeconds = 5,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = new Array(windowSeconds).fill(0);
    this.headSecond = Math.floor(this.now() / 1000);
  }

  add(n: number): void {
    this.advance();
    this.buckets[this.head] += n;
  }

  /** Average per second over the window, the current partial second included. */
  perSecond(): number {
    this.advance();
    let sum = 0;
    for (const b of this.buckets) sum += b;
    return sum / this.windowSeconds;
  }

  private advance(): void {
    const second = Math.floor(this.now() / 1000);
    const steps = Math.min(second - this.headSecond, this.windowSeconds);
    for (let i = 0; i < steps; i++) {
      this.head = (this.head + 1) % this.windowSeconds;
      this.buckets[this.head] = 0;
    }
    if (second > this.headSecond) this.headSecond = second;
  }
}

/** 950 → "950", 1234 → "1.2k", 2_500_000 → "2.5M". */
export function compactCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${trim(n / 1000)}k`;
  if (n < 1_000_000_000) return `${trim(n / 1_000_000)}M`;
  return `${trim(n / 1_000_000_000)}G`;
}

function trim(x: number): string {
  return x >= 100 ? String(Math.round(x)) : x.toFixed(1).replace(/\.0$/, "");
}
