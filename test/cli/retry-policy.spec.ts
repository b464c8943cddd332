import assert from "node:assert/strict";
import { parseRetryAfter, retryWaitMs } from "../../lib/cli/retry-policy";

const NOW = Date.parse("2025-03-01T12:00:00Z");

describe("retry policy", function () {
  it("doubles the base delay for each retry when the server says nothing", function () {
    assert.deepEqual([1, 2, 3, 4].map((retry) => retryWaitMs(retry, 20_000, undefined, NOW)), [20_000, 40_000, 80_000, 160_000]);
  });

  it("takes Retry-After over the back-off, in seconds or as an HTTP date", function () {
    assert.equal(retryWaitMs(3, 20_000, "7", NOW), 7000);
    assert.equal(retryWaitMs(3, 20_000, "0", NOW), 0);
    assert.equal(retryWaitMs(1, 20_000, "Sat, 01 Mar 2025 12:00:30 GMT", NOW), 30_000);
  });

  it("falls back to the back-off when Retry-After is unusable", function () {
    for (const value of ["", "soon", "1.5", "-3", "2 s"]) {
      assert.equal(retryWaitMs(2, 100, value, NOW), 200, `Retry-After: ${value}`);
    }
  });

  it("reads the obsolete HTTP date formats and a past date as no wait", function () {
    assert.equal(parseRetryAfter("Saturday, 01-Mar-25 12:00:10 GMT", NOW), 10_000);
    assert.equal(parseRetryAfter("Sat Mar  1 12:00:05 2025", NOW) !== null, true);
    assert.equal(parseRetryAfter("Sat, 01 Mar 2025 11:00:00 GMT", NOW), 0);
    assert.equal(parseRetryAfter(" 12 ", NOW), 12_000);
  });
});
