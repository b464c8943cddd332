import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { TOKEN } from "../helpers/cloudflare";
import { helper } from "../helpers/node-red";
import { until } from "../helpers/wait";
import { C2_IP, JANE, OFFICE_IP, RECORDS, at } from "../lib/investigate/scenario";
import { useQueryRuntime, type Msg } from "./ztna-query-harness";

const QUERY = { id: "q", type: "ztna-query-ip", store: "store", account: "acct", valueType: "alert", value: "", before: 60, after: 15, cap: 100, timeout: 5, wires: [["out"]] };

describe("ztna-query-ip", function () {
  const rt = useQueryRuntime();

  it("investigates the address of an alert the detection engine raised, over the store and the API", async () => {
    const got = await rt.load([{ id: "detect", type: "ztna-detect", telemetry: false, outputs: 2, wires: [["q"], []] }, QUERY]);
    const c2Session = { ...RECORDS.gateway_network[0], CategoryIDs: [80], CategoryNames: ["Command and Control & Botnet"] };
    helper.getNode("detect").receive({ topic: "gateway_network", payload: [c2Session] });
    await until(() => got.out.length === 1, 10_000);
    const alert = got.out[0].payload;
    assert.equal(alert.rule.id, "ztna-net-c2-category");
    const inv = alert.investigation.ip;
    assert.equal(inv.value, C2_IP);
    assert.equal(inv.from, "evidence");
    assert.deepEqual(inv.window, { from: at(-70), to: at(5) });
    assert.equal(inv.backends.store.state, "ok", JSON.stringify(inv.backends.store));
    assert.equal(inv.backends.api.state, "ok", JSON.stringify(inv.backends.api));
    assert.deepEqual([...new Set(inv.timeline.map((e: Msg) => e.source))].sort(), ["api:gateway_dns", "api:gateway_http", "api:gateway_network", "store"]);
    const toC2 = inv.summary.related.find((r: Msg) => r.by === "destination_ip");
    assert.deepEqual(toC2.users.map((u: Msg) => u.value), ["bob@example.com", "carol@example.com", "erin@example.com"], "the alert's own user is not among the others");
    assert.equal(alert.user, JANE);
    await until(() => got.statuses().some((s) => s.fill === "green"));
    const last = got.statuses().at(-1);
    assert.equal(last.text, `${inv.summary.events} events · store ok · api ok`);
    assert.ok(!JSON.stringify(got.out).includes(TOKEN));
  });

  it("takes the value from a message property, and puts the result on a payload that was no object", async () => {
    const got = await rt.load([{ ...QUERY, valueType: "msg", value: "lookup.ip" }]);
    helper.getNode("q").receive({ payload: 1_773_144_000_000, lookup: { ip: OFFICE_IP } });
    await until(() => got.out.length === 1);
    const inv = got.out[0].payload.investigation.ip;
    assert.equal(inv.value, OFFICE_IP);
    assert.equal(inv.from, "value");
    assert.deepEqual(Object.keys(got.out[0].payload), ["investigation"]);
    assert.equal(got.out[0].lookup.ip, OFFICE_IP);
  });

  it("takes the value from flow context and from the environment", async () => {
    const got = await rt.load([
      { ...QUERY, valueType: "flow", value: "suspect" },
      { id: "q2", type: "ztna-query-ip", store: "store", valueType: "env", value: "SUSPECT_IP", wires: [["out"]] },
    ], { env: { SUSPECT_IP: C2_IP } });
    helper.getNode("q").context().flow.set("suspect", OFFICE_IP);
    helper.getNode("q").receive({ payload: {} });
    helper.getNode("q2").receive({ payload: { note: "kept" } });
    await until(() => got.out.length === 2);
    const values = got.out.map((m) => m.payload.investigation.ip.value).sort();
    assert.deepEqual(values, [OFFICE_IP, C2_IP].sort());
    const fromEnv = got.out.find((m) => m.payload.note === "kept");
    assert.equal(fromEnv.payload.investigation.ip.backends.api.state, "absent");
    assert.equal(fromEnv.payload.investigation.ip.backends.api.reason, "no Cloudflare account configured");
  });

  it("sends the message on when every backend fails, with each failure recorded and the status red", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "ztna-not-a-db-"));
    try {
      // Refusals no retry can mend: the account's client retries server errors for longer than this test.
      rt.api.fail({ path: "/graphql", status: 403, times: Infinity });
      rt.api.fail({ path: /access_requests$/, status: 400, errors: [{ code: 1001, message: "bad request" }], times: Infinity });
      const got = await rt.load([{ id: "bad-store", type: "ztna-store", file: dir, retentionDays: 0, maxSize: "0" }, { ...QUERY, store: "bad-store", timeout: 2 }]);
      const alert = { rule: { id: "r" }, evidence: { ip: [C2_IP] }, first_seen: at(-9), last_seen: at(-9) };
      helper.getNode("q").receive({ payload: alert });
      await until(() => got.out.length === 1, 10_000);
      const inv = got.out[0].payload.investigation.ip;
      assert.equal(inv.backends.store.state, "error");
      assert.equal(inv.backends.api.state, "error");
      assert.match(inv.backends.api.calls.gateway_http.reason, /HTTP 403/);
      assert.deepEqual(inv.timeline, []);
      assert.equal(got.out[0].payload.rule.id, "r", "the alert itself is untouched");
      await until(() => got.statuses().some((s) => s.fill === "red"));
      assert.equal(got.statuses().at(-1).text, "0 events · store error · api error");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("passes a message with nothing to investigate on, saying so", async () => {
    const got = await rt.load([QUERY]);
    helper.getNode("q").receive({ payload: { rule: { id: "r" }, evidence: { ip: [] } } });
    await until(() => got.out.length === 1);
    assert.equal(got.out[0].payload.investigation.ip.problem, "the alert names no IP address");
    await until(() => got.statuses().some((s) => s.fill === "yellow" && s.text === "the alert names no IP address"));
  });

  it("shows grey with no backend at all, and still answers", async () => {
    const got = await rt.load([{ ...QUERY, store: "", account: "", valueType: "str", value: C2_IP }]);
    await until(() => got.statuses().some((s) => s.fill === "grey"));
    helper.getNode("q").receive({ payload: {} });
    await until(() => got.out.length === 1);
    assert.deepEqual(got.out[0].payload.investigation.ip.backends, {
      store: { state: "absent", reason: "no event store configured" },
      api: { state: "absent", reason: "no Cloudflare account configured" },
    });
  });

  it("refuses a configuration that names no value to read, and an out-of-range window", async () => {
    const got = await rt.load([
      { ...QUERY, valueType: "msg", value: " " },
      { id: "q2", type: "ztna-query-ip", valueType: "alert", before: 99_999, wires: [["out"]] },
    ]);
    await until(() => got.statuses().some((s) => s.fill === "red") && got.statuses("q2").some((s) => s.fill === "red"));
    assert.match(got.statuses()[0].text, /invalid configuration: the value's property or text is missing/);
    assert.match(got.statuses("q2")[0].text, /invalid configuration: before must be less than or equal to 43200/);
  });
});
