import assert from "node:assert/strict";
import fc from "fast-check";
import { DisclosurePolicy } from "../../../lib/intel/disclosure-policy";
import { collectEvidence } from "../../../lib/intel/evidence";
import { inferIndicator, normalizeAddress, normalizeIndicator } from "../../../lib/intel/indicator";
import { parseIpNetwork } from "../../../lib/intel/ip-address";
import type { IndicatorType } from "../../../lib/intel/types";

const value = (type: IndicatorType, raw: unknown) => {
  const n = normalizeIndicator(type, raw);
  return n.ok ? `${n.indicator.type}:${n.indicator.value}` : `error:${n.reason}`;
};

describe("indicator normalization", () => {
  it("writes addresses in one canonical form", () => {
    const cases: Array<[IndicatorType, string, string]> = [
      ["ipv6", "2001:0DB8:0000:0000:0000:0000:0000:0001", "ipv6:2001:db8::1"],
      ["ipv6", "2001:db8:0:0:1:0:0:1", "ipv6:2001:db8::1:0:0:1"],
      ["ipv6", "1:0:0:0:1:0:0:0", "ipv6:1::1:0:0:0"],
      ["ipv6", "0:0:0:0:0:0:0:0", "ipv6:::"],
      ["ipv6", "::ffff:8.8.4.4", "ipv4:8.8.4.4"],
      ["ipv6", "::FFFF:0808:0404", "ipv4:8.8.4.4"],
      ["ipv6", "[2606:4700:4700::1111]", "ipv6:2606:4700:4700::1111"],
      ["ipv6", "fe80::1%eth0", "ipv6:fe80::1"],
      ["ipv4", " 8.8.8.8 ", "ipv4:8.8.8.8"],
      ["ipv4", "010.0.0.1", "error:not an IPv4 address"],
      ["ipv4", "1.2.3", "error:not an IPv4 address"],
      ["ipv4", "256.1.1.1", "error:not an IPv4 address"],
      ["ipv4", "2001:db8::1", "error:not an IPv4 address"],
      ["ipv6", "8.8.8.8", "error:not an IPv6 address"],
      ["ipv6", "1::2::3", "error:not an IPv6 address"],
    ];
    for (const [type, raw, want] of cases) assert.equal(value(type, raw), want, raw);
  });

  it("lower-cases domains, drops the trailing dot, and writes IDN as punycode", () => {
    const cases: Array<[string, string]> = [
      ["WWW.Example.COM.", "domain:www.example.com"],
      ["Bücher.example", "domain:xn--bcher-kva.example"],
      ["☃.net", "domain:xn--n3h.net"],
      ["_dmarc.example.com", "domain:_dmarc.example.com"],
      ["ex\u00adample.com", "domain:example.com"],
      ["a\u200bb.com", "domain:ab.com"],
      // Names that resolve to an address are that address, and judged as it.
      ["0x7f.1", "ipv4:127.0.0.1"],
      ["１２７.０.０.１", "ipv4:127.0.0.1"],
      ["a..com", "error:not a valid domain name"],
      ["exa mple.com", "error:not a valid domain name"],
      ["evil\u202ecom.example", "error:not a valid domain name"],
      ["http://x.com/", "error:not a valid domain name"],
      [`${"a".repeat(64)}.com`, "error:not a valid domain name"],
      [`${"abcdefghi.".repeat(26)}com`, "error:domain longer than 253 characters"],
    ];
    for (const [raw, want] of cases) assert.equal(value("domain", raw), want, raw);
  });

  it("reads URLs with WHATWG URL: lower-case host, no fragment, no credentials", () => {
    const cases: Array<[string, string]> = [
      ["HTTP://User:Secret@EXAMPLE.com:80/a/b?q=1#frag", "url:http://example.com/a/b?q=1"],
      ["https://Bücher.example/ä", "url:https://xn--bcher-kva.example/%C3%A4"],
      ["http://0x7f.1/admin", "url:http://127.0.0.1/admin"],
      ["javascript:alert(1)", "error:URL scheme javascript: is not looked up"],
      ["file:///etc/passwd", "error:URL scheme file: is not looked up"],
      ["http://", "error:not a valid URL"],
      ["not a url", "error:not a valid URL"],
    ];
    for (const [raw, want] of cases) assert.equal(value("url", raw), want, raw);
  });

  it("types hashes by length and lower-cases them; lower-cases emails", () => {
    assert.equal(inferIndicator("D41D8CD98F00B204E9800998ECF8427E").ok && "ok", "ok");
    assert.deepEqual(inferIndicator("D41D8CD98F00B204E9800998ECF8427E"), { ok: true, indicator: { type: "md5", value: "d41d8cd98f00b204e9800998ecf8427e" } });
    assert.equal((inferIndicator("da39a3ee5e6b4b0d3255bfef95601890afd80709") as { indicator: { type: string } }).indicator.type, "sha1");
    assert.equal((inferIndicator("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") as { indicator: { type: string } }).indicator.type, "sha256");
    assert.equal(value("sha256", "d41d8cd98f00b204e9800998ecf8427e"), "error:a sha256 hash is 64 hexadecimal digits");
    assert.equal(value("md5", "z41d8cd98f00b204e9800998ecf8427e"), "error:a md5 hash is 32 hexadecimal digits");
    assert.equal(value("email", "Alice.Smith@Corp.EXAMPLE"), "email:alice.smith@corp.example");
    assert.equal(value("email", "bob@Bücher.example"), "email:bob@xn--bcher-kva.example");
    assert.equal(value("email", "@example.com"), "error:not a valid email address");
    assert.equal(value("email", "a b@example.com"), "error:not a valid email address");
    assert.equal(value("email", "a\u202e@example.com"), "error:not a valid email address");
  });

  it("infers the type from the value", () => {
    const cases: Array<[string, string]> = [
      ["8.8.8.8", "ipv4"],
      ["2606:4700::1", "ipv6"],
      ["https://evil.example/x", "url"],
      ["someone@evil.example", "email"],
      ["evil.example", "domain"],
    ];
    for (const [raw, type] of cases) {
      const n = inferIndicator(raw);
      assert.ok(n.ok && n.indicator.type === type, raw);
    }
    assert.deepEqual(inferIndicator("not an indicator!"), { ok: false, reason: "not an IP address, domain, URL, email or hash" });
  });

  it("refuses hostile input with a reason: huge, control characters, not text", () => {
    assert.deepEqual(normalizeIndicator("domain", "x".repeat(5_000_000)), { ok: false, reason: "longer than 1024 characters" });
    assert.deepEqual(normalizeIndicator("url", `http://a.example/${"x".repeat(9000)}`), { ok: false, reason: "longer than 8192 characters" });
    assert.deepEqual(normalizeIndicator("domain", "evil.example\u0000.corp.example"), { ok: false, reason: "contains control characters" });
    assert.deepEqual(normalizeIndicator("url", "http://evil.example/\r\nSet-Cookie: a=b"), { ok: false, reason: "contains control characters" });
    assert.deepEqual(normalizeIndicator("ipv4", "8.8.8.8\n"), { ok: true, indicator: { type: "ipv4", value: "8.8.8.8" } });
    assert.deepEqual(normalizeIndicator("ipv4", 134744072), { ok: false, reason: "not text" });
    assert.deepEqual(normalizeIndicator("domain", { toString: () => "evil.example" }), { ok: false, reason: "not text" });
    assert.deepEqual(normalizeAddress("   "), { ok: false, reason: "empty" });
  });

  it("never throws and always answers in canonical form, whatever the string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (raw) => {
        for (const type of ["ipv4", "ipv6", "domain", "url", "email", "md5"] as IndicatorType[]) {
          const n = normalizeIndicator(type, raw);
          if (!n.ok) continue;
          // Normalizing a normalized value changes nothing.
          assert.deepEqual(normalizeIndicator(n.indicator.type, n.indicator.value), n);
          assert.doesNotMatch(n.indicator.value, /[\p{Cc}]/u);
        }
        const inferred = inferIndicator(raw);
        if (inferred.ok) assert.deepEqual(inferIndicator(inferred.indicator.value), inferred);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads CIDR networks with host bits cleared and IPv4-mapped ranges as IPv4", () => {
    assert.equal(parseIpNetwork("10.1.2.3/8")?.text, "10.0.0.0/8");
    assert.equal(parseIpNetwork("2001:DB8::1/32")?.text, "2001:db8::/32");
    assert.equal(parseIpNetwork("::ffff:10.0.0.0/104")?.text, "10.0.0.0/8");
    assert.equal(parseIpNetwork("1.2.3.4/33"), undefined);
    assert.equal(parseIpNetwork("1.2.3.4/"), undefined);
    assert.equal(parseIpNetwork("01.2.3.4/8"), undefined);
  });
});

describe("what may leave the machine", () => {
  const policy = new DisclosurePolicy({ ownDomains: ["Acme.COM", "bücher.de"], ownNetworks: ["8.20.0.0/16", "2a00:1450::1"] });
  const why = (type: IndicatorType, raw: string) => {
    const n = normalizeIndicator(type, raw);
    assert.ok(n.ok, raw);
    const w = policy.withhold(n.indicator);
    return w ? `${w.reason}: ${w.detail}` : "public";
  };

  it("withholds every non-public address, naming its range", () => {
    const cases: Array<[string, string]> = [
      ["10.1.2.3", "private 10.0.0.0/8"],
      ["172.31.255.255", "private 172.16.0.0/12"],
      ["192.168.0.1", "private 192.168.0.0/16"],
      ["100.96.0.12", "CGNAT 100.64.0.0/10"],
      ["127.0.0.1", "loopback 127.0.0.0/8"],
      ["169.254.169.254", "link-local 169.254.0.0/16"],
      ["0.0.0.0", "unspecified 0.0.0.0/8"],
      ["224.0.0.251", "multicast 224.0.0.0/4"],
      ["255.255.255.255", "reserved 240.0.0.0/4"],
      ["192.0.2.10", "documentation 192.0.2.0/24"],
      ["198.51.100.7", "documentation 198.51.100.0/24"],
      ["203.0.113.9", "documentation 203.0.113.0/24"],
      ["198.18.0.1", "reserved (benchmarking) 198.18.0.0/15"],
      ["::", "unspecified ::/128"],
      ["::1", "loopback ::1/128"],
      ["fe80::1%en0", "link-local fe80::/10"],
      ["fd12:3456::1", "unique local fc00::/7"],
      ["ff02::1", "multicast ff00::/8"],
      ["2001:db8::1", "documentation 2001:db8::/32"],
      ["3fff:1::1", "documentation 3fff::/20"],
      ["::ffff:10.0.0.1", "private 10.0.0.0/8"],
    ];
    for (const [raw, label] of cases) assert.equal(why(raw.includes(":") ? "ipv6" : "ipv4", raw), `private_address: ${label}`, raw);
    assert.equal(why("ipv4", "8.8.8.8"), "public");
    assert.equal(why("ipv6", "2606:4700:4700::1111"), "public");
    assert.equal(why("ipv4", "8.20.1.1"), "private_address: own network 8.20.0.0/16");
    assert.equal(why("ipv6", "2a00:1450::1"), "private_address: own network 2a00:1450::1/128");
  });

  it("withholds own domains by suffix on a label boundary, special-use and single-label names", () => {
    assert.equal(why("domain", "acme.com"), "own_domain: own domain acme.com");
    assert.equal(why("domain", "VPN.Acme.Com."), "own_domain: own domain acme.com");
    assert.equal(why("domain", "evilacme.com"), "public");
    assert.equal(why("domain", "acme.com.evil.io"), "public");
    assert.equal(why("domain", "shop.Bücher.de"), "own_domain: own domain xn--bcher-kva.de");
    assert.equal(why("domain", "printer.local"), "private_address: special-use name .local");
    assert.equal(why("domain", "db.internal"), "private_address: special-use name .internal");
    assert.equal(why("domain", "1.0.0.10.in-addr.arpa"), "private_address: special-use name .arpa");
    assert.equal(why("domain", "fileserver"), "private_address: single-label name");
    assert.equal(why("domain", "example.com"), "public");
    assert.equal(why("domain", "www.example"), "private_address: special-use name .example");
  });

  it("withholds URLs on those hosts, and every email", () => {
    assert.equal(why("url", "https://intranet.acme.com/login?token=abc"), "own_domain: URL on own domain acme.com");
    assert.equal(why("url", "http://[::ffff:192.168.1.1]/"), "private_address: URL on private 192.168.0.0/16");
    assert.equal(why("url", "http://0x7f.1:8080/"), "private_address: URL on loopback 127.0.0.0/8");
    assert.equal(why("url", "https://evil.example.net/x"), "public");
    assert.equal(why("email", "attacker@evil.example.net"), "first_party_only: email address");
    assert.equal(why("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "public");
  });

  it("refuses own domains and networks that are neither", () => {
    assert.throws(() => new DisclosurePolicy({ ownDomains: ["not a domain"] }), /own domain "not a domain" is not a domain name/);
    assert.throws(() => new DisclosurePolicy({ ownNetworks: ["10.0.0.0/99"] }), /own network "10.0.0.0\/99" is not an address or CIDR network/);
  });
});

describe("evidence collection", () => {
  const policy = new DisclosurePolicy({ ownDomains: ["acme.com"] });

  it("normalizes, de-duplicates and marks what stays local", () => {
    const got = collectEvidence(
      {
        ip: ["8.8.8.8", "::ffff:8.8.8.8", "10.0.0.5", "not-an-ip"],
        domain: ["Evil.Example.NET.", "evil.example.net", "vpn.acme.com"],
        url: ["https://evil.example.net/a#x"],
        user: ["Alice@Acme.Com", "alice"],
        host: ["LAPTOP-7.acme.com", "laptop-9"],
        hash: ["D41D8CD98F00B204E9800998ECF8427E", "abc"],
      },
      policy,
    );
    assert.deepEqual(got.indicators, [
      { type: "ipv4", value: "8.8.8.8" },
      { type: "ipv4", value: "10.0.0.5", withheld: { reason: "private_address", detail: "private 10.0.0.0/8" } },
      { type: "domain", value: "evil.example.net" },
      { type: "domain", value: "vpn.acme.com", withheld: { reason: "own_domain", detail: "own domain acme.com" } },
      { type: "url", value: "https://evil.example.net/a" },
      { type: "email", value: "alice@acme.com", withheld: { reason: "first_party_only", detail: "email address" } },
      { type: "domain", value: "laptop-7.acme.com", withheld: { reason: "own_domain", detail: "own domain acme.com" } },
      { type: "domain", value: "laptop-9", withheld: { reason: "private_address", detail: "single-label name" } },
      { type: "md5", value: "d41d8cd98f00b204e9800998ecf8427e" },
    ]);
    assert.deepEqual(got.rejected, [
      { evidence: "ip", value: "not-an-ip", reason: "not an IP address" },
      { evidence: "hash", value: "abc", reason: "not an MD5, SHA-1 or SHA-256 hash" },
    ]);
  });

  it("a host name that is also a public domain stays local", () => {
    const got = collectEvidence({ domain: ["build.example.net"], host: ["build.example.net"] }, policy);
    assert.deepEqual(got.indicators, [{ type: "domain", value: "build.example.net", withheld: { reason: "first_party_only", detail: "host name" } }]);
  });

  it("survives hostile evidence: wrong shapes, huge lists, huge and invisible values", () => {
    assert.deepEqual(collectEvidence("evil", policy).rejected, [{ evidence: "evidence", value: "evil", reason: "not an object" }]);
    assert.deepEqual(collectEvidence([1, 2], policy).rejected[0].reason, "not an object");
    assert.deepEqual(collectEvidence(undefined, policy), { indicators: [], rejected: [] });
    const single = collectEvidence({ ip: "8.8.4.4", domain: 42, url: null }, policy);
    assert.deepEqual(single.indicators, [{ type: "ipv4", value: "8.8.4.4" }]);
    assert.deepEqual(single.rejected, [{ evidence: "domain", value: "42", reason: "not text" }]);

    const many = collectEvidence({ ip: Array.from({ length: 5000 }, (_, i) => `8.8.${i >> 8}.${i & 255}`) }, policy);
    assert.equal(many.indicators.length, 200);
    assert.deepEqual(many.rejected, [{ evidence: "ip", value: "5000 values", reason: "more than 200; the rest were not read" }]);

    const wide = collectEvidence({ ip: Array.from({ length: 200 }, (_, i) => `8.8.8.${i}`), domain: Array.from({ length: 200 }, (_, i) => `d${i}.example.com`) }, policy);
    assert.equal(wide.indicators.length, 300);
    assert.deepEqual(wide.rejected, [{ evidence: "evidence", value: "100 indicators", reason: "more than 300 distinct indicators; the rest were not looked up" }]);

    const hostile = collectEvidence({ domain: [`${"\u202e".repeat(100)}x`, "a".repeat(10_000_000)] }, policy);
    assert.equal(hostile.indicators.length, 0);
    assert.equal(hostile.rejected[0].value, `${"\uFFFD".repeat(64)}…`);
    assert.equal(hostile.rejected[1].reason, "longer than 1024 characters");
    assert.equal(hostile.rejected[1].value.length, 65);
  });
});
