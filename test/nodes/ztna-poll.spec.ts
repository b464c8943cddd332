import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import accountNode from "../../nodes/ztna-account/ztna-account";
import pollNode from "../../nodes/ztna-poll/ztna-poll";
import { TOKEN } from "../helpers/cloudflare";
import { helper, logged, startRuntime, stopRuntime } from "../helpers/node-red";
import { startCloudflareApi, type CloudflareApiStandIn } from "../stand-ins/cloudflare-api";
import { settle as settleFor, until } from "../helpers/wait";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;

const MIN = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

function scimUpdate(email: string, loggedAt: string, active = true) {
  return {
    cf_resource_id: `cf-${email}`,
    idp_resource_id: `idp-${email}`,
    logged_at: loggedAt,
    request_method: "PATCH",
    resource_type: "USER",
    resource_user_email: email,
    resource_group_name: "",
    request_body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active } }] }),
    status: "SUCCESS",
    error_description: "",
  };
}


const settle = () => settleFor(150);

describe("ztna-poll", function () {
  let api: CloudflareApiStandIn;
  let userDir: string;

  before(async () => {
    api = await startCloudflareApi({ token: TOKEN });
  });
  after(() => api.close());
  beforeEach(async () => {
    userDir = await mkdtemp(path.join(tmpdir(), "ztna-poll-"));
    await startRuntime(userDir);
  });
  afterEach(async () => {
    await stopRuntime();
    api.reset();
    await rm(userDir, { recursive: true, force: true });
  });

  function flow(source: string, props: Record<string, unknown> = {}) {
    return [
      { id: "tab", type: "tab" },
      { id: "acct", type: "ztna-account", accountId: api.accountId, baseUrl: api.url },
      { id: "poll", type: "ztna-poll", z: "tab", account: "acct", source, interval: 3600, lookback: 24, overlap: 10, batchSize: 2, wires: [["out"]], ...props },
      { id: "out", type: "helper", z: "tab" },
      { id: "catcher", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
      { id: "caught", type: "helper", z: "tab" },
    ];
  }

  async function load(source: string, props: Record<string, unknown> = {}, token = TOKEN) {
    await helper.load([accountNode, pollNode], flow(source, props) as Msg[], { acct: { token } });
    const out: Msg[] = [];
    const caught: Msg[] = [];
    helper.getNode("out").on("input", (m: Msg) => out.push(m));
    helper.getNode("caught").on("input", (m: Msg) => caught.push(m));
    return { out, caught, records: () => out.flatMap((m) => m.payload) };
  }

  const pollNow = () => helper.getNode("poll").receive({});

  it("reads SCIM updates of every SCIM-enabled provider within the look-back, in batches like the webhook's", async () => {
    api.seed.identityProviders([{ id: "idp-off", name: "Legacy", type: "saml", scim_config: { enabled: false } }]);
    api.seed.scim("idp-a", [scimUpdate("a1@example.com", ago(30 * MIN)), scimUpdate("a2@example.com", ago(20 * MIN)), scimUpdate("old@example.com", ago(48 * 60 * MIN))]);
    api.seed.scim("idp-b", [scimUpdate("b1@example.com", ago(10 * MIN), false)]);
    const { out, records } = await load("scim");
    await until(() => records().length === 3);
    await settle();
    assert.deepEqual(records().map((r: Msg) => r.resource_user_email), ["a1@example.com", "a2@example.com", "b1@example.com"]);
    assert.ok(out.every((m) => m.topic === "scim" && m.payload.length <= 2 && m.batch.count === m.payload.length));
    assert.equal(new Set(out.map((m) => m.batch.id)).size, 1, "one poll, one batch id");
    assert.deepEqual(records()[2], { ...scimUpdate("b1@example.com", records()[2].logged_at, false), idp_id: "idp-b" });
    const scimCalls = api.requestsTo(/\/access\/logs\/scim\/updates$/);
    assert.deepEqual(scimCalls.map((r) => r.query.getAll("idp_id")), [["idp-a"], ["idp-b"]]);
    assert.ok(scimCalls.every((r) => r.query.get("since") && r.query.get("until") && r.query.get("direction") === "asc"));
  });

  it("emits only what is new on the next poll, dropping the overlap's repeats, and survives a restart", async () => {
    api.seed.scim("idp-a", [scimUpdate("first@example.com", ago(5 * MIN))]);
    let run = await load("scim");
    await until(() => run.records().length === 1);
    api.seed.scim("idp-a", [scimUpdate("second@example.com", ago(1 * MIN))]);
    pollNow();
    await until(() => run.records().length === 2);
    await settle();
    assert.deepEqual(run.records().map((r: Msg) => r.resource_user_email), ["first@example.com", "second@example.com"]);

    await helper.unload();
    api.seed.scim("idp-a", [scimUpdate("during-restart@example.com", new Date().toISOString())]);
    run = await load("scim");
    await until(() => run.records().length === 1);
    await settle();
    assert.deepEqual(run.records().map((r: Msg) => r.resource_user_email), ["during-restart@example.com"]);
    const since = Date.parse(api.requestsTo(/scim\/updates$/).at(-1)!.query.get("since")!);
    assert.ok(since > Date.now() - 24 * 60 * MIN, "after a restart the window starts at the checkpoint, not the look-back");
  });

  it("reads risk events of the users whose score moved, one record per event", async () => {
    const now = Date.now();
    api.seed.riskUser({ user_id: "u-1", email: "jane@example.com", name: "Jane" }, [
      { id: "e1", name: "Impossible Travel", risk_level: "high", timestamp: new Date(now - 20 * MIN).toISOString(), event_details: {} },
      { id: "e2", name: "High Number of DLP Policies Triggered", risk_level: "low", timestamp: new Date(now - 10 * MIN).toISOString(), event_details: { count: 15 } },
    ]);
    api.seed.riskUser({ user_id: "u-2", email: "bob@example.com" }, [
      { id: "e3", name: "Interaction with Malicious File", risk_level: "medium", timestamp: new Date(now - 5 * MIN).toISOString(), event_details: {} },
    ]);
    const { records, caught } = await load("risk_score");
    await until(() => records().length === 3 || caught.length > 0);
    assert.deepEqual(caught.map((m) => m.error.message), []);
    const e2 = records().find((r: Msg) => r.id === "e2");
    assert.deepEqual(e2, {
      id: "e2",
      name: "High Number of DLP Policies Triggered",
      risk_level: "low",
      timestamp: e2.timestamp,
      event_details: { count: 15 },
      user_id: "u-1",
      email: "jane@example.com",
      user_risk_level: "high",
    });

    api.seed.riskUser({ user_id: "u-2", email: "bob@example.com" }, [
      { id: "e4", name: "Suspicious Security Domain Visited", risk_level: "high", timestamp: new Date().toISOString(), event_details: {} },
    ]);
    const detailCalls = () => api.requestsTo(/\/zt_risk_scoring\/u-1$/).length;
    const before = detailCalls();
    pollNow();
    await until(() => records().length === 4);
    await settle();
    assert.equal(records()[3].id, "e4");
    assert.equal(detailCalls(), before, "an unchanged user is not read again");
  });

  it("reads Access requests from the REST log", async () => {
    api.seed.accessRequests([
      { action: "login", allowed: false, app_domain: "wiki.example.com", app_uid: "app-1", connection: "okta", created_at: ago(3 * MIN), ip_address: "198.51.100.77", ray_id: "ray-1", user_email: "jane@example.com" },
    ]);
    const { out, records } = await load("access_requests");
    await until(() => records().length === 1);
    assert.equal(out[0].topic, "access_requests");
    assert.equal(records()[0].ray_id, "ray-1");
  });

  it("reports API failures to Catch, never with the token, and the next poll carries on", async () => {
    api.seed.scim("idp-a", [scimUpdate("x@example.com", ago(MIN))]);
    api.fail({ path: /scim\/updates$/, status: 429, retryAfter: 0, times: 50 });
    const { caught, records } = await load("scim");
    await until(() => caught.length === 1);
    assert.match(caught[0].error.message, /scim poll failed: .*429/);
    assert.ok(!inspect(caught, { depth: 10 }).includes(TOKEN));
    assert.equal(records().length, 0);
    api.reset();
    api.seed.scim("idp-a", [scimUpdate("x@example.com", ago(MIN))]);
    pollNow();
    await until(() => records().length === 1);
  });

  it("reports an authentication failure with Cloudflare's reason", async () => {
    const { caught } = await load("scim", {}, "wrong-token");
    await until(() => caught.length === 1);
    assert.match(caught[0].error.message, /401|Authentication error/);
    assert.ok(!inspect(caught, { depth: 10 }).includes("wrong-token"));
  });

  it("refuses a configuration without an account or with a bad source, saying why", async () => {
    await helper.load([accountNode, pollNode], [
      { id: "tab", type: "tab" },
      { id: "poll", type: "ztna-poll", z: "tab", source: "scim", wires: [[]] },
      { id: "bad", type: "ztna-poll", z: "tab", account: "x", source: "gateway_http", wires: [[]] },
    ] as Msg[]);
    await settle();
    const errors = logged("ERROR");
    assert.ok(errors.some((m: string) => /no Cloudflare account configured/.test(m)), JSON.stringify(errors));
    assert.ok(errors.some((m: string) => /source must be one of scim, risk_score, access_requests/.test(m)), JSON.stringify(errors));
    assert.equal(api.count(), 0, "nothing was asked of the API");
  });

  it("waits quietly, with a warning and no error, for an account left to unset environment variables", async () => {
    await helper.load([accountNode, pollNode], [
      { id: "tab", type: "tab" },
      { id: "acct", type: "ztna-account", accountId: "${ZTNA_TEST_UNSET_ACCOUNT_ID}", baseUrl: api.url },
      { id: "poll", type: "ztna-poll", z: "tab", account: "acct", source: "scim", wires: [[]] },
    ] as Msg[], { acct: { token: "${ZTNA_TEST_UNSET_TOKEN}" } });
    await settle();
    assert.deepEqual(logged("ERROR"), []);
    assert.ok(logged("WARN").some((m) => /not polling: .*ZTNA_TEST_UNSET_ACCOUNT_ID.* not set/.test(m)));
    assert.equal(api.count(), 0);
  });
});
