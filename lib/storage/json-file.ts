import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export interface ReadJson {
  /** The parsed content; undefined when there is no file or it could not be read. */
  value: unknown;
  /** Set when a file exists but is not JSON: the caller starts afresh and should say so. */
  warning: string | null;
}

/** Reads a JSON file that may not exist yet. */
export async function readJsonFile(file: string): Promise<ReadJson> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { value: undefined, warning: null };
    throw err;
  }
  try {
    return { value: JSON.parse(text), warning: null };
  } catch (err) {
    return { value: undefined, warning: `${file} is unreadable (${(err as Error).message})` };
  }
}

/**
 * Writes to a temporary file renamed over the old one, so a crash mid-write leaves the previous
 * content, never half of it.
 */
export async function writeJsonFileAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, file);
}

/** A file name for any key: what is not a safe character becomes `_`. */
export function safeFileName(key: string): string {
  return `${key.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`;
}
