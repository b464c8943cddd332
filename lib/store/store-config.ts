import type { Parsed } from "../schema/parsed";
import { resolveDataPath } from "../storage/data-path";

/** The `ztna-store` config node's settings as the editor stores them. */
export interface StoreConfigInput {
  file?: unknown;
  retentionDays?: unknown;
  maxSize?: unknown;
}

export interface StoreSettings {
  /** Absolute path of the database file. */
  file: string;
  /** 0: no age limit. */
  retentionDays: number;
  /** 0: no size cap. */
  maxBytes: number;
}

const DEFAULT_STORE_FILE = "${ZTNA_DATA_DIR}/events.db";
const DEFAULT_RETENTION_DAYS = 7;
const DEFAULT_MAX_SIZE = "1 GB";
/** Ten years: a longer retention is surely a typo for something else. */
const MAX_RETENTION_DAYS = 3650;
/** Below this a cap would leave room for too few events to investigate anything. */
const MIN_MAX_BYTES = 1e6;

const UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/** "1 GB", "512MiB", "1000000": a size in bytes, or undefined when it is none of those. */
export function parseSize(text: string): number | undefined {
  const m = SIZE_RE.exec(text.trim());
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Validates the config node's settings; empty fields take the defaults. */
export function parseStoreConfig(input: StoreConfigInput, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Parsed<StoreSettings> {
  const fileText = input.file === undefined || input.file === null ? "" : input.file;
  if (typeof fileText !== "string") return { ok: false, error: "file path must be text" };
  const file = resolveDataPath(fileText.trim() || DEFAULT_STORE_FILE, "file path", env, cwd);
  if (!file.ok) return file;

  const daysText = input.retentionDays === undefined || input.retentionDays === "" ? DEFAULT_RETENTION_DAYS : input.retentionDays;
  const retentionDays = typeof daysText === "number" ? daysText : typeof daysText === "string" ? Number(daysText.trim()) : NaN;
  if (!Number.isFinite(retentionDays) || retentionDays < 0 || retentionDays > MAX_RETENTION_DAYS) {
    return { ok: false, error: `retention must be a number of days from 0 (no age limit) to ${MAX_RETENTION_DAYS}` };
  }

  const sizeText = input.maxSize === undefined || input.maxSize === "" ? DEFAULT_MAX_SIZE : input.maxSize;
  const maxBytes = typeof sizeText === "number" ? sizeText : typeof sizeText === "string" ? parseSize(sizeText) : undefined;
  if (maxBytes === undefined || !Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    return { ok: false, error: 'size cap must be a size such as "1 GB", "500 MB" or a number of bytes (0: no cap)' };
  }
  if (maxBytes > 0 && maxBytes < MIN_MAX_BYTES) return { ok: false, error: "size cap must be at least 1 MB (or 0: no cap)" };
  return { ok: true, value: { file: file.value, retentionDays, maxBytes } };
}
