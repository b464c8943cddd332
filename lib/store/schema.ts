import type { Database } from "better-sqlite3";
import { bucketOf, eventRow, type RowOutcome } from "./event-row";

/**
 * The store's tables, created and migrated in order; `PRAGMA user_version` records how far a file
 * has come, so a newer package opens an older file by running the steps it lacks.
 *
 * - `events`: one row per event: time (epoch ms), dataset, the values summaries group by, and the
 *   event as JSON text. `events_time` serves the time-ordered pruning.
 * - `event_keys`: one row per event and pivot value, clustered by (hour, pivot, value, time,
 *   event) in a WITHOUT ROWID table. Within an hour a pivot query is one range scan, read newest
 *   first so a limit stops it early; a window is a seek per hour. The hour leads because writes
 *   then land in the current hour's small subtree, which stays in the page cache, instead of all
 *   over a tree of millions of values: ingest does not slow down as the store fills. Pruning
 *   re-reads the pivot values from the pruned events' JSON and deletes exactly those rows, which
 *   spares ingest a second index on this table.
 * - `events_facts`: every column but the JSON, in id order: summaries read it instead of the table
 *   itself, so counting a hundred thousand matches reads a few megabytes of small rows rather than
 *   the pages of a hundred thousand events' JSON. It grows at its end, so it costs ingest little.
 * - `key_hours`: the hours that hold key rows, so a query visits those and no others, however wide
 *   its window or however far apart the store's oldest and newest events are.
 */
const MIGRATIONS: ReadonlyArray<string | ((db: Database) => void)> = [
  `CREATE TABLE events (
     id INTEGER PRIMARY KEY,
     time INTEGER NOT NULL,
     dataset TEXT NOT NULL,
     action TEXT,
     source_ip TEXT,
     destination_ip TEXT,
     domain TEXT,
     user TEXT,
     host TEXT,
     body TEXT NOT NULL
   );
   CREATE INDEX events_time ON events (time);
   CREATE TABLE event_keys (
     pivot INTEGER NOT NULL,
     value TEXT NOT NULL,
     time INTEGER NOT NULL,
     event INTEGER NOT NULL,
     PRIMARY KEY (pivot, value, time, event)
   ) WITHOUT ROWID;`,
  (db) => {
    db.exec(`DROP TABLE event_keys;
      CREATE TABLE event_keys (
        bucket INTEGER NOT NULL,
        pivot INTEGER NOT NULL,
        value TEXT NOT NULL,
        time INTEGER NOT NULL,
        event INTEGER NOT NULL,
        PRIMARY KEY (bucket, pivot, value, time, event)
      ) WITHOUT ROWID;`);
    reindex(db);
  },
  `CREATE TABLE key_hours (bucket INTEGER PRIMARY KEY);
   INSERT INTO key_hours SELECT DISTINCT bucket FROM event_keys;`,
  `CREATE INDEX events_facts ON events (id, time, dataset, action, source_ip, destination_ip, domain, user, host);`,
];

/**
 * Writes every stored event's key rows again, from its JSON, into the key table as version 2 has
 * it (a migration step must not change with the code that came after it).
 */
function reindex(db: Database): void {
  const insert = db.prepare("INSERT OR IGNORE INTO event_keys (bucket, pivot, value, time, event) VALUES (?, ?, ?, ?, ?)");
  // A page at a time: a connection cannot write while a statement of its own is still reading.
  const page = db.prepare("SELECT id, body FROM events WHERE id > ? ORDER BY id LIMIT 1000");
  let rows: Array<{ id: number; body: string }>;
  for (let after = 0; (rows = page.all(after) as typeof rows).length > 0; after = rows[rows.length - 1].id) {
    for (const r of rows) {
      let read: RowOutcome;
      try {
        read = eventRow(JSON.parse(r.body));
      } catch {
        continue;
      }
      if (read.ok) for (const [pivot, value] of read.row.keys) insert.run(bucketOf(read.row.time), pivot, value, read.row.time, r.id);
    }
  }
}

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Events are 2–3 KB of JSON each: 16 KiB pages hold several whole rows where 4 KiB pages waste a
 * third of each page, and the key tree is shallower. Takes effect only on a new file.
 */
const PAGE_SIZE = 16384;
/** Page cache per connection: the key tree's upper levels stay in memory at millions of events. */
const CACHE_KIB = 64 * 1024;
/**
 * Pages in the WAL before it is copied into the database (64 MiB): a key page rewritten by many
 * batches is copied once, and the copy's fsync is paid less often. The WAL file is cut back to
 * the same size after each copy, so it does not keep a high-water size.
 */
const WAL_CHECKPOINT_PAGES = 4096;
const WAL_LIMIT_BYTES = WAL_CHECKPOINT_PAGES * PAGE_SIZE;

export interface Pragmas {
  /** How long SQLite itself waits for a lock before answering SQLITE_BUSY. */
  busyTimeoutMs: number;
}

/**
 * WAL lets queries read while a batch is written; synchronous=NORMAL is durable across a crash
 * of the process (only a power loss can drop the last transactions, never corrupt the file).
 */
export function applyPragmas(db: Database, p: Pragmas): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(p.busyTimeoutMs))}`);
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma("journal_mode = WAL");
  db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  db.pragma("synchronous = NORMAL");
  db.pragma(`cache_size = -${CACHE_KIB}`);
  db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
  db.pragma("temp_store = MEMORY");
}

/** Brings the file to the current schema (or `target`); refuses a file written by a newer version. */
export function migrate(db: Database, target = SCHEMA_VERSION): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`the file has schema version ${version}, newer than this package's ${SCHEMA_VERSION}; upgrade the package`);
  }
  if (version >= target) return;
  db.transaction(() => {
    for (let v = version; v < target; v++) {
      const step = MIGRATIONS[v];
      if (typeof step === "string") db.exec(step);
      else step(db);
    }
    db.pragma(`user_version = ${target}`);
  }).immediate();
}
