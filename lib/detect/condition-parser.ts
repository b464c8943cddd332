import { parseWildcards, wildcardTest } from "./wildcard";

export type Condition =
  | { t: "sel"; name: string }
  | { t: "not"; x: Condition }
  | { t: "and"; xs: Condition[] }
  | { t: "or"; xs: Condition[] }
  | { t: "of"; all: boolean; names: string[] };

export class ConditionError extends Error {}

const WORD = /^[A-Za-z0-9_.*-]+/;

/**
 * Sigma's condition grammar, binding from loosest to tightest: `or`, `and`, `not`, `1 of` /
 * `all of`, parentheses. Selection names are resolved while parsing, so an unknown name or a
 * pattern that matches nothing is refused at load, not found wanting at run time.
 */
export function parseCondition(text: string, selections: readonly string[]): Condition {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new ConditionError("the condition is empty");
  const p = new Parser(tokens, selections);
  const cond = p.or();
  if (!p.done()) throw new ConditionError(`unexpected "${p.peek()}"`);
  return cond;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) i++;
    else if (ch === "(" || ch === ")") {
      tokens.push(ch);
      i++;
    } else if (ch === "|") {
      throw new ConditionError("aggregations in the condition (`| count() …`) are obsolete Sigma; write a correlation rule");
    } else {
      const m = WORD.exec(text.slice(i));
      if (!m) throw new ConditionError(`unexpected character "${ch}"`);
      tokens.push(m[0]);
      i += m[0].length;
    }
  }
  return tokens;
}

const KEYWORDS = new Set(["and", "or", "not", "of", "them", "all"]);

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: readonly string[],
    private readonly selections: readonly string[],
  ) {}

  done(): boolean {
    return this.i >= this.tokens.length;
  }

  peek(): string {
    return this.tokens[this.i] ?? "";
  }

  or(): Condition {
    const xs = [this.and()];
    while (this.keyword("or")) xs.push(this.and());
    return xs.length === 1 ? xs[0] : { t: "or", xs };
  }

  private and(): Condition {
    const xs = [this.not()];
    while (this.keyword("and")) xs.push(this.not());
    return xs.length === 1 ? xs[0] : { t: "and", xs };
  }

  private not(): Condition {
    if (this.keyword("not")) return { t: "not", x: this.not() };
    return this.primary();
  }

  private primary(): Condition {
    const tok = this.tokens[this.i++];
    if (tok === undefined) throw new ConditionError("the condition ends too early");
    if (tok === "(") {
      const inner = this.or();
      if (this.tokens[this.i++] !== ")") throw new ConditionError("missing )");
      return inner;
    }
    if (tok === ")") throw new ConditionError("unexpected )");
    if (this.keyword("of")) return this.quantified(tok);
    const word = tok.toLowerCase();
    if (KEYWORDS.has(word)) throw new ConditionError(`unexpected "${tok}"`);
    if (/^\d+$/.test(tok)) throw new ConditionError(`a number must be followed by "of"`);
    if (tok.includes("*")) throw new ConditionError(`"${tok}" is a pattern; write "1 of ${tok}" or "all of ${tok}"`);
    if (!this.selections.includes(tok)) throw new ConditionError(`unknown selection "${tok}"`);
    return { t: "sel", name: tok };
  }

  private quantified(quantity: string): Condition {
    const all = quantity.toLowerCase() === "all";
    if (!all && quantity !== "1") throw new ConditionError(`"${quantity} of" is not Sigma; write "1 of" or "all of"`);
    const target = this.tokens[this.i++];
    if (target === undefined || target === "(" || target === ")") throw new ConditionError(`"${quantity} of" needs a selection pattern or "them"`);
    const names = target.toLowerCase() === "them" ? this.selections.filter((s) => !s.startsWith("_")) : this.selections.filter(wildcardTest(parseWildcards(target)));
    if (names.length === 0) throw new ConditionError(`"${quantity} of ${target}" matches no selection`);
    return { t: "of", all, names };
  }

  private keyword(word: string): boolean {
    if (this.peek().toLowerCase() !== word) return false;
    this.i++;
    return true;
  }
}

