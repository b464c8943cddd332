import { fieldGetter } from "../field-path";
import type { GroupState } from "../state-store";
import type { CorrelationRule } from "../rule";
import type { CorrelationSettings } from "./correlation";
import { FieldTuple } from "./field-tuple";
import { WindowedCount } from "./windowed-count";

/** value_count: distinct values of `condition.field` per group. Values are field values → last seen. */
export class ValueCount extends WindowedCount {
  private readonly field: FieldTuple;
  private readonly values: string[] = [];

  constructor(rule: CorrelationRule, settings: CorrelationSettings) {
    super(rule, settings);
    this.field = new FieldTuple((rule.correlation.field ?? []).map(fieldGetter));
  }

  protected add(state: GroupState, event: object, t: number): boolean {
    const n = this.field.keys(event, this.values);
    for (let k = 0; k < n; k++) {
      const v = this.values[k];
      const seen = state.values.get(v);
      // Re-inserted so that the map stays in last-seen order, oldest first, for pruning.
      state.values.delete(v);
      state.values.set(v, seen === undefined ? t : Math.max(seen, t));
    }
    return n > 0;
  }

  protected entryTime(_key: string, value: number): number {
    return value;
  }

  protected measure(state: GroupState): number {
    return state.values.size;
  }
}
