import { isoTimestamp } from "../parsers/timestamp";

/**
 * Readers for values that crossed a trust boundary (API answers, stored events, flow input). Each
 * answers a clean value or undefined; text is capped so that one hostile field cannot make an
 * alert too big to route.
 */

/** Longer text is cut here: a URL or a name is never legitimately longer in an investigation. */
export const MAX_TEXT = 2048;

export type Rec = Record<string, unknown>;

export function isRecord(v: unknown): v is Rec {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A non-empty string (or a finite number as text), capped at `max` characters. */
export function clip(v: unknown, max = MAX_TEXT): string | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  if (t === "") return undefined;
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** A non-negative safe integer, from a number or a string of digits. */
export function whole(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,15}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A timestamp in any of Cloudflare's encodings as ISO-8601 UTC with milliseconds. */
export function when(v: unknown): string | undefined {
  return isoTimestamp(v);
}

/** A field of a record, if the record is one; never an inherited property (`__proto__`, `constructor`). */
export function field(r: unknown, key: string): unknown {
  return isRecord(r) && Object.prototype.hasOwnProperty.call(r, key) ? r[key] : undefined;
}

/** `a.b.c` through nested records. */
export function path(r: unknown, dotted: string): unknown {
  let v: unknown = r;
  for (const key of dotted.split(".")) v = field(v, key);
  return v;
}
