import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import logpushIn from "../../nodes/ztna-logpush-in/ztna-logpush-in";
import { gatewayHttpNdjson, gatewayHttpRecord } from "../../lib/synthetic/gateway-http";
import { helper, NodeRedHttp, startRuntime, stopRuntime } from "../helpers/node-red";
import { pieces, post } from "../helpers/http-client";
import { settle, until } from "../helpers/wait";

const SECRET = "s3cr3t-token-for-tests";
const AUTH = { authorization: `Bearer ${SECRET}` };
const http = new NodeRedHttp();
const node = http.wrap(logpushIn);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;

/**
 * A downstream node that finishes a message only when the test says so: a stand-in for a slow
 * database or enrichment step, running in the same runtime as any other node.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function holdNode(RED: any) {
  function Hold(this: Msg, config: Msg) {
    RED.nodes.createNode(this, config);
    this.held = [] as Array<() => void>;
    this.on("input", (_msg: Msg, _send: unknown, done: () => void) => this.held.push(done));
  }
  RED.nodes.registerType("test-hold", Hold);
}

function flow(props: Record<string, unknown> = {}, extra: Msg[] = []) {
  return [
    { id: "tab", type: "tab" },
    { id: "in", type: "ztna-logpush-in", z: "tab", path: "/cloudflare/logpush", wires: [["out"]], ...props },
    { id: "out", type: "helper", z: "tab" },
    { id: "catcher", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "caught", type: "helper", z: "tab" },
    ...extra,
  ];
}

async function load(props: Record<string, unknown> = {}, creds: Record<string, string> | null = { secret: SECRET }, extra: Msg[] = [], more: Msg[] = []) {
  await helper.load([node, ...more], flow(props, extra), creds ? { in: creds } : {});
}

function collect(id: string): Msg[] {
  const got: Msg[] = [];
  helper.getNode(id).on("input", (m: Msg) => got.push(m));
  return got;
}


const records = (msgs: Msg[]) => msgs.flatMap((m) => m.payload);

describe("ztna-logpush-in", function () {
  before(() => http.listen());
  after(() => http.close());
  beforeEach(() => startRuntime());
  afterEach(async () => {
    await stopRuntime();
  });

  describe("authentication", () => {
    it("answers 401 to a wrong or missing bearer token and emits nothing", async () => {
      await load();
      const out = collect("out");
      const body = gzipSync(gatewayHttpNdjson(3));
      const wrong = await post(http.url("/cloudflare/logpush"), body, { headers: { authorization: "Bearer nope" } });
      const missing = await post(http.url("/cloudflare/logpush"), body);
      const basic = await post(http.url("/cloudflare/logpush"), body, { headers: { authorization: `Basic ${SECRET}` } });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.json?.error, "bad secret");
      assert.equal(missing.status, 401);
      assert.match(String(missing.json?.error), /missing Authorization/);
      assert.equal(basic.status, 401);
      await settle();
      assert.equal(out.length, 0);
    });

    it("refuses every request when no secret is configured, and says why in status and log", async () => {
      const statusWatch = [
        { id: "st", type: "status", z: "tab", scope: ["in"], wires: [["statuses"]] },
        { id: "statuses", type: "helper", z: "tab" },
      ];
      const statusesSeen: Msg[] = [];
      await helper.load([node], flow({}, statusWatch), {});
      helper.getNode("statuses").on("input", (m: Msg) => statusesSeen.push(m.status));
      const answer = await post(http.url("/cloudflare/logpush"), gatewayHttpNdjson(1), { headers: { authorization: "Bearer " } });
      assert.equal(answer.status, 401);
      assert.equal(answer.json?.error, "no webhook secret configured");
      await until(() => statusesSeen.length > 0);
      assert.equal(statusesSeen[statusesSeen.length - 1].fill, "red");
      assert.match(statusesSeen[statusesSeen.length - 1].text, /401: no webhook secret configured/);
      const warnings = helper.log().args.map((a: Msg) => a[0]).filter((e: Msg) => e.level === (helper.log() as Msg).WARN);
      assert.ok(warnings.some((e: Msg) => /no webhook secret configured/.test(e.msg)), JSON.stringify(warnings));
    });
  });

  describe("bodies", () => {
    it("answers Logpush's validation uploads with 200 and emits nothing", async () => {
      await load();
      const out = collect("out");
      const gz = await post(http.url("/cloudflare/logpush/gateway_http"), gzipSync('{"content":"tests"}'), { headers: AUTH });
      const bare = await post(http.url("/cloudflare/logpush"), "test", { headers: AUTH });
      assert.equal(gz.status, 200);
      assert.equal(gz.json?.outcome, "validation");
      assert.equal(bare.status, 200);
      assert.equal(bare.json?.outcome, "validation");
      await settle();
      assert.equal(out.length, 0);
    });

    it("accepts gzip whatever the Content-Type says, and plain bodies", async () => {
      await load();
      const out = collect("out");
      const gz = await post(http.url("/cloudflare/logpush/gateway_http"), gzipSync(gatewayHttpNdjson(5)), {
        headers: { ...AUTH, "content-type": "text/plain" },
      });
      const plain = await post(http.url("/cloudflare/logpush/gateway_http"), gatewayHttpNdjson(4, 5), {
        headers: { ...AUTH, "content-type": "application/gzip" },
      });
      assert.equal(gz.status, 200);
      assert.equal(plain.status, 200);
      await until(() => out.length === 2);
      assert.deepEqual(records(out), Array.from({ length: 9 }, (_, i) => gatewayHttpRecord(i)));
      assert.equal(out[0].topic, "gateway_http");
    });

    it("takes the dataset from the path, then ?dataset=, else unknown; refuses odd names", async () => {
      await load();
      const out = collect("out");
      await post(http.url("/cloudflare/logpush/access_requests"), gatewayHttpNdjson(1), { headers: AUTH });
      await post(http.url("/cloudflare/logpush?dataset=gateway_network"), gatewayHttpNdjson(1), { headers: AUTH });
      await post(http.url("/cloudflare/logpush"), gatewayHttpNdjson(1), { headers: AUTH });
      const odd = await post(http.url("/cloudflare/logpush?dataset=..%2Fetc"), gatewayHttpNdjson(1), { headers: AUTH });
      assert.equal(odd.status, 400);
      await until(() => out.length === 3);
      assert.deepEqual(out.map((m) => m.topic), ["access_requests", "gateway_network", "unknown"]);
    });

    it("emits messages of at most batchSize records with one upload id and counted parts", async () => {
      await load({ batchSize: 1000 });
      const out = collect("out");
      const answer = await post(http.url("/cloudflare/logpush/gateway_http"), gzipSync(gatewayHttpNdjson(2500)), { headers: AUTH });
      assert.equal(answer.status, 200);
      assert.equal(answer.json?.records, 2500);
      await until(() => out.length === 3);
      assert.deepEqual(out.map((m) => m.payload.length), [1000, 1000, 500]);
      assert.deepEqual(out.map((m) => m.batch.part), [1, 2, 3]);
      assert.equal(new Set(out.map((m) => m.batch.id)).size, 1);
      assert.deepEqual(out.map((m) => m.batch.count), [1000, 1000, 500]);
      assert.ok(out.every((m) => m.batch.bytes > m.batch.count * 500));
      assert.equal(records(out)[2499].RequestID, gatewayHttpRecord(2499).RequestID);
    });

    it("emits records while the body is still arriving", async () => {
      await load({ batchSize: 100 });
      const out = collect("out");
      const body = Buffer.from(gatewayHttpNdjson(2000));
      const half = Math.floor(body.length / 2);
      let seenBeforeEnd = 0;
      const answer = await post(http.url("/cloudflare/logpush/gateway_http"), body, {
        headers: AUTH,
        chunks: [body.subarray(0, half), body.subarray(half)],
        afterChunk: async (i) => {
          if (i !== 0) return;
          await until(() => out.length >= 5);
          seenBeforeEnd = records(out).length;
        },
      });
      assert.equal(answer.status, 200);
      assert.ok(seenBeforeEnd >= 500, `records out before the body ended: ${seenBeforeEnd}`);
      await until(() => records(out).length === 2000);
    });

    it("reassembles lines split anywhere across chunks, multi-byte characters included", async () => {
      await load();
      const out = collect("out");
      const recs = Array.from({ length: 40 }, (_, i) => ({ i, name: `José 東京 ${"é".repeat(i)} 🚀`, nested: { a: [i] } }));
      const body = Buffer.from(recs.map((r) => JSON.stringify(r)).join("\r\n"));
      const answer = await post(http.url("/cloudflare/logpush"), body, { headers: AUTH, chunks: pieces(body, 7), chunked: true });
      assert.equal(answer.status, 200);
      await until(() => out.length === 1);
      assert.deepEqual(out[0].payload, recs);
    });

    it("skips bad lines, reports each with its line number to Catch, and keeps every good record", async () => {
      await load();
      const out = collect("out");
      const caught = collect("caught");
      const lines = gatewayHttpNdjson(10).trimEnd().split("\n");
      lines.splice(2, 0, "{not json");
      lines.splice(5, 0, "[1,2,3]");
      lines.splice(8, 0, '"a string"');
      lines.push('{"truncated": ');
      const answer = await post(http.url("/cloudflare/logpush/gateway_http"), gzipSync(lines.join("\n")), { headers: AUTH });
      assert.equal(answer.status, 200);
      assert.equal(answer.json?.records, 10);
      assert.equal(answer.json?.errors, 4);
      await until(() => out.length === 1 && caught.length === 4);
      assert.deepEqual(out[0].payload, Array.from({ length: 10 }, (_, i) => gatewayHttpRecord(i)));
      assert.deepEqual(caught.map((m) => m.line), [3, 6, 9, 14]);
      assert.match(caught[0].error.message, /line 3: not JSON/);
      assert.match(caught[1].error.message, /line 6: not a JSON object but an array/);
      assert.equal(caught[0].topic, "gateway_http");
    });

    it("reports the first 100 bad lines of an upload one by one, then one count", async () => {
      await load();
      const caught = collect("caught");
      const out = collect("out");
      const body = Array.from({ length: 150 }, (_, i) => `bad ${i}`).join("\n") + "\n" + gatewayHttpNdjson(2);
      const answer = await post(http.url("/cloudflare/logpush"), body, { headers: AUTH });
      assert.equal(answer.json?.errors, 150);
      await until(() => caught.length === 101 && out.length === 1);
      await settle();
      assert.equal(caught.length, 101);
      assert.equal(caught[99].line, 100);
      assert.match(caught[100].error.message, /had 150 bad lines; the first 100 were reported/);
    });

    it("shows events per second and the running total in its status", async () => {
      const statusWatch = [
        { id: "st", type: "status", z: "tab", scope: ["in"], wires: [["statuses"]] },
        { id: "statuses", type: "helper", z: "tab" },
      ];
      await load({}, { secret: SECRET }, statusWatch);
      const seen: Msg[] = [];
      helper.getNode("statuses").on("input", (m: Msg) => seen.push(m.status));
      await post(http.url("/cloudflare/logpush"), gzipSync(gatewayHttpNdjson(1500)), { headers: AUTH });
      await until(() => seen.some((s) => /ev\/s/.test(s.text)), 3000);
      const live = seen.find((s) => /ev\/s/.test(s.text));
      assert.equal(live.fill, "green");
      assert.match(live.text, /^[0-9.]+k? ev\/s · 1\.5k total$/);
      await post(http.url("/cloudflare/logpush"), "x", { headers: { authorization: "Bearer wrong" } });
      await until(() => seen.some((s) => s.fill === "red"));
      assert.equal(seen.find((s) => s.fill === "red").text, "401: bad secret · 1.5k total");
    });

    it("answers 400 to a body with no NDJSON record at all", async () => {
      await load();
      const html = await post(http.url("/cloudflare/logpush"), "<html><body>hello</body></html>\n", { headers: AUTH });
      const empty = await post(http.url("/cloudflare/logpush"), "", { headers: AUTH });
      assert.equal(html.status, 400);
      assert.match(String(html.json?.error), /no NDJSON records: line 1/);
      assert.equal(empty.status, 400);
      assert.equal(empty.json?.error, "empty body");
    });

    it("neutralises prototype-polluting keys and refuses over-deep and over-long lines per line", async () => {
      await load({ maxLineKB: 4 });
      const out = collect("out");
      const caught = collect("caught");
      const deep = "[".repeat(100) + "]".repeat(100);
      const body = [
        '{"a":1,"__proto__":{"polluted":true},"b":{"constructor":{"prototype":{"x":1}},"c":2}}',
        `{"deep":${deep}}`,
        `{"long":"${"x".repeat(5000)}"}`,
        '{"ok":true}',
      ].join("\n");
      const answer = await post(http.url("/cloudflare/logpush"), body, { headers: AUTH });
      assert.equal(answer.status, 200);
      await until(() => out.length === 1 && caught.length === 2);
      assert.deepEqual(out[0].payload, [{ a: 1, b: { c: 2 } }, { ok: true }]);
      assert.equal(Object.getPrototypeOf(out[0].payload[0]), Object.prototype);
      assert.equal(({} as Msg).polluted, undefined);
      assert.match(caught[0].error.message, /line 2: nested deeper than 32 levels/);
      assert.match(caught[1].error.message, /line 3: line is longer than 4096 bytes/);
    });
  });

  describe("limits", () => {
    it("refuses a gzip bomb with 413 without expanding it", async () => {
      await load();
      const out = collect("out");
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
      const answer = await post(http.url("/cloudflare/logpush"), bomb, { headers: AUTH });
      assert.equal(answer.status, 413);
      assert.match(String(answer.json?.error), /gzip bomb/);
      await settle();
      assert.equal(out.length, 0);
    });

    it("refuses 413 past the expanded limit and past the upload limit, declared or not", async () => {
      await load({ maxExpandedMB: 1, maxBodyMB: 1 });
      const big = Buffer.from(gatewayHttpNdjson(1500));
      const expanded = await post(http.url("/cloudflare/logpush"), gzipSync(big), { headers: AUTH });
      assert.equal(expanded.status, 413);
      assert.match(String(expanded.json?.error), /expands past 1048576 bytes/);
      const declared = await post(http.url("/cloudflare/logpush"), big, { headers: AUTH });
      assert.equal(declared.status, 413);
      const chunked = await post(http.url("/cloudflare/logpush"), big, { headers: AUTH, chunks: pieces(big, 65536), chunked: true });
      assert.equal(chunked.status, 413);
      assert.match(String(chunked.json?.error), /larger than 1048576 bytes/);
    });

    it("answers 400 to a truncated gzip stream, keeping what already left", async () => {
      await load({ batchSize: 100 });
      const out = collect("out");
      const gz = gzipSync(gatewayHttpNdjson(3000));
      const answer = await post(http.url("/cloudflare/logpush/gateway_http"), gz.subarray(0, Math.floor(gz.length * 0.7)), { headers: AUTH });
      assert.equal(answer.status, 400);
      assert.match(String(answer.json?.error), /gzip stream is corrupt or truncated/);
      await settle();
      const got = records(out);
      assert.ok(got.length > 1000 && got.length < 3000, `partial records emitted: ${got.length}`);
      assert.deepEqual(got[got.length - 1], gatewayHttpRecord(got.length - 1));
    });
  });

  describe("retries and backpressure", () => {
    it("answers a re-sent upload 200 without emitting it twice; a different upload still flows", async () => {
      await load({ batchSize: 500 });
      const out = collect("out");
      const body = gzipSync(gatewayHttpNdjson(1200));
      const first = await post(http.url("/cloudflare/logpush/gateway_http"), body, { headers: AUTH });
      const again = await post(http.url("/cloudflare/logpush/gateway_http"), body, { headers: AUTH });
      const other = await post(http.url("/cloudflare/logpush/gateway_http"), gzipSync(gatewayHttpNdjson(1200, 1200)), { headers: AUTH });
      assert.equal(first.json?.outcome, "accepted");
      assert.equal(again.status, 200);
      assert.equal(again.json?.outcome, "duplicate");
      assert.equal(other.json?.outcome, "accepted");
      await until(() => records(out).length === 2400);
      await settle();
      assert.equal(records(out).length, 2400);
    });

    it("emits a retried upload whole when the first attempt broke off midway", async () => {
      await load({ batchSize: 100 });
      const out = collect("out");
      const body = Buffer.from(gatewayHttpNdjson(1000));
      await assert.rejects(
        post(http.url("/cloudflare/logpush/gateway_http"), body, {
          headers: AUTH,
          chunks: pieces(body, 256 * 1024),
          afterChunk: () => until(() => out.length > 0),
          abortAfter: 2,
        }),
      );
      await settle();
      const before = records(out).length;
      assert.ok(before > 0 && before < 1000, `emitted before the break: ${before}`);
      const retry = await post(http.url("/cloudflare/logpush/gateway_http"), body, { headers: AUTH });
      assert.equal(retry.json?.outcome, "accepted");
      await until(() => records(out).length === before + 1000);
    });

    it("answers 503 with Retry-After while downstream is full, then accepts the retry", async () => {
      await helper.load(
        [node, holdNode],
        [
          { id: "tab", type: "tab" },
          { id: "in", type: "ztna-logpush-in", z: "tab", path: "/cloudflare/logpush", batchSize: 1000, maxInflight: 1000, retryAfter: 7, wires: [["hold", "out"]] },
          { id: "hold", type: "test-hold", z: "tab" },
          { id: "out", type: "helper", z: "tab" },
        ] as Msg[],
        { in: { secret: SECRET } },
      );
      const hold = helper.getNode("hold") as Msg;
      const first = await post(http.url("/cloudflare/logpush"), gatewayHttpNdjson(1000), { headers: AUTH });
      assert.equal(first.status, 200);
      await until(() => hold.held.length === 1);
      const body = gatewayHttpNdjson(10, 1000);
      const full = await post(http.url("/cloudflare/logpush"), body, { headers: AUTH });
      assert.equal(full.status, 503);
      assert.equal(full.headers["retry-after"], "7");
      hold.held.shift()();
      const retry = await post(http.url("/cloudflare/logpush"), body, { headers: AUTH });
      assert.equal(retry.status, 200);
      assert.equal(retry.json?.outcome, "accepted");
      await until(() => hold.held.length === 1);
    });
  });

  describe("notifications", () => {
    it("accepts Notifications webhooks with cf-webhook-auth as dataset notification", async () => {
      await load({}, { secret: SECRET, notificationSecret: "notify-secret" });
      const out = collect("out");
      const alert = { name: "Tunnel health", text: "Tunnel is down", ts: 1736000000, alert_type: "tunnel_health_event", data: { tunnel_id: "t1" } };
      const ok = await post(http.url("/cloudflare/logpush/notifications"), JSON.stringify(alert), {
        headers: { "cf-webhook-auth": "notify-secret", "content-type": "application/json" },
      });
      const wrong = await post(http.url("/cloudflare/logpush/notifications"), JSON.stringify(alert), { headers: { "cf-webhook-auth": SECRET } });
      const test = await post(
        http.url("/cloudflare/logpush/notifications"),
        JSON.stringify({ text: "Hello World! This is a test message sent from https://cloudflare.com. If you can see this, your webhook is configured properly." }),
        { headers: { "cf-webhook-auth": "notify-secret" } },
      );
      const junk = await post(http.url("/cloudflare/logpush/notifications"), "not json", { headers: { "cf-webhook-auth": "notify-secret" } });
      assert.equal(ok.status, 200);
      assert.equal(wrong.status, 401);
      assert.equal(test.status, 200);
      assert.equal(test.json?.outcome, "validation");
      assert.equal(junk.status, 400);
      await until(() => out.length === 1);
      await settle();
      assert.equal(out.length, 1);
      assert.equal(out[0].topic, "notification");
      assert.deepEqual(out[0].payload, [alert]);
    });
  });

  describe("notifications, hostile", () => {
    it("refuses oversized and over-deep notifications and strips prototype keys", async () => {
      await load({}, { secret: SECRET });
      const out = collect("out");
      const headers = { "cf-webhook-auth": SECRET };
      const big = await post(http.url("/cloudflare/logpush/notifications"), JSON.stringify({ text: "x".repeat(2 * 1024 * 1024) }), { headers });
      const bigChunked = await post(http.url("/cloudflare/logpush/notifications"), Buffer.alloc(2 * 1024 * 1024, 0x20), {
        headers,
        chunks: pieces(Buffer.alloc(2 * 1024 * 1024, 0x20), 65536),
        chunked: true,
      });
      const deep = await post(http.url("/cloudflare/logpush/notifications"), `{"data":${"[".repeat(64)}${"]".repeat(64)}}`, { headers });
      const array = await post(http.url("/cloudflare/logpush/notifications"), "[1]", { headers });
      const poisoned = await post(http.url("/cloudflare/logpush/notifications"), '{"alert_type":"x","__proto__":{"admin":true}}', { headers });
      assert.equal(big.status, 413);
      assert.equal(bigChunked.status, 413);
      assert.equal(deep.status, 400);
      assert.match(String(deep.json?.error), /nested deeper/);
      assert.equal(array.status, 400);
      assert.equal(poisoned.status, 200);
      await until(() => out.length === 1);
      assert.deepEqual(out[0].payload, [{ alert_type: "x" }]);
    });
  });

  describe("lifecycle", () => {
    it("leaves no duplicate routes after ten redeploys and removes them on unload", async () => {
      await load();
      const stack = () => http.httpNode._router!.stack;
      const routes = () => stack().filter((l: Msg) => l.route).length;
      const initial = routes();
      assert.equal(initial, 3);
      for (let i = 0; i < 10; i++) {
        await helper.setFlows(flow({ batchSize: 100 + i }), "full", { in: { secret: SECRET } });
      }
      assert.equal(routes(), initial);
      const out = collect("out");
      const answer = await post(http.url("/cloudflare/logpush"), gatewayHttpNdjson(250), { headers: AUTH });
      assert.equal(answer.status, 200);
      await until(() => out.length === 3);
      assert.equal(out[0].payload.length, 109, "the last deployed batch size is in force");
      await helper.unload();
      assert.equal(routes(), 0);
      const gone = await post(http.url("/cloudflare/logpush"), gatewayHttpNdjson(1), { headers: AUTH });
      assert.equal(gone.status, 404);
    });

    it("refuses an invalid configuration with the reason and serves no route", async () => {
      await load({ path: "/bad path", batchSize: 10 });
      const n = helper.getNode("in");
      assert.ok(n);
      assert.equal(http.httpNode._router?.stack.filter((l: Msg) => l.route).length ?? 0, 0);
      await helper.unload();
      await load({ batchSize: -5 });
      assert.equal(http.httpNode._router?.stack.filter((l: Msg) => l.route).length ?? 0, 0);
    });
  });
});
