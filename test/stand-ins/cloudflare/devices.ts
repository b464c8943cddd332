import { ApiRefusal, CODES, ok, type Reply } from "./http";
import { intParam, listParam, type Rec } from "./query-tools";
import type { RouteTable } from "./routes";

const SEARCHED = ["name", "serial_number", "hardware_id", "mac_address", "last_seen_user.email"];
const SORTABLE = ["name", "id", "client_version", "last_seen_user.email", "last_seen_at", "active_registrations", "created_at"];

/** Devices: the legacy single-page list, the cursor-paginated physical devices and registrations (reference §6.6). */
export function deviceRoutes(routes: RouteTable): void {
  routes.add("GET", "/accounts/:account/devices", (_req, data) => ok(data.devices));

  routes.add("GET", "/accounts/:account/devices/physical-devices", (req, data) => {
    const q = req.query;
    let devices = data.physicalDevices.filter((d) => matches(d, q));
    const sortBy = q.get("sort_by");
    if (sortBy !== null) {
      if (!SORTABLE.includes(sortBy)) throw new ApiRefusal(400, CODES.invalidRequest, `sort_by must be one of ${SORTABLE.join(", ")}`);
      const sign = q.get("sort_order") === "desc" ? -1 : 1;
      devices = [...devices].sort((a, b) => sign * String(at(a, sortBy) ?? "").localeCompare(String(at(b, sortBy) ?? "")));
    }
    return cursorPage(devices, q);
  });

  routes.add("GET", "/accounts/:account/devices/registrations", (req, data) => {
    const q = req.query;
    const status = q.get("status") ?? "active";
    if (!["active", "all", "revoked"].includes(status)) throw new ApiRefusal(400, CODES.invalidRequest, "status must be active, all or revoked");
    const deviceId = q.get("device.id");
    const userIds = listParam(q, "user.id");
    const registrations = data.registrations.filter(
      (r) =>
        (status === "all" || (status === "revoked") === Boolean(r.revoked_at)) &&
        (!deviceId || at(r, "device.id") === deviceId) &&
        (userIds.length === 0 || userIds.includes(String(at(r, "user.id")))),
    );
    return cursorPage(registrations, q);
  });

  routes.add("GET", "/accounts/:account/devices/physical-devices/:device_id", (req, data) => ok(byId(data.physicalDevices, req.params.device_id)));

  routes.add("GET", "/accounts/:account/devices/:device_id", (req, data) => ok(byId(data.devices, req.params.device_id)));
}

/** One page of a cursor listing, the next page's cursor in `result_info.cursor` (empty on the last). */
function cursorPage(records: Rec[], q: URLSearchParams): Reply {
  const perPage = intParam(q, "per_page", 10, 1, 1000);
  const offset = decodeCursor(q.get("cursor"));
  const items = records.slice(offset, offset + perPage);
  const next = offset + perPage < records.length ? encodeCursor(offset + perPage) : "";
  return ok(items, { count: items.length, per_page: perPage, cursor: next });
}

function matches(d: Rec, q: URLSearchParams): boolean {
  const ids = listParam(q, "id");
  const search = q.get("search")?.toLowerCase();
  const email = q.get("last_seen_user.email");
  const seen = Date.parse(String(d.last_seen_at));
  const after = q.get("seen_after");
  const before = q.get("seen_before");
  return (
    (ids.length === 0 || ids.includes(String(d.id))) &&
    (!search || SEARCHED.some((f) => String(at(d, f) ?? "").toLowerCase().includes(search))) &&
    (!email || at(d, "last_seen_user.email") === email) &&
    (!after || seen >= Date.parse(after)) &&
    (!before || seen <= Date.parse(before))
  );
}

/** A dotted path into a record: `last_seen_user.email`. */
function at(record: Rec, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Rec)[key] : undefined), record);
}

function byId(devices: Rec[], id: string): Rec {
  const device = devices.find((d) => d.id === id);
  if (!device) throw new ApiRefusal(404, CODES.notFound, "device not found");
  return device;
}

/** Opaque to clients, as Cloudflare's are; an offset inside. */
function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64url");
}

function decodeCursor(cursor: string | null): number {
  if (cursor === null || cursor === "") return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // reported below, like any other cursor the stand-in did not hand out
  }
  throw new ApiRefusal(400, CODES.invalidRequest, "invalid cursor");
}
