import assert from "node:assert/strict";
import { DEFAULT_BASE_URL, parseAccountConfig } from "../../../lib/cloudflare";

const ID = "0123456789abcdef0123456789abcdef";

describe("parseAccountConfig", function () {
  it("fills the default base URL and tidies what the editor stored", function () {
    assert.deepEqual(parseAccountConfig({ accountId: ` ${ID.toUpperCase()} `, baseUrl: "", token: " tok " }), {
      ok: true,
      value: { accountId: ID, baseUrl: DEFAULT_BASE_URL, token: "tok" },
    });
    const local = parseAccountConfig({ accountId: ID, baseUrl: "http://127.0.0.1:8080/client/v4/", token: "t" });
    assert.deepEqual(local.ok && local.value.baseUrl, "http://127.0.0.1:8080/client/v4");
  });

  const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
    ["a short account id", { accountId: "abc123", token: "t" }, /account id must be 32 hexadecimal characters/],
    ["an account id that is not hex", { accountId: "g".repeat(32), token: "t" }, /32 hexadecimal/],
    ["no account id", { token: "t" }, /account id is missing/],
    ["an account id that is not text", { accountId: { $gt: "" }, token: "t" }, /account id must be text/],
    ["an ftp base URL", { accountId: ID, baseUrl: "ftp://api.example", token: "t" }, /base URL must be an http\(s\) URL/],
    ["a base URL that is no URL", { accountId: ID, baseUrl: "api dot example", token: "t" }, /base URL must be an http\(s\) URL/],
    ["no token", { accountId: ID }, /API token is missing/],
    ["an empty token", { accountId: ID, token: "  " }, /API token is missing/],
    ["an unset environment variable", { accountId: ID, token: "${CF_API_TOKEN}" }, /token refers to environment variable CF_API_TOKEN, which is not set/],
    ["an unset account variable", { accountId: "${CF_ACCOUNT_ID}", token: "t" }, /accountId refers to environment variable CF_ACCOUNT_ID/],
  ];
  for (const [name, input, reason] of refusals) {
    it(`refuses ${name}, saying why`, function () {
      const got = parseAccountConfig(input);
      assert.equal(got.ok, false);
      assert.match(got.ok ? "" : got.error, reason);
    });
  }

  it("never repeats the token in its reason", function () {
    const token = "secret-SENTINEL with a space";
    const got = parseAccountConfig({ accountId: ID, token });
    assert.equal(got.ok, false);
    assert.equal(got.ok ? "" : got.error, "API token must not contain spaces");
  });
});
