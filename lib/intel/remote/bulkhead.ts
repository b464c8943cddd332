/** Gives the slot back; calling it more than once changes nothing. */
export type Release = () => void;

/**
 * A concurrency cap with a bounded wait queue. A caller gets a slot at once, waits in line, or,
 * with the line full, is refused at once: the queue is where memory could grow without bound
 * when a provider is slower than the alerts arrive, so it is capped, not the alerts delayed.
 */
export class Bulkhead {
  private active = 0;
  private readonly line: Array<(release: Release) => void> = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueue: number,
  ) {}

  /** A slot, "full" when the line is full, or "aborted" when `signal` aborted while waiting. */
  enter(signal: AbortSignal): Promise<Release | "full" | "aborted"> {
    if (signal.aborted) return Promise.resolve("aborted");
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.line.length >= this.maxQueue) return Promise.resolve("full");
    return new Promise((resolve) => {
      const admit = (release: Release) => {
        signal.removeEventListener("abort", onAbort);
        resolve(release);
      };
      const onAbort = () => {
        const at = this.line.indexOf(admit);
        if (at >= 0) this.line.splice(at, 1);
        resolve("aborted");
      };
      this.line.push(admit);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.line.shift();
      // The slot passes straight to the next in line, so `active` stays as it is.
      if (next) next(this.releaser());
      else this.active--;
    };
  }
}
