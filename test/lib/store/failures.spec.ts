import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, openSync, readdirSync, readFileSync, closeSync, writeFileSync, writeSync, statSync, unlinkSync } from "node:fs";
import { SqliteEventStore, type StoreLog } from "../../../lib/store/sqlite-event-store";
import { StoreError } from "../../../lib/store/store-error";
import { connect, httpEvent, MINUTE, T0, TempDir } from "./events";

const jane = (i: number) => httpEvent({ at: T0 + i * MINUTE, session: `s-${i}` });
const window = { pivot: "user" as const, value: "jane.doe@example.com", from: T0, to: T0 + 1000 * MINUTE, limit: 1000 };

/** What the store logged, by level. */
class Logged implements StoreLog {
  warnings: string[] = [];
  errors: string[] = [];
  warn(m: string) {
    this.warnings.push(m);
  }
  error(m: string) {
    this.errors.push(m);
  }
}

async function rejection(p: Promise<unknown>): Promise<StoreError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StoreError, `not a StoreError: ${err}`);
    return err;
  }
  assert.fail("expected the call to fail");
}

/**
 * Makes a file unwritable for this process. Root ignores permission bits, so as root the file is
 * made immutable instead (ext4 and most Linux file systems); the store sees the same refusal.
 */
function makeReadOnly(file: string): () => void {
  if (process.getuid?.() === 0) {
    execFileSync("chattr", ["+i", file]);
    return () => execFileSync("chattr", ["-i", file]);
  }
  chmodSync(file, 0o444);
  return () => chmodSync(file, 0o644);
}

describe("event store: failures are reported, never thrown past the store", () => {
  const tmp = new TempDir();
  const stores: SqliteEventStore[] = [];
  const open = (o: Partial<ConstructorParameters<typeof SqliteEventStore>[0]> = {}) => {
    const s = new SqliteEventStore({ file: tmp.file(), retentionDays: 0, ...o });
    stores.push(s);
    return s;
  };

  beforeEach(async () => {
    await tmp.make();
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await tmp.remove();
  });

  it("sets a file that is not a database aside, says so loudly, and starts a new store", async () => {
    writeFileSync(tmp.file(), "this is not a database, it is a note somebody left here\n".repeat(100));
    const log = new Logged();
    const store = open({ log });
    assert.deepEqual(await store.append([jane(0)]), { written: 1, rejected: [] });
    assert.equal(log.errors.length, 1);
    assert.match(log.errors[0], /is not a usable SQLite database \(SQLITE_NOTADB.*moved it to .*events\.db\.corrupt-.* and started a new, empty store/);
    const aside = readdirSync(tmp.dir).find((f) => f.startsWith("events.db.corrupt-"));
    assert.ok(aside, "the damaged file is kept");
    assert.match(readFileSync(`${tmp.dir}/${aside}`, "utf8"), /^this is not a database/);
    assert.equal((await store.stats()).events, 1);
  });

  it("sets a file damaged inside aside when SQLite finds the damage, and records again on the next call", async () => {
    let store = open();
    for (let b = 0; b < 5; b++) await store.append(Array.from({ length: 100 }, (_, i) => jane(b * 100 + i)));
    await store.close();
    // Everything after the header page is overwritten: the schema still reads, the tables do not.
    const size = statSync(tmp.file()).size;
    const fd = openSync(tmp.file(), "r+");
    writeSync(fd, Buffer.alloc(size - 16384, 0xa5), 0, size - 16384, 16384);
    closeSync(fd);

    const log = new Logged();
    store = open({ log });
    const err = await rejection(store.query(window));
    assert.equal(err.failure, "corrupt");
    assert.equal(err.short, "database corrupt");
    assert.match(err.message, /SQLITE_CORRUPT.*moved the damaged file to .*events\.db\.corrupt-/);
    assert.equal(log.errors.length, 1);
    assert.deepEqual(await store.append([jane(0)]), { written: 1, rejected: [] });
    assert.equal((await store.query(window)).length, 1);
    assert.ok(readdirSync(tmp.dir).some((f) => f.startsWith("events.db.corrupt-")));
  });

  it("reports a database locked by another process once the lock timeout passes, and works again when it is released", async () => {
    const store = open({ lockTimeoutMs: 300 });
    await store.append([jane(0)]);
    const other = connect(tmp.file());
    try {
      other.exec("BEGIN EXCLUSIVE");
      const started = Date.now();
      const err = await rejection(store.append([jane(1)]));
      assert.equal(err.failure, "locked");
      assert.equal(err.short, "database locked");
      assert.match(err.message, /appending events failed: another process holds the database lock \(SQLITE_BUSY/);
      assert.ok(Date.now() - started >= 300, "retried until the lock timeout");
      // WAL: readers are not held up by another process's write lock
      assert.equal((await store.query(window)).length, 1);
      other.exec("COMMIT");
    } finally {
      other.close();
    }
    assert.equal((await store.append([jane(1)])).written, 1);
  });

  it("waits for a lock released within the lock timeout, without blocking the event loop", async () => {
    const store = open({ lockTimeoutMs: 5000 });
    await store.append([jane(0)]);
    const other = connect(tmp.file());
    other.exec("BEGIN EXCLUSIVE");
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    setTimeout(() => {
      other.exec("COMMIT");
      other.close();
    }, 200);
    try {
      assert.equal((await store.append([jane(1)])).written, 1);
    } finally {
      clearInterval(ticker);
    }
    assert.ok(ticks >= 5, `the event loop ran ${ticks} timer ticks while the store waited`);
  });

  it("reports a file held in exclusive locking mode by another connection, even when opening", async () => {
    const other = connect(tmp.file());
    try {
      other.pragma("locking_mode = EXCLUSIVE");
      other.exec("CREATE TABLE held (x); INSERT INTO held VALUES (1)");
      const store = open({ lockTimeoutMs: 200 });
      const err = await rejection(store.append([jane(0)]));
      assert.equal(err.failure, "locked");
    } finally {
      other.close();
    }
  });

  it("keeps answering queries on a read-only file and reports each write as read-only", async () => {
    let store = open();
    await store.append([jane(0), jane(1)]);
    await store.close();
    const undo = makeReadOnly(tmp.file());
    try {
      store = open();
      assert.equal((await store.query(window)).length, 2);
      const err = await rejection(store.append([jane(2)]));
      assert.equal(err.failure, "readonly");
      assert.equal(err.short, "read-only");
      assert.match(err.message, /the file or its folder is read-only \(SQLITE_READONLY/);
      assert.equal((await store.stats()).events, 2);
    } finally {
      await store.close();
      undo();
    }
  });

  it("reports a batch that does not fit even after displacing the oldest events as disk full, and keeps the store usable", async () => {
    const log = new Logged();
    // 1 MB cap: SQLite refuses to grow the file past 1.25 MB, exactly as a full disk refuses a write
    const store = open({ maxBytes: 1_000_000, log });
    assert.equal((await store.append(Array.from({ length: 100 }, (_, i) => jane(i)))).written, 100);
    const padding = "x".repeat(200_000);
    const huge = Array.from({ length: 10 }, (_, i) => ({ ...jane(200 + i), message: padding }));
    const err = await rejection(store.append(huge));
    assert.equal(err.failure, "full");
    assert.equal(err.short, "disk full");
    assert.match(err.message, /appending events failed: the disk is full .*\(SQLITE_FULL/);
    // the batch displaced at most twice its own number of events, and none of it was written
    const stats = await store.stats();
    assert.equal(stats.events, 100 - 20);
    assert.equal((await store.query({ ...window, value: "jane.doe@example.com" })).filter((e) => e.event.message).length, 0);
    assert.equal((await store.append([jane(300)])).written, 1);
  });

  it("refuses every call once closed, with a clear reason", async () => {
    const store = open();
    await store.append([jane(0)]);
    await store.close();
    assert.equal((await rejection(store.query(window))).failure, "closed");
    assert.equal((await rejection(store.append([jane(1)]))).failure, "closed");
    await store.close();
  });

  it("reports a folder that cannot be created, and opens once it can", async () => {
    writeFileSync(tmp.file("blocker"), "");
    const store = open({ file: `${tmp.file("blocker")}/events.db` });
    const err = await rejection(store.stats());
    assert.equal(err.failure, "cantopen");
    assert.match(err.message, /cannot create its folder/);
    unlinkSync(tmp.file("blocker"));
    assert.equal((await store.stats()).events, 0);
    assert.ok(existsSync(`${tmp.file("blocker")}/events.db`));
  });
});
