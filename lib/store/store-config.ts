import path from "node:path";
import type { Parsed } from "../schema/parsed";

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
/** Where the project keeps its data when ZTNA_DATA_DIR is not set, as `npm start` does. */
const DEFAULT_DATA_DIR = "data";
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
const ENV_REF_RE = /\$\{([^}]*)\}/g;
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "1 GB", "512MiB", "1000000": a size in bytes, or undefined when it is none of those. */
export function parseSize(text: string): number | undefined {
  const m = SIZE_RE.exec(text.trim());
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/**
 * The file path with `${NAME}` references read from the environment (Node-RED replaces only a
 * property that is one reference as a whole), relative paths taken from the working directory as
 * `npm start` does. `${ZTNA_DATA_DIR}` falls back to ./data, like everywhere else in the project.
 */
function resolveStoreFile(file: string, env: NodeJS.ProcessEnv, cwd: string): Parsed<string> {
  let problem: string | null = null;
  const expanded = file.replace(ENV_REF_RE, (ref, name: string) => {
    if (!ENV_NAME_RE.test(name)) {
      problem ??= `file path has ${ref}, which is not an environment variable reference`;
      return ref;
    }
    const value = env[name] || (name === "ZTNA_DATA_DIR" ? DEFAULT_DATA_DIR : undefined);
    if (value === undefined) problem ??= `file path refers to environment variable ${name}, which is not set`;
    return value ?? ref;
  });
  if (problem) return { ok: false, error: problem };
  if (expanded.includes("\u0000")) return { ok: false, error: "file path contains a NUL character" };
  return { ok: true, value: path.resolve(cwd, expanded) };
}

/** Validates the config node's settings; empty fields take the defaults. */
export function parseStoreConfig(input: StoreConfigInput, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Parsed<StoreSettings> {
  const fileText = input.file === undefined || input.file === null ? "" : input.file;
  if (typeof fileText !== "string") return { ok: false, error: "file path must be text" };
  const file = resolveStoreFile(fileText.trim() || DEFAULT_STORE_FILE, env, cwd);
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
