import type { NormalizedEvent } from "../schema/event";

export interface StoredEvent {
  /** Event time, epoch ms. */
  t: number;
  event: NormalizedEvent;
}

/** The state of one group of one rule: the one shape every correlation type and suppression use. */
export interface GroupState {
  /** Event time the group started (a window's start, first_seen's learning start). */
  since: number;
  /** Event time after which the state means nothing; Infinity: kept until evicted. */
  expires: number;
  /** Keyed numbers (distinct values → last seen, timestamps → counts, steps → times), oldest first. */
  values: Map<string, number>;
  /** Events kept for the alert, oldest first, capped by the engine. */
  events: StoredEvent[];
}

export interface StateLimits {
  /** Groups over all rules; the least recently used goes first. */
  maxGroups: number;
  /** Keys in one group's `values`; the oldest goes first. */
  maxValuesPerGroup: number;
}

export interface StateStats {
  groups: number;
  /** Groups dropped to stay within maxGroups before they expired. */
  evictions: number;
  /** Values dropped from full groups. */
  valueEvictions: number;
  /** Both kinds of eviction, by rule id. */
  evictionsByRule: Record<string, number>;
}

export type RestoreReport = { restored: true; groups: number } | { restored: false; reason: string };

/**
 * The one interface all detection state goes through, keyed by rule and group, so that a shared
 * store can replace the in-memory one. A state read with `get` and changed must be written back
 * with `set`: the store enforces its limits there.
 */
export interface StateStore {
  readonly limits: StateLimits;
  get(rule: string, group: string): GroupState | undefined;
  set(rule: string, group: string, state: GroupState): void;
  delete(rule: string, group: string): void;
  /** Whether the rule has any group at all: a cheap question asked for every event. */
  hasGroups(rule: string): boolean;
  /** The rule's groups at the time of the call (deleting while iterating is fine). */
  groups(rule: string): Array<[string, GroupState]>;
  /** Drops states that expire before `time` (event time no admitted event can be older than). */
  expire(time: number): void;
  stats(): StateStats;
  /** JSON-serialisable. */
  snapshot(): unknown;
  /** Replaces the content with a snapshot's; anything unreadable leaves the store empty and says why. */
  restore(snapshot: unknown): RestoreReport;
}

export const DEFAULT_STATE_LIMITS: Readonly<StateLimits> = Object.freeze({ maxGroups: 10_000, maxValuesPerGroup: 1000 });

interface Entry {
  rule: string;
  group: string;
  state: GroupState;
  older: Entry | undefined;
  newer: Entry | undefined;
}

const SNAPSHOT_VERSION = 1;
/** Event time between two sweeps through every state (see expire). */
const FULL_SWEEP_EVERY_MS = 60_000;
type SnapshotGroup = [rule: string, group: string, since: number, expires: number | null, values: Array<[string, number]>, events: Array<[number, NormalizedEvent]>];

/**
 * Bounded in memory: at most `maxGroups` groups, kept in least-recently-used order by a linked
 * list (O(1) per touch), and at most `maxValuesPerGroup` values per group. Whatever the input, the
 * store stays within these; what it drops to do so is counted, by rule.
 */
export class MemoryStateStore implements StateStore {
  readonly limits: StateLimits;
  private readonly byRule = new Map<string, Map<string, Entry>>();
  private oldest: Entry | undefined;
  private newest: Entry | undefined;
  private size = 0;
  private evictions = 0;
  private valueEvictions = 0;
  private readonly evictionsByRule = new Map<string, number>();
  /** The latest time passed to expire(): a dead state evicted for room is not a loss. */
  private horizon = -Infinity;
  private lastFullSweep = -Infinity;
  private lastRead: Entry | undefined;

  constructor(limits: Partial<StateLimits> = {}) {
    this.limits = { ...DEFAULT_STATE_LIMITS, ...limits };
    if (!(this.limits.maxGroups >= 1 && this.limits.maxValuesPerGroup >= 1)) throw new RangeError("state limits must be at least 1");
  }

  get(rule: string, group: string): GroupState | undefined {
    const entry = this.byRule.get(rule)?.get(group);
    if (!entry) return undefined;
    this.touch(entry);
    this.lastRead = entry;
    return entry.state;
  }

  set(rule: string, group: string, state: GroupState): void {
    // A state is nearly always written back right after it was read: no second lookup then.
    const last = this.lastRead;
    if (last && last.group === group && last.rule === rule) {
      last.state = state;
      this.touch(last);
      this.trimValues(rule, state);
      return;
    }
    let groups = this.byRule.get(rule);
    if (!groups) this.byRule.set(rule, (groups = new Map()));
    let entry = groups.get(group);
    if (entry) {
      entry.state = state;
      this.touch(entry);
    } else {
      entry = { rule, group, state, older: this.newest, newer: undefined };
      this.link(entry);
      groups.set(group, entry);
      this.size++;
    }
    this.trimValues(rule, state);
    while (this.size > this.limits.maxGroups) this.evictOldest();
  }

  delete(rule: string, group: string): void {
    const groups = this.byRule.get(rule);
    const entry = groups?.get(group);
    if (entry) this.remove(entry);
  }

  hasGroups(rule: string): boolean {
    return this.byRule.has(rule);
  }

  groups(rule: string): Array<[string, GroupState]> {
    return [...(this.byRule.get(rule)?.values() ?? [])].map((e) => [e.group, e.state]);
  }

  expire(time: number): void {
    this.horizon = Math.max(this.horizon, time);
    // Least recently used states are mostly the expired ones: drop them from that end at every
    // call, and look through everything only once event time has moved on a while.
    while (this.oldest && this.oldest.state.expires < this.horizon) this.remove(this.oldest);
    if (this.horizon - this.lastFullSweep < FULL_SWEEP_EVERY_MS) return;
    this.lastFullSweep = this.horizon;
    for (let e = this.oldest; e; ) {
      const next = e.newer;
      if (e.state.expires < this.horizon) this.remove(e);
      e = next;
    }
  }

  stats(): StateStats {
    return { groups: this.size, evictions: this.evictions, valueEvictions: this.valueEvictions, evictionsByRule: Object.fromEntries(this.evictionsByRule) };
  }

  snapshot(): unknown {
    const groups: SnapshotGroup[] = [];
    for (let e = this.oldest; e; e = e.newer) {
      const s = e.state;
      groups.push([e.rule, e.group, s.since, s.expires === Infinity ? null : s.expires, [...s.values], s.events.map((x) => [x.t, x.event])]);
    }
    return { version: SNAPSHOT_VERSION, groups };
  }

  restore(snapshot: unknown): RestoreReport {
    this.clear();
    const groups = readSnapshot(snapshot);
    if (typeof groups === "string") return { restored: false, reason: groups };
    for (const [rule, group, since, expires, values, events] of groups) {
      this.set(rule, group, { since, expires: expires ?? Infinity, values: new Map(values), events: events.map(([t, event]) => ({ t, event })) });
    }
    return { restored: true, groups: this.size };
  }

  private clear(): void {
    this.lastRead = undefined;
    this.byRule.clear();
    this.oldest = this.newest = undefined;
    this.size = 0;
  }

  private trimValues(rule: string, state: GroupState): void {
    const excess = state.values.size - this.limits.maxValuesPerGroup;
    if (excess <= 0) return;
    let n = 0;
    for (const key of state.values.keys()) {
      if (n++ >= excess) break;
      state.values.delete(key);
    }
    this.valueEvictions += excess;
    this.count(rule, excess);
  }

  private evictOldest(): void {
    const victim = this.oldest!;
    if (victim.state.expires >= this.horizon) {
      this.evictions++;
      this.count(victim.rule, 1);
    }
    this.remove(victim);
  }

  private count(rule: string, n: number): void {
    this.evictionsByRule.set(rule, (this.evictionsByRule.get(rule) ?? 0) + n);
  }

  private touch(entry: Entry): void {
    if (entry === this.newest) return;
    this.unlink(entry);
    entry.older = this.newest;
    entry.newer = undefined;
    this.link(entry);
  }

  private link(entry: Entry): void {
    if (this.newest) this.newest.newer = entry;
    this.newest = entry;
    if (!this.oldest) this.oldest = entry;
  }

  private unlink(entry: Entry): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
  }

  private remove(entry: Entry): void {
    if (entry === this.lastRead) this.lastRead = undefined;
    this.unlink(entry);
    const groups = this.byRule.get(entry.rule)!;
    groups.delete(entry.group);
    if (groups.size === 0) this.byRule.delete(entry.rule);
    this.size--;
  }
}

/** The groups of a snapshot, or why it cannot be one. */
function readSnapshot(snapshot: unknown): SnapshotGroup[] | string {
  if (snapshot === null || typeof snapshot !== "object") return "not an object";
  const { version, groups } = snapshot as { version?: unknown; groups?: unknown };
  if (version !== SNAPSHOT_VERSION) return `unknown snapshot version ${JSON.stringify(version)}`;
  if (!Array.isArray(groups)) return "no list of groups";
  for (let i = 0; i < groups.length; i++) {
    if (!isGroup(groups[i])) return `group ${i} is malformed`;
  }
  return groups as SnapshotGroup[];
}

function isGroup(g: unknown): boolean {
  if (!Array.isArray(g) || g.length !== 6) return false;
  const [rule, group, since, expires, values, events] = g as unknown[];
  return (
    typeof rule === "string" &&
    typeof group === "string" &&
    Number.isFinite(since) &&
    (expires === null || Number.isFinite(expires)) &&
    Array.isArray(values) &&
    values.every((v) => Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && Number.isFinite(v[1])) &&
    Array.isArray(events) &&
    events.every((e) => Array.isArray(e) && e.length === 2 && Number.isFinite(e[0]) && e[1] !== null && typeof e[1] === "object" && !Array.isArray(e[1]))
  );
}
