import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { CloudflareApiError, CloudflareClient } from "../../../lib/cloudflare";
import { rejection, TOKEN, useStandIn } from "../../helpers/cloudflare";
import { assertNoSecret } from "../../helpers/no-secret";

const users = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `u${i}`, email: `user${i}@example.com`, name: `User ${i}` }));

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("Cloudflare API client", function () {
  const fx = useStandIn();
  const usersPath = () => fx.client().accountPath("/access/users");

  describe("envelope", function () {
    it("returns result, result_info and messages of a successful answer", async function () {
      fx.api.seed.users(users(3));
      const got = await fx.client().request<Array<{ email: string }>>("GET", usersPath(), { query: { per_page: 2 } });
      assert.deepEqual(got.result.map((u) => u.email), ["user0@example.com", "user1@example.com"]);
      assert.deepEqual(got.resultInfo, { page: 1, per_page: 2, count: 2, total_count: 3, total_pages: 2 });
      assert.deepEqual(got.messages, []);
      assert.equal((await fx.client().get<unknown[]>(usersPath())).length, 3);
    });

    it("sends the token as a bearer header only, and the account id URL-encoded in the path", async function () {
      await fx.client().get(usersPath());
      const [req] = fx.api.requests;
      assert.equal(req.auth, "ok");
      assert.equal(req.headers.accept, "application/json");
      assert.ok(!req.search.includes(TOKEN));
      assert.equal(new CloudflareClient({ accountId: "a/b?c", token: TOKEN }).accountPath("/x"), "/accounts/a%2Fb%3Fc/x");
    });

    it("repeats the key of an array parameter and leaves out undefined and null", async function () {
      const client = fx.client();
      fx.api.seed.scim("idp-a", [{ logged_at: "2025-06-02T09:00:00Z", status: "SUCCESS" }]);
      fx.api.seed.scim("idp-b", [{ logged_at: "2025-06-02T10:00:00Z", status: "FAILURE" }]);
      fx.api.seed.scim("idp-c", [{ logged_at: "2025-06-02T11:00:00Z", status: "SUCCESS" }]);
      const query = { idp_id: ["idp-a", "idp-b"], "status[]": ["SUCCESS", "FAILURE"], since: new Date("2025-06-01T00:00:00Z"), until: undefined, email: null };
      const got = await client.get<Array<{ idp_id: string }>>(client.accountPath("/access/logs/scim/updates"), query);
      assert.deepEqual(got.map((r) => r.idp_id).sort(), ["idp-a", "idp-b"]);
      assert.equal(fx.api.requests[0].search, "idp_id=idp-a&idp_id=idp-b&status%5B%5D=SUCCESS&status%5B%5D=FAILURE&since=2025-06-01T00%3A00%3A00.000Z");
    });

    it("sends a JSON body with its content type", async function () {
      await rejection(fx.client().request("POST", "/echo", { body: { a: [1, 2] } }));
      assert.deepEqual(fx.api.requests[0].body, { a: [1, 2] });
      assert.equal(fx.api.requests[0].headers["content-type"], "application/json");
    });
  });

  describe("errors", function () {
    it("turns a 401 into a non-retryable error with Cloudflare's code 10000, after one request", async function () {
      const err = await rejection(fx.client({ token: "not-the-token" }).get(usersPath()));
      assert.ok(err instanceof CloudflareApiError);
      assert.equal(err.kind, "api");
      assert.equal(err.status, 401);
      assert.deepEqual(err.codes, [10000]);
      assert.deepEqual(err.messages, ["Authentication error"]);
      assert.equal(err.retryable, false);
      assert.equal(err.endpoint, `GET ${usersPath()}`);
      assert.match(err.message, /^GET \/accounts\/\w+\/access\/users failed: HTTP 401: \[10000\] Authentication error$/);
      assert.equal(fx.api.count(), 1);
    });

    it("turns success:false on HTTP 200 into an error carrying every code", async function () {
      fx.api.fail({ path: usersPath(), errors: [{ code: 1234, message: "first" }, { code: 5678, message: "second" }] });
      const err = (await rejection(fx.client().get(usersPath()))) as CloudflareApiError;
      assert.equal(err.status, 200);
      assert.deepEqual(err.codes, [1234, 5678]);
      assert.match(err.message, /\[1234\] first; \[5678\] second/);
      assert.equal(err.retryable, false);
    });

    it("says so when the body is not JSON, and does not retry a 2xx", async function () {
      fx.api.fail({ path: usersPath(), status: 200, body: '{"success": tr' });
      const err = (await rejection(fx.client().get(usersPath()))) as CloudflareApiError;
      assert.equal(err.kind, "malformed");
      assert.match(err.message, /HTTP 200: response is not JSON \(starts "\{"success": tr"\)/);
      assert.equal(fx.api.count(), 1);
    });

    it("says so when the JSON is not a Cloudflare envelope", async function () {
      fx.api.fail({ path: usersPath(), body: { hello: "world" } });
      const err = (await rejection(fx.client().get(usersPath()))) as CloudflareApiError;
      assert.equal(err.kind, "malformed");
      assert.match(err.message, /not a Cloudflare API envelope/);
    });

    it("reports a connection that cannot be made as a network error with no status", async function () {
      const client = fx.client({ baseUrl: `http://127.0.0.1:${await closedPort()}/client/v4`, maxRetries: 1 });
      const err = (await rejection(client.get("/x"))) as CloudflareApiError;
      assert.equal(err.kind, "network");
      assert.equal(err.status, null);
      assert.equal(err.retryable, true);
      assert.equal(err.attempts, 2);
      assert.match(err.message, /ECONNREFUSED/);
    });

    it("refuses to be built without a token or with a base URL that is not http(s)", function () {
      assert.throws(() => new CloudflareClient({ accountId: "a", token: " " }), /token is missing/);
      assert.throws(() => new CloudflareClient({ accountId: "a", token: TOKEN, baseUrl: "ftp://x" }), /base URL must be http/);
    });
  });

  describe("retries", function () {
    it("waits the Retry-After seconds of a 429, then succeeds", async function () {
      fx.api.fail({ path: usersPath(), status: 429, retryAfter: 1 });
      assert.deepEqual(await fx.client().get(usersPath()), []);
      const [limited, retried] = fx.api.requests;
      assert.equal(fx.api.count(), 2);
      assert.ok(retried.at - limited.at >= 990, `retried after ${retried.at - limited.at} ms`);
    });

    it("reads Retry-After as an HTTP date", async function () {
      fx.api.fail({ path: usersPath(), status: 503, retryAfter: new Date(Date.now() + 2000).toUTCString() });
      await fx.client().get(usersPath());
      const [failed, retried] = fx.api.requests;
      assert.ok(retried.at - failed.at >= 900, `retried after ${retried.at - failed.at} ms`);
    });

    it("gives up on a 429 storm after maxRetries with a retryable error", async function () {
      fx.api.fail({ path: usersPath(), status: 429, retryAfter: 0, times: Infinity });
      const err = (await rejection(fx.client({ maxRetries: 2 }).get(usersPath()))) as CloudflareApiError;
      assert.equal(err.status, 429);
      assert.deepEqual(err.codes, [971]);
      assert.equal(err.retryable, true);
      assert.equal(err.attempts, 3);
      assert.match(err.message, /gave up after 3 attempts/);
      assert.equal(fx.api.count(), 3);
    });

    it("retries 5xx answers, HTML bodies included, until one succeeds", async function () {
      fx.api.fail({ path: usersPath(), status: 502, body: "<html><body>Bad gateway</body></html>", times: 2 });
      fx.api.seed.users(users(1));
      assert.equal((await fx.client().get<unknown[]>(usersPath())).length, 1);
      assert.equal(fx.api.count(), 3);
    });

    it("backs off exponentially when the server names no time", async function () {
      fx.api.fail({ path: usersPath(), status: 500, times: 2 });
      await fx.client({ retryBaseMs: 60 }).get(usersPath());
      const [a, b, c] = fx.api.requests.map((r) => r.at);
      assert.ok(b - a >= 30 - 1, `first back-off ${b - a} ms`);
      assert.ok(c - b >= 60 - 1, `second back-off ${c - b} ms`);
    });

    it("does not retry other 4xx answers", async function () {
      const err = (await rejection(fx.client().get(fx.client().accountPath("/access/logs/scim/updates")))) as CloudflareApiError;
      assert.equal(err.status, 400);
      assert.deepEqual(err.messages, ["idp_id is required"]);
      assert.equal(err.retryable, false);
      assert.equal(fx.api.count(), 1);
    });

    it("times out a slow answer, retries, and reports a timeout", async function () {
      fx.api.fail({ path: usersPath(), delayMs: 5000, times: Infinity });
      const err = (await rejection(fx.client({ timeoutMs: 100, maxRetries: 1 }).get(usersPath()))) as CloudflareApiError;
      assert.equal(err.kind, "timeout");
      assert.equal(err.status, null);
      assert.equal(err.retryable, true);
      assert.equal(err.attempts, 2);
      assert.match(err.message, /no complete answer within 100 ms/);
    });

    it("waits for a slow answer within the timeout", async function () {
      fx.api.fail({ path: usersPath(), delayMs: 100 });
      assert.deepEqual(await fx.client({ timeoutMs: 10_000 }).get(usersPath()), []);
      assert.equal(fx.api.count(), 1);
    });

    it("retries a connection reset", async function () {
      fx.api.fail({ path: usersPath(), reset: true });
      assert.deepEqual(await fx.client().get(usersPath()), []);
      assert.equal(fx.api.count(), 2);
    });

    it("does not retry at all with maxRetries 0", async function () {
      fx.api.fail({ path: usersPath(), status: 503 });
      const err = (await rejection(fx.client({ maxRetries: 0 }).get(usersPath()))) as CloudflareApiError;
      assert.equal(err.retryable, true);
      assert.equal(err.attempts, 1);
      assert.equal(fx.api.count(), 1);
    });
  });

  describe("the token", function () {
    const modes: Array<[string, (api: typeof fx.api, path: string) => void, Record<string, unknown>?]> = [
      ["401 from a wrong token", () => {}, { token: `${TOKEN}-wrong` }],
      ["429 storm", (api, path) => api.fail({ path, status: 429, retryAfter: 0, times: Infinity })],
      ["500 storm", (api, path) => api.fail({ path, status: 500, times: Infinity })],
      ["success:false", (api, path) => api.fail({ path, errors: [{ code: 1000, message: "nope" }] })],
      ["malformed JSON", (api, path) => api.fail({ path, body: "{oops" })],
      ["not an envelope", (api, path) => api.fail({ path, body: [1, 2] })],
      ["timeout", (api, path) => api.fail({ path, delayMs: 5000, times: Infinity }), { timeoutMs: 50 }],
      ["connection reset", (api, path) => api.fail({ path, reset: true, times: Infinity })],
      ["a server echoing the token in its error", (api, path) => api.fail({ path, status: 400, errors: [{ code: 6003, message: `bad header Bearer ${TOKEN}` }] })],
      ["a proxy echoing the token in an HTML page", (api, path) => api.fail({ path, status: 502, body: `<p>Authorization: Bearer ${TOKEN}</p>`, times: Infinity })],
      ["GraphQL errors echoing the token", (api) => api.fail({ path: "/graphql", body: { data: null, errors: [{ message: `token ${TOKEN} refused` }] } })],
    ];

    for (const [name, arrange, opts] of modes) {
      it(`never shows in the error: ${name}`, async function () {
        arrange(fx.api, usersPath());
        const client = fx.client({ maxRetries: 1, ...opts });
        const call = name.startsWith("GraphQL") ? client.graphql("query { viewer { zones { zoneTag } } }", {}) : client.get(usersPath());
        const err = await rejection(call);
        assert.ok(err instanceof CloudflareApiError, String(err));
        assertNoSecret(err, TOKEN);
      });
    }

    it("never shows when there is no server at all", async function () {
      const err = await rejection(fx.client({ baseUrl: `http://127.0.0.1:${await closedPort()}`, maxRetries: 0 }).get("/x"));
      assertNoSecret(err, TOKEN);
    });

    it("does not show when the client itself is inspected or serialised", function () {
      const client = fx.client();
      assert.ok(!require("node:util").inspect(client, { depth: 10, showHidden: true }).includes(TOKEN));
      assert.ok(!JSON.stringify(client).includes(TOKEN));
    });
  });
});
