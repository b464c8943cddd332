import assert from "node:assert/strict";
import type { Rule } from "../../../lib/detect";
import { ev, matches, refusals, rules } from "./helpers";

/** A rule with selections a, b, c (each true when the field of its name is "y"), plus _hidden and filter_x. */
function withCondition(condition: string): Rule {
  const [rule] = rules(
    `title: t
id: t
detection:
  a: {a: y}
  b: {b: y}
  c: {c: y}
  sel_one: {s1: y}
  sel_two: {s2: y}
  _hidden: {h: y}
  filter_x: {fx: y}
  condition: ${JSON.stringify(condition)}
`,
  );
  return rule;
}

const only = (...names: string[]) => ev("gateway_http", Object.fromEntries(names.map((n) => [n, "y"])));

describe("condition grammar", () => {
  it("binds not tighter than and, and tighter than or", () => {
    const rule = withCondition("a or b and not c");
    assert.equal(matches(rule, only("a", "c")), true, "a or (b and not c)");
    assert.equal(matches(rule, only("b", "c")), false);
    assert.equal(matches(rule, only("b")), true);
  });

  it("parentheses override precedence", () => {
    const rule = withCondition("(a or b) and not c");
    assert.equal(matches(rule, only("a", "c")), false);
    assert.equal(matches(rule, only("a")), true);
    assert.equal(matches(withCondition("not (a and b)"), only("a")), true);
    assert.equal(matches(withCondition("not (a and b)"), only("a", "b")), false);
    assert.equal(matches(withCondition("not not a"), only("a")), true);
  });

  it("1 of and all of a pattern", () => {
    assert.equal(matches(withCondition("1 of sel_*"), only("s2")), true);
    assert.equal(matches(withCondition("1 of sel_*"), only("a")), false);
    assert.equal(matches(withCondition("all of sel_*"), only("s1")), false);
    assert.equal(matches(withCondition("all of sel_*"), only("s1", "s2")), true);
    assert.equal(matches(withCondition("all of sel_* and not 1 of filter_*"), only("s1", "s2", "fx")), false);
    assert.equal(matches(withCondition("1 of *_two"), only("s2")), true);
  });

  it("them is every selection not starting with _", () => {
    assert.equal(matches(withCondition("1 of them"), only("h")), false);
    assert.equal(matches(withCondition("1 of them"), only("c")), true);
    assert.equal(matches(withCondition("all of them"), only("a", "b", "c", "s1", "s2", "fx")), true);
    assert.equal(matches(withCondition("all of them"), only("a", "b", "c", "s1", "s2")), false);
  });

  it("a list of conditions means any of them", () => {
    const [rule] = rules("title: t\nid: t\ndetection:\n  a: {a: y}\n  b: {b: y}\n  condition: [a, b]\n");
    assert.equal(matches(rule, only("b")), true);
    assert.equal(matches(rule, only("c")), false);
  });

  it("refuses bad conditions with the condition's line and the reason", () => {
    const cases: Array<[string, RegExp]> = [
      ["a and missing", /unknown selection "missing"/],
      ["1 of nothing_*", /matches no selection/],
      ["a and", /ends too early/],
      ["(a or b", /missing \)/],
      ["a or b)", /unexpected "\)"/],
      ["a b", /unexpected "b"/],
      ["2 of sel_*", /"2 of" is not Sigma/],
      ["sel_*", /is a pattern/],
      ["a | count() > 5", /obsolete Sigma/],
      ["", /empty/],
      ["a & b", /unexpected character "&"/],
    ];
    for (const [condition, reason] of cases) {
      const errors = refusals(`title: t\nid: t\ndetection:\n  a: {a: y}\n  b: {b: y}\n  sel_one: {s: y}\n  condition: ${JSON.stringify(condition)}\n`, "cond.yml");
      assert.equal(errors.length, 1, condition);
      assert.deepEqual({ file: errors[0].file, line: errors[0].line }, { file: "cond.yml", line: 7 }, condition);
      assert.match(errors[0].reason, reason, condition);
    }
  });
});
