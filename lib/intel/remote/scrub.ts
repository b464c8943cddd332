/**
 * A copy of `value` with every occurrence of `secret` in its strings (and keys) replaced: a
 * misbehaving provider or proxy may echo the request, key included, back in its answer.
 */
export function scrub<T>(value: T, secret: string): T {
  if (secret === "") return value;
  return clean(value, secret) as T;
}

function clean(value: unknown, secret: string): unknown {
  if (typeof value === "string") return value.includes(secret) ? value.split(secret).join("[redacted]") : value;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => clean(item, secret));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[clean(k, secret) as string] = clean(v, secret);
  return out;
}
