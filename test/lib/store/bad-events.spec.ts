import assert from "node:assert/strict";
import type { NormalizedEvent } from "../../../lib/schema/event";
import { SqliteEventStore } from "../../../lib/store/sqlite-event-store";
import { httpEvent, MINUTE, T0, TempDir } from "./events";

const good = (i: number) => httpEvent({ at: T0 + i * MINUTE, session: `good-${i}` });
const asEvents = (list: unknown[]) => list as NormalizedEvent[];
const all = { from: T0 - 1000 * MINUTE, to: T0 + 1000 * MINUTE, limit: 100 };

describe("event store: malformed, hostile and oversized events", () => {
  const tmp = new TempDir();
  let store: SqliteEventStore;

  beforeEach(async () => {
    await tmp.make();
    store = new SqliteEventStore({ file: tmp.file(), retentionDays: 0, maxEventBytes: 100_000 });
  });
  afterEach(async () => {
    await store.close();
    await tmp.remove();
  });

  it("refuses events without a usable time or dataset, with the reason, and writes the rest of the batch", async () => {
    const { "@timestamp": _dropped, ...noTime } = good(1);
    const circular: Record<string, unknown> = { ...good(7) };
    circular.self = circular;
    const batch = asEvents([
      good(0),
      noTime,
      { ...good(2), "@timestamp": "yesterday-ish" },
      { ...good(10), "@timestamp": 1e300 },
      { ...good(3), event: { ...good(3).event, dataset: "" } },
      { ...good(4), event: undefined },
      null,
      "a string",
      [good(5)],
      circular,
      { ...good(8), big: 10n },
      good(9),
    ]);
    const result = await store.append(batch);
    assert.equal(result.written, 2);
    assert.deepEqual(
      result.rejected.map((r) => [r.index, r.reason.replace(/:.*/, "")]),
      [
        [1, "no @timestamp"],
        [2, "@timestamp is not a readable time"],
        [3, "@timestamp is not a readable time"],
        [4, "no event.dataset"],
        [5, "no event.dataset"],
        [6, "not an event object"],
        [7, "not an event object"],
        [8, "not an event object"],
        [9, "not serializable as JSON"],
        [10, "not serializable as JSON"],
      ],
    );
    const stored = await store.query({ pivot: "user", value: "jane.doe@example.com", ...all });
    assert.deepEqual(
      stored.map((e) => e.event.event.id),
      [good(0).event.id, good(9).event.id],
    );
  });

  it("refuses an event larger than the limit and keeps the others of its batch", async () => {
    const huge = { ...good(1), message: "A".repeat(200_000) };
    const multiByte = { ...good(2), message: "é".repeat(60_000) };
    const result = await store.append([good(0), huge, multiByte, good(3)]);
    assert.deepEqual(result.rejected, [
      { index: 1, reason: "larger than 100000 bytes as JSON" },
      { index: 2, reason: "larger than 100000 bytes as JSON" },
    ]);
    assert.equal(result.written, 2);
  });

  it("stores hostile strings as data: quotes, SQL, NUL and control characters, prototype names, lone surrogates", async () => {
    const nasty = [`x'); DROP TABLE events; --`, "a\u0000b", "\u202e\u0007\r\n", "__proto__", "constructor", "\ud800", "%s%n", "😀".repeat(50)];
    const events = nasty.map((value, i) => {
      const e = good(10 + i);
      e.user = { email: value, name: value };
      e.related.user = [value];
      e.related.hosts = [value];
      e.host = { name: value };
      e.message = value;
      return e;
    });
    assert.equal((await store.append(events)).written, nasty.length);
    for (const [i, value] of nasty.entries()) {
      const found = await store.query({ pivot: "user", value, ...all });
      assert.equal(found.length, 1, JSON.stringify(value));
      assert.equal(found[0].event.message, JSON.parse(JSON.stringify(value)));
      assert.equal(found[0].event.event.id, events[i].event.id);
      const summary = await store.summarize({ pivot: "host", value, ...all }, 5);
      assert.equal(summary.total, 1);
    }
    assert.equal((await store.stats()).events, nasty.length);
  });

  it("ignores pivot values of the wrong type or absurd length, and bounds the keys one event can add", async () => {
    const e = good(0) as unknown as Record<string, unknown>;
    e.source = { ip: 42 };
    e.destination = { ip: { nested: true }, domain: ["a.example"] };
    e.user = { email: "x".repeat(10_000) };
    e.related = { ip: Array.from({ length: 5000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`), user: "not-a-list", hosts: [null, 7, "ok-host"] };
    assert.equal((await store.append(asEvents([e]))).written, 1);
    assert.equal((await store.query({ pivot: "host", value: "ok-host", ...all })).length, 1);
    assert.equal((await store.query({ pivot: "ip", value: "10.0.0.63", ...all })).length, 1);
    assert.equal((await store.query({ pivot: "ip", value: "10.0.19.135", ...all })).length, 0, "past the per-list bound");
    assert.equal((await store.query({ pivot: "user", value: "x".repeat(10_000), ...all })).length, 0);
  });

  it("takes @timestamp as epoch milliseconds too", async () => {
    const e = { ...good(0), "@timestamp": T0 + 1234 } as unknown as NormalizedEvent;
    assert.equal((await store.append([e])).written, 1);
    const [found] = await store.query({ pivot: "session", value: "good-0", ...all });
    assert.equal(found.time, T0 + 1234);
  });

  it("takes a single event where a batch is expected", async () => {
    assert.equal((await store.append(good(0) as unknown as NormalizedEvent[])).written, 1);
  });
});
