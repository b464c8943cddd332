import path from "node:path";
import { parseIocCsv } from "./csv-parser";
import type { ParsedIocFile } from "./ioc-entry";
import { parseIocList } from "./list-parser";
import { parseStixBundle } from "./stix-bundle";

/**
 * Any IOC file by its name and content: `.csv`/`.tsv` as CSV, `.json`/`.stix` or content opening
 * with `{` as a STIX bundle, anything else as a plain list.
 */
export function parseIocFile(file: string, text: string, now: number): ParsedIocFile {
  if (text.includes("\u0000")) return { records: [], problems: [], skipped: 0, fatal: "binary content, not text" };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv" || ext === ".tsv") return parseIocCsv(file, body);
  if (ext === ".json" || ext === ".stix" || body.trimStart().startsWith("{")) return parseStixBundle(file, body, now);
  return parseIocList(file, body);
}

/** Editor backups, temporary and hidden files are not IOC files. */
export function isIocFileName(name: string): boolean {
  return !name.startsWith(".") && !name.endsWith("~") && !/\.(tmp|swp|swx|bak|part|crdownload)$/i.test(name);
}
