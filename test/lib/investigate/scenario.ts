import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Alert } from "../../../lib/detect";
import { parseBatch } from "../../../lib/parsers";
import { SqliteEventStore } from "../../../lib/store/sqlite-event-store";
import { useStandIn, type StandInFixture } from "../../helpers/cloudflare";
import type { CloudflareApiStandIn } from "../../stand-ins/cloudflare-api";

/**
 * An authored afternoon at one company, told twice: as the Logpush records the event store keeps,
 * and as the Cloudflare API answers about the same hours. Jane's laptop fetched a payload from
 * evil.example.net (198.51.100.66); Bob's laptop talks to the same address, Carol resolved the
 * domain, Dave browsed it, Mallory signed in from Jane's office address, and Erin's session to the
 * address shows in the API's analytics only.
 */

export const T0 = Date.parse("2026-03-10T12:00:00.000Z");
export const MIN = 60_000;
export const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

export const C2_IP = "198.51.100.66";
export const OFFICE_IP = "203.0.113.10";
export const DOMAIN = "evil.example.net";
export const JANE = "jane.doe@example.com";
export const JANE_ID = "0d4b1f1e-8a55-4e2b-9d5e-2f1b7c3a9e01";
export const LAPTOP = "JDOE-MBP14";
export const LAPTOP_ID = "6c1f0a2e-3b4d-11ef-9a7c-5e6f7a8b9c0d";

const net = (min: number, email: string, device: string, src: string, dst: string, port: number, action = "allow") => ({
  Datetime: at(min),
  Email: email,
  DeviceName: device,
  SourceIP: src,
  SourcePort: 50000 + port,
  DestinationIP: dst,
  DestinationPort: port,
  TransportProtocol: "tcp",
  Action: action,
  PolicyName: action === "block" ? "Block odd ports" : "",
});

/** Logpush records, by dataset, as the store receives them. */
export const RECORDS: Record<string, Array<Record<string, unknown>>> = {
  gateway_network: [
    net(-10, JANE, LAPTOP, OFFICE_IP, C2_IP, 443),
    net(-20, "bob@example.com", "BOB-LT", "203.0.113.20", C2_IP, 443),
    net(-5, "bob@example.com", "BOB-LT", "203.0.113.20", C2_IP, 8443, "block"),
    net(-30, JANE, LAPTOP, OFFICE_IP, "192.0.2.80", 443),
    net(-25, "mallory@example.com", "MAL-PC", OFFICE_IP, "192.0.2.81", 22),
    // Long before the alert: outside any window the tests use.
    net(-300, "bob@example.com", "BOB-LT", "203.0.113.20", C2_IP, 443),
  ],
  gateway_http: [
    { Datetime: at(-9), Email: JANE, DeviceName: LAPTOP, SourceIP: OFFICE_IP, DestinationIP: C2_IP, DestinationPort: 443, HTTPHost: DOMAIN, URL: `https://${DOMAIN}/payload.bin`, HTTPMethod: "GET", Action: "allow" },
    { Datetime: at(-8), Email: "dave@example.com", DeviceName: "DAVE-LT", SourceIP: "203.0.113.30", DestinationIP: "198.51.100.67", DestinationPort: 443, HTTPHost: DOMAIN, URL: `https://${DOMAIN}/`, HTTPMethod: "GET", Action: "block" },
  ],
  gateway_dns: [
    { Datetime: at(-12), Email: "carol@example.com", DeviceName: "CAROL-PC", SrcIP: "203.0.113.40", DstIP: "172.64.36.1", QueryName: DOMAIN, QueryTypeName: "A", ResolvedIPs: [C2_IP], ResolverDecision: "allowedOnNoPolicyMatch" },
  ],
  access_requests: [
    { CreatedAt: at(-15), Email: "mallory@example.com", IPAddress: OFFICE_IP, Country: "us", Action: "login", Allowed: true, AppDomain: "wiki.example.com", RayID: "ray-m1" },
    { CreatedAt: at(-40), Email: JANE, IPAddress: OFFICE_IP, Country: "us", Action: "login", Allowed: true, AppDomain: "wiki.example.com", RayID: "ray-j1", UserUID: JANE_ID },
    { CreatedAt: at(-35), Email: JANE, IPAddress: "198.51.100.77", Country: "ru", Action: "login", Allowed: false, AppDomain: "payroll.example.com", RayID: "ray-j2", UserUID: JANE_ID },
  ],
  device_posture_results: [
    posture(-50, "Firewall", "firewall", false),
    posture(-45, "OS Version", "os_version", true),
    posture(-20, "Firewall", "firewall", true),
  ],
  risk_score: [
    { id: "risk-1", name: "Impossible Travel", risk_level: "high", timestamp: at(-30), event_details: {}, user_id: JANE_ID, email: JANE, user_risk_level: "high" },
  ],
};

function posture(min: number, check: string, type: string, passed: boolean) {
  return {
    Timestamp: at(min),
    DeviceName: LAPTOP,
    DeviceID: LAPTOP_ID,
    Email: JANE,
    PostureCheckName: check,
    PostureCheckType: type,
    PostureEvaluatedResult: passed,
    DeviceType: "macos",
    OSVersion: "14.5",
    DeviceManufacturer: "Apple",
    DeviceModel: "MacBook Pro 14",
    DeviceSerialNumber: "C02ABC12DEF3",
    ClientVersion: "2024.10.1",
  };
}

/** The alert that starts it: Jane's laptop fetching the payload, as the detection engine builds alerts. */
export function payloadAlert(): Alert {
  const { events } = parseBatch([RECORDS.gateway_http[0]], "gateway_http");
  return {
    id: "alert-1",
    "@timestamp": at(-9),
    rule: { id: "ztna-http-executable-from-new-domain", name: "Executable from a new domain", severity: "high", mitre: ["T1105"], description: "" },
    datasets: ["gateway_http"],
    user: JANE,
    host: LAPTOP,
    ip: OFFICE_IP,
    domain: DOMAIN,
    evidence: { ip: [C2_IP, OFFICE_IP], domain: [DOMAIN], url: [`https://${DOMAIN}/payload.bin`], user: [JANE], host: [LAPTOP], hash: [] },
    events,
    count: 1,
    first_seen: at(-9),
    last_seen: at(-9),
  };
}

/** A real SQLite event store in a temporary folder, holding every record above. */
export async function seededStore(opts: { lockTimeoutMs?: number } = {}): Promise<{ store: SqliteEventStore; file: string; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "ztna-investigate-"));
  const file = path.join(dir, "events.db");
  const store = new SqliteEventStore({ file, retentionDays: 0, ...opts });
  for (const [dataset, records] of Object.entries(RECORDS)) {
    const { events, errors } = parseBatch(records, dataset, { receivedAt: at(0) });
    if (errors.length > 0) throw new Error(`scenario record refused: ${JSON.stringify(errors)}`);
    const written = await store.append(events);
    if (written.rejected.length > 0) throw new Error(`store refused: ${JSON.stringify(written.rejected)}`);
  }
  return {
    store,
    file,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The same hours as the Cloudflare API tells them; Erin's session is known to the API alone. */
export function seedApi(api: CloudflareApiStandIn): void {
  const gw = (r: Record<string, unknown>) => ({
    datetime: r.Datetime,
    action: r.Action,
    email: r.Email,
    deviceName: r.DeviceName,
    sourceIp: r.SourceIP,
    destinationIp: r.DestinationIP,
    destinationPort: r.DestinationPort,
    policyName: r.PolicyName,
  });
  api.seed.gateway("network", [...RECORDS.gateway_network.map(gw), gw(net(-3, "erin@example.com", "ERIN-PC", "203.0.113.50", C2_IP, 443))]);
  api.seed.gateway("http", RECORDS.gateway_http.map((r) => ({ ...gw(r), httpHost: r.HTTPHost, url: r.URL })));
  api.seed.gateway(
    "dns",
    RECORDS.gateway_dns.map((r) => ({ datetime: r.Datetime, resolverDecision: r.ResolverDecision, email: r.Email, deviceName: r.DeviceName, srcIp: r.SrcIP, queryName: r.QueryName, resolvedIps: r.ResolvedIPs })),
  );
  api.seed.accessRequests(
    RECORDS.access_requests.map((r) => ({
      created_at: r.CreatedAt,
      user_email: r.Email,
      ip_address: r.IPAddress,
      action: r.Action,
      allowed: r.Allowed,
      app_domain: r.AppDomain,
      ray_id: r.RayID,
      connection: "okta",
    })),
  );
  api.seed.accessLogins([
    { datetime: at(-40), isSuccessfulLogin: true, ipAddress: OFFICE_IP, userUuid: JANE_ID, country: "US", cfRayId: "ray-j1" },
    { datetime: at(-35), isSuccessfulLogin: false, ipAddress: "198.51.100.77", userUuid: JANE_ID, country: "RU", cfRayId: "ray-j2" },
    { datetime: at(-15), isSuccessfulLogin: true, ipAddress: OFFICE_IP, userUuid: "someone-else", country: "US", cfRayId: "ray-m1" },
  ]);
  api.seed.users([
    { id: JANE_ID, email: "Jane.Doe@Example.com", name: "Jane Doe", last_successful_login: at(-40), active_device_count: 1, access_seat: true, gateway_seat: true, created_at: "2025-01-02T09:00:00Z" },
    { id: "b0b-0000", email: "bob@example.com", name: "Bob" },
  ]);
  api.seed.riskUser({ user_id: JANE_ID, email: JANE, name: "Jane Doe" }, [
    { id: "risk-1", name: "Impossible Travel", risk_level: "high", timestamp: at(-30), event_details: {} },
    { id: "risk-2", name: "High Number of DLP Policies Triggered", risk_level: "low", timestamp: at(-6), event_details: {} },
  ]);
  api.seed.physicalDevices([
    { id: "dev-old", name: `${LAPTOP}-OLD`, device_type: "mac", last_seen_at: at(-60 * 24 * 30), last_seen_user: { email: JANE } },
    {
      id: LAPTOP_ID,
      name: LAPTOP,
      device_type: "mac",
      os_version: "14.5",
      manufacturer: "Apple",
      model: "MacBook Pro 14",
      serial_number: "C02ABC12DEF3",
      client_version: "2024.10.1",
      last_seen_at: at(-2),
      created_at: "2025-01-02T09:00:00Z",
      active_registrations: 1,
      last_seen_user: { email: JANE, id: JANE_ID },
    },
  ]);
  api.seed.registrations([
    { id: "reg-1", device: { id: LAPTOP_ID, name: LAPTOP }, user: { id: JANE_ID, email: JANE }, last_seen_at: at(-2), created_at: "2025-01-02T09:00:00Z", tunnel_type: "masque" },
    { id: "reg-0", device: { id: LAPTOP_ID, name: LAPTOP }, user: { id: "x", email: "previous.owner@example.com" }, revoked_at: "2025-01-01T09:00:00Z", created_at: "2024-01-02T09:00:00Z" },
    { id: "reg-9", device: { id: "dev-old", name: `${LAPTOP}-OLD` }, user: { id: JANE_ID, email: JANE } },
  ]);
}

/** The seeded store and API stand-in for the enclosing `describe`, both fresh for each test. */
export function useScenario(): { cf: StandInFixture; readonly store: SqliteEventStore } {
  const cf = useStandIn();
  let store: SqliteEventStore | null = null;
  let dispose: (() => Promise<void>) | null = null;
  beforeEach(async () => {
    ({ store, dispose } = await seededStore());
    seedApi(cf.api);
  });
  afterEach(() => dispose?.());
  return {
    cf,
    get store() {
      if (!store) throw new Error("the scenario's store is not seeded yet");
      return store;
    },
  };
}
