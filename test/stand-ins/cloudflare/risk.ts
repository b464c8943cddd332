import { ApiRefusal, CODES, ok } from "./http";
import { direction, pageOf, type Rec } from "./query-tools";
import type { RouteTable } from "./routes";
import type { RiskUser } from "./data";

const LEVELS = ["low", "medium", "high"];
const levelRank = (level: unknown) => LEVELS.indexOf(String(level));
const time = (value: unknown) => Date.parse(String(value));

/** Zero Trust user risk scoring (reference §4.2). */
export function riskRoutes(routes: RouteTable): void {
  routes.add("GET", "/accounts/:account/zt_risk_scoring/summary", (req, data) => {
    const users = [...data.riskUsers.values()].filter((u) => u.events.length > 0).map(summary);
    const key = req.query.get("order_by") ?? "timestamp";
    const value: Record<string, (u: Rec) => number> = {
      timestamp: (u) => time(u.last_event),
      event_count: (u) => Number(u.event_count),
      max_risk_level: (u) => levelRank(u.max_risk_level),
    };
    if (!value[key]) throw new ApiRefusal(400, CODES.invalidRequest, "order_by must be timestamp, event_count or max_risk_level");
    const sign = direction(req.query, "desc") === "asc" ? 1 : -1;
    users.sort((a, b) => sign * (value[key](a) - value[key](b)));
    const page = pageOf(users, req.query, { perPage: 25, maxPerPage: 1000 });
    return ok({ users: page.items }, page.info);
  });

  routes.add("GET", "/accounts/:account/zt_risk_scoring/behaviors", (_req, data) => ok({ behaviors: data.behaviors }));

  routes.add("GET", "/accounts/:account/zt_risk_scoring/:user_id", (req, data) => {
    const user = data.riskUsers.get(req.params.user_id);
    if (!user) throw new ApiRefusal(404, CODES.notFound, "user not found");
    const key = req.query.get("order_by") ?? "timestamp";
    if (key !== "timestamp" && key !== "risk_level") throw new ApiRefusal(400, CODES.invalidRequest, "order_by must be timestamp or risk_level");
    const value = key === "timestamp" ? (e: Rec) => time(e.timestamp) : (e: Rec) => levelRank(e.risk_level);
    const sign = direction(req.query, "desc") === "asc" ? 1 : -1;
    const events = [...user.events].sort((a, b) => sign * (value(a) - value(b)));
    const page = pageOf(events, req.query, { perPage: 25, maxPerPage: 1000 });
    return ok(
      { email: user.email, name: user.name, risk_level: maxLevel(user.events), last_reset_time: user.last_reset_time, events: page.items },
      page.info,
    );
  });
}

function summary(user: RiskUser): Rec {
  const last = user.events.reduce((a, e) => (time(e.timestamp) > time(a) ? String(e.timestamp) : a), String(user.events[0].timestamp));
  return { user_id: user.user_id, name: user.name, email: user.email, max_risk_level: maxLevel(user.events), event_count: user.events.length, last_event: last };
}

function maxLevel(events: Rec[]): string | null {
  const rank = Math.max(-1, ...events.map((e) => levelRank(e.risk_level)));
  return rank < 0 ? null : LEVELS[rank];
}
