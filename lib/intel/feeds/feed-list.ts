import type { IocRecord } from "../ioc/ioc-entry";
import { splitLines } from "../ioc/lines";

/** A downloaded list read into records, or why it must not replace the last good copy. */
export type FeedList = { ok: true; records: IocRecord[]; unreadable: number } | { ok: false; reason: string };

/**
 * Share of unreadable lines a list may have and still be taken: a feed that gains one odd line
 * should not freeze on an old copy, but an HTML error page or a truncated download must not replace
 * a good list.
 */
const TOLERATED_UNREADABLE = 0.01;

/**
 * Reads each line of `text` with `read`: records, `undefined` for a line that carries nothing
 * (blank, comment, metadata), or `null` for an unreadable line.
 */
export function readFeedLines(text: string, read: (line: string) => IocRecord | undefined | null): FeedList {
  const records: IocRecord[] = [];
  let unreadable = 0;
  let lines = 0;
  splitLines(text, (raw) => {
    const line = raw.trim();
    if (line === "") return;
    lines++;
    const record = read(line);
    if (record === null) unreadable++;
    else if (record) records.push(record);
  });
  if (records.length === 0) return { ok: false, reason: lines === 0 ? "empty list" : `no usable entry in ${lines} lines` };
  if (unreadable > lines * TOLERATED_UNREADABLE) return { ok: false, reason: `${unreadable} of ${lines} lines unreadable` };
  return { ok: true, records, unreadable };
}
