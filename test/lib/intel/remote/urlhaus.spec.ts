import assert from "node:assert/strict";
import { ip, never, useIntelStandIn } from "./fixture";
import { behavesAsRemoteProvider } from "./provider-contract";

const SHA256 = "e".repeat(64);
const MD5 = "d".repeat(32);

describe("abuse.ch URLhaus provider", function () {
  const fx = useIntelStandIn();
  const provider = () => fx.provider("urlhaus", { rate: null });
  behavesAsRemoteProvider(fx, "urlhaus", { sample: { type: "url", value: "http://203.0.113.99/x" }, keyed: true, quotaReason: "rate_limited" });

  beforeEach(() => {
    fx.api.urlhaus.seedUrls([
      { url: "http://198.51.100.7/bins/x86", url_status: "online", threat: "malware_download", tags: ["elf", "mirai"] },
      { url: "http://198.51.100.7/bins/arm", url_status: "offline" },
      { url: "http://old.example/payload.exe", url_status: "offline" },
    ]);
    fx.api.urlhaus.seedPayloads([{ md5_hash: MD5, sha256_hash: SHA256, file_type: "elf", signature: "Mirai", urls: [{ url: "http://198.51.100.7/bins/x86", url_status: "online" }] }]);
  });

  it("takes an online URL as malicious and an offline one as suspicious", async function () {
    const p = provider();
    const online = await p.lookup({ type: "url", value: "http://198.51.100.7/bins/x86" }, never());
    assert.deepEqual([online.status, online.verdict, online.score, online.detail], ["ok", "malicious", 100, "malware_download, online"]);
    assert.deepEqual(online.data.tags, ["elf", "mirai"]);
    const offline = await p.lookup({ type: "url", value: "http://old.example/payload.exe" }, never());
    assert.deepEqual([offline.verdict, offline.detail], ["suspicious", "malware_download, offline now"]);
  });

  it("asks a domain or IPv4 as a host, with the URLs listed there", async function () {
    const p = provider();
    const host = await p.lookup(ip("198.51.100.7"), never());
    assert.deepEqual([host.verdict, host.detail, host.data.url_count], ["malicious", "1 of 2 malware URLs online", 2]);
    const domain = await p.lookup({ type: "domain", value: "old.example" }, never());
    assert.deepEqual([domain.verdict, domain.detail], ["suspicious", "1 malware URLs, none online"]);
    const [first] = fx.api.requestsTo("urlhaus");
    assert.deepEqual([first.method, first.path, first.form.get("host")], ["POST", "/host/", "198.51.100.7"]);
  });

  it("asks payloads by MD5 or SHA-256 and calls them malicious", async function () {
    const p = provider();
    const bySha = await p.lookup({ type: "sha256", value: SHA256 }, never());
    assert.deepEqual([bySha.verdict, bySha.detail, bySha.data.signature], ["malicious", "malware payload (Mirai) served from 1 URLs", "Mirai"]);
    assert.equal((await p.lookup({ type: "md5", value: MD5 }, never())).verdict, "malicious");
    assert.deepEqual(fx.api.requestsTo("urlhaus").map((r) => [r.path, [...r.form.keys()][0]]), [["/payload/", "sha256_hash"], ["/payload/", "md5_hash"]]);
    assert.deepEqual([(await p.lookup({ type: "sha1", value: "f".repeat(40) }, never())).reason], ["unsupported_type"]);
  });

  it("answers not_found for no_results, and http_error for an indicator URLhaus refuses", async function () {
    const p = provider();
    const none = await p.lookup({ type: "url", value: "http://clean.example/" }, never());
    assert.deepEqual([none.status, none.detail], ["not_found", "not in URLhaus"]);
    const refused = await p.lookup({ type: "url", value: "not a url" }, never());
    assert.deepEqual([refused.status, refused.reason, refused.detail], ["error", "http_error", "URLhaus refused the indicator: invalid_url"]);
  });

  it("reports an unknown query_status, or an ok without its fields, as bad_response", async function () {
    const p = provider();
    fx.api.fail({ provider: "urlhaus", body: { query_status: "maintenance" } });
    assert.equal((await p.lookup({ type: "url", value: "http://a.example/" }, never())).detail, 'URLhaus answered query_status "maintenance"');
    fx.api.fail({ provider: "urlhaus", body: { query_status: "ok", url: "http://b.example/" } });
    assert.equal((await p.lookup({ type: "url", value: "http://b.example/" }, never())).detail, "URLhaus answer has no url_status");
  });
});
