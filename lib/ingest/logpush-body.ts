import { createHash, type Hash } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { sniffGzip } from "./gzip-sniff";
import type { BodyLimits } from "./limits";
import { NdjsonDecoder, type LineError } from "./ndjson-decoder";
import type { ReplayGuard } from "./replay-guard";

/** An upload refused as a whole; `status` is the HTTP answer it deserves. */
export class BodyRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "BodyRefused";
  }
}

export type RawRecord = Record<string, unknown>;

export interface BodyOutput {
  /** A batch of at most `batchSize` records. Awaited: the body is not read further until it resolves. */
  batch(records: RawRecord[], bytes: number): Promise<void>;
  lineError(err: LineError): void;
}

export interface BodyReadOptions {
  limits: BodyLimits;
  batchSize: number;
  /** The replay guard sees the hash of this many leading bytes before anything is emitted. */
  prefixBytes: number;
  /** Records held back while a suspected replay is confirmed; past this they are emitted after all. */
  holdLimitRecords: number;
  /** Part of the replay key with the leading bytes: the declared Content-Length and the dataset. */
  replayScope: string;
}

export type BodyOutcome = "accepted" | "validation" | "duplicate";

export interface BodySummary {
  outcome: BodyOutcome;
  gzip: boolean;
  wireBytes: number;
  bytes: number;
  lines: number;
  records: number;
  emitted: number;
  errors: number;
  neutralised: number;
  sha256: string;
}

type Item = { records: RawRecord[]; bytes: number } | { error: LineError };

const GUNZIP_CHUNK = 64 * 1024;
const VALIDATION_LINE = "test";

/**
 * Reads one Logpush upload: sniffs gzip by magic bytes, enforces the size limits while bytes
 * arrive, decodes NDJSON as a stream and hands records out in batches while the body is still
 * arriving. Nothing leaves before the replay guard has seen the body's first bytes; a suspected
 * replay is held until the full hash confirms it.
 */
export async function readLogpushBody(
  source: AsyncIterable<Buffer>,
  opts: BodyReadOptions,
  guard: ReplayGuard | null,
  out: BodyOutput,
): Promise<BodySummary> {
  return new BodyReader(opts, guard, out).run(source);
}

class BodyReader {
  private readonly full: Hash = createHash("sha256");
  private readonly prefix: Hash = createHash("sha256");
  private prefixSeen = 0;
  private prefixKey: string | null = null;
  private mode: "pending" | "candidate" | "emit" = "pending";
  private claimed = false;
  private wireBytes = 0;
  private bytes = 0;
  private gzip = false;
  private readonly queue: Item[] = [];
  private queuedRecords = 0;
  private current: RawRecord[] = [];
  private currentBytes = 0;
  private emitted = 0;
  private firstRecord: RawRecord | null = null;
  private firstError: LineError | null = null;
  private readonly decoder: NdjsonDecoder;

  constructor(
    private readonly opts: BodyReadOptions,
    private readonly guard: ReplayGuard | null,
    private readonly out: BodyOutput,
  ) {
    this.decoder = new NdjsonDecoder(opts.limits, {
      record: (r) => {
        this.firstRecord ??= r.record;
        this.current.push(r.record);
        this.currentBytes += r.bytes;
        if (this.current.length >= this.opts.batchSize) this.closeBatch();
      },
      lineError: (e) => {
        this.firstError ??= e;
        this.queue.push({ error: e });
      },
    });
  }

  async run(source: AsyncIterable<Buffer>): Promise<BodySummary> {
    let fullHash: string | null = null;
    try {
      const { gzip, bytes: wire } = await sniffGzip(this.metered(source));
      this.gzip = gzip;
      if (gzip) {
        await pipeline(wire, createGunzip({ chunkSize: GUNZIP_CHUNK }), (inflated: AsyncIterable<Buffer>) =>
          this.consume(inflated),
        );
      } else {
        await this.consume(wire);
      }
      this.decoder.end();
      this.closeBatch();
      const summary = await this.finish();
      fullHash = summary.sha256;
      return summary;
    } catch (err) {
      throw asRefusal(err);
    } finally {
      if (this.claimed && this.prefixKey !== null) this.guard?.finish(this.prefixKey, fullHash);
    }
  }

  /** The wire bytes, each chunk counted, hashed and checked against the limit as it is pulled. */
  private async *metered(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      this.onWire(chunk);
      yield chunk;
    }
  }

  private onWire(chunk: Buffer): void {
    this.wireBytes += chunk.length;
    if (this.wireBytes > this.opts.limits.maxCompressedBytes) {
      throw new BodyRefused(413, `body is larger than ${this.opts.limits.maxCompressedBytes} bytes`);
    }
    this.full.update(chunk);
    const want = this.opts.prefixBytes - this.prefixSeen;
    if (want > 0) {
      const part = chunk.length > want ? chunk.subarray(0, want) : chunk;
      this.prefix.update(part);
      this.prefixSeen += part.length;
    }
  }

  private async consume(stream: AsyncIterable<Buffer>): Promise<void> {
    const { maxDecompressedBytes, maxRatio, ratioGraceBytes } = this.opts.limits;
    for await (const chunk of stream) {
      this.bytes += chunk.length;
      if (this.bytes > maxDecompressedBytes) {
        throw new BodyRefused(413, `body expands past ${maxDecompressedBytes} bytes`);
      }
      if (this.gzip && this.bytes > ratioGraceBytes && this.bytes > maxRatio * this.wireBytes) {
        throw new BodyRefused(413, `gzip expands more than ${maxRatio}:1 (a gzip bomb?)`);
      }
      this.decoder.write(chunk);
      if (this.mode === "pending" && this.prefixSeen >= this.opts.prefixBytes) this.decide();
      await this.drain();
    }
  }

  private closeBatch(): void {
    if (this.current.length === 0) return;
    this.queue.push({ records: this.current, bytes: this.currentBytes });
    this.queuedRecords += this.current.length;
    this.current = [];
    this.currentBytes = 0;
  }

  private decide(): void {
    const key = `${this.prefix.digest("hex")}:${this.opts.replayScope}`;
    this.prefixKey = key;
    if (!this.guard) {
      this.mode = "emit";
      return;
    }
    const verdict = this.guard.begin(key);
    if (verdict === "busy") {
      throw new BodyRefused(503, "the same upload is already being received");
    }
    this.claimed = true;
    this.mode = verdict === "seen" ? "candidate" : "emit";
  }

  private async drain(): Promise<void> {
    if (this.mode === "candidate" && this.queuedRecords > this.opts.holdLimitRecords) this.mode = "emit";
    if (this.mode !== "emit") return;
    while (this.queue.length > 0) {
      const item = this.queue.shift()!;
      if ("error" in item) {
        this.out.lineError(item.error);
        continue;
      }
      this.queuedRecords -= item.records.length;
      this.emitted += item.records.length;
      await this.out.batch(item.records, item.bytes);
    }
  }

  private async finish(): Promise<BodySummary> {
    const sha256 = this.full.digest("hex");
    const summary = (outcome: BodyOutcome): BodySummary => ({
      outcome,
      gzip: this.gzip,
      wireBytes: this.wireBytes,
      bytes: this.bytes,
      lines: this.decoder.lines,
      records: this.decoder.records,
      emitted: this.emitted,
      errors: this.decoder.errors,
      neutralised: this.decoder.neutralised,
      sha256,
    });
    if (this.isValidationUpload()) return summary("validation");
    if (this.decoder.records === 0) {
      if (this.firstError) {
        throw new BodyRefused(400, `no NDJSON records: line ${this.firstError.line}: ${this.firstError.reason}`);
      }
      throw new BodyRefused(400, "empty body");
    }
    if (this.mode === "pending") this.decide();
    if (this.mode === "candidate" && this.prefixKey !== null && this.guard?.matches(this.prefixKey, sha256)) {
      this.queue.length = 0;
      return summary("duplicate");
    }
    this.mode = "emit";
    await this.drain();
    return summary("accepted");
  }

  /** Logpush proves a destination with a gzipped `{"content":"tests"}`; older senders post `test`. */
  private isValidationUpload(): boolean {
    const d = this.decoder;
    if (d.records === 1 && d.errors === 0 && this.emitted === 0 && this.firstRecord) {
      const keys = Object.keys(this.firstRecord);
      return keys.length === 1 && this.firstRecord.content === "tests";
    }
    return d.records === 0 && d.errors === 1 && this.firstError?.text.trim() === VALIDATION_LINE;
  }
}

function asRefusal(err: unknown): Error {
  if (err instanceof BodyRefused) return err;
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code === "string" && e.code.startsWith("Z_")) {
    return new BodyRefused(400, `gzip stream is corrupt or truncated: ${e.message}`);
  }
  if (e?.code === "ECONNRESET" || e?.code === "ERR_STREAM_PREMATURE_CLOSE" || e?.message === "aborted") {
    return new BodyRefused(400, "the upload broke off before its end");
  }
  return err instanceof Error ? err : new Error(String(err));
}
