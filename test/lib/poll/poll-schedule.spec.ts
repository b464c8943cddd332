import assert from "node:assert/strict";
import { PollSchedule, type RunOutcome } from "../../../lib/poll/poll-schedule";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("PollSchedule", () => {
  it("never runs two polls at once, and follows an overrunning poll at once", async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const s = new PollSchedule({ intervalMs: 30, maxBackoffMs: 1000 }, async (): Promise<RunOutcome> => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs++;
      await sleep(runs === 1 ? 80 : 5);
      active--;
      return "ok";
    });
    s.start();
    await sleep(20);
    assert.equal(s.trigger(), "queued", "queued while the first poll runs");
    assert.equal(s.trigger(), "ignored", "one queued poll is enough");
    while (runs < 3) await sleep(5);
    await s.stop();
    assert.equal(maxActive, 1);
    assert.equal(s.overruns, 1);
  });

  it("doubles the wait after each failure in a row, up to the ceiling, and resets on success", () => {
    const s = new PollSchedule({ intervalMs: 1000, maxBackoffMs: 5000 }, async () => "ok");
    assert.deepEqual([1, 2, 3, 4].map((f) => s.backoffFor(f)), [2000, 4000, 5000, 5000]);
    assert.equal(s.delayAfter(300), 700);
    s.failures = 2;
    assert.equal(s.delayAfter(300), 4000);
  });

  it("counts failures, including a poll that throws, and stops cleanly", async () => {
    let calls = 0;
    const s = new PollSchedule({ intervalMs: 10_000, maxBackoffMs: 60_000 }, async (): Promise<RunOutcome> => {
      calls++;
      if (calls === 1) return "failed";
      throw new Error("boom");
    });
    s.start();
    while (calls < 1) await sleep(2);
    await sleep(5);
    assert.equal(s.failures, 1);
    assert.ok(s.nextAt !== null && s.nextAt - Date.now() > 15_000, "backs off past the interval");
    assert.equal(s.trigger(), "now");
    while (calls < 2) await sleep(2);
    await sleep(5);
    assert.equal(s.failures, 2);
    await s.stop();
    assert.equal(s.nextAt, null);
    assert.equal(s.trigger(), "ignored", "no polls after stop");
  });
});
