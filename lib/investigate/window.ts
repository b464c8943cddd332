import { epochMs } from "../parsers/timestamp";
import { field } from "./untrusted";

export interface TimeWindow {
  /** Epoch milliseconds, inclusive. */
  from: number;
  to: number;
}

/**
 * The time to look at: from `beforeMs` ahead of the alert's first event to `afterMs` past its last,
 * or the same span around `now` when there is no alert (an investigation asked for by hand).
 */
export function windowAround(alert: unknown, beforeMs: number, afterMs: number, now: number): TimeWindow {
  const first = epochMs(field(alert, "first_seen")) ?? epochMs(field(alert, "@timestamp"));
  const last = epochMs(field(alert, "last_seen")) ?? first;
  const start = first ?? now;
  const end = Math.max(last ?? now, start);
  return { from: Math.max(0, start - beforeMs), to: end + afterMs };
}
