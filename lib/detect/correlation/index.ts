import type { CorrelationRule } from "../rule";
import type { Correlation, CorrelationSettings } from "./correlation";
import { EventCount } from "./event-count";
import { FirstSeen } from "./first-seen";
import { Temporal } from "./temporal";
import { TemporalOrdered } from "./temporal-ordered";
import { ValueCount } from "./value-count";

export type { Correlation, CorrelationSettings, Firing } from "./correlation";

export function createCorrelation(rule: CorrelationRule, settings: CorrelationSettings): Correlation {
  switch (rule.correlation.type) {
    case "event_count":
      return new EventCount(rule, settings);
    case "value_count":
      return new ValueCount(rule, settings);
    case "temporal":
      return new Temporal(rule, settings);
    case "temporal_ordered":
      return new TemporalOrdered(rule, settings);
    case "first_seen":
      return new FirstSeen(rule, settings);
  }
}
