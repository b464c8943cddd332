import assert from "node:assert/strict";
import { MemoryStateStore, type GroupState } from "../../../lib/detect";
import { engineFor, ev, newCountryRules, T0 } from "./helpers";

const state = (since: number, expires = Infinity, values: Array<[string, number]> = []): GroupState => ({ since, expires, values: new Map(values), events: [] });

describe("MemoryStateStore", () => {
  it("gets, sets, deletes and lists groups by rule", () => {
    const store = new MemoryStateStore();
    store.set("r1", "g1", state(1));
    store.set("r1", "g2", state(2));
    store.set("r2", "g1", state(3));
    assert.equal(store.get("r1", "g2")?.since, 2);
    assert.deepEqual(
      store.groups("r1").map(([g]) => g),
      ["g1", "g2"],
    );
    store.delete("r1", "g1");
    assert.equal(store.get("r1", "g1"), undefined);
    assert.equal(store.stats().groups, 2);
  });

  it("says whether a rule has any group, through deletion, eviction and expiry", () => {
    const store = new MemoryStateStore({ maxGroups: 2 });
    assert.equal(store.hasGroups("r"), false);
    store.set("r", "a", state(1, 10));
    store.set("r", "b", state(1, 20));
    assert.equal(store.hasGroups("r"), true);
    store.delete("r", "a");
    assert.equal(store.hasGroups("r"), true);
    store.expire(30);
    assert.equal(store.hasGroups("r"), false);
    store.set("r", "c", state(1));
    store.set("q", "d", state(2));
    store.set("q", "e", state(3));
    assert.equal(store.hasGroups("r"), false, "c was evicted for room");
    assert.equal(store.hasGroups("q"), true);
  });

  it("evicts the least recently used group past maxGroups, and counts it by rule", () => {
    const store = new MemoryStateStore({ maxGroups: 2 });
    store.set("r", "a", state(1));
    store.set("r", "b", state(2));
    store.get("r", "a");
    store.set("q", "c", state(3));
    assert.equal(store.get("r", "b"), undefined, "b was the least recently used");
    assert.ok(store.get("r", "a"));
    assert.deepEqual({ groups: store.stats().groups, evictions: store.stats().evictions, byRule: store.stats().evictionsByRule }, { groups: 2, evictions: 1, byRule: { r: 1 } });
  });

  it("does not count a dead state dropped for room as an eviction", () => {
    const store = new MemoryStateStore({ maxGroups: 2 });
    store.set("r", "live", state(1, Infinity));
    store.expire(0);
    store.set("r", "dead", state(2, 100));
    store.expire(150);
    assert.ok(store.get("r", "dead"), "not swept yet: a live state is older");
    store.get("r", "live");
    store.set("r", "new", state(3, 1000));
    assert.equal(store.get("r", "dead"), undefined);
    assert.equal(store.stats().evictions, 0, "dead had expired");
    store.set("r", "newer", state(4, 2000));
    assert.equal(store.stats().evictions, 1, "live had not");
  });

  it("drops expired states", () => {
    const store = new MemoryStateStore();
    store.set("r", "a", state(1, Infinity));
    store.set("r", "b", state(1, 10));
    store.set("r", "c", state(1, 30));
    store.expire(20);
    assert.deepEqual(
      store.groups("r").map(([g]) => g),
      ["a", "c"],
    );
  });

  it("keeps at most maxValuesPerGroup values, dropping the oldest, and counts them", () => {
    const store = new MemoryStateStore({ maxValuesPerGroup: 3 });
    const s = state(1, Infinity, [["a", 1], ["b", 2], ["c", 3], ["d", 4], ["e", 5]]);
    store.set("r", "g", s);
    assert.deepEqual([...s.values.keys()], ["c", "d", "e"]);
    assert.equal(store.stats().valueEvictions, 2);
  });

  it("stays within maxGroups whatever the number of groups", () => {
    const store = new MemoryStateStore({ maxGroups: 1000 });
    for (let i = 0; i < 200_000; i++) store.set("r", `user${i}@example.com`, state(i));
    assert.equal(store.stats().groups, 1000);
    assert.equal(store.stats().evictions, 199_000);
  });

  it("snapshots to JSON and restores in the same order", () => {
    const store = new MemoryStateStore();
    store.set("r", "a", state(1, 10, [["x", 1]]));
    store.set("r", "b", state(2));
    const copy = new MemoryStateStore();
    const report = copy.restore(JSON.parse(JSON.stringify(store.snapshot())));
    assert.deepEqual(report, { restored: true, groups: 2 });
    assert.deepEqual(copy.get("r", "a"), state(1, 10, [["x", 1]]));
    assert.equal(copy.get("r", "b")?.expires, Infinity);
    assert.deepEqual(copy.snapshot(), store.snapshot());
  });

  it("restores garbage as an empty store, with the reason", () => {
    for (const garbage of [null, 42, "text", [], {}, { version: 2, groups: [] }, { version: 1, groups: [["r", "g", "not a time", null, [], []]] }, { version: 1, groups: [["r", "g", 1, null, [[1, 2]], []]] }]) {
      const store = new MemoryStateStore();
      store.set("r", "kept?", state(1));
      const report = store.restore(garbage);
      assert.equal(report.restored, false, JSON.stringify(garbage));
      assert.equal(store.stats().groups, 0);
    }
  });
});

describe("engine state bounds", () => {
  it("keeps a hundred thousand distinct users within maxGroups, and counts what it evicted", () => {
    const engine = engineFor(
      newCountryRules("1d"),
      { limits: { maxGroups: 5000 } },
    );
    const users = 100_000;
    for (let b = 0; b < users; b += 1000) {
      const batch = [];
      for (let i = b; i < b + 1000; i++) {
        batch.push(ev("access_requests", { event: { dataset: "cloudflare.access_requests", outcome: "success" }, user: { email: `user${i}@example.com` }, source: { geo: { country_iso_code: "US" } } }, i));
      }
      engine.process(batch);
    }
    const stats = engine.stats();
    assert.equal(stats.groups, 5000);
    assert.equal(stats.evictions, users - 5000);
    assert.equal(stats.perRule["new-country"].evictions, users - 5000);
    assert.equal(stats.events, users);
    assert.equal(T0 > 0, true);
  });
});
