import { ConditionError, parseCondition, type Condition } from "./condition-parser";
import { ModifierError, readModifiers, splitFieldKey, valueTests, type ScalarTest, type ValueMode } from "./modifiers";
import { RuleError } from "./rule";

type Path = ReadonlyArray<string | number>;

/** One line of a selection map: a test of one field, or a keyword search. */
export type Check =
  /** `field|exists: true/false`. */
  | { kind: "exists"; field: string; present: boolean }
  /**
   * A field's values: a missing field, null or an empty list match only when `null` was listed
   * (`matchesMissing`); otherwise every test must accept the value (an element of it, for a list).
   */
  | { kind: "values"; field: string; matchesMissing: boolean; tests: ScalarTest[] }
  /** Every test must accept some string anywhere in the event. */
  | { kind: "keywords"; tests: ScalarTest[] };

/**
 * A Sigma `detection` section, checked and with its values turned into tests, before any code is
 * generated from it: each selection is a list of maps (any of them matches) of checks (all must
 * hold); the conditions (any of them) combine the selections by name.
 */
export interface Detection {
  selections: ReadonlyMap<string, readonly (readonly Check[])[]>;
  conditions: readonly Condition[];
}

/** Reads a `detection` section; throws RuleError, with the path of the offending part, for anything malformed. */
export function parseDetection(detection: Record<string, unknown>): Detection {
  const base = ["detection"];
  if ("timeframe" in detection) throw new RuleError("`timeframe` belongs to obsolete Sigma aggregations; write a correlation rule", [...base, "timeframe"], true);
  const names = Object.keys(detection).filter((k) => k !== "condition");
  if (names.length === 0) throw new RuleError("detection has no selection", base);
  const selections = new Map<string, Check[][]>();
  for (const name of names) selections.set(name, selection(detection[name], [...base, name]));
  const written = detection.condition;
  const list = Array.isArray(written) ? written : [written];
  const conditions = list.map((text, i) => {
    const path = Array.isArray(written) ? [...base, "condition", i] : [...base, "condition"];
    if (typeof text !== "string") throw new RuleError("a condition must be a string", path);
    try {
      return parseCondition(text, names);
    } catch (err) {
      if (err instanceof ConditionError) throw new RuleError(`condition: ${err.message}`, path);
      throw err;
    }
  });
  return { selections, conditions };
}

function selection(value: unknown, path: Path): Check[][] {
  if (value === null || value === undefined) throw new RuleError(`selection "${path[path.length - 1]}" is empty`, path);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new RuleError(`selection "${path[path.length - 1]}" is an empty list`, path);
    if (value.every(isMap)) return value.map((m, i) => map(m, [...path, i]));
    if (value.every(isScalar)) return [[keywords(readModifiers([], true), value, path)]];
    throw new RuleError("a selection list holds either keywords or maps, not both or anything else", path);
  }
  if (isMap(value)) return [map(value, path)];
  if (isScalar(value)) return [[keywords(readModifiers([], true), [value], path)]];
  throw new RuleError("a selection is a map, a list of maps or a list of keywords", path);
}

/** A map: every field must match. */
function map(value: Record<string, unknown>, path: Path): Check[] {
  const keys = Object.keys(value);
  if (keys.length === 0) throw new RuleError("an empty map matches nothing", path);
  return keys.map((key) => field(key, value[key], [...path, key]));
}

function field(key: string, value: unknown, path: Path): Check {
  const { field: name, modifiers } = splitFieldKey(key);
  let mode: ValueMode;
  try {
    mode = readModifiers(modifiers, name === "");
  } catch (err) {
    if (err instanceof ModifierError) throw new RuleError(`${key}: ${err.message}`, path, true);
    throw err;
  }
  const values = Array.isArray(value) ? value : [value];
  if (name === "") return keywords(mode, values, path);
  if (mode.exists) {
    if (typeof value !== "boolean") throw new RuleError(`${key}: "exists" takes true or false`, path);
    return { kind: "exists", field: name, present: value };
  }
  if (values.length === 0) throw new RuleError(`${key}: no values`, path);
  const nested = values.findIndex((v) => v !== null && typeof v === "object");
  if (nested >= 0) throw new RuleError(`${key}: a value must be a string, number, boolean or null, not a ${Array.isArray(values[nested]) ? "list" : "map"}`, path);
  const matchesMissing = values.includes(null);
  const present = values.filter((v) => v !== null);
  if (matchesMissing && modifiers.length > 0) throw new RuleError(`${key}: null takes no modifiers`, path);
  const tests = present.length > 0 ? testsFor(key, mode, present, path) : [];
  return { kind: "values", field: name, matchesMissing, tests };
}

function testsFor(key: string, mode: ValueMode, values: readonly unknown[], path: Path): ScalarTest[] {
  // Sigma: "Single item values are not allowed to have an `all` modifier".
  if (mode.all && values.length < 2) throw new RuleError(`${key}: "all" needs a list of two or more values`, path);
  try {
    return valueTests(mode, values);
  } catch (err) {
    if (err instanceof ModifierError) throw new RuleError(`${key}: ${err.message}`, path);
    throw err;
  }
}

/** Keywords search every string in the event, the raw record included. */
function keywords(mode: ValueMode, values: readonly unknown[], path: Path): Check {
  if (values.length === 0 || !values.every((v) => typeof v === "string" || typeof v === "number")) {
    throw new RuleError("keywords must be strings", path);
  }
  return { kind: "keywords", tests: testsFor("keywords", mode, values, path) };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}
