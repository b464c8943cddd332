import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DetectionEngine, loadRuleFiles, loadRuleTexts } from "../../../lib/detect";
import { ev, FIXTURES, refusals, rules, T0 } from "./helpers";

const MIXED = path.join(FIXTURES, "mixed");

/** 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  const index = readFileSync(path.join(MIXED, file), "utf8").split("\n").findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `${text} in ${file}`);
  return index + 1;
}

describe("rule loading", () => {
  const { rules: loaded, errors } = loadRuleFiles(MIXED);
  const refusal = (file: string) => errors.filter((e) => e.file === path.join(MIXED, file));

  it("loads the good rules of a folder that also holds bad ones, and ignores other files", () => {
    assert.deepEqual(loaded.map((r) => r.id).sort(), ["fixture-denied", "fixture-denied-burst", "fixture-good-simple"]);
    assert.equal(errors.filter((e) => e.file.endsWith("notes.txt")).length, 0);
  });

  const expectations: Array<[string, string, RegExp]> = [
    ["yaml-syntax.yml", "selection: {event.action", /^YAML: /],
    ["missing-id.yml", "title: No id here", /id is required/],
    ["wrong-types.yml", "level: 5", /level must be one of/],
    ["wrong-types.yml", "tags: attack", /tags must be an array/],
    ["unknown-modifier.yml", "sounds_like", /unknown modifier "sounds_like"/],
    ["backreference.yml", "url.domain|re", /backreferences are not supported/],
    ["zz-duplicate-id.yml", "id: fixture-good-simple", /duplicate id "fixture-good-simple" \(first in .*good-simple\.yml:1\)/],
    ["bad-condition.yml", "condition:", /unknown selection "filtr"/],
    ["unresolved-correlation.yml", "rules: [no_such_rule]", /unknown rule "no_such_rule"/],
  ];
  for (const [file, marker, reason] of expectations) {
    it(`refuses ${file} with its file, line and reason (${reason.source})`, () => {
      const found = refusal(file).find((e) => reason.test(e.reason));
      assert.ok(found, `${file}: ${JSON.stringify(refusal(file))}`);
      assert.equal(found.line, lineOf(file, marker));
    });
  }

  it("names the rule in the reason when the document has an id", () => {
    assert.match(refusal("unknown-modifier.yml")[0].reason, /^fixture-unknown-modifier: /);
  });

  it("refuses a missing file or folder rather than skipping it", () => {
    const result = loadRuleFiles([path.join(FIXTURES, "no-such-folder")]);
    assert.equal(result.rules.length, 0);
    assert.match(result.errors[0].reason, /no such file or folder/);
  });

  it("refuses wrong types in correlations and keys it does not know there", () => {
    const errors = refusals(`title: t
id: t
correlation:
  type: event_count
  rules: [x]
  group_by: [user.email]
  timespan: 600
  condition: {gte: "10"}
`);
    const reasons = errors.map((e) => `${e.line} ${e.reason}`);
    assert.ok(reasons.some((r) => /^6 .*group_by is not allowed/.test(r)), reasons.join("\n"));
    assert.ok(reasons.some((r) => /^7 .*timespan must be a duration/.test(r)), reasons.join("\n"));
    assert.ok(reasons.some((r) => /^8 .*gte must be a number/.test(r)), reasons.join("\n"));
  });

  it("refuses conditions no count can meet and correlations missing what their type needs", () => {
    const base = "title: b\nid: b\nname: b\ndetection: {s: {a: 1}, condition: s}\n---\ntitle: t\nid: t\ncorrelation:\n";
    const cases: Array<[string, RegExp]> = [
      ["  type: event_count\n  rules: [b]\n  timespan: 5m\n  condition: {gte: 10, lte: 5}\n", /can never hold/],
      ["  type: value_count\n  rules: [b]\n  timespan: 5m\n  condition: {gte: 10}\n", /needs condition.field/],
      ["  type: event_count\n  rules: [b]\n  timespan: 5m\n", /needs a condition/],
      ["  type: first_seen\n  rules: [b]\n  condition: {field: x}\n", /learning is required/],
      ["  type: first_seen\n  rules: [b]\n  learning: 7d\n  condition: {field: x, gte: 2}\n", /takes no count/],
      ["  type: temporal_ordered\n  rules: [b]\n  timespan: 5m\n", /two or more rules/],
      ["  type: temporal\n  rules: [b]\n  timespan: 5m\n  aliases: {who: {b: user.email, c: x}}\n", /not in correlation.rules/],
    ];
    for (const [correlation, reason] of cases) {
      const errors = refusals(base + correlation);
      assert.equal(errors.length, 1, correlation);
      assert.match(errors[0].reason, reason);
    }
  });

  it("refuses a Cloudflare logsource whose service is not a dataset, but lets other products' rules see every event", () => {
    assert.match(refusals("title: t\nid: t\nlogsource: {product: cloudflare, service: gateway}\ndetection: {s: {a: 1}, condition: s}\n")[0].reason, /not a Cloudflare dataset/);
    const [rule] = rules("title: t\nid: t\nlogsource: {product: windows, service: security}\ndetection: {s: {a: 1}, condition: s}\n");
    assert.deepEqual(rule.sources, []);
  });

  it("loads a community Sigma rule with only standard keys, and runs it", () => {
    const result = loadRuleFiles(path.join(FIXTURES, "community"));
    assert.deepEqual(result.errors, []);
    const [rule] = result.rules;
    assert.equal(rule.id, "5ad05b4d-7a1b-4d7c-9f79-3b2c0a6b3e11");
    assert.equal(rule.severity, "high");
    assert.deepEqual(rule.mitre, ["T1078.004", "T1090.003"]);
    assert.deepEqual(rule.sources, ["access_requests"]);
    const engine = new DetectionEngine({ rules: result.rules, now: () => T0 });
    const login = (email: string, ip: string, domain: string) =>
      ev("access_requests", { event: { dataset: "cloudflare.access_requests", outcome: "success" }, user: { email }, source: { ip }, url: { domain } });
    const alerts = engine.process([
      login("jane@example.com", "185.220.101.4", "grafana.example.com"),
      login("svc-backup@example.com", "185.220.101.4", "grafana.example.com"),
      login("jane@example.com", "198.51.100.1", "grafana.example.com"),
      login("jane@example.com", "2a0b:f4c0:1::5", "db.admin.example.com"),
    ]);
    assert.deepEqual(
      alerts.map((a) => a.ip),
      ["185.220.101.4", "2a0b:f4c0:1::5"],
    );
  });

  it("reads a multi-document file: a base rule and its correlation", () => {
    const burst = loaded.find((r) => r.id === "fixture-denied-burst");
    assert.ok(burst && burst.kind === "correlation");
    assert.deepEqual(
      burst.bases.map((b) => b.id),
      ["fixture-denied"],
    );
  });

  it("with base rules: correlates them and replaces them by id", () => {
    const builtin = rules("title: base\nid: shared-base\nname: shared\ndetection: {s: {event.outcome: failure}, condition: s}\nlevel: low\n", "builtin.yml");
    const own = loadRuleTexts(
      [
        {
          file: "own.yml",
          text: "title: mine\nid: own-burst\ncorrelation: {type: event_count, rules: [shared-base], group-by: [user.email], timespan: 5m, condition: {gte: 2}}\n---\ntitle: replaced\nid: shared-base\nname: shared\ndetection: {s: {event.outcome: success}, condition: s}\nlevel: high\n",
        },
      ],
      { base: builtin },
    );
    assert.deepEqual(own.errors, []);
    assert.deepEqual(own.rules.map((r) => r.id).sort(), ["own-burst", "shared-base"]);
    const replaced = own.rules.find((r) => r.id === "shared-base")!;
    assert.equal(replaced.title, "replaced");
    const burst = own.rules.find((r) => r.id === "own-burst");
    assert.ok(burst?.kind === "correlation" && burst.bases[0] === replaced);
  });

  it("refuses correlations that form a cycle, and those correlating a refused rule", () => {
    const errors = refusals(`title: a
id: a
correlation: {type: event_count, rules: [b], group-by: [x], timespan: 5m, condition: {gte: 2}}
---
title: b
id: b
correlation: {type: event_count, rules: [a], group-by: [x], timespan: 5m, condition: {gte: 2}}
---
title: c
id: c
correlation: {type: event_count, rules: [bad], group-by: [x], timespan: 5m, condition: {gte: 2}}
---
title: bad
id: bad
detection: {s: {x|nope: 1}, condition: s}
`);
    const reasons = errors.map((e) => e.reason);
    assert.ok(reasons.some((r) => /^a: correlations form a cycle: a → b → a/.test(r)), reasons.join("\n"));
    assert.ok(reasons.some((r) => /^c: unknown rule "bad"/.test(r)), reasons.join("\n"));
    assert.ok(reasons.some((r) => /^bad: .*unknown modifier/.test(r)), reasons.join("\n"));
  });

  it("keeps the first of two rules with one id and refuses a duplicate name in a file", () => {
    const errors = refusals("title: a\nid: a\nname: n\ndetection: {s: {x: 1}, condition: s}\n---\ntitle: b\nid: b\nname: n\ndetection: {s: {x: 1}, condition: s}\n");
    assert.match(errors[0].reason, /duplicate name "n"/);
    assert.equal(errors[0].line, 8);
  });

  it("refuses a file past the size limit unread", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ztna-rules-"));
    try {
      const big = path.join(dir, "big.yml");
      writeFileSync(big, `# ${"x".repeat(1024 * 1024)}\n`);
      const result = loadRuleFiles(dir);
      assert.deepEqual(result.errors, [{ file: big, line: 0, reason: "larger than 1048576 bytes" }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
