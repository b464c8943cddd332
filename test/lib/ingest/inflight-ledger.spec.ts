import assert from "node:assert/strict";
import { InflightLedger } from "../../../lib/ingest/inflight-ledger";

describe("InflightLedger", () => {
  it("releases a message once every delivery has been received and finished", () => {
    const l = new InflightLedger(60_000);
    l.track("m", 100);
    l.delivering("m");
    l.delivering("m");
    l.sent("m");
    assert.equal(l.records, 100);
    l.received("m");
    l.completed("m");
    assert.equal(l.records, 100, "one delivery still scheduled");
    l.received("m");
    l.delivering("m");
    l.completed("m");
    assert.equal(l.records, 100, "passed on to a further node");
    l.received("m");
    l.completed("m");
    assert.equal(l.records, 0);
    assert.equal(l.messages, 0);
  });

  it("releases at once a message wired to nothing", () => {
    const l = new InflightLedger(60_000);
    l.track("m", 5);
    l.sent("m");
    assert.equal(l.records, 0);
  });

  it("ignores events for messages it does not track", () => {
    const l = new InflightLedger(60_000);
    l.delivering("x");
    l.received("x");
    l.completed("x");
    assert.equal(l.records, 0);
  });

  it("waits until the count drops below the bound, or gives up after the wait", async () => {
    const l = new InflightLedger(60_000);
    l.track("m", 10);
    l.delivering("m");
    l.sent("m");
    assert.equal(await l.waitBelow(10, 30), false);
    const waiting = l.waitBelow(10, 5000);
    setTimeout(() => {
      l.received("m");
      l.completed("m");
    }, 20);
    assert.equal(await waiting, true);
  });

  it("releases messages that are never finished after the timeout, counting them", async () => {
    let now = 0;
    const l = new InflightLedger(1000, () => now);
    l.track("stuck", 50);
    l.delivering("stuck");
    l.sent("stuck");
    now = 999;
    assert.equal(await l.waitBelow(50, 0), false);
    now = 1001;
    assert.equal(await l.waitBelow(50, 0), true);
    assert.equal(l.timedOut, 1);
  });
});
