import type { Counted } from "../store/event-store";
import type { Tally, TimelineEntry } from "./types";

/**
 * Counting values across backends. The store and the API see the same traffic (the events the
 * store keeps came from the same Cloudflare account), so their counts of one value are not added:
 * the larger one is kept, and `sources` says who saw it. Within one backend, counts add up.
 * Values are told apart without case: the store keys them lower-cased, the API as the IdP spells them.
 */

type Combine = (have: number, add: number) => number;
const add: Combine = (a, b) => a + b;

class TallyMap {
  private readonly byValue = new Map<string, Tally>();

  constructor(private readonly combine: Combine) {}

  put(value: string, count: number, sources: readonly string[]): void {
    const key = value.toLowerCase();
    const have = this.byValue.get(key);
    if (!have) {
      this.byValue.set(key, { value, count, sources: [...sources] });
      return;
    }
    // The store keys values lower-cased: another backend's spelling, as the IdP or device has it, reads better.
    if (have.value === key && value !== key) have.value = value;
    have.count = this.combine(have.count, count);
    for (const s of sources) if (!have.sources.includes(s)) have.sources.push(s);
  }

  list(): Tally[] {
    return [...this.byValue.values()];
  }
}

/** One backend's count of each value `pick` finds; an API row counts as the events it stands for. */
export function tallyEntries<T extends Pick<TimelineEntry, "source" | "count">>(entries: readonly T[], pick: (e: T) => string | undefined): Tally[] {
  const map = new TallyMap(add);
  for (const e of entries) {
    const value = pick(e);
    if (value !== undefined) map.put(value, e.count ?? 1, [e.source]);
  }
  return map.list();
}

/** Tallies of one backend from several of its calls (different datasets): the counts add up. */
export function sumTallies(lists: ReadonlyArray<readonly Tally[]>): Tally[] {
  const map = new TallyMap(add);
  for (const list of lists) for (const t of list) map.put(t.value, t.count, t.sources);
  return map.list();
}

/** One list from each backend's: the larger count per value, most seen first, at most `top`. */
export function mergeTallies(lists: ReadonlyArray<readonly Tally[]>, top: number): Tally[] {
  const map = new TallyMap(Math.max);
  for (const list of lists) for (const t of list) map.put(t.value, t.count, t.sources);
  return map
    .list()
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, top);
}

/** The store's aggregates as tallies. */
export function storeTally(counted: readonly Counted[] | undefined): Tally[] {
  return (counted ?? []).filter((c) => typeof c.value === "string" && Number.isFinite(c.count)).map((c) => ({ value: c.value, count: c.count, sources: ["store"] }));
}

/** Leaves out the values in `exclude` (compared without case): the alert's own user and host. */
export function without(list: readonly Tally[], exclude: ReadonlySet<string>): Tally[] {
  return exclude.size === 0 ? [...list] : list.filter((t) => !exclude.has(t.value.toLowerCase()));
}

export function total(list: readonly Tally[]): number {
  return list.reduce((n, t) => n + t.count, 0);
}
