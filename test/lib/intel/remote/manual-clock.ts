import type { Clock } from "../../../../lib/intel/remote";

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets promise callbacks and I/O callbacks that are already due run. */
export const flush = async (rounds = 5) => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * A clock that moves only when told to: a minute of rate limit, a day of quota or a breaker's
 * cool-down pass in one call, and nothing fires early.
 */
export class ManualClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;

  /** Starts at the real time, so that reset times a stand-in computes from Date.now line up. */
  constructor(private t = Date.now()) {}

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms`, firing due timers in order and letting what they start run. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }

  /**
   * Whether some timer fires exactly `ms` from now: how a test knows that the code under test
   * has started the wait it expects (a back-off after an answer arrived) before moving time.
   */
  waitingFor(ms: number): boolean {
    return this.timers.some((t) => t.at - this.t === ms);
  }
}
