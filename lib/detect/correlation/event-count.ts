import type { GroupState } from "../state-store";
import { WindowedCount } from "./windowed-count";

/** event_count: matching events per group. Values are event times (as keys) → events at that time. */
export class EventCount extends WindowedCount {
  protected add(state: GroupState, _event: object, t: number): boolean {
    const key = String(t);
    state.values.set(key, (state.values.get(key) ?? 0) + 1);
    return true;
  }

  protected entryTime(key: string): number {
    return Number(key);
  }

  protected measure(state: GroupState): number {
    let n = 0;
    for (const count of state.values.values()) n += count;
    return n;
  }
}
