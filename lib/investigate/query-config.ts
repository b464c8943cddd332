import Joi from "joi";
import type { Parsed } from "../schema/parsed";

/** Where the value to investigate comes from: the alert, or a typed input of the flow. */
export const VALUE_TYPES = ["alert", "msg", "flow", "global", "env", "str"] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** A query node's settings as the editor stores them. */
export interface QueryConfigInput {
  valueType?: unknown;
  value?: unknown;
  before?: unknown;
  after?: unknown;
  cap?: unknown;
  timeout?: unknown;
}

export interface QuerySettings {
  valueType: ValueType;
  /** The property path or literal of a typed input; empty for `alert`. */
  value: string;
  beforeMs: number;
  afterMs: number;
  cap: number;
  timeoutMs: number;
}

const num = (min: number, max: number, fallback: number) => Joi.number().integer().min(min).max(max).empty("").default(fallback);

const schema = Joi.object({
  valueType: Joi.string()
    .valid(...VALUE_TYPES)
    .empty("")
    .default("alert")
    .messages({ "any.only": `the value must come from ${VALUE_TYPES.join(", ")}` }),
  value: Joi.string().allow("").max(1024).default(""),
  // Minutes: a day back and an hour ahead by default, up to 30 days back and a day ahead.
  before: num(0, 43_200, 1440),
  after: num(0, 1440, 60),
  cap: num(1, 5000, 200),
  // Seconds, per backend.
  timeout: num(1, 300, 20),
})
  .custom((v: { valueType: string; value: string }, helpers) => (v.valueType !== "alert" && v.value.trim() === "" ? helpers.error("value.missing") : v))
  .messages({ "value.missing": "the value's property or text is missing" })
  .unknown(true);

/** Validates a query node's configuration: window in minutes, timeline cap in lines, timeout in seconds. */
export function parseQueryConfig(input: QueryConfigInput): Parsed<QuerySettings> {
  const { value, error } = schema.validate(input, { convert: true });
  if (error) return { ok: false, error: error.message.replace(/"/g, "") };
  return {
    ok: true,
    value: {
      valueType: value.valueType,
      value: value.value.trim(),
      beforeMs: value.before * 60_000,
      afterMs: value.after * 60_000,
      cap: value.cap,
      timeoutMs: value.timeout * 1000,
    },
  };
}
