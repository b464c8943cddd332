import assert from "node:assert/strict";
import { reliabilityOf } from "../../../lib/intel/reliability";
import type { IndicatorEnrichment, ProviderResult, Reliability, Verdict } from "../../../lib/intel/types";
import { combineAlert, combineIndicator, type RatedResult } from "../../../lib/intel/verdict";
import { RecordingProvider } from "./recording-provider";

/** "name/B: malicious 90", "name/A allow", "name/B: error timeout", "name/C: not_found". */
function rated(spec: string): RatedResult {
  const m = /^([\w-]+)\/([A-F]\+?)(?:: (\w+)(?: (\w+))?| (allow))$/.exec(spec);
  if (!m) throw new Error(`bad spec ${spec}`);
  const [, provider, reliability, word, extra, allow] = m;
  const base: ProviderResult = { provider, indicator: "45.9.148.3", type: "ipv4", verdict: "unknown", score: 0, status: "ok", data: {} };
  if (allow) return { result: { ...base, verdict: "benign", detail: "corp.txt line 3" }, reliability: reliability as Reliability, allowlist: true };
  if (word === "error" || word === "skipped") return { result: { ...base, status: word, reason: extra as ProviderResult["reason"] }, reliability: reliability as Reliability, allowlist: false };
  if (word === "not_found") return { result: { ...base, status: "not_found" }, reliability: reliability as Reliability, allowlist: false };
  return { result: { ...base, verdict: word as Verdict, score: Number(extra ?? 0) }, reliability: reliability as Reliability, allowlist: false };
}

const IND = { type: "ipv4" as const, value: "45.9.148.3" };

describe("verdict aggregation", () => {
  const cases: Array<[string, string[], Verdict, number, string]> = [
    ["nothing asked", [], "unknown", 0, ""],
    ["nobody knows it", ["a/B: not_found", "b/C: not_found"], "unknown", 0, "a: not found"],
    ["malicious from A (own IOC)", ["ioc/A: malicious 100"], "malicious", 100, "ioc: malicious (100)"],
    ["malicious from B", ["abuseipdb/B: malicious 97"], "malicious", 87, "abuseipdb: malicious (97)"],
    ["malicious from one C only is suspicious", ["otx/C: malicious 80"], "suspicious", 56, "otx: malicious (80)"],
    ["malicious from two C is malicious", ["otx/C: malicious 80", "tor/C: malicious 50"], "malicious", 56, "otx: malicious (80)"],
    ["the same C provider twice is still one source", ["otx/C: malicious 80", "otx/C: malicious 70"], "suspicious", 56, "otx: malicious (80)"],
    ["suspicious from C", ["tor-exit/C: suspicious 50"], "suspicious", 35, "tor-exit: suspicious (50)"],
    ["suspicious from D", ["x/D: suspicious 60"], "suspicious", 30, "x: suspicious (60)"],
    ["malicious from E counts for nothing but its score", ["x/E: malicious 90"], "unknown", 27, "x: malicious (90)"],
    ["InternetDB (F) gives context only", ["internetdb/F: suspicious 90"], "unknown", 0, "internetdb: suspicious (90)"],
    ["B malicious beats B benign", ["greynoise/B: benign", "abuseipdb/B: malicious 80"], "malicious", 72, "abuseipdb: malicious (80)"],
    ["B benign makes it benign when nobody objects", ["greynoise/B: benign", "otx/C: unknown 10"], "benign", 0, "greynoise: benign (0)"],
    ["C benign alone is not enough", ["otx/C: benign"], "unknown", 0, "otx: benign (0)"],
    ["suspicious from C beats benign from B", ["greynoise/B: benign", "tor-exit/C: suspicious 50"], "suspicious", 35, "tor-exit: suspicious (50)"],
    ["allowlist overrules everything", ["drop/A: malicious 100", "allowlist/A allow", "abuseipdb/B: malicious 99"], "benign", 0, "allowlist: corp.txt line 3"],
    ["errors and timeouts do not decide", ["vt/B: error timeout", "abuseipdb/B: skipped quota", "otx/C: suspicious 40"], "suspicious", 28, "otx: suspicious (40)"],
    ["the most reliable decider comes first", ["otx/C: malicious 100", "abuseipdb/B: malicious 60", "drop/A: malicious 100"], "malicious", 100, "drop: malicious (100)"],
  ];
  for (const [name, specs, verdict, score, first] of cases) {
    it(name, () => {
      const got = combineIndicator(IND, specs.map(rated));
      assert.equal(got.verdict, verdict);
      assert.equal(got.score, score);
      assert.equal(got.reasons[0] ?? "", first);
      assert.equal(got.results.length, specs.length);
    });
  }

  it("lists overruled answers as such, and failures last", () => {
    const got = combineIndicator(IND, ["vt/B: error timeout", "abuseipdb/B: malicious 99", "allowlist/A allow", "greynoise/B: benign"].map(rated));
    assert.deepEqual(got.reasons, ["allowlist: corp.txt line 3", "overruled by the allowlist: abuseipdb: malicious (99)", "greynoise: benign (0)", "vt: error (timeout)"]);
  });

  it("keeps provider text printable and short in the reasons", () => {
    const r = rated("x/B: malicious 90");
    r.result.detail = `evil\u001b[31m\u202e${"x".repeat(500)}`;
    const [reason] = combineIndicator(IND, [r]).reasons;
    assert.ok(reason.length < 240, reason);
    assert.doesNotMatch(reason, /[\u001b\u202e]/);
  });

  it("per alert: the worst verdict (unknown worse than benign), the highest score, the worst indicators' first reasons", () => {
    const ind = (indicator: string, verdict: Verdict, score: number): IndicatorEnrichment => ({ indicator, type: "domain", verdict, score, reasons: [`p: ${verdict}`], results: [] });
    assert.deepEqual(combineAlert([]), { verdict: "unknown", score: 0, reasons: [] });
    assert.deepEqual(combineAlert([ind("a.net", "benign", 0)]), { verdict: "benign", score: 0, reasons: ["a.net: p: benign"] });
    assert.deepEqual(combineAlert([ind("a.net", "benign", 0), ind("b.net", "unknown", 5)]), { verdict: "unknown", score: 5, reasons: [] });
    assert.deepEqual(combineAlert([ind("a.net", "suspicious", 40), ind("b.net", "malicious", 70), ind("c.net", "malicious", 90), ind("d.net", "unknown", 95)]), {
      verdict: "malicious",
      score: 95,
      reasons: ["c.net: p: malicious", "b.net: p: malicious"],
    });
    const many = Array.from({ length: 25 }, (_, i) => ind(`x${i}.net`, "suspicious", i));
    const got = combineAlert(many);
    assert.equal(got.reasons.length, 21);
    assert.equal(got.reasons[20], "and 5 more suspicious indicators");
  });

  it("rates providers: override, then their own word, then the table, else C", () => {
    assert.equal(reliabilityOf({ name: "Cloudflare_Intel" } as never), "B");
    assert.equal(reliabilityOf({ name: "internetdb" } as never), "F");
    assert.equal(reliabilityOf(new RecordingProvider({ name: "internetdb", reliability: "D" })), "D");
    assert.equal(reliabilityOf({ name: "spamhaus-drop" } as never), "A");
    assert.equal(reliabilityOf({ name: "tor-exit" } as never), "C");
    assert.equal(reliabilityOf({ name: "someone-new" } as never), "C");
    assert.equal(reliabilityOf({ name: "someone-new", reliability: "A" } as never), "A");
    assert.equal(reliabilityOf({ name: "otx", reliability: "A" } as never, { otx: "D" }), "D");
  });
});
