/**
 * How far event time has got, per dataset. Each source arrives on its own schedule (Logpush jobs
 * push every few minutes, SCIM and risk scores are polled), so lateness is judged against the
 * newest event of the same dataset: a poll that is ten minutes behind the Logpush jobs is not late.
 */
export class Watermarks {
  /** Per dataset, in a box that admit() updates in place: it runs for every event. */
  private readonly newest = new Map<string, { t: number }>();
  private lastName: string | undefined;
  private last: { t: number } | undefined;

  constructor(
    private readonly latenessMs: number,
    /** A dataset silent for this long (behind the newest of any) stops holding the horizon back. */
    private readonly idleMs: number,
  ) {}

  /**
   * True when an event of `dataset` at `t` is on time: no more than the lateness behind the newest
   * event of its dataset. The watermark follows on-time events, but never past `ceiling` (the clock
   * plus the lateness), so one timestamp from the future cannot make everything after it late.
   */
  admit(dataset: string, t: number, ceiling: number): boolean {
    let box = this.last;
    if (dataset !== this.lastName || box === undefined) {
      box = this.newest.get(dataset);
      if (box === undefined) this.newest.set(dataset, (box = { t: -Infinity }));
      this.lastName = dataset;
      this.last = box;
    }
    const mark = box.t;
    if (t < mark - this.latenessMs) return false;
    if (t > mark) box.t = Math.min(t, Math.max(ceiling, mark));
    return true;
  }

  /**
   * Event time before which no event will be admitted any more, by any dataset still active: state
   * that ends before it can go.
   */
  horizon(): number {
    let max = -Infinity;
    for (const { t } of this.newest.values()) max = Math.max(max, t);
    let min = Infinity;
    for (const { t } of this.newest.values()) if (t >= max - this.idleMs) min = Math.min(min, t);
    return min === Infinity ? -Infinity : min - this.latenessMs;
  }

  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, { t }] of this.newest) if (t !== -Infinity) out[name] = t;
    return out;
  }

  /** False, and empty, when `saved` is not a snapshot. */
  restore(saved: unknown): boolean {
    this.newest.clear();
    this.lastName = this.last = undefined;
    if (saved === null || typeof saved !== "object" || Array.isArray(saved)) return false;
    const entries = Object.entries(saved);
    if (!entries.every(([, t]) => Number.isFinite(t))) return false;
    for (const [name, t] of entries) this.newest.set(name, { t: t as number });
    return true;
  }
}
