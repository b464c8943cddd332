import assert from "node:assert/strict";
import { CloudflareApiError, type Query } from "../../lib/cloudflare";
import { rejection, TOKEN, useStandIn } from "../helpers/cloudflare";

type Rec = Record<string, unknown>;

/** The stand-in is what the client and the nodes are tested against, so its answers are tested too. */
describe("Cloudflare API stand-in", function () {
  const fx = useStandIn();
  const c = () => fx.client({ maxRetries: 0 });
  const path = (sub: string) => c().accountPath(sub);
  const failure = async (work: Promise<unknown>) => (await rejection(work)) as CloudflareApiError;

  describe("routing, authentication and the request log", function () {
    it("answers an unknown path with 7003 and another account with 403", async function () {
      assert.deepEqual((await failure(c().get("/nowhere"))).codes, [7003]);
      const other = await failure(c().get("/accounts/ffffffffffffffffffffffffffffffff/access/users"));
      assert.equal(other.status, 403);
      assert.deepEqual(other.codes, [9109]);
    });

    it("records requests without the Authorization value, and counts them per path", async function () {
      await c().get(path("/access/users"), { email: "a@example.com" });
      await rejection(fx.client({ token: "wrong", maxRetries: 0 }).get(path("/access/users")));
      await c().get(path("/devices"));
      const [first, second] = fx.api.requests;
      assert.deepEqual([first.auth, second.auth], ["ok", "wrong"]);
      assert.equal(first.headers.authorization, undefined);
      assert.ok(!JSON.stringify(fx.api.requests).includes(TOKEN));
      assert.equal(first.query.get("email"), "a@example.com");
      assert.equal(fx.api.count(path("/access/users")), 2);
      assert.equal(fx.api.count(/\/devices$/), 1);
      assert.equal(fx.api.count(), 3);
      fx.api.reset();
      assert.equal(fx.api.count(), 0);
    });

    it("applies a fault only to the requests it names, as many times as it says", async function () {
      fx.api.fail({ path: /\/access\/users$/, when: (r) => r.query.get("page") === "2", status: 503, times: 2 });
      assert.deepEqual(await c().get(path("/access/users"), { page: 1 }), []);
      assert.equal((await failure(c().get(path("/access/users"), { page: 2 }))).status, 503);
      assert.equal((await failure(c().get(path("/access/users"), { page: 2 }))).status, 503);
      assert.deepEqual(await c().get(path("/access/users"), { page: 2 }), []);
    });
  });

  describe("Access", function () {
    it("lists identity providers with their SCIM switch", async function () {
      fx.api.seed.identityProviders([{ id: "idp-1", name: "Okta", scim_config: { enabled: true } }, { id: "idp-2", type: "azureAD" }]);
      const idps = await c().get<Rec[]>(path("/access/identity_providers"));
      assert.deepEqual(
        idps.map((i) => [i.id, i.name, i.type, (i.scim_config as Rec).enabled]),
        [["idp-1", "Okta", "okta", true], ["idp-2", "idp-2", "azureAD", false]],
      );
    });

    it("requires idp_id for SCIM updates, with a Cloudflare error body", async function () {
      const err = await failure(c().get(path("/access/logs/scim/updates")));
      assert.equal(err.status, 400);
      assert.deepEqual(err.codes, [1001]);
    });

    it("filters SCIM updates by IdP, status and time, newest first unless asked", async function () {
      fx.api.seed.scim("a", [
        { logged_at: "2025-06-02T09:00:00Z", status: "SUCCESS", resource_user_email: "x@example.com" },
        { logged_at: "2025-06-02T10:00:00Z", status: "FAILURE", resource_user_email: "y@example.com" },
        { logged_at: "2025-06-02T11:00:00Z", status: "SUCCESS", resource_user_email: "z@example.com" },
      ]);
      fx.api.seed.scim("b", [{ logged_at: "2025-06-02T10:30:00Z", status: "SUCCESS", resource_user_email: "w@example.com" }]);
      const emails = async (query: Query) => (await c().get<Rec[]>(path("/access/logs/scim/updates"), query)).map((r) => r.resource_user_email);
      assert.deepEqual(await emails({ idp_id: ["a"] }), ["z@example.com", "y@example.com", "x@example.com"]);
      assert.deepEqual(await emails({ idp_id: ["a", "b"], "status[]": ["SUCCESS"], direction: "asc" }), ["x@example.com", "w@example.com", "z@example.com"]);
      assert.deepEqual(await emails({ idp_id: ["a"], since: "2025-06-02T10:00:00Z", until: "2025-06-02T10:59:59Z" }), ["y@example.com"]);
      assert.equal((await failure(c().get(path("/access/logs/scim/updates"), { idp_id: ["a"], direction: "up" }))).status, 400);
    });

    it("pages Access requests by time with since, until, direction, email and limit", async function () {
      fx.api.seed.accessRequests(
        ["09", "10", "11", "12"].map((h, i) => ({ created_at: `2025-06-02T${h}:00:00Z`, user_email: i % 2 ? "Jane.Doe@example.com" : "bob@example.com", ray_id: `r${h}` })),
      );
      const rays = async (query: Query) => (await c().get<Rec[]>(path("/access/logs/access_requests"), query)).map((r) => r.ray_id);
      assert.deepEqual(await rays({}), ["r12", "r11", "r10", "r09"]);
      assert.deepEqual(await rays({ since: "2025-06-02T10:00:00Z", until: "2025-06-02T11:00:00Z", direction: "asc" }), ["r10", "r11"]);
      assert.deepEqual(await rays({ email: "jane" }), ["r12", "r10"]);
      assert.deepEqual(await rays({ email: "jane", email_exact: true }), []);
      assert.deepEqual(await rays({ limit: 3 }), ["r12", "r11", "r10"]);
      const got = await c().request<Rec[]>("GET", path("/access/logs/access_requests"), { query: { per_page: 3, page: 2 } });
      assert.deepEqual(got.resultInfo, { page: 2, per_page: 3, count: 1, total_count: 4, total_pages: 2 });
    });

    it("finds users by email, name or search", async function () {
      fx.api.seed.users([
        { id: "u1", email: "jane.doe@example.com", name: "Jane Doe", access_seat: true },
        { id: "u2", email: "bob@example.com", name: "Bob", access_seat: false },
      ]);
      const found = async (query: Query) => (await c().get<Rec[]>(path("/access/users"), query)).map((u) => u.id);
      assert.deepEqual(await found({ email: "Jane.Doe@example.com" }), ["u1"]);
      assert.deepEqual(await found({ name: "bob" }), ["u2"]);
      assert.deepEqual(await found({ search: "example" }), ["u1", "u2"]);
    });
  });

  describe("risk scoring", function () {
    beforeEach(function () {
      fx.api.seed.riskUser({ user_id: "u1", email: "jane@example.com", name: "Jane" }, [
        { id: "e1", name: "Impossible Travel", risk_level: "high", timestamp: "2025-06-02T14:10:00Z", event_details: {} },
        { id: "e2", name: "High Number of DLP Policies Triggered", risk_level: "low", timestamp: "2025-06-02T14:03:11Z", event_details: {} },
      ]);
      fx.api.seed.riskUser({ user_id: "u2", email: "bob@example.com", name: "Bob" }, [
        { id: "e3", name: "Suspicious domain", risk_level: "medium", timestamp: "2025-06-02T15:00:00Z", event_details: {} },
      ]);
    });

    it("summarises users, newest last event first, or in the order asked", async function () {
      const summary = await c().get<{ users: Rec[] }>(path("/zt_risk_scoring/summary"));
      assert.deepEqual(summary.users, [
        { user_id: "u2", name: "Bob", email: "bob@example.com", max_risk_level: "medium", event_count: 1, last_event: "2025-06-02T15:00:00Z" },
        { user_id: "u1", name: "Jane", email: "jane@example.com", max_risk_level: "high", event_count: 2, last_event: "2025-06-02T14:10:00Z" },
      ]);
      const byLevel = await c().get<{ users: Rec[] }>(path("/zt_risk_scoring/summary"), { order_by: "max_risk_level", direction: "asc" });
      assert.deepEqual(byLevel.users.map((u) => u.user_id), ["u2", "u1"]);
    });

    it("pages one user's events under the user's details", async function () {
      const got = await c().request<Rec>("GET", path("/zt_risk_scoring/u1"), { query: { per_page: 1, page: 2 } });
      assert.deepEqual(got.result, {
        email: "jane@example.com",
        name: "Jane",
        risk_level: "high",
        last_reset_time: null,
        events: [{ id: "e2", name: "High Number of DLP Policies Triggered", risk_level: "low", timestamp: "2025-06-02T14:03:11Z", event_details: {} }],
      });
      assert.deepEqual(got.resultInfo, { page: 2, per_page: 1, count: 1, total_count: 2, total_pages: 2 });
      assert.equal((await failure(c().get(path("/zt_risk_scoring/nobody")))).status, 404);
    });

    it("answers the behaviour map, the documented two by default", async function () {
      const behaviors = async () => (await c().get<{ behaviors: Record<string, Rec> }>(path("/zt_risk_scoring/behaviors"))).behaviors;
      const defaults = await behaviors();
      assert.deepEqual(Object.keys(defaults), ["imp_travel", "high_dlp"]);
      assert.equal(defaults.imp_travel.enabled, false);
      fx.api.seed.behaviors({ imp_travel: { ...defaults.imp_travel, enabled: true } });
      assert.deepEqual(Object.keys(await behaviors()), ["imp_travel"]);
      assert.equal((await behaviors()).imp_travel.enabled, true);
    });
  });

  describe("devices", function () {
    const devices = [
      { id: "d1", name: "LAPTOP-JANE", serial_number: "SN-001", last_seen_at: "2025-06-02T10:00:00Z", last_seen_user: { email: "jane@example.com" } },
      { id: "d2", name: "mbp-bob", serial_number: "SN-002", last_seen_at: "2025-06-01T10:00:00Z", last_seen_user: { email: "bob@example.com" } },
    ];

    it("lists legacy devices in one page and finds one by id", async function () {
      fx.api.seed.devices(devices);
      assert.deepEqual((await c().get<Rec[]>(path("/devices"))).map((d) => d.id), ["d1", "d2"]);
      assert.equal((await c().get<Rec>(path("/devices/d2"))).name, "mbp-bob");
      assert.equal((await failure(c().get(path("/devices/d9")))).status, 404);
    });

    it("filters physical devices by search, id, user and last seen, and refuses a forged cursor", async function () {
      fx.api.seed.physicalDevices(devices);
      const found = async (query: Query) => (await c().get<Rec[]>(path("/devices/physical-devices"), query)).map((d) => d.id);
      assert.deepEqual(await found({ search: "sn-002" }), ["d2"]);
      assert.deepEqual(await found({ "id[]": ["d1"] }), ["d1"]);
      assert.deepEqual(await found({ "last_seen_user.email": "bob@example.com" }), ["d2"]);
      assert.deepEqual(await found({ seen_after: "2025-06-02T00:00:00Z" }), ["d1"]);
      assert.deepEqual(await found({ sort_by: "name", sort_order: "desc" }), ["d2", "d1"]);
      assert.equal((await failure(c().get(path("/devices/physical-devices"), { cursor: "forged" }))).status, 400);
      assert.equal((await c().get<Rec>(path("/devices/physical-devices/d1"))).serial_number, "SN-001");
    });
  });

  describe("GraphQL", function () {
    const q = (dataset: string, args: string, selection: string) =>
      `query ($a: string!, $from: Time!, $to: Time!) { viewer { accounts(filter: {accountTag: $a}) { ${dataset}(${args}) { ${selection} } } } }`;
    const vars = () => ({ a: fx.api.accountId, from: "2025-06-02T00:00:00Z", to: "2025-06-03T00:00:00Z" });
    const rows = async (dataset: string, args: string, selection: string, extra: Rec = {}) =>
      ((await c().graphql<{ viewer: { accounts: Rec[] } }>(q(dataset, args, selection), { ...vars(), ...extra })).viewer.accounts[0][dataset]) as Rec[];

    it("groups network sessions by the selected dimensions, sums and orders them", async function () {
      fx.api.seed.gateway("network", [
        { datetime: "2025-06-02T10:05:00Z", destinationIp: "192.0.2.1", destinationPort: 22, bytesEgress: 100 },
        { datetime: "2025-06-02T10:45:00Z", destinationIp: "192.0.2.1", destinationPort: 22, bytesEgress: 50 },
        { datetime: "2025-06-02T11:00:00Z", destinationIp: "192.0.2.9", destinationPort: 443, bytesEgress: 7 },
      ]);
      const got = await rows(
        "gatewayL4SessionsAdaptiveGroups",
        "limit: $n, filter: {datetime_geq: $from, datetime_lt: $to, destinationPort_in: $ports}, orderBy: [count_DESC]",
        "count sum { bytesEgress } dimensions { datetimeHour destinationIp }",
        { n: 10, ports: [22, 443] },
      );
      assert.deepEqual(got, [
        { count: 2, dimensions: { datetimeHour: "2025-06-02T10:00:00Z", destinationIp: "192.0.2.1" }, sum: { bytesEgress: 150 } },
        { count: 1, dimensions: { datetimeHour: "2025-06-02T11:00:00Z", destinationIp: "192.0.2.9" }, sum: { bytesEgress: 7 } },
      ]);
    });

    it("answers DNS queries with like filters and the limit", async function () {
      fx.api.seed.gateway("dns", [
        { datetime: "2025-06-02T10:00:00Z", queryName: "a.evil.example", resolverDecision: "blockedByCategory" },
        { datetime: "2025-06-02T10:01:00Z", queryName: "b.evil.example", resolverDecision: "blockedByCategory" },
        { datetime: "2025-06-02T10:02:00Z", queryName: "good.example", resolverDecision: "allowedOnNoPolicyMatch" },
      ]);
      const got = await rows(
        "gatewayResolverQueriesAdaptiveGroups",
        "limit: 1, filter: {datetime_geq: $from, queryName_like: $name}, orderBy: [datetime_ASC]",
        "count dimensions { queryName }",
        { name: "%.evil.example" },
      );
      assert.deepEqual(got, [{ count: 1, dimensions: { queryName: "a.evil.example" } }]);
    });

    it("refuses filter values pasted into the query text, another account, and a missing limit", async function () {
      const pasted = "query ($a: string!) { viewer { accounts(filter: {accountTag: $a}) { gatewayL7RequestsAdaptiveGroups(limit: 1, filter: {sourceIp: \"203.0.113.1\"}) { count } } } }";
      assert.match((await failure(c().graphql(pasted, { a: fx.api.accountId }))).messages[0], /filter values must be passed as variables/);
      assert.match((await failure(c().graphql(q("gatewayL7RequestsAdaptiveGroups", "limit: 1", "count"), { ...vars(), a: "other" }))).messages[0], /not authorized for that account/);
      assert.match((await failure(c().graphql(q("gatewayL7RequestsAdaptiveGroups", "filter: {datetime_geq: $from}", "count"), vars()))).messages[0], /limit must be positive/);
      assert.match((await failure(c().graphql("{ viewer { accounts(filter: {accountTag: $a}) { x } } }", {}))).messages[0], /Variable "\$a" is not provided/);
    });
  });
});
