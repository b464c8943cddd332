export interface ScheduleOptions {
  intervalMs: number;
  /** The longest wait after a run of failures. */
  maxBackoffMs: number;
  /** When the first poll runs after start. */
  initialDelayMs?: number;
}

export type RunOutcome = "ok" | "failed";

/**
 * Runs a poll every interval, never two at once: the next poll is timed from the end of the one
 * before, so a poll that outlasts its interval is followed at once, not overlapped. Failures in a
 * row double the wait, up to a ceiling, so a broken token or an outage does not hammer the API.
 */
export class PollSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private requested = false;
  /** Failures in a row. */
  failures = 0;
  /** Polls that took longer than the interval. */
  overruns = 0;
  /** When the next poll is due (ms since epoch), or null while one runs or after stop. */
  nextAt: number | null = null;

  constructor(
    private readonly opts: ScheduleOptions,
    private readonly run: () => Promise<RunOutcome>,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.opts.initialDelayMs ?? 0);
  }

  /**
   * Polls now, or right after the poll that is running: "now" or "queued". A request while one is
   * already queued adds nothing ("ignored"), nor does one after stop.
   */
  trigger(): "now" | "queued" | "ignored" {
    if (this.stopped) return "ignored";
    if (this.running) {
      if (this.requested) return "ignored";
      this.requested = true;
      return "queued";
    }
    this.clearTimer();
    void this.tick();
    return "now";
  }

  /** Stops scheduling and waits for a running poll to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.running;
  }

  /** The wait before the next poll after `elapsedMs` of polling. */
  delayAfter(elapsedMs: number): number {
    return this.failures > 0 ? this.backoffFor(this.failures) : Math.max(this.opts.intervalMs - elapsedMs, 0);
  }

  /** The wait after `failures` failures in a row. */
  backoffFor(failures: number): number {
    return Math.min(this.opts.intervalMs * 2 ** failures, this.opts.maxBackoffMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.nextAt = Date.now() + delayMs;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    this.nextAt = null;
    const started = Date.now();
    let done!: () => void;
    this.running = new Promise((resolve) => (done = resolve));
    try {
      const outcome = await this.run().catch((): RunOutcome => "failed");
      this.failures = outcome === "ok" ? 0 : this.failures + 1;
    } finally {
      this.running = null;
      done();
    }
    const elapsed = Date.now() - started;
    if (elapsed > this.opts.intervalMs) this.overruns++;
    const asked = this.requested;
    this.requested = false;
    this.schedule(asked ? 0 : this.delayAfter(elapsed));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
  }
}
