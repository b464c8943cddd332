import assert from "node:assert/strict";
import path from "node:path";
import { DetectionEngine, loadRuleTexts, type EngineOptions, type Rule } from "../../../lib/detect";
import type { NormalizedEvent } from "../../../lib/schema/event";

export const FIXTURES = path.resolve(__dirname, "..", "..", "fixtures", "rules");

export const T0 = Date.parse("2025-06-02T14:00:00.000Z");

/** A normalized event of `dataset` at T0 + `offsetMs`, with the given ECS fields. */
export function ev(dataset: string, fields: Record<string, unknown> = {}, offsetMs = 0): NormalizedEvent {
  return {
    "@timestamp": new Date(T0 + offsetMs).toISOString(),
    event: { kind: "event", category: [], type: [], outcome: "unknown", dataset: `cloudflare.${dataset}`, ingested: new Date(T0).toISOString() },
    related: { ip: [], user: [], hosts: [] },
    cloudflare: {},
    ...fields,
  } as NormalizedEvent;
}

/** Rules from YAML text that must load without errors. */
export function rules(yaml: string, file = "inline.yml"): Rule[] {
  const { rules, errors } = loadRuleTexts([{ file, text: yaml }]);
  assert.deepEqual(errors, []);
  return rules;
}

/** The load errors of YAML text. */
export function refusals(yaml: string, file = "inline.yml") {
  return loadRuleTexts([{ file, text: yaml }]).errors;
}

/** An engine over rules from YAML, every rule on. */
export function engineFor(yaml: string, options: Partial<EngineOptions> = {}): DetectionEngine {
  return new DetectionEngine({ rules: rules(yaml), includeOptin: true, ...options });
}

/** A one-selection detection rule matching `selection` (YAML flow map), for matcher tests. */
export function ruleWith(selection: string, condition = "sel"): Rule {
  const [rule] = rules(`title: t\nid: t\ndetection:\n  sel: ${selection}\n  condition: ${condition}\n`);
  return rule;
}

/** Whether a rule's detection matches the event. */
export function matches(rule: Rule, event: object): boolean {
  assert.equal(rule.kind, "detection");
  return rule.kind === "detection" && rule.match(event);
}

/** Minutes, for event offsets. */
export const min = (n: number) => n * 60_000;

/** A first_seen rule over successful Access logins: a country never seen before for a user. */
export function newCountryRules(learning: string): string {
  return `title: allowed
id: allowed
name: allowed
generate: false
logsource: {product: cloudflare, service: access_requests}
detection: {s: {event.outcome: success}, condition: s}
---
title: new country
id: new-country
correlation:
  type: first_seen
  rules: [allowed]
  group-by: [user.email]
  learning: ${learning}
  condition: {field: source.geo.country_iso_code}
`;
}
