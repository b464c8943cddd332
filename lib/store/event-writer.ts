import type { Database, Statement } from "better-sqlite3";
import type { NormalizedEvent } from "../schema/event";
import type { AppendResult } from "./event-store";
import { bucketOf, eventRow, type EventRow } from "./event-row";

/** A single event's JSON above this is refused: one event must not fill the store. */
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

/**
 * Key rows go in this many to a statement: one native call and one statement step for most
 * events' keys instead of one each. An event with fewer fills the free slots with its first key
 * again, which `OR IGNORE` drops.
 */
const KEYS_PER_INSERT = 16;

interface PreparedEvent {
  row: EventRow;
  body: string;
}

export interface PreparedBatch {
  rows: PreparedEvent[];
  rejected: AppendResult["rejected"];
}

/**
 * Appends batches in two steps: every event is read and serialized first, so that refusals (no
 * time, no dataset, too large, not serializable) are known before the transaction, which then
 * writes the rest in one go with statements prepared once, and can be tried again as it is.
 */
export class EventWriter {
  private readonly insertEvent: Statement;
  private readonly insertKey: Statement;
  private readonly insertKeys: Statement;
  private readonly insertHour: Statement;
  private readonly keyArgs = new Array<string | number | bigint>(KEYS_PER_INSERT * 5);
  private readonly transaction: (rows: PreparedEvent[]) => void;

  constructor(
    db: Database,
    private readonly maxEventBytes: number,
  ) {
    this.insertEvent = db.prepare(
      "INSERT INTO events (time, dataset, action, source_ip, destination_ip, domain, user, host, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const keyRow = "(?, ?, ?, ?, ?)";
    const insert = "INSERT OR IGNORE INTO event_keys (bucket, pivot, value, time, event) VALUES";
    this.insertKey = db.prepare(`${insert} ${keyRow}`);
    this.insertKeys = db.prepare(`${insert} ${Array(KEYS_PER_INSERT).fill(keyRow).join(", ")}`);
    this.insertHour = db.prepare("INSERT OR IGNORE INTO key_hours (bucket) VALUES (?)");
    this.transaction = db.transaction((rows: PreparedEvent[]) => {
      let hour = Number.NaN;
      for (const { row, body } of rows) {
        const bucket = bucketOf(row.time);
        if (bucket !== hour) this.insertHour.run((hour = bucket));
        const id = this.insertEvent.run(row.time, row.dataset, row.action, row.sourceIp, row.destinationIp, row.domain, row.user, row.host, body)
          .lastInsertRowid;
        this.writeKeys(row, id, bucket);
      }
    });
  }

  private writeKeys(row: EventRow, id: number | bigint, bucket: number): void {
    const keys = row.keys;
    if (keys.length === 0) return;
    if (keys.length === 1) {
      this.insertKey.run(bucket, keys[0][0], keys[0][1], row.time, id);
      return;
    }
    const args = this.keyArgs;
    for (let j = 0; j < KEYS_PER_INSERT; j++) {
      const [pivot, value] = keys[j < keys.length ? j : 0];
      args[5 * j] = bucket;
      args[5 * j + 1] = pivot;
      args[5 * j + 2] = value;
      args[5 * j + 3] = row.time;
      args[5 * j + 4] = id;
    }
    this.insertKeys.run(args);
    for (let j = KEYS_PER_INSERT; j < keys.length; j++) this.insertKey.run(bucket, keys[j][0], keys[j][1], row.time, id);
  }

  /** Reads and serializes a batch: what can be written, and what is refused with the reason. */
  prepare(events: readonly NormalizedEvent[]): PreparedBatch {
    const rows: PreparedEvent[] = [];
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
        rejected.push({ index: i, reason: `not serializable as JSON: ${(err as Error).message.split("\n")[0]}` });
        continue;
      }
      // UTF-16 length bounds the UTF-8 size from below and costs nothing; the exact size is
      // computed only for the rare event near the limit.
      if (body.length > this.maxEventBytes / 3 && Buffer.byteLength(body) > this.maxEventBytes) {
        rejected.push({ index: i, reason: `larger than ${this.maxEventBytes} bytes as JSON` });
        continue;
      }
      rows.push({ row: read.row, body });
    }
    return { rows, rejected };
  }

  /** Writes a prepared batch in one transaction; throws what SQLite threw, and then nothing is written. */
  write(batch: PreparedBatch): AppendResult {
    if (batch.rows.length > 0) this.transaction(batch.rows);
    return { written: batch.rows.length, rejected: batch.rejected };
  }
}
