import assert from "node:assert/strict";
import { ReplayGuard } from "../../../lib/ingest/replay-guard";

describe("ReplayGuard", () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it("marks an accepted body as seen within the window and confirms it by full hash", () => {
    const g = new ReplayGuard(60_000, 10, clock);
    assert.equal(g.begin("k1"), "new");
    g.finish("k1", "h1");
    assert.equal(g.begin("k1"), "seen");
    assert.equal(g.matches("k1", "h1"), true);
    assert.equal(g.matches("k1", "other"), false);
    g.finish("k1", "h1");
    now += 60_001;
    assert.equal(g.matches("k1", "h1"), false);
    assert.equal(g.begin("k1"), "new");
  });

  it("says busy while the same start is being received, and forgets failed bodies", () => {
    const g = new ReplayGuard(60_000, 10, clock);
    assert.equal(g.begin("k"), "new");
    assert.equal(g.begin("k"), "busy");
    g.finish("k", null);
    assert.equal(g.begin("k"), "new");
    assert.equal(g.size, 0);
  });

  it("holds at most maxEntries, dropping the oldest", () => {
    const g = new ReplayGuard(60_000, 3, clock);
    for (const k of ["a", "b", "c", "d", "e"]) {
      g.begin(k);
      g.finish(k, `h-${k}`);
      now += 1;
    }
    assert.equal(g.size, 3);
    assert.equal(g.matches("a", "h-a"), false);
    assert.equal(g.matches("b", "h-b"), false);
    assert.equal(g.matches("e", "h-e"), true);
  });
});
