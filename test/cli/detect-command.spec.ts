import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { runDetect } from "../../lib/cli/detect-command";
import { runRules } from "../../lib/cli/rules-command";
import { Capture } from "../helpers/capture";

const SCENARIO = path.join(__dirname, "..", "fixtures", "scenarios", "attack");

async function detect(args: string[], stdin = "") {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runDetect(args, stdout, stderr, { stdin: Readable.from([Buffer.from(stdin)]) });
  return { code, stderr: stderr.text, alerts: stdout.text.split("\n").filter(Boolean).map((l) => JSON.parse(l)) };
}

async function rules(args: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runRules(args, stdout, stderr);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe("ztna detect", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ztna-detect-cli-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("finds the scenario's alerts in raw files, plain and gzip, whatever order of sources", async () => {
    const access = path.join(dir, "access.ndjson.gz");
    await writeFile(access, gzipSync(await readFile(path.join(SCENARIO, "access_requests.ndjson"))));
    const r = await detect([path.join(SCENARIO, "scim.ndjson"), access, path.join(SCENARIO, "gateway_http.ndjson"), path.join(SCENARIO, "gateway_network.ndjson")]);
    assert.equal(r.code, 0, r.stderr);
    const expected = JSON.parse(await readFile(path.join(SCENARIO, "expected-alerts.json"), "utf8"));
    assert.deepEqual([...new Set(r.alerts.map((a) => a.rule.id))].sort(), expected);
    assert.match(r.stderr, /42 events, 7 alerts/);
  });

  it("takes --set overrides and --min-severity, and refuses bad ones with usage", async () => {
    const file = path.join(SCENARIO, "access_requests.ndjson");
    const raised = await detect(["--set", "ztna-access-brute-force.correlation.condition.gte=20", "--min-severity", "high", file]);
    assert.deepEqual(raised.alerts.map((a) => a.rule.id), ["ztna-access-password-spray"]);
    for (const bad of [["--set", "nonsense"], ["--set", "ztna-access-brute-force.correlation.condition.gte=lots"], ["--min-severity", "extreme"], ["--dataset", "../etc"], ["--nope"]]) {
      const r = await detect([...bad, file]);
      assert.equal(r.code, 2, bad.join(" "));
      assert.match(r.stderr, /ztna detect: /);
    }
  });

  it("reads stdin, skips bad lines with their number and exits 1, and runs a folder of own rules", async () => {
    await writeFile(path.join(dir, "vip.yml"), ["title: VIP", "id: own-vip", "level: low", "detection:", "  s: {user.email: ceo@example.com}", "  condition: s", ""].join("\n"));
    const lines = (await readFile(path.join(SCENARIO, "access_requests.ndjson"), "utf8")).split("\n");
    lines.splice(3, 0, "{broken");
    const r = await detect(["--rules", dir, "--dataset", "access_requests"], lines.join("\n"));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /<stdin>:4: not JSON/);
    assert.ok(r.alerts.some((a) => a.rule.id === "own-vip"));
    assert.ok(r.alerts.some((a) => a.rule.id === "ztna-access-password-spray"));
  });
});

describe("ztna rules", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ztna-rules-cli-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("lists the built-in catalog and passes every rule's tests", async () => {
    const list = await rules(["list"]);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^ztna-access-brute-force\s+medium\s+access_requests/m);
    const test = await rules(["test"]);
    assert.equal(test.code, 0, test.stdout);
    assert.match(test.stdout, /^\d+ passed, 0 failed/m);
  });

  it("fails a folder whose rule breaks its own test or cannot load, naming file and line", async () => {
    await writeFile(
      path.join(dir, "wrong.yml"),
      ["title: Wrong", "id: own-wrong", "detection:", "  s: {user.email: a@example.com}", "  condition: s", "tests:", "  - name: should alert", "    events: [{event: {dataset: cloudflare.gateway_http}, user: {email: b@example.com}, '@timestamp': '2025-06-02T10:00:00.000Z'}]", "    alerts: 1", ""].join("\n"),
    );
    await writeFile(path.join(dir, "broken.yml"), "title: [unclosed\n");
    const r = await rules(["test", dir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAIL own-wrong: should alert: expected 1 alert\(s\), got 0/);
    assert.match(r.stderr, /refused .*broken\.yml:\d+: /);
    const usage = await rules(["frobnicate"]);
    assert.equal(usage.code, 2);
  });
});
