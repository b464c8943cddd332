import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import accountNode from "../../nodes/ztna-account/ztna-account";
import queryHost from "../../nodes/ztna-query-host/ztna-query-host";
import queryIp from "../../nodes/ztna-query-ip/ztna-query-ip";
import queryRisk from "../../nodes/ztna-query-risk/ztna-query-risk";
import queryUser from "../../nodes/ztna-query-user/ztna-query-user";
import storeNode from "../../nodes/ztna-store/ztna-store";
import { helper, NodeRedHttp, nodeRedPath, startRuntime, stopRuntime } from "../helpers/node-red";
import { until } from "../helpers/wait";
import { OFFICE_IP, RECORDS, seededStore } from "../lib/investigate/scenario";
import { parseBatch } from "../../lib/parsers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;

const core = (file: string) => require(require.resolve(`@node-red/nodes/core/${file}`, { paths: [path.dirname(nodeRedPath)] }));
const http = new NodeRedHttp();
const EXAMPLE = path.resolve(__dirname, "..", "..", "examples", "05 Investigate on demand.json");

describe("the on-demand investigation example", function () {
  let dispose: (() => Promise<void>) | null = null;
  const saved = { data: process.env.ZTNA_DATA_DIR, account: process.env.CF_ACCOUNT_ID };

  before(() => http.listen());
  after(() => http.close());
  beforeEach(async () => {
    const seeded = await seededStore();
    // Events of the last hour, where the example looks when asked by hand.
    const { events } = parseBatch(RECORDS.gateway_network.map((r) => ({ ...r, Datetime: new Date(Date.now() - 10 * 60_000).toISOString() })), "gateway_network");
    await seeded.store.append(events);
    await seeded.store.close();
    dispose = seeded.dispose;
    process.env.ZTNA_DATA_DIR = path.dirname(seeded.file);
    delete process.env.CF_ACCOUNT_ID;
    await startRuntime();
  });
  afterEach(async () => {
    await stopRuntime();
    await dispose?.();
    if (saved.data === undefined) delete process.env.ZTNA_DATA_DIR;
    else process.env.ZTNA_DATA_DIR = saved.data;
    if (saved.account !== undefined) process.env.CF_ACCOUNT_ID = saved.account;
  });

  async function loadExample() {
    const flow = JSON.parse(readFileSync(EXAMPLE, "utf8"));
    const modules = [
      http.wrap(core("network/21-httpin.js")),
      core("function/15-change.js"),
      core("function/10-switch.js"),
      core("common/20-inject.js"),
      core("common/21-debug.js"),
      core("common/90-comment.js"),
      storeNode,
      accountNode,
      queryIp,
      queryHost,
      queryRisk,
      queryUser,
    ];
    await helper.load(modules, flow, {});
    return flow as Msg[];
  }

  it("answers GET /ztna/investigate/ip?value=… with the investigation, from the store while no account is set", async () => {
    await loadExample();
    const res = await fetch(http.url(`/ztna/investigate/ip?value=${OFFICE_IP}`));
    assert.equal(res.status, 200);
    const inv = (await res.json()) as Msg;
    assert.equal(inv.kind, "ip");
    assert.equal(inv.value, OFFICE_IP);
    assert.equal(inv.backends.store.state, "ok");
    assert.equal(inv.backends.api.state, "absent");
    assert.match(inv.backends.api.reason, /CF_ACCOUNT_ID/);
    assert.equal(inv.summary.events, 3);
    assert.deepEqual(inv.summary.related.find((r: Msg) => r.by === "source_ip").users.map((u: Msg) => u.value), ["jane.doe@example.com", "mallory@example.com"]);

    const unknown = await fetch(http.url("/ztna/investigate/laptop?value=x"));
    assert.equal(unknown.status, 404);
    const bad = (await (await fetch(http.url("/ztna/investigate/ip?value=not-an-ip"))).json()) as Msg;
    assert.equal(bad.problem, '"not-an-ip" is not an IP address');
  });

  it("answers its inject buttons in the debug sidebar", async () => {
    const flow = await loadExample();
    const inject = flow.find((n) => n.type === "inject" && n.name === "investigate jane.doe@example.com");
    const debug = flow.find((n) => n.type === "debug");
    const seen: Msg[] = [];
    helper.getNode(debug.id).on("input", (m: Msg) => seen.push(m));
    helper.getNode(inject.id).receive({});
    await until(() => seen.length === 1);
    assert.equal(seen[0].payload.kind, "user");
    assert.equal(seen[0].payload.value, "jane.doe@example.com");
    assert.equal(seen[0].payload.summary.events, 2, "her two network sessions, re-timed to the last hour");
  });
});
