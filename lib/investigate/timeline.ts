import type { TimelineEntry } from "./types";

export interface MergedTimeline {
  timeline: TimelineEntry[];
  total: number;
  truncated: boolean;
}

/**
 * Every backend's lines in one list, oldest first, keeping the newest `cap`: the moments around
 * an alert that matter most are its latest. Lines of one instant keep a fixed order (by source),
 * so the same answers always give the same timeline.
 */
export function mergeTimeline(parts: ReadonlyArray<readonly TimelineEntry[]>, cap: number): MergedTimeline {
  const all = parts.flat();
  const keyed = all.map((e, i) => ({ e, t: Date.parse(e["@timestamp"]), i }));
  keyed.sort((a, b) => a.t - b.t || (a.e.source < b.e.source ? -1 : a.e.source > b.e.source ? 1 : 0) || a.i - b.i);
  const kept = keyed.length > cap ? keyed.slice(keyed.length - cap) : keyed;
  return { timeline: kept.map((k) => k.e), total: all.length, truncated: all.length > cap };
}

/** The earliest and latest time among lines and known bounds, as ISO strings. */
export function span(times: ReadonlyArray<string | undefined>): { first?: string; last?: string } {
  let first: number | undefined;
  let last: number | undefined;
  for (const text of times) {
    if (text === undefined) continue;
    const t = Date.parse(text);
    if (Number.isNaN(t)) continue;
    if (first === undefined || t < first) first = t;
    if (last === undefined || t > last) last = t;
  }
  return {
    ...(first !== undefined ? { first: new Date(first).toISOString() } : {}),
    ...(last !== undefined ? { last: new Date(last).toISOString() } : {}),
  };
}
