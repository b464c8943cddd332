import assert from "node:assert/strict";
import path from "node:path";
import fc from "fast-check";
import { Enricher } from "../../../lib/intel/enricher";
import { IocFileProvider } from "../../../lib/intel/ioc/ioc-provider";
import type { IntelProvider } from "../../../lib/intel/types";
import { RecordingProvider } from "./recording-provider";

const FIXTURES = path.join(__dirname, "../../fixtures/intel");

const alert = (evidence: Record<string, unknown>) => ({ id: "a1", evidence });
const malicious = { status: "ok" as const, verdict: "malicious" as const, score: 90, detail: "reported 42 times" };

describe("Enricher", () => {
  const opened: IntelProvider[] = [];
  const ioc = () => {
    const p = new IocFileProvider({ dir: path.join(FIXTURES, "ioc"), rescanMs: 60_000 });
    opened.push(p);
    return p;
  };
  const allow = () => {
    const p = new IocFileProvider({ dir: path.join(FIXTURES, "allow"), allowlist: true, rescanMs: 60_000 });
    opened.push(p);
    return p;
  };
  after(() => Promise.all(opened.map((p) => p.close())));

  describe("privacy", () => {
    it("sends nothing private, own, email or host-named to a remote provider, and says what it withheld", async () => {
      const remote = new RecordingProvider({ name: "abuseipdb" });
      const ownRemote = new RecordingProvider({ name: "cloudflare-intel", party: "first" });
      const enricher = new Enricher({ providers: [ioc(), remote, ownRemote], ownDomains: ["acme.com"], ownNetworks: ["8.20.0.0/16"] });
      const got = await enricher.enrich(
        alert({
          ip: ["10.1.2.3", "100.64.0.7", "169.254.169.254", "::1", "fd00::5", "fe80::1%eth0", "::ffff:192.168.1.1", "8.20.9.9", "203.0.113.5", "8.8.8.8"],
          domain: ["vpn.acme.com", "ACME.COM.", "nas.local", "printer", "0x7f.1", "evil.example.net"],
          url: ["https://sso.acme.com/?token=s3cret", "http://[fd00::1]/", "http://10.0.0.1:8080/admin", "https://evil.example.net/x"],
          user: ["alice@acme.com", "mallory@gmail.com", "bob"],
          host: ["laptop-42", "build.example.net"],
        }),
      );
      const sent = ["8.8.8.8", "evil.example.net", "https://evil.example.net/x"];
      assert.deepEqual(remote.values(), sent);
      assert.deepEqual(ownRemote.values(), sent);
      const withheld = got.withheld.map((w) => `${w.indicator} ${w.reason}`);
      assert.deepEqual(withheld, [
        "10.1.2.3 private_address",
        "100.64.0.7 private_address",
        "169.254.169.254 private_address",
        "::1 private_address",
        "fd00::5 private_address",
        "fe80::1 private_address",
        "192.168.1.1 private_address",
        "8.20.9.9 private_address",
        "203.0.113.5 private_address",
        "vpn.acme.com own_domain",
        "acme.com own_domain",
        "nas.local private_address",
        "printer private_address",
        "127.0.0.1 private_address",
        "https://sso.acme.com/?token=s3cret own_domain",
        "http://[fd00::1]/ private_address",
        "http://10.0.0.1:8080/admin private_address",
        "alice@acme.com first_party_only",
        "mallory@gmail.com first_party_only",
        "laptop-42 private_address",
        "build.example.net first_party_only",
      ]);
      // Withheld indicators are still looked up in the user's own files.
      const own = got.indicators.find((i) => i.indicator === "10.1.2.3");
      assert.deepEqual(own?.results.map((r) => r.provider), ["ioc-files"]);
    });

    it("never sends an address from a special-purpose range or an own subdomain, whatever the alert holds", async () => {
      const remote = new RecordingProvider();
      const enricher = new Enricher({ providers: [remote], ownDomains: ["acme.com"] });
      const octet = fc.integer({ min: 0, max: 255 });
      const hex = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
      const privateIp = fc.oneof(
        fc.tuple(octet, octet, octet).map(([a, b, c]) => `10.${a}.${b}.${c}`),
        fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([a, b, c]) => `100.${a}.${b}.${c}`),
        fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([a, b, c]) => `172.${a}.${b}.${c}`),
        fc.tuple(octet, octet).map(([a, b]) => `192.168.${a}.${b}`),
        fc.tuple(octet, octet, octet).map(([a, b, c]) => `127.${a}.${b}.${c}`),
        fc.tuple(fc.integer({ min: 224, max: 255 }), octet, octet, octet).map((o) => o.join(".")),
        fc.tuple(octet, octet).map(([a, b]) => `::ffff:192.168.${a}.${b}`),
        fc.tuple(hex, hex).map(([a, b]) => `fd${a.padStart(4, "0").slice(2)}:${b}::1`),
        fc.tuple(hex, hex).map(([a, b]) => `fe80::${a}:${b}`),
        fc.tuple(hex, hex).map(([a, b]) => `2001:db8:${a}::${b}`),
      );
      const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
      const ownName = fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => `${labels.join(".")}.AcMe.com`);
      await fc.assert(
        fc.asyncProperty(fc.array(privateIp, { maxLength: 8 }), fc.array(ownName, { maxLength: 4 }), async (ips, names) => {
          remote.calls.length = 0;
          const got = await enricher.enrich(alert({ ip: ips, domain: names, url: names.map((n) => `https://${n}/p`), host: names }));
          assert.deepEqual(remote.calls, []);
          assert.equal(got.withheld.length, got.indicators.length);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe("allowlist", () => {
    it("makes an indicator benign, says so, keeps it from remote providers, and overrules the user's own IOC", async () => {
      const remote = new RecordingProvider({ answer: () => malicious });
      const enricher = new Enricher({ providers: [ioc(), allow(), remote] });
      const got = await enricher.enrich(alert({ ip: ["185.220.101.34"], domain: ["a.cdn.acme-partner.net"] }));
      assert.deepEqual(remote.calls, []);
      const [ip, domain] = got.indicators;
      assert.equal(ip.verdict, "benign");
      assert.deepEqual(ip.reasons, ["allowlist: corp.txt line 4", "overruled by the allowlist: ioc-files: malicious (100) — bad-hosts.txt line 2"]);
      assert.equal(domain.verdict, "benign");
      assert.deepEqual(domain.reasons, ["allowlist: corp.txt line 5", "ioc-files: not found"]);
      assert.deepEqual(got.withheld, [
        { indicator: "185.220.101.34", type: "ipv4", reason: "allowlisted", detail: "corp.txt line 4" },
        { indicator: "a.cdn.acme-partner.net", type: "domain", reason: "allowlisted", detail: "corp.txt line 5" },
      ]);
      assert.equal(got.verdict, "benign");
      assert.deepEqual(got.reasons, ["185.220.101.34: allowlist: corp.txt line 4", "a.cdn.acme-partner.net: allowlist: corp.txt line 5"]);
    });

    it("an allowlisted private address still shows its range as the reason it stayed", async () => {
      const got = await new Enricher({ providers: [allow()] }).enrich(alert({ ip: ["10.9.9.9"] }));
      assert.equal(got.indicators[0].verdict, "benign");
      assert.deepEqual(got.withheld, [{ indicator: "10.9.9.9", type: "ipv4", reason: "private_address", detail: "private 10.0.0.0/8" }]);
    });
  });

  describe("verdicts per alert", () => {
    it("takes the worst indicator, the highest score, and the reasons of the worst", async () => {
      const remote = new RecordingProvider({ name: "abuseipdb", answer: (i) => (i.value === "45.9.148.3" ? malicious : { status: "ok", verdict: "unknown", score: 10 }) });
      const got = await new Enricher({ providers: [ioc(), remote] }).enrich(alert({ ip: ["8.8.8.8", "45.9.148.3"], domain: ["evil-login.example.net"] }));
      assert.deepEqual(got.indicators.map((i) => `${i.indicator} ${i.verdict} ${i.score}`), ["8.8.8.8 unknown 9", "45.9.148.3 malicious 81", "evil-login.example.net malicious 100"]);
      assert.equal(got.verdict, "malicious");
      assert.equal(got.score, 100);
      assert.deepEqual(got.reasons, ["evil-login.example.net: ioc-files: malicious (100) — bad-hosts.txt line 3", "45.9.148.3: abuseipdb: malicious (90) — reported 42 times"]);
      assert.equal(got.partial, false);
    });

    it("an alert without evidence, or not an alert at all, comes out unknown", async () => {
      const enricher = new Enricher({ providers: [new RecordingProvider()] });
      for (const input of [{}, null, "text", 42, { evidence: null }]) {
        const got = await enricher.enrich(input);
        assert.equal(got.verdict, "unknown");
        assert.deepEqual(got.indicators, []);
      }
    });
  });

  describe("failing providers", () => {
    it("never delays an alert beyond its timeout: a slow provider's answer is recorded as a timeout and its lookup aborted", async () => {
      const slow = new RecordingProvider({ name: "slow", delayMs: 10_000, answer: () => malicious });
      const fast = new RecordingProvider({ name: "fast", answer: () => ({ status: "ok", verdict: "suspicious", score: 60 }) });
      const enricher = new Enricher({ providers: [slow, fast], timeoutMs: 100 });
      const started = Date.now();
      const got = await enricher.enrich(alert({ ip: ["45.9.148.3"] }));
      const took = Date.now() - started;
      assert.ok(took >= 95 && took < 2000, `took ${took} ms`);
      const [timedOut, answered] = got.indicators[0].results;
      assert.deepEqual([timedOut.status, timedOut.reason, timedOut.detail], ["error", "timeout", "no answer within 100 ms"]);
      assert.equal(answered.verdict, "suspicious");
      assert.equal(got.verdict, "suspicious");
      assert.equal(got.partial, true);
      assert.equal(slow.aborted, 1);
      assert.equal(enricher.stats().timeouts, 1);
    });

    it("a provider that ignores the abort signal still cannot hold the alert", async () => {
      const deaf = new RecordingProvider({ name: "deaf", delayMs: 3000, deaf: true });
      const got = await new Enricher({ providers: [deaf], timeoutMs: 80 }).enrich(alert({ ip: ["45.9.148.3"] }));
      assert.ok(got.took_ms < 1000, `took ${got.took_ms} ms`);
      assert.equal(got.indicators[0].results[0].reason, "timeout");
    });

    it("a provider that throws, rejects or answers garbage becomes an error result; the alert goes on", async () => {
      const throwsNow: IntelProvider = { ...new RecordingProvider({ name: "throws-now" }), name: "throws-now", party: "third", supports: () => true, health: () => { throw new Error("x"); }, close: async () => {}, lookup: () => { throw new Error("key=SECRET123 rejected"); } };
      const rejects = new RecordingProvider({ name: "rejects", answer: () => Promise.reject(new TypeError("boom")) });
      const garbage: IntelProvider = { name: "garbage", party: "third", supports: () => true, health: () => ({ provider: "garbage", state: "ok", lookups: 0, cacheHits: 0 }), close: async () => {}, lookup: async () => ({ verdict: "evil", score: 1e9, status: "weird" }) as never };
      const good = new RecordingProvider({ name: "good", answer: () => malicious });
      const enricher = new Enricher({ providers: [throwsNow, rejects, garbage, good] });
      const got = await enricher.enrich(alert({ ip: ["45.9.148.3"] }));
      const results = got.indicators[0].results.map((r) => [r.provider, r.status, r.reason, r.detail].filter(Boolean).join(" "));
      assert.deepEqual(results, [
        "throws-now error bad_response lookup failed unexpectedly (Error)",
        "rejects error bad_response lookup failed unexpectedly (TypeError)",
        "garbage error bad_response",
        "good ok reported 42 times",
      ]);
      assert.equal(got.indicators[0].results[2].score, 100);
      assert.equal(got.indicators[0].results[2].verdict, "unknown");
      assert.equal(got.verdict, "malicious");
      assert.equal(got.partial, true);
      assert.doesNotMatch(JSON.stringify(got), /SECRET123/);
      assert.deepEqual(enricher.stats().degraded.map((h) => `${h.provider} ${h.state} ${h.detail}`), ["throws-now degraded health unavailable"]);
    });
  });

  describe("de-duplication", () => {
    it("looks an indicator up once across concurrent alerts while its lookup runs", async () => {
      const remote = new RecordingProvider({ delayMs: 50, answer: () => malicious });
      const enricher = new Enricher({ providers: [remote] });
      const ips = ["45.9.148.3", "45.9.148.4", "45.9.148.5"];
      const all = await Promise.all(Array.from({ length: 60 }, (_, i) => enricher.enrich(alert({ ip: [ips[i % 3], ips[(i + 1) % 3]], url: ["https://evil.example.net/a"] }))));
      assert.deepEqual([...remote.values()].sort(), [...ips, "https://evil.example.net/a"].sort());
      assert.ok(all.every((a) => a.verdict === "malicious" && a.indicators.length === 3));
      const stats = enricher.stats();
      assert.equal(stats.lookups, 180);
      assert.equal(stats.cacheHitRate, 176 / 180);
    });

    it("looks an indicator up once per batch", async () => {
      const remote = new RecordingProvider({ answer: () => malicious });
      const alerts = Array.from({ length: 100 }, (_, i) => alert({ ip: [`45.9.148.${i % 10}`], domain: ["Evil.Example.NET", "evil.example.net."] }));
      const got = await new Enricher({ providers: [remote] }).enrichBatch(alerts);
      assert.equal(got.length, 100);
      assert.equal(remote.calls.length, 11);
      assert.deepEqual(got[42].indicators.map((i) => i.indicator), ["45.9.148.2", "evil.example.net"]);
    });

    it("one alert giving up does not abort a lookup another alert still waits for", async () => {
      const remote = new RecordingProvider({ delayMs: 150, answer: () => malicious });
      const impatient = new Enricher({ providers: [remote], timeoutMs: 30 });
      const first = impatient.enrichBatch([alert({ ip: ["45.9.148.3"] })]);
      const patient = impatient.enrichBatch([alert({ ip: ["45.9.148.3"] })]);
      assert.equal((await first)[0].indicators[0].results[0].reason, "timeout");
      assert.equal((await patient)[0].indicators[0].results[0].reason, "timeout");
      assert.equal(remote.calls.length, 1);
      assert.equal(remote.aborted, 1);

      // B joins A's lookup; A's deadline passes first, and the lookup runs on for B.
      const remote2 = new RecordingProvider({ delayMs: 200, answer: () => malicious });
      const enricher = new Enricher({ providers: [remote2], timeoutMs: 150 });
      const a = enricher.enrich(alert({ ip: ["45.9.148.3"] }));
      await new Promise((r) => setTimeout(r, 100));
      const b = enricher.enrich(alert({ ip: ["45.9.148.3"] }));
      assert.equal((await a).indicators[0].results[0].reason, "timeout");
      assert.equal((await b).indicators[0].verdict, "malicious");
      assert.equal(remote2.calls.length, 1);
      assert.equal(remote2.aborted, 0);
    });
  });

  describe("stats", () => {
    it("count lookups and cache hits of remote providers, and list degraded providers", async () => {
      const cached = new RecordingProvider({ name: "vt", answer: (_, call) => ({ ...malicious, cached: call > 1 }), health: { state: "quota", detail: "quota until 00:00Z" } });
      const unconfigured = new RecordingProvider({ name: "otx", types: [], health: { state: "no_key" } });
      const enricher = new Enricher({ providers: [ioc(), cached, unconfigured] });
      for (let i = 0; i < 4; i++) await enricher.enrich(alert({ ip: ["45.9.148.3"] }));
      const s = enricher.stats();
      assert.equal(s.alerts, 4);
      assert.equal(s.lookups, 8);
      assert.equal(s.cacheHitRate, 3 / 4);
      assert.ok(s.lookupsPerSecond > 0);
      assert.deepEqual(s.degraded.map((h) => `${h.provider}: ${h.state} ${h.detail}`), ["vt: quota quota until 00:00Z"]);
    });

    it("refuse bad options", () => {
      assert.throws(() => new Enricher({ providers: [], timeoutMs: 0 }), /timeoutMs must be between 1 and 600000/);
      assert.throws(() => new Enricher({ providers: [], reliability: { vt: "Z" as never } }), /reliability of vt must be one of A\+, A, B, C, D, E, F/);
      assert.throws(() => new Enricher({ providers: [], ownDomains: ["a b"] }), /own domain "a b" is not a domain name/);
    });
  });
});
