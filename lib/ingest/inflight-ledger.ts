interface Entry {
  records: number;
  /** Deliveries scheduled but not yet received by their node. */
  scheduled: number;
  /** Receipts whose node has not finished with the message. */
  active: number;
  since: number;
}

/**
 * Counts records handed downstream that downstream has not finished with, by message id.
 * The runtime reports each message's deliveries, receipts and completions; a message is finished
 * when nothing is scheduled for it and no node still holds it. Messages that are never finished
 * (a node that never calls done) are released after a timeout, so the webhook cannot wedge.
 */
export class InflightLedger {
  private readonly entries = new Map<string, Entry>();
  private waiters: Array<() => void> = [];
  private total = 0;
  /** Messages released by timeout rather than completion. */
  timedOut = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get records(): number {
    return this.total;
  }

  get messages(): number {
    return this.entries.size;
  }

  /** Call before the message is sent. */
  track(id: string, records: number): void {
    this.entries.set(id, { records, scheduled: 0, active: 0, since: this.now() });
    this.total += records;
  }

  /** Call once the send call has returned: a message nobody was wired to receive is finished now. */
  sent(id: string): void {
    this.settle(id);
  }

  delivering(id: string): void {
    const e = this.entries.get(id);
    if (e) e.scheduled++;
  }

  /** A node received the message. Direct `receive()` calls (link nodes) arrive with nothing scheduled. */
  received(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    if (e.scheduled > 0) e.scheduled--;
    e.active++;
  }

  /** A node finished with the message (done() called, or its handler returned if it takes no done). */
  completed(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    if (e.active > 0) e.active--;
    this.settle(id);
  }

  /** Releases messages older than the timeout. */
  sweep(): void {
    const limit = this.now() - this.timeoutMs;
    for (const [id, e] of this.entries) {
      if (e.since > limit) break;
      this.timedOut++;
      this.release(id, e);
    }
  }

  /**
   * Resolves true once fewer than `bound` records are in flight, false after `waitMs`.
   * Waiting re-checks on every release and sweeps stale messages on the way.
   */
  async waitBelow(bound: number, waitMs: number): Promise<boolean> {
    this.sweep();
    if (this.total < bound) return true;
    const deadline = this.now() + waitMs;
    while (this.total >= bound) {
      const left = deadline - this.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 1000));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
      this.sweep();
    }
    return true;
  }

  /** Forgets everything (node closing): waiters are woken and see an empty ledger. */
  clear(): void {
    this.entries.clear();
    this.total = 0;
    this.wake();
  }

  private settle(id: string): void {
    const e = this.entries.get(id);
    if (e && e.scheduled === 0 && e.active === 0) this.release(id, e);
  }

  private release(id: string, e: Entry): void {
    this.entries.delete(id);
    this.total -= e.records;
    this.wake();
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
