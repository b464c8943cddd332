import type { IocKind } from "./ioc-target";

/** One value a pattern matches: `[ipv4-addr:value = '198.51.100.7']` is `{kind: "ip", value: "198.51.100.7"}`. */
export interface PatternAtom {
  kind: IocKind;
  value: string;
}

export type PatternRead = { ok: true; atoms: PatternAtom[] } | { ok: false; reason: string };

/**
 * The STIX 2.1 patterning subset that names indicators (reference §3.2): observations over
 * ipv4-addr / ipv6-addr (CIDR allowed), domain-name, url, email-addr values and file MD5 / SHA-1 /
 * SHA-256 hashes, compared with `=`, `IN (…)` or (for addresses) `ISSUBSET`, joined with OR inside
 * and between observations, parentheses allowed. START/STOP qualifiers are accepted and ignored
 * (the indicator's valid_from/valid_until bound it). Everything else — AND, NOT, FOLLOWEDBY,
 * other operators and object paths, WITHIN, REPEATS — is refused with the reason: matching only
 * part of a pattern would claim hits the author never meant.
 */
export function parseStixPattern(pattern: string): PatternRead {
  if (pattern.length > MAX_PATTERN_LENGTH) return { ok: false, reason: `pattern longer than ${MAX_PATTERN_LENGTH} characters` };
  try {
    const parser = new Parser(tokenize(pattern));
    const atoms = parser.pattern();
    return { ok: true, atoms };
  } catch (err) {
    if (err instanceof PatternError) return { ok: false, reason: err.message };
    throw err;
  }
}

const MAX_PATTERN_LENGTH = 100_000;
const MAX_ATOMS = 10_000;
/** Parentheses and brackets nested deeper than this are refused rather than recursed into. */
const MAX_DEPTH = 64;

class PatternError extends Error {}

type Token =
  | { t: "punct"; v: "[" | "]" | "(" | ")" | "," }
  | { t: "op"; v: string }
  | { t: "word"; v: string }
  | { t: "string"; v: string }
  | { t: "literal"; v: string }
  | { t: "end" };

const PATHS: Readonly<Record<string, IocKind>> = {
  "ipv4-addr:value": "ip",
  "ipv6-addr:value": "ip",
  "domain-name:value": "domain",
  "url:value": "url",
  "email-addr:value": "email",
  "file:hashes.md5": "md5",
  "file:hashes.'md5'": "md5",
  "file:hashes.'sha-1'": "sha1",
  "file:hashes.sha1": "sha1",
  "file:hashes.'sha1'": "sha1",
  "file:hashes.'sha-256'": "sha256",
  "file:hashes.sha256": "sha256",
  "file:hashes.'sha256'": "sha256",
};

const WORD_CHAR = /[A-Za-z0-9_:.\-*]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if ("[](),".includes(c)) {
      tokens.push({ t: "punct", v: c as "[" });
      i++;
    } else if (c === "'") {
      const [value, next] = readQuoted(text, i);
      tokens.push({ t: "string", v: value });
      i = next;
    } else if (/[tThHbB]/.test(c) && text[i + 1] === "'") {
      // Timestamp, hex and binary literals: only START/STOP take them here.
      const [value, next] = readQuoted(text, i + 1);
      tokens.push({ t: "literal", v: value });
      i = next;
    } else if ("=!<>".includes(c)) {
      const two = text.slice(i, i + 2);
      const op = ["!=", "<=", ">="].includes(two) ? two : c;
      if (op === "!") throw new PatternError(`unexpected "!" at ${i}`);
      tokens.push({ t: "op", v: op });
      i += op.length;
    } else if (WORD_CHAR.test(c)) {
      let word = "";
      while (i < text.length) {
        if (WORD_CHAR.test(text[i])) word += text[i++];
        else if (text[i] === "'" && word.endsWith(".")) {
          // A quoted path step: file:hashes.'SHA-256'.
          const [step, next] = readQuoted(text, i);
          word += `'${step}'`;
          i = next;
        } else break;
      }
      tokens.push({ t: "word", v: word });
    } else {
      throw new PatternError(`unexpected ${JSON.stringify(c)} at ${i}`);
    }
  }
  tokens.push({ t: "end" });
  return tokens;
}

/** A quoted string starting at `start` (the quote), with `\'` and `\\` escapes; its value and the index after it. */
function readQuoted(text: string, start: number): [string, number] {
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      const next = text[i + 1];
      if (next !== "'" && next !== "\\") throw new PatternError(`bad escape at ${i}`);
      value += next;
      i++;
    } else if (c === "'") return [value, i + 1];
    else value += c;
  }
  throw new PatternError("unterminated string");
}

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly atoms: PatternAtom[] = [];

  constructor(private readonly tokens: Token[]) {}

  pattern(): PatternAtom[] {
    this.observationOr();
    const rest = this.peek();
    if (rest.t !== "end") throw new PatternError(`unexpected ${describe(rest)}`);
    if (this.atoms.length === 0) throw new PatternError("pattern names no indicator");
    return this.atoms;
  }

  private observationOr(): void {
    this.observationAnd();
    while (this.isWord("OR")) {
      this.pos++;
      this.observationAnd();
    }
  }

  private observationAnd(): void {
    this.observation();
    if (this.isWord("AND")) throw new PatternError("AND between observations is not supported");
    if (this.isWord("FOLLOWEDBY")) throw new PatternError("FOLLOWEDBY is not supported");
  }

  private observation(): void {
    const token = this.next();
    this.enter();
    if (token.t === "punct" && token.v === "(") {
      this.observationOr();
      this.expect(")");
    } else if (token.t === "punct" && token.v === "[") {
      this.comparisonOr();
      this.expect("]");
    } else throw new PatternError(`expected "[" or "(", found ${describe(token)}`);
    this.depth--;
    this.qualifiers();
  }

  private qualifiers(): void {
    for (;;) {
      if (this.isWord("START")) {
        this.pos++;
        this.literal("START");
        if (!this.isWord("STOP")) throw new PatternError("START without STOP");
        this.pos++;
        this.literal("STOP");
      } else if (this.isWord("WITHIN") || this.isWord("REPEATS")) {
        throw new PatternError(`${(this.peek() as { v: string }).v.toUpperCase()} qualifiers are not supported`);
      } else return;
    }
  }

  private comparisonOr(): void {
    this.comparisonAnd();
    while (this.isWord("OR")) {
      this.pos++;
      this.comparisonAnd();
    }
  }

  private comparisonAnd(): void {
    this.comparisonTerm();
    if (this.isWord("AND")) throw new PatternError("AND inside an observation is not supported");
  }

  private comparisonTerm(): void {
    if (this.isPunct("(")) {
      this.pos++;
      this.enter();
      this.comparisonOr();
      this.expect(")");
      this.depth--;
      return;
    }
    const path = this.next();
    if (path.t !== "word") throw new PatternError(`expected an object path, found ${describe(path)}`);
    if (path.v.toUpperCase() === "NOT") throw new PatternError("NOT is not supported");
    const kind = PATHS[path.v.toLowerCase()];
    if (!kind) throw new PatternError(`object path ${path.v.slice(0, 60)} is not supported`);
    const op = this.next();
    if (this.isNot(op)) throw new PatternError("NOT is not supported");
    if (op.t === "op" && op.v === "=") this.add(kind, this.string());
    else if (op.t === "word" && op.v.toUpperCase() === "ISSUBSET") {
      if (kind !== "ip") throw new PatternError("ISSUBSET applies to addresses only");
      this.add(kind, this.string());
    } else if (op.t === "word" && op.v.toUpperCase() === "IN") {
      this.expect("(");
      this.add(kind, this.string());
      while (this.isPunct(",")) {
        this.pos++;
        this.add(kind, this.string());
      }
      this.expect(")");
    } else throw new PatternError(`operator ${describe(op)} is not supported`);
  }

  private add(kind: IocKind, value: string): void {
    if (this.atoms.length >= MAX_ATOMS) throw new PatternError(`more than ${MAX_ATOMS} values`);
    this.atoms.push({ kind, value });
  }

  private string(): string {
    const token = this.next();
    if (token.t !== "string") throw new PatternError(`expected a quoted string, found ${describe(token)}`);
    return token.v;
  }

  private literal(after: string): void {
    const token = this.next();
    if (token.t !== "literal") throw new PatternError(`expected a timestamp after ${after}`);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new PatternError(`nested deeper than ${MAX_DEPTH}`);
  }

  private expect(v: string): void {
    const token = this.next();
    if (token.t !== "punct" || token.v !== v) throw new PatternError(`expected "${v}", found ${describe(token)}`);
  }

  private isNot(token: Token): boolean {
    return token.t === "word" && token.v.toUpperCase() === "NOT";
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.t === "word" && token.v.toUpperCase() === word;
  }

  private isPunct(v: string): boolean {
    const token = this.peek();
    return token.t === "punct" && token.v === v;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (token.t !== "end") this.pos++;
    return token;
  }
}

function describe(token: Token): string {
  switch (token.t) {
    case "end":
      return "the end of the pattern";
    case "string":
      return "a string";
    case "literal":
      return "a typed literal";
    default:
      return JSON.stringify(token.v.slice(0, 40));
  }
}
