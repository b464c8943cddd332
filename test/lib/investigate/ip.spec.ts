import assert from "node:assert/strict";
import { investigate, type InvestigateOptions } from "../../../lib/investigate";
import { TOKEN } from "../../helpers/cloudflare";
import { at, C2_IP, DOMAIN, MIN, OFFICE_IP, payloadAlert, useScenario } from "./scenario";

const OPTS: InvestigateOptions = { beforeMs: 60 * MIN, afterMs: 15 * MIN, cap: 100, timeoutMs: 5000 };

describe("investigate ip", function () {
  const fx = useScenario();
  const cf = fx.cf;

  it("merges the store's events and the API's rows into one time-ordered timeline, each line saying where it came from", async () => {
    const result = await investigate("ip", { alert: payloadAlert() }, { store: fx.store, client: cf.client() }, OPTS);
    assert.equal(result.value, C2_IP);
    assert.equal(result.from, "evidence");
    assert.deepEqual(result.window, { from: at(-69), to: at(6) });
    assert.equal(result.backends.store.state, "ok");
    assert.equal(result.backends.api.state, "ok", JSON.stringify(result.backends.api));
    const times = result.timeline.map((e) => Date.parse(e["@timestamp"]));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    const lines = result.timeline.map((e) => `${e["@timestamp"].slice(11, 16)} ${e.source} ${e.dataset} ${e.user ?? "-"}`);
    assert.deepEqual(lines, [
      "11:40 api:gateway_network gateway_network bob@example.com",
      "11:40 store gateway_network bob@example.com",
      "11:48 api:gateway_dns gateway_dns carol@example.com",
      "11:48 store gateway_dns carol@example.com",
      "11:50 api:gateway_network gateway_network jane.doe@example.com",
      "11:50 store gateway_network jane.doe@example.com",
      "11:51 api:gateway_http gateway_http jane.doe@example.com",
      "11:51 store gateway_http jane.doe@example.com",
      "11:55 api:gateway_network gateway_network bob@example.com",
      "11:55 store gateway_network bob@example.com",
      "11:57 api:gateway_network gateway_network erin@example.com",
    ]);
    assert.equal(result.timeline_total, 11);
    assert.equal(result.truncated, false);
  });

  it("summarises both backends without counting the same traffic twice", async () => {
    const { summary } = await investigate("ip", { alert: payloadAlert(), value: C2_IP }, { store: fx.store, client: cf.client() }, OPTS);
    const counts = (list: Array<{ value: string; count: number }>) => Object.fromEntries(list.map((t) => [t.value, t.count]));
    // The store holds three network sessions with the address, the API four (Erin's too).
    assert.deepEqual(counts(summary.by_dataset), { gateway_network: 4, gateway_http: 1, gateway_dns: 1 });
    assert.equal(summary.events, 6);
    assert.deepEqual(summary.by_dataset.find((t) => t.value === "gateway_network")?.sources.sort(), ["api:gateway_network", "store"]);
    assert.deepEqual(counts(summary.by_action), { allow: 4, block: 1, allowedOnNoPolicyMatch: 1 });
    assert.equal(summary.first_seen, at(-20));
    assert.equal(summary.last_seen, at(-3));
    assert.deepEqual(counts(summary.top_peers), { "203.0.113.20": 2, [OFFICE_IP]: 2, "203.0.113.40": 1, "203.0.113.50": 1 });
    assert.deepEqual(counts(summary.top_domains), { [DOMAIN]: 2 });
    assert.ok(summary.users.some((u) => u.value === "erin@example.com" && u.sources.join() === "api:gateway_network"));
  });

  it("lists the other users and hosts that touched the address and the alert's domain, by direction", async () => {
    const { summary } = await investigate("ip", { alert: payloadAlert(), value: C2_IP }, { store: fx.store, client: cf.client() }, OPTS);
    const related = Object.fromEntries(summary.related.map((r) => [r.by, { value: r.value, events: r.events, users: r.users.map((u) => u.value), hosts: r.hosts.map((h) => h.value) }]));
    assert.deepEqual(related, {
      source_ip: { value: C2_IP, events: 0, users: [], hosts: [] },
      // Jane is the alert's own user and her laptop its host: only the others are listed.
      destination_ip: { value: C2_IP, events: 6, users: ["bob@example.com", "carol@example.com", "erin@example.com"], hosts: ["BOB-LT", "CAROL-PC", "ERIN-PC"] },
      domain: { value: DOMAIN, events: 3, users: ["carol@example.com", "dave@example.com"], hosts: ["CAROL-PC", "DAVE-LT"] },
    });
  });

  it("finds who came from the alert's source address, Access logins included, when the API cannot filter them", async () => {
    const result = await investigate("ip", { alert: payloadAlert(), value: OFFICE_IP }, { store: fx.store, client: cf.client() }, OPTS);
    assert.equal(result.value, OFFICE_IP);
    assert.equal(result.from, "value");
    const bySource = result.summary.related.find((r) => r.by === "source_ip")!;
    assert.deepEqual(bySource.users.map((u) => [u.value, u.count, u.sources.sort().join()]), [["mallory@example.com", 2, "api:access_requests,api:gateway_network,store"]]);
    assert.ok(result.timeline.some((e) => e.source === "api:access_requests" && e.user === "mallory@example.com" && e.source_ip === OFFICE_IP));
    const scans = cf.api.requestsTo(/\/access\/logs\/access_requests$/);
    assert.equal(scans.length, 1);
    assert.equal(scans[0].query.get("since"), at(-69));
    assert.equal(scans[0].query.get("email"), null);
    assert.ok(!JSON.stringify(result).includes(TOKEN));
  });

  it("sends the address only as a GraphQL variable, never in the query text", async () => {
    await investigate("ip", { value: C2_IP }, { store: null, client: cf.client() }, OPTS);
    const queries = cf.api.requestsTo("/graphql").map((r) => r.body as { query: string; variables: Record<string, unknown> });
    assert.equal(queries.length, 3);
    for (const q of queries) {
      assert.ok(!q.query.includes(C2_IP));
      assert.equal(q.variables.value, C2_IP);
    }
  });
});
