import assert from "node:assert/strict";
import { DetectionEngine, OverrideError, ruleCatalog } from "../../../lib/detect";
import type { NormalizedEvent } from "../../../lib/schema/event";
import { engineFor, ev, min, newCountryRules, rules, T0 } from "./helpers";

const MALWARE = `title: Malware blocked
id: malware
description: Gateway blocked malware.
logsource: {product: cloudflare, service: gateway_http}
detection:
  s: {cloudflare.gateway_http.BlockedFileReason|contains: malware}
  condition: s
level: high
tags: [attack.execution, attack.t1204.002]
mitre: [T1105]
evidence: [user.email, cloudflare.gateway_http.BlockedFileHash, cloudflare.gateway_http.SourceIP, destination.port]
duet: "Did you expect {user.email} to fetch {url.full} on {host.name}?"
`;

const blocked = (user: string, at = 0, extra: Record<string, unknown> = {}): NormalizedEvent =>
  ev(
    "gateway_http",
    {
      user: { email: user },
      url: { full: "https://cdn.bad.example/x.exe", domain: "cdn.bad.example" },
      source: { ip: "203.0.113.10" },
      destination: { ip: "198.51.100.44", port: 443 },
      related: { ip: ["203.0.113.10", "198.51.100.44"], user: [user], hosts: ["cdn.bad.example"] },
      cloudflare: { gateway_http: { BlockedFileReason: "malware", BlockedFileHash: "a".repeat(64), SourceIP: "203.0.113.10" } },
      ...extra,
    },
    at,
  );

describe("DetectionEngine", () => {
  describe("alerts", () => {
    it("have the shape of DESIGN §3.5", () => {
      const [alert] = engineFor(MALWARE).process([blocked("jane@example.com")]);
      assert.match(alert.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(alert["@timestamp"], new Date(T0).toISOString());
      assert.deepEqual(alert.rule, { id: "malware", name: "Malware blocked", severity: "high", mitre: ["T1105", "T1204.002"], description: "Gateway blocked malware." });
      assert.deepEqual(alert.datasets, ["gateway_http"]);
      assert.equal(alert.user, "jane@example.com");
      assert.equal(alert.ip, "203.0.113.10");
      assert.equal(alert.domain, "cdn.bad.example");
      assert.equal(alert.host, undefined, "no host in the event");
      assert.deepEqual(alert.evidence, {
        ip: ["203.0.113.10", "198.51.100.44"],
        domain: ["cdn.bad.example"],
        url: ["https://cdn.bad.example/x.exe"],
        user: ["jane@example.com"],
        host: ["cdn.bad.example"],
        hash: ["a".repeat(64)],
      });
      assert.equal(alert.count, 1);
      assert.equal(alert.first_seen, alert["@timestamp"]);
      assert.equal(alert.last_seen, alert["@timestamp"]);
      assert.equal(alert.events.length, 1);
      assert.deepEqual(alert.duet, { question: "Did you expect jane@example.com to fetch https://cdn.bad.example/x.exe on unknown?" });
      assert.doesNotThrow(() => JSON.stringify(alert));
    });

    it("take their entity keys from the first event, in the documented order", () => {
      const [alert] = engineFor(MALWARE).process([blocked("x", 0, { user: { target: { email: "target@example.com" } }, host: { id: "dev-1" }, url: {}, dns: { question: { name: "q.example" } } })]);
      assert.equal(alert.user, "target@example.com");
      assert.equal(alert.host, "dev-1");
      assert.equal(alert.domain, "q.example");
    });

    it("carry at most maxEventsPerAlert events, but count all of them", () => {
      const engine = engineFor(`${MALWARE}suppress: {by: [user.email], for: 1h}\n`, { limits: { maxEventsPerAlert: 3 } });
      const [alert] = engine.process([0, 1, 2, 3, 4].map((m) => blocked("jane@example.com", min(m))));
      assert.equal(alert.count, 5);
      assert.equal(alert.events.length, 3);
      assert.equal(alert.last_seen, new Date(T0 + min(4)).toISOString());
    });
  });

  describe("suppression", () => {
    const suppressed = `${MALWARE}suppress: {by: [user.email], for: 1h}\n`;

    it("folds repeats for the same entity within the period into one alert with a count", () => {
      const engine = engineFor(suppressed);
      const alerts = engine.process([blocked("jane", 0), blocked("bob", min(1)), blocked("jane", min(2)), blocked("jane", min(3))]);
      assert.deepEqual(
        alerts.map((a) => [a.user, a.count]),
        [
          ["jane", 3],
          ["bob", 1],
        ],
      );
      assert.equal(engine.stats().suppressed, 2);
      assert.equal(engine.stats().perRule.malware.suppressed, 2);
    });

    it("drops and counts repeats in later batches, and alerts again after the period", () => {
      const engine = engineFor(suppressed);
      assert.equal(engine.process([blocked("jane", 0)]).length, 1);
      assert.equal(engine.process([blocked("jane", min(30))]).length, 0);
      assert.equal(engine.stats().suppressed, 1);
      assert.equal(engine.process([blocked("jane", min(61))]).length, 1);
    });

    it("is off for a rule without suppress: every match alerts", () => {
      assert.equal(engineFor(MALWARE).process([blocked("jane", 0), blocked("jane", 1)]).length, 2);
    });
  });

  describe("rule selection", () => {
    const pack = `${MALWARE}---
title: Opt-in
id: optin
optin: true
logsource: {product: cloudflare, service: gateway_http}
detection: {s: {user.email: jane}, condition: s}
level: low
---
title: Deprecated
id: old
status: deprecated
logsource: {product: cloudflare, service: gateway_http}
detection: {s: {user.email: jane}, condition: s}
level: critical
`;
    const fired = (engine: DetectionEngine) => engine.process([blocked("jane")]).map((a) => a.rule.id);

    it("leaves opt-in and deprecated rules off unless asked", () => {
      assert.deepEqual(fired(new DetectionEngine({ rules: rules(pack) })), ["malware"]);
      assert.deepEqual(fired(new DetectionEngine({ rules: rules(pack), includeOptin: true })), ["malware", "optin"]);
      assert.deepEqual(fired(new DetectionEngine({ rules: rules(pack), overrides: { optin: { enabled: true }, old: { enabled: true } } })), ["malware", "optin", "old"]);
      assert.deepEqual(fired(new DetectionEngine({ rules: rules(pack), overrides: { malware: { enabled: false } } })), []);
    });

    it("filters by minimum severity", () => {
      const engine = new DetectionEngine({ rules: rules(pack), includeOptin: true, minSeverity: "medium" });
      assert.deepEqual(fired(engine), ["malware"]);
      assert.deepEqual(engine.stats().rules, { active: 1, total: 3 });
    });

    it("shows each event only the rules of its dataset", () => {
      const engine = engineFor(MALWARE);
      const sameFieldsOtherDataset = { ...blocked("jane"), event: { ...blocked("jane").event, dataset: "cloudflare.gateway_network" } };
      assert.deepEqual(engine.process([sameFieldsOtherDataset as NormalizedEvent]), []);
      assert.equal(engine.stats().perRule.malware.matches, 0);
    });

    it("lets rules without a source see every event, whatever its dataset", () => {
      const engine = engineFor("title: any\nid: any\ndetection: {s: {user.email: jane}, condition: s}\n");
      const noDataset = { ...blocked("jane"), event: {} } as unknown as NormalizedEvent;
      assert.equal(engine.process([blocked("jane"), ev("scim", { user: { email: "jane" } }), noDataset]).length, 3);
    });

    it("reports overrides for unknown rules as warnings", () => {
      const engine = new DetectionEngine({ rules: rules(MALWARE), overrides: { gone: { enabled: false } } });
      assert.deepEqual(engine.warnings, ['override for unknown rule "gone" ignored']);
    });
  });

  describe("threshold overrides", () => {
    const burst = `title: denied
id: denied
name: denied
generate: false
logsource: {product: cloudflare, service: access_requests}
detection: {s: {event.outcome: failure}, condition: s}
---
title: burst
id: burst
correlation: {type: event_count, rules: [denied], group-by: [user.email], timespan: 10m, condition: {gte: 3}}
suppress: {for: 1h}
`;
    const denied = (at: number) => ev("access_requests", { event: { dataset: "cloudflare.access_requests", outcome: "failure" }, user: { email: "a" } }, at);

    it("apply to the count, the timespan and the suppression period", () => {
      const stricter = engineFor(burst, { overrides: { burst: { thresholds: { "correlation.condition.gte": 4, "correlation.timespan": "2m" } } } });
      assert.equal(stricter.process([0, 1, 2].map((m) => denied(min(m)))).length, 0);
      assert.equal(stricter.process([denied(min(2) + 1), denied(min(3))]).length, 1, "four within two minutes");
      const quick = engineFor(burst, { overrides: { burst: { thresholds: { "suppress.for": "1m", "correlation.condition.gte": "1" } } } });
      assert.equal(quick.process([denied(0), denied(min(2))]).length, 2);
    });

    it("are refused with every problem named", () => {
      assert.throws(
        () =>
          engineFor(burst, {
            overrides: {
              burst: { thresholds: { "correlation.condition.gte": -1, "correlation.timespan": 600, "correlation.learning": "7d", "correlation.condition.lte": 1 } },
              denied: { thresholds: { "suppress.for": "1h" } },
            },
          }),
        (err: unknown) => {
          assert.ok(err instanceof OverrideError);
          assert.deepEqual(err.problems, [
            "denied.suppress.for is not a threshold of this rule",
            "burst.correlation.condition.gte must be a whole number ≥ 0, not -1",
            'burst.correlation.timespan must be a duration such as 30s, 10m, 1h or 7d, not 600',
            "burst.correlation.learning is not a threshold of this rule (it has correlation.condition.gte, correlation.timespan, suppress.for)",
            'burst: the condition {"gte":3,"lte":1} can never hold',
          ]);
          return true;
        },
      );
      assert.throws(() => engineFor(burst, { overrides: { burst: { thresholds: { "correlation.condition.lte": 1 } } } }), /can never hold/);
    });

    it("are listed by the catalog with the rule's own values", () => {
      const catalog = ruleCatalog(rules(burst));
      assert.deepEqual(
        catalog.map((c) => [c.id, c.thresholds, c.sources]),
        [["burst", { "correlation.condition.gte": 3, "correlation.timespan": "10m", "suppress.for": "1h" }, ["access_requests"]]],
        "the building block is not in the catalog",
      );
    });
  });

  describe("snapshot and restore", () => {
    const pack = `${newCountryRules("1h")}---
title: many logins
id: many
correlation: {type: event_count, rules: [allowed], group-by: [user.email], timespan: 2h, condition: {gte: 4}}
`;
    const login = (country: string, at: number) =>
      ev("access_requests", { event: { dataset: "cloudflare.access_requests", outcome: "success" }, user: { email: "a" }, source: { geo: { country_iso_code: country } } }, at);

    it("keeps a first_seen baseline and half-filled windows across a restart", () => {
      const before = engineFor(pack);
      assert.deepEqual(before.process([login("US", 0), login("US", min(1))]), []);
      const saved = JSON.parse(JSON.stringify(before.snapshot()));
      const after = engineFor(pack);
      assert.deepEqual(after.restore(saved), { restored: true, groups: 2 });
      assert.deepEqual(after.process([login("US", min(90))]), [], "US was learnt before the restart");
      const alerts = after.process([login("DE", min(91))]);
      assert.deepEqual(
        alerts.map((a) => a.rule.id).sort(),
        ["many", "new-country"],
        "the window held two logins from before the restart",
      );
    });

    it("keeps event time across a restart: events late before it are late after it", () => {
      const before = engineFor(pack);
      before.process([login("US", min(60))]);
      const after = engineFor(pack);
      after.restore(before.snapshot());
      after.process([login("US", 0)]);
      assert.equal(after.stats().late, 1);
    });

    it("tolerates garbage: starts empty and says why", () => {
      for (const garbage of [undefined, null, "{", 7, [], { version: 1 }, { version: 1, watermarks: {}, rules: {}, state: { version: 1, groups: "x" } }, { version: 1, watermarks: { a: "x" }, rules: {}, state: { version: 1, groups: [] } }]) {
        const engine = engineFor(pack);
        engine.process([login("US", 0)]);
        const report = engine.restore(garbage);
        assert.equal(report.restored, false, JSON.stringify(garbage));
        assert.equal(engine.stats().groups, 0);
        assert.deepEqual(engine.process([login("US", min(1)), login("US", min(2))]), [], "works as new");
      }
    });

    it("drops the state of a correlation whose shape changed", () => {
      const before = engineFor(pack);
      before.process([login("US", 0), login("US", min(1)), login("US", min(2))]);
      const changed = engineFor(pack.replace("group-by: [user.email], timespan: 2h", "group-by: [source.ip], timespan: 2h"));
      changed.restore(before.snapshot());
      assert.equal(changed.stats().groups, 1, "only the first_seen baseline is left");
    });
  });

  it("counts events, alerts and matches", () => {
    const engine = engineFor(MALWARE);
    engine.process([blocked("jane"), ev("gateway_http", {})]);
    const stats = engine.stats();
    assert.equal(stats.events, 2);
    assert.equal(stats.alerts, 1);
    assert.deepEqual(stats.perRule.malware, { matches: 1, alerts: 1, suppressed: 0, evictions: 0 });
  });

  it("does not modify the batch it is given", () => {
    const events = [blocked("jane", min(5)), blocked("bob", 0)];
    const copy = JSON.parse(JSON.stringify(events));
    engineFor(MALWARE).process(events);
    assert.deepEqual(JSON.parse(JSON.stringify(events)), copy);
  });
});
