import { ConditionError, parseCondition, type Condition } from "./condition-parser";
import { fieldGetter, readSource } from "./field-path";
import { ModifierError, readModifiers, splitFieldKey, valueTests, type ScalarTest, type ValueMode } from "./modifiers";
import { RuleError, type EventPredicate } from "./rule";

type Path = ReadonlyArray<string | number>;

/** Nested objects deeper than this are not searched by keywords (no event is that deep). */
const MAX_KEYWORD_DEPTH = 32;

/**
 * Compiles a Sigma `detection` section into one predicate, once per rule.
 *
 * The predicate is generated JavaScript: a function per selection that reads each field with
 * plain property accesses and calls the field's value test. Closures shared by every rule would
 * see every field name and event shape at the same access sites, which V8 then handles
 * megamorphically, several times slower; generated code keeps each site to the one dataset the
 * rule reads. Nothing from the rule is pasted into the code as code: field names enter as JSON
 * string literals, values as precompiled tests (strings lower-cased once, here) passed in.
 *
 * Throws RuleError, with the path of the offending part, for anything malformed.
 */
export function compileDetection(detection: Record<string, unknown>): EventPredicate {
  const base = ["detection"];
  if ("timeframe" in detection) throw new RuleError("`timeframe` belongs to obsolete Sigma aggregations; write a correlation rule", [...base, "timeframe"], true);
  const names = Object.keys(detection).filter((k) => k !== "condition");
  if (names.length === 0) throw new RuleError("detection has no selection", base);
  const code = new Code();
  const selections = new Map<string, string>();
  for (const name of names) selections.set(name, selection(code, detection[name], [...base, name]));
  const written = detection.condition;
  const conditions = Array.isArray(written) ? written : [written];
  const expressions = conditions.map((text, i) => {
    const path = Array.isArray(written) ? [...base, "condition", i] : [...base, "condition"];
    if (typeof text !== "string") throw new RuleError("a condition must be a string", path);
    try {
      return conditionCode(parseCondition(text, names), selections);
    } catch (err) {
      if (err instanceof ConditionError) throw new RuleError(`condition: ${err.message}`, path);
      throw err;
    }
  });
  // Sigma: a list of conditions means any of them.
  return code.predicate(expressions.join(" || "));
}

/** Generated functions and the values they use. */
class Code {
  private readonly helpers: unknown[] = [];
  private readonly functions: string[] = [];

  /** A name for a value the generated code calls (a test, a getter). */
  helper(value: unknown): string {
    return `h${this.helpers.push(value) - 1}`;
  }

  /** A generated `function fN(e)`; returns its name. */
  fn(body: string): string {
    const name = `f${this.functions.length}`;
    this.functions.push(`function ${name}(e) {\n${body}\n}`);
    return name;
  }

  predicate(expression: string): EventPredicate {
    const source = [
      '"use strict";',
      ...this.helpers.map((_, i) => `const h${i} = H[${i}];`),
      ...this.functions,
      `return function match(e) { return ${expression}; };`,
    ].join("\n");
    return new Function("H", source)(this.helpers) as EventPredicate;
  }
}

function conditionCode(c: Condition, selections: ReadonlyMap<string, string>): string {
  switch (c.t) {
    case "sel":
      return `${selections.get(c.name)}(e)`;
    case "not":
      return `!${conditionCode(c.x, selections)}`;
    case "and":
      return `(${c.xs.map((x) => conditionCode(x, selections)).join(" && ")})`;
    case "or":
      return `(${c.xs.map((x) => conditionCode(x, selections)).join(" || ")})`;
    case "of":
      return `(${c.names.map((n) => `${selections.get(n)}(e)`).join(c.all ? " && " : " || ")})`;
  }
}

/** A selection as the name of the function that evaluates it. */
function selection(code: Code, value: unknown, path: Path): string {
  if (value === null || value === undefined) throw new RuleError(`selection "${path[path.length - 1]}" is empty`, path);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new RuleError(`selection "${path[path.length - 1]}" is an empty list`, path);
    if (value.every(isMap)) return code.fn(`return ${value.map((m, i) => `${map(code, m, [...path, i])}(e)`).join(" || ")};`);
    if (value.every(isScalar)) return keywords(code, readModifiers([], true), value, path);
    throw new RuleError("a selection list holds either keywords or maps, not both or anything else", path);
  }
  if (isMap(value)) return map(code, value, path);
  if (isScalar(value)) return keywords(code, readModifiers([], true), [value], path);
  throw new RuleError("a selection is a map, a list of maps or a list of keywords", path);
}

/** A map: every field must match. */
function map(code: Code, value: Record<string, unknown>, path: Path): string {
  const keys = Object.keys(value);
  if (keys.length === 0) throw new RuleError("an empty map matches nothing", path);
  const checks = keys.map((key) => field(code, key, value[key], [...path, key]));
  return code.fn(`let v;\n${checks.join("\n")}\nreturn true;`);
}

/** Statements that return false unless the field matches. */
function field(code: Code, key: string, value: unknown, path: Path): string {
  const { field: name, modifiers } = splitFieldKey(key);
  let mode: ValueMode;
  try {
    mode = readModifiers(modifiers, name === "");
  } catch (err) {
    if (err instanceof ModifierError) throw new RuleError(`${key}: ${err.message}`, path, true);
    throw err;
  }
  const values = Array.isArray(value) ? value : [value];
  if (name === "") return `if (!${keywords(code, mode, values, path)}(e)) return false;`;
  const read = readCode(code, name);
  if (mode.exists) {
    if (typeof value !== "boolean") throw new RuleError(`${key}: "exists" takes true or false`, path);
    return `${read}\nif ((v !== undefined) !== ${value}) return false;`;
  }
  if (values.length === 0) throw new RuleError(`${key}: no values`, path);
  const nested = values.findIndex((v) => v !== null && typeof v === "object");
  if (nested >= 0) throw new RuleError(`${key}: a value must be a string, number, boolean or null, not a ${Array.isArray(values[nested]) ? "list" : "map"}`, path);
  const matchesMissing = values.includes(null);
  const present = values.filter((v) => v !== null);
  if (matchesMissing && modifiers.length > 0) throw new RuleError(`${key}: null takes no modifiers`, path);
  const tests = present.length > 0 ? testsFor(key, mode, present, path).map((t) => code.helper(t)) : [];
  // A missing field, null and an empty array all read as "no value", which only `null` matches.
  // An array matches when an element does; with `all`, every value must be matched by some element.
  const onValue = tests.length === 0 ? "return false;" : tests.map(testCode).join("\n");
  return `${read}\nif (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) { ${matchesMissing ? "" : "return false;"} } else {\n${onValue}\n}`;
}

function testCode(test: string): string {
  return `if (Array.isArray(v)) { let ok = false; for (let i = 0; i < v.length; i++) if (${test}(v[i])) { ok = true; break; } if (!ok) return false; } else if (!${test}(v)) return false;`;
}

function readCode(code: Code, name: string): string {
  return readSource(name, code.helper(fieldGetter(name)));
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

/** Keywords search every string in the event, the raw record included; a helper's name. */
function keywords(code: Code, mode: ValueMode, values: readonly unknown[], path: Path): string {
  if (values.length === 0 || !values.every((v) => typeof v === "string" || typeof v === "number")) {
    throw new RuleError("keywords must be strings", path);
  }
  const tests = testsFor("keywords", mode, values, path);
  return code.helper((e: object) => {
    for (const test of tests) if (!someString(e, test, 0)) return false;
    return true;
  });
}

function someString(node: unknown, test: ScalarTest, depth: number): boolean {
  if (typeof node === "string") return test(node);
  if (node === null || typeof node !== "object" || depth > MAX_KEYWORD_DEPTH) return false;
  if (Array.isArray(node)) {
    for (const item of node) if (someString(item, test, depth + 1)) return true;
    return false;
  }
  for (const key in node) if (someString((node as Record<string, unknown>)[key], test, depth + 1)) return true;
  return false;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}
