import assert from "node:assert/strict";
import { inspect } from "node:util";

/** Fails if `secret` shows in any way an error can be printed, logged or serialised. */
export function assertNoSecret(err: unknown, secret: string): void {
  assert.ok(err instanceof Error, `expected an Error, got ${inspect(err)}`);
  const views: Record<string, string> = {
    inspect: inspect(err, { depth: 10 }),
    "inspect (hidden)": inspect(err, { depth: 10, showHidden: true }),
    json: JSON.stringify(err) ?? "",
    stack: String(err.stack),
    string: String(err),
    properties: inspect(Object.fromEntries(Object.getOwnPropertyNames(err).map((k) => [k, (err as never)[k]])), { depth: 10 }),
  };
  for (const [view, text] of Object.entries(views)) {
    assert.ok(!text.includes(secret), `the secret shows in the error's ${view}: ${text}`);
  }
}
