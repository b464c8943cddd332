/** A loaded rule: what the YAML says, validated, with its detection compiled (docs/RULE-FORMAT.md). */
import type { Detection } from "./detection";

export const SEVERITIES = ["informational", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Sigma's statuses; `deprecated` and `unsupported` rules load but stay off unless enabled. */
export const STATUSES = ["stable", "test", "experimental", "deprecated", "unsupported"] as const;

export const CORRELATION_TYPES = ["event_count", "value_count", "temporal", "temporal_ordered", "first_seen"] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

export const COUNT_OPERATORS = ["gt", "gte", "lt", "lte", "eq"] as const;
export type CountOperator = (typeof COUNT_OPERATORS)[number];
export type CountCondition = Partial<Record<CountOperator, number>>;

/** Where a rule, or a part of one, came from; `line` is 1-based (0: the file as a whole). */
export interface RuleLoadError {
  file: string;
  line: number;
  reason: string;
}

export type EventPredicate = (event: object) => boolean;

export interface RuleTestCase {
  name: string;
  /** Normalized events, or `{dataset, record}` raw records; processed as one batch, in order. */
  events: readonly Record<string, unknown>[];
  alerts: number;
  /** ISO time the engine's clock reads during the test. */
  now?: string;
}

export interface CorrelationDef {
  type: CorrelationType;
  /** The base rules as written: names or ids. */
  rules: string[];
  groupBy: string[];
  /** alias → (base rule name or id → field). */
  aliases: Record<string, Record<string, string>>;
  /** Window length; absent for first_seen. */
  timespanMs?: number;
  condition: CountCondition;
  /** value_count: the field whose distinct values count; first_seen: the field whose new values alert. */
  field?: string[];
  /** first_seen: how long a group only learns. */
  learningMs?: number;
}

interface RuleCommon {
  id: string;
  title: string;
  /** Sigma `name`: what correlations may call the rule instead of its id. */
  name?: string;
  description: string;
  status?: string;
  severity: Severity;
  /** ATT&CK technique ids, `T1204.002`, from `mitre` and the `attack.tNNNN` tags. */
  mitre: string[];
  tags: string[];
  /** Datasets (`gateway_http`) the rule sees; empty: every event. */
  sources: string[];
  evidence: string[];
  duet?: string;
  optin: boolean;
  /**
   * `generate` as written. On a detection rule, `false` keeps it from alerting on its own (it only
   * feeds correlations); on a correlation, Sigma's meaning: whether the rules it names from the same
   * file alert on their own too (they do not by default).
   */
  generate?: boolean;
  /** `by` with the default filled in: the correlation's group-by, else `user.email`. */
  suppress?: { by: string[]; forMs: number };
  tests: RuleTestCase[];
  file: string;
  /** Line of the rule's document in `file`. */
  line: number;
}

export interface DetectionRule extends RuleCommon {
  kind: "detection";
  /** The detection section, checked; the engine compiles it again with each dataset's other rules. */
  detection: Detection;
  /** Compiled once at load. */
  match: EventPredicate;
}

export interface CorrelationRule extends RuleCommon {
  kind: "correlation";
  correlation: CorrelationDef;
  /** The rules `correlation.rules` names, resolved at load, in the same order. */
  bases: Rule[];
}

export type Rule = DetectionRule | CorrelationRule;

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** A problem with a rule, and where in its document (for the line number the refusal gives). */
export class RuleError extends Error {
  constructor(
    readonly reason: string,
    readonly path: ReadonlyArray<string | number>,
    /** The problem is the key at `path` (a modifier, a field name), not its value. */
    readonly atKey = false,
  ) {
    super(reason);
  }
}
