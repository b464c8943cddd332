import type { Database } from "better-sqlite3";
import type { NormalizedEvent } from "../schema/event";
import { EventPruner } from "./event-pruner";
import { EventQueries } from "./event-queries";
import type { AppendResult, EventQuery, EventStore, EventSummary, StoredEvent, StoreStats } from "./event-store";
import { DEFAULT_MAX_EVENT_BYTES, EventWriter, type PreparedBatch } from "./event-writer";
import { openDatabase, setAside } from "./open-database";
import { failureOf, sqliteCode, StoreError, storeError } from "./store-error";

const DAY_MS = 86_400_000;

export interface StoreLog {
  warn(message: string): void;
  /** A damaged file moved aside and a new store begun: data was lost from view. */
  error(message: string): void;
}

const SILENT: StoreLog = { warn: () => undefined, error: () => undefined };

export interface SqliteEventStoreOptions {
  /** The database file; its folder is created when missing. */
  file: string;
  /** Events older than this many days are pruned; 0 keeps them whatever their age. Default 7. */
  retentionDays?: number;
  /** Pages in use are kept under this many bytes by pruning the oldest events; 0: no cap. Default 1 GB. */
  maxBytes?: number;
  /** How often pruning runs. Default one minute. */
  pruneEveryMs?: number;
  /** Events deleted per pruning transaction: small, so queries wait little. Default 2,000. */
  pruneChunk?: number;
  /**
   * How long SQLite itself waits for another process's lock, enough for another writer's commit.
   * It blocks the event loop while it waits, so it is short (default 10 ms); longer waits are
   * retried asynchronously up to `lockTimeoutMs`.
   */
  busyTimeoutMs?: number;
  /** How long an operation keeps retrying a locked database before it reports it. Default 5 s. */
  lockTimeoutMs?: number;
  /** A single event's JSON above this is refused. Default 1 MiB. */
  maxEventBytes?: number;
  /** The clock retention is measured against. */
  now?: () => number;
  /** Told of problems that are not any one call's: pruning failures, a damaged file moved aside. */
  log?: StoreLog;
}

/** Pruning for the size cap goes this far under it, so that it does not run after every batch. */
const LOW_WATER = 0.9;
/** The file may outgrow the cap by this much between prunes before SQLite refuses to grow it. */
const HARD_LIMIT = 1.25;
const LOCK_RETRY_MS = 50;

interface Handles {
  db: Database;
  writer: EventWriter;
  queries: EventQueries;
  pruner: EventPruner;
}

/**
 * The event store on an embedded SQLite file (DESIGN §5). Opens on first use; a failed open is
 * reported to that call and tried again on the next. better-sqlite3 is synchronous, so each call
 * runs whole on the event loop and calls never interleave inside a transaction; pruning works in
 * small chunks and yields between them.
 */
export class SqliteEventStore implements EventStore {
  readonly file: string;
  private readonly retentionMs: number;
  private readonly maxBytes: number;
  private readonly pruneChunk: number;
  private readonly busyTimeoutMs: number;
  private readonly lockTimeoutMs: number;
  private readonly maxEventBytes: number;
  private readonly now: () => number;
  private readonly log: StoreLog;
  private handles: Handles | null = null;
  private closed = false;
  private pruned = 0;
  private pruning: Promise<number> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(o: SqliteEventStoreOptions) {
    this.file = o.file;
    this.retentionMs = Math.max(0, o.retentionDays ?? 7) * DAY_MS;
    this.maxBytes = Math.max(0, o.maxBytes ?? 1e9);
    this.pruneChunk = Math.max(1, Math.floor(o.pruneChunk ?? 2000));
    this.busyTimeoutMs = o.busyTimeoutMs ?? 10;
    this.lockTimeoutMs = o.lockTimeoutMs ?? 5000;
    this.maxEventBytes = o.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.now = o.now ?? Date.now;
    this.log = o.log ?? SILENT;
    // A store nobody has used yet is not opened just to prune it.
    this.timer = setInterval(() => {
      if (this.handles) void this.prune().catch((err: Error) => this.log.warn(err.message));
    }, o.pruneEveryMs ?? 60_000);
    this.timer.unref();
  }

  async append(events: NormalizedEvent[]): Promise<AppendResult> {
    const list = Array.isArray(events) ? events : [events];
    let prepared: PreparedBatch | null = null;
    const result = await this.run("appending events", (h) => this.writeMakingRoom(h, (prepared ??= h.writer.prepare(list))));
    if (this.maxBytes > 0 && !this.pruning && this.handles && this.handles.pruner.usedBytes() > this.maxBytes) {
      void this.prune().catch((err: Error) => this.log.warn(err.message));
    }
    return result;
  }

  async query(q: EventQuery): Promise<StoredEvent[]> {
    return this.run("querying events", (h) => h.queries.query(q));
  }

  async summarize(q: EventQuery, topN: number): Promise<EventSummary> {
    return this.run("summarizing events", (h) => h.queries.summarize(q, topN));
  }

  async stats(): Promise<StoreStats> {
    return this.run("reading the store's size", (h) => {
      // min and max as subqueries: each is then one seek on the time index, not a scan.
      const row = h.db.prepare("SELECT count(*) AS n, (SELECT min(time) FROM events) AS oldest, (SELECT max(time) FROM events) AS newest FROM events").get() as {
        n: number;
        oldest: number | null;
        newest: number | null;
      };
      const stats: StoreStats = { events: row.n, bytes: h.pruner.usedBytes(), pruned: this.pruned };
      if (row.oldest !== null) stats.oldest = new Date(row.oldest).toISOString();
      if (row.newest !== null) stats.newest = new Date(row.newest).toISOString();
      return stats;
    });
  }

  /**
   * One pruning pass, now: events past retention, then the oldest until the pages in use are
   * under the cap. Runs on its timer as well; a pass already running is shared, not doubled.
   * Returns the number of events removed.
   */
  prune(): Promise<number> {
    this.pruning ??= this.prunePass().finally(() => {
      this.pruning = null;
    });
    return this.pruning;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.pruning?.catch(() => undefined);
    const h = this.handles;
    this.handles = null;
    h?.db.close();
  }

  private async prunePass(): Promise<number> {
    let removed = 0;
    if (this.retentionMs > 0) {
      const cutoff = this.now() - this.retentionMs;
      removed += await this.inChunks("pruning events past retention", (p) => p.olderThanCutoff(cutoff, this.pruneChunk), () => true);
    }
    if (this.maxBytes > 0 && this.open().pruner.usedBytes() > this.maxBytes) {
      const target = this.maxBytes * LOW_WATER;
      removed += await this.inChunks("pruning the oldest events for the size cap", (p) => p.oldestEvents(this.pruneChunk), (p) => p.usedBytes() > target);
    }
    return removed;
  }

  /**
   * Removes a chunk at a time while `more` holds, yielding to other work between chunks, until a
   * chunk comes back short (nothing more to remove) or the store closes.
   */
  private async inChunks(doing: string, chunk: (p: EventPruner) => number, more: (p: EventPruner) => boolean): Promise<number> {
    let removed = 0;
    while (!this.closed) {
      const pruner = this.open().pruner;
      let n: number;
      try {
        if (!more(pruner)) break;
        n = chunk(pruner);
      } catch (err) {
        throw storeError(err, doing, this.file);
      }
      removed += n;
      this.pruned += n;
      if (n < this.pruneChunk) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return removed;
  }

  /**
   * On a full disk, or at the hard limit past the size cap, the batch displaces the oldest events,
   * a chunk at a time, trying again after each, but never more than twice its own number of
   * events: a batch that still does not fit is reported as not written rather than emptying the
   * store.
   */
  private writeMakingRoom(h: Handles, batch: PreparedBatch): AppendResult {
    const most = 2 * batch.rows.length;
    let displaced = 0;
    for (;;) {
      try {
        const result = h.writer.write(batch);
        if (displaced > 0) this.log.warn(`event store ${this.file}: out of space; removed the ${displaced} oldest events to make room`);
        return result;
      } catch (err) {
        if (failureOf(sqliteCode(err)) !== "full" || displaced >= most) throw err;
        const n = h.pruner.oldestEvents(Math.min(this.pruneChunk, most - displaced));
        if (n === 0) throw err;
        displaced += n;
        this.pruned += n;
      }
    }
  }

  /** Runs `fn` on the open database, retrying a locked database until the lock timeout. */
  private async run<T>(doing: string, fn: (h: Handles) => T): Promise<T> {
    const deadline = Date.now() + this.lockTimeoutMs;
    for (;;) {
      try {
        return fn(this.open());
      } catch (err) {
        const e = storeError(err, doing, this.file);
        if (e.failure === "corrupt") throw this.setAsideDamaged(e);
        if (e.failure !== "locked" || Date.now() >= deadline) throw e;
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }

  /**
   * SQLite found damage while working: the file is closed and set aside, loudly, and the next call
   * starts a new store, so recording goes on. This call still fails with what was found.
   */
  private setAsideDamaged(found: StoreError): StoreError {
    const h = this.handles;
    this.handles = null;
    try {
      h?.db.close();
      const aside = setAside(this.file, this.now());
      const message = `${found.message}; moved the damaged file to ${aside}, and a new, empty store starts with the next write`;
      this.log.error(message);
      return new StoreError("corrupt", message, found.code);
    } catch (err) {
      return new StoreError("corrupt", `${found.message}; it could not be set aside: ${(err as Error).message}`, found.code);
    }
  }

  private open(): Handles {
    if (this.closed) throw new StoreError("closed", `event store ${this.file} is closed`);
    if (this.handles) return this.handles;
    const db = openDatabase({ file: this.file, busyTimeoutMs: this.busyTimeoutMs, onRecovered: (m) => this.log.error(m), now: this.now });
    try {
      if (this.maxBytes > 0) {
        const pageSize = db.pragma("page_size", { simple: true }) as number;
        db.pragma(`max_page_count = ${Math.ceil((this.maxBytes * HARD_LIMIT) / pageSize)}`);
      }
      this.handles = { db, writer: new EventWriter(db, this.maxEventBytes), queries: new EventQueries(db), pruner: new EventPruner(db) };
    } catch (err) {
      db.close();
      throw err;
    }
    return this.handles;
  }
}
