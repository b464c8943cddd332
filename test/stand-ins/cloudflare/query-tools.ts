import { ApiRefusal, CODES } from "./http";

export type Rec = Record<string, unknown>;

/** An integer parameter, refused with 400 outside [min, max]. */
export function intParam(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ApiRefusal(400, CODES.invalidRequest, `${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** A list filter, accepted as repeated `name` or `name[]`, as Cloudflare does. */
export function listParam(q: URLSearchParams, name: string): string[] {
  return [...q.getAll(name), ...q.getAll(`${name}[]`)];
}

export function direction(q: URLSearchParams, fallback: "asc" | "desc"): "asc" | "desc" {
  const raw = q.get("direction") ?? fallback;
  if (raw !== "asc" && raw !== "desc") throw new ApiRefusal(400, CODES.invalidRequest, "direction must be asc or desc");
  return raw;
}

function timeParam(q: URLSearchParams, name: string): number | null {
  const raw = q.get(name);
  if (raw === null || raw === "") return null;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new ApiRefusal(400, CODES.invalidRequest, `${name} must be an RFC3339 timestamp`);
  return ms;
}

/** Records whose `field` lies within `since` … `until` (both inclusive), newest or oldest first. */
export function timeWindow<T extends Rec>(records: T[], field: string, q: URLSearchParams, dir: "asc" | "desc"): T[] {
  const since = timeParam(q, "since");
  const until = timeParam(q, "until");
  const at = (r: T) => Date.parse(String(r[field]));
  return records
    .filter((r) => (since === null || at(r) >= since) && (until === null || at(r) <= until))
    .sort((a, b) => (dir === "asc" ? at(a) - at(b) : at(b) - at(a)));
}

/** Keeps records whose `field` is one of `wanted`; no values means no filter. */
export function oneOf<T extends Rec>(records: T[], field: string, wanted: string[]): T[] {
  return wanted.length === 0 ? records : records.filter((r) => wanted.includes(String(r[field])));
}

export interface PageDefaults {
  perPage: number;
  maxPerPage: number;
}

/** One page of `items` and the `result_info` Cloudflare sends with it. */
export function pageOf<T>(items: T[], q: URLSearchParams, defaults: PageDefaults): { items: T[]; info: Rec } {
  const page = intParam(q, "page", 1, 1, 1_000_000);
  const perPage = intParam(q, "per_page", defaults.perPage, 1, defaults.maxPerPage);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return {
    items: slice,
    info: { page, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.ceil(items.length / perPage) },
  };
}
