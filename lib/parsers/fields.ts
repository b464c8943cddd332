import { isIPv6 } from "node:net";

/**
 * Readers for one raw field each. Every field may be missing, empty, or of the wrong type (a
 * Logpush job picks its fields; Cloudflare's docs type some as "int or string"), so each reader
 * answers a clean value or undefined, and normalizers set a field only when it is defined.
 */

/** A non-empty string. */
export function text(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** A non-empty string, lower-cased: enum-like values whose case varies between sources. */
export function lower(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v.toLowerCase() : undefined;
}

/** An identifier: a non-empty string, or a number as its decimal string. */
export function ident(v: unknown): string | undefined {
  if (typeof v === "string") return v !== "" ? v : undefined;
  return typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;
}

/** A whole number from a number or a string of digits; 0 means "unknown" unless `zeroIsValue`. */
export function count(v: unknown, zeroIsValue = false): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && v !== "" ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || (n === 0 && !zeroIsValue)) return undefined;
  return n;
}

export function port(v: unknown): number | undefined {
  const n = count(v);
  return n !== undefined && n <= 65_535 ? n : undefined;
}

/** A boolean, or its spelling as a string in any case (Azure AD's SCIM sends "False"). */
export function flag(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v !== "string") return undefined;
  const t = v.toLowerCase();
  return t === "true" ? true : t === "false" ? false : undefined;
}

/** An ISO 3166 alpha-2 code, upper-cased (Access writes `us`). */
export function country(v: unknown): string | undefined {
  if (typeof v !== "string" || v.length !== 2) return undefined;
  const a = v.charCodeAt(0);
  const b = v.charCodeAt(1);
  return a >= 0x41 && a <= 0x5a && b >= 0x41 && b <= 0x5a ? v : v.toUpperCase();
}

/** An IPv4 or IPv6 address; anything else would break an `ip`-typed field in the user's SIEM. */
export function ip(v: unknown): string | undefined {
  if (typeof v !== "string" || v.length < 2 || v.length > 45) return undefined;
  if (isIPv4(v)) return v;
  return v.includes(":") && isIPv6(v) ? v : undefined;
}

/** The first `max` strings of an array that are addresses, de-duplicated: fields like `ResolvedIPs`. */
export function ips(v: unknown, max: number): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  const n = Math.min(v.length, max);
  for (let i = 0; i < n; i++) {
    const addr = ip(v[i]);
    if (addr !== undefined && !out.includes(addr)) out.push(addr);
  }
  return out.length > 0 ? out : undefined;
}

/** Hand-rolled because this runs for several fields of every event, where net.isIPv4 would cost a regex. */
function isIPv4(s: string): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || value > 255 || ++parts > 4) return false;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && value === 0) return false; // a leading zero reads as octal elsewhere
      value = value * 10 + (c - 0x30);
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return parts === 4;
}

/**
 * A stable key from a display name: ASCII letters and digits lower-cased, every other run of
 * characters one "-" ("Impossible Travel" → "impossible-travel"); undefined when nothing is left.
 */
export function slug(name: string): string | undefined {
  let out = "";
  let gap = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const lowerC = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
    if ((lowerC >= 0x61 && lowerC <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      if (gap && out !== "") out += "-";
      out += String.fromCharCode(lowerC);
      gap = false;
    } else {
      gap = true;
    }
  }
  return out !== "" ? out : undefined;
}
