import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { DEFAULT_LIMITS } from "../../../lib/ingest/limits";
import { BodyRefused, readLogpushBody, type RawRecord } from "../../../lib/ingest/logpush-body";
import { ReplayGuard } from "../../../lib/ingest/replay-guard";
import { gatewayHttpNdjson } from "../../../lib/synthetic/gateway-http";

async function* chunked(data: Buffer, size = 16 * 1024): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function read(body: Buffer, guard: ReplayGuard | null, opts: Partial<{ holdLimitRecords: number; batchSize: number }> = {}) {
  const emitted: RawRecord[] = [];
  const summary = await readLogpushBody(
    chunked(body),
    { limits: DEFAULT_LIMITS, batchSize: opts.batchSize ?? 100, prefixBytes: 64 * 1024, holdLimitRecords: opts.holdLimitRecords ?? 10_000, replayScope: `${body.length}:x` },
    guard,
    { batch: async (records) => void emitted.push(...records), lineError: () => undefined },
  );
  return { summary, emitted };
}

describe("readLogpushBody", () => {
  it("emits a body whose first 64 KiB and length match an accepted one but whose rest differs", async () => {
    const guard = new ReplayGuard(60_000, 100);
    const head = gatewayHttpNdjson(200);
    const a = Buffer.from(head + gatewayHttpNdjson(50, 1000));
    const b = Buffer.from(head + gatewayHttpNdjson(50, 2000));
    assert.equal(a.length, b.length);
    const first = await read(a, guard);
    const second = await read(b, guard);
    const again = await read(b, guard);
    assert.equal(first.summary.outcome, "accepted");
    assert.equal(second.summary.outcome, "accepted");
    assert.equal(second.emitted.length, 250);
    assert.equal(again.summary.outcome, "duplicate");
    assert.equal(again.emitted.length, 0);
  });

  it("emits a suspected replay after all once holding it would exceed the hold limit", async () => {
    const guard = new ReplayGuard(60_000, 100);
    const body = Buffer.from(gatewayHttpNdjson(1000));
    await read(body, guard);
    const retry = await read(body, guard, { holdLimitRecords: 300 });
    assert.equal(retry.summary.outcome, "accepted");
    assert.equal(retry.emitted.length, 1000);
  });

  it("treats the validation record as a test only when it is the whole body", async () => {
    const alone = await read(gzipSync('{"content":"tests"}\n'), null);
    const mixed = await read(Buffer.from('{"content":"tests"}\n{"a":1}\n'), null);
    assert.equal(alone.summary.outcome, "validation");
    assert.equal(alone.emitted.length, 0);
    assert.equal(mixed.summary.outcome, "accepted");
    assert.deepEqual(mixed.emitted, [{ content: "tests" }, { a: 1 }]);
  });

  it("does not take a large plain body for a gzip bomb", async () => {
    const body = Buffer.from(gatewayHttpNdjson(10_000));
    const r = await read(body, null, { batchSize: 1000 });
    assert.equal(r.summary.gzip, false);
    assert.equal(r.emitted.length, 10_000);
  });

  it("refuses with the status the HTTP answer needs", async () => {
    await assert.rejects(read(Buffer.from("\n\n"), null), (e: BodyRefused) => e.status === 400 && e.message === "empty body");
    const gz = gzipSync(gatewayHttpNdjson(100));
    await assert.rejects(read(Buffer.concat([gz.subarray(0, 20), Buffer.alloc(30, 0xff)]), null), (e: BodyRefused) => e.status === 400 && /corrupt or truncated/.test(e.message));
  });
});
