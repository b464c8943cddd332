import assert from "node:assert/strict";
import { ip, never, useIntelStandIn } from "./fixture";
import { behavesAsRemoteProvider } from "./provider-contract";

const SHA256 = "c".repeat(64);

describe("abuse.ch ThreatFox provider", function () {
  const fx = useIntelStandIn();
  const provider = () => fx.provider("threatfox", { rate: null });
  behavesAsRemoteProvider(fx, "threatfox", { sample: { type: "domain", value: "c2.example" }, keyed: true, quotaReason: "rate_limited" });

  beforeEach(() => {
    fx.api.threatfox.seed([
      { ioc: "198.51.100.7:443", ioc_type: "ip:port", confidence_level: 100, tags: ["CobaltStrike", "c2"] },
      { ioc: "198.51.100.70:8080", ioc_type: "ip:port", confidence_level: 100 },
      { ioc: "c2.example", ioc_type: "domain", confidence_level: 60, threat_type: "botnet_cc", malware_printable: "Emotet" },
      { ioc: "weak.example", ioc_type: "domain", confidence_level: 30 },
      { ioc: SHA256, ioc_type: "sha256_hash", threat_type: "payload", malware_printable: "AgentTesla", confidence_level: 90 },
    ]);
  });

  it("finds an address stored as ip:port, and only that address", async function () {
    const r = await provider().lookup(ip("198.51.100.7"), never());
    assert.deepEqual([r.status, r.verdict, r.score, r.detail], ["ok", "malicious", 100, "Cobalt Strike botnet_cc (confidence 100%)"]);
    assert.deepEqual(r.data.iocs, [{ ioc: "198.51.100.7:443", ioc_type: "ip:port", threat_type: "botnet_cc", malware_printable: "Cobalt Strike" }]);
    assert.deepEqual(fx.api.requestsTo("threatfox")[0].body, { query: "search_ioc", search_term: "198.51.100.7", exact_match: false });
    assert.equal((await provider().lookup(ip("198.51.100.77"), never())).status, "not_found");
  });

  it("takes confidence 75 or more as malicious, 50–74 suspicious, lower unknown", async function () {
    const p = provider();
    const mid = await p.lookup({ type: "domain", value: "c2.example" }, never());
    assert.deepEqual([mid.verdict, mid.score, mid.detail], ["suspicious", 60, "Emotet botnet_cc (confidence 60%)"]);
    const weak = await p.lookup({ type: "domain", value: "weak.example" }, never());
    assert.deepEqual([weak.verdict, weak.score], ["unknown", 24]);
    assert.deepEqual(fx.api.requestsTo("threatfox")[0].body, { query: "search_ioc", search_term: "c2.example", exact_match: true });
  });

  it("asks hashes with search_hash", async function () {
    const r = await provider().lookup({ type: "sha256", value: SHA256 }, never());
    assert.deepEqual([r.verdict, r.data.malware_printable], ["malicious", "AgentTesla"]);
    assert.deepEqual(fx.api.requestsTo("threatfox")[0].body, { query: "search_hash", hash: SHA256 });
  });

  it("answers not_found for no_result, and reports an ok without a data list as bad_response", async function () {
    const p = provider();
    assert.deepEqual([(await p.lookup({ type: "url", value: "http://clean.example/" }, never())).detail], ["not in ThreatFox"]);
    fx.api.fail({ provider: "threatfox", body: { query_status: "ok", data: "oops" } });
    assert.equal((await p.lookup({ type: "domain", value: "x.example" }, never())).detail, "ThreatFox answer has no data list");
  });
});
