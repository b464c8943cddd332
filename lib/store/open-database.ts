import fs from "node:fs";
import path from "node:path";
import Sqlite, { type Database } from "better-sqlite3";
import { applyPragmas, migrate } from "./schema";
import { failureOf, sqliteCode, StoreError, storeError } from "./store-error";

/**
 * Where a prebuilt better-sqlite3 addon lives, for a runtime other than the one `npm install`
 * built it for (the Node-RED 5 test run on Node 24, or a container that ships its own build).
 */
const NATIVE_BINDING_ENV = "ZTNA_SQLITE_BINDING";

/** better-sqlite3's options naming the addon to load, when the environment names one. */
export function bindingOptions(): { nativeBinding?: string } {
  const binding = process.env[NATIVE_BINDING_ENV];
  return binding ? { nativeBinding: binding } : {};
}

export interface OpenOptions {
  file: string;
  busyTimeoutMs: number;
  /** Told, loudly, when a damaged file was moved aside. */
  onRecovered: (message: string) => void;
  now: () => number;
}

/**
 * Opens (creating if needed) the store's file, set up and migrated. A file that is not a SQLite
 * database, or whose schema is damaged, is renamed to `<file>.corrupt-<time>` (with its WAL and
 * shared-memory files) and a new, empty store is started in its place: telemetry keeps being
 * recorded, and the old file is kept for whoever wants to try to recover it. Any other failure
 * (read-only, locked, cannot open) is thrown as a StoreError and leaves the file alone.
 */
export function openDatabase(o: OpenOptions): Database {
  try {
    fs.mkdirSync(path.dirname(o.file), { recursive: true });
  } catch (err) {
    throw new StoreError("cantopen", `event store ${o.file}: cannot create its folder: ${(err as Error).message}`);
  }
  try {
    return openAndMigrate(o);
  } catch (err) {
    if (failureOf(sqliteCode(err)) !== "corrupt") throw storeError(err, "opening", o.file);
    const aside = setAside(o.file, o.now());
    o.onRecovered(
      `event store ${o.file} is not a usable SQLite database (${sqliteCode(err)}: ${(err as Error).message}); ` +
        `moved it to ${aside} and started a new, empty store`,
    );
    try {
      return openAndMigrate(o);
    } catch (again) {
      throw storeError(again, "opening a new store after moving the damaged one aside", o.file);
    }
  }
}

function openAndMigrate(o: OpenOptions): Database {
  const db = new Sqlite(o.file, bindingOptions());
  try {
    applyPragmas(db, { busyTimeoutMs: o.busyTimeoutMs });
    migrate(db);
    // Reading the schema catches a damaged header that opening alone does not notice.
    db.prepare("SELECT count(*) FROM sqlite_schema").get();
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StoreError || sqliteCode(err)) throw err;
    throw new StoreError("other", `event store ${o.file}: ${(err as Error).message}`);
  }
}

/** Renames a damaged database, with its WAL and shared-memory files, out of the way; returns the new name. */
export function setAside(file: string, now: number): string {
  const aside = `${file}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, "-")}`;
  fs.renameSync(file, aside);
  for (const suffix of ["-wal", "-shm"]) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
  }
  return aside;
}
