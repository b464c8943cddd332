import assert from "node:assert/strict";
import { isIP } from "node:net";
import fc from "fast-check";
import { count, country, flag, ip, ips, port, slug } from "../../../lib/parsers/fields";
import { domainAndPath, hostUrl, urlParts } from "../../../lib/parsers/url";

describe("parsers: field readers", () => {
  it("accepts exactly what node:net calls an IP address", () => {
    const samples = ["203.0.113.10", "0.0.0.0", "255.255.255.255", "2001:db8::5", "::1", "::ffff:192.0.2.1", "fe80::1%eth0"];
    const wrong = ["256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "1.2.3.4 ", "", "a.b.c.d", "2001:db8::g", ":", "1.2.3.-4"];
    for (const s of [...samples, ...wrong]) assert.equal(ip(s), isIP(s) !== 0 ? s : undefined, s);
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 20 }), fc.ipV4Extended()), (s) => {
        assert.equal(ip(s), isIP(s) !== 0 ? s : undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps the addresses of a list, de-duplicated and bounded", () => {
    assert.deepEqual(ips(["192.0.2.1", "x", 7, "192.0.2.1", "2001:db8::1"], 10), ["192.0.2.1", "2001:db8::1"]);
    assert.deepEqual(ips(["192.0.2.1", "192.0.2.2", "192.0.2.3"], 2), ["192.0.2.1", "192.0.2.2"]);
    assert.equal(ips([], 10), undefined);
    assert.equal(ips("192.0.2.1", 10), undefined);
  });

  it("reads ports and counts from numbers or digit strings, 0 as unknown", () => {
    assert.equal(port(443), 443);
    assert.equal(port("8443"), 8443);
    assert.equal(port(0), undefined);
    assert.equal(port(70000), undefined);
    assert.equal(port(44.5), undefined);
    assert.equal(port("http"), undefined);
    assert.equal(count(0, true), 0);
    assert.equal(count(-1, true), undefined);
  });

  it("upper-cases two-letter country codes and drops anything else", () => {
    assert.equal(country("us"), "US");
    assert.equal(country("NL"), "NL");
    assert.equal(country("Us"), "US");
    assert.equal(country(""), undefined);
    assert.equal(country("USA"), undefined);
    assert.equal(country(1), undefined);
  });

  it("reads booleans and their spellings", () => {
    assert.equal(flag(false), false);
    assert.equal(flag("False"), false);
    assert.equal(flag("TRUE"), true);
    assert.equal(flag("no"), undefined);
    assert.equal(flag(0), undefined);
  });

  it("makes slugs of behaviour names", () => {
    assert.equal(slug("Impossible Travel"), "impossible-travel");
    assert.equal(slug("SentinelOne threat detected on machine"), "sentinelone-threat-detected-on-machine");
    assert.equal(slug("  Low ZTA score (0–50)! "), "low-zta-score-0-50");
    assert.equal(slug("—"), undefined);
  });
});

describe("parsers: URLs", () => {
  it("splits a full URL into ECS parts, lower-casing only scheme and host", () => {
    assert.deepEqual(urlParts("https://Example.COM:8443/A/b?x=1&y=Z#Frag"), {
      original: "https://Example.COM:8443/A/b?x=1&y=Z#Frag",
      full: "https://Example.COM:8443/A/b?x=1&y=Z#Frag",
      scheme: "https",
      domain: "example.com",
      port: 8443,
      path: "/A/b",
      query: "x=1&y=Z",
      fragment: "Frag",
    });
  });

  it("reads user info, IPv6 literals, a missing path and a query without a path", () => {
    assert.deepEqual(urlParts("ftp://user:pw@[2001:db8::1]:21"), {
      original: "ftp://user:pw@[2001:db8::1]:21",
      full: "ftp://user:pw@[2001:db8::1]:21",
      scheme: "ftp",
      domain: "[2001:db8::1]",
      port: 21,
    });
    const q = urlParts("http://h?a=1");
    assert.equal(q.path, undefined);
    assert.equal(q.query, "a=1");
    assert.equal(urlParts("http://h/p?#").query, undefined);
  });

  it("reads a URL without a scheme as host and path", () => {
    const u = urlParts("portal.example.net/login");
    assert.equal(u.scheme, undefined);
    assert.equal(u.domain, "portal.example.net");
    assert.equal(u.path, "/login");
    assert.equal(urlParts("/relative/only").domain, undefined);
  });

  it("splits Host headers and AppDomains", () => {
    assert.deepEqual(hostUrl("Docs.Example.net:8443"), { domain: "docs.example.net", port: 8443 });
    assert.deepEqual(hostUrl("[::1]"), { domain: "[::1]" });
    assert.equal(hostUrl("@"), undefined);
    assert.deepEqual(domainAndPath("team.cloudflareaccess.com/warp"), { domain: "team.cloudflareaccess.com", path: "/warp" });
    assert.deepEqual(domainAndPath("wiki.example.com/"), { domain: "wiki.example.com" });
    assert.equal(domainAndPath("/"), undefined);
  });

  it("agrees with WHATWG URL on the host, path and query of ordinary URLs", () => {
    const host = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z]{2,6}){1,2}$/);
    // No dot segments: WHATWG resolves them, while a log keeps the path as it was requested.
    const seg = fc.stringMatching(/^[A-Za-z0-9_~-]{0,12}$/);
    fc.assert(
      fc.property(fc.constantFrom("http", "https"), host, fc.array(seg, { maxLength: 4 }), fc.option(seg), (scheme, h, segs, query) => {
        const text = `${scheme}://${h}/${segs.join("/")}${query === null ? "" : `?${query}`}`;
        const ours = urlParts(text);
        const theirs = new URL(text);
        assert.equal(ours.domain, theirs.hostname);
        assert.equal(ours.path, theirs.pathname);
        assert.equal(ours.query ?? "", theirs.search.slice(1));
      }),
      { numRuns: 500 },
    );
  });
});
