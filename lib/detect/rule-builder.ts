import { DATASETS, isDataset } from "../schema/event";
import { parseDuration } from "./duration";
import { parseDetection } from "./detection";
import { compileDetection } from "./matcher-compiler";
import { COUNT_OPERATORS, RuleError, type CorrelationDef, type CountCondition, type Rule, type RuleTestCase, type Severity } from "./rule";

/** A rule document that passed checkRuleShape, as its YAML gives it. */
interface RuleDoc {
  title: string;
  id: string;
  name?: string;
  status?: string;
  description?: string;
  logsource?: { product?: string; service?: string };
  detection?: Record<string, unknown>;
  correlation?: {
    type: CorrelationDef["type"];
    rules: string[];
    "group-by"?: string[];
    timespan?: string;
    learning?: string;
    condition?: CountCondition & { field?: string | string[] };
    aliases?: Record<string, Record<string, string>>;
    generate?: boolean;
  };
  level?: Severity;
  severity?: Severity;
  tags?: string[];
  mitre?: string[];
  evidence?: string[];
  duet?: string;
  optin?: boolean;
  generate?: boolean;
  suppress?: { by?: string | string[]; for: string };
  sources?: string[];
  tests?: RuleTestCase[];
}

/** Sigma leaves `level` optional; a rule without one is treated as this. */
const DEFAULT_SEVERITY: Severity = "medium";

/**
 * A shape-checked rule document → a Rule with its detection compiled. Correlations come back with
 * no `bases`: the loader resolves them once every rule is known. Throws RuleError.
 */
export function buildRule(value: unknown, file: string, line: number): Rule {
  const doc = value as RuleDoc;
  if (doc.level && doc.severity && doc.level !== doc.severity) throw new RuleError(`level (${doc.level}) and severity (${doc.severity}) disagree; give one`, ["severity"]);
  const common = {
    id: doc.id,
    title: doc.title,
    name: doc.name,
    description: doc.description ?? "",
    status: doc.status,
    severity: doc.level ?? doc.severity ?? DEFAULT_SEVERITY,
    mitre: techniques(doc.mitre ?? [], doc.tags ?? []),
    tags: doc.tags ?? [],
    sources: sourcesOf(doc),
    evidence: doc.evidence ?? [],
    duet: doc.duet,
    optin: doc.optin ?? false,
    generate: doc.generate ?? doc.correlation?.generate,
    suppress: doc.suppress && { by: suppressBy(doc), forMs: parseDuration(doc.suppress.for)! },
    tests: doc.tests ?? [],
    file,
    line,
  };
  if (doc.detection) {
    const detection = parseDetection(doc.detection);
    return { ...common, kind: "detection", detection, match: compileDetection(detection) };
  }
  return { ...common, kind: "correlation", correlation: correlationOf(doc.correlation!), bases: [] };
}

function correlationOf(c: NonNullable<RuleDoc["correlation"]>): CorrelationDef {
  const path = ["correlation", "condition"];
  const { field, ...bounds } = c.condition ?? {};
  const condition: CountCondition = {};
  for (const op of COUNT_OPERATORS) if (bounds[op] !== undefined) condition[op] = bounds[op];
  const hasBounds = Object.keys(condition).length > 0;
  const def: CorrelationDef = {
    type: c.type,
    rules: c.rules,
    groupBy: c["group-by"] ?? [],
    aliases: c.aliases ?? {},
    timespanMs: parseDuration(c.timespan),
    learningMs: parseDuration(c.learning),
    condition,
    field: field === undefined ? undefined : listOf(field),
  };
  switch (c.type) {
    case "event_count":
    case "value_count":
      if (!hasBounds) throw new RuleError(`a ${c.type} correlation needs a condition such as {gte: 10}`, c.condition ? path : ["correlation"]);
      if (c.type === "value_count" && !field) throw new RuleError("a value_count correlation needs condition.field: the field whose distinct values count", c.condition ? path : ["correlation"]);
      if (c.type === "event_count" && field) throw new RuleError("condition.field belongs to value_count and first_seen", [...path, "field"]);
      break;
    case "temporal":
    case "temporal_ordered":
      if (field) throw new RuleError("condition.field belongs to value_count and first_seen", [...path, "field"]);
      if (condition.lt !== undefined || condition.lte !== undefined) throw new RuleError("a temporal correlation counts the rules that matched; use gte, gt or eq", path);
      if (c.type === "temporal_ordered" && c.rules.length < 2) throw new RuleError("a temporal_ordered correlation needs two or more rules", ["correlation", "rules"]);
      if (c.type === "temporal_ordered" && hasBounds) throw new RuleError("a temporal_ordered correlation takes no count condition: every rule must match, in order", path);
      break;
    case "first_seen":
      if (!field) throw new RuleError("a first_seen correlation needs condition.field: the field whose new values alert", c.condition ? path : ["correlation"]);
      if (hasBounds) throw new RuleError("a first_seen correlation takes no count, only condition.field", path);
      break;
  }
  checkBounds(condition, path);
  checkAliases(def);
  return def;
}

/** Refuses conditions no count can satisfy, such as {gte: 10, lte: 5}. */
export function checkBounds(condition: CountCondition, path: ReadonlyArray<string | number>): void {
  const low = Math.max(condition.gt !== undefined ? condition.gt + 1 : 0, condition.gte ?? 0, condition.eq ?? 0);
  const high = Math.min(condition.lt !== undefined ? condition.lt - 1 : Infinity, condition.lte ?? Infinity, condition.eq ?? Infinity);
  if (low > high) throw new RuleError(`the condition ${JSON.stringify(condition)} can never hold`, path);
}

function checkAliases(def: CorrelationDef): void {
  for (const [alias, fields] of Object.entries(def.aliases)) {
    for (const ref of Object.keys(fields)) {
      if (!def.rules.includes(ref)) throw new RuleError(`alias "${alias}" names "${ref}", which is not in correlation.rules`, ["correlation", "aliases", alias, ref], true);
    }
    const missing = def.rules.find((r) => fields[r] === undefined);
    if (missing) throw new RuleError(`alias "${alias}" gives no field for rule "${missing}"`, ["correlation", "aliases", alias]);
  }
}

function sourcesOf(doc: RuleDoc): string[] {
  if (doc.sources) return doc.sources;
  const service = doc.logsource?.service;
  if (service === undefined) return [];
  if (isDataset(service)) return [service];
  // Another product's service (a community rule for another log source) narrows nothing here;
  // a Cloudflare service we do not know is a typo that would silently match nothing.
  if (doc.logsource?.product?.toLowerCase() === "cloudflare") {
    throw new RuleError(`logsource.service "${service}" is not a Cloudflare dataset: ${DATASETS.join(", ")}`, ["logsource", "service"]);
  }
  return [];
}

const ATTACK_TAG = /^attack\.(t\d{4}(\.\d{3})?)$/i;

function techniques(mitre: readonly string[], tags: readonly string[]): string[] {
  const fromTags = tags.map((t) => ATTACK_TAG.exec(t)?.[1]).filter((t): t is string => t !== undefined);
  return [...new Set([...mitre, ...fromTags].map((t) => t.toUpperCase()))];
}

/** docs/RULE-FORMAT.md: by default the correlation's group-by, else `user.email`. */
function suppressBy(doc: RuleDoc): string[] {
  const by = listOf(doc.suppress?.by);
  if (by.length > 0) return by;
  const groupBy = doc.correlation?.["group-by"] ?? [];
  return groupBy.length > 0 ? groupBy : ["user.email"];
}

function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
