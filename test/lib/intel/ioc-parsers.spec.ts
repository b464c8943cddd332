import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { IocRecord, ParsedIocFile } from "../../../lib/intel/ioc/ioc-entry";
import { parseIocFile } from "../../../lib/intel/ioc/ioc-file";
import { IocIndex } from "../../../lib/intel/ioc/ioc-index";
import type { IndicatorType } from "../../../lib/intel/types";

const FIXTURES = path.join(__dirname, "../../fixtures/intel");
const NOW = Date.parse("2026-06-01T00:00:00Z");

function parseFixture(name: string): ParsedIocFile {
  return parseIocFile(path.basename(name), readFileSync(path.join(FIXTURES, name), "utf8"), NOW);
}

/** Each record as "what it matches @ where: verdict score". */
function describe_(records: IocRecord[]): string[] {
  return records.map(({ target, entry }) => {
    const what = target.kind === "indicator" ? `${target.indicator.type}:${target.indicator.value}` : target.kind === "network" ? `net:${target.network.text}` : `tree:${target.domain}`;
    const at = entry.line !== undefined ? `line ${entry.line}` : `object ${entry.object}`;
    return `${what} @ ${at}: ${entry.verdict} ${entry.score}`;
  });
}

const problems = (p: ParsedIocFile) => p.problems.map((x) => `${x.file} ${x.line !== undefined ? `line ${x.line}` : `object ${x.object}`}: ${x.reason}`);

describe("IOC files", () => {
  describe("plain lists", () => {
    it("reads one indicator per line, types inferred, comments skipped; bad lines reported and the rest kept", () => {
      const parsed = parseFixture("ioc/bad-hosts.txt");
      assert.equal(parsed.fatal, undefined);
      assert.deepEqual(describe_(parsed.records), [
        "ipv4:185.220.101.34 @ line 2: malicious 100",
        "domain:evil-login.example.net @ line 3: malicious 100",
        "url:http://malware.example.net/payload.exe @ line 4: malicious 100",
        "ipv6:2a0b:f4c2::25 @ line 5: malicious 100",
        "net:45.155.205.0/24 @ line 6: malicious 100",
        "tree:badcdn.example.net @ line 7: malicious 100",
        "md5:44d88612fea8a8f36de82e1278abb02f @ line 8: malicious 100",
        "domain:xn--bcher-login-thb.example.net @ line 12: malicious 100",
      ]);
      assert.deepEqual(problems(parsed), [
        "bad-hosts.txt line 9: not an IP address, domain, URL, email or hash",
        "bad-hosts.txt line 10: not an IP address, domain, URL, email or hash",
      ]);
    });

    it("keeps a URL's # when it is no comment, counts CRLF lines, and refuses very long lines", () => {
      const parsed = parseIocFile("x.txt", `http://a.example.net/#frag\r\n${"a".repeat(20_000)}\r\n8.8.8.8 # resolver\r\n`, NOW);
      assert.deepEqual(describe_(parsed.records), ["url:http://a.example.net/ @ line 1: malicious 100", "ipv4:8.8.8.8 @ line 3: malicious 100"]);
      assert.deepEqual(problems(parsed), ["x.txt line 2: line longer than 16384 characters"]);
    });

    it("reports hostile lines with the reason and keeps the good ones", () => {
      const text = ["evil\u0007.example.net", "paypal\u202e.example.net", `${"a".repeat(2000)}.net`, "☠.example.net", "\ufeffbom.example.net", "8.8.8.8"].join("\n");
      const parsed = parseIocFile("hostile.txt", `\ufeff${text}`, NOW);
      // IDNA maps a stray byte-order mark to nothing, as browsers do.
      assert.deepEqual(describe_(parsed.records), ["domain:xn--h4h.example.net @ line 4: malicious 100", "domain:bom.example.net @ line 5: malicious 100", "ipv4:8.8.8.8 @ line 6: malicious 100"]);
      assert.deepEqual(problems(parsed), [
        "hostile.txt line 1: contains control characters",
        "hostile.txt line 2: not an IP address, domain, URL, email or hash",
        "hostile.txt line 3: longer than 1024 characters",
      ]);
    });

    it("refuses binary content as a whole", () => {
      assert.equal(parseIocFile("x.txt", "8.8.8.8\n\u0000\u0001\u0002", NOW).fatal, "binary content, not text");
    });
  });

  describe("CSV", () => {
    it("reads columns in any order, quoted fields and inferred types; bad rows reported by line", () => {
      const parsed = parseFixture("ioc/campaign.csv");
      assert.equal(parsed.fatal, undefined);
      assert.deepEqual(describe_(parsed.records), [
        "ipv4:185.100.87.202 @ line 3: malicious 95",
        "url:https://login-micros0ft.example.net/auth @ line 4: suspicious 70",
        "domain:login-micros0ft.example.net @ line 5: malicious 100",
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 @ line 6: malicious 100",
        "net:193.142.146.0/24 @ line 13: suspicious 60",
      ]);
      assert.equal(parsed.records[0].entry.description, "C2 server, Cobalt Strike");
      assert.equal(parsed.records[3].entry.description, 'Dropper "stage 2"');
      assert.deepEqual(problems(parsed), [
        'campaign.csv line 7: score must be a number from 0 to 100, not "150"',
        'campaign.csv line 8: unknown type "colour"',
        'campaign.csv line 9: verdict must be malicious, suspicious, benign or unknown, not "evil"',
        "campaign.csv line 10: unterminated quote",
        "campaign.csv line 11: a md5 hash is 32 hexadecimal digits",
        "campaign.csv line 12: no indicator",
      ]);
    });

    it("takes semicolons or tabs when the header does", () => {
      const semi = parseIocFile("x.csv", "value;verdict\n8.8.8.8;suspicious\n", NOW);
      assert.deepEqual(describe_(semi.records), ["ipv4:8.8.8.8 @ line 2: suspicious 50"]);
      const tabs = parseIocFile("x.tsv", "type\tindicator\ndomain\tevil.example.net\n", NOW);
      assert.deepEqual(describe_(tabs.records), ["domain:evil.example.net @ line 2: malicious 100"]);
    });

    it("refuses a file whose header names no indicator column (or has data where the header belongs)", () => {
      assert.equal(parseIocFile("x.csv", "ip,verdict\n8.8.8.8,malicious\n", NOW).fatal, 'line 1: the header names no "indicator" or "value" column');
      assert.equal(parseIocFile("x.csv", "\n# exported\n8.8.8.8,malicious\n", NOW).fatal, 'line 3: the header names no "indicator" or "value" column');
      assert.deepEqual(parseIocFile("x.csv", "# only comments\n\n", NOW), { records: [], problems: [], skipped: 0, fatal: undefined });
      assert.equal(parseIocFile("x.csv", `${"a,".repeat(10_000)}\n`, NOW).fatal, "header line longer than 16384 characters");
    });
  });

  describe("STIX 2.1 bundles", () => {
    it("reads indicator patterns; skips other objects, revoked and expired ones; reports the rest by object index", () => {
      const parsed = parseFixture("ioc/campaign-x.json");
      assert.equal(parsed.fatal, undefined);
      assert.deepEqual(describe_(parsed.records), [
        "ipv4:91.92.109.7 @ object 1: malicious 85",
        "net:80.66.88.0/24 @ object 1: malicious 85",
        "domain:secure-login.example.org @ object 2: malicious 100",
        "url:https://secure-login.example.org/o365/ @ object 2: malicious 100",
        "md5:d41d8cd98f00b204e9800998ecf8427e @ object 3: malicious 100",
        "sha256:aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f @ object 3: malicious 100",
        "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709 @ object 3: malicious 100",
        "net:2a0e:1c80::/29 @ object 9: malicious 100",
        "domain:maybe-bad.example.org @ object 11: suspicious 30",
        "domain:later.example.org @ object 12: malicious 100",
        "domain:windowsupdate.com @ object 15: benign 0",
      ]);
      assert.deepEqual(problems(parsed), [
        'campaign-x.json object 6: pattern_type "sigma" is not supported',
        "campaign-x.json object 7: pattern: AND inside an observation is not supported",
        'campaign-x.json object 8: pattern: expected "]", found the end of the pattern',
        "campaign-x.json object 10: not an object",
        'campaign-x.json object 14: pattern value "300.1.1.1": not an IP address',
        "campaign-x.json object 16: confidence must be an integer from 0 to 100",
      ]);
      // identity, revoked, expired, relationship
      assert.equal(parsed.skipped, 4);
      const c2 = parsed.records[0].entry;
      assert.equal(c2.description, "Campaign X C2");
      assert.deepEqual(c2.data, { id: "indicator--c2", name: "Campaign X C2", indicator_types: ["malicious-activity"], labels: ["c2"], confidence: 85 });
      assert.equal(c2.validUntil, Date.parse("2099-01-01T00:00:00Z"));
    });

    it("refuses what is not a bundle", () => {
      assert.match(String(parseIocFile("x.json", "{not json", NOW).fatal), /^not JSON \(/);
      assert.equal(parseIocFile("x.json", '{"type":"bundle"}', NOW).fatal, "not a STIX bundle: no objects list");
      assert.equal(parseIocFile("x.json", "[1,2]", NOW).fatal, "not a STIX bundle: no objects list");
      // A list file whose content is JSON is read as STIX all the same.
      assert.equal(parseIocFile("feed.txt", '{"objects":[]}', NOW).fatal, undefined);
    });
  });

  describe("the lookup index", () => {
    const index = new IocIndex(
      [...parseFixture("ioc/bad-hosts.txt").records, ...parseFixture("ioc/campaign.csv").records, ...parseFixture("ioc/campaign-x.json").records],
    );
    const hit = (type: IndicatorType, value: string, now = NOW) => index.match({ type, value }, now).map((e) => `${e.source}:${e.line ?? e.object}`);

    it("matches exact values, ranges and domain trees", () => {
      assert.deepEqual(hit("ipv4", "185.220.101.34"), ["bad-hosts.txt:2"]);
      assert.deepEqual(hit("ipv4", "45.155.205.200"), ["bad-hosts.txt:6"]);
      assert.deepEqual(hit("ipv4", "45.155.206.1"), []);
      assert.deepEqual(hit("ipv6", "2a0e:1c87:ffff::1"), ["campaign-x.json:9"]);
      assert.deepEqual(hit("ipv6", "2a0e:1c88::1"), []);
      assert.deepEqual(hit("domain", "badcdn.example.net"), ["bad-hosts.txt:7"]);
      assert.deepEqual(hit("domain", "a.b.badcdn.example.net"), ["bad-hosts.txt:7"]);
      assert.deepEqual(hit("domain", "notbadcdn.example.net"), []);
      assert.deepEqual(hit("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"), ["campaign-x.json:3"]);
      assert.deepEqual(hit("domain", "login-micros0ft.example.net"), ["campaign.csv:5"]);
    });

    it("honours valid_from and valid_until at lookup time", () => {
      assert.deepEqual(hit("domain", "later.example.org"), []);
      assert.deepEqual(hit("domain", "later.example.org", Date.parse("2099-06-01T00:00:00Z")), ["campaign-x.json:12"]);
      assert.deepEqual(hit("ipv4", "91.92.109.7", Date.parse("2099-01-01T00:00:00Z")), []);
    });

    it("finds every nesting range, most specific first", () => {
      const nested = new IocIndex(
        ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3", "2001:db8::/32", "2001:db8:1::/48"].map((v, i) => parseIocFile("n.txt", v, NOW).records.map((r) => ({ ...r, entry: { ...r.entry, line: i + 1 } }))).flat(),
      );
      assert.deepEqual(nested.match({ type: "ipv4", value: "10.1.2.3" }, NOW).map((e) => e.line), [4, 3, 2, 1]);
      assert.deepEqual(nested.match({ type: "ipv4", value: "10.200.0.1" }, NOW).map((e) => e.line), [1]);
      assert.deepEqual(nested.match({ type: "ipv6", value: "2001:db8:1::9" }, NOW).map((e) => e.line), [6, 5]);
    });
  });
});
