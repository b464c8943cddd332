import assert from "node:assert/strict";
import fc from "fast-check";
import { parseBatch, parseRecord, sniffDataset } from "../../../lib/parsers";
import { DATASETS, type NormalizedEvent } from "../../../lib/schema/event";

const RECEIVED_AT = "2025-06-02T15:00:00.000Z";

/** Every field name any normalizer reads, so that generated records hit the typed paths. */
const FIELDS = [
  "AccountID", "Action", "ActionDescription", "ActionResult", "ActionTimestamp", "ActionType", "ActorEmail", "ActorID",
  "ActorIP", "ActorIPAddress", "Allowed", "AppDomain", "AppUUID", "AuditLogID", "BytesReceived", "BytesSent",
  "ClientVersion", "ConnectionCloseReason", "Country", "CreatedAt", "Datetime", "DestinationIP",
  "DestinationIPContinentCode", "DestinationIPCountryCode", "DestinationPort", "DetectedProtocol", "DeviceID",
  "DeviceManufacturer", "DeviceModel", "DeviceName", "DeviceSerialNumber", "DeviceType", "DstIP", "DstPort",
  "EgressIP", "EgressPort", "EgressRuleID", "EgressRuleName", "Email", "HTTPHost", "HTTPMethod", "HTTPStatusCode",
  "HTTPVersion", "ID", "IPAddress", "Interface", "OSVersion", "OriginIP", "OriginPort", "OverrideIP", "OverridePort",
  "OwnerID", "Policy", "PolicyID", "PolicyName", "PostureCheckName", "PostureCheckType", "PostureEvaluatedResult",
  "Protocol", "QueryID", "QueryName", "QueryType", "QueryTypeName", "RCode", "RayID", "Referer", "RequestID",
  "ResolvedIPs", "ResolverDecision", "ResourceProduct", "SNI", "SessionEndTime", "SessionID", "SessionStartTime",
  "SourceIP", "SourceIPContinentCode", "SourceIPCountryCode", "SourceInternalIP", "SourcePort", "SrcIP",
  "SrcIPContinentCode", "SrcIPCountryCode", "SrcPort", "TemporaryAccessApprovers", "Timestamp", "Transport",
  "TransportProtocol", "URL", "UserAgent", "UserID", "UserUID", "When", "alert_correlation_id", "alert_event",
  "alert_type", "cf_resource_id", "email", "error_description", "event_details", "id", "idp_resource_id",
  "logged_at", "name", "policy_id", "policy_name", "request_body", "request_method", "resource_group_name",
  "resource_type", "resource_user_email", "risk_level", "status", "text", "timestamp", "ts", "user_id",
  "user_risk_level", "__proto__", "constructor", "toString",
];

/** Values of the right type, the wrong type, and the edge encodings Cloudflare uses. */
const VALUE = fc.oneof(
  fc.anything(),
  fc.constantFrom("", 0, "0", "1748873011", 1748873011000000000, "2023-05-24T02:48:33+09:30", "203.0.113.7", "2001:db8::1", "us", "block", "PATCH", "USER", "GROUP", "True"),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.ipV4(), fc.object()), { maxLength: 5 }),
  fc.json(),
);
const CLOUDFLARE_LIKE = fc.dictionary(fc.constantFrom(...FIELDS), VALUE, { maxKeys: 25 });
const DECLARED = fc.option(fc.oneof(fc.constantFrom(...DATASETS, "unknown", ""), fc.string()), { nil: undefined });

function assertWellFormed(event: NormalizedEvent): void {
  assert.equal(typeof event["@timestamp"], "string");
  assert.match(event["@timestamp"], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(new Date(event["@timestamp"]).toISOString(), event["@timestamp"]);
  assert.ok(event.event.dataset.startsWith("cloudflare."));
  assert.ok(DATASETS.includes(event.event.dataset.slice(11) as (typeof DATASETS)[number]));
  assert.ok(["event", "alert"].includes(event.event.kind));
  assert.ok(["success", "failure", "unknown"].includes(event.event.outcome));
  assert.ok(Array.isArray(event.event.category) && event.event.category.length > 0);
  assert.ok(Array.isArray(event.event.type) && event.event.type.length > 0);
  for (const key of ["ip", "user", "hosts"] as const) {
    const list = event.related[key];
    assert.ok(Array.isArray(list));
    assert.equal(new Set(list).size, list.length, `related.${key} has duplicates`);
    for (const v of list) assert.ok(typeof v === "string" && v !== "", `related.${key} holds ${JSON.stringify(v)}`);
  }
  assertNoEmpty(event, "", new Set(["cloudflare"]));
}

/** No "" and no empty object anywhere in the ECS part; empty arrays only where the schema has lists. */
function assertNoEmpty(value: unknown, at: string, skip: Set<string>): void {
  assert.notEqual(value, "", `${at} is ""`);
  assert.notEqual(value, null, `${at} is null`);
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoEmpty(v, `${at}[${i}]`, skip));
  } else if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value);
    assert.ok(keys.length > 0, `${at} is an empty object`);
    for (const k of keys) {
      const path = at === "" ? k : `${at}.${k}`;
      if (skip.has(path)) continue;
      const v = (value as Record<string, unknown>)[k];
      if (path === "ztna.scim.active" && v === null) continue;
      assertNoEmpty(v, path, skip);
    }
  }
}

describe("parsers: parseRecord", () => {
  it("returns an event or a typed error for any value at all, and never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true }), CLOUDFLARE_LIKE), DECLARED, (record, declared) => {
        const result = parseRecord(record, declared, { receivedAt: RECEIVED_AT });
        if (result.ok) {
          assertWellFormed(result.event);
        } else {
          assert.ok(["not_an_object", "unrecognised", "internal"].includes(result.error.code));
          assert.equal(typeof result.error.reason, "string");
          assert.equal(typeof result.error.dataset, "string");
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("normalizes any object delivered as a known dataset, and leaves it untouched", () => {
    fc.assert(
      fc.property(CLOUDFLARE_LIKE, fc.constantFrom(...DATASETS), (record, declared) => {
        const before = JSON.stringify(record);
        const result = parseRecord(record, declared, { receivedAt: RECEIVED_AT });
        assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
        assertWellFormed(result.event);
        assert.equal(JSON.stringify(record), before);
        const dataset = result.event.event.dataset.slice(11) as (typeof DATASETS)[number];
        assert.equal(result.event.cloudflare[dataset], record);
      }),
      { numRuns: 2000 },
    );
  });

  it("stamps a record without a usable time with the receipt time and flags it", () => {
    for (const Datetime of [undefined, "", 0, "soon", -1, {}]) {
      const result = parseRecord({ URL: "https://example.com/", Datetime }, "gateway_http", { receivedAt: RECEIVED_AT });
      assert.ok(result.ok);
      assert.equal(result.event["@timestamp"], RECEIVED_AT);
      assert.equal(result.event.event.ingested, RECEIVED_AT);
      assert.equal(result.event.ztna?.timestamp_missing, true);
    }
  });

  it("refuses what is not an object, and an unknown shape without a dataset", () => {
    const codes = [null, undefined, 42, "text", true, [], [{ URL: "x" }]].map((v) => {
      const r = parseRecord(v, "gateway_http");
      return !r.ok && r.error.code;
    });
    assert.deepEqual(codes, Array(7).fill("not_an_object"));
    const unknown = parseRecord({ foo: 1 });
    assert.deepEqual(unknown, { ok: false, error: { dataset: "unknown", code: "unrecognised", reason: "its fields match no known source; give its dataset" } });
    const custom = parseRecord({ foo: 1 }, "http_logs");
    assert.ok(!custom.ok && custom.error.dataset === "http_logs" && custom.error.code === "unrecognised");
  });

  it("normalizes a record on a custom path by its fields and says where it came in", () => {
    const result = parseRecord({ QueryName: "example.com", Datetime: "2025-06-02T14:03:11Z" }, "dns_logs", { receivedAt: RECEIVED_AT });
    assert.ok(result.ok);
    assert.equal(result.event.event.dataset, "cloudflare.gateway_dns");
    assert.equal(result.event.ztna?.received_as, "dns_logs");
  });

  it("keeps the declared dataset for a record that fits it or fits nothing, and says nothing", () => {
    const subset = parseRecord({ Datetime: "2025-06-02T14:03:11Z", Email: "a@example.com", Action: "block" }, "gateway_network", { receivedAt: RECEIVED_AT });
    assert.ok(subset.ok);
    assert.equal(subset.event.event.dataset, "cloudflare.gateway_network");
    assert.equal(subset.event.ztna, undefined);
  });

  it("treats a declared dataset that is not a string (a flow's msg.topic) as none", () => {
    const result = parseRecord({ HTTPMethod: "GET" }, 42 as unknown as string, { receivedAt: RECEIVED_AT });
    assert.ok(result.ok);
    assert.equal(result.event.event.dataset, "cloudflare.gateway_http");
    assert.equal(result.event.ztna?.received_as, undefined);
    const bad = parseRecord({ foo: 1 }, { topic: 1 } as unknown as string);
    assert.ok(!bad.ok && bad.error.dataset === "unknown");
  });

  it("is not fooled by inherited names", () => {
    const record = Object.create({ URL: "https://inherited.example/" }) as Record<string, unknown>;
    record.QueryName = "example.com";
    assert.equal(sniffDataset(record), "gateway_dns");
    assert.equal(sniffDataset({ toString: "x", constructor: "y" }), undefined);
  });

  it("reports a normalizer that throws (an exotic object) as an internal error", () => {
    const hostile = new Proxy({ URL: "https://example.com" }, {
      get(target, key) {
        if (key === "Datetime") throw new Error("trap");
        return Reflect.get(target, key);
      },
    });
    const result = parseRecord(hostile, "gateway_http");
    assert.deepEqual(result, { ok: false, error: { dataset: "gateway_http", code: "internal", reason: "normalizing failed: trap" } });
  });

  it("gives each event its own related lists, whatever the record before it did", () => {
    // Throws after the user and the source address were related: nothing of it may reach the next event.
    const halfway = new Proxy({ Email: "mallory@example.com", SourceIP: "192.0.2.66", Datetime: "2025-06-02T14:03:11Z" }, {
      get(target, key) {
        if (key === "DeviceID") throw new Error("trap");
        return Reflect.get(target, key);
      },
    });
    const { events, errors } = parseBatch([
      { Email: "alice@example.com", SourceIP: "192.0.2.1", DestinationIP: "198.51.100.1", HTTPHost: "a.example" },
      halfway,
      { Email: "bob@example.com", SourceIP: "192.0.2.2" },
    ], "gateway_http");
    assert.deepEqual(errors.map((e) => [e.index, e.code]), [[1, "internal"]]);
    assert.deepEqual(events.map((e) => e.related), [
      { ip: ["192.0.2.1", "198.51.100.1"], user: ["alice@example.com"], hosts: ["a.example"] },
      { ip: ["192.0.2.2"], user: ["bob@example.com"], hosts: [] },
    ]);
    events[0].related.ip.push("203.0.113.9");
    assert.deepEqual(events[1].related.ip, ["192.0.2.2"]);
  });

  it("copes with huge strings and deep nesting without walking them", () => {
    const huge = "a".repeat(5_000_000);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const result = parseRecord({ URL: `https://example.com/${huge}`, UserAgent: huge, AppControlInfo: deep, Datetime: "2025-06-02T14:03:11Z" }, "gateway_http");
    assert.ok(result.ok);
    assert.equal(result.event.url?.path?.length, huge.length + 1);
  });
});

describe("parsers: sniffing", () => {
  const shapes: Array<[string, Record<string, unknown>]> = [
    ["gateway_http", { HTTPMethod: "GET" }],
    ["gateway_network", { SNI: "example.com", SessionID: "x" }],
    ["gateway_network", { TransportProtocol: "tcp" }],
    ["access_requests", { AppUUID: "x" }],
    ["access_requests", { Allowed: false }],
    ["gateway_dns", { ResolverDecision: "blockedRule" }],
    ["device_posture_results", { PostureCheckName: "Firewall" }],
    ["zero_trust_network_sessions", { SessionStartTime: 1, DetectedProtocol: "TLS" }],
    ["audit_logs", { ActionType: "login", ActorEmail: "a@example.com" }],
    ["audit_logs", { When: "2021-11-30T20:19:48Z" }],
    ["audit_logs_v2", { AuditLogID: "x", ActionType: "update", ActorEmail: "a@example.com" }],
    ["scim", { cf_resource_id: "x", request_method: "PATCH" }],
    ["risk_score", { risk_level: "high", name: "Impossible Travel" }],
    ["notification", { alert_type: "tunnel_health_event" }],
    ["notification", { text: "Hello World!" }],
  ];
  for (const [dataset, record] of shapes) {
    it(`tells ${dataset} by ${Object.keys(record).join(" + ")}`, () => assert.equal(sniffDataset(record), dataset));
  }
});

describe("parsers: parseBatch", () => {
  it("keeps order, stamps one receipt time, and reports bad records by index", () => {
    const { events, errors } = parseBatch([{ HTTPMethod: "GET" }, null, { foo: 1 }, { AppUUID: "a" }], undefined, { receivedAt: RECEIVED_AT });
    assert.deepEqual(events.map((e) => e.event.dataset), ["cloudflare.gateway_http", "cloudflare.access_requests"]);
    assert.ok(events.every((e) => e.event.ingested === RECEIVED_AT));
    assert.deepEqual(errors.map((e) => [e.index, e.code]), [[1, "not_an_object"], [2, "unrecognised"]]);
  });

  it("takes a single record where a batch is expected", () => {
    const { events, errors } = parseBatch({ HTTPMethod: "GET" }, "gateway_http");
    assert.equal(events.length, 1);
    assert.equal(errors.length, 0);
    assert.equal(events[0]["@timestamp"], events[0].event.ingested);
  });
});
