import { parseRecord } from "../parsers";
import type { NormalizedEvent } from "../schema/event";
import { DetectionEngine } from "./engine";
import type { Rule, RuleTestCase } from "./rule";

export interface RuleTestCaseResult {
  name: string;
  expected: number;
  actual: number;
  passed: boolean;
  /** Why the case could not run (a record that does not normalize). */
  error?: string;
}

export interface RuleTestResult {
  rule: string;
  passed: boolean;
  cases: RuleTestCaseResult[];
}

/**
 * Runs a rule's own `tests`: each case's events through a fresh engine holding the rule (and the
 * rules it correlates), counting the rule's alerts. The rule is tested as it would alert if on:
 * opt-in, deprecated and `generate: false` rules included.
 */
export function runRuleTests(rule: Rule): RuleTestResult {
  const subject: Rule = { ...rule, optin: false, status: undefined, ...(rule.kind === "detection" ? { generate: true } : {}) };
  const cases = rule.tests.map((test) => runCase(subject, test));
  return { rule: rule.id, passed: cases.every((c) => c.passed), cases };
}

function runCase(rule: Rule, test: RuleTestCase): RuleTestCaseResult {
  const now = test.now === undefined ? Date.now() : Date.parse(test.now);
  const receivedAt = new Date(now).toISOString();
  const events: NormalizedEvent[] = [];
  for (const [i, item] of test.events.entries()) {
    if (!("record" in item)) {
      events.push(nested(item) as unknown as NormalizedEvent);
      continue;
    }
    const parsed = parseRecord(item.record, String(item.dataset), { receivedAt });
    if (!parsed.ok) return { name: test.name, expected: test.alerts, actual: 0, passed: false, error: `event ${i}: ${parsed.error.reason}` };
    events.push(parsed.event);
  }
  const engine = new DetectionEngine({ rules: [rule], now: () => now });
  const actual = engine.process(events).filter((a) => a.rule.id === rule.id).length;
  return { name: test.name, expected: test.alerts, actual, passed: actual === test.alerts };
}

/** `{"event.dataset": x}` as `{event: {dataset: x}}`: tests may write normalized events either way. */
function nested(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    const parts = key.split(".");
    let at = out;
    for (const part of parts.slice(0, -1)) {
      const next = at[part];
      at = (at[part] = next !== null && typeof next === "object" && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
    }
    const last = parts[parts.length - 1];
    const v = value !== null && typeof value === "object" && !Array.isArray(value) ? nested(value as Record<string, unknown>) : value;
    const existing = at[last];
    at[last] = existing !== null && typeof existing === "object" && !Array.isArray(existing) && typeof v === "object" && v !== null && !Array.isArray(v) ? { ...existing, ...v } : v;
  }
  return out;
}
