import assert from "node:assert/strict";
import { COMMON_DEFAULTS, createRemoteProviders, parseRemoteConfig, PROVIDER_DEFAULTS, PROVIDER_NAMES, type RemoteConfigInput } from "../../../../lib/intel/remote";

const KEY = "cfg-KEY-SENTINEL-0f3a9e";

describe("remote providers configuration", function () {
  it("names every provider with its documented defaults, for the editor to list", function () {
    assert.deepEqual([...PROVIDER_NAMES], ["abuseipdb", "greynoise", "virustotal", "otx", "internetdb", "urlhaus", "threatfox", "cloudflare"]);
    assert.deepEqual(PROVIDER_DEFAULTS.virustotal.rate, { limit: 4, intervalMs: 60_000 });
    assert.equal(PROVIDER_DEFAULTS.virustotal.quota, 500);
    assert.equal(PROVIDER_DEFAULTS.abuseipdb.quota, 1000);
    assert.deepEqual(PROVIDER_DEFAULTS.internetdb.rate, { limit: 1, intervalMs: 1000 });
    assert.deepEqual(PROVIDER_DEFAULTS.cloudflare.rate, { limit: 1200, intervalMs: 300_000 });
    assert.equal(PROVIDER_DEFAULTS.internetdb.needsKey, false);
    assert.equal(PROVIDER_DEFAULTS.cloudflare.party, "first");
    for (const name of PROVIDER_NAMES) assert.ok(PROVIDER_DEFAULTS[name].label && PROVIDER_DEFAULTS[name].limits, name);
  });

  it("fills every unset field from the defaults and leaves providers off unless enabled", function () {
    const parsed = parseRemoteConfig({ virustotal: { enabled: true, key: ` ${KEY} ` } });
    assert.ok(parsed.ok);
    const vt = parsed.value.virustotal;
    assert.deepEqual(
      [vt.enabled, vt.key, vt.baseUrl, vt.rate, vt.quota, vt.concurrency, vt.timeoutMs, vt.unavailable],
      [true, KEY, "https://www.virustotal.com/api/v3", { limit: 4, intervalMs: 60_000 }, 500, 2, 10_000, null],
    );
    assert.deepEqual([vt.queue, vt.retries, vt.cacheSize, vt.breaker], [COMMON_DEFAULTS.queue, 2, COMMON_DEFAULTS.cacheSize, COMMON_DEFAULTS.breaker]);
    assert.equal(parsed.value.otx.enabled, false);
    assert.equal(parseRemoteConfig(undefined).ok, true);
  });

  it("takes overrides, null for no rate or quota, and strips a trailing slash from the base URL", function () {
    const parsed = parseRemoteConfig({ abuseipdb: { rate: { limit: 10, intervalMs: 1000 }, quota: null, baseUrl: "http://127.0.0.1:9/api/v2/" }, internetdb: { rate: null } });
    assert.ok(parsed.ok);
    assert.deepEqual([parsed.value.abuseipdb.rate, parsed.value.abuseipdb.quota, parsed.value.abuseipdb.baseUrl], [{ limit: 10, intervalMs: 1000 }, null, "http://127.0.0.1:9/api/v2"]);
    assert.equal(parsed.value.internetdb.rate, null);
  });

  const refusals: Array<[string, RemoteConfigInput | unknown, string]> = [
    ["a rate limit of 0", { virustotal: { rate: { limit: 0, intervalMs: 60_000 } } }, "virustotal.rate.limit must be at least 1"],
    ["a rate without its interval", { virustotal: { rate: { limit: 4 } } }, "virustotal.rate.intervalMs is missing"],
    ["a fractional quota", { abuseipdb: { quota: 2.5 } }, "abuseipdb.quota must be a whole number"],
    ["a timeout as text", { otx: { timeoutMs: "soon" } }, "otx.timeoutMs must be a number"],
    ["a concurrency of 1000", { greynoise: { concurrency: 1000 } }, "greynoise.concurrency must be at most 100"],
    ["more than 2 retries", { urlhaus: { retries: 5 } }, "urlhaus.retries must be at most 2"],
    ["a base URL that is not http(s)", { threatfox: { baseUrl: "ftp://example.com" } }, "threatfox.baseUrl must be an http(s) URL"],
    ["enabled as a word", { internetdb: { enabled: "sure" } }, "internetdb.enabled must be true or false"],
    ["an unknown setting", { virustotal: { rpm: 4 } }, "virustotal.rpm is not a setting"],
    ["an unknown provider", { shodan: { enabled: true } }, "shodan is not a provider"],
    ["a bad Cloudflare account id", { cloudflare: { accountId: "abc" } }, "cloudflare.accountId must be 32 hexadecimal characters (Cloudflare dashboard, Account home)"],
    ["a breaker that never opens", { otx: { breaker: { failures: 0 } } }, "otx.breaker.failures must be at least 1"],
  ];
  for (const [what, input, message] of refusals) {
    it(`refuses ${what}, naming the field`, function () {
      const parsed = parseRemoteConfig(input as RemoteConfigInput);
      assert.deepEqual(parsed, { ok: false, error: message });
      assert.deepEqual(createRemoteProviders(input as RemoteConfigInput), { ok: false, error: message });
    });
  }

  it("never repeats a key in an error", function () {
    for (const key of [`${KEY} with spaces`, { value: KEY }, [KEY]]) {
      const parsed = parseRemoteConfig({ abuseipdb: { key } });
      assert.equal(parsed.ok, false);
      assert.ok(!JSON.stringify(parsed).includes(KEY), JSON.stringify(parsed));
    }
  });

  it("marks a provider without its key, or with an unset ${VARIABLE}, as unavailable; InternetDB needs none", function () {
    const parsed = parseRemoteConfig({ abuseipdb: { enabled: true }, otx: { enabled: true, key: "${OTX_API_KEY}" }, internetdb: { enabled: true }, cloudflare: { enabled: true, key: KEY } });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.abuseipdb.unavailable, "no API key configured");
    assert.equal(parsed.value.otx.unavailable, "the API key refers to environment variable OTX_API_KEY, which is not set");
    assert.equal(parsed.value.otx.key, "");
    assert.equal(parsed.value.internetdb.unavailable, null);
    assert.equal(parsed.value.cloudflare.unavailable, "no Cloudflare account configured");
  });

  it("makes one provider per enabled entry, in the listed order", function () {
    const made = createRemoteProviders({ internetdb: { enabled: true }, abuseipdb: { enabled: true, key: KEY }, otx: { enabled: false, key: KEY } });
    assert.ok(made.ok);
    assert.deepEqual(made.value.map((p) => [p.name, p.party]), [["abuseipdb", "third"], ["internetdb", "third"]]);
    assert.ok(made.value[0].supports("ipv6") && !made.value[0].supports("domain"));
  });
});
