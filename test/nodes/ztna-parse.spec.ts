import assert from "node:assert/strict";
import parseNode from "../../nodes/ztna-parse/ztna-parse";
import { accessRequestRecord } from "../../lib/synthetic/access-requests";
import { gatewayHttpRecord } from "../../lib/synthetic/gateway-http";
import { gatewayNetworkRecord } from "../../lib/synthetic/gateway-network";
import { helper, startRuntime, stopRuntime } from "../helpers/node-red";
import { until } from "../helpers/wait";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;


const scim = {
  cf_resource_id: "cf-1",
  idp_id: "idp-a",
  logged_at: "2025-06-02T09:12:44Z",
  request_method: "PATCH",
  resource_type: "USER",
  resource_user_email: "jane.doe@example.com",
  request_body: '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}',
  status: "SUCCESS",
};

describe("ztna-parse", () => {
  beforeEach(() => startRuntime());
  afterEach(async () => {
    await stopRuntime();
  });

  async function load(split: boolean) {
    const outputs = split ? 6 : 1;
    const wires = Array.from({ length: outputs }, (_, i) => [`out${i}`]);
    await helper.load(parseNode, [
      { id: "tab", type: "tab" },
      { id: "parse", type: "ztna-parse", z: "tab", split, outputs, wires },
      ...wires.map(([id]) => ({ id, type: "helper", z: "tab" })),
      { id: "catcher", type: "catch", z: "tab", scope: ["parse"], uncaught: false, wires: [["caught"]] },
      { id: "caught", type: "helper", z: "tab" },
    ] as Msg[]);
    const got: Msg[][] = wires.map(([id]) => {
      const list: Msg[] = [];
      helper.getNode(id).on("input", (m: Msg) => list.push(m));
      return list;
    });
    const caught: Msg[] = [];
    helper.getNode("caught").on("input", (m: Msg) => caught.push(m));
    return { got, caught, parse: helper.getNode("parse") };
  }

  it("normalizes a batch, keeps topic and batch, and recognises a record on the wrong path", async () => {
    const { got, parse } = await load(false);
    const batch = { id: "b1", part: 1, receivedAt: "2025-06-02T14:03:12.000Z", count: 3, bytes: 100 };
    parse.receive({ topic: "gateway_http", batch, payload: [gatewayHttpRecord(1), gatewayHttpRecord(2), accessRequestRecord(3)] });
    await until(() => got[0].length === 1);
    const [msg] = got[0];
    assert.equal(msg.topic, "gateway_http");
    assert.deepEqual(msg.batch, batch);
    assert.deepEqual(msg.payload.map((e: Msg) => e.event.dataset), ["cloudflare.gateway_http", "cloudflare.gateway_http", "cloudflare.access_requests"]);
    assert.equal(msg.payload[2].ztna.received_as, "gateway_http");
    assert.deepEqual(msg.payload[0].cloudflare.gateway_http, gatewayHttpRecord(1));
    assert.ok(msg.payload.every((e: Msg) => Array.isArray(e.related.ip) && typeof e["@timestamp"] === "string"));
  });

  it("sends each source's events to its own output when asked", async () => {
    const { got } = await load(true);
    helper.getNode("parse").receive({ topic: "unknown", payload: [gatewayNetworkRecord(1), scim, gatewayHttpRecord(2), accessRequestRecord(4), { Datetime: "2025-06-02T14:00:00Z", QueryName: "example.com", ResolverDecision: "allowedOnNoPolicyMatch" }] });
    await until(() => got.filter((g) => g.length > 0).length === 5);
    assert.deepEqual(got.map((g) => g.flatMap((m) => m.payload.map((e: Msg) => e.event.dataset))), [
      ["cloudflare.gateway_http"],
      ["cloudflare.gateway_network"],
      ["cloudflare.access_requests"],
      ["cloudflare.scim"],
      [],
      ["cloudflare.gateway_dns"],
    ]);
  });

  it("reports records it cannot normalize to Catch with their position, and keeps the rest", async () => {
    const { got, caught } = await load(false);
    helper.getNode("parse").receive({ payload: [gatewayHttpRecord(1), "a string", null, { nothing: "known" }, scim] });
    await until(() => got[0].length === 1 && caught.length === 3);
    assert.equal(got[0][0].payload.length, 2);
    assert.deepEqual(caught.map((m) => m.index), [1, 2, 3]);
    assert.match(caught[2].error.message, /record 3 of the unknown batch: its fields match no known source/);
    assert.deepEqual(caught[2].payload, { nothing: "known" });
  });

  it("takes a single record where a batch is expected", async () => {
    const { got } = await load(false);
    helper.getNode("parse").receive({ topic: "scim", payload: scim });
    await until(() => got[0].length === 1);
    assert.equal(got[0][0].payload[0].event.dataset, "cloudflare.scim");
    assert.equal(got[0][0].payload[0].event.action, "user-deactivated");
  });
});
