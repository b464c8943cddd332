import assert from "node:assert/strict";
import { CloudflareApiError } from "../../../lib/cloudflare";
import { rejection, useStandIn } from "../../helpers/cloudflare";

const HTTP_BY_IP = `
  query ($account: string!, $from: Time!, $to: Time!, $ip: string!) {
    viewer {
      accounts(filter: {accountTag: $account}) {
        gatewayL7RequestsAdaptiveGroups(limit: 100, filter: {datetime_geq: $from, datetime_leq: $to, sourceIp: $ip}, orderBy: [datetime_DESC]) {
          count
          dimensions { datetime action httpHost }
        }
      }
    }
  }`;

interface HttpGroups {
  viewer: { accounts: Array<{ gatewayL7RequestsAdaptiveGroups: Array<{ count: number; dimensions: Record<string, unknown> }> }> };
}

const IP = "203.0.113.10";

describe("Cloudflare GraphQL", function () {
  const fx = useStandIn();
  const vars = () => ({ account: fx.api.accountId, from: "2025-06-02T10:00:00Z", to: "2025-06-02T11:00:00Z", ip: IP });

  it("posts the query with its variables apart, and returns data", async function () {
    fx.api.seed.gateway("http", [
      { datetime: "2025-06-02T10:05:00Z", sourceIp: IP, action: "block", httpHost: "evil.example" },
      { datetime: "2025-06-02T10:05:00Z", sourceIp: IP, action: "block", httpHost: "evil.example" },
      { datetime: "2025-06-02T10:30:00Z", sourceIp: IP, action: "allow", httpHost: "ok.example" },
      { datetime: "2025-06-02T10:31:00Z", sourceIp: "198.51.100.7", action: "allow", httpHost: "ok.example" },
      { datetime: "2025-06-02T12:00:00Z", sourceIp: IP, action: "allow", httpHost: "late.example" },
    ]);
    const data = await fx.client().graphql<HttpGroups>(HTTP_BY_IP, vars());
    assert.deepEqual(data.viewer.accounts[0].gatewayL7RequestsAdaptiveGroups, [
      { count: 1, dimensions: { datetime: "2025-06-02T10:30:00Z", action: "allow", httpHost: "ok.example" } },
      { count: 2, dimensions: { datetime: "2025-06-02T10:05:00Z", action: "block", httpHost: "evil.example" } },
    ]);
    const [req] = fx.api.requests;
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/graphql");
    assert.equal(req.headers["content-type"], "application/json");
    assert.deepEqual(req.body, { query: HTTP_BY_IP, variables: vars() });
    assert.ok(!HTTP_BY_IP.includes(IP));
  });

  it("counts against the GraphQL budget and the REST budget", async function () {
    const client = fx.client();
    await client.graphql(HTTP_BY_IP, vars());
    assert.equal(client.graphqlBudget.stats.used, 1);
    assert.equal(client.budget.stats.used, 1);
  });

  it("turns GraphQL errors on HTTP 200 into a typed error, not retried", async function () {
    fx.api.fail({ path: "/graphql", body: { data: null, errors: [{ message: "cannot request data older than 2678400s", path: ["viewer", "accounts", 0] }] } });
    const err = (await rejection(fx.client().graphql(HTTP_BY_IP, vars()))) as CloudflareApiError;
    assert.ok(err instanceof CloudflareApiError);
    assert.equal(err.kind, "graphql");
    assert.equal(err.status, 200);
    assert.deepEqual(err.messages, ["cannot request data older than 2678400s (at viewer.accounts.0)"]);
    assert.equal(err.endpoint, "POST /graphql");
    assert.equal(err.retryable, false);
    assert.equal(fx.api.count(), 1);
  });

  it("turns GraphQL errors on a 4xx into a typed error with the status", async function () {
    fx.api.fail({ path: "/graphql", status: 400, body: { data: null, errors: [{ message: "query time range is too large" }] } });
    const err = (await rejection(fx.client().graphql(HTTP_BY_IP, vars()))) as CloudflareApiError;
    assert.equal(err.kind, "graphql");
    assert.equal(err.status, 400);
    assert.match(err.message, /^POST \/graphql failed: HTTP 400: GraphQL error: query time range is too large$/);
  });

  it("reports the stand-in's own GraphQL errors, e.g. for a field that does not exist", async function () {
    const query = "query ($a: string!) { viewer { accounts(filter: {accountTag: $a}) { noSuchDataset(limit: 1) { count } } } }";
    const err = (await rejection(fx.client().graphql(query, { a: fx.api.accountId }))) as CloudflareApiError;
    assert.equal(err.kind, "graphql");
    assert.match(err.messages[0], /unknown field "noSuchDataset"/);
  });

  it("retries a rate-limited query", async function () {
    fx.api.fail({ path: "/graphql", status: 429, retryAfter: 0, body: { data: null, errors: [{ message: "rate limiter budget depleted, try again after 5 minutes" }] } });
    const data = await fx.client().graphql<HttpGroups>(HTTP_BY_IP, vars());
    assert.deepEqual(data.viewer.accounts[0].gatewayL7RequestsAdaptiveGroups, []);
    assert.equal(fx.api.count(), 2);
  });

  it("reports an authentication refusal in the REST envelope with its code", async function () {
    const err = (await rejection(fx.client({ token: "wrong" }).graphql(HTTP_BY_IP, vars()))) as CloudflareApiError;
    assert.equal(err.kind, "api");
    assert.equal(err.status, 401);
    assert.deepEqual(err.codes, [10000]);
  });

  it("says so when the answer has no data", async function () {
    fx.api.fail({ path: "/graphql", body: { data: null } });
    const err = (await rejection(fx.client().graphql(HTTP_BY_IP, vars()))) as CloudflareApiError;
    assert.equal(err.kind, "malformed");
    assert.match(err.message, /no GraphQL data/);
  });
});
