import assert from "node:assert/strict";
import { investigate, type InvestigateOptions } from "../../../lib/investigate";
import { at, JANE, JANE_ID, LAPTOP, MIN, OFFICE_IP, payloadAlert, useScenario } from "./scenario";

const OPTS: InvestigateOptions = { beforeMs: 60 * MIN, afterMs: 15 * MIN, cap: 100, timeoutMs: 5000 };
const values = (list: Array<{ value: string; count: number }>) => list.map((t) => [t.value, t.count]);

describe("investigate risk and user", function () {
  const fx = useScenario();
  const cf = fx.cf;

  describe("risk", () => {
    it("resolves the e-mail to the user id, and gives the level and events of both backends once each", async () => {
      const result = await investigate("risk", { alert: payloadAlert() }, { store: fx.store, client: cf.client() }, OPTS);
      assert.equal(result.value, JANE);
      assert.equal(result.backends.api.state, "ok", JSON.stringify(result.backends.api));
      const risk = result.summary.risk!;
      assert.equal(risk.level, "high");
      assert.equal(risk.level_source, "api:risk");
      assert.equal(risk.user_id, JANE_ID);
      assert.deepEqual(
        risk.events.map((e) => [e.id, e.name, e.level, e.source]),
        [
          ["risk-2", "High Number of DLP Policies Triggered", "low", "api:risk"],
          ["risk-1", "Impossible Travel", "high", "api:risk"],
        ],
      );
      assert.deepEqual(values(risk.by_level), [["high", 1], ["low", 1]]);
      assert.deepEqual(risk.by_behavior.find((t) => t.value === "Impossible Travel")?.sources.sort(), ["api:risk", "store"]);
      assert.deepEqual(
        result.timeline.map((e) => `${e.source} ${e.action}`),
        ["api:risk impossible-travel", "store impossible-travel", "api:risk high-number-of-dlp-policies-triggered"],
      );
      assert.ok(result.timeline.every((e) => e.dataset === "risk_score"));
      assert.equal(cf.api.requestsTo(/\/access\/users$/)[0].query.get("email"), JANE);
      const scoring = cf.api.requestsTo(`/accounts/${cf.api.accountId}/zt_risk_scoring/${JANE_ID}`);
      assert.equal(scoring.length, 1);
      assert.equal(scoring[0].query.get("order_by"), "timestamp");
    });

    it("calls a user the API has no score for unscored, and falls back to the store's level", async () => {
      cf.api.reset();
      cf.api.seed.users([{ id: JANE_ID, email: JANE }]);
      const result = await investigate("risk", { value: JANE, alert: payloadAlert() }, { store: fx.store, client: cf.client() }, OPTS);
      assert.equal(result.backends.api.state, "ok");
      assert.equal(result.backends.api.calls!.risk.reason, "the user has no risk score");
      assert.equal(result.summary.risk!.level, "high");
      assert.equal(result.summary.risk!.level_source, "store");
      assert.deepEqual(result.summary.risk!.events.map((e) => [e.id, e.source]), [["risk-1", "store"]]);
    });

    it("fails the risk call with the reason when the e-mail is no Zero Trust user, the store answering still", async () => {
      const result = await investigate("risk", { value: "ghost@example.com" }, { store: fx.store, client: cf.client() }, OPTS);
      assert.equal(result.backends.api.calls!.users.reason, "no Zero Trust user has this e-mail");
      assert.equal(result.backends.api.calls!.risk.state, "error");
      assert.match(result.backends.api.calls!.risk.reason!, /the user's id is unknown: no Zero Trust user has this e-mail/);
      assert.equal(result.backends.api.state, "partial");
      assert.equal(result.backends.store.state, "ok");
      assert.equal(result.summary.risk!.level, null);
    });

    it("takes a user id as it is, without a lookup", async () => {
      const result = await investigate("risk", { value: JANE_ID, alert: payloadAlert() }, { store: null, client: cf.client() }, OPTS);
      assert.equal(result.summary.risk!.level, "high");
      assert.equal(cf.api.count(/\/access\/users$/), 0);
    });

    it("skips malformed risk events and keeps the level", async () => {
      cf.api.fail({
        path: new RegExp(`zt_risk_scoring/${JANE_ID}$`),
        body: { success: true, errors: [], messages: [], result: { risk_level: "HIGH", events: [{ id: 1, name: "", timestamp: "x" }, "junk", { name: "Ok", timestamp: at(-1), risk_level: "medium" }] }, result_info: { page: 1, per_page: 100, count: 3, total_count: 3 } },
      });
      const result = await investigate("risk", { value: JANE_ID, alert: payloadAlert() }, { store: null, client: cf.client() }, OPTS);
      assert.deepEqual(result.backends.api.calls!.risk, { state: "ok", records: 1, reason: "2 malformed risk events skipped" });
      assert.equal(result.summary.risk!.level, "high");
      assert.deepEqual(result.summary.risk!.events.map((e) => e.name), ["Ok"]);
    });
  });

  describe("user", () => {
    it("gives the profile, sign-ins with their countries and addresses, apps, devices and risk", async () => {
      const result = await investigate("user", { alert: payloadAlert() }, { store: fx.store, client: cf.client() }, OPTS);
      assert.equal(result.value, JANE);
      assert.equal(result.backends.api.state, "ok", JSON.stringify(result.backends.api));
      assert.equal(result.backends.store.state, "ok", JSON.stringify(result.backends.store));
      const activity = result.summary.activity!;
      assert.deepEqual(activity.profile, {
        id: JANE_ID,
        email: "Jane.Doe@Example.com",
        name: "Jane Doe",
        created_at: "2025-01-02T09:00:00.000Z",
        last_successful_login: at(-40),
        active_device_count: 1,
        access_seat: true,
        gateway_seat: true,
      });
      assert.deepEqual(activity.sign_ins, { total: 2, success: 1, failure: 1, first: at(-40), last: at(-35) });
      assert.deepEqual(activity.countries.map((t) => [t.value, t.count, t.sources.sort().join()]), [
        ["RU", 1, "api:access_logins,store"],
        ["US", 1, "api:access_logins,store"],
      ]);
      assert.deepEqual(values(activity.source_ips), [["198.51.100.77", 1], [OFFICE_IP, 1]]);
      assert.deepEqual(values(activity.apps), [["payroll.example.com", 1], ["wiki.example.com", 1]]);
      assert.deepEqual(activity.devices.map((d) => [d.name, d.source]), [[`${LAPTOP}-OLD`, "api:devices"], [LAPTOP, "api:devices"]]);
      assert.equal(result.summary.risk!.level, "high");
      const logins = cf.api.requestsTo("/graphql").find((r) => JSON.stringify(r.body).includes("accessLoginRequestsAdaptiveGroups"))!;
      assert.equal((logins.body as { variables: { value: string } }).variables.value, JANE_ID);
      assert.equal(cf.api.count(/\/access\/users$/), 1, "one user lookup serves the profile, the risk and the logins");
      const access = cf.api.requestsTo(/\/access\/logs\/access_requests$/)[0];
      assert.equal(access.query.get("email"), JANE);
      assert.equal(access.query.get("email_exact"), "true");
      assert.equal(cf.api.requestsTo(/\/devices\/physical-devices$/)[0].query.get("last_seen_user.email"), JANE);
    });

    it("keeps another user's logins out when the server ignores the e-mail filter", async () => {
      cf.api.fail({
        path: /\/access\/logs\/access_requests$/,
        body: { success: true, errors: [], messages: [], result: [{ created_at: at(-1), user_email: "mallory@example.com", ip_address: OFFICE_IP, action: "login", allowed: true }], result_info: { page: 1, per_page: 100, count: 1, total_count: 1 } },
      });
      const result = await investigate("user", { value: JANE, alert: payloadAlert() }, { store: null, client: cf.client() }, OPTS);
      assert.ok(!result.timeline.some((e) => e.user === "mallory@example.com"));
      assert.equal(result.summary.activity!.sign_ins.total, 0);
    });

    it("works from the store alone, devices named by the hosts it saw", async () => {
      const result = await investigate("user", { value: JANE, alert: payloadAlert() }, { store: fx.store, client: null }, OPTS);
      const activity = result.summary.activity!;
      assert.deepEqual(activity.sign_ins, { total: 2, success: 1, failure: 1, first: at(-40), last: at(-35) });
      assert.deepEqual(activity.devices, [{ source: "store", name: LAPTOP.toLowerCase() }]);
      assert.equal(activity.profile, undefined);
      assert.equal(result.summary.risk!.level, "high");
      assert.ok(result.timeline.length >= 6);
    });

    it("asks only the calls keyed by id for a user id, and none for a bare name", async () => {
      const byId = await investigate("user", { value: JANE_ID, alert: payloadAlert() }, { store: null, client: cf.client() }, OPTS);
      assert.deepEqual(Object.keys(byId.backends.api.calls!), ["access_logins", "risk"]);
      const byName = await investigate("user", { value: "Jane Doe" }, { store: null, client: cf.client() }, OPTS);
      assert.deepEqual(byName.backends.api, { state: "absent", reason: "no call of this backend applies to the value" });
    });
  });
});
