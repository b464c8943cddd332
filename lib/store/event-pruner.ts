import type { Database, Statement } from "better-sqlite3";
import { bucketOf, eventRow } from "./event-row";

/**
 * Removes the oldest events a chunk at a time, each chunk its own short transaction, so queries
 * and appends get the database between chunks.
 *
 * Freed pages go to SQLite's free list and the next appends reuse them: the file grows to about
 * the size cap and then stays there, never returned to the operating system. That is the choice
 * that lets the store make room on a full disk (pruning frees pages inside the file, which a
 * rewrite such as VACUUM would need free disk space to do) and keeps appends from paying to grow
 * the file again after every prune. The size that counts against the cap is therefore the pages
 * in use, not the file's length.
 */
export class EventPruner {
  private readonly olderThan: Statement;
  private readonly oldest: Statement;
  private readonly deleteEvent: Statement;
  private readonly deleteKey: Statement;
  private readonly oldestTime: Statement;
  private readonly dropHours: Statement;
  private readonly remove: (rows: PrunedRow[]) => void;

  constructor(private readonly db: Database) {
    this.olderThan = db.prepare("SELECT id, time, body FROM events WHERE time < ? ORDER BY time LIMIT ?");
    this.oldest = db.prepare("SELECT id, time, body FROM events ORDER BY time LIMIT ?");
    this.deleteEvent = db.prepare("DELETE FROM events WHERE id = ?");
    this.deleteKey = db.prepare("DELETE FROM event_keys WHERE bucket = ? AND pivot = ? AND value = ? AND time = ? AND event = ?");
    // Hours below the oldest event left are empty; an emptied hour above it costs a query one seek.
    this.oldestTime = db.prepare("SELECT min(time) FROM events").pluck();
    this.dropHours = db.prepare("DELETE FROM key_hours WHERE bucket < ?");
    this.remove = db.transaction((rows: PrunedRow[]) => {
      for (const r of rows) {
        this.deleteEvent.run(r.id);
        const read = safeRow(r.body);
        if (read) for (const [pivot, value] of read) this.deleteKey.run(bucketOf(r.time), pivot, value, r.time, r.id);
      }
      const oldest = this.oldestTime.get() as number | null;
      this.dropHours.run(oldest === null ? Number.MAX_SAFE_INTEGER : bucketOf(oldest));
    });
  }

  /** Deletes up to `chunk` events with a time before `cutoff`; returns how many. */
  olderThanCutoff(cutoff: number, chunk: number): number {
    const rows = this.olderThan.all(cutoff, chunk) as PrunedRow[];
    if (rows.length > 0) this.remove(rows);
    return rows.length;
  }

  /** Deletes the `chunk` oldest events; returns how many. */
  oldestEvents(chunk: number): number {
    const rows = this.oldest.all(chunk) as PrunedRow[];
    if (rows.length > 0) this.remove(rows);
    return rows.length;
  }

  /** Bytes in pages that hold data: the file's size less its free list. */
  usedBytes(): number {
    const pages = this.db.pragma("page_count", { simple: true }) as number;
    const free = this.db.pragma("freelist_count", { simple: true }) as number;
    const size = this.db.pragma("page_size", { simple: true }) as number;
    return (pages - free) * size;
  }
}

interface PrunedRow {
  id: number;
  time: number;
  body: string;
}

/**
 * The key rows an event was written with, read again from its JSON. An unreadable body (the file
 * was damaged) leaves its key rows behind; the queries' join on id and time never returns them.
 */
function safeRow(body: string): Array<[number, string]> | null {
  try {
    const read = eventRow(JSON.parse(body));
    return read.ok ? read.row.keys : null;
  } catch {
    return null;
  }
}
