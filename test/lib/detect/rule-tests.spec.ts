import assert from "node:assert/strict";
import path from "node:path";
import { loadRuleFiles, runRuleTests, type Rule } from "../../../lib/detect";
import { FIXTURES, rules } from "./helpers";

describe("runRuleTests", () => {
  const { rules: loaded, errors } = loadRuleFiles(path.join(FIXTURES, "self-tested"));
  const rule = (id: string): Rule => loaded.find((r) => r.id === id)!;

  it("loads the fixtures", () => {
    assert.deepEqual(errors, []);
  });

  it("runs a rule's cases: raw records normalized first, normalized events with dotted keys as they are", () => {
    assert.deepEqual(runRuleTests(rule("fixture-self-tested")), {
      rule: "fixture-self-tested",
      passed: true,
      cases: [
        { name: "a raw Access record from Germany alerts", expected: 1, actual: 1, passed: true },
        { name: "a normalized event written with dotted keys from the US does not", expected: 0, actual: 0, passed: true },
      ],
    });
  });

  it("reports a failing case with what it expected and what it got", () => {
    assert.deepEqual(runRuleTests(rule("fixture-self-test-fails")), {
      rule: "fixture-self-test-fails",
      passed: false,
      cases: [{ name: "expects an alert that never comes", expected: 1, actual: 0, passed: false }],
    });
  });

  it("runs a correlation with the rules it correlates, and its negative case", () => {
    const result = runRuleTests(rule("fixture-login-after-deactivation"));
    assert.equal(result.passed, true);
    assert.deepEqual(
      result.cases.map((c) => [c.expected, c.actual]),
      [
        [1, 1],
        [0, 0],
      ],
    );
  });

  it("tests a rule as it would alert if on: opt-in, deprecated and building-block rules included", () => {
    const [base] = rules(`title: building block
id: block
optin: true
status: deprecated
generate: false
detection: {s: {event.outcome: failure}, condition: s}
tests:
  - name: alerts when tested
    events: [{"@timestamp": "2025-06-02T14:00:00.000Z", event: {dataset: cloudflare.access_requests, outcome: failure}}]
    alerts: 1
`);
    assert.equal(runRuleTests(base).passed, true);
  });

  it("honours a case's clock (a record without a time gets it)", () => {
    const [r] = rules(`title: t
id: clocked
detection: {s: {event.outcome: failure, '@timestamp|lt': '2025-06-02T15:30:00Z'}, condition: s}
tests:
  - name: with now
    now: "2025-06-02T15:00:00Z"
    events: [{dataset: access_requests, record: {Action: login, Allowed: false, Email: a@example.com}}]
    alerts: 1
`);
    const result = runRuleTests(r);
    assert.equal(result.passed, true);
  });

  it("says why a case could not run", () => {
    const [r] = rules(`title: t
id: unparsable
detection: {s: {event.outcome: failure}, condition: s}
tests:
  - name: a record no source recognises
    events: [{dataset: unknown, record: {what: ever}}]
    alerts: 0
`);
    const [c] = runRuleTests(r).cases;
    assert.equal(c.passed, false);
    assert.match(c.error ?? "", /^event 0: /);
  });
});
