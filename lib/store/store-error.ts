/** What went wrong with the store, as far as a node needs to tell failures apart and say so. */
export type StoreFailure =
  /** The disk (or the store's size guard) has no room: SQLITE_FULL. */
  | "full"
  /** Another process holds the database's lock beyond the lock timeout: SQLITE_BUSY / LOCKED. */
  | "locked"
  /** The file is not a database or is damaged: SQLITE_NOTADB / SQLITE_CORRUPT. */
  | "corrupt"
  /** The file or its folder cannot be written: SQLITE_READONLY, or opened read-only. */
  | "readonly"
  /** The file cannot be opened at all (missing folder, permissions): SQLITE_CANTOPEN. */
  | "cantopen"
  /** The operating system failed a read or write: SQLITE_IOERR. */
  | "io"
  /** The store was closed. */
  | "closed"
  | "other";

/** Short words for a node's status line. */
const STATUS: Readonly<Record<StoreFailure, string>> = {
  full: "disk full",
  locked: "database locked",
  corrupt: "database corrupt",
  readonly: "read-only",
  cantopen: "cannot open",
  io: "I/O error",
  closed: "closed",
  other: "store error",
};

export class StoreError extends Error {
  readonly failure: StoreFailure;
  /** SQLite's own code, e.g. `SQLITE_FULL`, when the failure came from SQLite. */
  readonly code: string | undefined;

  constructor(failure: StoreFailure, message: string, code?: string) {
    super(message);
    this.name = "StoreError";
    this.failure = failure;
    this.code = code;
  }

  /** A few words for a node's status. */
  get short(): string {
    return STATUS[this.failure];
  }
}

/** SQLite's result code of an error from better-sqlite3, or undefined for any other error. */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : undefined;
}

export function failureOf(code: string | undefined): StoreFailure {
  if (code === undefined) return "other";
  if (code.startsWith("SQLITE_FULL")) return "full";
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "locked";
  if (code.startsWith("SQLITE_CORRUPT") || code.startsWith("SQLITE_NOTADB")) return "corrupt";
  if (code.startsWith("SQLITE_READONLY")) return "readonly";
  if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_PERM") || code.startsWith("SQLITE_AUTH")) return "cantopen";
  if (code.startsWith("SQLITE_IOERR")) return "io";
  return "other";
}

const EXPLAIN: Readonly<Record<StoreFailure, string>> = {
  full: "the disk is full (or the store reached its size guard); older events are pruned to make room",
  locked: "another process holds the database lock",
  corrupt: "the file is not a usable SQLite database",
  readonly: "the file or its folder is read-only",
  cantopen: "the file cannot be opened (does its folder exist, and may this process write there?)",
  io: "the operating system failed a read or write",
  closed: "the store is closed",
  other: "SQLite failed",
};

/** Turns whatever the database threw into a StoreError saying what failed, where, and why. */
export function storeError(err: unknown, doing: string, file: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = sqliteCode(err);
  const failure = failureOf(code);
  const detail = err instanceof Error ? err.message : String(err);
  return new StoreError(failure, `event store ${file}: ${doing} failed: ${EXPLAIN[failure]} (${code ?? "error"}: ${detail})`, code);
}
