import Joi from "joi";
import type { Parsed } from "../schema/parsed";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_LIMITS,
  DEFAULT_MAX_INFLIGHT_RECORDS,
  DEFAULT_RETRY_AFTER_SECONDS,
  type BodyLimits,
} from "./limits";

const MiB = 1024 * 1024;
export const DEFAULT_WEBHOOK_PATH = "/cloudflare/logpush";

/** The webhook's settings as the editor stores them (sizes in the units the dialog shows). */
export interface WebhookConfigInput {
  path?: unknown;
  batchSize?: unknown;
  maxBodyMB?: unknown;
  maxExpandedMB?: unknown;
  maxRatio?: unknown;
  maxLineKB?: unknown;
  maxInflight?: unknown;
  retryAfter?: unknown;
}

export interface WebhookSettings {
  path: string;
  batchSize: number;
  limits: BodyLimits;
  maxInflightRecords: number;
  retryAfterSeconds: number;
}

/** Editor fields are strings and may be blank; blank means the default. */
const num = (min: number, max: number, fallback: number) =>
  Joi.number().integer().min(min).max(max).empty("").default(fallback);

const schema = Joi.object({
  path: Joi.string()
    .pattern(/^\/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]$/)
    .pattern(/\/\//, { invert: true })
    .empty("")
    .default(DEFAULT_WEBHOOK_PATH)
    .messages({ "string.pattern.base": "path must start with / and hold only letters, digits, . _ ~ - and /" }),
  batchSize: num(1, 100_000, DEFAULT_BATCH_SIZE),
  maxBodyMB: num(1, 4096, DEFAULT_LIMITS.maxCompressedBytes / MiB),
  maxExpandedMB: num(1, 16384, DEFAULT_LIMITS.maxDecompressedBytes / MiB),
  maxRatio: num(2, 100_000, DEFAULT_LIMITS.maxRatio),
  maxLineKB: num(1, 65_536, DEFAULT_LIMITS.maxLineBytes / 1024),
  maxInflight: num(1, 10_000_000, DEFAULT_MAX_INFLIGHT_RECORDS),
  retryAfter: num(1, 3600, DEFAULT_RETRY_AFTER_SECONDS),
}).unknown(true);

/** Validates the webhook node's configuration; an invalid one is refused with the reason. */
export function parseWebhookConfig(input: WebhookConfigInput): Parsed<WebhookSettings> {
  const { value, error } = schema.validate(input, { convert: true, abortEarly: true });
  if (error) return { ok: false, error: error.message.replace(/"/g, "") };
  return {
    ok: true,
    value: {
      path: value.path,
      batchSize: value.batchSize,
      limits: {
        ...DEFAULT_LIMITS,
        maxCompressedBytes: value.maxBodyMB * MiB,
        maxDecompressedBytes: value.maxExpandedMB * MiB,
        maxRatio: value.maxRatio,
        maxLineBytes: value.maxLineKB * 1024,
      },
      maxInflightRecords: value.maxInflight,
      retryAfterSeconds: value.retryAfter,
    },
  };
}
