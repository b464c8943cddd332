import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { parseBatch } from "../../lib/parsers";
import { SqliteEventStore } from "../../lib/store/sqlite-event-store";
import accountNode from "../../nodes/ztna-account/ztna-account";
import detectNode from "../../nodes/ztna-detect/ztna-detect";
import queryHostNode from "../../nodes/ztna-query-host/ztna-query-host";
import queryIpNode from "../../nodes/ztna-query-ip/ztna-query-ip";
import queryRiskNode from "../../nodes/ztna-query-risk/ztna-query-risk";
import queryUserNode from "../../nodes/ztna-query-user/ztna-query-user";
import storeNode from "../../nodes/ztna-store/ztna-store";
import { TOKEN } from "../helpers/cloudflare";
import { helper, logged, startRuntime, stopRuntime } from "../helpers/node-red";
import { until } from "../helpers/wait";
import { startCloudflareApi, type CloudflareApiStandIn } from "../stand-ins/cloudflare-api";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;

const SCENARIO = path.join(__dirname, "..", "fixtures", "scenarios", "investigation");
const NODES = [storeNode, accountNode, detectNode, queryIpNode, queryHostNode, queryRiskNode, queryUserNode];

/** The scenario's records moved in time so that the last is an hour old: recent, as on-demand queries look back from now. */
async function scenarioRecords(): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(path.join(SCENARIO, "gateway_network.ndjson"), "utf8");
  const records: Array<Record<string, unknown>> = text.trim().split("\n").map((l) => JSON.parse(l));
  const shift = Date.now() - 3_600_000 - Date.parse(String(records[records.length - 1].Datetime));
  return records.map((r) => ({ ...r, Datetime: new Date(Date.parse(String(r.Datetime)) + shift).toISOString() }));
}

describe("ztna-query-ip, -host, -risk, -user", function () {
  let api: CloudflareApiStandIn;
  let dir: string;
  let dbFile: string;

  before(async () => {
    api = await startCloudflareApi({ token: TOKEN });
  });
  after(() => api.close());
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ztna-query-"));
    dbFile = path.join(dir, "events.db");
    // The telemetry before the alert, as ztna-record would have written it.
    const seed = new SqliteEventStore({ file: dbFile, retentionDays: 0, maxBytes: 0 });
    const background = (await scenarioRecords()).slice(0, 3);
    const written = await seed.append(parseBatch(background, "gateway_network").events);
    assert.equal(written.written, 3);
    await seed.close();
    await startRuntime(path.join(dir, "userdir"));
  });
  afterEach(async () => {
    await stopRuntime();
    api.reset();
    await rm(dir, { recursive: true, force: true });
  });

  function flow(query: Record<string, unknown>, withAccount = true) {
    return [
      { id: "tab", type: "tab" },
      { id: "detect", z: "tab", type: "ztna-detect", wires: [["q"], []] },
      { id: "q", z: "tab", type: "ztna-query-ip", store: "store", account: withAccount ? "account" : "", before: 180, after: 15, cap: 50, timeout: 3, ...query, wires: [["out"]] },
      { id: "out", z: "tab", type: "helper" },
      { id: "store", type: "ztna-store", file: dbFile, retentionDays: 0, maxSize: 0 },
      { id: "account", type: "ztna-account", accountId: api.accountId, baseUrl: api.url },
    ] as Msg;
  }

  async function run(query: Record<string, unknown>, input: Msg, withAccount = true): Promise<Msg> {
    await helper.load(NODES, flow(query, withAccount), { account: { token: TOKEN } });
    const out: Msg[] = [];
    helper.getNode("out").on("input", (m: Msg) => out.push(m));
    (helper.getNode(query.type === undefined ? "q" : "q") as Msg).receive(input);
    await until(() => out.length === 1, 8000);
    return out[0];
  }

  it("answers an alert from the real detection engine with the related connections of its destination IP", async () => {
    const smb = (await scenarioRecords())[3];
    await helper.load(NODES, flow({}), { account: { token: TOKEN } });
    const out: Msg[] = [];
    helper.getNode("out").on("input", (m: Msg) => out.push(m));
    (helper.getNode("detect") as Msg).receive({ topic: "gateway_network", payload: [smb] });
    await until(() => out.length === 1, 8000);
    const alert = out[0].payload;
    assert.equal(alert.rule.id, "ztna-net-outbound-remote-admin-protocol");
    const inv = alert.investigation.ip;
    assert.equal(inv.backends.store.state, "ok", inspect(inv.backends));
    const byDestination = inv.summary.related.find((r: Msg) => r.by === "destination_ip" && r.value === "192.0.2.55");
    assert.ok(byDestination, inspect(inv.summary.related, { depth: 4 }));
    assert.deepEqual(byDestination.users.map((u: Msg) => u.value).sort(), ["bob@example.com", "carol@example.com"]);
    // Host names are matched without case, and the store keeps them lower-case.
    assert.deepEqual(byDestination.hosts.map((h: Msg) => h.value.toUpperCase()).sort(), ["BOB-DESKTOP", "CAROL-MBP"]);
    assert.ok(inv.timeline.every((e: Msg) => typeof e.source === "string"));
  });

  it("investigates a value from the message, and keeps the store's answer when the API fails", async () => {
    api.fail({ path: /graphql|access/, status: 500, times: Infinity } as Msg);
    const msg = await run({ value: "ip", valueType: "msg", before: 300 }, { ip: "192.0.2.55", payload: "look this up" });
    const inv = msg.payload.investigation.ip;
    assert.equal(inv.value, "192.0.2.55");
    assert.equal(inv.from, "value");
    assert.equal(inv.backends.store.state, "ok");
    assert.ok(["error", "partial"].includes(inv.backends.api.state), inspect(inv.backends.api));
    assert.ok(inv.timeline.length >= 2, inspect(inv.timeline));
  });

  it("goes on with every backend failing, saying so", async () => {
    await rm(dbFile, { force: true });
    await import("node:fs/promises").then((fs) => fs.writeFile(dbFile, "this is not a database, it is a text file with enough bytes to look like one".repeat(100)));
    api.fail({ status: 500, times: Infinity } as Msg);
    const msg = await run({ value: "ip", valueType: "msg" }, { ip: "192.0.2.55", payload: null });
    const inv = msg.payload.investigation.ip;
    assert.equal(inv.value, "192.0.2.55");
    assert.equal(inv.backends.api.state, "error", inspect(inv.backends.api));
    // The damaged file is set aside and a new store begun: it answers, with nothing in it.
    assert.equal(inv.backends.store.state, "ok", inspect(inv.backends.store));
    assert.deepEqual(inv.timeline, []);
  });

  it("refuses a window outside its bounds, naming the field", async () => {
    await helper.load(NODES, flow({ before: -5 }), { account: { token: TOKEN } });
    const errors = logged("ERROR");
    assert.ok(errors.some((m: string) => /before must be greater than or equal to 0/.test(m)), inspect(errors));
  });

  for (const kind of ["host", "risk", "user"]) {
    it(`ztna-query-${kind} adds investigation.${kind} to an alert`, async () => {
      const smb = (await scenarioRecords())[3];
      const nodes = flow({});
      nodes[2].type = `ztna-query-${kind}`;
      await helper.load(NODES, nodes, { account: { token: TOKEN } });
      const out: Msg[] = [];
      helper.getNode("out").on("input", (m: Msg) => out.push(m));
      (helper.getNode("detect") as Msg).receive({ topic: "gateway_network", payload: [smb] });
      await until(() => out.length === 1, 8000);
      const inv = out[0].payload.investigation[kind];
      assert.equal(inv.kind, kind);
      assert.equal(inv.value, kind === "host" ? "JANE-LAPTOP" : "jane@example.com");
      assert.equal(inv.backends.store.state, "ok", inspect(inv.backends.store));
    });
  }
});
