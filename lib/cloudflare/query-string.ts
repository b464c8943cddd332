type Scalar = string | number | boolean | Date;
export type QueryValue = Scalar | null | undefined | ReadonlyArray<Scalar>;
export type Query = Readonly<Record<string, QueryValue>>;

/**
 * `?a=1&idp_id=x&idp_id=y`: arrays repeat their key, as Cloudflare's list filters expect (a key
 * that needs brackets, like `status[]`, carries them in its name). Null and undefined are left
 * out so callers can pass optional filters as they are; dates go as ISO-8601.
 */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    const values: ReadonlyArray<Scalar> = Array.isArray(value) ? value : [value as Scalar];
    for (const v of values) params.append(key, v instanceof Date ? v.toISOString() : String(v));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
