import type { CloudflareClient } from "../cloudflare/client";
import type { CallAnswer } from "./call-runner";
import type { DeviceDetails, DeviceRegistration } from "./types";
import { clip, isRecord, path, when, whole, type Rec } from "./untrusted";

const PER_PAGE = 50;
const MAX_PAGES = 2;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeId(value: string): boolean {
  return UUID.test(value);
}

/**
 * Physical devices (reference §6.6) by device name, id or serial (`host`) or by the user last seen
 * on them (`user`). For a host the best match comes first: the device whose name, id, serial or
 * hardware id is the value exactly, since `search` also matches parts of other fields.
 */
export async function findDevices(client: CloudflareClient, by: "host" | "user", value: string, signal: AbortSignal): Promise<CallAnswer<DeviceDetails[]>> {
  const query = by === "user" ? { "last_seen_user.email": value } : looksLikeId(value) ? { "id[]": value } : { search: value };
  const devices: DeviceDetails[] = [];
  let bad = 0;
  for await (const page of client.cursorPages<unknown>(client.accountPath("/devices/physical-devices"), query, { perPage: PER_PAGE, maxPages: MAX_PAGES })) {
    for (const item of page.items) {
      const device = isRecord(item) ? details(item) : undefined;
      if (device) devices.push(device);
      else bad++;
    }
    if (signal.aborted) break;
  }
  const wanted = value.toLowerCase();
  const kept = by === "user" ? devices.filter((d) => d.last_seen_user?.toLowerCase() === wanted) : devices;
  if (by === "host") kept.sort((a, b) => Number(exact(b, wanted)) - Number(exact(a, wanted)));
  return { value: kept, records: kept.length, note: bad > 0 ? `${bad} malformed device${bad === 1 ? "" : "s"} skipped` : undefined };
}

/** Whether the device is named by the value itself rather than found by a partial match. */
export function exact(d: DeviceDetails, wantedLower: string): boolean {
  return [d.name, d.id, d.serial_number].some((v) => v?.toLowerCase() === wantedLower);
}

/** Every registration (user enrolment) of one device, revoked ones included. */
export async function deviceRegistrations(client: CloudflareClient, deviceId: string, signal: AbortSignal): Promise<CallAnswer<DeviceRegistration[]>> {
  const out: DeviceRegistration[] = [];
  let bad = 0;
  const query = { "device.id": deviceId, status: "all" };
  for await (const page of client.cursorPages<unknown>(client.accountPath("/devices/registrations"), query, { perPage: PER_PAGE, maxPages: MAX_PAGES })) {
    for (const item of page.items) {
      const reg = isRecord(item) ? registration(item) : undefined;
      if (reg) out.push(reg);
      else bad++;
    }
    if (signal.aborted) break;
  }
  return { value: out, records: out.length, note: bad > 0 ? `${bad} malformed registration${bad === 1 ? "" : "s"} skipped` : undefined };
}

function details(d: Rec): DeviceDetails | undefined {
  const id = clip(d.id, 64);
  const name = clip(d.name, 256);
  if (id === undefined && name === undefined) return undefined;
  const out: DeviceDetails = { source: "api:devices" };
  if (id !== undefined) out.id = id;
  if (name !== undefined) out.name = name;
  for (const key of ["device_type", "os_version", "manufacturer", "model", "serial_number", "mac_address", "client_version"] as const) {
    const v = clip(d[key], 256);
    if (v !== undefined) out[key] = v;
  }
  const created = when(d.created_at);
  if (created !== undefined) out.created_at = created;
  const seen = when(d.last_seen_at);
  if (seen !== undefined) out.last_seen_at = seen;
  const user = clip(path(d, "last_seen_user.email"), 320);
  if (user !== undefined) out.last_seen_user = user;
  const regs = whole(d.active_registrations);
  if (regs !== undefined) out.active_registrations = regs;
  return out;
}

function registration(r: Rec): DeviceRegistration | undefined {
  const id = clip(r.id, 64);
  if (id === undefined) return undefined;
  const out: DeviceRegistration = { id };
  const user = clip(path(r, "user.email"), 320);
  if (user !== undefined) out.user = user;
  for (const key of ["last_seen_at", "created_at", "revoked_at", "deleted_at"] as const) {
    const v = when(r[key]);
    if (v !== undefined) out[key] = v;
  }
  const tunnel = clip(r.tunnel_type, 32);
  if (tunnel !== undefined) out.tunnel_type = tunnel;
  return out;
}
