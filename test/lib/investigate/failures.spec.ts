import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { investigate, type InvestigateOptions, type Investigation } from "../../../lib/investigate";
import { SqliteEventStore } from "../../../lib/store/sqlite-event-store";
import { TOKEN } from "../../helpers/cloudflare";
import { C2_IP, MIN, payloadAlert, useScenario } from "./scenario";

const OPTS: InvestigateOptions = { beforeMs: 60 * MIN, afterMs: 15 * MIN, cap: 100, timeoutMs: 5000 };
const GATEWAY_CALLS = ["gateway_http", "gateway_network", "gateway_dns"];

function sources(result: Investigation): string[] {
  return [...new Set(result.timeline.map((e) => e.source))].sort();
}

function assertNoToken(result: Investigation): void {
  assert.ok(!JSON.stringify(result).includes(TOKEN), "the token shows in the result");
}

describe("investigate with failing backends", function () {
  const fx = useScenario();
  const cf = fx.cf;

  const run = (opts: Partial<InvestigateOptions> = {}, client = cf.client({ maxRetries: 1 })) =>
    investigate("ip", { alert: payloadAlert(), value: C2_IP }, { store: fx.store, client }, { ...OPTS, ...opts });

  it("keeps the store's answer when every API call fails, and says why for each", async () => {
    cf.api.fail({ path: "/graphql", status: 500, times: Infinity });
    cf.api.fail({ path: /\/access\/logs\/access_requests$/, status: 403, errors: [{ code: 10000, message: `Authentication error for ${TOKEN}` }], times: Infinity });
    const result = await run();
    assert.equal(result.backends.store.state, "ok");
    assert.equal(result.backends.api.state, "error");
    const calls = result.backends.api.calls!;
    for (const name of [...GATEWAY_CALLS, "access_requests"]) assert.equal(calls[name].state, "error", name);
    assert.match(calls.gateway_http.reason!, /POST \/graphql failed: HTTP 500.*gave up after 2 attempts/);
    assert.match(calls.access_requests.reason!, /HTTP 403.*10000.*\[redacted\]/);
    assert.match(result.backends.api.reason!, /^gateway_http: POST \/graphql failed/);
    assert.deepEqual(sources(result), ["store"]);
    assert.equal(result.summary.events, 5);
    assertNoToken(result);
  });

  it("is partial when some API calls fail: the others' rows stay", async () => {
    cf.api.fail({ path: "/graphql", when: (r) => JSON.stringify(r.body).includes("gatewayResolverQueriesAdaptiveGroups"), status: 429, retryAfter: 0, times: Infinity });
    const result = await run();
    assert.equal(result.backends.api.state, "partial");
    // The alert's domain is asked of the DNS dataset too.
    assert.match(result.backends.api.reason!, /^2 of 6 calls failed: gateway_dns: .*HTTP 429.*; domain_dns: .*HTTP 429/);
    assert.equal(result.backends.api.calls!.gateway_http.state, "ok");
    assert.ok(sources(result).includes("api:gateway_network"));
    assert.ok(!sources(result).includes("api:gateway_dns"));
  });

  it("keeps the API's answer when the store is closed or cannot be opened", async () => {
    await fx.store.close();
    const closed = await run();
    assert.equal(closed.backends.store.state, "error");
    assert.match(closed.backends.store.reason!, /timeline: event store .* is closed/);
    assert.equal(closed.backends.api.state, "ok");
    assert.deepEqual(sources(closed), ["api:gateway_dns", "api:gateway_http", "api:gateway_network"]);

    const dir = mkdtempSync(path.join(tmpdir(), "ztna-unopenable-"));
    // A folder where the database file should be: SQLite cannot open it.
    const broken = new SqliteEventStore({ file: dir });
    try {
      const result = await investigate("ip", { alert: payloadAlert(), value: C2_IP }, { store: broken, client: cf.client() }, OPTS);
      assert.equal(result.backends.store.state, "error");
      assert.match(result.backends.store.reason!, /cannot be opened|not a usable|failed/);
      assert.equal(result.backends.api.state, "ok");
      assert.ok(result.timeline.length > 0);
    } finally {
      await broken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives up on a backend at its deadline and keeps what answered in time", async () => {
    cf.api.fail({ path: "/graphql", delayMs: 3000, times: Infinity });
    const started = Date.now();
    const result = await run({ timeoutMs: 300 });
    assert.ok(Date.now() - started < 2000, "waited for the slow API past the deadline");
    for (const name of GATEWAY_CALLS) assert.deepEqual(result.backends.api.calls![name], { state: "error", reason: "no answer within 300 ms", records: 0 });
    assert.equal(result.backends.api.calls!.access_requests.state, "ok");
    assert.equal(result.backends.api.state, "partial");
    assert.equal(result.backends.store.state, "ok");
    assert.deepEqual(sources(result), ["store"]);
  });

  it("reports an answer that is not JSON, or JSON of the wrong shape, with the other backend's answer kept", async () => {
    cf.api.fail({ path: "/graphql", when: (r) => JSON.stringify(r.body).includes("gatewayL7"), body: "<html><body>502 Bad Gateway</body></html>", times: Infinity });
    cf.api.fail({ path: "/graphql", when: (r) => JSON.stringify(r.body).includes("gatewayL4"), body: { data: { viewer: { accounts: "everything" } }, errors: null }, times: Infinity });
    cf.api.fail({ path: "/graphql", when: (r) => JSON.stringify(r.body).includes("gatewayResolver"), body: { data: { viewer: { accounts: [{ gatewayResolverQueriesAdaptiveGroups: { rows: [] } }] } } }, times: Infinity });
    cf.api.fail({ path: /\/access\/logs\/access_requests$/, body: { success: true, errors: [], messages: [], result: { not: "a list" } } });
    const result = await run();
    const calls = result.backends.api.calls!;
    assert.match(calls.gateway_http.reason!, /response is not JSON \(starts "<html><body>502 Bad Gateway/);
    assert.match(calls.gateway_network.reason!, /malformed answer: viewer\.accounts is not a list of one account/);
    assert.match(calls.gateway_dns.reason!, /malformed answer: viewer\.accounts\[0\]\.gatewayResolverQueriesAdaptiveGroups is not a list/);
    assert.match(calls.access_requests.reason!, /result holds no list of items/);
    assert.equal(result.backends.api.state, "error");
    assert.equal(result.backends.store.state, "ok");
    assert.equal(result.summary.events, 5);
  });

  it("skips malformed rows and counts them, keeping the good ones", async () => {
    const good = { count: 2, dimensions: { datetime: "2026-03-10T11:55:00Z", action: "allow", email: "ok@example.com", sourceIp: "203.0.113.99", destinationIp: C2_IP } };
    const hostile = [
      null,
      "row",
      { count: 1 },
      { count: -4, dimensions: { datetime: "2026-03-10T11:55:00Z" } },
      { count: 1, dimensions: { datetime: "not a time" } },
      { count: 1, dimensions: { datetime: "2026-03-10T11:56:00Z", email: { $gt: "" }, sourceIp: "999.1.1.1", destinationIp: ["x"], destinationPort: "443; DROP", __proto__: { polluted: true } } },
    ];
    cf.api.fail({ path: "/graphql", when: (r) => JSON.stringify(r.body).includes("gatewayL4"), body: { data: { viewer: { accounts: [{ gatewayL4SessionsAdaptiveGroups: [good, ...hostile] }] } } } });
    const result = await run();
    const call = result.backends.api.calls!.gateway_network;
    assert.deepEqual(call, { state: "ok", records: 2, reason: "5 malformed rows skipped" });
    const rows = result.timeline.filter((e) => e.source === "api:gateway_network");
    assert.deepEqual(rows, [
      { "@timestamp": "2026-03-10T11:55:00.000Z", source: "api:gateway_network", dataset: "gateway_network", action: "allow", user: "ok@example.com", source_ip: "203.0.113.99", destination_ip: C2_IP, count: 2 },
      { "@timestamp": "2026-03-10T11:56:00.000Z", source: "api:gateway_network", dataset: "gateway_network", destination_ip: C2_IP },
    ]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("cuts an oversized answer to what was asked for, and long text to a bounded length", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      count: 1,
      dimensions: { datetime: new Date(Date.parse("2026-03-10T11:00:00Z") + i * 100).toISOString(), sourceIp: "203.0.113.7", destinationIp: C2_IP, httpHost: "x".repeat(1_000_000), url: "https://big.example/" },
    }));
    cf.api.fail({ path: "/graphql", when: (r) => JSON.stringify(r.body).includes("gatewayL7"), body: { data: { viewer: { accounts: [{ gatewayL7RequestsAdaptiveGroups: rows.slice(0, 50) }] } } } });
    cf.api.fail({ path: "/graphql", when: (r) => JSON.stringify(r.body).includes("gatewayL4"), body: { data: { viewer: { accounts: [{ gatewayL4SessionsAdaptiveGroups: rows.map((r) => ({ ...r, dimensions: { ...r.dimensions, httpHost: undefined } })) }] } } } });
    const result = await run({ cap: 100 });
    const l4 = result.backends.api.calls!.gateway_network;
    assert.equal(l4.records, 100);
    assert.equal(l4.truncated, true);
    assert.match(l4.reason!, /20000 rows answered where 100 were asked for/);
    const http = result.timeline.find((e) => e.source === "api:gateway_http" && e.source_ip === "203.0.113.7")!;
    assert.equal(http.domain!.length, 2049);
    assert.equal(result.timeline.length, 100);
    assert.equal(result.truncated, true);
    assert.ok(JSON.stringify(result).length < 1_000_000);
  });

  it("drops a dimension the account's schema lacks, says so, and does not ask for it again", async () => {
    cf.api.seed.analyticsFields("gatewayL7RequestsAdaptiveGroups", ["action", "email", "sourceIp", "destinationIp", "destinationPort", "httpHost", "url", "policyName"]);
    const client = cf.client();
    const first = await run({}, client);
    assert.equal(first.backends.api.calls!.gateway_http.state, "ok");
    assert.match(first.backends.api.calls!.gateway_http.reason!, /the schema has no "deviceName"; asked without/);
    assert.ok(first.timeline.some((e) => e.source === "api:gateway_http" && e.user === "jane.doe@example.com" && e.host === undefined));
    cf.api.requests.length = 0;
    const second = await run({}, client);
    assert.equal(second.backends.api.calls!.gateway_http.reason, undefined);
    // Two questions to the dataset: the address, and the alert's domain; neither asks for the field.
    const l7 = cf.api.requestsTo("/graphql").filter((r) => JSON.stringify(r.body).includes("gatewayL7"));
    assert.equal(l7.length, 2);
    assert.ok(l7.every((r) => !JSON.stringify(r.body).includes("deviceName")));
  });

  it("fails a dataset whose filter field the schema lacks, with the server's words", async () => {
    cf.api.seed.analyticsFields("gatewayResolverQueriesAdaptiveGroups", ["queryName", "srcIp"]);
    const result = await run();
    const dns = result.backends.api.calls!.gateway_dns;
    assert.equal(dns.state, "error");
    assert.match(dns.reason!, /unknown field "resolvedIps"/);
  });

  it("reads hostile device, registration and user answers without trusting their shape", async () => {
    const hostileDevices: unknown[] = [
      null,
      42,
      { id: { nested: true } },
      { name: "" },
      { id: "d-1", name: "JDOE-MBP14", os_version: ["14"], active_registrations: "many", last_seen_at: "yesterday", last_seen_user: "jane" },
      { id: "d-2", name: "X".repeat(10_000), constructor: { prototype: { polluted: 1 } } },
    ];
    cf.api.fail({ path: /\/devices\/physical-devices$/, body: { success: true, errors: [], messages: [], result: hostileDevices, result_info: { count: 6, per_page: 50, cursor: "" } } });
    cf.api.fail({ path: /\/devices\/registrations$/, body: { success: true, errors: [], messages: [], result: [{ id: 7 }, { user: { email: "x@example.com" } }, "junk"], result_info: { cursor: "" } } });
    const host = await investigate("host", { value: "JDOE-MBP14" }, { store: fx.store, client: cf.client() }, OPTS);
    assert.deepEqual(host.backends.api.calls!.devices, { state: "ok", records: 2, reason: "4 malformed devices skipped" });
    assert.deepEqual(host.summary.device, { source: "api:devices", id: "d-1", name: "JDOE-MBP14", registrations: [{ id: "7" }] });
    assert.deepEqual(host.backends.api.calls!.registrations, { state: "ok", records: 1, reason: "2 malformed registrations skipped" });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);

    cf.api.fail({ path: /\/access\/users$/, body: { success: true, errors: [], messages: [], result: { users: [] } } });
    const user = await investigate("user", { value: "jane.doe@example.com" }, { store: fx.store, client: cf.client() }, OPTS);
    assert.match(user.backends.api.calls!.users.reason!, /malformed answer: the users result is not a list/);
    assert.match(user.backends.api.calls!.risk.reason!, /the user's id is unknown: malformed answer/);
    assert.equal(user.backends.api.calls!.access_requests.state, "ok");
    assert.equal(user.backends.api.state, "partial");
    assertNoToken(user);
  });

  it("says why each backend is absent, and what is missing when there is nothing to investigate", async () => {
    const none = await investigate("ip", { value: C2_IP }, { store: null, client: null, apiProblem: "Cloudflare account not configured yet" }, OPTS);
    assert.deepEqual(none.backends, { store: { state: "absent", reason: "no event store configured" }, api: { state: "absent", reason: "Cloudflare account not configured yet" } });
    assert.deepEqual(none.timeline, []);
    assert.equal(none.summary.events, 0);

    const bad = await investigate("ip", { value: "203.0.113.999" }, { store: fx.store, client: cf.client() }, OPTS);
    assert.equal(bad.value, null);
    assert.equal(bad.problem, '"203.0.113.999" is not an IP address');
    assert.equal(bad.backends.api.state, "absent");
    assert.equal(cf.api.requests.length, 0, "a bad value reaches no backend");

    const nothing = await investigate("ip", { alert: { ...payloadAlert(), ip: undefined, evidence: { ip: [], domain: [], url: [], user: [], host: [], hash: [] } } }, { store: fx.store, client: cf.client() }, OPTS);
    assert.equal(nothing.problem, "the alert names no IP address");
  });
});
