import assert from "node:assert/strict";
import { ip, never, useIntelStandIn } from "./fixture";
import { behavesAsRemoteProvider } from "./provider-contract";

describe("AbuseIPDB provider", function () {
  const fx = useIntelStandIn();
  behavesAsRemoteProvider(fx, "abuseipdb", { sample: ip("203.0.113.99"), keyed: true, quotaReason: "quota" });

  it("maps the abuse confidence to a verdict and keeps the backing fields", async function () {
    fx.api.abuseipdb.seed([
      { ipAddress: "118.25.6.39", abuseConfidenceScore: 100, totalReports: 42, numDistinctUsers: 17, isTor: false, usageType: "Data Center/Web Hosting/Transit", countryCode: "CN" },
      { ipAddress: "198.51.100.3", abuseConfidenceScore: 40, totalReports: 3, numDistinctUsers: 2 },
      { ipAddress: "198.51.100.4", abuseConfidenceScore: 10, totalReports: 1, numDistinctUsers: 1 },
      { ipAddress: "8.8.8.8", abuseConfidenceScore: 0, totalReports: 12, isWhitelisted: true },
    ]);
    const p = fx.provider("abuseipdb");
    const bad = await p.lookup(ip("118.25.6.39"), never());
    assert.deepEqual([bad.provider, bad.indicator, bad.type, bad.status, bad.verdict, bad.score], ["abuseipdb", "118.25.6.39", "ipv4", "ok", "malicious", 100]);
    assert.equal(bad.detail, "abuse confidence 100%, 42 reports from 17 users");
    assert.equal(bad.data.usageType, "Data Center/Web Hosting/Transit");
    assert.equal(bad.data.countryCode, "CN");
    assert.deepEqual([(await p.lookup(ip("198.51.100.3"), never())).verdict, (await p.lookup(ip("198.51.100.4"), never())).verdict], ["suspicious", "unknown"]);
    const white = await p.lookup(ip("8.8.8.8"), never());
    assert.deepEqual([white.status, white.verdict, white.score, white.detail], ["ok", "benign", 0, "whitelisted by AbuseIPDB"]);
  });

  it("sends the key in the Key header, asks for JSON and URL-encodes an IPv6 address", async function () {
    const p = fx.provider("abuseipdb");
    await p.lookup(ip("2001:db8::1"), never());
    const [req] = fx.api.requestsTo("abuseipdb");
    assert.equal(req.auth, "ok");
    assert.equal(req.headers.accept, "application/json");
    assert.equal(req.query.get("ipAddress"), "2001:db8::1");
    assert.match(req.search, /ipAddress=2001%3Adb8%3A%3A1/);
    assert.ok(!req.search.includes(fx.api.key("abuseipdb")));
  });

  it("answers not_found for an address nobody reported", async function () {
    const r = await fx.provider("abuseipdb").lookup(ip("203.0.113.77"), never());
    assert.deepEqual([r.status, r.verdict, r.score, r.detail], ["not_found", "unknown", 0, "no reports in 30 days"]);
  });

  it("reports a 422 for the address as http_error and does not retry it", async function () {
    const r = await fx.provider("abuseipdb").lookup(ip("999.1.1.1"), never());
    assert.equal(r.status, "error");
    assert.equal(r.reason, "http_error");
    assert.match(r.detail ?? "", /HTTP 422: The ip address must be a valid IPv4 or IPv6 address/);
    assert.equal(fx.api.count("abuseipdb"), 1);
  });

  it("reports JSON of the wrong shape as bad_response", async function () {
    const p = fx.provider("abuseipdb");
    fx.api.fail({ provider: "abuseipdb", body: { data: { abuseConfidenceScore: "high" } } });
    const shape = await p.lookup(ip("203.0.113.3"), never());
    assert.deepEqual([shape.status, shape.reason, shape.detail], ["error", "bad_response", "AbuseIPDB answer has no data.abuseConfidenceScore"]);
  });

  it("caps what a hostile answer puts into the result", async function () {
    fx.api.abuseipdb.seed([{ ipAddress: "203.0.113.5", abuseConfidenceScore: 80, totalReports: 5, isp: "y".repeat(10_000), domain: { nested: { deeper: { deepest: { x: 1 } } } } }]);
    const r = await fx.provider("abuseipdb").lookup(ip("203.0.113.5"), never());
    assert.equal(r.verdict, "malicious");
    assert.ok(JSON.stringify(r).length < 2000, `result is ${JSON.stringify(r).length} characters`);
    assert.equal((r.data.isp as string).length, 257);
  });

  it("takes the daily limit from AbuseIPDB's 429 and its reset header, then asks no more", async function () {
    fx.api.abuseipdb.dailyLimit = 2;
    const p = fx.provider("abuseipdb");
    assert.equal((await p.lookup(ip("203.0.113.10"), never())).status, "not_found");
    assert.equal((await p.lookup(ip("203.0.113.11"), never())).status, "not_found");
    // The second answer said X-RateLimit-Remaining: 0, so the third is held back without a request.
    const third = await p.lookup(ip("203.0.113.12"), never());
    assert.deepEqual([third.status, third.reason], ["skipped", "quota"]);
    assert.equal(fx.api.count("abuseipdb"), 2);
    assert.deepEqual(p.health().state, "quota");
    assert.equal(p.health().detail, "quota until 00:00Z");
  });
});
