import type { NormalizedEvent } from "../../schema/event";
import type { GroupState } from "../state-store";
import { Correlation, type Firing } from "./correlation";
import { hasUpperBound, satisfies } from "./count-condition";

/**
 * event_count and value_count: a count per group over `timespan` of event time.
 *
 * With lower bounds only (`gte: 10`) the window slides: it always covers the group's newest event
 * and the `timespan` before it, and the group fires the moment the count is reached, then starts
 * again. A condition with an upper bound (`lte: 2`, `eq: 3`) cannot be judged before the window is
 * over, so the window is fixed, from the group's first event, and judged when it closes.
 */
export abstract class WindowedCount extends Correlation {
  private readonly judgedAtClose = hasUpperBound(this.settings.condition);

  /** Adds what the event contributes; false when it contributes nothing (no value to count). */
  protected abstract add(state: GroupState, event: NormalizedEvent, t: number): boolean;
  /** Event time of one entry of `state.values`. */
  protected abstract entryTime(key: string, value: number): number;
  protected abstract measure(state: GroupState): number;

  protected update(key: string, event: NormalizedEvent, t: number, _base: number, out: Firing[]): void {
    const span = this.settings.timespanMs;
    let state = this.load(key);
    if (state && this.judgedAtClose && t > state.since + span) {
      this.judge(key, state, out);
      state = undefined;
    }
    state ??= this.fresh(t, t + span);
    if (!this.add(state, event, t)) return;
    this.remember(state, event, t);
    if (this.judgedAtClose) {
      state.since = Math.min(state.since, t);
      state.expires = state.since + span;
      return this.save(key, state);
    }
    const newest = Math.max(t, state.expires - span);
    state.expires = newest + span;
    this.prune(state, newest - span, false);
    if (satisfies(this.measure(state), this.settings.condition)) {
      // Pruning above stops at the first entry inside the window; late events can hide older
      // ones behind it, so the count is made exact before it is acted on.
      this.prune(state, newest - span, true);
      const count = this.measure(state);
      if (satisfies(count, this.settings.condition)) {
        out.push(this.firing(key, state.events, count, this.oldest(state)));
        return this.forget(key);
      }
    }
    this.save(key, state);
  }

  close(time: number, out: Firing[]): void {
    if (!this.judgedAtClose) return;
    for (const [key, state] of this.settings.store.groups(this.id)) {
      if (state.since + this.settings.timespanMs < time) this.judge(key, state, out);
    }
  }

  private judge(key: string, state: GroupState, out: Firing[]): void {
    const count = this.measure(state);
    if (satisfies(count, this.settings.condition)) out.push(this.firing(key, state.events, count, state.since));
    this.forget(key);
  }

  private prune(state: GroupState, cutoff: number, everything: boolean): void {
    for (const [key, value] of state.values) {
      if (this.entryTime(key, value) >= cutoff) {
        if (everything) continue;
        break;
      }
      state.values.delete(key);
    }
  }

  private oldest(state: GroupState): number {
    let oldest = Infinity;
    for (const [key, value] of state.values) oldest = Math.min(oldest, this.entryTime(key, value));
    return oldest === Infinity ? state.since : oldest;
  }
}
