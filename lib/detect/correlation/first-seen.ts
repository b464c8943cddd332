import type { NormalizedEvent } from "../../schema/event";
import { fieldGetter } from "../field-path";
import type { CorrelationRule } from "../rule";
import { Correlation, type CorrelationSettings, type Firing } from "./correlation";
import { FieldTuple } from "./field-tuple";

/**
 * first_seen: `condition.field` holds a value the group never had, once the group has learnt for
 * `learning` from its own first event (event time, so replays and tests need no clock). Values are
 * the known values → last seen; the baseline has no window and lives until the store evicts it,
 * after which the group learns again rather than alerting on everything.
 */
export class FirstSeen extends Correlation {
  private readonly field: FieldTuple;
  private readonly values: string[] = [];

  constructor(rule: CorrelationRule, settings: CorrelationSettings) {
    super(rule, settings);
    this.field = new FieldTuple((rule.correlation.field ?? []).map(fieldGetter));
  }

  protected update(key: string, event: NormalizedEvent, t: number, _base: number, out: Firing[]): void {
    const n = this.field.keys(event, this.values);
    if (n === 0) return;
    const state = this.load(key) ?? this.fresh(t, Infinity);
    let unseen = false;
    for (let k = 0; k < n; k++) {
      const v = this.values[k];
      unseen ||= !state.values.has(v);
      // Re-inserted so that the least recently seen value is the first dropped when the group is full.
      state.values.delete(v);
      state.values.set(v, t);
    }
    this.save(key, state);
    if (unseen && t >= state.since + this.settings.learningMs) out.push(this.firing(key, [{ t, event }], 1, t));
  }
}
