import type { FieldGetter } from "../field-path";
import { lowerCase } from "../lower-case";

/** Joins the values of several fields into one key; a character no log field holds. */
const SEPARATOR = "\u001f";
/** An event with multi-valued fields counts for at most this many groups (or values). */
const MAX_KEYS = 16;

/**
 * The values of one or more fields as string keys: a group key for `group-by`, a value for
 * value_count and first_seen. A field holding several values gives a key for each, as a SIEM's
 * terms aggregation would; an event missing any field gives none (SIEM group-by drops it too).
 * Text is compared without case, as Sigma matches: an identity provider's `Jane.Doe@Example.com`
 * and Access's `jane.doe@example.com` are one user.
 * Runs for every event a correlation sees, so keys go into an array the caller reuses.
 */
export class FieldTuple {
  private readonly scratch: string[] = [];

  constructor(private readonly getters: readonly FieldGetter[]) {}

  /** Writes the event's keys into `out` from index 0; returns how many (0: a field is missing). */
  keys(event: object, out: string[]): number {
    if (this.getters.length === 0) {
      out[0] = "";
      return 1;
    }
    let n = texts(this.getters[0](event), out);
    for (let g = 1; g < this.getters.length && n > 0; g++) {
      const m = texts(this.getters[g](event), this.scratch);
      if (m === 0) return 0;
      // Cross product, written backwards in place so that no key is overwritten before it is used.
      const total = Math.min(n * m, MAX_KEYS);
      for (let k = total - 1; k >= 0; k--) out[k] = `${out[Math.floor(k / m)]}${SEPARATOR}${this.scratch[k % m]}`;
      n = total;
    }
    return n;
  }
}

/** A key back into its field values, named. */
export function keyValues(key: string, names: readonly string[]): Record<string, string> {
  const parts = names.length > 0 ? key.split(SEPARATOR) : [];
  return Object.fromEntries(names.map((n, i) => [n, parts[i] ?? ""]));
}

/** Writes the distinct texts of a field value into `out`; returns how many. */
function texts(v: unknown, out: string[]): number {
  if (typeof v === "string") {
    out[0] = lowerCase(v);
    return 1;
  }
  if (typeof v === "number" || typeof v === "boolean") {
    out[0] = String(v);
    return 1;
  }
  if (!Array.isArray(v)) return 0;
  let n = 0;
  for (const item of v) {
    if (n >= MAX_KEYS) break;
    if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") continue;
    const text = lowerCase(String(item));
    let seen = false;
    for (let k = 0; k < n && !seen; k++) seen = out[k] === text;
    if (!seen) out[n++] = text;
  }
  return n;
}
