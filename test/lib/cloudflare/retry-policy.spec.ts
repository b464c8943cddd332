import assert from "node:assert/strict";
import { RetryPolicy } from "../../../lib/cloudflare/retry-policy";

const policy = (random: number, maxRetries = 3) => new RetryPolicy({ maxRetries, baseMs: 100, maxBackoffMs: 1000, random: () => random });

describe("Cloudflare retry policy", function () {
  it("doubles the step per retry and waits between half of it and all of it", function () {
    assert.deepEqual([1, 2, 3].map((n) => policy(0).delayMs(n, null)), [50, 100, 200]);
    assert.deepEqual([1, 2, 3].map((n) => policy(0.999999).delayMs(n, null).toFixed(0)), ["100", "200", "400"]);
  });

  it("caps the back-off but not the server's Retry-After", function () {
    assert.equal(policy(1).delayMs(20, null), 1000);
    assert.equal(policy(1).delayMs(1, 300_000), 300_000);
    assert.equal(policy(0.5).delayMs(3, 0), 0);
  });

  it("allows maxRetries retries of retryable failures only", function () {
    const p = policy(0, 2);
    assert.deepEqual([1, 2, 3].map((attempt) => p.allows(attempt, true)), [true, true, false]);
    assert.equal(p.allows(1, false), false);
  });
});
