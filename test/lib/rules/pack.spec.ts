import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { loadBuiltinRules, ruleCatalog, runRuleTests, type Rule } from "../../../lib/detect";

/** The sources the pack must cover in depth: the three Logpush datasets and the two polled ones. */
const MAIN_SOURCES = ["gateway_http", "gateway_network", "access_requests", "scim", "risk_score"];
const TACTICS = new Set([
  "reconnaissance", "resource_development", "initial_access", "execution", "persistence", "privilege_escalation",
  "defense_evasion", "credential_access", "discovery", "lateral_movement", "collection", "command_and_control",
  "exfiltration", "impact",
]);

const { rules, errors } = loadBuiltinRules();
const catalog = ruleCatalog(rules);
/** The rules that alert; the `generate: false` building blocks are checked through them. */
const alerting: Rule[] = catalog.map((entry) => rules.find((r) => r.id === entry.id) as Rule);

/** The folder a rule lives in: its source, or `cross` for rules that correlate several. */
function folderOf(rule: Rule): string {
  return path.basename(path.dirname(rule.file));
}

/** Whether the rule's own YAML document says `level` (the loader defaults a missing one). */
function saysLevel(rule: Rule): boolean {
  const docs = parseAllDocuments(readFileSync(rule.file, "utf8")).map((d) => d.toJS() as Record<string, unknown>);
  return docs.some((doc) => doc.id === rule.id && typeof doc.level === "string");
}

describe("rules: the built-in pack", () => {
  it("loads without a refused rule", () => {
    assert.deepEqual(errors, []);
  });

  it("has at least 40 alerting rules, with unique ids", () => {
    assert.ok(alerting.length >= 40, `${alerting.length} rules`);
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
  });

  it("has at least 6 rules for each main source, each in its source's folder", () => {
    for (const source of MAIN_SOURCES) {
      const own = alerting.filter((r) => folderOf(r) === source);
      assert.ok(own.length >= 6, `${source}: ${own.length} rules`);
    }
    for (const entry of catalog) {
      const folder = folderOf(alerting.find((r) => r.id === entry.id) as Rule);
      if (folder === "cross") assert.ok(entry.sources.length >= 2, `${entry.id} is in cross/ but reads ${entry.sources.join(", ")}`);
      else assert.ok(entry.sources.includes(folder), `${entry.id} is in ${folder}/ but reads ${entry.sources.join(", ")}`);
    }
  });

  it("names each file after its alerting rule", () => {
    for (const rule of alerting) assert.equal(path.basename(rule.file), `${rule.id}.yml`);
  });

  it("documents every rule: description, level, ATT&CK technique and tactic, evidence, suppression", () => {
    for (const rule of alerting) {
      assert.ok(rule.description.length > 40, `${rule.id}: description`);
      assert.ok(saysLevel(rule), `${rule.id}: level`);
      assert.ok(rule.mitre.length > 0, `${rule.id}: no ATT&CK technique`);
      assert.ok(rule.tags.some((t) => TACTICS.has(t.replace(/^attack\./, ""))), `${rule.id}: no ATT&CK tactic`);
      assert.ok(rule.evidence.length > 0, `${rule.id}: evidence`);
      assert.ok(rule.suppress !== undefined, `${rule.id}: suppress`);
      assert.match(rule.id, /^ztna-(http|net|access|scim|risk|dns|cross)-[a-z0-9-]+$/);
    }
  });

  it("gives every rule a positive and a negative test", () => {
    for (const rule of alerting) {
      assert.ok(rule.tests.some((t) => t.alerts > 0), `${rule.id}: no test that alerts`);
      assert.ok(rule.tests.some((t) => t.alerts === 0), `${rule.id}: no test that stays quiet`);
    }
  });

  it("keeps some opinionated rules opt-in", () => {
    assert.ok(alerting.filter((r) => r.optin).length >= 3);
  });

  describe("each rule's own tests", () => {
    for (const rule of alerting) {
      it(rule.id, () => {
        const result = runRuleTests(rule);
        const failed = result.cases.filter((c) => !c.passed).map((c) => `"${c.name}": ${c.actual} alerts, expected ${c.expected}${c.error ? ` (${c.error})` : ""}`);
        assert.deepEqual(failed, []);
      });
    }
  });
});
