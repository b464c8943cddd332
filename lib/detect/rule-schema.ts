import Joi from "joi";
import { DATASETS, isDataset } from "../schema/event";
import { DURATION_PATTERN } from "./duration";
import { CORRELATION_TYPES, RuleError, SEVERITIES, STATUSES } from "./rule";

const duration = Joi.string().pattern(DURATION_PATTERN).messages({
  "string.base": "{{#label}} must be a duration such as 30s, 10m, 1h or 7d",
  "string.pattern.base": "{{#label}} must be a duration such as 30s, 10m, 1h or 7d",
});
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const strings = Joi.array().items(Joi.string().min(1));
const stringOrStrings = Joi.alternatives(Joi.string().min(1), strings.min(1));
const count = Joi.number().integer().min(0);

const testEvent = Joi.object()
  .unknown(true)
  .custom((v: Record<string, unknown>, helpers) => {
    if ("record" in v) {
      if (!(isDataset(v.dataset) || v.dataset === "unknown")) return helpers.message({ custom: `{{#label}}.dataset must be one of ${DATASETS.join(", ")} or unknown` });
      if (v.record === null || typeof v.record !== "object" || Array.isArray(v.record)) return helpers.message({ custom: "{{#label}}.record must be a map" });
      return v;
    }
    const nested = (v.event as { dataset?: unknown } | undefined)?.dataset;
    if (typeof nested !== "string" && typeof v["event.dataset"] !== "string") {
      return helpers.message({ custom: "{{#label}} must be a normalized event (with event.dataset) or a raw record (dataset and record)" });
    }
    return v;
  });

const correlation = Joi.object({
  type: Joi.string()
    .valid(...CORRELATION_TYPES)
    .required(),
  rules: Joi.array().items(Joi.string().min(1)).min(1).unique().required(),
  "group-by": Joi.array().items(Joi.string().min(1)).unique(),
  timespan: duration.when("type", { is: "first_seen", then: Joi.forbidden(), otherwise: Joi.required() }),
  learning: duration.when("type", { is: "first_seen", then: Joi.required(), otherwise: Joi.forbidden() }),
  condition: Joi.object({ gt: count, gte: count, lt: count, lte: count, eq: count, field: stringOrStrings }),
  aliases: Joi.object().pattern(Joi.string(), Joi.object().pattern(Joi.string(), Joi.string().min(1))),
  generate: Joi.boolean(),
});

/**
 * The rule document: Sigma's keys with their types, plus ours (docs/RULE-FORMAT.md). Other
 * top-level keys are allowed, as Sigma allows custom attributes; inside the sections we define
 * (`correlation`, `suppress`, `tests`) an unknown key is a typo and refused.
 */
const ruleSchema = Joi.object({
  title: Joi.string().min(1).max(256).required(),
  id: Joi.string().pattern(ID_PATTERN).required().messages({ "string.pattern.base": "{{#label}} must be 1 to 128 letters, digits, - and _" }),
  name: Joi.string().min(1).max(128),
  status: Joi.string().valid(...STATUSES),
  description: Joi.string().allow(""),
  author: Joi.string().allow(""),
  references: strings,
  logsource: Joi.object({ product: Joi.string(), service: Joi.string(), category: Joi.string(), definition: Joi.string() }).unknown(true),
  detection: Joi.object({ condition: Joi.alternatives(Joi.string(), Joi.array().items(Joi.string()).min(1)).required() }).unknown(true),
  correlation,
  level: Joi.string().valid(...SEVERITIES),
  severity: Joi.string().valid(...SEVERITIES),
  tags: strings,
  mitre: Joi.array().items(Joi.string().pattern(/^T\d{4}(\.\d{3})?$/i)),
  falsepositives: stringOrStrings,
  fields: strings,
  evidence: strings,
  duet: Joi.string().min(1).max(1000),
  optin: Joi.boolean(),
  generate: Joi.boolean(),
  suppress: Joi.object({ by: stringOrStrings, for: duration.required() }),
  sources: Joi.array()
    .items(Joi.string().valid(...DATASETS))
    .min(1)
    .unique(),
  tests: Joi.array().items(
    Joi.object({
      name: Joi.string().min(1).required(),
      events: Joi.array().items(testEvent).min(1).required(),
      alerts: count.required(),
      now: Joi.string().isoDate(),
    }),
  ),
})
  .xor("detection", "correlation")
  .unknown(true)
  .messages({
    "object.missing": "a rule needs a detection or a correlation section",
    "object.xor": "a rule has a detection or a correlation section, not both",
  });

/** Every shape problem of a rule document (types, required keys), each with its path. */
export function checkRuleShape(doc: unknown): RuleError[] {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return [new RuleError("a rule document must be a map", [])];
  const { error } = ruleSchema.validate(doc, { abortEarly: false, convert: false });
  // One reason per place: a wrong type can fail several checks of the same key.
  const reasons = new Map<string, RuleError>();
  for (const d of error?.details ?? []) {
    const place = d.path.join(".");
    if (!reasons.has(place)) reasons.set(place, new RuleError(d.message.replace(/"/g, ""), d.path));
  }
  return [...reasons.values()];
}
