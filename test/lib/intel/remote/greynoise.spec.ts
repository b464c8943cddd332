import assert from "node:assert/strict";
import { ip, never, useIntelStandIn } from "./fixture";
import { behavesAsRemoteProvider } from "./provider-contract";

describe("GreyNoise Community provider", function () {
  const fx = useIntelStandIn();
  const provider = () => fx.provider("greynoise", { rate: null });
  behavesAsRemoteProvider(fx, "greynoise", { sample: ip("203.0.113.99"), keyed: true, quotaReason: "quota" });

  it("takes RIOT as benign, a malicious scanner as suspicious, a benign scanner as benign, other noise as unknown", async function () {
    fx.api.greynoise.seed([
      { ip: "1.1.1.1", riot: true, classification: "benign", name: "Cloudflare Public DNS" },
      { ip: "198.51.100.7", noise: true, classification: "malicious" },
      { ip: "198.51.100.8", noise: true, classification: "benign", name: "Shodan.io" },
      { ip: "198.51.100.9", noise: true, classification: "unknown" },
    ]);
    const p = provider();
    const got = [];
    for (const value of ["1.1.1.1", "198.51.100.7", "198.51.100.8", "198.51.100.9"]) {
      const r = await p.lookup(ip(value), never());
      got.push([r.status, r.verdict, r.score, r.detail]);
    }
    assert.deepEqual(got, [
      ["ok", "benign", 0, "RIOT: known business service (Cloudflare Public DNS)"],
      ["ok", "suspicious", 70, "scanning the internet, classified malicious"],
      ["ok", "benign", 0, "benign scanner (Shodan.io)"],
      ["ok", "unknown", 15, "scanning the internet"],
    ]);
    const riot = await p.lookup(ip("1.1.1.1"), never());
    assert.deepEqual(riot.data, { noise: false, riot: true, classification: "benign", name: "Cloudflare Public DNS", link: "https://viz.greynoise.io/ip/1.1.1.1", last_seen: "2026-11-21" });
  });

  it("asks /v3/community/{ip} with the key header", async function () {
    await provider().lookup(ip("198.51.100.10"), never());
    const [req] = fx.api.requestsTo("greynoise");
    assert.deepEqual([req.method, req.path, req.auth], ["GET", "/v3/community/198.51.100.10", "ok"]);
  });

  it("answers not_found for the 404 'not observed'", async function () {
    const r = await provider().lookup(ip("203.0.113.50"), never());
    assert.deepEqual([r.status, r.verdict, r.detail], ["not_found", "unknown", "IP not observed scanning the internet or contained in RIOT data set."]);
  });

  it("looks up IPv4 only", async function () {
    const r = await provider().lookup(ip("2001:db8::1"), never());
    assert.deepEqual([r.status, r.reason], ["skipped", "unsupported_type"]);
  });

  it("reports a 200 without its flags as bad_response, and a plain 429 as rate limited rather than quota", async function () {
    const p = provider();
    fx.api.fail({ provider: "greynoise", body: { ip: "203.0.113.51", message: "Success" } });
    assert.equal((await p.lookup(ip("203.0.113.51"), never())).detail, "GreyNoise answer has no noise and riot flags");
    fx.api.fail({ provider: "greynoise", kind: "rate_limited", times: 3 });
    const limited = await p.lookup(ip("203.0.113.52"), never());
    assert.deepEqual([limited.status, limited.reason], ["skipped", "rate_limited"]);
    assert.deepEqual([p.health().state, p.health().detail], ["degraded", "1 failure in a row (bad_response)"]);
  });
});
