import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { parseBatch } from "../../../lib/parsers";
import type { NormalizedEvent, RawRecord } from "../../../lib/schema/event";
import { bindingOptions } from "../../../lib/store/open-database";

/** Normalized events for store tests, made by the real parsers from records shaped like Logpush's. */

export const T0 = Date.UTC(2025, 5, 2, 14, 0, 0);
export const MINUTE = 60_000;

export interface Conn {
  at: number;
  src?: string;
  dst?: string;
  host?: string;
  email?: string;
  device?: string;
  deviceId?: string;
  session?: string;
  action?: string;
}

function normalized(dataset: string, record: RawRecord): NormalizedEvent {
  const { events, errors } = parseBatch([record], dataset, { receivedAt: new Date(T0).toISOString() });
  if (errors.length > 0) throw new Error(`fixture does not parse: ${errors[0].reason}`);
  return events[0];
}

/** The fields Gateway HTTP and network records share, with each dataset's own default peer and session. */
function gatewayFields(c: Conn, dst: string, session: string): RawRecord {
  return {
    Datetime: new Date(c.at).toISOString(),
    Action: c.action ?? "allow",
    Email: c.email ?? "jane.doe@example.com",
    SourceIP: c.src ?? "203.0.113.10",
    DestinationIP: c.dst ?? dst,
    DeviceName: c.device ?? "JDOE-MBP14",
    DeviceID: c.deviceId ?? "dad71818-0429-11ec-a0dc-000000000000",
    SessionID: c.session ?? session,
  };
}

export function httpEvent(c: Conn): NormalizedEvent {
  return normalized("gateway_http", {
    ...gatewayFields(c, "198.51.100.7", "18881f179300007fb0d06d6400000001"),
    HTTPHost: c.host ?? "portal.example.net",
    URL: `https://${c.host ?? "portal.example.net"}/index.html`,
    HTTPMethod: "GET",
    RequestID: `req-${c.at}`,
  });
}

export function networkEvent(c: Conn): NormalizedEvent {
  return normalized("gateway_network", {
    ...gatewayFields(c, "192.0.2.55", "18881f179300007fb0d06d6400000002"),
    DestinationPort: 445,
    TransportProtocol: "tcp",
  });
}

export function dnsEvent(c: Conn): NormalizedEvent {
  return normalized("gateway_dns", {
    Datetime: new Date(c.at).toISOString(),
    QueryName: c.host ?? "portal.example.net",
    QueryType: "A",
    ResolverDecision: "allowedOnNoPolicyMatch",
    Email: c.email ?? "jane.doe@example.com",
    SrcIP: c.src ?? "203.0.113.10",
    DstIP: "172.64.36.1",
    DeviceName: c.device ?? "JDOE-MBP14",
    QueryID: `q-${c.at}`,
  });
}

export function accessEvent(c: Conn): NormalizedEvent {
  return normalized("access_requests", {
    CreatedAt: new Date(c.at).toISOString(),
    Action: "login",
    Allowed: true,
    AppDomain: c.host ?? "wiki.example.org",
    AppUUID: "6a3f1c2e-0000-4000-8000-000000000001",
    Email: c.email ?? "jane.doe@example.com",
    IPAddress: c.src ?? "203.0.113.10",
    RayID: `ray-${c.at}`,
    Country: "us",
  });
}

/** A temporary folder for one test's database files, removed afterwards. */
export class TempDir {
  dir = "";
  async make(): Promise<string> {
    this.dir = await mkdtemp(path.join(tmpdir(), "ztna-store-"));
    return this.dir;
  }
  file(name = "events.db"): string {
    return path.join(this.dir, name);
  }
  async remove(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

/** A second connection to a store's file, as another process would open it. */
export function connect(file: string, options: { readonly?: boolean } = {}): Sqlite.Database {
  return new Sqlite(file, { ...options, ...bindingOptions() });
}
