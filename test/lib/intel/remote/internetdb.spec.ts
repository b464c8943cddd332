import assert from "node:assert/strict";
import { settle, until } from "../../../helpers/wait";
import { ip, never, useIntelStandIn } from "./fixture";
import { behavesAsRemoteProvider } from "./provider-contract";
import { ManualClock } from "./manual-clock";

describe("Shodan InternetDB provider", function () {
  const fx = useIntelStandIn();
  const provider = () => fx.provider("internetdb", { rate: null });
  behavesAsRemoteProvider(fx, "internetdb", { sample: ip("203.0.113.99"), keyed: false, quotaReason: "rate_limited" });

  it("gives open ports, CVEs and tags as context, never a verdict", async function () {
    fx.api.internetdb.seed([{ ip: "198.51.100.20", ports: [22, 80, 443], hostnames: ["example.net"], cpes: ["cpe:/a:nginx:nginx"], tags: ["cloud", "vpn"], vulns: ["CVE-2023-44487"] }]);
    const r = await provider().lookup(ip("198.51.100.20"), never());
    assert.deepEqual([r.status, r.verdict, r.score], ["ok", "unknown", 0]);
    assert.equal(r.detail, "3 open ports, 1 CVEs, tags: cloud, vpn");
    assert.deepEqual(r.data, { ports: [22, 80, 443], hostnames: ["example.net"], tags: ["cloud", "vpn"], vulns: ["CVE-2023-44487"], cpes: ["cpe:/a:nginx:nginx"] });
  });

  it("needs no key, sends none, and asks with the address in the path (IPv6 encoded)", async function () {
    const p = fx.provider("internetdb", { rate: null, key: "" });
    assert.equal(p.health().state, "ok");
    await p.lookup(ip("2001:db8::5"), never());
    const [req] = fx.api.requestsTo("internetdb");
    assert.equal(req.path, "/2001%3Adb8%3A%3A5");
    assert.equal(req.headers.key, undefined);
  });

  it("answers not_found for the documented 404", async function () {
    const r = await provider().lookup(ip("203.0.113.9"), never());
    assert.deepEqual([r.status, r.verdict, r.detail], ["not_found", "unknown", "no information available"]);
  });

  it("reports a wrongly shaped body as bad_response", async function () {
    const p = provider();
    fx.api.fail({ provider: "internetdb", body: { ports: "22,80" } });
    const shape = await p.lookup(ip("203.0.113.11"), never());
    assert.deepEqual([shape.status, shape.reason, shape.detail], ["error", "bad_response", "InternetDB answer has no ports"]);
  });

  it("reports an unexpected 401 as auth", async function () {
    fx.api.fail({ provider: "internetdb", status: 401 });
    const r = await provider().lookup(ip("203.0.113.12"), never());
    assert.deepEqual([r.status, r.reason, r.detail], ["error", "auth", "InternetDB HTTP 401"]);
  });

  it("takes a 429 without Retry-After as InternetDB's hour-long ban and pauses", async function () {
    fx.api.fail({ provider: "internetdb", kind: "rate_limited" });
    const p = provider();
    const r = await p.lookup(ip("203.0.113.14"), never());
    assert.deepEqual([r.status, r.reason], ["skipped", "rate_limited"]);
    assert.match(r.detail ?? "", /^InternetDB rate limit exceeded; asked to wait 3600 s, paused until/);
    assert.equal((await p.lookup(ip("203.0.113.15"), never())).reason, "rate_limited");
    assert.equal(fx.api.count("internetdb"), 1);
  });

  it("keeps to 1 request a second by default", async function () {
    const clock = new ManualClock();
    const p = fx.provider("internetdb", {}, { clock });
    const pending = ["203.0.113.16", "203.0.113.17"].map((v) => p.lookup(ip(v), never()));
    await until(() => fx.api.count("internetdb") === 1);
    await clock.advance(999);
    await settle();
    assert.equal(fx.api.count("internetdb"), 1);
    await clock.advance(1);
    await Promise.all(pending);
    assert.equal(fx.api.count("internetdb"), 2);
  });
});
