import Joi from "joi";
import type { Parsed } from "../schema/parsed";
import { accessRequestsSource } from "./sources/access-requests";
import { riskScoreSource } from "./sources/risk-score";
import { scimSource } from "./sources/scim";
import type { PollSource } from "./poll-source";

export const POLL_SOURCES: Readonly<Record<string, PollSource>> = {
  scim: scimSource,
  risk_score: riskScoreSource,
  access_requests: accessRequestsSource,
};

/** The poll node's settings as the editor stores them. */
export interface PollConfigInput {
  source?: unknown;
  interval?: unknown;
  lookback?: unknown;
  overlap?: unknown;
  batchSize?: unknown;
}

export interface PollSettings {
  source: PollSource;
  intervalMs: number;
  lookbackMs: number;
  overlapMs: number;
  batchSize: number;
}

const num = (min: number, max: number, fallback: number) => Joi.number().integer().min(min).max(max).empty("").default(fallback);

const schema = Joi.object({
  source: Joi.string()
    .valid(...Object.keys(POLL_SOURCES))
    .required()
    .messages({ "any.only": `source must be one of ${Object.keys(POLL_SOURCES).join(", ")}` }),
  interval: num(30, 86_400, 300),
  lookback: num(0, 720, 24),
  overlap: num(0, 1440, 10),
  batchSize: num(1, 100_000, 1000),
}).unknown(true);

/** Validates the poll node's configuration: interval in seconds, look-back in hours, overlap in minutes. */
export function parsePollConfig(input: PollConfigInput): Parsed<PollSettings> {
  const { value, error } = schema.validate(input, { convert: true });
  if (error) return { ok: false, error: error.message.replace(/"/g, "") };
  return {
    ok: true,
    value: {
      source: POLL_SOURCES[value.source],
      intervalMs: value.interval * 1000,
      lookbackMs: value.lookback * 3_600_000,
      overlapMs: value.overlap * 60_000,
      batchSize: value.batchSize,
    },
  };
}
