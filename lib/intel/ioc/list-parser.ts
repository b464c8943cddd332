import { DEFAULT_SCORE, type IocRecord, type ParsedIocFile } from "./ioc-entry";
import { readTarget } from "./ioc-target";
import { splitLines, MAX_LINE_LENGTH } from "./lines";

/**
 * A plain list: one indicator per line, type read from the value, `#` starting a comment (at the
 * start of a line or after a space, so a URL's fragment is not one). Every entry is malicious
 * unless the folder says otherwise (allowlists).
 */
export function parseIocList(file: string, text: string): ParsedIocFile {
  const records: IocRecord[] = [];
  const problems: ParsedIocFile["problems"] = [];
  splitLines(text, (raw, line) => {
    if (raw.length > MAX_LINE_LENGTH) {
      problems.push({ file, line, reason: `line longer than ${MAX_LINE_LENGTH} characters` });
      return;
    }
    const value = stripComment(raw).trim();
    if (value === "") return;
    const read = readTarget(value);
    if (read.ok) records.push({ target: read.target, entry: { source: file, line, verdict: "malicious", score: DEFAULT_SCORE.malicious } });
    else problems.push({ file, line, reason: read.reason });
  });
  return { records, problems, skipped: 0 };
}

function stripComment(line: string): string {
  const trimmed = line.trimStart();
  if (trimmed.startsWith("#")) return "";
  const comment = trimmed.search(/\s#/);
  return comment < 0 ? trimmed : trimmed.slice(0, comment);
}
