import assert from "node:assert/strict";
import { parseWebhookConfig } from "../../../lib/ingest/webhook-config";

describe("parseWebhookConfig", () => {
  it("fills defaults that fit Logpush's largest upload", () => {
    const r = parseWebhookConfig({});
    assert.ok(r.ok);
    assert.equal(r.value.path, "/cloudflare/logpush");
    assert.equal(r.value.batchSize, 250);
    assert.ok(r.value.limits.maxDecompressedBytes >= 1e9);
    assert.ok(r.value.limits.maxCompressedBytes >= 1e9);
  });

  it("takes the editor's strings, blanks meaning the default", () => {
    const r = parseWebhookConfig({ path: "/cf/zt", batchSize: "250", maxBodyMB: "", maxLineKB: "64" });
    assert.ok(r.ok);
    assert.equal(r.value.path, "/cf/zt");
    assert.equal(r.value.batchSize, 250);
    assert.equal(r.value.limits.maxLineBytes, 64 * 1024);
  });

  for (const [input, reason] of [
    [{ path: "no-slash" }, /path/],
    [{ path: "/a b" }, /path/],
    [{ path: "/trailing/" }, /path/],
    [{ path: "/x//y" }, /path/],
    [{ path: "/:dataset" }, /path/],
    [{ path: "/" + "a".repeat(10) + "<script>" }, /path/],
    [{ batchSize: 0 }, /batchSize/],
    [{ batchSize: "1e9" }, /batchSize/],
    [{ batchSize: "12abc" }, /batchSize/],
    [{ maxBodyMB: -1 }, /maxBodyMB/],
    [{ maxRatio: 1 }, /maxRatio/],
    [{ maxInflight: 2.5 }, /maxInflight/],
    [{ retryAfter: { $gt: 1 } }, /retryAfter/],
    [{ path: ["/a"] }, /path/],
  ] as const) {
    it(`refuses ${JSON.stringify(input)} with the reason`, () => {
      const r = parseWebhookConfig(input as never);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error, reason);
    });
  }
});
