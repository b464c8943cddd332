import { fieldGetter, readSource } from "./field-path";
import { lowerCase } from "./lower-case";
import { Code, detectionCode } from "./matcher-compiler";
import { exactValues, type ExactValues, type ScalarTest } from "./modifiers";
import type { DetectionRule } from "./rule";

/**
 * A field is looked up in an index once per event when at least this many equality tests of the
 * dataset's rules read it; a field read by one test is cheaper tested where it is.
 */
const INDEX_MIN_TESTS = 2;
/** Values of one field whose marks are remembered; the memory is dropped whole when full. */
const MAX_SEEN = 4096;
/** Marks are event numbers; they start again from 1, marks cleared, before they could overflow. */
const MAX_EVENT_NUMBER = 0x3fffffff;

/** The detection rules of one dataset, compiled together. */
export interface DatasetProgram {
  /** Positions, in the list it was compiled from, of the rules it runs: those that can match there. */
  readonly members: readonly number[];
  /** Writes into `out` the positions of the rules the event matches, in order; returns how many. */
  run(event: object, out: Int32Array): number;
}

/**
 * Compiles the rules one dataset's events meet into one program, which answers what each rule's
 * own `match` would, at a fraction of the cost:
 *
 * - `dataset`: the `event.dataset` of every event the program will see (the engine routes by it).
 *   Checks of that field are decided at compile time, so a rule written for other datasets drops
 *   out, and a selection for this one loses its dataset check.
 * - Equality tests without case (most of a rule pack: category names and ids, actions, outcomes,
 *   methods) that share a field go into one index per field: the event's values are looked up once
 *   and mark every test they pass, and the rules read the marks. Ten rules testing
 *   `CategoryNames` then cost one lookup per category rather than ten tests.
 */
export function compileDatasetProgram(rules: readonly DetectionRule[], dataset?: string): DatasetProgram {
  // The same rules make the same program: engines built over and over (a redeployed flow, each
  // rule's tests) share it, and with it the machine code the JIT made for it.
  let node = compiled;
  for (const rule of rules) {
    let next = node.next.get(rule);
    if (!next) node.next.set(rule, (next = { next: new WeakMap(), programs: new Map() }));
    node = next;
  }
  const key = dataset ?? "";
  let program = node.programs.get(key);
  if (!program) node.programs.set(key, (program = compile(rules, dataset)));
  return program;
}

/** Programs by their rules, one rule object per level, so that a program goes when its rules do. */
interface CacheNode {
  next: WeakMap<DetectionRule, CacheNode>;
  programs: Map<string, DatasetProgram>;
}

const compiled: CacheNode = { next: new WeakMap(), programs: new Map() };

function compile(rules: readonly DetectionRule[], dataset: string | undefined): DatasetProgram {
  const code = new Code();
  const fields = new Map<string, FieldIndex>();
  for (const [name, n] of exactTestsByField(rules, dataset)) if (n >= INDEX_MIN_TESTS) fields.set(name, new FieldIndex());
  let marks = 0;
  const indexed = (field: string, test: ScalarTest) => {
    const values = exactValues(test);
    const index = fields.get(field);
    if (!values || !index) return undefined;
    index.add(values, marks);
    return marks++;
  };
  const members: number[] = [];
  const lines: string[] = [];
  rules.forEach((rule, position) => {
    const expr = detectionCode(code, rule.detection, { dataset, indexed });
    if (expr === false) return;
    members.push(position);
    lines.push(expr === true ? `out[n++] = ${position};` : `if (${expr}) out[n++] = ${position};`);
  });
  const prepare = [...fields].filter(([, index]) => index.used).map(([name, index]) => prepareField(code, name, index));
  const run = code.build(
    [
      `const M = new Int32Array(${marks});`,
      `let q = 0;`,
      `return function run(e, out) {`,
      `if (++q > ${MAX_EVENT_NUMBER}) { M.fill(0); q = 1; }`,
      `let v;`,
      ...prepare,
      `let n = 0;`,
      ...lines,
      `return n;`,
      `};`,
    ].join("\n"),
  ) as DatasetProgram["run"];
  return { members, run };
}

/** The marks of one field: its values (lower-cased text, numbers) → the tests they pass. */
class FieldIndex {
  readonly strings = new Map<string, number[]>();
  readonly numbers = new Map<number, number[]>();
  longest = 0;
  used = false;

  add(values: ExactValues, mark: number): void {
    this.used = true;
    for (const s of values.strings) {
      push(this.strings, s, mark);
      this.longest = Math.max(this.longest, s.length);
    }
    for (const n of values.numbers) push(this.numbers, n, mark);
  }
}

function push<K>(map: Map<K, number[]>, key: K, mark: number): void {
  const marks = map.get(key);
  if (marks) marks.push(mark);
  else map.set(key, [mark]);
}

/**
 * Statements that read the field and mark the tests its values pass (each element's, for a list):
 * a string by its lower-case form, a number as itself, a boolean by its text, as the tests
 * themselves compare. Lower-casing never shortens a string, so one longer than every key passes none.
 */
function prepareField(code: Code, name: string, index: FieldIndex): string {
  const strings = code.helper(index.strings);
  const numbers = code.helper(index.numbers);
  const lower = code.helper(lowerCase);
  // The same few values come back event after event: what each one marks is remembered as written,
  // which spares lower-casing it and a second lookup.
  const seen = code.helper(new Map<string, number[] | null>());
  const mark = code.fn(
    [
      `let ids;`,
      `if (typeof x === "string") {`,
      `  if (x.length > ${index.longest}) return;`,
      `  ids = ${seen}.get(x);`,
      `  if (ids === undefined) { ids = ${strings}.get(${lower}(x)) ?? null; if (${seen}.size >= ${MAX_SEEN}) ${seen}.clear(); ${seen}.set(x, ids); }`,
      `  if (ids === null) return;`,
      `}`,
      `else if (typeof x === "number") ids = ${numbers}.get(x);`,
      `else if (typeof x === "boolean") ids = ${strings}.get(x ? "true" : "false");`,
      `if (ids !== undefined) for (let i = 0; i < ids.length; i++) M[ids[i]] = q;`,
    ].join("\n"),
    "x",
  );
  const read = readSource(name, code.helper(fieldGetter(name)));
  return `${read}\nif (Array.isArray(v)) { for (let i = 0; i < v.length; i++) ${mark}(v[i]); } else ${mark}(v);`;
}

/** How many equality tests of the rules read each field (checks of `event.dataset` excepted when it is known). */
function exactTestsByField(rules: readonly DetectionRule[], dataset: string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const rule of rules) {
    for (const maps of rule.detection.selections.values()) {
      for (const checks of maps) {
        for (const check of checks) {
          if (check.kind !== "values" || (check.field === "event.dataset" && dataset !== undefined)) continue;
          const n = check.tests.filter((t) => exactValues(t) !== undefined).length;
          if (n > 0) counts.set(check.field, (counts.get(check.field) ?? 0) + n);
        }
      }
    }
  }
  return counts;
}
