import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RawRecord } from "../../../lib/ingest/logpush-body";
import { FileCheckpointStore } from "../../../lib/poll/checkpoint-store";
import { Poller } from "../../../lib/poll/poller";
import { scimSource } from "../../../lib/poll/sources/scim";
import { useStandIn } from "../../helpers/cloudflare";

const MIN = 60_000;

function update(i: number, at: number) {
  return { cf_resource_id: `cf-${i}`, logged_at: new Date(at).toISOString(), request_method: "POST", resource_type: "USER", resource_user_email: `u${i}@example.com`, status: "SUCCESS" };
}

describe("Poller", () => {
  const standIn = useStandIn();
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ztna-poller-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function poller(emitted: RawRecord[], now: () => number) {
    return new Poller({
      key: "p1",
      source: scimSource,
      api: standIn.client({ maxRetries: 0 }),
      store: new FileCheckpointStore(dir),
      lookbackMs: 60 * MIN,
      overlapMs: 10 * MIN,
      batchSize: 1000,
      maxSeen: 10_000,
      emit: (records) => emitted.push(...records),
      now,
    });
  }

  it("after a poll that fails midway, the next one emits the rest: no duplicates, no gap", async () => {
    const t0 = Date.now();
    standIn.api.seed.scim("idp-a", Array.from({ length: 250 }, (_, i) => update(i, t0 - 30 * MIN + i * 1000)));
    standIn.api.fail({ path: /scim\/updates$/, when: (req) => req.query.get("page") === "2", status: 500, times: 1 });
    const emitted: RawRecord[] = [];
    await assert.rejects(poller(emitted, () => t0).runOnce(), /500/);
    assert.equal(emitted.length, 100, "page 1 left before page 2 failed");
    const summary = await poller(emitted, () => t0 + MIN).runOnce();
    assert.equal(summary.emitted, 150);
    assert.equal(summary.duplicates, 100);
    assert.deepEqual(
      emitted.map((r) => r.cf_resource_id),
      Array.from({ length: 250 }, (_, i) => `cf-${i}`),
    );
  });

  it("reaches back by the overlap for records the API shows late, and emits them once", async () => {
    const t0 = Date.now();
    const emitted: RawRecord[] = [];
    standIn.api.seed.scim("idp-a", [update(1, t0 - 5 * MIN)]);
    await poller(emitted, () => t0).runOnce();
    // Logged before the first poll's end, but visible in the API only afterwards.
    standIn.api.seed.scim("idp-a", [update(2, t0 - 2 * MIN)]);
    const second = await poller(emitted, () => t0 + 5 * MIN).runOnce();
    assert.equal(second.since, new Date(t0 - 10 * MIN).toISOString());
    assert.deepEqual(emitted.map((r) => r.cf_resource_id), ["cf-1", "cf-2"]);
    assert.equal(second.duplicates, 1);
  });

  it("reads back only the look-back on the first poll", async () => {
    const t0 = Date.now();
    standIn.api.seed.scim("idp-a", [update(1, t0 - 2 * 60 * MIN), update(2, t0 - 30 * MIN)]);
    const emitted: RawRecord[] = [];
    const summary = await poller(emitted, () => t0).runOnce();
    assert.equal(summary.since, new Date(t0 - 60 * MIN).toISOString());
    assert.deepEqual(emitted.map((r) => r.cf_resource_id), ["cf-2"]);
  });

  it("refuses a malformed API answer with a typed error, and skips list items that are not records", async () => {
    const t0 = Date.now();
    const emitted: RawRecord[] = [];
    standIn.api.seed.identityProviders([{ id: "idp-a", name: "Okta", type: "okta", scim_config: { enabled: true } }]);
    standIn.api.fail({ path: /scim\/updates$/, status: 200, body: "<html>not json</html>", times: 1 });
    await assert.rejects(poller(emitted, () => t0).runOnce(), (e: Error & { kind?: string }) => e.kind === "malformed");
    standIn.api.fail({
      path: /scim\/updates$/,
      times: 1,
      body: { success: true, errors: [], messages: [], result: [null, 7, "x", [1], update(1, t0 - MIN)], result_info: { page: 1, per_page: 100, count: 5, total_count: 5 } },
    });
    const summary = await poller(emitted, () => t0).runOnce();
    assert.equal(summary.emitted, 1);
    assert.deepEqual(emitted.map((r) => r.cf_resource_id), ["cf-1"]);
  });
});
