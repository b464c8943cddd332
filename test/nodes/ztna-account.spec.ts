import assert from "node:assert/strict";
import type { NodeAPI } from "node-red";
import { budgetFor } from "../../lib/cloudflare";
import accountNode, { accountFor, type AccountNode, type AccountRef } from "../../nodes/ztna-account/ztna-account";
import { TOKEN, useStandIn } from "../helpers/cloudflare";
import { helper, startRuntime, stopRuntime } from "../helpers/node-red";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** A node that names an account, as the API-using nodes will: it keeps what accountFor told it. */
function accountUserNode(RED: NodeAPI) {
  function AccountUser(this: Any, config: Any) {
    RED.nodes.createNode(this, config);
    this.ref = accountFor(RED, config.account);
  }
  RED.nodes.registerType("test-account-user", AccountUser);
}

const ENV_TOKEN = "ZTNA_TEST_CF_API_TOKEN";

describe("ztna-account", function () {
  const fx = useStandIn();
  const account = (id: string, props: Record<string, unknown> = {}) => ({
    id,
    type: "ztna-account",
    name: `Cloudflare ${id}`,
    accountId: fx.api.accountId,
    baseUrl: fx.api.url,
    ...props,
  });
  const get = (id: string) => helper.getNode(id) as unknown as AccountNode;
  const logged = () => JSON.stringify(helper.log().args);

  beforeEach(() => startRuntime());
  afterEach(async () => {
    delete process.env[ENV_TOKEN];
    await stopRuntime();
  });

  it("gives a client of the account that authenticates with the token credential", async function () {
    await helper.load([accountNode], [account("acc")], { acc: { token: TOKEN } });
    const acc = get("acc");
    assert.equal(acc.problem, null);
    fx.api.seed.users([{ id: "u1", email: "jane@example.com" }]);
    const users = await acc.client!.get<Array<{ id: string }>>(acc.client!.accountPath("/access/users"));
    assert.deepEqual(users.map((u) => u.id), ["u1"]);
    assert.equal(fx.api.requests[0].path, `/accounts/${fx.api.accountId}/access/users`);
    assert.equal(fx.api.requests[0].auth, "ok");
  });

  it("uses Cloudflare's API by default", async function () {
    await helper.load([accountNode], [account("acc", { baseUrl: "" })], { acc: { token: TOKEN } });
    assert.equal(get("acc").client!.baseUrl, "https://api.cloudflare.com/client/v4");
  });

  it("reads the token from an environment variable, and says when it is not set", async function () {
    process.env[ENV_TOKEN] = TOKEN;
    await helper.load([accountNode], [account("acc")], { acc: { token: `\${${ENV_TOKEN}}` } });
    await get("acc").client!.get(get("acc").client!.accountPath("/access/users"));
    assert.equal(fx.api.requests[0].auth, "ok");
    await helper.unload();

    delete process.env[ENV_TOKEN];
    await helper.load([accountNode], [account("acc")], { acc: { token: `\${${ENV_TOKEN}}` } });
    assert.equal(get("acc").client, null);
    assert.equal(get("acc").problem, `token refers to environment variable ${ENV_TOKEN}, which is not set`);
  });

  const invalid: Array<[string, Record<string, unknown>, Record<string, string>, RegExp]> = [
    ["a malformed account id", { accountId: "not-an-id" }, { token: TOKEN }, /account id must be 32 hexadecimal characters/],
    ["a base URL that is not http(s)", { baseUrl: "ftp://example.com" }, { token: TOKEN }, /base URL must be an http\(s\) URL/],
    ["no token", {}, {}, /API token is missing/],
    ["a token with spaces", {}, { token: `${TOKEN} oops` }, /API token must not contain spaces/],
  ];
  for (const [name, props, creds, reason] of invalid) {
    it(`reports ${name} in node.problem and the log, never quoting the token`, async function () {
      await helper.load([accountNode], [account("acc", props)], { acc: creds });
      const acc = get("acc");
      assert.equal(acc.client, null);
      assert.match(String(acc.problem), reason);
      const errors = helper.log().args.map((a: Any) => a[0]).filter((e: Any) => e.level === (helper.log() as Any).ERROR);
      assert.ok(errors.some((e: Any) => reason.test(e.msg)), logged());
      assert.ok(!logged().includes(TOKEN));
    });
  }

  it("shares one rate budget between config nodes of the same account", async function () {
    await helper.load(
      [accountNode],
      [account("a1"), account("a2", { accountId: fx.api.accountId.toUpperCase(), baseUrl: `${fx.api.url}/` }), account("other", { accountId: "f".repeat(32) })],
      { a1: { token: TOKEN }, a2: { token: TOKEN }, other: { token: TOKEN } },
    );
    const [a1, a2, other] = ["a1", "a2", "other"].map(get);
    assert.equal(a1.client!.budget, a2.client!.budget);
    assert.equal(a1.client!.budget, budgetFor(fx.api.accountId, fx.api.url));
    assert.notEqual(other.client!.budget, a1.client!.budget);
    const before = a1.client!.budget.stats.used;
    await Promise.all([a1.client!.get(a1.client!.accountPath("/access/users")), a2.client!.get(a2.client!.accountPath("/access/users"))]);
    assert.equal(a2.client!.budget.stats.used, before + 2);
  });

  it("tells the nodes that name it its client, or why there is none", async function () {
    await helper.load(
      [accountNode, accountUserNode],
      [
        account("good"),
        account("bad", { accountId: "nope" }),
        { id: "uses-good", type: "test-account-user", account: "good" },
        { id: "uses-bad", type: "test-account-user", account: "bad" },
        { id: "uses-none", type: "test-account-user", account: "" },
        { id: "uses-other-type", type: "test-account-user", account: "uses-good" },
      ] as Any[],
      { good: { token: TOKEN }, bad: { token: TOKEN } },
    );
    const ref = (id: string) => (helper.getNode(id) as Any).ref as AccountRef;
    assert.equal(ref("uses-good").client, get("good").client);
    assert.equal(ref("uses-good").problem, null);
    assert.match(String(ref("uses-bad").problem), /32 hexadecimal/);
    assert.equal(ref("uses-bad").client, null);
    assert.equal(ref("uses-none").problem, "no Cloudflare account configured");
    assert.equal(ref("uses-other-type").problem, "no Cloudflare account configured");
  });
});
