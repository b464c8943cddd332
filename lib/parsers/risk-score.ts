import type { NormalizedEvent, RawRecord, RiskSummary } from "../schema/event";
import { finish, newEvent, setRule, setUser, type ParseContext } from "./build";
import { ident, lower, slug, text } from "./fields";

/** ECS's numeric severities for the API's levels, the scale Elastic's detection rules use. */
const SEVERITY: ReadonlyMap<string, number> = new Map([
  ["low", 21],
  ["medium", 47],
  ["high", 73],
  ["critical", 99],
]);

/**
 * `risk_score` (polled, reference §4): one risk event of one user, the API's event object plus
 * `user_id`, `email` and `user_risk_level`. The behaviour becomes `event.action` as a slug of its
 * name, the key a rule matches on; the API's own behaviour keys are not in the event object.
 */
export function normalizeRiskScore(r: RawRecord, ctx: ParseContext): NormalizedEvent {
  const name = text(r.name);
  const level = lower(r.risk_level);
  const userLevel = lower(r.user_risk_level);
  const head = {
    category: ["iam"],
    type: ["user", "info"],
    action: (name !== undefined ? slug(name) : undefined) ?? "risk-event",
    outcome: "unknown" as const,
    id: ident(r.id),
    severity: level !== undefined ? SEVERITY.get(level) : undefined,
  };
  const ev = newEvent("risk_score", r.timestamp, head, ctx);
  setUser(ev, r.email, r.user_id);
  setRule(ev, undefined, name);
  const risk: RiskSummary = {};
  if (level !== undefined) risk.level = level;
  if (userLevel !== undefined) risk.user_level = userLevel;
  if (name !== undefined) risk.behavior = name;
  if (level !== undefined || userLevel !== undefined || name !== undefined) (ev.ztna ??= {}).risk = risk;
  return finish(ev, { risk_score: r }, ctx);
}
