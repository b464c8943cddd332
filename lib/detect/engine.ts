import type { NormalizedEvent } from "../schema/event";
import { AlertBuilder, type Alert } from "./alert-builder";
import { createCorrelation, type Correlation, type Firing } from "./correlation";
import { compileDatasetProgram, type DatasetProgram } from "./dataset-program";
import { eventTime } from "./event-time";
import type { Hit } from "./hit";
import { applyThresholds, OverrideError, type RuleOverride, type Thresholds } from "./overrides";
import { severityRank, type CorrelationRule, type DetectionRule, type Rule, type Severity } from "./rule";
import { alertsAlone } from "./rule-links";
import { MemoryStateStore, type StateStore } from "./state-store";
import { fold, suppressionKey, Suppressor } from "./suppression";
import { Watermarks } from "./watermark";

export interface EngineLimits {
  /** Correlation and suppression groups kept, over all rules. */
  maxGroups: number;
  /** Values (distinct values, timestamps) kept per group. */
  maxValuesPerGroup: number;
  /** How far behind the newest event time of its dataset an event may arrive and still count in windows. */
  latenessMs: number;
  maxEventsPerAlert: number;
}

export const DEFAULT_ENGINE_LIMITS: Readonly<EngineLimits> = Object.freeze({
  maxGroups: 10_000,
  maxValuesPerGroup: 1000,
  latenessMs: 5 * 60_000,
  maxEventsPerAlert: 10,
});

export interface EngineOptions {
  rules: readonly Rule[];
  /** By rule id. An id no rule has is reported in `warnings`, not refused (rules come and go). */
  overrides?: Readonly<Record<string, RuleOverride>>;
  /** Turn on the rules marked `optin: true`. */
  includeOptin?: boolean;
  /** Rules below this severity do not alert. */
  minSeverity?: Severity;
  limits?: Partial<EngineLimits>;
  /** Where correlation and suppression state lives; by default in memory, within `limits`. */
  state?: StateStore;
  /** The clock: only used to keep a timestamp from the future from dragging event time along. */
  now?: () => number;
}

export interface RuleStats {
  /** Events the rule matched (correlations: times it was met). */
  matches: number;
  alerts: number;
  suppressed: number;
  evictions: number;
}

export interface EngineStats {
  events: number;
  alerts: number;
  /** Repeats folded into an alert or dropped by `suppress`. */
  suppressed: number;
  /** Events too far behind their dataset's newest event time to count in correlation windows. */
  late: number;
  /** Correlation state dropped to stay within the limits (groups, and values of full groups). */
  evictions: number;
  groups: number;
  rules: { active: number; total: number };
  perRule: Record<string, RuleStats>;
}

export type EngineRestoreReport = { restored: true; groups: number } | { restored: false; reason: string };

/** A rule as the engine runs it. */
interface Runtime {
  rule: Rule;
  /** Its hits are alerts (it is active and not only a building block of a correlation). */
  alerts: boolean;
  /** Correlations this rule's hits feed, with its place in their `rules` list. */
  feeds: Array<{ target: CorrelationRuntime; base: number }>;
  builder: AlertBuilder;
  suppressor: Suppressor | undefined;
  stats: { matches: number; alerts: number; suppressed: number };
}

interface DetectionRuntime extends Runtime {
  rule: DetectionRule;
}

interface CorrelationRuntime extends Runtime {
  rule: CorrelationRule;
  impl: Correlation;
}

/**
 * The detection rules an event of one dataset meets, compiled together. `program` knows the
 * dataset and is used for events whose `event` is a plain object; `generic` (compiled when first
 * needed) for any other event routed here, whose `event.dataset` a rule might read differently.
 */
interface DatasetRules {
  dataset: string | undefined;
  runtimes: DetectionRuntime[];
  program: DatasetProgram;
  generic: DatasetProgram | undefined;
}

/** What one batch produces: alerts in the making, and which of them repeats may still fold into. */
interface Batch {
  drafts: Array<{ runtime: Runtime; hit: Hit }>;
  open: Map<string, { runtime: Runtime; hit: Hit }>;
  firings: Firing[];
}

const SNAPSHOT_VERSION = 1;
/** A dataset without events for this long (of event time) no longer holds back expiry. */
const IDLE_DATASET_MS = 60 * 60_000;
/** Events without an `event.dataset` share one watermark. */
const NO_DATASET = "";

/**
 * Runs rules over batches of normalized events and returns alerts. Each event meets only the
 * rules of its dataset; rules are compiled once; correlation windows follow event time.
 */
export class DetectionEngine {
  /** Overrides for rules the engine does not have. */
  readonly warnings: string[] = [];
  private readonly limits: EngineLimits;
  private readonly store: StateStore;
  private readonly now: () => number;
  private readonly runtimes: Runtime[] = [];
  private readonly correlations: CorrelationRuntime[] = [];
  private readonly byDataset = new Map<string, DatasetRules>();
  private readonly anyDataset: DatasetRules;
  /** Positions of the rules an event matched, written by a program. */
  private readonly matched: Int32Array;
  private readonly total: number;
  private readonly active: number;
  private readonly watermarks: Watermarks;
  private lastDataset: string | undefined;
  private lastRules: DatasetRules;
  private readonly counters = { events: 0, alerts: 0, suppressed: 0, late: 0 };

  constructor(options: EngineOptions) {
    this.limits = { ...DEFAULT_ENGINE_LIMITS, ...options.limits };
    this.store = options.state ?? new MemoryStateStore({ maxGroups: this.limits.maxGroups, maxValuesPerGroup: this.limits.maxValuesPerGroup });
    this.now = options.now ?? Date.now;
    this.watermarks = new Watermarks(this.limits.latenessMs, IDLE_DATASET_MS);
    const rules = withBases(options.rules);
    const overrides = options.overrides ?? {};
    const known = new Set(rules.map((r) => r.id));
    for (const id of Object.keys(overrides)) if (!known.has(id)) this.warnings.push(`override for unknown rule "${id}" ignored`);
    const thresholds = thresholdsOf(rules, overrides);

    const minRank = severityRank(options.minSeverity ?? "informational");
    const alerting = new Set(
      rules.filter((r) => {
        const enabled = overrides[r.id]?.enabled ?? (!(r.optin && !options.includeOptin) && r.status !== "deprecated" && r.status !== "unsupported");
        return enabled && severityRank(r.severity) >= minRank && alertsAlone(r, rules);
      }),
    );
    // A correlation needs its rules' matches whether or not those rules alert themselves.
    const needed = new Set<Rule>();
    const need = (r: Rule) => {
      if (needed.has(r)) return;
      needed.add(r);
      if (r.kind === "correlation") r.bases.forEach(need);
    };
    alerting.forEach(need);

    const byRule = new Map<Rule, Runtime>();
    for (const rule of rules.filter((r) => needed.has(r))) {
      const t = thresholds.get(rule)!;
      const common = {
        alerts: alerting.has(rule),
        feeds: [],
        builder: new AlertBuilder(rule),
        suppressor: rule.suppress && new Suppressor(rule.id, { by: rule.suppress.by, forMs: t.suppressForMs! }, this.store),
        stats: { matches: 0, alerts: 0, suppressed: 0 },
      };
      const runtime: DetectionRuntime | CorrelationRuntime =
        rule.kind === "detection"
          ? { ...common, rule }
          : { ...common, rule, impl: createCorrelation(rule, { ...t, maxEvents: this.limits.maxEventsPerAlert, store: this.store }) };
      byRule.set(rule, runtime);
      this.runtimes.push(runtime);
    }
    for (const runtime of this.runtimes) {
      if (runtime.rule.kind !== "correlation") continue;
      const target = runtime as CorrelationRuntime;
      this.correlations.push(target);
      target.rule.bases.forEach((base, i) => byRule.get(base)!.feeds.push({ target, base: i }));
    }
    const detections = this.runtimes.filter((r): r is DetectionRuntime => r.rule.kind === "detection");
    for (const ds of new Set(detections.flatMap((r) => r.rule.sources))) {
      const name = `cloudflare.${ds}`;
      this.byDataset.set(name, datasetRules(detections.filter((r) => r.rule.sources.length === 0 || r.rule.sources.includes(ds)), name));
    }
    this.anyDataset = datasetRules(detections.filter((r) => r.rule.sources.length === 0), undefined);
    this.lastRules = this.anyDataset;
    this.matched = new Int32Array(detections.length);
    this.total = options.rules.length;
    this.active = alerting.size;
  }

  /** One batch, synchronously. Events are taken in event-time order; the batch is not modified. */
  process(events: readonly NormalizedEvent[]): Alert[] {
    const n = events.length;
    const times = new Float64Array(n);
    let sorted = true;
    for (let i = 0; i < n; i++) {
      const event = events[i];
      times[i] = (event !== null && typeof event === "object" && eventTime(event)) || this.now();
      if (i > 0 && times[i] < times[i - 1]) sorted = false;
    }
    const order = sorted ? undefined : Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
    const batch: Batch = { drafts: [], open: new Map(), firings: [] };
    const ceiling = this.now() + this.limits.latenessMs;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k] : k;
      if (events[i] !== null && typeof events[i] === "object") this.one(events[i], times[i], ceiling, batch);
    }
    this.counters.events += n;
    this.closeWindows(batch);
    const alerts = batch.drafts.map((d) => {
      d.runtime.stats.alerts++;
      return d.runtime.builder.build(d.hit);
    });
    this.counters.alerts += alerts.length;
    return alerts;
  }

  stats(): EngineStats {
    const s = this.store.stats();
    const perRule: Record<string, RuleStats> = {};
    const evicted = (key: string) => s.evictionsByRule[key] ?? 0;
    for (const r of this.runtimes) perRule[r.rule.id] = { ...r.stats, evictions: evicted(r.rule.id) + evicted(suppressionKey(r.rule.id)) };
    return {
      ...this.counters,
      evictions: s.evictions + s.valueEvictions,
      groups: s.groups,
      rules: { active: this.active, total: this.total },
      perRule,
    };
  }

  /** Correlation and suppression state, JSON-serialisable, for restore() after a restart. */
  snapshot(): unknown {
    return {
      version: SNAPSHOT_VERSION,
      watermarks: this.watermarks.snapshot(),
      rules: Object.fromEntries(this.correlations.map((c) => [c.rule.id, signature(c.rule)])),
      state: this.store.snapshot(),
    };
  }

  /**
   * Takes back a snapshot. Anything unreadable leaves the engine empty, as a fresh start, and says
   * why; state of correlations that changed shape since (type, rules, group-by, field) is dropped.
   */
  restore(snapshot: unknown): EngineRestoreReport {
    const s = snapshot as { version?: unknown; watermarks?: unknown; rules?: unknown; state?: unknown } | null;
    const fail = (reason: string): EngineRestoreReport => {
      this.watermarks.restore({});
      this.store.restore({ version: 1, groups: [] });
      return { restored: false, reason };
    };
    if (s === null || typeof s !== "object" || s.version !== SNAPSHOT_VERSION) return fail("not a detection state snapshot");
    if (s.rules === null || typeof s.rules !== "object" || !this.watermarks.restore(s.watermarks)) return fail("the snapshot is malformed");
    const report = this.store.restore(s.state);
    if (!report.restored) return fail(`the state is unreadable: ${report.reason}`);
    const saved = s.rules as Record<string, unknown>;
    for (const c of this.correlations) {
      if (saved[c.rule.id] === signature(c.rule)) continue;
      for (const [group] of this.store.groups(c.rule.id)) this.store.delete(c.rule.id, group);
    }
    return { restored: true, groups: this.store.stats().groups };
  }

  /** One event through the rules of its dataset. */
  private one(event: NormalizedEvent, t: number, ceiling: number, batch: Batch): void {
    const head = event.event as unknown;
    const dataset = (head as { dataset?: unknown } | undefined)?.dataset;
    const name = typeof dataset === "string" ? dataset : NO_DATASET;
    const onTime = this.watermarks.admit(name, t, ceiling);
    if (!onTime) this.counters.late++;
    if (name !== this.lastDataset) {
      // Batches are mostly of one dataset: one lookup per change rather than per event.
      this.lastDataset = name;
      this.lastRules = this.byDataset.get(name) ?? this.anyDataset;
    }
    const rules = this.lastRules;
    const plain = head !== null && typeof head === "object" && !Array.isArray(head);
    const program = plain || rules.dataset === undefined ? rules.program : (rules.generic ??= compileDatasetProgram(rules.runtimes.map((r) => r.rule)));
    const matched = this.matched;
    const n = program.run(event, matched);
    for (let k = 0; k < n; k++) {
      const runtime = rules.runtimes[matched[k]];
      runtime.stats.matches++;
      // A late event still alerts on its own; only windows, already moved on, leave it out.
      if (runtime.alerts) this.hit(runtime, { events: [{ t, event }], count: 1, first: t, last: t }, batch);
      if (onTime) for (const feed of runtime.feeds) this.feed(feed.target, feed.base, event, t, batch);
    }
  }

  private feed(target: CorrelationRuntime, base: number, event: NormalizedEvent, t: number, batch: Batch): void {
    const start = batch.firings.length;
    target.impl.observe(event, t, base, batch.firings);
    // met() may feed further correlations, which push after these and truncate back to their start.
    for (let f = start; f < batch.firings.length; f++) this.met(target, batch.firings[f], batch);
    batch.firings.length = start;
  }

  /** A correlation was met: its alert, and the correlations it feeds in turn (Sigma chains). */
  private met(target: CorrelationRuntime, firing: Firing, batch: Batch): void {
    target.stats.matches++;
    if (target.alerts) this.hit(target, firing, batch);
    const trigger = firing.events[firing.events.length - 1];
    if (trigger) for (const next of target.feeds) this.feed(next.target, next.base, trigger.event, firing.last, batch);
  }

  private hit(runtime: Runtime, hit: Hit, batch: Batch): void {
    const suppressor = runtime.suppressor;
    if (!suppressor) {
      batch.drafts.push({ runtime, hit });
      return;
    }
    const entity = suppressor.entity(hit);
    const key = `${runtime.rule.id}\u0000${entity}`;
    if (suppressor.judge(entity, hit.last) === "alert") {
      const draft = { runtime, hit };
      batch.drafts.push(draft);
      batch.open.set(key, draft);
      return;
    }
    runtime.stats.suppressed++;
    this.counters.suppressed++;
    const draft = batch.open.get(key);
    if (draft) fold(draft.hit, hit, this.limits.maxEventsPerAlert);
  }

  /** Windows judged at their end, then state that no event still admitted can touch any more. */
  private closeWindows(batch: Batch): void {
    const horizon = this.watermarks.horizon();
    if (!Number.isFinite(horizon)) return;
    for (const c of this.correlations) {
      const firings: Firing[] = [];
      c.impl.close(horizon, firings);
      for (const firing of firings) this.met(c, firing, batch);
    }
    this.store.expire(horizon);
  }
}

function datasetRules(runtimes: DetectionRuntime[], dataset: string | undefined): DatasetRules {
  return { dataset, runtimes, program: compileDatasetProgram(runtimes.map((r) => r.rule), dataset), generic: undefined };
}

/** Every rule's thresholds after overrides; throws OverrideError with every problem at once. */
function thresholdsOf(rules: readonly Rule[], overrides: Readonly<Record<string, RuleOverride>>): Map<Rule, Thresholds> {
  const out = new Map<Rule, Thresholds>();
  const problems: string[] = [];
  for (const rule of rules) {
    try {
      out.set(rule, applyThresholds(rule, overrides[rule.id]?.thresholds));
    } catch (err) {
      if (!(err instanceof OverrideError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new OverrideError(problems);
  return out;
}

/**
 * The rules plus every rule their correlations need, as one consistent set: a correlation's bases
 * are the set's own objects, and a rule given replaces a base of the same id (a user's rule
 * replacing a built-in one that a built-in correlation names).
 */
function withBases(rules: readonly Rule[]): Rule[] {
  const given = new Map<string, Rule>();
  for (const r of rules) if (!given.has(r.id)) given.set(r.id, r);
  const done = new Map<string, Rule>();
  const settle = (r: Rule): Rule => {
    const existing = done.get(r.id);
    if (existing) return existing;
    const source = given.get(r.id) ?? r;
    if (source.kind === "detection") {
      done.set(source.id, source);
      return source;
    }
    const copy: CorrelationRule = { ...source, bases: [] };
    done.set(copy.id, copy);
    copy.bases = source.bases.map(settle);
    return copy;
  };
  rules.forEach(settle);
  return [...done.values()];
}

/** What a correlation's state depends on: state kept under another shape would mean something else. */
function signature(rule: CorrelationRule): string {
  const c = rule.correlation;
  return JSON.stringify([c.type, rule.bases.map((b) => b.id), c.groupBy, c.aliases, c.field ?? null]);
}
