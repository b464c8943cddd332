import type { ReplayEvent } from "./logpush-sender";
import { MAX_TIMER_MS } from "./timers";

export interface ReplayOptions {
  /** The webhook, http or https. */
  url: string | URL;
  /** Sent as `Authorization: Bearer <secret>`; never part of any message or event. */
  secret: string;
  /** Appended to the URL path as `/<dataset>`, how a Logpush job names its dataset to the webhook. */
  dataset?: string;
  /** Records per POST; default DEFAULT_BATCH_SIZE. */
  batchSize?: number;
  /** Cap on records per second; unlimited when absent. */
  ratePerSecond?: number;
  /** Re-sends of a refused batch after its first try; default DEFAULT_RETRIES. */
  retries?: number;
  /** Wait before the first retry, doubled for each further one; default DEFAULT_RETRY_DELAY_MS. */
  retryDelayMs?: number;
  /** Deadline of one request, answer included; default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Told about retries and failed batches as they happen. */
  onEvent?: (event: ReplayEvent) => void;
}

export type ReplayOptionName = Exclude<keyof ReplayOptions, "onEvent">;

export interface ResolvedReplayOptions {
  /** The URL with the dataset appended. */
  url: URL;
  secret: string;
  batchSize: number;
  ratePerSecond: number | null;
  retries: number;
  retryDelayMs: number;
  timeoutMs: number;
  onEvent: (event: ReplayEvent) => void;
}

export const DEFAULT_BATCH_SIZE = 1000;
/** With DEFAULT_RETRY_DELAY_MS: five tries over 20 + 40 + 80 + 160 s, Logpush's five minutes. */
export const DEFAULT_RETRIES = 4;
export const DEFAULT_RETRY_DELAY_MS = 20_000;
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Cloudflare dataset ids, and what the webhook node accepts as a path segment. */
const DATASET_RE = /^[a-z][a-z0-9_]{0,63}$/;
/** A bearer token must be one header-safe word; anything else would fail on every try. */
const SECRET_RE = /^[\x21-\x7e]+$/;

/** An option out of range; `option` lets a caller word it in its own terms (a flag, a field). */
export class ReplayOptionError extends Error {
  constructor(
    readonly option: ReplayOptionName,
    readonly reason: string,
  ) {
    super(`${option} ${reason}`);
    this.name = "ReplayOptionError";
  }
}

export function resolveReplayOptions(options: ReplayOptions): ResolvedReplayOptions {
  if (!SECRET_RE.test(options.secret)) {
    throw new ReplayOptionError("secret", "must be printable ASCII without spaces, and not empty");
  }
  return {
    url: destination(options.url, options.dataset),
    secret: options.secret,
    batchSize: whole("batchSize", options.batchSize ?? DEFAULT_BATCH_SIZE, 1),
    ratePerSecond: options.ratePerSecond === undefined ? null : positive("ratePerSecond", options.ratePerSecond),
    retries: whole("retries", options.retries ?? DEFAULT_RETRIES, 0),
    retryDelayMs: whole("retryDelayMs", options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS, 0),
    timeoutMs: whole("timeoutMs", options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, MAX_TIMER_MS),
    onEvent: options.onEvent ?? (() => undefined),
  };
}

function destination(url: string | URL, dataset: string | undefined): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ReplayOptionError("url", `is not a valid URL: "${String(url)}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ReplayOptionError("url", `must be http or https, not ${parsed.protocol.slice(0, -1)}`);
  }
  if (dataset !== undefined) {
    if (!DATASET_RE.test(dataset)) {
      throw new ReplayOptionError("dataset", "must be lower-case letters, digits and _, e.g. gateway_http");
    }
    parsed.pathname = `${parsed.pathname.replace(/\/+$/, "")}/${dataset}`;
  }
  return parsed;
}

function whole(option: ReplayOptionName, value: number, min: number, max?: number): number {
  if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new ReplayOptionError(option, `must be a whole number ${range}, not ${value}`);
  }
  return value;
}

function positive(option: ReplayOptionName, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new ReplayOptionError(option, `must be above 0, not ${value}`);
  return value;
}
