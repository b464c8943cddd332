import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import detectNode from "../../nodes/ztna-detect/ztna-detect";
import { helper, logged, startRuntime, stopRuntime } from "../helpers/node-red";
import { settle, until } from "../helpers/wait";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;

const T0 = Date.UTC(2025, 5, 10, 9, 0, 0);

function deniedLogin(i: number, email = "ceo@example.com", ip = "198.51.100.200") {
  return { Action: "login", Allowed: false, AppDomain: "mail.example.com", Connection: "okta", Country: "ru", CreatedAt: new Date(T0 + i * 15_000).toISOString(), Email: email, IPAddress: ip, RayID: `ray-${email}-${i}`, UserUID: `uid-${email}` };
}

const malwareBlock = {
  Action: "block",
  Datetime: new Date(T0).toISOString(),
  Email: "jane@example.com",
  SourceIP: "203.0.113.10",
  HTTPHost: "cdn.badfiles.example",
  HTTPMethod: "GET",
  URL: "https://cdn.badfiles.example/invoice.exe",
  RequestID: "req-1",
  BlockedFileName: "invoice.exe",
  BlockedFileHash: "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
  BlockedFileReason: "malware",
};

describe("ztna-detect", function () {
  let userDir: string;

  beforeEach(async () => {
    userDir = await mkdtemp(path.join(tmpdir(), "ztna-detect-"));
    await startRuntime(userDir);
  });
  afterEach(async () => {
    await stopRuntime();
    await rm(userDir, { recursive: true, force: true });
  });

  async function load(props: Record<string, unknown> = {}) {
    await helper.load(detectNode, [
      { id: "tab", type: "tab" },
      { id: "detect", type: "ztna-detect", z: "tab", telemetry: true, outputs: 2, wires: [["alerts"], ["telemetry"]], ...props },
      { id: "alerts", type: "helper", z: "tab" },
      { id: "telemetry", type: "helper", z: "tab" },
      { id: "catcher", type: "catch", z: "tab", scope: ["detect"], uncaught: false, wires: [["caught"]] },
      { id: "caught", type: "helper", z: "tab" },
    ] as Msg[]);
    const got = { alerts: [] as Msg[], telemetry: [] as Msg[], caught: [] as Msg[] };
    helper.getNode("alerts").on("input", (m: Msg) => got.alerts.push(m));
    helper.getNode("telemetry").on("input", (m: Msg) => got.telemetry.push(m));
    helper.getNode("caught").on("input", (m: Msg) => got.caught.push(m));
    return got;
  }

  it("turns raw records into one message per alert, and passes the events on as telemetry", async () => {
    const got = await load();
    helper.getNode("detect").receive({ topic: "gateway_http", payload: [malwareBlock, { ...malwareBlock, Action: "allow", BlockedFileReason: "", RequestID: "req-2" }] });
    await until(() => got.alerts.length === 1 && got.telemetry.length === 1);
    const alert = got.alerts[0].payload;
    assert.equal(got.alerts[0].topic, "ztna-http-malware-file-blocked");
    assert.equal(alert.rule.id, "ztna-http-malware-file-blocked");
    assert.equal(alert.rule.severity, "high");
    assert.ok(alert.rule.mitre.length > 0);
    assert.equal(alert.user, "jane@example.com");
    assert.ok(alert.evidence.hash.includes(malwareBlock.BlockedFileHash));
    assert.ok(alert.evidence.url.includes(malwareBlock.URL));
    assert.equal(alert.events[0].cloudflare.gateway_http.RequestID, "req-1");
    assert.equal(got.telemetry[0].payload.length, 2);
    assert.equal(got.telemetry[0].payload[1].event.dataset, "cloudflare.gateway_http");
  });

  it("counts across batches with event time, honours threshold overrides, and keeps state over a restart", async () => {
    let got = await load({ overrides: { "ztna-access-brute-force": { thresholds: { "correlation.condition.gte": 6 } } } });
    helper.getNode("detect").receive({ topic: "access_requests", payload: [0, 1, 2].map((i) => deniedLogin(i)) });
    await settle();
    assert.equal(got.alerts.length, 0, "three denials are not a burst");
    await helper.unload();

    got = await load({ overrides: { "ztna-access-brute-force": { thresholds: { "correlation.condition.gte": 6 } } } });
    helper.getNode("detect").receive({ topic: "access_requests", payload: [3, 4, 5].map((i) => deniedLogin(i)) });
    await until(() => got.alerts.length === 1);
    assert.equal(got.alerts[0].payload.rule.id, "ztna-access-brute-force");
    assert.equal(got.alerts[0].payload.count, 6, "the three from before the restart count");
  });

  it("turns a rule off by override, and reports an invalid override in place of running", async () => {
    const got = await load({ overrides: { "ztna-http-malware-file-blocked": { enabled: false } } });
    helper.getNode("detect").receive({ topic: "gateway_http", payload: [malwareBlock] });
    await settle();
    assert.equal(got.alerts.length, 0);
    await helper.unload();

    await load({ overrides: { "ztna-access-brute-force": { thresholds: { "correlation.condition.gte": "lots" } } } });
    const errors = logged("ERROR");
    assert.ok(errors.some((m: string) => /invalid rule overrides: .*ztna-access-brute-force/.test(m)), JSON.stringify(errors));
  });

  it("loads a folder of the user's own rules beside the pack, and reports a bad one with file and line", async () => {
    const dir = path.join(userDir, "rules");
    await import("node:fs/promises").then((fs) => fs.mkdir(dir));
    await writeFile(
      path.join(dir, "own.yml"),
      ["title: Our VIP signs in", "id: own-vip-login", "level: low", "tags: [attack.t1078]", "detection:", "  selection:", "    user.email: ceo@example.com", "  condition: selection", ""].join("\n"),
    );
    await writeFile(path.join(dir, "broken.yml"), ["title: Broken", "id: own-broken", "detection:", "  selection: {a: 1}", "  condition: selection and nothing", ""].join("\n"));
    const got = await load({ rulesDir: dir });
    helper.getNode("detect").receive({ topic: "access_requests", payload: [deniedLogin(0)] });
    await until(() => got.alerts.some((m) => m.topic === "own-vip-login"));
    const warnings = logged("WARN");
    assert.ok(warnings.some((m: string) => /rule refused: .*broken\.yml:\d+: /.test(m)), JSON.stringify(warnings));
  });

  it("serves the rule catalog, with each rule's thresholds, to the editor", async () => {
    await load();
    const res = await helper.request().get("/ztna/rules").expect(200);
    assert.ok(res.body.rules.length >= 40);
    const rule = res.body.rules.find((r: Msg) => r.id === "ztna-access-brute-force");
    assert.equal(typeof rule.thresholds["correlation.condition.gte"], "number");
    assert.deepEqual(res.body.errors, []);
  });
});
