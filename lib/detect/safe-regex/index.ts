/**
 * A linear-time regular expression engine: rules are data from users, and a backtracking engine
 * (RegExp) can be made to hang on a pattern such as `(a+)+$`. Patterns are parsed into the
 * supported subset (syntax.ts), compiled to a Thompson NFA (program.ts) and simulated without
 * backtracking (matcher.ts).
 */
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

/** Values longer than this are matched afresh every time; they rarely repeat. */
const REMEMBERED_LENGTH = 256;
/** Answers kept per pattern; the memory is dropped whole when full. */
const REMEMBERED_VALUES = 4096;

/**
 * Traffic repeats itself (the same domains, user agents and URLs all day), and a simulated NFA costs
 * pattern × input per test, so each pattern remembers its answers for short values. Bounded, and
 * it changes only speed: the answer for a value never changes.
 */
class RememberingRegex implements SafeRegex {
  private readonly answers = new Map<string, boolean>();

  constructor(private readonly inner: Matcher) {}

  test(value: string): boolean {
    if (value.length > REMEMBERED_LENGTH) return this.inner.test(value);
    const known = this.answers.get(value);
    if (known !== undefined) return known;
    const answer = this.inner.test(value);
    if (this.answers.size >= REMEMBERED_VALUES) this.answers.clear();
    this.answers.set(value, answer);
    return answer;
  }
}
