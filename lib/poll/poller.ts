import { randomUUID } from "node:crypto";
import type { RawRecord } from "../ingest/logpush-body";
import type { BatchMeta } from "../ingest/logpush-receiver";
import { pruneSeen } from "./checkpoint";
import type { CheckpointStore } from "./checkpoint-store";
import type { PollApi, PollSource } from "./poll-source";

export interface PollerOptions {
  /** Names the checkpoint: one per poller (the node's id). */
  key: string;
  source: PollSource;
  api: PollApi;
  store: CheckpointStore;
  /** How far back the first poll reads. */
  lookbackMs: number;
  /** How far each window reaches back before the previous one's end, for records that arrive late. */
  overlapMs: number;
  batchSize: number;
  /** Ids remembered for deduplication, at most. */
  maxSeen: number;
  /** Hands a batch downstream; the same shape as the webhook's. */
  emit(records: RawRecord[], batch: BatchMeta): void;
  now?: () => number;
}

export interface PollSummary {
  since: string;
  until: string;
  /** Records emitted. */
  emitted: number;
  /** Records the API returned that had been emitted before (the overlap). */
  duplicates: number;
  durationMs: number;
  /** A stored checkpoint that could not be read (polling restarted from the look-back). */
  warning: string | null;
}

/**
 * One poll of one source: the window runs from the last poll's end (less the overlap) to now;
 * records already emitted inside the overlap are recognised by id and dropped; the checkpoint is
 * saved once the batch has been handed on, so a restart resumes where the last poll ended.
 * Delivery is at least once: a crash between emitting and saving re-reads that window.
 */
export class Poller {
  private readonly now: () => number;

  constructor(private readonly opts: PollerOptions) {
    this.now = opts.now ?? Date.now;
  }

  async runOnce(): Promise<PollSummary> {
    const { key, store, source, api, batchSize } = this.opts;
    const started = this.now();
    const { checkpoint, warning } = await store.load(key);
    const until = started;
    const since = checkpoint.watermark === null ? until - this.opts.lookbackMs : Math.min(checkpoint.watermark - this.opts.overlapMs, until);
    const seen = checkpoint.seen;
    const sourceState = { ...checkpoint.source };
    const id = randomUUID();
    const receivedAt = new Date(started).toISOString();
    let part = 0;
    let emitted = 0;
    let duplicates = 0;
    let batch: RawRecord[] = [];
    let bytes = 0;
    const flush = () => {
      if (batch.length === 0) return;
      this.opts.emit(batch, { id, part: ++part, receivedAt, count: batch.length, bytes });
      emitted += batch.length;
      batch = [];
      bytes = 0;
    };
    try {
      for await (const page of source.fetch(api, { since, until }, sourceState)) {
        for (const r of page) {
          if (seen[r.id] !== undefined) {
            duplicates++;
            continue;
          }
          seen[r.id] = Number.isFinite(r.time) ? r.time : until;
          batch.push(r.record);
          bytes += Buffer.byteLength(JSON.stringify(r.record));
          if (batch.length >= batchSize) flush();
        }
      }
      flush();
    } catch (err) {
      // The window will be read again; remembering what already left keeps it from leaving twice.
      flush();
      await store.save(key, { ...checkpoint, seen: pruneSeen(seen, since, this.opts.maxSeen) });
      throw err;
    }
    await store.save(key, {
      version: 1,
      watermark: until,
      seen: pruneSeen(seen, until - this.opts.overlapMs, this.opts.maxSeen),
      source: sourceState,
    });
    return {
      since: new Date(since).toISOString(),
      until: new Date(until).toISOString(),
      emitted,
      duplicates,
      durationMs: this.now() - started,
      warning,
    };
  }
}
