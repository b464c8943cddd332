import assert from "node:assert/strict";
import { ev, matches, refusals, ruleWith } from "./helpers";

const http = (fields: Record<string, unknown>) => ev("gateway_http", fields);
const url = (full: string) => http({ url: { full } });

describe("detection modifiers", () => {
  it("contains, startswith and endswith", () => {
    assert.equal(matches(ruleWith("{url.full|contains: /download/}"), url("https://x.example/download/a.exe")), true);
    assert.equal(matches(ruleWith("{url.full|contains: /upload/}"), url("https://x.example/download/a.exe")), false);
    assert.equal(matches(ruleWith("{url.full|startswith: 'https://x.'}"), url("https://x.example/a")), true);
    assert.equal(matches(ruleWith("{url.full|startswith: 'http://'}"), url("https://x.example/a")), false);
    assert.equal(matches(ruleWith("{url.full|endswith: [.exe, .msi]}"), url("https://x.example/setup.MSI")), true);
    assert.equal(matches(ruleWith("{url.full|endswith: [.exe, .msi]}"), url("https://x.example/setup.zip")), false);
  });

  it("partial matches answer the same for a value seen again, long values and past what they remember", () => {
    const rule = ruleWith("{url.full|startswith: ['https://bad.', 'HTTP://evil'], url.path|endswith: ['.exe']}");
    const event = (full: string, path: string) => http({ url: { full, path } });
    const long = `https://bad.example/${"a".repeat(400)}`;
    for (let i = 0; i < 5000; i++) assert.equal(matches(rule, event(`https://ok${i}.example/`, `/f${i}.exe`)), false);
    for (let round = 0; round < 2; round++) {
      assert.equal(matches(rule, event("https://BAD.example/x", "/setup.EXE")), true);
      assert.equal(matches(rule, event("http://EVIL.example/x", "/setup.exe")), true);
      assert.equal(matches(rule, event("https://good.example/x", "/setup.exe")), false);
      assert.equal(matches(rule, event(long, "/setup.exe")), true);
      assert.equal(matches(rule, event(long, "/setup.zip")), false);
    }
  });

  it("plain values compare whole, with Sigma wildcards * and ? and their escapes", () => {
    assert.equal(matches(ruleWith("{url.full: '*/setup.exe'}"), url("https://x.example/setup.exe")), true);
    assert.equal(matches(ruleWith("{url.full: 'https://?.example/*'}"), url("https://x.example/a")), true);
    assert.equal(matches(ruleWith("{url.full: 'https://?.example/*'}"), url("https://xy.example/a")), false);
    assert.equal(matches(ruleWith("{url.full: 'a*b*c'}"), url("a-x-b-y-c")), true);
    assert.equal(matches(ruleWith("{url.full: 'a*b*c'}"), url("a-x-c-y-b")), false);
    assert.equal(matches(ruleWith("{url.full: 'literal\\*star'}"), url("literal*star")), true);
    assert.equal(matches(ruleWith("{url.full: 'literal\\*star'}"), url("literal-and-star")), false);
    // Sigma: a backslash before a wildcard escapes it, so a path ending in a wildcard doubles it.
    assert.equal(matches(ruleWith("{url.full: 'C:\\Windows\\\\*'}"), url("c:\\windows\\system32")), true);
    assert.equal(matches(ruleWith("{url.full: 'C:\\Windows\\*'}"), url("c:\\windows\\system32")), false);
    assert.equal(matches(ruleWith("{url.full: 'C:\\Windows\\*'}"), url("c:\\windows*")), true);
    assert.equal(matches(ruleWith("{url.full: 'x.example'}"), url("https://x.example/")), false);
  });

  it("all: every value must match", () => {
    const rule = ruleWith("{url.full|contains|all: ['.exe', download]}");
    assert.equal(matches(rule, url("https://x.example/download/a.exe")), true);
    assert.equal(matches(rule, url("https://x.example/upload/a.exe")), false);
    const chained = ruleWith("{url.full|all|contains: ['.exe', download]}");
    assert.equal(matches(chained, url("https://x.example/download/a.exe")), true);
  });

  it("all over an array field: each value by some element", () => {
    const rule = ruleWith("{related.ip|all: ['10.0.0.1', '10.0.0.2']}");
    assert.equal(matches(rule, http({ related: { ip: ["10.0.0.2", "10.0.0.1"], user: [], hosts: [] } })), true);
    assert.equal(matches(rule, http({ related: { ip: ["10.0.0.2"], user: [], hosts: [] } })), false);
  });

  it("re: linear-time regular expressions, case-sensitive unless (?i) or the i flag", () => {
    assert.equal(matches(ruleWith("{url.full|re: '\\.(exe|dll)$'}"), url("https://x.example/a.dll")), true);
    assert.equal(matches(ruleWith("{url.full|re: '\\.(exe|dll)$'}"), url("https://x.example/a.DLL")), false);
    assert.equal(matches(ruleWith("{url.full|re: '(?i)\\.(exe|dll)$'}"), url("https://x.example/a.DLL")), true);
    assert.equal(matches(ruleWith("{url.full|re|i: '\\.(exe|dll)$'}"), url("https://x.example/a.DLL")), true);
    assert.equal(matches(ruleWith("{message|re|m: '^second$'}"), http({ message: "first\nsecond\nthird" })), true);
    assert.equal(matches(ruleWith("{message|re|s: 'first.second'}"), http({ message: "first\nsecond" })), true);
    assert.equal(matches(ruleWith("{message|re: 'first.second'}"), http({ message: "first\nsecond" })), false);
  });

  it("cidr: IPv4 and IPv6 networks", () => {
    const rule = ruleWith("{source.ip|cidr: ['10.0.0.0/8', '192.168.1.0/24', '2001:db8::/32']}");
    const ip = (a: string) => http({ source: { ip: a } });
    assert.equal(matches(rule, ip("10.200.3.4")), true);
    assert.equal(matches(rule, ip("192.168.1.77")), true);
    assert.equal(matches(rule, ip("192.168.2.1")), false);
    assert.equal(matches(rule, ip("2001:db8:1::23")), true);
    assert.equal(matches(rule, ip("2001:db9::1")), false);
    assert.equal(matches(rule, ip("::ffff:10.1.2.3")), true, "IPv4-mapped IPv6 counts as IPv4");
    assert.equal(matches(rule, ip("not an ip")), false);
    assert.equal(matches(rule, ip("10.0.0.256")), false);
    const single = ruleWith("{source.ip|cidr: '2001:db8::1'}");
    assert.equal(matches(single, ip("2001:0db8:0:0:0:0:0:1")), true);
    assert.equal(matches(single, ip("2001:db8::2")), false);
  });

  it("exists: true and false", () => {
    const has = ruleWith("{host.id|exists: true}");
    const hasNot = ruleWith("{host.id|exists: false}");
    assert.equal(matches(has, http({ host: { id: "d1" } })), true);
    assert.equal(matches(has, http({})), false);
    assert.equal(matches(hasNot, http({})), true);
    assert.equal(matches(hasNot, http({ host: { id: "d1" } })), false);
  });

  it("gt, gte, lt, lte on numbers and numeric strings", () => {
    const code = (n: unknown) => http({ http: { response: { status_code: n } } });
    assert.equal(matches(ruleWith("{http.response.status_code|gte: 400}"), code(403)), true);
    assert.equal(matches(ruleWith("{http.response.status_code|gte: 400}"), code(400)), true);
    assert.equal(matches(ruleWith("{http.response.status_code|gt: 400}"), code(400)), false);
    assert.equal(matches(ruleWith("{http.response.status_code|lt: 400}"), code(302)), true);
    assert.equal(matches(ruleWith("{http.response.status_code|lte: 400}"), code(401)), false);
    assert.equal(matches(ruleWith("{http.response.status_code|gt: 400}"), code("500")), true);
    assert.equal(matches(ruleWith("{http.response.status_code|gt: 400}"), code("n/a")), false);
  });

  it("gt, gte, lt, lte on ISO times", () => {
    const after = ruleWith("{'@timestamp|gte': '2025-06-02T14:00:00Z'}");
    const before = ruleWith("{'@timestamp|lt': '2025-06-02T14:00:00Z'}");
    assert.equal(matches(after, ev("gateway_http", {}, 0)), true);
    assert.equal(matches(after, ev("gateway_http", {}, -1)), false);
    assert.equal(matches(before, ev("gateway_http", {}, -1)), true);
  });

  it("cased: case-sensitive string matching", () => {
    assert.equal(matches(ruleWith("{event.action|cased: Block}"), http({ event: { dataset: "cloudflare.gateway_http", action: "Block" } })), true);
    assert.equal(matches(ruleWith("{event.action|cased: Block}"), http({ event: { dataset: "cloudflare.gateway_http", action: "block" } })), false);
    assert.equal(matches(ruleWith("{url.full|contains|cased: Admin}"), url("https://x/admin")), false);
    assert.equal(matches(ruleWith("{url.full|contains: Admin}"), url("https://x/admin")), true);
  });

  it("keywords search every string of the event, the raw record included", () => {
    const event = http({ cloudflare: { gateway_http: { UserAgent: "Mozilla/5.0 sqlmap/1.7" } } });
    assert.equal(matches(ruleWith("[sqlmap, nikto]"), event), true);
    assert.equal(matches(ruleWith("[nikto, nessus]"), event), false);
    assert.equal(matches(ruleWith("{'|all': [mozilla, sqlmap]}"), event), true);
    assert.equal(matches(ruleWith("{'|all': [mozilla, nikto]}"), event), false);
    assert.equal(matches(ruleWith("{'|re': 'sqlmap/\\d'}"), event), true);
  });

  it("refuses what it cannot do, naming the key", () => {
    const cases: Array<[string, RegExp]> = [
      ["user.email|sounds_like: x", /unknown modifier "sounds_like"/],
      ["cmd|windash: -x", /"windash" is not supported/],
      ["cmd|base64offset|contains: x", /"base64offset" is not supported/],
      ["url.full|contains|startswith: x", /cannot be combined/],
      ["source.ip|cidr: not-a-network", /not an IPv4 or IPv6 network/],
      ["x|gt: soon", /needs a number or an ISO time/],
      ["x|exists: yes", /takes true or false/],
      ["x|exists|all: [true, false]", /takes no other modifier/],
      ["x|i: y", /flag of "re"/],
      ["x|all: single", /two or more values/],
      ["x|contains: null", /null takes no modifiers/],
      ["x|cidr|cased: 10.0.0.0/8", /"cased" applies to string matching/],
      ["x: {nested: map}", /not a map/],
      ["x|contains: true", /cannot be matched with "contains"/],
    ];
    for (const [line, reason] of cases) {
      const errors = refusals(`title: t\nid: t\ndetection:\n  sel:\n    ${line}\n  condition: sel\n`);
      assert.equal(errors.length, 1, line);
      assert.match(errors[0].reason, reason, line);
      assert.equal(errors[0].line, 5, line);
    }
  });
});
