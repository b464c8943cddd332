import type { StoredEvent } from "./state-store";

/** A rule firing as suppression and the alert builder see it, whatever kind of rule fired. */
export interface Hit {
  /** Events that made it, oldest first, capped; the last one triggered it. */
  events: StoredEvent[];
  /** Events (or, for value_count, distinct values; for temporal, rules) the firing stands for. */
  count: number;
  first: number;
  last: number;
  /** A correlation's group-by values. */
  group?: Record<string, string>;
}
