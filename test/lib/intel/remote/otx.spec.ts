import assert from "node:assert/strict";
import { otxType } from "../../../../lib/intel/remote/providers/otx";
import { until } from "../../../helpers/wait";
import { ip, never, useIntelStandIn } from "./fixture";
import { ManualClock } from "./manual-clock";
import { behavesAsRemoteProvider } from "./provider-contract";

const pulses = (n: number) => ({
  count: n,
  pulses: Array.from({ length: Math.min(n, 50) }, (_, i) => ({ id: `p${i}`, name: `Campaign ${i}`, tags: ["c2"], created: "2026-11-01T00:00:00", TLP: "white" })),
  related: { alienvault: { adversary: ["APT-Example"], malware_families: ["Cobalt Strike"], industries: [] }, other: {} },
});

describe("AlienVault OTX provider", function () {
  const fx = useIntelStandIn();
  const provider = () => fx.provider("otx", { rate: null });
  behavesAsRemoteProvider(fx, "otx", { sample: ip("203.0.113.99"), keyed: true, quotaReason: "rate_limited" });

  it("makes pulses suspicious at most, and an entry in validation benign", async function () {
    fx.api.otx.seed("IPv4", "198.51.100.7", { pulse_info: pulses(25), reputation: 3, country_code: "NL" });
    fx.api.otx.seed("IPv4", "198.51.100.8", { pulse_info: pulses(2) });
    fx.api.otx.seed("IPv4", "8.8.8.8", { pulse_info: pulses(40), validation: [{ source: "whitelist", message: "Known DNS server", name: "Known public DNS" }] });
    const p = provider();
    const many = await p.lookup(ip("198.51.100.7"), never());
    assert.deepEqual([many.status, many.verdict, many.score, many.detail], ["ok", "suspicious", 74, 'in 25 OTX pulses, e.g. "Campaign 0"']);
    assert.deepEqual([many.data.pulse_count, (many.data.pulses as unknown[]).length, many.data.malware_families, many.data.adversary], [25, 5, ["Cobalt Strike"], ["APT-Example"]]);
    const few = await p.lookup(ip("198.51.100.8"), never());
    assert.deepEqual([few.verdict, few.score], ["suspicious", 30]);
    const dns = await p.lookup(ip("8.8.8.8"), never());
    assert.deepEqual([dns.verdict, dns.detail], ["benign", "OTX validation: Known public DNS"]);
  });

  it("answers not_found when no pulse names the indicator", async function () {
    const r = await provider().lookup({ type: "sha256", value: "a".repeat(64) }, never());
    assert.deepEqual([r.status, r.detail], ["not_found", "in no OTX pulse"]);
  });

  it("asks /indicators/{type}/{value}/general with the value fully encoded", async function () {
    const p = provider();
    await p.lookup({ type: "url", value: "http://evil.example/a b?x=1" }, never());
    await p.lookup({ type: "domain", value: "evil.example" }, never());
    await p.lookup({ type: "domain", value: "cdn.evil.example" }, never());
    await p.lookup({ type: "md5", value: "44d88612fea8a8f36de82e1278abb02f" }, never());
    await p.lookup(ip("2001:db8::7"), never());
    assert.deepEqual(
      fx.api.requestsTo("otx").map((r) => r.path),
      [
        "/indicators/url/http%3A%2F%2Fevil.example%2Fa%20b%3Fx%3D1/general",
        "/indicators/domain/evil.example/general",
        "/indicators/hostname/cdn.evil.example/general",
        "/indicators/file/44d88612fea8a8f36de82e1278abb02f/general",
        "/indicators/IPv6/2001%3Adb8%3A%3A7/general",
      ],
    );
    assert.equal(otxType({ type: "sha1", value: "x" }), "file");
  });

  it("reports a body without pulse_info as bad_response, and a 400 as http_error without retrying", async function () {
    const p = provider();
    fx.api.fail({ provider: "otx", body: { indicator: "203.0.113.40" } });
    assert.equal((await p.lookup(ip("203.0.113.40"), never())).detail, "OTX answer has no pulse_info.count");
    fx.api.fail({ provider: "otx", status: 400 });
    const refused = await p.lookup(ip("203.0.113.41"), never());
    assert.deepEqual([refused.reason, refused.detail], ["http_error", "OTX HTTP 400: Bad request"]);
    assert.equal(fx.api.count("otx"), 2);
  });

  it("waits out a short throttle and pauses for a long one", async function () {
    const clock = new ManualClock();
    const p = fx.provider("otx", { rate: null, maxRetryAfterMs: 2000 }, { clock });
    fx.api.fail({ provider: "otx", kind: "rate_limited", retryAfter: 2 });
    const waiting = p.lookup(ip("203.0.113.42"), never());
    await until(() => clock.waitingFor(2000));
    await clock.advance(2000);
    assert.equal((await waiting).status, "not_found");
    assert.equal(fx.api.count("otx"), 2);
    fx.api.fail({ provider: "otx", kind: "rate_limited", retryAfter: 600 });
    const paused = await p.lookup(ip("203.0.113.43"), never());
    assert.deepEqual([paused.status, paused.reason], ["skipped", "rate_limited"]);
    assert.match(paused.detail ?? "", /Request was throttled\. Expected available in 600 seconds\.; asked to wait 600 s, paused until/);
  });
});
