import type { Verdict } from "../types";
import { DEFAULT_SCORE, type IocRecord, type ParsedIocFile } from "./ioc-entry";
import { iocKindOf, readTarget, type IocKind } from "./ioc-target";
import { MAX_LINE_LENGTH, splitLines } from "./lines";

type Column = "value" | "type" | "verdict" | "score" | "description";

/** Header names as IOC exports write them. */
const COLUMN_NAMES: Readonly<Record<string, Column>> = {
  indicator: "value",
  value: "value",
  ioc: "value",
  observable: "value",
  type: "type",
  ioc_type: "type",
  kind: "type",
  verdict: "verdict",
  classification: "verdict",
  score: "score",
  confidence: "score",
  description: "description",
  comment: "description",
  name: "description",
};

const VERDICTS = new Set<string>(["malicious", "suspicious", "benign", "unknown"]);
const MAX_DESCRIPTION = 500;

/**
 * CSV with a header row naming its columns in any order: the indicator (`indicator` or `value`),
 * and optionally `type`, `verdict`, `score`, `description`. Comma, semicolon or tab, as the header
 * uses; RFC 4180 quoting within a line. Blank lines and lines starting with `#` are skipped. A bad
 * row is reported with its line and the rest are kept; a file without a usable header is unread.
 */
export function parseIocCsv(file: string, text: string): ParsedIocFile {
  const records: IocRecord[] = [];
  const problems: ParsedIocFile["problems"] = [];
  let columns: Map<Column, number> | undefined;
  let separator = ",";
  let fatal: string | undefined;
  splitLines(text, (raw, line) => {
    if (fatal !== undefined || raw.trim() === "" || raw.trimStart().startsWith("#")) return;
    if (raw.length > MAX_LINE_LENGTH) {
      if (!columns) fatal = `header line longer than ${MAX_LINE_LENGTH} characters`;
      else problems.push({ file, line, reason: `line longer than ${MAX_LINE_LENGTH} characters` });
      return;
    }
    if (!columns) {
      separator = sniffSeparator(raw);
      const header = splitRow(raw, separator);
      columns = header && readHeader(header);
      if (!columns) fatal = `line ${line}: the header names no "indicator" or "value" column`;
      return;
    }
    const cells = splitRow(raw, separator);
    if (!cells) {
      problems.push({ file, line, reason: "unterminated quote" });
      return;
    }
    const row = readRow(cells, columns);
    if ("reason" in row) problems.push({ file, line, reason: row.reason });
    else records.push({ target: row.target, entry: { source: file, line, ...row.entry } });
  });
  return { records, problems, skipped: 0, fatal };
}

function readHeader(cells: string[]): Map<Column, number> | undefined {
  const columns = new Map<Column, number>();
  cells.forEach((cell, i) => {
    const name = cell.trim().toLowerCase();
    const column = Object.hasOwn(COLUMN_NAMES, name) ? COLUMN_NAMES[name] : undefined;
    if (column && !columns.has(column)) columns.set(column, i);
  });
  return columns.has("value") ? columns : undefined;
}

type Row = { target: IocRecord["target"]; entry: Omit<IocRecord["entry"], "source" | "line"> } | { reason: string };

function readRow(cells: string[], columns: Map<Column, number>): Row {
  const cell = (c: Column) => {
    const i = columns.get(c);
    return i === undefined ? "" : (cells[i] ?? "").trim();
  };
  const value = cell("value");
  if (value === "") return { reason: "no indicator" };
  let kind: IocKind | undefined;
  if (cell("type") !== "") {
    kind = iocKindOf(cell("type"));
    if (!kind) return { reason: `unknown type ${JSON.stringify(cell("type").slice(0, 40))}` };
  }
  let verdict: Verdict = "malicious";
  if (cell("verdict") !== "") {
    const word = cell("verdict").toLowerCase();
    if (!VERDICTS.has(word)) return { reason: `verdict must be malicious, suspicious, benign or unknown, not ${JSON.stringify(cell("verdict").slice(0, 40))}` };
    verdict = word as Verdict;
  }
  let score = DEFAULT_SCORE[verdict];
  if (cell("score") !== "") {
    score = Number(cell("score"));
    if (!/^\d+(\.\d+)?$/.test(cell("score")) || score > 100) return { reason: `score must be a number from 0 to 100, not ${JSON.stringify(cell("score").slice(0, 40))}` };
  }
  const read = readTarget(value, kind);
  if (!read.ok) return { reason: read.reason };
  const description = cell("description");
  return { target: read.target, entry: { verdict, score, ...(description ? { description: description.slice(0, MAX_DESCRIPTION) } : {}) } };
}

function sniffSeparator(header: string): string {
  if (header.includes(",")) return ",";
  if (header.includes("\t")) return "\t";
  return header.includes(";") ? ";" : ",";
}

/** RFC 4180 fields of one line; undefined for a quote left open. */
function splitRow(line: string, separator: string): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === " ") i++;
    if (line[i] === '"') {
      let cell = "";
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) return undefined;
        cell += line.slice(i, close);
        if (line[close + 1] === '"') {
          cell += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      const next = line.indexOf(separator, i);
      cells.push(cell + (next < 0 ? line.slice(i) : line.slice(i, next)));
      if (next < 0) return cells;
      i = next + 1;
    } else {
      const next = line.indexOf(separator, i);
      if (next < 0) {
        cells.push(line.slice(i));
        return cells;
      }
      cells.push(line.slice(i, next));
      i = next + 1;
    }
  }
}
