import assert from "node:assert/strict";
import fc from "fast-check";
import { parseStixPattern } from "../../../lib/intel/ioc/stix-pattern";

const atoms = (pattern: string) => {
  const r = parseStixPattern(pattern);
  return r.ok ? r.atoms.map((a) => `${a.kind}=${a.value}`) : `refused: ${r.reason}`;
};

describe("STIX pattern subset", () => {
  it("reads the indicator patterns seen in practice", () => {
    const cases: Array<[string, string[]]> = [
      ["[ipv4-addr:value = '198.51.100.7']", ["ip=198.51.100.7"]],
      ["[ipv4-addr:value = '198.51.100.0/24']", ["ip=198.51.100.0/24"]],
      ["[ipv4-addr:value ISSUBSET '198.51.100.0/24']", ["ip=198.51.100.0/24"]],
      ["[ipv6-addr:value = '2001:db8::1']", ["ip=2001:db8::1"]],
      ["[domain-name:value = 'a.example' OR domain-name:value = 'b.example']", ["domain=a.example", "domain=b.example"]],
      ["[url:value = 'http://evil.example/a.exe']", ["url=http://evil.example/a.exe"]],
      ["[email-addr:value = 'attacker@evil.example']", ["email=attacker@evil.example"]],
      ["[file:hashes.'SHA-256' = 'abc']", ["sha256=abc"]],
      ["[file:hashes.MD5 = 'abc']", ["md5=abc"]],
      ["[file:hashes.'SHA-1' = 'abc'] OR [file:hashes.SHA256 = 'def']", ["sha1=abc", "sha256=def"]],
      ["[domain-name:value IN ('a.example', 'b.example','c.example')]", ["domain=a.example", "domain=b.example", "domain=c.example"]],
      ["([ipv4-addr:value = '1.2.3.4'] OR ([domain-name:value = 'x.example']))", ["ip=1.2.3.4", "domain=x.example"]],
      ["[(ipv4-addr:value = '1.2.3.4' OR ipv4-addr:value = '1.2.3.5')]", ["ip=1.2.3.4", "ip=1.2.3.5"]],
      ["[url:value = 'http://x.example/it\\'s\\\\here'] START t'2024-01-01T00:00:00Z' STOP t'2025-01-01T00:00:00Z'", ["url=http://x.example/it's\\here"]],
      ["  [ ipv4-addr:value='1.2.3.4' ]  or  [ipv4-addr:value='1.2.3.5']", ["ip=1.2.3.4", "ip=1.2.3.5"]],
    ];
    for (const [pattern, want] of cases) assert.deepEqual(atoms(pattern), want, pattern);
  });

  it("refuses, with the reason, what it cannot match exactly", () => {
    const cases: Array<[string, string]> = [
      ["[ipv4-addr:value = '1.2.3.4' AND domain-name:value = 'x.example']", "AND inside an observation is not supported"],
      ["[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'x.example']", "AND between observations is not supported"],
      ["[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'x.example']", "FOLLOWEDBY is not supported"],
      ["[ipv4-addr:value = '1.2.3.4'] WITHIN 300 SECONDS", "WITHIN qualifiers are not supported"],
      ["[ipv4-addr:value = '1.2.3.4'] REPEATS 5 TIMES", "REPEATS qualifiers are not supported"],
      ["[ipv4-addr:value != '1.2.3.4']", 'operator "!=" is not supported'],
      ["[domain-name:value LIKE '%.example']", 'operator "LIKE" is not supported'],
      ["[domain-name:value MATCHES '^x']", 'operator "MATCHES" is not supported'],
      ["[ipv4-addr:value NOT = '1.2.3.4']", "NOT is not supported"],
      ["[domain-name:value ISSUBSET 'x.example']", "ISSUBSET applies to addresses only"],
      ["[network-traffic:dst_port = 443]", "object path network-traffic:dst_port is not supported"],
      ["[file:hashes.'SHA-512' = 'abc']", "object path file:hashes.'SHA-512' is not supported"],
      ["[file:name = 'x.exe']", "object path file:name is not supported"],
      ["[ipv4-addr:value = 5]", 'expected a quoted string, found "5"'],
      ["[ipv4-addr:value = '1.2.3.4'", 'expected "]", found the end of the pattern'],
      ["[ipv4-addr:value = '1.2.3.4]", "unterminated string"],
      ["[url:value = 'a\\nb']", "bad escape at 15"],
      ["ipv4-addr:value = '1.2.3.4'", 'expected "[" or "(", found "ipv4-addr:value"'],
      ["[ipv4-addr:value = '1.2.3.4'] OR", 'expected "[" or "(", found the end of the pattern'],
      ["[ipv4-addr:value = '1.2.3.4'] [ipv4-addr:value = '1.2.3.5']", 'unexpected "["'],
      ["", 'expected "[" or "(", found the end of the pattern'],
      ["[ipv4-addr:value = '1.2.3.4'] START t'2024-01-01T00:00:00Z'", "START without STOP"],
      ["[ipv4-addr:value = '1.2.3.4'] ; DROP", 'unexpected ";" at 30'],
    ];
    for (const [pattern, reason] of cases) assert.equal(atoms(pattern), `refused: ${reason}`, pattern);
  });

  it("refuses hostile patterns without recursing or looping", () => {
    assert.equal(atoms(`${"(".repeat(10_000)}[ipv4-addr:value = '1.2.3.4']${")".repeat(10_000)}`), "refused: nested deeper than 64");
    assert.equal(atoms(`[${"(".repeat(1000)}ipv4-addr:value = '1.2.3.4'${")".repeat(1000)}]`), "refused: nested deeper than 64");
    assert.equal(atoms(`[ipv4-addr:value IN (${Array.from({ length: 10_001 }, () => "'1.1.1.1'").join(",")})]`), "refused: pattern longer than 100000 characters");
    const many = `[ipv4-addr:value IN (${Array.from({ length: 10_001 }, () => "'1'").join(",")})]`;
    assert.equal(atoms(many), "refused: more than 10000 values");
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const r = parseStixPattern(text);
        assert.ok(r.ok ? r.atoms.length > 0 : r.reason.length > 0);
      }),
      { numRuns: 3000 },
    );
  });
});
