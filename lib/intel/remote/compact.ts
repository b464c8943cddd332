/** Bounds for the provider data kept on a result; the alert carries it, so it must stay small. */
const MAX_STRING = 256;
const MAX_ITEMS = 10;
const MAX_DEPTH = 3;
const MAX_KEYS = 24;

/**
 * A copy of untrusted provider data with every string, list, object and nesting level capped,
 * and anything that is not plain JSON dropped. Providers pick the fields they want; this makes
 * sure that a hostile or broken answer (a megabyte string, a list of a million hostnames, a
 * deeply nested object) cannot make the alert large.
 */
export function compact(data: Record<string, unknown>): Record<string, unknown> {
  return compactObject(data, 0);
}

function compactValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (depth >= MAX_DEPTH || typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    return value.slice(0, MAX_ITEMS).map((item) => compactValue(item, depth + 1)).filter((item) => item !== undefined);
  }
  return compactObject(value as Record<string, unknown>, depth + 1);
}

function compactObject(obj: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const [key, value] of Object.entries(obj)) {
    if (kept >= MAX_KEYS) break;
    const small = compactValue(value, depth);
    if (small === undefined) continue;
    out[key.length > MAX_STRING ? key.slice(0, MAX_STRING) : key] = small;
    kept++;
  }
  return out;
}

/** Untrusted text for a detail line: one line, capped. */
export function excerpt(text: unknown, max = 160): string {
  const line = String(text ?? "").replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
