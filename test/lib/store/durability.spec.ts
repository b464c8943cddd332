import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { migrate, SCHEMA_VERSION } from "../../../lib/store/schema";
import { SqliteEventStore } from "../../../lib/store/sqlite-event-store";
import { connect, httpEvent, MINUTE, networkEvent, T0, TempDir } from "./events";

const ev = (i: number, src = "203.0.113.10") => (i % 2 ? networkEvent : httpEvent)({ at: T0 + i * MINUTE, src, session: `s-${i}` });
const bySource = (value: string) => ({ pivot: "source_ip" as const, value, from: T0, to: T0 + 10_000 * MINUTE, limit: 10_000 });

describe("event store: durability and concurrency", () => {
  const tmp = new TempDir();

  beforeEach(async () => {
    await tmp.make();
  });
  afterEach(async () => {
    await tmp.remove();
  });

  it("keeps what it wrote across a close and reopen", async () => {
    let store = new SqliteEventStore({ file: tmp.file(), retentionDays: 0 });
    await store.append(Array.from({ length: 50 }, (_, i) => ev(i)));
    await store.close();
    store = new SqliteEventStore({ file: tmp.file(), retentionDays: 0 });
    try {
      assert.equal((await store.stats()).events, 50);
      const found = await store.query(bySource("203.0.113.10"));
      assert.equal(found.length, 50);
      assert.deepEqual(found[49].event, JSON.parse(JSON.stringify(ev(49))));
      await store.append([ev(50)]);
      assert.equal((await store.stats()).events, 51);
    } finally {
      await store.close();
    }
  });

  it("opens a file of the first schema version and indexes its events for the current one", async () => {
    const old = connect(tmp.file());
    migrate(old, 1);
    const insert = old.prepare("INSERT INTO events (time, dataset, body) VALUES (?, ?, ?)");
    for (let i = 0; i < 3; i++) insert.run(T0 + 2 * i * MINUTE, "gateway_http", JSON.stringify(ev(2 * i)));
    insert.run(T0, "gateway_http", "{not json");
    old.close();
    const store = new SqliteEventStore({ file: tmp.file(), retentionDays: 0 });
    try {
      assert.equal((await store.query(bySource("203.0.113.10"))).length, 3);
      assert.equal((await store.query({ ...bySource("s-4"), pivot: "session" })).length, 1);
      const db = connect(tmp.file(), { readonly: true });
      assert.equal(db.pragma("user_version", { simple: true }), SCHEMA_VERSION);
      db.close();
    } finally {
      await store.close();
    }
  });

  it("refuses a file of a newer schema version instead of guessing at it", async () => {
    const newer = connect(tmp.file());
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    const store = new SqliteEventStore({ file: tmp.file(), retentionDays: 0 });
    try {
      await assert.rejects(store.stats(), /schema version \d+, newer than this package's/);
    } finally {
      await store.close();
    }
  });

  it("keeps what it wrote when the process dies without closing", () => {
    // A child process appends, then exits at once: no close, no checkpoint.
    const script = `
      const { SqliteEventStore } = require(${JSON.stringify(path.resolve(__dirname, "../../../lib/store/sqlite-event-store"))});
      const { httpEvent, T0 } = require(${JSON.stringify(path.resolve(__dirname, "events"))});
      const store = new SqliteEventStore({ file: process.argv[1], retentionDays: 0 });
      store.append([httpEvent({ at: T0, session: "before-crash" })]).then((r) => {
        if (r.written !== 1) process.exit(2);
        process.kill(process.pid, "SIGKILL");
      });`;
    const child = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script, tmp.file()], { encoding: "utf8" });
    assert.equal(child.signal, "SIGKILL", child.stderr);
    const db = connect(tmp.file(), { readonly: true });
    try {
      assert.equal((db.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n, 1);
    } finally {
      db.close();
    }
  });

  it("answers queries between appends with every batch written so far, each whole", async () => {
    const store = new SqliteEventStore({ file: tmp.file(), retentionDays: 0 });
    try {
      const work: Array<Promise<unknown>> = [];
      const seen: number[] = [];
      for (let b = 0; b < 20; b++) {
        work.push(store.append(Array.from({ length: 25 }, (_, i) => ev(b * 25 + i))));
        work.push(store.query(bySource("203.0.113.10")).then((found) => seen.push(found.length)));
      }
      await Promise.all(work);
      // every query saw whole batches only, and never fewer than the one before
      for (const n of seen) assert.equal(n % 25, 0, `a query saw ${n} events: part of a batch`);
      assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
      assert.equal(seen[seen.length - 1], 500);
    } finally {
      await store.close();
    }
  });

  it("reads its own and another connection's writes while the other writes", async () => {
    const store = new SqliteEventStore({ file: tmp.file(), retentionDays: 0 });
    await store.append([ev(0)]);
    // A second writer on the same file, as a second Node-RED or a shared store would be.
    const other = new SqliteEventStore({ file: tmp.file(), retentionDays: 0 });
    try {
      const counts: number[] = [];
      for (let b = 0; b < 10; b++) {
        const writing = other.append(Array.from({ length: 20 }, (_, i) => ev(1000 + b * 20 + i, "198.51.100.1")));
        const reading = store.query(bySource("198.51.100.1")).then((found) => counts.push(found.length));
        await Promise.all([writing, reading, store.append([ev(b + 1)])]);
      }
      assert.equal((await store.query(bySource("198.51.100.1"))).length, 200);
      assert.equal((await store.query(bySource("203.0.113.10"))).length, 11);
      assert.ok(counts.every((n) => n % 20 === 0));
      assert.equal((await other.stats()).events, 211);
    } finally {
      await other.close();
      await store.close();
    }
  });

  it("lets a query run while another connection holds a write transaction open", async () => {
    const store = new SqliteEventStore({ file: tmp.file(), retentionDays: 0 });
    await store.append([ev(0), ev(1)]);
    const writer = connect(tmp.file());
    try {
      writer.exec("BEGIN IMMEDIATE; DELETE FROM events;");
      // the uncommitted delete is invisible, and the query does not wait for it
      assert.equal((await store.query(bySource("203.0.113.10"))).length, 2);
      writer.exec("ROLLBACK");
    } finally {
      writer.close();
      await store.close();
    }
  });
});
