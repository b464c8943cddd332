import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  DEFAULT_ADMIT_WAIT_MS,
  DEFAULT_BATCH_SIZE,
  DEFAULT_DRAIN_WAIT_MS,
  DEFAULT_LIMITS,
  DEFAULT_MAX_INFLIGHT_RECORDS,
  DEFAULT_MAX_NOTIFICATION_BYTES,
  DEFAULT_RETRY_AFTER_SECONDS,
  type BodyLimits,
} from "./limits";
import { BodyRefused, readLogpushBody, type BodySummary, type RawRecord } from "./logpush-body";
import type { LineError } from "./ndjson-decoder";
import type { ReplayGuard } from "./replay-guard";
import { sanitizeRecord } from "./sanitize-record";
import { bearerToken, secretMatches } from "./secret-match";

/** `msg.batch` of DESIGN §3.3; one upload may yield several parts. */
export interface BatchMeta {
  id: string;
  part: number;
  receivedAt: string;
  count: number;
  bytes: number;
}

export interface Emission {
  dataset: string;
  records: RawRecord[];
  batch: BatchMeta;
}

/** Where the receiver hands records; `emit` must hand them over synchronously. */
export interface ReceiverSink {
  emit(e: Emission): void;
  /** `nth` counts the upload's bad lines so far, so the adapter can cap its reports. */
  lineError(err: LineError, context: { dataset: string; batchId: string; nth: number }): void;
  refused(status: number, reason: string): void;
  accepted(summary: BodySummary, dataset: string): void;
}

/** How much downstream still has to finish; the receiver waits on it before handing more. */
export interface Capacity {
  readonly records: number;
  waitBelow(bound: number, waitMs: number): Promise<boolean>;
}

export interface ReceiverOptions {
  secret: string | null;
  /** The Notifications webhook secret; falls back to `secret`. */
  notificationSecret: string | null;
  limits: BodyLimits;
  batchSize: number;
  maxInflightRecords: number;
  retryAfterSeconds: number;
  admitWaitMs: number;
  drainWaitMs: number;
  maxNotificationBytes: number;
}

export const DEFAULT_RECEIVER_OPTIONS: Readonly<Omit<ReceiverOptions, "secret" | "notificationSecret">> = {
  limits: DEFAULT_LIMITS,
  batchSize: DEFAULT_BATCH_SIZE,
  maxInflightRecords: DEFAULT_MAX_INFLIGHT_RECORDS,
  retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
  admitWaitMs: DEFAULT_ADMIT_WAIT_MS,
  drainWaitMs: DEFAULT_DRAIN_WAIT_MS,
  maxNotificationBytes: DEFAULT_MAX_NOTIFICATION_BYTES,
};

const DATASET_RE = /^[a-z][a-z0-9_]{0,63}$/;
const PREFIX_BYTES = 64 * 1024;
/** After refusing an upload, read and discard its rest this long so the client sees the answer. */
const LINGER_MS = 2000;
const NOTIFICATION_TEST_PREFIX = "Hello World! This is a test message";

/**
 * The Logpush and Notifications webhook as plain Node HTTP handlers, independent of Node-RED:
 * authentication, limits, backpressure, replay suppression and the HTTP answers of DESIGN §3.2.
 */
export class LogpushReceiver {
  constructor(
    private readonly opts: ReceiverOptions,
    private readonly guard: ReplayGuard | null,
    private readonly capacity: Capacity,
    private readonly sink: ReceiverSink,
  ) {}

  /** Answers a Logpush upload. `dataset` comes from the path or query, if any. */
  async handleLogpush(req: IncomingMessage, res: ServerResponse, dataset: string | undefined): Promise<void> {
    const name = dataset === undefined || dataset === "" ? "unknown" : dataset;
    const refusal = this.checkAuth(bearerToken(header(req, "authorization")), "Authorization: Bearer")
      ?? checkDataset(name)
      ?? this.checkDeclaredLength(req, this.opts.limits.maxCompressedBytes);
    if (refusal) return this.refuse(req, res, refusal);
    if (!(await this.capacity.waitBelow(this.opts.maxInflightRecords, this.opts.admitWaitMs))) {
      return this.refuse(req, res, new BodyRefused(503, "pipeline is full; retry later"));
    }
    const id = randomUUID();
    const receivedAt = new Date().toISOString();
    let part = 0;
    let lineErrors = 0;
    try {
      const summary = await readLogpushBody(
        req.iterator({ destroyOnReturn: false }),
        {
          limits: this.opts.limits,
          batchSize: this.opts.batchSize,
          prefixBytes: PREFIX_BYTES,
          holdLimitRecords: this.opts.maxInflightRecords,
          replayScope: `${declaredLength(req) ?? "-"}:${name}`,
        },
        this.guard,
        {
          batch: async (records, bytes) => {
            if (!(await this.capacity.waitBelow(this.opts.maxInflightRecords, this.opts.drainWaitMs))) {
              throw new BodyRefused(503, "pipeline stayed full; retry later");
            }
            part++;
            this.sink.emit({ dataset: name, records, batch: { id, part, receivedAt, count: records.length, bytes } });
          },
          lineError: (err) => this.sink.lineError(err, { dataset: name, batchId: id, nth: ++lineErrors }),
        },
      );
      this.sink.accepted(summary, name);
      reply(res, 200, {
        outcome: summary.outcome,
        records: summary.records,
        emitted: summary.emitted,
        errors: summary.errors,
      });
    } catch (err) {
      this.refuse(req, res, err instanceof BodyRefused ? err : new BodyRefused(500, (err as Error).message));
    }
  }

  /** Answers a Cloudflare Notifications webhook (one small JSON document, `cf-webhook-auth`). */
  async handleNotification(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const secret = this.opts.notificationSecret || this.opts.secret;
    const refusal = this.checkAuth(header(req, "cf-webhook-auth") ?? null, "cf-webhook-auth", secret)
      ?? this.checkDeclaredLength(req, this.opts.maxNotificationBytes);
    if (refusal) return this.refuse(req, res, refusal);
    try {
      const record = parseNotification(await readSmall(req, this.opts.maxNotificationBytes), this.opts.limits.maxDepth);
      const isTest = typeof record.text === "string" && record.text.startsWith(NOTIFICATION_TEST_PREFIX)
        && record.alert_type === undefined;
      const bytes = Number(declaredLength(req) ?? 0);
      if (!isTest) {
        this.sink.emit({
          dataset: "notification",
          records: [record],
          batch: { id: randomUUID(), part: 1, receivedAt: new Date().toISOString(), count: 1, bytes },
        });
      }
      reply(res, 200, { outcome: isTest ? "validation" : "accepted", records: isTest ? 0 : 1 });
    } catch (err) {
      this.refuse(req, res, err instanceof BodyRefused ? err : new BodyRefused(400, (err as Error).message));
    }
  }

  private checkAuth(presented: string | null, scheme: string, expected = this.opts.secret): BodyRefused | null {
    if (!expected) return new BodyRefused(401, "no webhook secret configured");
    if (presented === null) return new BodyRefused(401, `missing ${scheme} header`);
    if (!secretMatches(presented, expected)) return new BodyRefused(401, "bad secret");
    return null;
  }

  private checkDeclaredLength(req: IncomingMessage, max: number): BodyRefused | null {
    const len = declaredLength(req);
    return len !== null && len > max ? new BodyRefused(413, `body is larger than ${max} bytes`) : null;
  }

  /** Reports the refusal and answers it, unless the client is already gone (an upload broken off). */
  private refuse(req: IncomingMessage, res: ServerResponse, err: BodyRefused): void {
    this.sink.refused(err.status, err.message);
    if (res.headersSent || req.socket.destroyed) return;
    const headers: Record<string, string> = { connection: "close" };
    if (err.status === 503 || err.status === 429) headers["retry-after"] = String(this.opts.retryAfterSeconds);
    reply(res, err.status, { error: err.message }, headers);
    linger(req);
  }
}

function checkDataset(name: string): BodyRefused | null {
  return DATASET_RE.test(name) ? null : new BodyRefused(400, "dataset must be lower-case letters, digits and _");
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function declaredLength(req: IncomingMessage): number | null {
  const v = req.headers["content-length"];
  if (v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function reply(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Discards what is left of a refused body for a short while, then closes the connection. */
function linger(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  const timer = setTimeout(() => req.destroy(), LINGER_MS);
  timer.unref();
  req.on("end", () => clearTimeout(timer));
  req.on("close", () => clearTimeout(timer));
  req.resume();
}

async function readSmall(req: IncomingMessage, max: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += chunk.length;
    if (size > max) throw new BodyRefused(413, `body is larger than ${max} bytes`);
    parts.push(chunk);
  }
  return Buffer.concat(parts, size).toString("utf8");
}

function parseNotification(text: string, maxDepth: number): RawRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BodyRefused(400, `notification is not JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new BodyRefused(400, "notification is not a JSON object");
  }
  if (sanitizeRecord(value as RawRecord, maxDepth).tooDeep) {
    throw new BodyRefused(400, `notification is nested deeper than ${maxDepth} levels`);
  }
  return value as RawRecord;
}
