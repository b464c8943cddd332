import type { OutgoingHttpHeaders } from "node:http";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { post } from "./http-post";
import { ndjsonLines, type ReplaySource } from "./ndjson-lines";
import { Pacer } from "./pacer";
import { resolveReplayOptions, type ReplayOptions, type ResolvedReplayOptions } from "./replay-options";
import { retryWaitMs } from "./retry-policy";
import { sleepUntil } from "./timers";

export type { ReplaySource } from "./ndjson-lines";
export type { ReplayOptions } from "./replay-options";

/** Counts of batches, or of the records in them. */
export interface Tally {
  sent: number;
  accepted: number;
  /** Needed more than one try, whatever the outcome. */
  retried: number;
  /** Refused on every try. */
  failed: number;
}

export interface ReplaySummary {
  /** Origin and path the batches went to; never credentials or query. */
  destination: string;
  batches: Tally;
  records: Tally;
  /** HTTP requests made, retries included. */
  requests: number;
  elapsedMs: number;
}

interface BatchRef {
  /** 1 for the first batch of the replay. */
  batch: number;
  records: number;
}

export type ReplayEvent =
  | (BatchRef & { type: "retry"; reason: string; retry: number; retries: number; waitMs: number })
  | (BatchRef & { type: "failed"; reason: string; tries: number });

/** The replay stopped part way, typically on an unreadable or corrupt input; `summary` says what had been sent. */
export class ReplayError extends Error {
  constructor(
    message: string,
    readonly summary: ReplaySummary,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = "ReplayError";
  }
}

const gzipAsync = promisify(gzip);
const NEWLINE = Buffer.from("\n");

/**
 * Sends the NDJSON records of `sources` to a webhook the way Cloudflare Logpush does: gzip
 * NDJSON POSTs of `batchSize` records, one batch at a time, each retried with exponential back-off
 * (or the server's Retry-After) and given up after `retries` retries. Resolves even if batches
 * failed: the summary counts them. Throws ReplayOptionError before sending anything if an option
 * is out of range, and ReplayError if the replay stops part way.
 */
export async function replay(options: ReplayOptions, sources: Iterable<ReplaySource>): Promise<ReplaySummary> {
  const opts = resolveReplayOptions(options);
  const pacer = opts.ratePerSecond === null ? null : new Pacer(opts.ratePerSecond);
  const headers: OutgoingHttpHeaders = {
    authorization: `Bearer ${opts.secret}`,
    "content-encoding": "gzip",
    "content-type": "application/x-ndjson",
    "user-agent": "ztna-replay",
  };
  const summary: ReplaySummary = {
    destination: `${opts.url.origin}${opts.url.pathname}`,
    batches: emptyTally(),
    records: emptyTally(),
    requests: 0,
    elapsedMs: 0,
  };
  const started = performance.now();
  let batch = 0;
  try {
    for await (const lines of inBatches(ndjsonLines(sources), opts.batchSize)) {
      // Compressed once: a retry re-sends the very same bytes, as Logpush does, so a receiver that
      // suppresses replayed bodies recognises it.
      const body = await gzipAsync(Buffer.concat(lines.flatMap((line) => [line, NEWLINE])));
      await pacer?.admit(lines.length);
      const { accepted, tries } = await deliver(opts, headers, body, { batch: ++batch, records: lines.length });
      summary.requests += tries;
      count(summary.batches, 1, accepted, tries);
      count(summary.records, lines.length, accepted, tries);
    }
  } catch (err) {
    throw new ReplayError((err as Error).message, summary, { cause: err });
  } finally {
    summary.elapsedMs = performance.now() - started;
  }
  return summary;
}

async function* inBatches(lines: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer[]> {
  let batch: Buffer[] = [];
  for await (const line of lines) {
    batch.push(line);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function deliver(
  opts: ResolvedReplayOptions,
  headers: OutgoingHttpHeaders,
  body: Buffer,
  ref: BatchRef,
): Promise<{ accepted: boolean; tries: number }> {
  for (let tries = 1; ; tries++) {
    const refusal = await tryOnce(opts, headers, body);
    if (refusal === null) return { accepted: true, tries };
    if (tries > opts.retries) {
      opts.onEvent({ type: "failed", ...ref, reason: refusal.reason, tries });
      return { accepted: false, tries };
    }
    const waitMs = retryWaitMs(tries, opts.retryDelayMs, refusal.retryAfter, Date.now());
    opts.onEvent({ type: "retry", ...ref, reason: refusal.reason, retry: tries, retries: opts.retries, waitMs });
    await sleepUntil(performance.now() + waitMs);
  }
}

interface Refusal {
  reason: string;
  retryAfter: string | undefined;
}

/** One POST: null when the server took the batch, otherwise why not. */
async function tryOnce(opts: ResolvedReplayOptions, headers: OutgoingHttpHeaders, body: Buffer): Promise<Refusal | null> {
  try {
    const answer = await post(opts.url, headers, body, opts.timeoutMs);
    if (answer.status >= 200 && answer.status < 300) return null;
    const said = answer.excerpt === "" ? "" : `: ${answer.excerpt}`;
    return { reason: redact(`HTTP ${answer.status}${said}`, opts.secret), retryAfter: answer.retryAfter };
  } catch (err) {
    return { reason: redact((err as Error).message, opts.secret), retryAfter: undefined };
  }
}

/** A server may echo the Authorization header back in an error body. */
function redact(text: string, secret: string): string {
  return text.split(secret).join("***");
}

function emptyTally(): Tally {
  return { sent: 0, accepted: 0, retried: 0, failed: 0 };
}

function count(tally: Tally, n: number, accepted: boolean, tries: number): void {
  tally.sent += n;
  if (accepted) tally.accepted += n;
  else tally.failed += n;
  if (tries > 1) tally.retried += n;
}
