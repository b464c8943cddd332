import assert from "node:assert/strict";
import type { Indicator } from "../../../../lib/intel/types";
import type { IntelAreaName } from "../../../stand-ins/intel-api";
import { never, type IntelFixture } from "./fixture";

export interface ContractOptions {
  /** An indicator the provider looks up. */
  sample: Indicator;
  /** False for a provider that takes no key. */
  keyed: boolean;
  /** How the provider's own "quota spent" answer comes out: its daily quota, or a pause. */
  quotaReason: "quota" | "rate_limited";
}

/**
 * What every HTTP provider must do with the failures all of them can meet, each in that
 * provider's own answer form from the stand-in. Registers its cases in the calling `describe`.
 */
export function behavesAsRemoteProvider(fx: IntelFixture, name: IntelAreaName, opts: ContractOptions): void {
  const provider = (key?: string) => fx.provider(name, { rate: null, ...(key === undefined ? {} : { key }) });

  describe("failures every provider meets", function () {
    it("reports a body that is not JSON as error/bad_response, with its start", async function () {
      fx.api.fail({ provider: name, body: '{"data": {"truncated' });
      const r = await provider().lookup(opts.sample, never());
      assert.deepEqual([r.status, r.reason], ["error", "bad_response"]);
      assert.match(r.detail ?? "", /not JSON \(starts "\{"data": \{"truncated"\)/);
    });

    it("refuses an answer larger than the cap as error/bad_response", async function () {
      fx.api.fail({ provider: name, body: JSON.stringify({ padding: "x".repeat(3 * 1024 * 1024) }) });
      const r = await provider().lookup(opts.sample, never());
      assert.deepEqual([r.status, r.reason], ["error", "bad_response"]);
      assert.match(r.detail ?? "", /larger than 2097152 bytes/);
    });

    it("retries the provider's 5xx answer twice, then reports error/http_error", async function () {
      fx.api.fail({ provider: name, status: 503, times: Infinity });
      const r = await provider().lookup(opts.sample, never());
      assert.deepEqual([r.status, r.reason], ["error", "http_error"]);
      assert.match(r.detail ?? "", /503.*\(after 3 attempts\)$/);
      assert.equal(fx.api.count(name), 3);
    });

    it(`answers its own quota-spent form with skipped/${opts.quotaReason}, then asks no more`, async function () {
      fx.api.fail({ provider: name, kind: "quota", times: Infinity });
      const p = provider();
      const first = await p.lookup(opts.sample, never());
      assert.deepEqual([first.status, first.reason], ["skipped", opts.quotaReason]);
      const again = await p.lookup(opts.sample, never());
      assert.deepEqual([again.status, again.reason], ["skipped", opts.quotaReason]);
      assert.equal(fx.api.count(name), 1);
      assert.equal(p.health().state, opts.quotaReason === "quota" ? "quota" : "degraded");
    });

    if (opts.keyed) {
      it("reports a wrong key as error/auth, and skips with no_key, without a request, when there is none", async function () {
        const wrong = await provider("wrong-key").lookup(opts.sample, never());
        assert.deepEqual([wrong.status, wrong.reason], ["error", "auth"]);
        assert.equal(fx.api.requestsTo(name)[0].auth, "wrong");
        const none = await provider("").lookup(opts.sample, never());
        assert.deepEqual([none.status, none.reason], ["skipped", "no_key"]);
        assert.equal(fx.api.count(name), 1);
      });

      it("sends the key in its header, and neither in the path nor the query", async function () {
        await provider().lookup(opts.sample, never());
        const [req] = fx.api.requestsTo(name);
        assert.equal(req.auth, "ok");
        assert.ok(!`${req.path}?${req.search}`.includes(fx.api.key(name)));
      });
    }
  });
}
