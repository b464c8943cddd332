import type { NormalizedEvent } from "../../schema/event";
import type { CountCondition } from "../rule";
import { Correlation, type Firing } from "./correlation";
import { satisfies } from "./count-condition";

/**
 * temporal: the listed rules all matched for the same group within `timespan`, in any order (or as
 * many of them as the condition asks). Values are base rule indexes → when that rule last matched.
 */
export class Temporal extends Correlation {
  private readonly needed: CountCondition =
    Object.keys(this.settings.condition).length > 0 ? this.settings.condition : { gte: this.rule.correlation.rules.length };

  protected update(key: string, event: NormalizedEvent, t: number, base: number, out: Firing[]): void {
    const span = this.settings.timespanMs;
    const state = this.load(key) ?? this.fresh(t, t + span);
    const newest = Math.max(t, state.expires - span);
    for (const [rule, seen] of state.values) if (seen < newest - span) state.values.delete(rule);
    const slot = String(base);
    state.values.set(slot, Math.max(t, state.values.get(slot) ?? t));
    this.remember(state, event, t);
    state.expires = newest + span;
    const count = state.values.size;
    if (!satisfies(count, this.needed)) return this.save(key, state);
    out.push(this.firing(key, state.events, count, Math.min(...state.values.values())));
    this.forget(key);
  }
}
