import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { streamLargeUpload } from "../../bench/webhook";
import { packageRoot, startServer, type BenchServer } from "../../bench/node-red-server";
import { replay } from "../../lib/cli/logpush-sender";
import { SqliteEventStore } from "../../lib/store/sqlite-event-store";
import { gatewayHttpNdjson, gatewayHttpRecord } from "../../lib/synthetic/gateway-http";

const SECRET = "e2e-secret";
const RUNTIME_VERSION: string = require(
  require.resolve("node-red/package.json", process.env.ZTNA_NODE_RED_DIR ? { paths: [path.resolve(process.env.ZTNA_NODE_RED_DIR)] } : undefined),
).version;
const MB = 1e6;

/**
 * `npm start` as a user runs it: the start script, the real Node-RED, the default flow, the
 * package loaded from this checkout (built by the test command first).
 */
describe("npm start (default flow, end to end)", function () {
  this.timeout(120_000);
  let server: BenchServer;

  let store: SqliteEventStore;

  before(async () => {
    server = await startServer(null, SECRET, { headless: false });
    // A second connection to the default flow's store, as an analyst's tool would open it.
    store = new SqliteEventStore({ file: path.join(server.dataDir, "events.db"), retentionDays: 0, maxBytes: 0 });
  });
  after(async () => {
    await store?.close();
    await server?.stop();
  });

  it("serves the editor and appends every replayed record to received.ndjson", async () => {
    const editor = await fetch(server.url("/"));
    assert.equal(editor.status, 200);
    assert.match(await editor.text(), /Node-RED/);
    const settings = (await (await fetch(server.url("/settings"))).json()) as { version: string };
    assert.equal(settings.version.replace(/-git$/, ""), RUNTIME_VERSION, "the Node-RED under test runs the flow");
    const nodeSets = (await (await fetch(server.url("/nodes"), { headers: { accept: "application/json" } })).json()) as Array<{ id: string; enabled: boolean; err?: string }>;
    const ours = nodeSets.find((n) => n.id === "node-red-contrib-cloudflare-ztna/ztna-logpush-in");
    assert.ok(ours?.enabled && !ours.err, `node set loaded: ${JSON.stringify(ours)}`);
    const examples = (await (await fetch(server.url("/library/examples/flows/"))).json()) as unknown[];
    assert.ok(examples.includes("node-red-contrib-cloudflare-ztna"), "our examples are offered under Import ▸ Examples");

    const file = path.join(server.dataDir, "sample.ndjson.gz");
    writeFileSync(file, gzipSync(gatewayHttpNdjson(2500)));
    const summary = await replay(
      { url: server.url("/cloudflare/logpush"), secret: SECRET, dataset: "gateway_http", batchSize: 1000, retryDelayMs: 50 },
      [file],
    );
    assert.deepEqual(summary.records, { sent: 2500, accepted: 2500, retried: 0, failed: 0 });

    const readLines = (name: string) => {
      try {
        return readFileSync(path.join(server.dataDir, name), "utf8").trim().split("\n");
      } catch {
        return [];
      }
    };
    const deadline = Date.now() + 10_000;
    let lines = readLines("received.ndjson");
    const stored = async () => (await store.stats()).events;
    while (Date.now() < deadline && (lines.length < 2500 || (await stored()) < 2500)) {
      await new Promise((r) => setTimeout(r, 100));
      lines = readLines("received.ndjson");
    }
    assert.equal(lines.length, 2500);
    assert.deepEqual(JSON.parse(lines[0]), gatewayHttpRecord(0));
    assert.deepEqual(JSON.parse(lines[2499]), gatewayHttpRecord(2499));

    // The telemetry went into the event store, normalized, with the raw record kept.
    assert.equal(await stored(), 2500);
    const last = gatewayHttpRecord(2499) as { SourceIP: string; Datetime: string };
    const at = Date.parse(last.Datetime);
    const found = await store.query({ pivot: "source_ip", value: last.SourceIP, from: at, to: at, limit: 10 });
    const match = found.find((e) => JSON.stringify((e.event as { cloudflare?: unknown }).cloudflare) === JSON.stringify({ gateway_http: last }));
    assert.ok(match, `the last record is in the store: ${found.length} events at its time and source`);
    assert.equal(match.event.event.dataset, "cloudflare.gateway_http");
  });

  it("raises the expected alerts into alerts.ndjson when an attack scenario is replayed", async () => {
    const scenario = path.join(__dirname, "..", "fixtures", "scenarios", "attack");
    // In the order a deployment receives them: the SCIM poll has the deactivation before the login.
    for (const dataset of ["scim", "access_requests", "gateway_http", "gateway_network"]) {
      const summary = await replay({ url: server.url("/cloudflare/logpush"), secret: SECRET, dataset, retryDelayMs: 50 }, [path.join(scenario, `${dataset}.ndjson`)]);
      assert.equal(summary.records.failed, 0, dataset);
    }
    const expected: string[] = JSON.parse(readFileSync(path.join(scenario, "expected-alerts.json"), "utf8"));
    const scenarioAlerts = () => {
      try {
        return readFileSync(path.join(server.dataDir, "alerts.ndjson"), "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l))
          .filter((a) => String(a["@timestamp"]).startsWith("2025-06-10"));
      } catch {
        return [];
      }
    };
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && scenarioAlerts().length < expected.length) await new Promise((r) => setTimeout(r, 100));
    const alerts = scenarioAlerts();
    assert.deepEqual([...new Set(alerts.map((a) => a.rule.id))].sort(), expected);
    const cross = alerts.find((a) => a.rule.id === "ztna-cross-deactivated-user-activity");
    assert.equal(cross.user, "bob@example.com");
    assert.deepEqual(cross.datasets.sort(), ["access_requests", "scim"]);
    const spray = alerts.find((a) => a.rule.id === "ztna-access-password-spray");
    assert.ok(spray.evidence.ip.includes("203.0.113.66"));
  });

  it("enriches and investigates each alert: own IOC verdict, related connections from the store", async () => {
    const scenario = path.join(__dirname, "..", "fixtures", "scenarios", "investigation");
    const expected = JSON.parse(readFileSync(path.join(scenario, "expected.json"), "utf8"));
    // The user's own intel, dropped into the folders the default flow watches.
    cpSync(path.join(scenario, "intel"), path.join(server.dataDir, "intel"), { recursive: true });
    // The folders are re-read 200 ms after the last change they see; give that time to pass.
    await new Promise((r) => setTimeout(r, 1000));
    // Recent times: the store keeps seven days, and its pruning runs while the test does.
    const records = readFileSync(path.join(scenario, "gateway_network.ndjson"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const shift = Date.now() - 3_600_000 - Date.parse(records[records.length - 1].Datetime);
    for (const r of records) r.Datetime = new Date(Date.parse(r.Datetime) + shift).toISOString();
    const background = path.join(server.dataDir, "background.ndjson");
    const attack = path.join(server.dataDir, "attack.ndjson");
    writeFileSync(background, records.slice(0, -1).map((r) => JSON.stringify(r)).join("\n"));
    writeFileSync(attack, JSON.stringify(records[records.length - 1]));

    const send = async (file: string) => {
      const summary = await replay({ url: server.url("/cloudflare/logpush"), secret: SECRET, dataset: "gateway_network", retryDelayMs: 50 }, [file]);
      assert.equal(summary.records.failed, 0);
    };
    await send(background);
    const bobAt = Date.parse(records[0].Datetime);
    const recorded = async () => (await store.query({ pivot: "destination_ip", value: expected.ip, from: bobAt - 1, to: Date.now(), limit: 10 })).length;
    let deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await recorded()) < 2) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await recorded(), 2, "the background traffic is in the store before the attack");
    await send(attack);

    const ours = () => {
      try {
        return readFileSync(path.join(server.dataDir, "alerts.ndjson"), "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l))
          .filter((a) => a.rule.id === expected.rule && a["@timestamp"] === new Date(Date.parse(records[records.length - 1].Datetime)).toISOString());
      } catch {
        return [];
      }
    };
    deadline = Date.now() + 20_000;
    while (Date.now() < deadline && ours().length === 0) await new Promise((r) => setTimeout(r, 100));
    const [alert] = ours();
    assert.ok(alert, "the alert reached alerts.ndjson");

    assert.equal(alert.enrichment.verdict, expected.enrichment.verdict, JSON.stringify(alert.enrichment.reasons));
    assert.ok(alert.enrichment.reasons.some((r: string) => r.includes("iocs.txt")), JSON.stringify(alert.enrichment.reasons));

    const ip = alert.investigation.ip;
    assert.equal(ip.value, expected.ip);
    assert.equal(ip.backends.store.state, "ok");
    assert.equal(ip.backends.api.state, "absent", "no Cloudflare account is configured");
    const related = ip.summary.related.find((r: { by: string }) => r.by === "destination_ip");
    assert.deepEqual(related.users.map((u: { value: string }) => u.value).sort(), expected.related_users);
    assert.deepEqual(related.hosts.map((h: { value: string }) => h.value.toUpperCase()).sort(), expected.related_hosts);
    for (const kind of ["host", "risk", "user"]) assert.equal(alert.investigation[kind].backends.store.state, "ok", kind);
    assert.equal(alert.investigation.user.value, "jane@example.com");
  });

  it("takes uploads whatever their Content-Type, even where the editor parses bodies", async () => {
    for (const type of ["application/json", "application/x-www-form-urlencoded"]) {
      const res = await fetch(server.url("/cloudflare/logpush/gateway_http"), {
        method: "POST",
        headers: { authorization: `Bearer ${SECRET}`, "content-type": type, "content-encoding": "gzip" },
        body: gzipSync(gatewayHttpNdjson(3, type.length * 1000)),
      });
      assert.equal(res.status, 200, type);
      assert.equal(((await res.json()) as { emitted: number }).emitted, 3);
    }
  });
});

/**
 * The webhook's own memory, measured in a Node-RED whose flow only counts records, so that what
 * downstream nodes hold (the default flow's file writes) does not blur it.
 */
describe("webhook memory under a 200 MB upload", function () {
  this.timeout(120_000);
  let server: BenchServer;

  before(async () => {
    server = await startServer(path.join(packageRoot, "bench", "flows", "webhook-bench.json"), SECRET);
  });
  after(() => server?.stop());

  it("streams a 200 MB upload through with memory bounded", async () => {
    const before = server.memory();
    const answer = await streamLargeUpload(server, SECRET, 170_000);
    const after = server.memory();
    assert.equal(answer.status, 200, answer.body);
    assert.ok(answer.rawBytes > 195 * MB, `upload was ${answer.rawBytes} bytes`);
    assert.equal(JSON.parse(answer.body).emitted, 170_000);
    assert.ok(after.peak < 300 * MB, `peak RSS ${Math.round(after.peak / MB)} MB (before ${Math.round(before.rss / MB)} MB)`);
  });
});
