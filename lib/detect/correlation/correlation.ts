import type { NormalizedEvent } from "../../schema/event";
import { fieldGetter } from "../field-path";
import type { CorrelationRule, CountCondition } from "../rule";
import type { Hit } from "../hit";
import type { GroupState, StateStore, StoredEvent } from "../state-store";
import { FieldTuple, keyValues } from "./field-tuple";

/** A correlation's numbers once overrides are applied. */
export interface CorrelationSettings {
  timespanMs: number;
  learningMs: number;
  condition: CountCondition;
  /** Events kept per group for the alert. */
  maxEvents: number;
  store: StateStore;
}

/** A correlation met: a Hit that always has its group. */
export type Firing = Hit & { group: Record<string, string> };

/**
 * The part every correlation type shares: group keys per base rule (through Sigma aliases), the
 * state of each group in the store under the rule's id, and the events kept for the alert.
 */
export abstract class Correlation {
  readonly id: string;
  private readonly groupKeys: FieldTuple[];
  private readonly keys: string[] = [];

  constructor(
    readonly rule: CorrelationRule,
    protected readonly settings: CorrelationSettings,
  ) {
    this.id = rule.id;
    const { groupBy, aliases, rules } = rule.correlation;
    this.groupKeys = rules.map((ref) => new FieldTuple(groupBy.map((name) => fieldGetter(aliases[name]?.[ref] ?? name))));
  }

  /** The base rule at `base` (its index in `correlation.rules`) matched `event`, at event time `t`. */
  observe(event: NormalizedEvent, t: number, base: number, out: Firing[]): void {
    const n = this.groupKeys[base].keys(event, this.keys);
    for (let k = 0; k < n; k++) this.update(this.keys[k], event, t, base, out);
  }

  /** Judges windows that ended before `time`; only conditions with an upper bound wait for that. */
  close(_time: number, _out: Firing[]): void {}

  protected abstract update(key: string, event: NormalizedEvent, t: number, base: number, out: Firing[]): void;

  protected load(key: string): GroupState | undefined {
    return this.settings.store.get(this.id, key);
  }

  protected save(key: string, state: GroupState): void {
    this.settings.store.set(this.id, key, state);
  }

  protected forget(key: string): void {
    this.settings.store.delete(this.id, key);
  }

  protected fresh(t: number, expires: number): GroupState {
    return { since: t, expires, values: new Map(), events: [] };
  }

  protected remember(state: GroupState, event: NormalizedEvent, t: number): void {
    state.events.push({ t, event });
    if (state.events.length > this.settings.maxEvents) state.events.shift();
  }

  /** A firing from the group's kept events since `first`. */
  protected firing(key: string, events: readonly StoredEvent[], count: number, first: number): Firing {
    const since = events.filter((e) => e.t >= first);
    const last = since.length > 0 ? since[since.length - 1].t : first;
    return { group: keyValues(key, this.rule.correlation.groupBy), events: since, count, first, last };
  }
}
