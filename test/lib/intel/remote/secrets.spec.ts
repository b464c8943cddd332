import assert from "node:assert/strict";
import { inspect } from "node:util";
import { createRemoteProviders } from "../../../../lib/intel/remote";
import type { Indicator, IntelProvider } from "../../../../lib/intel/types";
import { TOKEN, useStandIn } from "../../../helpers/cloudflare";
import { INTEL_AREAS, type IntelAreaName } from "../../../stand-ins/intel-api";
import { ip, never, useIntelStandIn } from "./fixture";

const SAMPLES: Record<IntelAreaName, Indicator> = {
  abuseipdb: ip("198.51.100.1"),
  greynoise: ip("198.51.100.1"),
  virustotal: { type: "domain", value: "evil.example" },
  otx: { type: "domain", value: "evil.example" },
  internetdb: ip("198.51.100.1"),
  urlhaus: { type: "url", value: "http://evil.example/x" },
  threatfox: { type: "domain", value: "evil.example" },
};

/** Every field name the providers read a message, code or status from, each holding `secret`. */
function echoing(secret: string): Record<string, unknown> {
  return {
    errors: [{ detail: `bad key ${secret}`, status: 400 }],
    error: { code: secret, message: `key ${secret} rejected` },
    message: `key ${secret}`,
    detail: `key ${secret}`,
    query_status: `invalid_${secret}`,
    data: { abuseConfidenceScore: 90, isp: secret, attributes: { last_analysis_stats: { malicious: 5 }, tags: [secret] } },
    noise: true,
    riot: false,
    name: secret,
    ports: [secret],
    pulse_info: { count: 3, pulses: [{ name: secret }] },
  };
}

/** Everything a provider lets out, in every way it could be printed or stored. */
function views(provider: IntelProvider, results: unknown[]): string[] {
  const health = provider.health();
  return [JSON.stringify(results), inspect(results, { depth: 10 }), JSON.stringify(health), inspect(provider, { depth: 6, showHidden: true })];
}

function assertNoKey(texts: string[], key: string, where: string): void {
  for (const text of texts) assert.ok(!text.includes(key), `${where}: the key shows in ${text.slice(Math.max(0, text.indexOf(key) - 200), text.indexOf(key) + 100)}`);
}

describe("remote providers never show a key", function () {
  describe("HTTP providers", function () {
    const fx = useIntelStandIn();

    for (const name of INTEL_AREAS.filter((n) => n !== "internetdb")) {
      it(`${name}: not in results, details, data or health, whatever the provider echoes back`, async function () {
        const key = fx.api.key(name);
        const p = fx.provider(name, { rate: null, retries: 0, breaker: { failures: 100, cooldownMs: 1000 } });
        const sample = SAMPLES[name];
        const results = [];
        results.push(await p.lookup(sample, never()));
        for (const status of [200, 400, 401, 429, 500]) {
          fx.api.fail({ provider: name, status, body: echoing(key) });
          results.push(await p.lookup({ ...sample, value: `${sample.value}${status}` }, never()));
        }
        fx.api.fail({ provider: name, status: 502, body: `<html>upstream said ${key}</html>` });
        results.push(await p.lookup({ ...sample, value: `${sample.value}html` }, never()));
        fx.api.fail({ provider: name, reset: true });
        results.push(await p.lookup({ ...sample, value: `${sample.value}reset` }, never()));
        assert.ok(results.some((r) => JSON.stringify(r).includes("[redacted]")), "an echoed key was expected to be redacted somewhere");
        assertNoKey(views(p, results), key, name);
        const wrong = fx.provider(name, { key: `${key}-wrong`, rate: null });
        const refused = await wrong.lookup(sample, never());
        assert.equal(refused.reason, "auth");
        assertNoKey(views(wrong, [refused]), key, `${name} with a wrong key`);
      });
    }

    it("not in configuration errors, nor in a provider skipped for quota", async function () {
      const key = fx.api.key("virustotal");
      const refused = createRemoteProviders({ virustotal: { enabled: true, key, rate: { limit: -1 } } });
      assert.equal(refused.ok, false);
      assertNoKey([JSON.stringify(refused)], key, "config error");
      fx.api.fail({ provider: "virustotal", kind: "quota" });
      const p = fx.provider("virustotal", { rate: null });
      const r = await p.lookup(SAMPLES.virustotal, never());
      assert.equal(r.reason, "quota");
      assertNoKey(views(p, [r]), key, "quota");
    });
  });

  describe("Cloudflare Intel", function () {
    const fx = useStandIn();

    it("not in results, details, data or health, whatever the API echoes back", async function () {
      const made = createRemoteProviders({ cloudflare: { enabled: true, accountId: fx.api.accountId, key: TOKEN, baseUrl: fx.api.url, retries: 0 } });
      assert.ok(made.ok);
      const [p] = made.value;
      const results = [await p.lookup(ip("192.0.2.66"), never())];
      fx.api.fail({ path: /\/intel\/ip$/, status: 400, errors: [{ code: 1001, message: `token ${TOKEN} is bad` }] });
      results.push(await p.lookup(ip("192.0.2.67"), never()));
      fx.api.fail({ path: /\/intel\/domain$/, body: `<html>${TOKEN}</html>` });
      results.push(await p.lookup({ type: "domain", value: "example.com" }, never()));
      fx.api.fail({ path: /\/intel\/domain$/, body: { success: true, errors: [], messages: [], result: { risk_types: [{ name: TOKEN }] } } });
      results.push(await p.lookup({ type: "domain", value: "example.net" }, never()));
      assertNoKey(views(p, results), TOKEN, "cloudflare");
      await p.close();
    });
  });
});
