import assert from "node:assert/strict";
import { investigate, type InvestigateOptions } from "../../../lib/investigate";
import { at, C2_IP, LAPTOP, LAPTOP_ID, MIN, OFFICE_IP, payloadAlert, useScenario } from "./scenario";

const OPTS: InvestigateOptions = { beforeMs: 60 * MIN, afterMs: 15 * MIN, cap: 100, timeoutMs: 5000 };

describe("investigate host", function () {
  const fx = useScenario();
  const cf = fx.cf;

  it("gives the device as the devices API knows it, the exact name before partial matches, with who enrolled it", async () => {
    const result = await investigate("host", { alert: payloadAlert() }, { store: fx.store, client: cf.client() }, OPTS);
    assert.equal(result.value, LAPTOP);
    assert.equal(result.from, "alert");
    assert.equal(result.backends.api.state, "ok", JSON.stringify(result.backends.api));
    assert.deepEqual(result.summary.device, {
      source: "api:devices",
      id: LAPTOP_ID,
      name: LAPTOP,
      device_type: "mac",
      os_version: "14.5",
      manufacturer: "Apple",
      model: "MacBook Pro 14",
      serial_number: "C02ABC12DEF3",
      client_version: "2024.10.1",
      created_at: "2025-01-02T09:00:00.000Z",
      last_seen_at: at(-2),
      last_seen_user: "jane.doe@example.com",
      active_registrations: 1,
      registrations: [
        { id: "reg-1", user: "jane.doe@example.com", last_seen_at: at(-2), created_at: "2025-01-02T09:00:00.000Z", tunnel_type: "masque" },
        { id: "reg-0", user: "previous.owner@example.com", created_at: "2024-01-02T09:00:00.000Z", revoked_at: "2025-01-01T09:00:00.000Z" },
      ],
    });
    const search = cf.api.requestsTo(/\/devices\/physical-devices$/);
    assert.equal(search.length, 1, "one device lookup serves the device and its registrations");
    assert.equal(search[0].query.get("search"), LAPTOP);
    assert.equal(cf.api.requestsTo(/\/devices\/registrations$/)[0].query.get("device.id"), LAPTOP_ID);
  });

  it("gives each posture check's latest result from the store, and the device from it when there is no API", async () => {
    const result = await investigate("host", { value: LAPTOP, alert: payloadAlert() }, { store: fx.store, client: null }, OPTS);
    assert.deepEqual(result.summary.posture, [
      { check: "Firewall", type: "firewall", outcome: "success", "@timestamp": at(-20), source: "store" },
      { check: "OS Version", type: "os_version", outcome: "success", "@timestamp": at(-45), source: "store" },
    ]);
    assert.deepEqual(result.summary.device, {
      source: "store",
      id: LAPTOP_ID,
      name: LAPTOP,
      device_type: "macos",
      os_version: "14.5",
      manufacturer: "Apple",
      model: "MacBook Pro 14",
      serial_number: "C02ABC12DEF3",
      client_version: "2024.10.1",
      last_seen_user: "jane.doe@example.com",
      last_seen_at: at(-20),
    });
    assert.equal(result.backends.api.state, "absent");
  });

  it("puts the device's traffic from both backends on the timeline, and who else used the alert's address", async () => {
    const result = await investigate("host", { alert: payloadAlert() }, { store: fx.store, client: cf.client() }, OPTS);
    const bySource = (s: string) => result.timeline.filter((e) => e.source === s).map((e) => `${e.dataset} ${e.destination_ip ?? e.domain ?? e.rule}`);
    assert.deepEqual(bySource("api:gateway_network"), ["gateway_network 192.0.2.80", `gateway_network ${C2_IP}`]);
    assert.deepEqual(bySource("api:gateway_http"), [`gateway_http ${C2_IP}`]);
    assert.deepEqual(bySource("store"), [
      "device_posture_results Firewall",
      "device_posture_results OS Version",
      "gateway_network 192.0.2.80",
      "device_posture_results Firewall",
      `gateway_network ${C2_IP}`,
      `gateway_http ${C2_IP}`,
    ]);
    const graphql = cf.api.requestsTo("/graphql").map((r) => (r.body as { query: string }).query);
    assert.ok(graphql.every((q) => /deviceName: \$value/.test(q)));
    const fromOffice = result.summary.related.find((r) => r.by === "source_ip")!;
    assert.equal(fromOffice.value, OFFICE_IP);
    assert.deepEqual(fromOffice.users.map((u) => u.value), ["mallory@example.com"]);
    assert.deepEqual(fromOffice.hosts.map((u) => u.value), ["mal-pc"]);
    assert.deepEqual(result.summary.top_peers.map((t) => [t.value, t.count]), [
      [C2_IP, 2],
      ["192.0.2.80", 1],
    ]);
  });

  it("looks a device id up by id, not by search, and asks the analytics by device id", async () => {
    const result = await investigate("host", { value: LAPTOP_ID }, { store: null, client: cf.client() }, { ...OPTS, now: () => Date.parse(at(0)) });
    assert.equal(result.summary.device?.name, LAPTOP);
    const lookup = cf.api.requestsTo(/\/devices\/physical-devices$/)[0];
    assert.deepEqual(lookup.query.getAll("id[]"), [LAPTOP_ID]);
    assert.equal(lookup.query.get("search"), null);
    assert.ok(cf.api.requestsTo("/graphql").every((r) => /deviceId: \$value/.test((r.body as { query: string }).query)));
  });

  it("reports a device the API does not know without failing, and registrations that fail on their own", async () => {
    cf.api.fail({ path: /\/devices\/registrations$/, status: 500, times: Infinity });
    const known = await investigate("host", { alert: payloadAlert() }, { store: fx.store, client: cf.client({ maxRetries: 0 }) }, OPTS);
    assert.equal(known.backends.api.state, "partial");
    assert.equal(known.backends.api.calls!.registrations.state, "error");
    assert.equal(known.summary.device?.source, "api:devices");
    assert.equal(known.summary.device?.registrations, undefined);

    const unknown = await investigate("host", { value: "NOBODY-PC" }, { store: fx.store, client: cf.client() }, OPTS);
    assert.equal(unknown.backends.api.calls!.devices.records, 0);
    assert.equal(unknown.backends.api.calls!.registrations.reason, "no device to list registrations of");
    assert.equal(unknown.summary.device, undefined);
    assert.deepEqual(unknown.summary.posture, []);
  });

  it("refuses a host name with control characters before it reaches any backend", async () => {
    const result = await investigate("host", { value: "PC\r\nX-Injected: 1" }, { store: fx.store, client: cf.client() }, OPTS);
    assert.match(result.problem!, /contains control characters/);
    assert.equal(cf.api.requests.length, 0);
  });
});
