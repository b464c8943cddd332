import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { ndjsonLines, type ReplaySource } from "../../lib/cli/ndjson-lines";

async function collect(sources: ReplaySource[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of ndjsonLines(sources)) out.push(line.toString("utf8"));
  return out;
}

function chunks(...parts: Array<Buffer | string>): Readable {
  return Readable.from(parts);
}

async function* byteByByte(data: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i++) yield data.subarray(i, i + 1);
}

const TEXT = '{"a":"é"}\n\n{"b": [1, 2]}\r\n  \n{"c":3}';
const LINES = ['{"a":"é"}', '{"b": [1, 2]}\r', '{"c":3}'];

describe("ndjsonLines", function () {
  let dir: string;

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), "ztna-lines-"));
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it("stops with the line number at a line past 64 MiB, having yielded the lines before it", async function () {
    const seen: string[] = [];
    const huge = async function* () {
      yield Buffer.from('{"ok":1}\n');
      for (let i = 0; i < 65; i++) yield Buffer.alloc(1024 * 1024, 0x78);
      yield Buffer.from('\n{"after":1}\n');
    };
    await assert.rejects(
      (async () => {
        for await (const line of ndjsonLines([huge()])) seen.push(line.toString("utf8"));
      })(),
      /<stream>: line 2 is longer than 67108864 bytes/,
    );
    assert.deepEqual(seen, ['{"ok":1}']);
  });

  it("splits plain bytes arriving one at a time, multi-byte characters and all", async function () {
    assert.deepEqual(await collect([byteByByte(Buffer.from(TEXT))]), LINES);
  });

  it("gunzips when the magic bytes arrive split across chunks", async function () {
    assert.deepEqual(await collect([byteByByte(gzipSync(TEXT))]), LINES);
  });

  it("gunzips concatenated gzip members, as appended log files are", async function () {
    const twice = Buffer.concat([gzipSync('{"a":1}\n'), gzipSync('{"b":2}\n')]);
    assert.deepEqual(await collect([chunks(twice)]), ['{"a":1}', '{"b":2}']);
  });

  it("reads files and streams in the order given, strings as UTF-8", async function () {
    const gz = join(dir, "one");
    const plain = join(dir, "two.gz");
    await writeFile(gz, gzipSync('{"f":1}\n{"f":2}\n'));
    await writeFile(plain, '{"f":3}');
    assert.deepEqual(await collect([gz, chunks('{"s":"ü"}\n'), plain, chunks()]), ['{"f":1}', '{"f":2}', '{"s":"ü"}', '{"f":3}']);
  });

  it("yields nothing for empty or blank inputs, and too short a start for gzip as plain text", async function () {
    assert.deepEqual(await collect([chunks(), chunks(" \n\t\r\n"), chunks(Buffer.from([0x1f]))]), ["\x1f"]);
  });

  it("names the source that failed", async function () {
    const missing = join(dir, "missing.ndjson");
    await assert.rejects(collect([missing]), { message: new RegExp(`^${missing}: ENOENT`) });
    await assert.rejects(collect([chunks(Buffer.from([0x1f, 0x8b, 0, 0, 0]))]), { message: /^<stream>: / });
  });
});
