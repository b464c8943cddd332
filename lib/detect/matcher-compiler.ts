import type { Condition } from "./condition-parser";
import type { Check, Detection } from "./detection";
import { fieldGetter, readSource } from "./field-path";
import type { ScalarTest } from "./modifiers";
import type { EventPredicate } from "./rule";

/** Nested objects deeper than this are not searched by keywords (no event is that deep). */
const MAX_KEYWORD_DEPTH = 32;

/**
 * Turns a checked `detection` (parseDetection) into a predicate, once per rule.
 *
 * The predicate is generated JavaScript: a function per selection map that reads each field with
 * plain property accesses and calls the field's value test. Closures shared by every rule would
 * see every field name and event shape at the same access sites, which V8 then handles
 * megamorphically, several times slower; generated code keeps each site to the one dataset the
 * rule reads. Nothing from the rule is pasted into the code as code: field names enter as JSON
 * string literals, values as precompiled tests (strings lower-cased once) passed in.
 */
export function compileDetection(detection: Detection): EventPredicate {
  const code = new Code();
  const expression = detectionCode(code, detection, {});
  return code.build(`return function match(e) { return ${expression}; };`) as EventPredicate;
}

/**
 * Within one dataset's program (dataset-program.ts) a detection is generated with more known:
 * `dataset`, the `event.dataset` every event it sees has, decides the checks of that field here;
 * `indexed` gives the mark that the program's index sets for an event whose field passes a test,
 * where the program has one (the generated code then reads `M[mark] === q`).
 */
export interface CodeContext {
  dataset?: string;
  indexed?: (field: string, test: ScalarTest) => number | undefined;
}

/**
 * A detection as a JavaScript expression over the event `e`, its functions added to `code`; or a
 * constant, when the context decides it whatever the event.
 */
export function detectionCode(code: Code, detection: Detection, context: CodeContext): string | boolean {
  const selections = new Map<string, string | boolean>();
  const selection = (name: string) => {
    let expr = selections.get(name);
    if (expr === undefined) selections.set(name, (expr = any(detection.selections.get(name)!.map((checks) => mapCode(code, checks, context)))));
    return expr;
  };
  // Sigma: a list of conditions means any of them.
  return any(detection.conditions.map((c) => conditionCode(c, selection)));
}

/** Generated functions and the values they use, in one scope. */
export class Code {
  private readonly helpers: unknown[] = [];
  private readonly functions: string[] = [];

  /** A name for a value the generated code uses (a test, a getter, a table). */
  helper(value: unknown): string {
    return `h${this.helpers.push(value) - 1}`;
  }

  /** A generated `function fN(e)`; returns its name. */
  fn(body: string, params = "e"): string {
    const name = `f${this.functions.length}`;
    this.functions.push(`function ${name}(${params}) {\n${body}\n}`);
    return name;
  }

  /** Evaluates the helpers, the functions and then `tail`, which returns the result. */
  build(tail: string): unknown {
    const source = ['"use strict";', ...this.helpers.map((_, i) => `const h${i} = H[${i}];`), ...this.functions, tail].join("\n");
    return new Function("H", source)(this.helpers);
  }
}

function conditionCode(c: Condition, selection: (name: string) => string | boolean): string | boolean {
  switch (c.t) {
    case "sel":
      return selection(c.name);
    case "not": {
      const x = conditionCode(c.x, selection);
      return typeof x === "boolean" ? !x : `!${x}`;
    }
    case "and":
      return all(c.xs.map((x) => conditionCode(x, selection)));
    case "or":
      return any(c.xs.map((x) => conditionCode(x, selection)));
    case "of":
      return (c.all ? all : any)(c.names.map(selection));
  }
}

function any(xs: ReadonlyArray<string | boolean>): string | boolean {
  if (xs.includes(true)) return true;
  const rest = xs.filter((x): x is string => x !== false);
  return rest.length === 0 ? false : `(${rest.join(" || ")})`;
}

function all(xs: ReadonlyArray<string | boolean>): string | boolean {
  if (xs.includes(false)) return false;
  const rest = xs.filter((x): x is string => x !== true);
  return rest.length === 0 ? true : `(${rest.join(" && ")})`;
}

/**
 * A map: every check must hold. An expression that says so: the marks its checks need, when the
 * program's index answers them all, else a call of a function that reads the fields; or a constant.
 */
function mapCode(code: Code, checks: readonly Check[], context: CodeContext): string | boolean {
  const marks: string[] = [];
  const statements: string[] = [];
  for (const check of checks) {
    const s = checkCode(code, check, context);
    if (s === false) return false;
    if (typeof s === "string") statements.push(s);
    else if (s !== true) marks.push(...s.marks.map((m) => `M[${m}] === q`));
  }
  if (statements.length > 0) marks.push(`${code.fn(`let v;\n${statements.join("\n")}\nreturn true;`)}(e)`);
  return marks.length === 0 ? true : `(${marks.join(" && ")})`;
}

/**
 * Statements that return false unless the check holds; or a constant; or the marks that hold
 * exactly when it does (a value passed every test, so the field was there and not empty).
 */
function checkCode(code: Code, check: Check, context: CodeContext): string | boolean | { marks: number[] } {
  if (check.kind === "keywords") {
    const tests = check.tests;
    const helper = code.helper((e: object) => {
      for (const test of tests) if (!someString(e, test, 0)) return false;
      return true;
    });
    return `if (!${helper}(e)) return false;`;
  }
  if (check.field === "event.dataset" && context.dataset !== undefined) return holdsFor(check, context.dataset);
  const read = readSource(check.field, code.helper(fieldGetter(check.field)));
  if (check.kind === "exists") return `${read}\nif ((v !== undefined) !== ${check.present}) return false;`;
  const marks = check.tests.map((test) => context.indexed?.(check.field, test));
  if (!check.matchesMissing && marks.length > 0 && marks.every((m) => m !== undefined)) return { marks: marks as number[] };
  // A missing field, null and an empty array all read as "no value", which only `null` matches.
  // An array matches when an element does; with `all`, every value must be matched by some element.
  const onValue =
    check.tests.length === 0
      ? "return false;"
      : check.tests.map((test, i) => (marks[i] === undefined ? testCode(code.helper(test)) : `if (M[${marks[i]}] !== q) return false;`)).join("\n");
  return `${read}\nif (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) { ${check.matchesMissing ? "" : "return false;"} } else {\n${onValue}\n}`;
}

/** Whether a check holds for a field whose value is known to be the non-empty string `value`. */
function holdsFor(check: Exclude<Check, { kind: "keywords" }>, value: string): boolean {
  if (check.kind === "exists") return check.present;
  return check.tests.length > 0 && check.tests.every((test) => test(value));
}

function testCode(test: string): string {
  return `if (Array.isArray(v)) { let ok = false; for (let i = 0; i < v.length; i++) if (${test}(v[i])) { ok = true; break; } if (!ok) return false; } else if (!${test}(v)) return false;`;
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
