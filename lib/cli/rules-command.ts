import { loadBuiltinRules, loadRuleFiles, ruleCatalog, runRuleTests, type Rule, type RuleLoadError } from "../detect";
import { renderRulesDoc } from "../detect/rules-doc";
import { parseArgs, UsageError, type FlagSpec } from "./args";

const USAGE = `usage: ztna rules list [DIR]
       ztna rules test [DIR]
       ztna rules doc

  list   the rule catalog as a table: the built-in pack, or the rules in DIR
  test   run every rule's own tests (its positive and negative cases)
  doc    the built-in catalog as Markdown (docs/RULES.md)

exit status: 0 fine, 1 a rule refused at load or a test failed, 2 usage error`;

const SPEC: FlagSpec = { flags: { help: "boolean" }, short: { h: "help" } };

/** `ztna rules`: resolves to the exit status. */
export async function runRules(args: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  let action: string;
  let dir: string | undefined;
  try {
    const parsed = parseArgs(args, SPEC);
    if (parsed.booleans.has("help")) {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    [action, dir] = parsed.positionals;
    if (!["list", "test", "doc"].includes(action) || parsed.positionals.length > (action === "doc" ? 1 : 2)) {
      throw new UsageError(action === undefined ? "say list, test or doc" : `unknown or malformed rules command "${parsed.positionals.join(" ")}"`);
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr.write(`ztna rules: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  const { rules, errors } = dir === undefined ? loadBuiltinRules() : loadRuleFiles(dir);
  reportErrors(errors, stderr);
  if (action === "doc") stdout.write(renderRulesDoc(ruleCatalog(rules)));
  else if (action === "list") stdout.write(table(rules));
  else return testAll(rules, stdout) && errors.length === 0 ? 0 : 1;
  return errors.length === 0 ? 0 : 1;
}

function reportErrors(errors: readonly RuleLoadError[], stderr: NodeJS.WritableStream): void {
  for (const e of errors) stderr.write(`ztna rules: refused ${e.file}:${e.line}: ${e.reason}\n`);
}

function table(rules: readonly Rule[]): string {
  const catalog = ruleCatalog(rules);
  const rows = catalog.map((r) => [r.id, r.severity, r.sources.join(","), r.mitre.join(","), r.optin ? "opt-in" : "", r.title]);
  const head = ["ID", "SEVERITY", "SOURCE", "ATT&CK", "", "TITLE"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd();
  return `${[line(head), ...rows.map(line)].join("\n")}\n${catalog.length} rules\n`;
}

/** The alerting rules' tests; a rule that only feeds a correlation is tested through it. */
function testAll(rules: readonly Rule[], stdout: NodeJS.WritableStream): boolean {
  const alerting = new Set(ruleCatalog(rules).map((r) => r.id));
  const tested = rules.filter((r) => alerting.has(r.id));
  let failed = 0;
  let cases = 0;
  for (const rule of tested) {
    const result = runRuleTests(rule);
    cases += result.cases.length;
    if (result.passed && result.cases.length > 0) continue;
    failed++;
    if (result.cases.length === 0) stdout.write(`FAIL ${rule.id}: the rule has no tests\n`);
    for (const c of result.cases.filter((x) => !x.passed)) {
      stdout.write(`FAIL ${rule.id}: ${c.name}: expected ${c.expected} alert(s), got ${c.actual}\n`);
    }
  }
  stdout.write(`${tested.length - failed} passed, ${failed} failed (${cases} cases)\n`);
  return failed === 0;
}
