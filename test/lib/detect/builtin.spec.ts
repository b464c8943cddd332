import assert from "node:assert/strict";
import path from "node:path";
import { builtinRulesDir, loadBuiltinRules } from "../../../lib/detect";

// The pack's content (each rule's own tests, coverage) is checked in test/lib/rules.
describe("built-in rules", () => {
  it("are found beside the engine, in lib/rules", () => {
    assert.equal(builtinRulesDir(), path.resolve(__dirname, "..", "..", "..", "lib", "rules"));
  });

  it("load without a refusal, once per process", () => {
    const { rules, errors } = loadBuiltinRules();
    assert.deepEqual(errors, []);
    assert.ok(rules.length > 0);
    assert.equal(loadBuiltinRules(), loadBuiltinRules());
  });
});
