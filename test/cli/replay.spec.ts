import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { gzipSync } from "node:zlib";
import { replay, ReplayError, type ReplayEvent } from "../../lib/cli/logpush-sender";
import { runReplay } from "../../lib/cli/replay-command";
import { ReplayOptionError } from "../../lib/cli/replay-options";
import { linesOf, recordingServer, type Answer, type RecordingServer } from "./recording-server";

const SECRET = "s3cr3t-token-for-tests";

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString("utf8");
    done();
  }
}

function records(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `{"n":${i}, "odd spacing" : true}`);
}

describe("replay", function () {
  let dir: string;
  let server: RecordingServer | undefined;

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), "ztna-replay-"));
  });

  afterEach(async function () {
    await server?.close();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function serve(answer?: (index: number) => Answer): Promise<RecordingServer> {
    server = await recordingServer(answer && ((_, index) => answer(index)));
    return server;
  }

  async function file(name: string, content: string | Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  async function run(args: string[], env: NodeJS.ProcessEnv = {}, stdin?: Readable) {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runReplay(args, stdout, stderr, { env, stdin });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  describe("engine", function () {
    it("sends batches of N records, lines as written, with Logpush's headers", async function () {
      const srv = await serve();
      const lines = records(7);
      const chunks = lines.join("\n").match(/.{1,5}/gs) ?? [];
      const summary = await replay({ url: srv.url, secret: SECRET, batchSize: 3 }, [Readable.from(chunks)]);

      assert.deepEqual(srv.received.map(linesOf), [lines.slice(0, 3), lines.slice(3, 6), lines.slice(6)]);
      for (const rec of srv.received) {
        assert.equal(rec.path, "/cloudflare/logpush");
        assert.equal(rec.headers.authorization, `Bearer ${SECRET}`);
        assert.equal(rec.headers["content-encoding"], "gzip");
        assert.equal(rec.headers["content-type"], "application/x-ndjson");
      }
      assert.deepEqual(summary.batches, { sent: 3, accepted: 3, retried: 0, failed: 0 });
      assert.deepEqual(summary.records, { sent: 7, accepted: 7, retried: 0, failed: 0 });
      assert.equal(summary.requests, 3);
      assert.equal(summary.destination, srv.url);
    });

    it("skips blank lines and keeps every other byte of a line", async function () {
      const srv = await serve();
      const input = '{"a":1}\r\n\r\n   \n\t\n{"b":"é"}  \r\n{"c":3}';
      await replay({ url: srv.url, secret: SECRET }, [Readable.from([Buffer.from(input)])]);
      assert.equal(srv.received.length, 1);
      assert.deepEqual(linesOf(srv.received[0]), ['{"a":1}\r', '{"b":"é"}  \r', '{"c":3}']);
    });

    it("re-sends the byte-identical gzip body on retry", async function () {
      const srv = await serve((i) => (i < 2 ? { status: 500, body: "try later" } : { status: 200 }));
      const events: ReplayEvent[] = [];
      const summary = await replay(
        { url: srv.url, secret: SECRET, retries: 3, retryDelayMs: 1, onEvent: (e) => events.push(e) },
        [Readable.from([records(4).join("\n")])],
      );

      assert.equal(srv.received.length, 3);
      assert.ok(srv.received[1].body.equals(srv.received[0].body));
      assert.ok(srv.received[2].body.equals(srv.received[0].body));
      assert.deepEqual(
        events.map((e) => (e.type === "retry" ? [e.retry, e.retries, e.waitMs, e.reason] : e.type)),
        [
          [1, 3, 1, "HTTP 500: try later"],
          [2, 3, 2, "HTTP 500: try later"],
        ],
      );
      assert.deepEqual(summary.batches, { sent: 1, accepted: 1, retried: 1, failed: 0 });
      assert.deepEqual(summary.records, { sent: 4, accepted: 4, retried: 4, failed: 0 });
      assert.equal(summary.requests, 3);
    });

    it("waits as a 503's Retry-After says rather than its own back-off", async function () {
      const srv = await serve((i) => (i === 0 ? { status: 503, headers: { "retry-after": "1" } } : { status: 200 }));
      const events: ReplayEvent[] = [];
      const summary = await replay(
        { url: srv.url, secret: SECRET, retryDelayMs: 600_000, onEvent: (e) => events.push(e) },
        [Readable.from(['{"a":1}\n'])],
      );

      assert.equal(srv.received.length, 2);
      assert.ok(srv.received[1].at - srv.received[0].at >= 950, `waited ${srv.received[1].at - srv.received[0].at} ms`);
      assert.equal(events.length, 1);
      assert.equal(events[0].type === "retry" && events[0].waitMs, 1000);
      assert.deepEqual(summary.batches, { sent: 1, accepted: 1, retried: 1, failed: 0 });
    });

    it("gives a batch up after its retries and goes on with the next", async function () {
      const srv = await serve(() => ({ status: 500 }));
      const events: ReplayEvent[] = [];
      const summary = await replay(
        { url: srv.url, secret: SECRET, batchSize: 2, retries: 2, retryDelayMs: 1, onEvent: (e) => events.push(e) },
        [Readable.from([records(3).join("\n")])],
      );

      assert.equal(srv.received.length, 6);
      assert.deepEqual(
        events.filter((e) => e.type === "failed"),
        [
          { type: "failed", batch: 1, records: 2, reason: "HTTP 500", tries: 3 },
          { type: "failed", batch: 2, records: 1, reason: "HTTP 500", tries: 3 },
        ],
      );
      assert.deepEqual(summary.batches, { sent: 2, accepted: 0, retried: 2, failed: 2 });
      assert.deepEqual(summary.records, { sent: 3, accepted: 0, retried: 3, failed: 3 });
      assert.equal(summary.requests, 6);
    });

    it("counts a refused connection as a failed try", async function () {
      const srv = await recordingServer();
      const url = srv.url;
      await srv.close();
      const events: ReplayEvent[] = [];
      const summary = await replay(
        { url, secret: SECRET, retries: 1, retryDelayMs: 1, onEvent: (e) => events.push(e) },
        [Readable.from(['{"a":1}\n'])],
      );

      assert.deepEqual(events.map((e) => e.type), ["retry", "failed"]);
      assert.match(events[1].reason, /ECONNREFUSED/);
      assert.deepEqual(summary.batches, { sent: 1, accepted: 0, retried: 1, failed: 1 });
      assert.equal(summary.requests, 2);
    });

    it("gives up on a request that gets no answer within the timeout", async function () {
      const srv = await serve(() => "hang");
      const events: ReplayEvent[] = [];
      const summary = await replay(
        { url: srv.url, secret: SECRET, retries: 0, timeoutMs: 150, onEvent: (e) => events.push(e) },
        [Readable.from(['{"a":1}\n'])],
      );

      assert.equal(srv.received.length, 1);
      assert.deepEqual(events, [{ type: "failed", batch: 1, records: 1, reason: "no answer within 150 ms", tries: 1 }]);
      assert.equal(summary.batches.failed, 1);
    });

    it("spaces batches to stay under the rate", async function () {
      const srv = await serve();
      await replay({ url: srv.url, secret: SECRET, batchSize: 5, ratePerSecond: 10 }, [
        Readable.from([records(15).join("\n")]),
      ]);

      assert.equal(srv.received.length, 3);
      const spread = srv.received[2].at - srv.received[0].at;
      assert.ok(spread >= 950, `3 batches of 5 at 10/s took only ${spread} ms`);
    });

    it("appends the dataset to the URL path", async function () {
      const srv = await serve();
      const summary = await replay({ url: `${srv.url}/`, secret: SECRET, dataset: "gateway_http" }, [
        Readable.from(['{"a":1}\n']),
      ]);

      assert.equal(srv.received[0].path, "/cloudflare/logpush/gateway_http");
      assert.equal(summary.destination, `${srv.url}/gateway_http`);
    });

    it("refuses an option out of range before sending anything", async function () {
      const srv = await serve();
      await assert.rejects(
        replay({ url: srv.url, secret: SECRET, batchSize: 0 }, [Readable.from(['{"a":1}\n'])]),
        (err: unknown) => err instanceof ReplayOptionError && err.option === "batchSize",
      );
      assert.equal(srv.received.length, 0);
    });

    it("stops with the summary so far when an input breaks off", async function () {
      const srv = await serve();
      const whole = gzipSync(records(5).join("\n"));
      const truncated = await file("cut.ndjson.gz", whole.subarray(0, whole.length - 4));
      const err = await replay({ url: srv.url, secret: SECRET, batchSize: 2 }, [truncated]).then(
        () => assert.fail("resolved"),
        (e: unknown) => e,
      );

      assert.ok(err instanceof ReplayError);
      assert.match(err.message, new RegExp(`^${truncated}: unexpected end of file`));
      assert.deepEqual(err.summary.records, { sent: 4, accepted: 4, retried: 0, failed: 0 });
      assert.deepEqual(srv.received.map(linesOf), [records(5).slice(0, 2), records(5).slice(2, 4)]);
    });
  });

  describe("ztna replay command", function () {
    it("sends gzip and plain files, told apart by content, and prints the counts", async function () {
      const srv = await serve();
      const lines = records(5);
      const zipped = await file("plain-name.ndjson", gzipSync(`${lines.slice(0, 3).join("\n")}\n`));
      const plain = await file("gzip-name.ndjson.gz", lines.slice(3).join("\n"));
      const { code, stdout, stderr } = await run(
        ["--url", srv.url, "--secret", SECRET, "--dataset", "gateway_http", "--batch=2", zipped, plain],
      );

      assert.equal(stderr, "");
      assert.equal(code, 0);
      assert.deepEqual(srv.received.map(linesOf), [lines.slice(0, 2), lines.slice(2, 4), lines.slice(4)]);
      assert.ok(srv.received.every((r) => r.path === "/cloudflare/logpush/gateway_http"));
      assert.match(stdout, /^replayed to http:\/\/127\.0\.0\.1:\d+\/cloudflare\/logpush\/gateway_http in [\d.]+ s \(3 requests\)$/m);
      assert.match(stdout, /^batches: 3 sent, 3 accepted, 0 retried, 0 failed$/m);
      assert.match(stdout, /^records: 5 sent, 5 accepted, 0 retried, 0 failed$/m);
    });

    it('reads "-" from stdin', async function () {
      const srv = await serve();
      const gz = gzipSync('{"from":"stdin"}\n');
      const stdin = Readable.from([gz.subarray(0, 1), gz.subarray(1)]);
      const { code } = await run(["--url", srv.url, "--secret", SECRET, "-"], {}, stdin);

      assert.equal(code, 0);
      assert.deepEqual(srv.received.map(linesOf), [['{"from":"stdin"}']]);
    });

    it(`takes the secret from ZTNA_WEBHOOK_SECRET when --secret is absent`, async function () {
      const srv = await serve();
      const input = await file("a.ndjson", '{"a":1}\n');
      const { code } = await run(["--url", srv.url, input], { ZTNA_WEBHOOK_SECRET: SECRET });

      assert.equal(code, 0);
      assert.equal(srv.received[0].headers.authorization, `Bearer ${SECRET}`);
    });

    it("exits 1 and counts the failures when a batch fails for good", async function () {
      const srv = await serve((i) => (i === 0 ? { status: 200 } : { status: 500, body: "{\"error\":\"boom\"}" }));
      const input = await file("a.ndjson", records(3).join("\n"));
      const { code, stdout, stderr } = await run(
        ["--url", srv.url, "--secret", SECRET, "--batch", "2", "--retries", "1", "--retry-delay", "1", input],
      );

      assert.equal(code, 1);
      assert.equal(srv.received.length, 3);
      assert.match(stderr, /^batch 2 \(1 record\): HTTP 500: \{"error":"boom"\}; retry 1 of 1 in 0\.0 s$/m);
      assert.match(stderr, /^batch 2 \(1 record\) failed after 2 tries: HTTP 500: \{"error":"boom"\}$/m);
      assert.match(stdout, /^batches: 2 sent, 1 accepted, 1 retried, 1 failed$/m);
      assert.match(stdout, /^records: 3 sent, 2 accepted, 1 retried, 1 failed$/m);
    });

    it("exits 1 when the webhook refuses connections", async function () {
      const srv = await recordingServer();
      const url = srv.url;
      await srv.close();
      const input = await file("a.ndjson", '{"a":1}\n');
      const { code, stdout, stderr } = await run(["--url", url, "--secret", SECRET, "--retries", "0", input]);

      assert.equal(code, 1);
      assert.match(stderr, /failed after 1 tries: connect ECONNREFUSED/);
      assert.match(stdout, /^batches: 1 sent, 0 accepted, 0 retried, 1 failed$/m);
    });

    it("never prints the secret, even when the server echoes it in a 401", async function () {
      const echo = await recordingServer((req) => ({ status: 401, body: `bad secret: ${req.headers.authorization}` }));
      server = echo;
      const input = await file("a.ndjson", '{"a":1}\n');
      const { code, stdout, stderr } = await run(
        ["--url", `${echo.url}?token=${SECRET}`, "--retries", "1", "--retry-delay", "1", input],
        { ZTNA_WEBHOOK_SECRET: SECRET },
      );

      assert.equal(code, 1);
      assert.equal(echo.received.length, 2);
      assert.match(stderr, /HTTP 401: bad secret: Bearer \*\*\*/);
      assert.ok(!`${stdout}${stderr}`.includes(SECRET), `secret printed:\n${stdout}${stderr}`);
    });

    it("stops with exit 1 and names the input that broke off", async function () {
      const srv = await serve();
      const cut = await file("cut.gz", gzipSync('{"a":1}\n').subarray(0, 12));
      const { code, stdout, stderr } = await run(["--url", srv.url, "--secret", SECRET, cut]);

      assert.equal(code, 1);
      assert.match(stderr, new RegExp(`^ztna replay: stopped: ${cut}: unexpected end of file$`, "m"));
      assert.match(stdout, /^records: 0 sent, 0 accepted, 0 retried, 0 failed$/m);
    });

    it("prints its usage for --help and -h", async function () {
      for (const flag of ["--help", "-h"]) {
        const { code, stdout, stderr } = await run([flag]);
        assert.equal(code, 0);
        assert.equal(stderr, "");
        assert.match(stdout, /^usage: ztna replay --url URL/);
        assert.match(stdout, /--retry-delay MS .*\(default 20000\)/);
      }
    });

    const mistakes: Array<[string, (input: string, url: string) => string[], RegExp]> = [
      ["an unknown flag", (f, u) => ["--url", u, "--secret", SECRET, "--bogus", f], /unknown option --bogus/],
      ["no --url", (f) => ["--secret", SECRET, f], /missing --url/],
      ["--url without its value", () => ["--secret", SECRET, "--url"], /--url needs a value/],
      ["a bad URL", (f) => ["--url", "not a url", "--secret", SECRET, f], /--url is not a valid URL: "not a url"/],
      ["a non-HTTP URL", (f) => ["--url", "ftp://h/x", "--secret", SECRET, f], /--url must be http or https, not ftp/],
      ["no secret", (f, u) => ["--url", u, f], /missing --secret \(or set ZTNA_WEBHOOK_SECRET\)/],
      ["a non-numeric --batch", (f, u) => ["--url", u, "--secret", SECRET, "--batch", "12x", f], /--batch expects a number, got "12x"/],
      ["--batch 0", (f, u) => ["--url", u, "--secret", SECRET, "--batch", "0", f], /--batch must be a whole number of at least 1, not 0/],
      ["--batch 2.5", (f, u) => ["--url", u, "--secret", SECRET, "--batch", "2.5", f], /--batch must be a whole number/],
      ["--rate 0", (f, u) => ["--url", u, "--secret", SECRET, "--rate", "0", f], /--rate must be above 0, not 0/],
      ["--retries -1", (f, u) => ["--url", u, "--secret", SECRET, "--retries", "-1", f], /--retries must be a whole number of at least 0/],
      ["--timeout 0", (f, u) => ["--url", u, "--secret", SECRET, "--timeout", "0", f], /--timeout must be a whole number from 1 to/],
      ["a bad dataset", (f, u) => ["--url", u, "--secret", SECRET, "--dataset", "../x", f], /--dataset must be lower-case letters/],
      ["a flag given twice", (f, u) => ["--url", u, "--url", u, "--secret", SECRET, f], /--url given more than once/],
      ["no input", (_, u) => ["--url", u, "--secret", SECRET], /no input files/],
      ["a missing file", (f, u) => ["--url", u, "--secret", SECRET, f, `${f}.nope`], /cannot read .*\.nope: ENOENT/],
      ["a directory", (f, u) => ["--url", u, "--secret", SECRET, f, dir], /cannot read .*: it is a directory/],
    ];
    for (const [what, args, message] of mistakes) {
      it(`exits 2 with usage for ${what}, sending nothing`, async function () {
        const srv = await serve();
        const input = await file("a.ndjson", '{"a":1}\n');
        const { code, stdout, stderr } = await run(args(input, srv.url));

        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.match(stderr, /^ztna replay: /);
        assert.match(stderr, message);
        assert.match(stderr, /usage: ztna replay --url URL/);
        assert.equal(srv.received.length, 0);
      });
    }

    it("runs from the ztna entry point with the secret only in the environment", async function () {
      const srv = await serve();
      const input = await file("a.ndjson", '{"a":1}\n{"b":2}\n');
      const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(
          process.execPath,
          ["--require", "tsx/cjs", join(__dirname, "../../lib/cli/main.ts"), "replay", "--url", srv.url, input],
          { env: { ...process.env, ZTNA_WEBHOOK_SECRET: SECRET } },
          (err, out) => resolve({ code: err ? Number(err.code) : 0, stdout: out }),
        );
      });

      assert.equal(code, 0);
      assert.match(stdout, /^records: 2 sent, 2 accepted, 0 retried, 0 failed$/m);
      assert.equal(srv.received[0].headers.authorization, `Bearer ${SECRET}`);
    });
  });
});
