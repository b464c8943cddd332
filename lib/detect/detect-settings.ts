import Joi from "joi";
import type { Parsed } from "../schema/parsed";
import { DetectionEngine, loadBuiltinRules, loadRuleFiles, SEVERITIES, type Rule, type RuleLoadError, type RuleOverride, type Severity } from ".";

/** The detect node's settings as the editor stores them (the CLI builds the same). */
export interface DetectConfigInput {
  rulesDir?: unknown;
  includeOptin?: unknown;
  minSeverity?: unknown;
  overrides?: unknown;
  telemetry?: unknown;
}

export interface DetectSettings {
  rulesDir: string;
  includeOptin: boolean;
  minSeverity: Severity;
  overrides: Record<string, RuleOverride>;
  telemetry: boolean;
}

const override = Joi.object({
  enabled: Joi.boolean(),
  thresholds: Joi.object().pattern(/^[A-Za-z0-9_.]+$/, Joi.alternatives(Joi.number(), Joi.string().max(64))),
});

const schema = Joi.object({
  rulesDir: Joi.string().allow("").max(4096).default(""),
  includeOptin: Joi.boolean().default(false),
  minSeverity: Joi.string().valid(...SEVERITIES).default("informational"),
  overrides: Joi.object().pattern(/^[A-Za-z0-9_.-]{1,128}$/, override).default({}),
  telemetry: Joi.boolean().default(true),
}).unknown(true);

/** Validates the detect settings; an invalid one is refused with the reason. */
export function parseDetectConfig(input: DetectConfigInput): Parsed<DetectSettings> {
  const { value, error } = schema.validate(input, { convert: true });
  if (error) return { ok: false, error: error.message.replace(/"/g, "") };
  return { ok: true, value: value as DetectSettings };
}

/**
 * `id.enabled=false,id.correlation.condition.gte=20`: the command line's way of writing the node's
 * per-rule overrides. Values that read as numbers or booleans become them.
 */
export function parseOverrideList(text: string): Record<string, RuleOverride> {
  const out: Record<string, RuleOverride> = {};
  for (const item of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf("=");
    const dot = item.indexOf(".");
    if (eq < 0 || dot < 0 || dot > eq) throw new Error(`"${item}" is not ID.KEY=VALUE`);
    const id = item.slice(0, dot);
    const key = item.slice(dot + 1, eq);
    const raw = item.slice(eq + 1);
    const o = (out[id] ??= {});
    if (key === "enabled") {
      if (raw !== "true" && raw !== "false") throw new Error(`${id}.enabled must be true or false`);
      o.enabled = raw === "true";
    } else {
      (o.thresholds ??= {})[key] = raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    }
  }
  return out;
}

/**
 * The built-in pack plus a folder of the user's own, which may correlate built-in rules and
 * replace them by id.
 */
export function assembleRules(dir: string): { rules: Rule[]; errors: RuleLoadError[] } {
  const builtin = loadBuiltinRules();
  if (!dir) return builtin;
  const own = loadRuleFiles(dir, { base: builtin.rules });
  return { rules: own.rules, errors: [...builtin.errors, ...own.errors] };
}

/** The engine for these settings; throws OverrideError when a threshold override is invalid. */
export function buildEngine(rules: Rule[], settings: DetectSettings): DetectionEngine {
  return new DetectionEngine({
    rules,
    overrides: settings.overrides,
    includeOptin: settings.includeOptin,
    minSeverity: settings.minSeverity,
  });
}
