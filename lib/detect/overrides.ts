import { formatDuration, parseDuration } from "./duration";
import { checkBounds } from "./rule-builder";
import { COUNT_OPERATORS, RuleError, type CountCondition, type CountOperator, type Rule } from "./rule";

/** Per-rule settings from the detect node or `--set`: docs/RULE-FORMAT.md "Thresholds". */
export interface RuleOverride {
  enabled?: boolean;
  thresholds?: Record<string, number | string>;
}

/** A rule's numbers after overrides. */
export interface Thresholds {
  condition: CountCondition;
  timespanMs: number;
  learningMs: number;
  suppressForMs?: number;
}

/** Overrides that cannot apply: every problem, each naming its rule and key. */
export class OverrideError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid rule overrides: ${problems.join("; ")}`);
  }
}

/** The count operators a correlation type takes. */
function operatorsOf(rule: Rule): readonly CountOperator[] {
  if (rule.kind !== "correlation") return [];
  switch (rule.correlation.type) {
    case "event_count":
    case "value_count":
      return COUNT_OPERATORS;
    case "temporal":
      return ["gt", "gte", "eq"];
    default:
      return [];
  }
}

/**
 * The thresholds a rule has and their values as written: what the catalog lists and what an
 * override may set. Condition operators the rule does not use yet may be set as well.
 */
export function thresholdsOf(rule: Rule): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  if (rule.kind === "correlation") {
    const c = rule.correlation;
    for (const op of operatorsOf(rule)) if (c.condition[op] !== undefined) out[`correlation.condition.${op}`] = c.condition[op]!;
    if (c.timespanMs !== undefined) out["correlation.timespan"] = formatDuration(c.timespanMs);
    if (c.learningMs !== undefined) out["correlation.learning"] = formatDuration(c.learningMs);
  }
  if (rule.suppress) out["suppress.for"] = formatDuration(rule.suppress.forMs);
  return out;
}

/** Applies `thresholds` to the rule's own; throws OverrideError listing every bad key or value. */
export function applyThresholds(rule: Rule, thresholds: Record<string, number | string> = {}): Thresholds {
  const c = rule.kind === "correlation" ? rule.correlation : undefined;
  const result: Thresholds = {
    condition: { ...c?.condition },
    timespanMs: c?.timespanMs ?? 0,
    learningMs: c?.learningMs ?? 0,
    suppressForMs: rule.suppress?.forMs,
  };
  const problems: string[] = [];
  const operators = operatorsOf(rule);
  for (const [key, value] of Object.entries(thresholds)) {
    const where = `${rule.id}.${key}`;
    const op = /^correlation\.condition\.([a-z]+)$/.exec(key)?.[1] as CountOperator | undefined;
    if (op !== undefined && operators.includes(op)) {
      const n = typeof value === "number" ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
      if (Number.isInteger(n) && n >= 0) result.condition[op] = n;
      else problems.push(`${where} must be a whole number ≥ 0, not ${JSON.stringify(value)}`);
    } else if ((key === "correlation.timespan" && c?.timespanMs !== undefined) || (key === "correlation.learning" && c?.learningMs !== undefined) || (key === "suppress.for" && rule.suppress)) {
      const ms = parseDuration(value);
      if (ms === undefined || (ms === 0 && key !== "correlation.learning")) problems.push(`${where} must be a duration such as 30s, 10m, 1h or 7d, not ${JSON.stringify(value)}`);
      else if (key === "correlation.timespan") result.timespanMs = ms;
      else if (key === "correlation.learning") result.learningMs = ms;
      else result.suppressForMs = ms;
    } else {
      const known = Object.keys(thresholdsOf(rule));
      problems.push(`${where} is not a threshold of this rule${known.length > 0 ? ` (it has ${known.join(", ")})` : ""}`);
    }
  }
  try {
    checkBounds(result.condition, []);
  } catch (err) {
    if (!(err instanceof RuleError)) throw err;
    problems.push(`${rule.id}: ${err.reason}`);
  }
  if (problems.length > 0) throw new OverrideError(problems);
  return result;
}
