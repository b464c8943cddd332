/**
 * A linear-time regular expression engine: rules are data from users, and a backtracking engine
 * (RegExp) can be made to hang on a pattern such as `(a+)+$`. Patterns are parsed into the
 * supported subset (syntax.ts), compiled to a Thompson NFA (program.ts) and simulated without
 * backtracking (matcher.ts).
 */
import { rememberingAnswers } from "../remembered-answers";
import { Matcher } from "./matcher";
import { compileProgram } from "./program";
import { parseRegex, type Flags, type Node } from "./syntax";

export { MAX_INPUT } from "./matcher";
export { RegexSyntaxError, literal, type Flags, type Node } from "./syntax";

export interface SafeRegex {
  /** True if the pattern matches anywhere in the value. */
  test(value: string): boolean;
}

/** Compiles a pattern; throws RegexSyntaxError for anything outside the supported syntax. */
export function compileRegex(source: string, flags: Partial<Flags> = {}): SafeRegex {
  const parsed = parseRegex(source, flags);
  return compileNode(parsed.node, parsed.flags);
}

/** For patterns built as syntax trees rather than written (Sigma wildcards). */
export function compileNode(node: Node, flags: Flags): SafeRegex {
  return new RememberingRegex(new Matcher(compileProgram(node, flags)));
}

/**
 * Traffic repeats itself, and a simulated NFA costs pattern × input per test, so each pattern
 * remembers its answers for short values.
 */
class RememberingRegex implements SafeRegex {
  readonly test: (value: string) => boolean;

  constructor(inner: Matcher) {
    this.test = rememberingAnswers((value) => inner.test(value));
  }
}
