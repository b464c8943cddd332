/**
 * At most `maxActive` investigations at once and `maxQueued` waiting: a burst of alerts waits its
 * turn instead of starting thousands of API calls that would all run out of time together, and
 * what waits is bounded.
 */
export class WorkGate {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxQueued: number,
  ) {}

  /** Runs `work` when a slot is free; "full" at once when too many are waiting already. */
  run<T>(work: () => Promise<T>): Promise<T> | "full" {
    if (this.active >= this.maxActive && this.queue.length >= this.maxQueued) return "full";
    return new Promise<void>((resolve) => {
      if (this.active < this.maxActive) {
        this.active++;
        resolve();
      } else {
        this.queue.push(resolve);
      }
    })
      .then(work)
      .finally(() => {
        const next = this.queue.shift();
        if (next) next();
        else this.active--;
      });
  }

  get load(): { active: number; queued: number } {
    return { active: this.active, queued: this.queue.length };
  }
}
