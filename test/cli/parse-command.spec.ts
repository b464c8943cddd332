import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { gzipSync } from "node:zlib";
import { runParse } from "../../lib/cli/parse-command";
import { Capture } from "../helpers/capture";

const RECEIVED_AT = "2025-06-02T15:00:00.000Z";
const FIXTURES = join(__dirname, "../fixtures");

/** Takes one write, then reports itself full until it has been drained asynchronously. */
class SlowCapture extends Capture {
  constructor() {
    super({ highWaterMark: 1 });
  }
  override _write(chunk: Buffer, encoding: BufferEncoding, done: () => void): void {
    setTimeout(() => super._write(chunk, encoding, done), 1);
  }
}

async function run(args: string[], stdin: string | Buffer = "", stdout = new Capture()) {
  const stderr = new Capture();
  const code = await runParse(args, stdout, stderr, { stdin: Readable.from([Buffer.from(stdin)]), receivedAt: RECEIVED_AT });
  return {
    code,
    stdout: stdout.text,
    stderr: stderr.text,
    get events() {
      return stdout.text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    },
  };
}

const fixture = (path: string) => readFile(join(FIXTURES, path), "utf8");

describe("ztna parse", function () {
  let dir: string;

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), "ztna-parse-"));
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it("normalizes stdin, one event per line, the same as the library does", async function () {
    const input = `${(await fixture("gateway_http/block-dlp.record.json")).trim()}\n${(await fixture("access_requests/denied-unixnano.record.json")).trim()}\n`;
    const { code, events, stderr } = await run(["--dataset", "gateway_http"], input);
    assert.equal(code, 0);
    assert.equal(stderr, "");
    const expected = JSON.parse(await fixture("gateway_http/block-dlp.event.json"));
    const { cloudflare, ...rest } = events[0];
    assert.deepEqual(rest, expected);
    assert.deepEqual(cloudflare.gateway_http, JSON.parse(await fixture("gateway_http/block-dlp.record.json")));
    assert.equal(events[1].event.dataset, "cloudflare.access_requests");
    assert.equal(events[1].ztna.received_as, "gateway_http");
  });

  it("sniffs each record's source without --dataset, and reads '-' as stdin", async function () {
    const lines = ["gateway_network/block-smb-unix-seconds", "scim/deactivate-patch", "risk_score/impossible-travel"];
    const input = (await Promise.all(lines.map((l) => fixture(`${l}.record.json`)))).join("");
    const { code, events } = await run(["-"], input);
    assert.equal(code, 0);
    assert.deepEqual(events.map((e) => [e.event.dataset, e.ztna?.received_as]), [
      ["cloudflare.gateway_network", undefined],
      ["cloudflare.scim", undefined],
      ["cloudflare.risk_score", undefined],
    ]);
  });

  it("reads plain and gzip files in order, told apart by content", async function () {
    const plain = join(dir, "a.gz");
    const gz = join(dir, "b.ndjson");
    await writeFile(plain, '{"HTTPMethod":"GET","Datetime":"2025-06-02T14:00:00Z"}\n');
    await writeFile(gz, gzipSync('{"SNI":"x.example","Datetime":1748873140}\n{"AppUUID":"u"}'));
    const { code, events } = await run([plain, gz]);
    assert.equal(code, 0);
    assert.deepEqual(events.map((e) => e.event.dataset), ["cloudflare.gateway_http", "cloudflare.gateway_network", "cloudflare.access_requests"]);
  });

  it("reports each bad line with its file and number, goes on, and exits 1", async function () {
    const file = join(dir, "mixed.ndjson");
    await writeFile(file, ['{"HTTPMethod":"GET"}', "not json", "", "[1,2]", '{"foo":1}', '{"AppUUID":"a"}'].join("\n"));
    const { code, events, stderr } = await run([file]);
    assert.equal(code, 1);
    assert.deepEqual(events.map((e) => e.event.dataset), ["cloudflare.gateway_http", "cloudflare.access_requests"]);
    const lines = stderr.trim().split("\n");
    assert.equal(lines.length, 3);
    assert.match(lines[0], new RegExp(`^ztna parse: ${file}:2: not JSON`));
    assert.match(lines[1], new RegExp(`^ztna parse: ${file}:4: not a JSON object but an array`));
    assert.equal(lines[2], `ztna parse: ${file}:5: its fields match no known source; give its dataset`);
  });

  it("refuses records nested too deeply for the rest of the pipeline", async function () {
    const deep = `${"[".repeat(40)}${"]".repeat(40)}`;
    const { code, events, stderr } = await run([], `{"HTTPMethod":"GET","x":${deep}}\n{"HTTPMethod":"POST"}\n`);
    assert.equal(code, 1);
    assert.equal(events.length, 1);
    assert.match(stderr, /<stdin>:1: nested deeper than 32 levels/);
  });

  it("names an unreadable input, goes on with the next, and exits 1", async function () {
    const missing = join(dir, "missing.ndjson");
    const good = join(dir, "good.ndjson");
    await writeFile(good, '{"HTTPMethod":"GET"}\n');
    const { code, events, stderr } = await run([missing, good]);
    assert.equal(code, 1);
    assert.equal(events.length, 1);
    assert.match(stderr, new RegExp(`^ztna parse: ${missing}: ENOENT`));
  });

  it("waits for a slow stdout instead of buffering the whole output", async function () {
    const input = Array.from({ length: 200 }, (_, i) => `{"HTTPMethod":"GET","SourcePort":${i + 1}}`).join("\n");
    const chunks = input.match(/[^]{1,500}/g) ?? [];
    const stdout = new SlowCapture();
    const stderr = new Capture();
    const code = await runParse([], stdout, stderr, { stdin: Readable.from(chunks.map((c) => Buffer.from(c))), receivedAt: RECEIVED_AT });
    assert.equal(code, 0);
    const ports = stdout.text.trim().split("\n").map((l) => JSON.parse(l).source.port);
    assert.deepEqual(ports, Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it("stops with exit 1 when stdout fails", async function () {
    const broken = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error("EPIPE"));
      },
    });
    const stderr = new Capture();
    const input = Array.from({ length: 50 }, () => '{"HTTPMethod":"GET"}').join("\n");
    const code = await runParse([], broken, stderr, { stdin: Readable.from([Buffer.from(input)]) });
    assert.equal(code, 1);
    assert.match(stderr.text, /cannot write the output: EPIPE/);
  });

  it("prints its usage for --help and exits 2 for a wrong dataset or flag", async function () {
    const help = await run(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: ztna parse/);
    const wrong = await run(["--dataset", "gateway_htpp"]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--dataset must be one of gateway_http, .* or unknown, not "gateway_htpp"/);
    const flag = await run(["--nope"]);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown option --nope/);
  });
});
