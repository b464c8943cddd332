const MiB = 1024 * 1024;

/**
 * Limits on one Logpush upload. Defaults fit Logpush's documented maximum upload
 * (`max_upload_bytes` up to 1 GB uncompressed) so a job with any valid setting is accepted.
 */
export interface BodyLimits {
  /** Bytes on the wire (gzip or plain). */
  maxCompressedBytes: number;
  /** Bytes after gunzip. */
  maxDecompressedBytes: number;
  /** Expansion ratio past which a gzip body is treated as a bomb... */
  maxRatio: number;
  /** ...once at least this many bytes have been expanded (small bodies compress freely). */
  ratioGraceBytes: number;
  maxLineBytes: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: Readonly<BodyLimits> = Object.freeze({
  maxCompressedBytes: 1024 * MiB,
  maxDecompressedBytes: 1024 * MiB,
  maxRatio: 100,
  ratioGraceBytes: 8 * MiB,
  maxLineBytes: 1 * MiB,
  maxDepth: 32,
});

/**
 * Records per message. A batch's raw records and then its events (about 3 KB a record together)
 * are walked again by every node after the parser; at 250 records that is under a megabyte, which
 * stays in a core's L2 cache and is mostly dead by the next scavenge. Measured against 1000 with the
 * benchmark's parse + detect: 6 to 10 points more of the JSON.parse baseline, and no cost to the
 * webhook's own throughput.
 */
export const DEFAULT_BATCH_SIZE = 250;
/** Records handed to the flow and not yet finished downstream, past which uploads get 503. */
export const DEFAULT_MAX_INFLIGHT_RECORDS = 10_000;
/** Seconds Logpush is asked to wait when the pipeline is full. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;
/** A message not finished downstream after this long is counted as finished (a node that never calls done). */
export const DEFAULT_INFLIGHT_TIMEOUT_MS = 60_000;
/** How long an upload may wait mid-body for the pipeline to drain before it is answered 503. */
export const DEFAULT_DRAIN_WAIT_MS = 30_000;
/** How long a new upload may wait for a full pipeline to drain before it is answered 503: long
 * enough to ride out a burst, short enough that Logpush's request does not time out. */
export const DEFAULT_ADMIT_WAIT_MS = 2_000;
/** Logpush retries for about five minutes; remember accepted bodies for twice that. */
export const DEFAULT_REPLAY_WINDOW_MS = 10 * 60_000;
export const DEFAULT_REPLAY_MAX_ENTRIES = 10_000;
/** Notifications are single small JSON documents. */
export const DEFAULT_MAX_NOTIFICATION_BYTES = 1 * MiB;
