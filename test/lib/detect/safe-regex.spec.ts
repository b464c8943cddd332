import assert from "node:assert/strict";
import fc from "fast-check";
import { compileRegex, MAX_INPUT, RegexSyntaxError } from "../../../lib/detect/safe-regex";

/** Patterns from the supported subset, written as JavaScript would read them. */
const ALPHABET = ["a", "b", "c", "A", "B", "1", " ", "-", "_", ".", "\n"];
const literal = fc.constantFrom("a", "b", "c", "A", "1", " ", "-", "_", "\\.", "\\n", "\\-", "\\x41", "\\u0062");
const classItem = fc.constantFrom("a", "b", "B", "1", "\\-", "_", ".", " ", "a-c", "A-Z", "0-9", "\\d", "\\w", "\\s", "\\D", "\\W", "\\S", "\\n");
const charClass = fc.tuple(fc.boolean(), fc.array(classItem, { minLength: 1, maxLength: 3 })).map(([neg, items]) => `[${neg ? "^" : ""}${items.join("")}]`);
const escapeClass = fc.constantFrom("\\d", "\\w", "\\s", "\\D", "\\W", "\\S");
const quantifier = fc
  .tuple(fc.constantFrom("*", "+", "?", "{2}", "{1,}", "{0,2}", "{1,3}", "{0}"), fc.boolean())
  .map(([q, lazy]) => (lazy ? `${q}?` : q));

const { pattern } = fc.letrec<{ pattern: string; alt: string; term: string; atom: string }>((tie) => ({
  pattern: fc.oneof({ weight: 1, arbitrary: tie("alt") }, { weight: 1, arbitrary: fc.constant("") }),
  alt: fc.array(fc.array(tie("term"), { minLength: 0, maxLength: 4 }).map((ts) => ts.join("")), { minLength: 1, maxLength: 3 }).map((as) => as.join("|")),
  term: fc.oneof(
    { weight: 6, arbitrary: tie("atom") },
    { weight: 3, arbitrary: fc.tuple(tie("atom"), quantifier).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: fc.constantFrom("^", "$", "\\b", "\\B") },
  ),
  atom: fc.oneof(
    { weight: 5, arbitrary: literal },
    { weight: 2, arbitrary: fc.constant(".") },
    { weight: 2, arbitrary: charClass },
    { weight: 1, arbitrary: escapeClass },
    { weight: 1, depthSize: "small", arbitrary: tie("alt").map((a) => `(${a})`) },
    { weight: 1, depthSize: "small", arbitrary: tie("alt").map((a) => `(?:${a})`) },
  ),
}));

const input = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 24 }).map((cs) => cs.join(""));
const flags = fc.record({ i: fc.boolean(), m: fc.boolean(), s: fc.boolean() });

describe("safe-regex", () => {
  it("agrees with RegExp on random patterns and inputs of the supported subset", () => {
    fc.assert(
      fc.property(pattern, input, flags, (p, s, f) => {
        const js = new RegExp(p, `${f.i ? "i" : ""}${f.m ? "m" : ""}${f.s ? "s" : ""}`);
        assert.equal(compileRegex(p, f).test(s), js.test(s), `/${p}/ on ${JSON.stringify(s)}`);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads (?i), (?m) and (?s) at the start as flags", () => {
    assert.equal(compileRegex("(?i)HELLO").test("say hello"), true);
    assert.equal(compileRegex("HELLO").test("say hello"), false);
    assert.equal(compileRegex("(?m)^b$").test("a\nb\nc"), true);
    assert.equal(compileRegex("^b$").test("a\nb\nc"), false);
    assert.equal(compileRegex("(?s)a.c").test("a\nc"), true);
    assert.equal(compileRegex("(?is)A.C").test("a\nc"), true);
  });

  it("finishes catastrophic backtracking patterns, with the right answer", () => {
    const evil = "a".repeat(50) + "!";
    assert.equal(compileRegex("(a+)+$").test(evil), false);
    assert.equal(compileRegex("(a|a)*b").test(evil), false);
    assert.equal(compileRegex("(a*)*b").test(evil), false);
    assert.equal(compileRegex("^(([a-z])+.)+[A-Z]([a-z])+$").test("a".repeat(5000) + "!"), false);
    assert.equal(compileRegex("(x+x+)+y").test("x".repeat(10_000)), false);
    assert.equal(compileRegex("(a+)+!").test(evil), true);
  });

  it("matches only the first 64 KiB of a value", () => {
    const long = "a".repeat(MAX_INPUT) + "needle";
    assert.equal(compileRegex("needle").test(long), false);
    assert.equal(compileRegex("a$").test(long), true);
  });

  const refused: Array<[string, RegExp]> = [
    ["(a)\\1", /backreferences/],
    ["(?<n>a)\\k<n>", /named backreferences/],
    ["a(?=b)", /look-ahead/],
    ["a(?!b)", /look-ahead/],
    ["(?<=a)b", /look-behind/],
    ["(?<!a)b", /look-behind/],
    ["(?>a+)b", /atomic/],
    ["a*+", /possessive/],
    ["a(?i)b", /only supported at the start/],
    ["(?x)a", /unsupported flag/],
    ["\\p{L}", /unsupported escape/],
    ["\\cA", /unsupported escape/],
    ["\\01", /octal/],
    ["[]", /empty character class/],
    ["[^]", /not supported/],
    ["[z-a]", /out of order/],
    ["[\\d-z]", /class escape/],
    ["a{1001}", /above 1000/],
    ["a{3,2}", /out of order/],
    ["(a{1000}){100}", /instructions/],
    ["*a", /nothing to repeat/],
    ["a**", /nothing to repeat/],
    ["^*", /cannot be repeated/],
    ["(ab", /unterminated group/],
    ["ab)", /unbalanced/],
    ["[ab", /unterminated character class/],
    ["ab\\", /at end of pattern/],
  ];
  for (const [source, reason] of refused) {
    it(`refuses ${source} with a reason`, () => {
      assert.throws(
        () => compileRegex(source),
        (err: unknown) => err instanceof RegexSyntaxError && reason.test(err.message),
      );
    });
  }

  it("accepts named groups as plain groups and lazy quantifiers", () => {
    assert.equal(compileRegex("(?<year>\\d{4})-(?P<m>\\d\\d)").test("on 2025-06"), true);
    assert.equal(compileRegex("a.*?b").test("axxb"), true);
  });
});
