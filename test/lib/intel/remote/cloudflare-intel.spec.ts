import assert from "node:assert/strict";
import { budgetFor } from "../../../../lib/cloudflare";
import { createRemoteProviders, type ProviderConfigInput } from "../../../../lib/intel/remote";
import type { IntelProvider } from "../../../../lib/intel/types";
import { TOKEN, useStandIn } from "../../../helpers/cloudflare";
import { ip, never } from "./fixture";

describe("Cloudflare Intel provider", function () {
  const fx = useStandIn();
  const made: IntelProvider[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((p) => p.close()));
  });
  const provider = (config: ProviderConfigInput = {}) => {
    const result = createRemoteProviders({ cloudflare: { enabled: true, accountId: fx.api.accountId, key: TOKEN, baseUrl: fx.api.url, retryBaseMs: 1, ...config } });
    if (!result.ok) throw new Error(result.error);
    made.push(...result.value);
    return result.value[0];
  };

  it("is first-party, and takes malware or C2 risk types as malicious and others as suspicious", async function () {
    const p = provider();
    assert.equal(p.party, "first");
    const c2 = await p.lookup(ip("192.0.2.66"), never());
    assert.deepEqual([c2.status, c2.verdict, c2.score, c2.detail], ["ok", "malicious", 90, "risk: Malware, Command and Control & Botnet"]);
    assert.deepEqual(c2.data.belongs_to, { value: 64500, type: "hosting_provider", country: "NL", description: "EXAMPLE-HOSTING" });
    const anon = await p.lookup(ip("192.0.2.67"), never());
    assert.deepEqual([anon.verdict, anon.detail], ["suspicious", "risk: Anonymizer"]);
    assert.equal((await p.lookup(ip("2001:db8::66"), never())).verdict, "malicious");
    const [v4, , v6] = fx.api.requestsTo(/\/intel\/ip$/);
    assert.deepEqual([v4.path, v4.query.get("ipv4"), v6.query.get("ipv6"), v4.auth], [`/accounts/${fx.api.accountId}/intel/ip`, "192.0.2.66", "2001:db8::66", "ok"]);
  });

  it("answers not_found for an address without risk types, keeping who owns it", async function () {
    const r = await provider().lookup(ip("203.0.113.5"), never());
    assert.deepEqual([r.status, r.detail, (r.data.belongs_to as Record<string, unknown>).type], ["not_found", "no risk types", "isp"]);
  });

  it("judges domains by risk types, inherited ones, a suspected malware family and popularity", async function () {
    const p = provider();
    const verdicts: Array<[string, string, string | undefined]> = [];
    for (const value of ["login-examp1e.com", "qx7vz3kq9w.example", "example.com", "ads.example.org", "unknown.example"]) {
      const r = await p.lookup({ type: "domain", value }, never());
      verdicts.push([value, r.status === "not_found" ? "not_found" : r.verdict, r.detail]);
    }
    assert.deepEqual(verdicts, [
      ["login-examp1e.com", "malicious", "risk: Phishing"],
      ["qx7vz3kq9w.example", "malicious", "suspected malware family Necurs"],
      ["example.com", "benign", "popular domain (rank 214), no risk types"],
      ["ads.example.org", "suspicious", "risk: Spam"],
      ["unknown.example", "not_found", "no risk types"],
    ]);
    assert.equal(fx.api.requestsTo(/\/intel\/domain$/)[0].query.get("domain"), "login-examp1e.com");
  });

  it("draws on the account's shared rate budget, the one the log polls use", async function () {
    const budget = budgetFor(fx.api.accountId, fx.api.url);
    const before = budget.stats.used;
    await provider().lookup(ip("203.0.113.6"), never());
    assert.equal(budget.stats.used, before + 1);
  });

  it("skips with no_key, without a request, when there is no account or no token", async function () {
    const noAccount = createRemoteProviders({ cloudflare: { enabled: true, key: TOKEN } });
    const noToken = createRemoteProviders({ cloudflare: { enabled: true, accountId: fx.api.accountId, baseUrl: fx.api.url } });
    assert.ok(noAccount.ok && noToken.ok);
    const [a, b] = [noAccount.value[0], noToken.value[0]];
    assert.deepEqual([(await a.lookup(ip("192.0.2.66"), never())).detail, a.health().state], ["no Cloudflare account configured", "no_key"]);
    assert.equal((await b.lookup(ip("192.0.2.66"), never())).detail, "no API token configured");
    assert.equal(fx.api.count(), 0);
  });

  it("reports a rejected token as error/auth, a malformed answer as bad_response, and retries a 5xx", async function () {
    const wrong = await provider({ key: "not-the-token" }).lookup(ip("192.0.2.66"), never());
    assert.deepEqual([wrong.status, wrong.reason], ["error", "auth"]);
    assert.match(wrong.detail ?? "", /Authentication error/);
    fx.api.fail({ path: /\/intel\/ip$/, body: "<html>oops</html>" });
    assert.equal((await provider().lookup(ip("192.0.2.66"), never())).reason, "bad_response");
    fx.api.fail({ path: /\/intel\/ip$/, body: { success: true, errors: [], messages: [], result: { ip: "192.0.2.66" } } });
    assert.equal((await provider().lookup(ip("192.0.2.66"), never())).detail, "Cloudflare Intel answer has no list of addresses");
    fx.api.fail({ path: /\/intel\/ip$/, status: 502, times: 2 });
    assert.equal((await provider().lookup(ip("192.0.2.66"), never())).verdict, "malicious");
  });

  it("on a 429 pauses itself for Cloudflare's 5-minute block and holds the account's budget back too", async function () {
    fx.api.fail({ path: /\/intel\/domain$/, status: 429, retryAfter: 300 });
    const p = provider();
    const r = await p.lookup({ type: "domain", value: "example.com" }, never());
    assert.deepEqual([r.status, r.reason], ["skipped", "rate_limited"]);
    assert.match(r.detail ?? "", /asked to wait 300 s/);
    assert.ok((budgetFor(fx.api.accountId, fx.api.url).stats.blockedUntil ?? 0) > Date.now() + 290_000);
    assert.equal((await p.lookup({ type: "domain", value: "example.org" }, never())).reason, "rate_limited");
    assert.equal(fx.api.count(), 1);
  });

  it("times out promptly on a hung answer", async function () {
    fx.api.fail({ path: /\/intel\/ip$/, delayMs: 5000 });
    const started = Date.now();
    const r = await provider({ timeoutMs: 150 }).lookup(ip("192.0.2.66"), never());
    assert.deepEqual([r.status, r.reason], ["error", "timeout"]);
    assert.ok(Date.now() - started < 1000);
  });
});
