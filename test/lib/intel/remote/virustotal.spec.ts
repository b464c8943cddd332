import assert from "node:assert/strict";
import { virusTotalPath } from "../../../../lib/intel/remote/providers/virustotal";
import { settle, until } from "../../../helpers/wait";
import { ip, never, useIntelStandIn } from "./fixture";
import { ManualClock } from "./manual-clock";
import { behavesAsRemoteProvider } from "./provider-contract";

const stats = (malicious: number, suspicious = 0) => ({ last_analysis_stats: { harmless: 60, malicious, suspicious, undetected: 20, timeout: 0 } });
const SHA256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f";

describe("VirusTotal provider", function () {
  const fx = useIntelStandIn();
  const provider = () => fx.provider("virustotal", { rate: null });
  behavesAsRemoteProvider(fx, "virustotal", { sample: ip("203.0.113.99"), keyed: true, quotaReason: "quota" });

  it("counts engines: 3 or more malicious is malicious, 1–2 suspicious, none unknown however many say harmless", async function () {
    fx.api.virustotal.seed("ip_addresses", "203.0.113.9", { ...stats(6, 1), as_owner: "EXAMPLE-HOSTING", country: "NL", reputation: -12 });
    fx.api.virustotal.seed("ip_addresses", "203.0.113.10", stats(1));
    fx.api.virustotal.seed("ip_addresses", "203.0.113.11", stats(0, 2));
    fx.api.virustotal.seed("ip_addresses", "203.0.113.12", stats(0));
    const p = provider();
    const bad = await p.lookup(ip("203.0.113.9"), never());
    assert.deepEqual([bad.status, bad.verdict, bad.score, bad.detail], ["ok", "malicious", 83, "6/87 engines malicious, 1 suspicious"]);
    assert.deepEqual([bad.data.as_owner, bad.data.country, bad.data.reputation], ["EXAMPLE-HOSTING", "NL", -12]);
    const verdicts = [];
    for (const value of ["203.0.113.10", "203.0.113.11", "203.0.113.12"]) verdicts.push((await p.lookup(ip(value), never())).verdict);
    assert.deepEqual(verdicts, ["suspicious", "suspicious", "unknown"]);
  });

  it("asks for domains, files by any hash, and URLs by the unpadded URL-safe base64 of the URL", async function () {
    const url = "http://evil.example/a.exe?x=1>";
    fx.api.virustotal.seed("domains", "evil.example", { ...stats(4), categories: { Forcepoint: "malicious web sites" } });
    fx.api.virustotal.seed("urls", url, stats(9));
    fx.api.virustotal.seed("files", SHA256, { ...stats(50), md5: "44d88612fea8a8f36de82e1278abb02f", sha256: SHA256, popular_threat_classification: { suggested_threat_label: "virus.eicar/test" }, meaningful_name: "eicar.com" });
    const p = provider();
    const domain = await p.lookup({ type: "domain", value: "evil.example" }, never());
    assert.deepEqual([domain.verdict, domain.data.categories], ["malicious", { Forcepoint: "malicious web sites" }]);
    assert.equal((await p.lookup({ type: "url", value: url }, never())).verdict, "malicious");
    const file = await p.lookup({ type: "md5", value: "44d88612fea8a8f36de82e1278abb02f" }, never());
    assert.deepEqual([file.verdict, file.data.suggested_threat_label, file.data.meaningful_name], ["malicious", "virus.eicar/test", "eicar.com"]);
    assert.match(file.detail ?? "", /\(virus\.eicar\/test\)$/);
    const urlPath = fx.api.requestsTo("virustotal")[1].path;
    assert.equal(urlPath, `/urls/${Buffer.from(url).toString("base64url")}`);
    assert.ok(!urlPath.includes("="));
    assert.equal(virusTotalPath({ type: "url", value: "http://a.example/" }), "/urls/aHR0cDovL2EuZXhhbXBsZS8");
  });

  it("answers not_found for NotFoundError", async function () {
    const r = await provider().lookup({ type: "sha256", value: "0".repeat(64) }, never());
    assert.deepEqual([r.status, r.detail], ["not_found", "not in VirusTotal"]);
  });

  it("reports a body without last_analysis_stats as bad_response", async function () {
    fx.api.fail({ provider: "virustotal", body: { data: { attributes: { reputation: 0 } } } });
    const r = await provider().lookup(ip("203.0.113.13"), never());
    assert.deepEqual([r.reason, r.detail], ["bad_response", "VirusTotal answer has no data.attributes.last_analysis_stats"]);
  });

  it("keeps to the public API's 4 requests a minute by default", async function () {
    const clock = new ManualClock();
    const p = fx.provider("virustotal", { concurrency: 5 }, { clock });
    const pending = Array.from({ length: 5 }, (_, i) => p.lookup(ip(`203.0.113.${20 + i}`), never()));
    await until(() => fx.api.count("virustotal") === 4);
    await clock.advance(59_999);
    await settle();
    assert.equal(fx.api.count("virustotal"), 4);
    await clock.advance(1);
    await Promise.all(pending);
    assert.equal(fx.api.count("virustotal"), 5);
  });

  it("stops for the day after 500 requests and says so", async function () {
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 23, 0));
    const p = fx.provider("virustotal", { rate: null, quota: 2 }, { clock });
    await p.lookup(ip("203.0.113.30"), never());
    await p.lookup(ip("203.0.113.31"), never());
    const r = await p.lookup(ip("203.0.113.32"), never());
    assert.deepEqual([r.status, r.reason, p.health().detail], ["skipped", "quota", "quota until 00:00Z"]);
    assert.equal(fx.api.count("virustotal"), 2);
  });
});
