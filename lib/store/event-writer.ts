import type { Database, Statement } from "better-sqlite3";
import type { NormalizedEvent } from "../schema/event";
import type { AppendResult } from "./event-store";
import { eventRow, type EventRow } from "./event-row";

/** A single event's JSON above this is refused: one event must not fill the store. */
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

interface Prepared {
  row: EventRow;
  body: string;
}

/**
 * Appends batches: every event is read and serialized first, so that refusals (no time, no
 * dataset, too large, not serializable) are known before the transaction, which then writes the
 * rest in one go with statements prepared once.
 */
export class EventWriter {
  private readonly insertEvent: Statement;
  private readonly insertKey: Statement;
  private readonly write: (batch: Prepared[]) => void;

  constructor(
    db: Database,
    private readonly maxEventBytes: number,
  ) {
    this.insertEvent = db.prepare(
      "INSERT INTO events (time, dataset, action, source_ip, destination_ip, domain, user, host, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.insertKey = db.prepare("INSERT OR IGNORE INTO event_keys (pivot, value, time, event) VALUES (?, ?, ?, ?)");
    this.write = db.transaction((batch: Prepared[]) => {
      for (const { row, body } of batch) {
        const id = this.insertEvent.run(row.time, row.dataset, row.action, row.sourceIp, row.destinationIp, row.domain, row.user, row.host, body)
          .lastInsertRowid;
        for (const [pivot, value] of row.keys) this.insertKey.run(pivot, value, row.time, id);
      }
    });
  }

  /** Throws what SQLite threw, after which nothing of the batch is written. */
  append(events: readonly NormalizedEvent[]): AppendResult {
    const batch: Prepared[] = [];
    const rejected: AppendResult["rejected"] = [];
    for (let i = 0; i < events.length; i++) {
      const read = eventRow(events[i]);
      if (!read.ok) {
        rejected.push({ index: i, reason: read.reason });
        continue;
      }
      let body: string;
      try {
        body = JSON.stringify(events[i]);
      } catch (err) {
        rejected.push({ index: i, reason: `not serializable as JSON: ${(err as Error).message}` });
        continue;
      }
      // UTF-16 length bounds the UTF-8 size from below and costs nothing; the exact size is
      // computed only for the rare event near the limit.
      if (body.length > this.maxEventBytes / 3 && Buffer.byteLength(body) > this.maxEventBytes) {
        rejected.push({ index: i, reason: `larger than ${this.maxEventBytes} bytes as JSON` });
        continue;
      }
      batch.push({ row: read.row, body });
    }
    if (batch.length > 0) this.write(batch);
    return { written: batch.length, rejected };
  }
}
