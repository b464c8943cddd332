import assert from "node:assert/strict";
import type { NormalizedEvent } from "../../../lib/schema/event";
import { engineFor, ev, min, newCountryRules, T0 } from "./helpers";

const DENIED_BASE = `title: denied
id: denied
name: denied
generate: false
logsource: {product: cloudflare, service: access_requests}
detection:
  s: {event.outcome: failure}
  condition: s
`;

function burst(condition: string, timespan = "10m"): string {
  return `${DENIED_BASE}---
title: burst
id: burst
correlation:
  type: event_count
  rules: [denied]
  group-by: [user.email]
  timespan: ${timespan}
  condition: ${condition}
`;
}

const denied = (user: string, at: number, fields: Record<string, unknown> = {}): NormalizedEvent =>
  ev("access_requests", { event: { dataset: "cloudflare.access_requests", outcome: "failure" }, user: { email: user }, ...fields }, at);
const ids = (alerts: Array<{ rule: { id: string } }>) => alerts.map((a) => a.rule.id);

describe("correlations", () => {
  describe("event_count", () => {
    it("fires when the count is reached within a sliding window, per group", () => {
      const engine = engineFor(burst("{gte: 3}"));
      assert.deepEqual(engine.process([denied("a", 0), denied("b", min(1)), denied("a", min(2))]), []);
      const [alert] = engine.process([denied("a", min(9))]);
      assert.equal(alert.rule.id, "burst");
      assert.equal(alert.count, 3);
      assert.equal(alert.user, "a");
      assert.deepEqual(alert.group, { "user.email": "a" });
      assert.equal(alert.first_seen, new Date(T0).toISOString());
      assert.equal(alert.last_seen, new Date(T0 + min(9)).toISOString());
      assert.equal(alert["@timestamp"], new Date(T0 + min(9)).toISOString());
      assert.equal(alert.events.length, 3);
    });

    it("slides: events further apart than the timespan do not add up", () => {
      const engine = engineFor(burst("{gte: 3}"));
      assert.deepEqual(engine.process([denied("a", 0), denied("a", min(6)), denied("a", min(12)), denied("a", min(18))]), []);
      assert.deepEqual(ids(engine.process([denied("a", min(20))])), ["burst"]);
    });

    it("starts the group again after it fires: one burst alerts once", () => {
      const engine = engineFor(burst("{gte: 3}"));
      assert.equal(engine.process([0, 1, 2, 3].map((m) => denied("a", min(m)))).length, 1);
      assert.deepEqual(engine.process([denied("a", min(4))]), []);
      assert.equal(engine.process([denied("a", min(5))]).length, 1, "a second burst of three");
    });

    it("judges an upper bound when the window ends (and late events can no longer come)", () => {
      const engine = engineFor(burst("{gte: 2, lte: 3}"));
      assert.deepEqual(engine.process([denied("few", 0), denied("few", min(1)), denied("many", 0), denied("many", min(1)), denied("many", min(2)), denied("many", min(3))]), []);
      // The window ends at 10m; with 5 minutes' lateness allowed it is judged once event time passes 15m.
      assert.deepEqual(engine.process([denied("other", min(14))]), []);
      const alerts = engine.process([denied("other", min(16))]);
      assert.deepEqual(
        alerts.map((a) => [a.rule.id, a.user, a.count]),
        [["burst", "few", 2]],
      );
    });
  });

  describe("value_count", () => {
    const spray = `${DENIED_BASE}---
title: spray
id: spray
correlation:
  type: value_count
  rules: [denied]
  group-by: [source.ip]
  timespan: 30m
  condition: {field: user.email, gte: 3}
`;
    it("counts distinct values of the field per group", () => {
      const engine = engineFor(spray);
      const from = (ip: string) => ({ source: { ip } });
      assert.deepEqual(engine.process([denied("a", 0, from("203.0.113.9")), denied("a", min(1), from("203.0.113.9")), denied("b", min(2), from("203.0.113.9")), denied("c", min(3), from("198.51.100.1"))]), []);
      const [alert] = engine.process([denied("c", min(4), from("203.0.113.9"))]);
      assert.equal(alert.rule.id, "spray");
      assert.equal(alert.count, 3);
      assert.equal(alert.ip, "203.0.113.9");
      assert.deepEqual(alert.group, { "source.ip": "203.0.113.9" });
    });

    it("leaves out events without the field, as a SIEM's group-by would", () => {
      const engine = engineFor(spray);
      assert.deepEqual(engine.process([denied("a", 0), denied("b", 0), denied("c", 0)]), []);
    });
  });

  const SEQUENCE = `title: deactivated
id: deactivated
name: deactivated
generate: false
logsource: {product: cloudflare, service: scim}
detection:
  s: {ztna.scim.active: false}
  condition: s
---
title: login
id: login
name: login
generate: false
logsource: {product: cloudflare, service: access_requests}
detection:
  s: {event.action: login, event.outcome: success}
  condition: s
---
title: sequence
id: sequence
correlation:
  type: TYPE
  rules: [deactivated, login]
  aliases:
    subject:
      deactivated: user.target.email
      login: user.email
  group-by: [subject]
  timespan: 2h
`;
  const deactivation = (who: string, at: number) => ev("scim", { ztna: { scim: { active: false } }, user: { target: { email: who } } }, at);
  const login = (who: string, at: number) => ev("access_requests", { event: { dataset: "cloudflare.access_requests", action: "login", outcome: "success" }, user: { email: who } }, at);

  describe("temporal_ordered with aliases", () => {
    const yaml = SEQUENCE.replace("TYPE", "temporal_ordered");
    it("fires when the rules match in order for the same subject, each under its own field", () => {
      const engine = engineFor(yaml);
      assert.deepEqual(engine.process([deactivation("bob@example.com", 0)]), []);
      assert.deepEqual(engine.process([login("alice@example.com", min(10))]), []);
      const [alert] = engine.process([login("bob@example.com", min(30))]);
      assert.equal(alert.rule.id, "sequence");
      assert.deepEqual(alert.group, { subject: "bob@example.com" });
      assert.deepEqual(alert.datasets, ["scim", "access_requests"]);
      assert.equal(alert.user, "bob@example.com");
      assert.equal(alert.count, 2);
    });

    it("groups without case, as Sigma matches: an IdP's mixed-case email is the same user", () => {
      const engine = engineFor(yaml);
      engine.process([deactivation("Bob.Jones@Example.com", 0)]);
      const [alert] = engine.process([login("bob.jones@example.com", min(20))]);
      assert.equal(alert?.rule.id, "sequence");
      assert.deepEqual(alert.group, { subject: "bob.jones@example.com" });
    });

    it("does not fire out of order or outside the timespan", () => {
      const engine = engineFor(yaml);
      assert.deepEqual(engine.process([login("bob@example.com", 0), deactivation("bob@example.com", min(5))]), []);
      assert.deepEqual(engine.process([login("bob@example.com", min(5) + 2 * 60 * min(1) + 1)]), []);
    });

    it("sorts a batch by event time first", () => {
      const engine = engineFor(yaml);
      assert.deepEqual(ids(engine.process([login("bob@example.com", min(30)), deactivation("bob@example.com", 0)])), ["sequence"]);
      const reversed = engineFor(yaml);
      assert.deepEqual(reversed.process([deactivation("bob@example.com", min(30)), login("bob@example.com", 0)]), []);
    });
  });

  describe("temporal", () => {
    it("fires when every rule matched for the group within the timespan, in any order", () => {
      const engine = engineFor(SEQUENCE.replace("TYPE", "temporal"));
      assert.deepEqual(ids(engine.process([login("bob@example.com", 0), deactivation("bob@example.com", min(50))])), ["sequence"]);
      assert.deepEqual(engine.process([login("eve@example.com", 0), deactivation("eve@example.com", min(200))]), []);
    });
  });

  describe("first_seen", () => {
    const yaml = newCountryRules("1d");
    const day = 24 * 60 * min(1);
    const from = (user: string, country: string, at: number) =>
      ev("access_requests", { event: { dataset: "cloudflare.access_requests", outcome: "success" }, user: { email: user }, source: { geo: { country_iso_code: country } } }, at);

    it("only learns during the learning period, measured from the group's first event", () => {
      const engine = engineFor(yaml);
      assert.deepEqual(engine.process([from("a", "US", 0), from("a", "DE", min(60)), from("b", "FR", day - min(5))]), []);
      assert.deepEqual(engine.process([from("a", "DE", day + 1), from("a", "US", day + 2)]), [], "known values");
      const alerts = engine.process([from("a", "BR", day + min(10)), from("b", "IT", day + min(10))]);
      assert.deepEqual(
        alerts.map((a) => [a.rule.id, a.user]),
        [["new-country", "a"]],
        "b is still learning: its first event was a day minus five minutes ago",
      );
      assert.deepEqual(engine.process([from("a", "BR", day + min(20))]), [], "BR is known now");
    });
  });

  describe("event time", () => {
    it("counts events up to the lateness behind their dataset's newest, and drops and counts older ones", () => {
      const engine = engineFor(burst("{gte: 2}"));
      engine.process([denied("x", min(30))]);
      assert.deepEqual(ids(engine.process([denied("a", min(26)), denied("a", min(27))])), ["burst"]);
      assert.deepEqual(engine.process([denied("b", min(10)), denied("b", min(11))]), []);
      assert.equal(engine.stats().late, 2);
    });

    it("judges lateness per dataset: a polled source behind the others is not late", () => {
      const engine = engineFor(SEQUENCE.replace("TYPE", "temporal_ordered"));
      engine.process([login("someone@example.com", min(60))]);
      assert.deepEqual(engine.process([deactivation("bob@example.com", min(10))]), []);
      assert.equal(engine.stats().late, 0);
      assert.deepEqual(ids(engine.process([login("bob@example.com", min(61))])), ["sequence"]);
    });

    it("still alerts on a late event for rules without state", () => {
      const engine = engineFor(`title: any failure\nid: fail\nlogsource: {product: cloudflare, service: access_requests}\ndetection: {s: {event.outcome: failure}, condition: s}\n`);
      engine.process([denied("x", min(60))]);
      assert.deepEqual(ids(engine.process([denied("y", 0)])), ["fail"]);
      assert.equal(engine.stats().late, 1);
    });

    it("does not let a timestamp from the future make later events late", () => {
      const engine = engineFor(burst("{gte: 2}"), { now: () => T0 });
      engine.process([denied("x", 365 * 24 * min(60))]);
      assert.deepEqual(ids(engine.process([denied("a", min(1)), denied("a", min(2))])), ["burst"]);
      assert.equal(engine.stats().late, 0);
    });
  });

  it("chains: a correlation may count another's firings", () => {
    const engine = engineFor(`${burst("{gte: 2}")}---
title: repeated bursts
id: bursts
correlation:
  type: event_count
  rules: [burst]
  group-by: [user.email]
  timespan: 1h
  condition: {gte: 2}
`);
    const alerts = engine.process([0, 1, 10, 11].map((m) => denied("a", min(m))));
    assert.deepEqual(ids(alerts), ["bursts"], "the inner correlation only feeds the outer one in the same file");
  });
});
