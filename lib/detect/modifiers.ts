import { inNetworks, parseNetwork, type Network } from "./cidr";
import { keepsLength, lowerCase } from "./lower-case";
import { rememberingAnswers } from "./remembered-answers";
import { compileRegex, RegexSyntaxError } from "./safe-regex";
import { ANY_RUN, parseWildcards, simplify, wildcardTest, type Part } from "./wildcard";

/** A modifier chain that makes no sense, or a value its modifiers cannot take. */
export class ModifierError extends Error {}

export type Position = "equals" | "contains" | "startswith" | "endswith";
export type Comparison = "gt" | "gte" | "lt" | "lte";

/** What a chain such as `|contains|all` asks of a field's values. */
export interface ValueMode {
  position: Position;
  re?: { i: boolean; m: boolean; s: boolean };
  cidr: boolean;
  compare?: Comparison;
  exists: boolean;
  all: boolean;
  cased: boolean;
}

/** Modifiers of the Sigma specification this engine does not implement: named, so the refusal says so. */
const UNSUPPORTED = new Set(["windash", "base64", "base64offset", "utf16", "utf16le", "utf16be", "wide", "expand", "fieldref", "neq", "minute", "hour", "day", "week", "month", "year"]);
const RE_FLAGS = new Set(["i", "m", "s"]);

/** `field|mod1|mod2` → the field name (empty for keyword searches) and its modifiers. */
export function splitFieldKey(key: string): { field: string; modifiers: string[] } {
  const [field, ...modifiers] = key.split("|");
  return { field, modifiers };
}

export function readModifiers(modifiers: readonly string[], keyword: boolean): ValueMode {
  const mode: ValueMode = { position: keyword ? "contains" : "equals", cidr: false, exists: false, all: false, cased: false };
  const kinds: string[] = [];
  for (const raw of modifiers) {
    const m = raw.toLowerCase();
    if (m === "contains" || m === "startswith" || m === "endswith") {
      mode.position = m;
      kinds.push(m);
    } else if (m === "re") {
      mode.re = { i: false, m: false, s: false };
      kinds.push(m);
    } else if (RE_FLAGS.has(m)) {
      if (!mode.re) throw new ModifierError(`modifier "${raw}" is a flag of "re" and must follow it`);
      mode.re[m as "i" | "m" | "s"] = true;
    } else if (m === "cidr") {
      mode.cidr = true;
      kinds.push(m);
    } else if (m === "gt" || m === "gte" || m === "lt" || m === "lte") {
      mode.compare = m;
      kinds.push(m);
    } else if (m === "exists") {
      mode.exists = true;
      kinds.push(m);
    } else if (m === "all") mode.all = true;
    else if (m === "cased") mode.cased = true;
    else if (UNSUPPORTED.has(m)) throw new ModifierError(`modifier "${raw}" is not supported`);
    else throw new ModifierError(`unknown modifier "${raw}"`);
  }
  if (kinds.length > 1) throw new ModifierError(`modifiers ${kinds.map((k) => `"${k}"`).join(" and ")} cannot be combined`);
  if (mode.cased && (mode.cidr || mode.compare || mode.exists)) throw new ModifierError(`"cased" applies to string matching, not to "${kinds[0]}"`);
  if (mode.exists && (mode.all || keyword)) throw new ModifierError(keyword ? `"exists" needs a field` : `"exists" takes no other modifier`);
  if (keyword && (mode.cidr || mode.compare)) throw new ModifierError(`"${kinds[0]}" needs a field`);
  return mode;
}

/** A test of one scalar value found in an event (arrays are taken apart before). */
export type ScalarTest = (value: unknown) => boolean;

/**
 * Tests for a field's rule values under `mode`: one test when any value may match, one per value
 * with `all`. Plain equality values are gathered into sets so that a long list costs one lookup.
 */
export function valueTests(mode: ValueMode, values: readonly unknown[]): ScalarTest[] {
  if (mode.all) return values.map((v) => anyOf(mode, [v]));
  return [anyOf(mode, values)];
}

function anyOf(mode: ValueMode, values: readonly unknown[]): ScalarTest {
  if (mode.cidr) return cidrTest(values);
  if (mode.compare) return orTests(values.map((v) => compareTest(mode.compare!, v)));
  if (mode.re) return orTests(values.map((v) => regexTest(v, mode.re!)));
  const set: StringSet = { equals: new Set(), numbers: new Set(), prefixes: [], suffixes: [], infixes: [], patterns: [], anything: false };
  for (const v of values) {
    if (typeof v === "boolean" && mode.position === "equals") set.equals.add(String(v));
    else if (typeof v === "number" && mode.position === "equals") {
      set.numbers.add(v);
      set.equals.add(String(v));
    } else if (typeof v === "string" || typeof v === "number") {
      const text = String(v);
      const parts = positioned(parseWildcards(mode.cased ? text : text.toLowerCase()), mode.position);
      const simple = simplify(parts);
      if (!simple) set.patterns.push(wildcardTest(parts));
      else if (simple.kind === "any") set.anything = true;
      else if (simple.kind === "equals") {
        set.equals.add(simple.text);
        if (isCanonicalNumber(simple.text)) set.numbers.add(Number(simple.text));
      } else set[`${simple.kind}es` as "prefixes" | "suffixes" | "infixes"].push(simple.text);
    } else throw new ModifierError(`${describe(v)} cannot be matched${mode.position === "equals" ? "" : ` with "${mode.position}"`}`);
  }
  return stringSetTest(set, mode.cased);
}

/** A field's string values, sorted by how they compare, so that a value is lower-cased once for all of them. */
interface StringSet {
  equals: Set<string>;
  numbers: Set<number>;
  prefixes: string[];
  suffixes: string[];
  infixes: string[];
  patterns: Array<(s: string) => boolean>;
  anything: boolean;
}

/**
 * The values a test accepts when it is plain equality without case: a string whose lower-case form
 * is in `strings`, a number in `numbers`, a boolean whose text is in `strings`, nothing else. A
 * dataset's program looks such values up in one table for all its rules (dataset-program.ts).
 */
export interface ExactValues {
  strings: ReadonlySet<string>;
  numbers: ReadonlySet<number>;
}

const exact = new WeakMap<ScalarTest, ExactValues>();

/** What `test` accepts, when it is plain equality without case; undefined for any other test. */
export function exactValues(test: ScalarTest): ExactValues | undefined {
  return exact.get(test);
}

function stringSetTest(set: StringSet, cased: boolean): ScalarTest {
  const { equals, numbers, prefixes, suffixes, infixes, patterns, anything } = set;
  const lengths = new Set([...equals].map((s) => s.length));
  const longest = Math.max(-1, ...lengths);
  const partial = prefixes.length + suffixes.length + infixes.length + patterns.length > 0;
  // Partial matches cost a scan per candidate: their answers are remembered per value.
  const partially = partial ? rememberingAnswers((x) => partialMatch(x, prefixes, suffixes, infixes, patterns)) : undefined;
  const test: ScalarTest = (v) => {
    let s: string;
    if (typeof v === "string") s = v;
    else if (typeof v === "number") {
      // Every number-like candidate is in `numbers`, so only partial matches need the text.
      if (numbers.has(v)) return true;
      if (!partial && !anything) return false;
      s = String(v);
    } else if (typeof v === "boolean") s = v ? "true" : "false";
    else return false;
    if (anything) return true;
    // Most values match nothing: a length no candidate has rules out equality without lower-casing
    // (lower-casing never shortens a string, and lengthens it only for U+0130).
    const mayEqual = lengths.has(s.length) || (!cased && s.length < longest && !keepsLength(s));
    if (!mayEqual && partially === undefined) return false;
    const x = cased ? s : lowerCase(s);
    if (mayEqual && equals.has(x)) return true;
    return partially !== undefined && partially(x);
  };
  if (!partial && !anything && !cased) exact.set(test, { strings: equals, numbers });
  return test;
}

function partialMatch(x: string, prefixes: readonly string[], suffixes: readonly string[], infixes: readonly string[], patterns: ReadonlyArray<(s: string) => boolean>): boolean {
  for (const p of prefixes) if (x.startsWith(p)) return true;
  for (const p of suffixes) if (x.endsWith(p)) return true;
  for (const p of infixes) if (x.includes(p)) return true;
  for (const p of patterns) if (p(x)) return true;
  return false;
}

function positioned(parts: Part[], position: Position): Part[] {
  const out = [...parts];
  if ((position === "contains" || position === "endswith") && out[0] !== ANY_RUN) out.unshift(ANY_RUN);
  if ((position === "contains" || position === "startswith") && out[out.length - 1] !== ANY_RUN) out.push(ANY_RUN);
  return out;
}

/** Text-only tests (regular expressions) see numbers and booleans as the text they print as. */
function textTest(test: (s: string) => boolean): ScalarTest {
  return (v) => {
    if (typeof v === "string") return test(v);
    if (typeof v === "number" || typeof v === "boolean") return test(String(v));
    return false;
  };
}

function regexTest(pattern: unknown, flags: { i: boolean; m: boolean; s: boolean }): ScalarTest {
  if (typeof pattern !== "string") throw new ModifierError(`"re" needs a string pattern, not ${describe(pattern)}`);
  try {
    const re = compileRegex(pattern, flags);
    return textTest((s) => re.test(s));
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw new ModifierError(`regular expression ${JSON.stringify(pattern)}: ${err.message}`);
    throw err;
  }
}

function cidrTest(values: readonly unknown[]): ScalarTest {
  const networks: Network[] = values.map((v) => {
    const net = typeof v === "string" ? parseNetwork(v.trim()) : undefined;
    if (!net) throw new ModifierError(`${describe(v)} is not an IPv4 or IPv6 network`);
    return net;
  });
  return (v) => typeof v === "string" && inNetworks(v, networks);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Numbers compare with numbers (or numeric strings); an ISO time compares with times. */
function compareTest(op: Comparison, bound: unknown): ScalarTest {
  const holds = comparator(op);
  if (typeof bound === "number" || (typeof bound === "string" && isNumeric(bound))) {
    const n = Number(bound);
    return (v) => {
      const x = typeof v === "number" ? v : typeof v === "string" && isNumeric(v) ? Number(v) : NaN;
      return !Number.isNaN(x) && holds(x, n);
    };
  }
  if (typeof bound === "string" && ISO_TIME.test(bound) && !Number.isNaN(Date.parse(bound))) {
    const t = Date.parse(bound);
    return (v) => {
      const x = typeof v === "string" && ISO_TIME.test(v) ? Date.parse(v) : NaN;
      return !Number.isNaN(x) && holds(x, t);
    };
  }
  throw new ModifierError(`"${op}" needs a number or an ISO time, not ${describe(bound)}`);
}

function comparator(op: Comparison): (a: number, b: number) => boolean {
  switch (op) {
    case "gt":
      return (a, b) => a > b;
    case "gte":
      return (a, b) => a >= b;
    case "lt":
      return (a, b) => a < b;
    case "lte":
      return (a, b) => a <= b;
  }
}

function orTests(tests: readonly ScalarTest[]): ScalarTest {
  if (tests.length === 1) return tests[0];
  return (v) => {
    for (const t of tests) if (t(v)) return true;
    return false;
  };
}

function isNumeric(s: string): boolean {
  return s.trim() !== "" && Number.isFinite(Number(s));
}

function isCanonicalNumber(s: string): boolean {
  return s !== "" && String(Number(s)) === s;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  return JSON.stringify(v);
}
