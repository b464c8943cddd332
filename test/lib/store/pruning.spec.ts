import assert from "node:assert/strict";
import { SqliteEventStore } from "../../../lib/store/sqlite-event-store";
import { connect, httpEvent, MINUTE, networkEvent, T0, TempDir } from "./events";

const DAY = 24 * 60 * MINUTE;

/** `n` events a minute apart from `start`, each from its own address so every one can be found. */
function minutes(n: number, start: number, tag = 0) {
  return Array.from({ length: n }, (_, i) =>
    (i % 2 ? networkEvent : httpEvent)({ at: start + i * MINUTE, src: `10.${tag}.${(i >> 8) & 255}.${i & 255}`, session: `s-${tag}-${i}` }),
  );
}

/** Pages the file holds, read by a second connection as any other process would. */
function filePages(file: string): number {
  const db = connect(file, { readonly: true });
  try {
    return db.pragma("page_count", { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe("event store: retention and size cap", () => {
  const tmp = new TempDir();
  let store: SqliteEventStore | undefined;

  beforeEach(async () => {
    await tmp.make();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await tmp.remove();
  });

  it("removes events older than the retention, measured on its clock, and counts them", async () => {
    let now = T0;
    store = new SqliteEventStore({ file: tmp.file(), retentionDays: 2, maxBytes: 0, pruneChunk: 7, now: () => now });
    // three days, one event an hour
    const events = Array.from({ length: 72 }, (_, h) => httpEvent({ at: T0 + h * 60 * MINUTE, session: `h-${h}` }));
    await store.append(events);
    assert.equal(await store.prune(), 0, "nothing is older than two days yet");

    now = T0 + 3 * DAY;
    assert.equal(await store.prune(), 24);
    const stats = await store.stats();
    assert.equal(stats.events, 48);
    assert.equal(stats.pruned, 24);
    assert.equal(stats.oldest, new Date(T0 + DAY).toISOString());
    assert.deepEqual(await store.query({ pivot: "session", value: "h-23", from: T0, to: T0 + 3 * DAY, limit: 5 }), []);
    assert.equal((await store.query({ pivot: "session", value: "h-24", from: T0, to: T0 + 3 * DAY, limit: 5 })).length, 1);
    // the pruned events' key rows went with them
    const db = connect(tmp.file(), { readonly: true });
    const orphans = db.prepare("SELECT count(*) AS n FROM event_keys k LEFT JOIN events e ON e.id = k.event WHERE e.id IS NULL").get() as { n: number };
    // and the hours they emptied are no longer visited by queries
    const hours = db.prepare("SELECT min(bucket) AS first, count(*) AS n FROM key_hours").get() as { first: number; n: number };
    db.close();
    assert.equal(orphans.n, 0);
    assert.deepEqual(hours, { first: (T0 + DAY) / 3_600_000, n: 48 });
  });

  it("prunes on its own timer while running", async () => {
    let now = T0;
    store = new SqliteEventStore({ file: tmp.file(), retentionDays: 1, maxBytes: 0, pruneEveryMs: 20, now: () => now });
    await store.append(minutes(10, T0));
    now = T0 + 2 * DAY;
    const deadline = Date.now() + 5000;
    while ((await store.stats()).events > 0) {
      assert.ok(Date.now() < deadline, "the timer did not prune");
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal((await store.stats()).pruned, 10);
  });

  it("keeps the pages in use under the size cap by removing the oldest events, and reuses their space", async () => {
    const cap = 2_000_000;
    store = new SqliteEventStore({ file: tmp.file(), retentionDays: 0, maxBytes: cap, pruneChunk: 50 });
    let start = T0;
    for (let batch = 0; batch < 12; batch++) {
      const result = await store.append(minutes(200, start, batch));
      assert.equal(result.written, 200);
      start += 200 * MINUTE;
    }
    await store.prune();
    const stats = await store.stats();
    assert.ok(stats.bytes <= cap, `${stats.bytes} bytes in use, cap ${cap}`);
    assert.ok(stats.pruned > 0 && stats.events + stats.pruned === 2400, `${stats.events} kept + ${stats.pruned} pruned`);
    assert.equal(stats.newest, new Date(start - MINUTE).toISOString(), "the newest events are kept");
    assert.ok(Date.parse(stats.oldest!) > T0, "the oldest events went");
    assert.equal((await store.query({ pivot: "session", value: "s-11-199", from: T0, to: start, limit: 1 })).length, 1);
    assert.deepEqual(await store.query({ pivot: "session", value: "s-0-0", from: T0, to: start, limit: 1 }), []);

    // Freed pages are reused: more events of the same size do not grow the file.
    const pages = filePages(tmp.file());
    await store.append(minutes(100, start, 12));
    await store.prune();
    assert.equal(filePages(tmp.file()), pages);
  });

  it("never lets the file grow far past the cap between prunes: the oldest events make room", async () => {
    const cap = 1_000_000;
    store = new SqliteEventStore({ file: tmp.file(), retentionDays: 0, maxBytes: cap, pruneEveryMs: 3_600_000, pruneChunk: 100 });
    let start = T0;
    for (let batch = 0; batch < 8; batch++) {
      assert.equal((await store.append(minutes(150, start, batch))).written, 150);
      start += 150 * MINUTE;
      assert.ok(filePages(tmp.file()) * 16384 <= cap * 1.25 + 16384, `file ${filePages(tmp.file()) * 16384} bytes after batch ${batch}`);
    }
    assert.ok((await store.stats()).pruned > 0);
  });
});
