import { charSet, complement, DIGIT, SPACE, union, WORD, type CharSet } from "./char-set";

export type Assertion = "start" | "end" | "word" | "nonword";

export type Node =
  | { t: "char"; c: number }
  | { t: "any" }
  | { t: "set"; set: CharSet; negated: boolean }
  | { t: "cat"; items: Node[] }
  | { t: "alt"; items: Node[] }
  | { t: "rep"; node: Node; min: number; max: number }
  | { t: "assert"; kind: Assertion }
  | { t: "empty" };

export interface Flags {
  /** Case-insensitive. */
  i: boolean;
  /** `^` and `$` at line boundaries too. */
  m: boolean;
  /** `.` matches line terminators too. */
  s: boolean;
}

export interface ParsedRegex {
  node: Node;
  flags: Flags;
}

/** A pattern outside the supported syntax; `index` is where in the pattern. */
export class RegexSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly index: number,
  ) {
    super(`${reason} at position ${index}`);
  }
}

/** `{m,n}` bounds above this are refused: the program grows with them. */
export const MAX_REPEAT = 1000;

/**
 * The subset of regular expressions docs/RULE-FORMAT.md lists, with JavaScript's meaning for each
 * construct (so that RegExp can serve as the oracle in tests). Everything that would need
 * backtracking, and everything outside the list, is refused with a reason rather than guessed at.
 */
export function parseRegex(source: string, initial: Partial<Flags> = {}): ParsedRegex {
  return new Parser(source, { i: false, m: false, s: false, ...initial }).parse();
}

class Parser {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly flags: Flags,
  ) {}

  parse(): ParsedRegex {
    this.leadingFlags();
    const node = this.disjunction();
    if (this.pos < this.src.length) {
      throw this.fail(this.peek() === ")" ? "unbalanced )" : `unexpected ${JSON.stringify(this.peek())}`);
    }
    return { node, flags: this.flags };
  }

  private leadingFlags(): void {
    for (;;) {
      const m = /^\(\?([a-zA-Z]+)\)/.exec(this.src.slice(this.pos));
      if (!m) return;
      for (const f of m[1]) {
        if (f !== "i" && f !== "m" && f !== "s") throw this.fail(`unsupported flag "${f}" (only i, m and s)`);
        this.flags[f] = true;
      }
      this.pos += m[0].length;
    }
  }

  private disjunction(): Node {
    const items = [this.alternative()];
    while (this.eat("|")) items.push(this.alternative());
    return items.length === 1 ? items[0] : { t: "alt", items };
  }

  private alternative(): Node {
    const items: Node[] = [];
    while (this.pos < this.src.length && this.peek() !== "|" && this.peek() !== ")") items.push(this.term());
    if (items.length === 0) return { t: "empty" };
    return items.length === 1 ? items[0] : { t: "cat", items };
  }

  private term(): Node {
    const start = this.pos;
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    const bareAssertion = "^$".includes(this.src[start]) || this.src.startsWith("\\b", start) || this.src.startsWith("\\B", start);
    if (bareAssertion) throw this.fail("an assertion cannot be repeated", start);
    if (this.peek() === "+") throw this.fail("possessive quantifiers are not supported");
    if (this.quantifierAhead()) throw this.fail("nothing to repeat");
    return { t: "rep", node: atom, min: q.min, max: q.max };
  }

  private atom(): Node {
    const at = this.pos;
    const ch = this.next();
    switch (ch) {
      case "^":
        return { t: "assert", kind: "start" };
      case "$":
        return { t: "assert", kind: "end" };
      case ".":
        return { t: "any" };
      case "(":
        return this.group(at);
      case "[":
        return this.charClass(at);
      case "\\":
        return this.atomEscape();
      case "*":
      case "+":
      case "?":
        throw this.fail("nothing to repeat", at);
      case "{":
        this.pos = at;
        if (this.quantifierAhead()) throw this.fail("nothing to repeat", at);
        this.pos = at + 1;
        return { t: "char", c: 0x7b };
      default:
        return { t: "char", c: ch.charCodeAt(0) };
    }
  }

  private group(at: number): Node {
    if (this.eat("?")) {
      if (this.eat(":")) return this.closeGroup(at);
      if (this.src.startsWith("=", this.pos) || this.src.startsWith("!", this.pos)) throw this.fail("look-ahead is not supported", at);
      if (this.src.startsWith("<=", this.pos) || this.src.startsWith("<!", this.pos)) throw this.fail("look-behind is not supported", at);
      const named = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(this.src.slice(this.pos));
      if (named) {
        this.pos += named[0].length;
        return this.closeGroup(at);
      }
      if (this.peek() === ">") throw this.fail("atomic groups are not supported", at);
      if (/^[a-zA-Z-]+[):]/.test(this.src.slice(this.pos))) throw this.fail("inline flags are only supported at the start, as (?i), (?m) or (?s)", at);
      throw this.fail("unsupported group (?…", at);
    }
    return this.closeGroup(at);
  }

  private closeGroup(at: number): Node {
    const inner = this.disjunction();
    if (!this.eat(")")) throw this.fail("unterminated group", at);
    return inner;
  }

  private quantifier(): { min: number; max: number } | undefined {
    const ch = this.peek();
    let q: { min: number; max: number } | undefined;
    if (ch === "*") q = { min: 0, max: Infinity };
    else if (ch === "+") q = { min: 1, max: Infinity };
    else if (ch === "?") q = { min: 0, max: 1 };
    if (q) this.pos++;
    else q = this.braces();
    if (q) this.eat("?"); // lazy and greedy accept the same strings
    return q;
  }

  private quantifierAhead(): boolean {
    const ch = this.peek();
    if (ch === "*" || ch === "+" || ch === "?") return true;
    return ch === "{" && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.pos));
  }

  private braces(): { min: number; max: number } | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
    if (!m) return undefined;
    const at = this.pos;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
    if (min > max) throw this.fail("numbers out of order in {m,n}", at);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) throw this.fail(`repetition bounds above ${MAX_REPEAT} are not supported`, at);
    this.pos += m[0].length;
    return { min, max };
  }

  private atomEscape(): Node {
    const at = this.pos - 1;
    const ch = this.next();
    if (ch === "") throw this.fail("\\ at end of pattern", at);
    if (ch === "b") return { t: "assert", kind: "word" };
    if (ch === "B") return { t: "assert", kind: "nonword" };
    const cls = classEscape(ch);
    if (cls) return { t: "set", set: cls, negated: false };
    return { t: "char", c: this.characterEscape(ch, at) };
  }

  /** The code unit of an escape that stands for one character; shared by atoms and classes. */
  private characterEscape(ch: string, at: number): number {
    if (ch >= "1" && ch <= "9") throw this.fail("backreferences are not supported", at);
    if (ch === "k") throw this.fail("named backreferences are not supported", at);
    if (ch === "0") {
      if (/[0-9]/.test(this.peek())) throw this.fail("octal escapes are not supported", at);
      return 0;
    }
    const control = CONTROL_ESCAPES[ch];
    if (control !== undefined) return control;
    if (ch === "x" || ch === "u") {
      const len = ch === "x" ? 2 : 4;
      const hex = this.src.slice(this.pos, this.pos + len);
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throw this.fail(`\\${ch} needs ${len} hex digits`, at);
      this.pos += len;
      return parseInt(hex, 16);
    }
    if (/[A-Za-z]/.test(ch)) throw this.fail(`unsupported escape \\${ch}`, at);
    return ch.charCodeAt(0);
  }

  private charClass(at: number): Node {
    const negated = this.eat("^");
    const parts: CharSet[] = [];
    const pairs: number[] = [];
    while (this.peek() !== "]") {
      if (this.pos >= this.src.length) throw this.fail("unterminated character class", at);
      const from = this.classAtom();
      if (this.peek() === "-" && this.src[this.pos + 1] !== "]" && this.pos + 1 < this.src.length) {
        const dash = this.pos++;
        const to = this.classAtom();
        if (typeof from !== "number" || typeof to !== "number") throw this.fail("a class escape cannot end a range", dash);
        if (from > to) throw this.fail("range out of order in character class", dash);
        pairs.push(from, to);
      } else if (typeof from === "number") pairs.push(from, from);
      else parts.push(from);
    }
    this.pos++;
    if (pairs.length === 0 && parts.length === 0) throw this.fail(negated ? "[^] is not supported; use (?s). or [\\s\\S]" : "empty character class", at);
    return { t: "set", set: union([charSet(pairs), ...parts]), negated };
  }

  private classAtom(): number | CharSet {
    const ch = this.next();
    if (ch !== "\\") return ch.charCodeAt(0);
    const at = this.pos - 1;
    const esc = this.next();
    if (esc === "") throw this.fail("\\ at end of pattern", at);
    if (esc === "b") return 0x08;
    if (esc === "B") throw this.fail("\\B is not allowed in a character class", at);
    if (esc === "-") return 0x2d;
    return classEscape(esc) ?? this.characterEscape(esc, at);
  }

  private peek(): string {
    return this.src[this.pos] ?? "";
  }

  private next(): string {
    return this.src[this.pos++] ?? "";
  }

  private eat(s: string): boolean {
    if (this.src[this.pos] !== s) return false;
    this.pos++;
    return true;
  }

  private fail(reason: string, index = this.pos): RegexSyntaxError {
    return new RegexSyntaxError(reason, index);
  }
}

const CONTROL_ESCAPES: Readonly<Record<string, number>> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d };

const NOT_DIGIT = complement(DIGIT);
const NOT_WORD = complement(WORD);
const NOT_SPACE = complement(SPACE);

function classEscape(ch: string): CharSet | undefined {
  switch (ch) {
    case "d":
      return DIGIT;
    case "D":
      return NOT_DIGIT;
    case "w":
      return WORD;
    case "W":
      return NOT_WORD;
    case "s":
      return SPACE;
    case "S":
      return NOT_SPACE;
    default:
      return undefined;
  }
}

/** A literal string as a node: what glob patterns and literal prefixes are built from. */
export function literal(text: string): Node {
  const items: Node[] = [];
  for (let i = 0; i < text.length; i++) items.push({ t: "char", c: text.charCodeAt(i) });
  return items.length === 1 ? items[0] : { t: "cat", items };
}

