import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FeedReport } from "../../../lib/intel/feeds/feed-provider";
import type { FeedProvider } from "../../../lib/intel/feeds/feed-provider";
import { createSpamhausDropProvider, createTorExitProvider, type FeedSettings } from "../../../lib/intel/feeds/feed-providers";
import { parseSpamhausDrop } from "../../../lib/intel/feeds/spamhaus-drop-list";
import { parseTorExitList } from "../../../lib/intel/feeds/tor-exit-list";
import type { IndicatorType } from "../../../lib/intel/types";
import { until } from "../../helpers/wait";
import { FeedSite } from "../../stand-ins/feeds";

const FIXTURES = path.join(__dirname, "../../fixtures/intel/feeds");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");
const never = new AbortController().signal;
const HOUR = 3_600_000;

describe("downloaded feeds", () => {
  let site: FeedSite;
  let dir: string;
  let reports: FeedReport[];
  const open: FeedProvider[] = [];

  beforeEach(async () => {
    site = await new FeedSite().listen();
    site.serve("/torbulkexitlist", { body: fixture("torbulkexitlist") });
    site.serve("/drop/drop_v4.json", { body: fixture("drop_v4.json"), contentType: "application/json", lastModified: new Date("2026-05-01T00:00:00Z") });
    site.serve("/drop/drop_v6.json", { body: fixture("drop_v6.json"), contentType: "application/json" });
    dir = await mkdtemp(path.join(tmpdir(), "ztna-feeds-"));
    reports = [];
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()));
    await site.close();
    await rm(dir, { recursive: true, force: true });
  });

  const settings = (over: Partial<FeedSettings> = {}): FeedSettings => ({ dir, urls: [`${site.url}/torbulkexitlist`], intervalMs: HOUR, timeoutMs: 2000, onReport: (r) => reports.push(r), ...over });
  const tor = (over: Partial<FeedSettings> = {}) => {
    const p = createTorExitProvider(settings(over));
    open.push(p);
    return p;
  };
  const drop = (over: Partial<FeedSettings> = {}) => {
    const p = createSpamhausDropProvider(settings({ urls: [`${site.url}/drop/drop_v4.json`, `${site.url}/drop/drop_v6.json`], ...over }));
    open.push(p);
    return p;
  };
  const say = async (p: FeedProvider, value: string, type: IndicatorType = "ipv4") => {
    const r = await p.lookup({ type, value }, never);
    return r.status === "ok" ? `${r.verdict} ${r.score} ${r.detail}` : `${r.status}${r.reason ? ` ${r.reason}` : ""}`;
  };

  describe("parsing", () => {
    it("reads the Tor list and DROP, skipping DROP's metadata line", () => {
      const t = parseTorExitList(fixture("torbulkexitlist"));
      assert.ok(t.ok && t.records.length === 6);
      const d = parseSpamhausDrop(fixture("drop_v4.json"));
      assert.ok(d.ok && d.records.length === 4 && d.unreadable === 0);
      assert.deepEqual(d.records[0].entry.data, { cidr: "1.10.16.0/20", sblid: "SBL256894", rir: "apnic" });
    });

    it("refuses garbage, an empty list, and too many unreadable lines", () => {
      assert.deepEqual(parseTorExitList("<html><body>Service Unavailable</body></html>"), { ok: false, reason: "no usable entry in 1 lines" });
      assert.deepEqual(parseTorExitList("\n\n"), { ok: false, reason: "empty list" });
      assert.deepEqual(parseTorExitList("185.220.101.1\n185.220.101.2\n<oops>\n"), { ok: false, reason: "1 of 3 lines unreadable" });
      const big = `${Array.from({ length: 300 }, (_, i) => `185.220.${i >> 8}.${i & 255}`).join("\n")}\nnot-an-ip\n`;
      assert.ok(parseTorExitList(big).ok, "one odd line in 300 is tolerated");
      assert.deepEqual(parseSpamhausDrop('{"cidr":"1.10.16.0/20"}\n{"cidr":"evil.example"}\n'), { ok: false, reason: "1 of 2 lines unreadable" });
      assert.deepEqual(parseSpamhausDrop('{"cidr":"1.10.16.0/20"}\n[1,2]\n'), { ok: false, reason: "1 of 2 lines unreadable" });
      assert.deepEqual(parseSpamhausDrop('{"type":"metadata"}\n'), { ok: false, reason: "no usable entry in 1 lines" });
    });
  });

  it("downloads at first start, matches locally, keeps the copy on disk, and says how old it is", async () => {
    const p = tor();
    await until(() => reports.length === 1);
    assert.equal(reports[0].outcome, "updated");
    assert.match(await say(p, "185.220.101.34"), /^suspicious 50 Tor exit node \(list under a minute old\)$/);
    assert.equal(await say(p, "2a0b:f4c2:2::1", "ipv6"), "suspicious 50 Tor exit node (list under a minute old)");
    assert.equal(await say(p, "8.8.8.8"), "not_found");
    assert.deepEqual(await readdir(dir), ["tor-exit.json"]);
    const stored = JSON.parse(await readFile(path.join(dir, "tor-exit.json"), "utf8"));
    assert.equal(stored.body, fixture("torbulkexitlist"));
    assert.deepEqual(p.health(), { provider: "tor-exit", state: "ok", detail: "6 entries, under a minute old", lookups: 3, cacheHits: 0 });
  });

  it("Spamhaus DROP: both lists, networks matched, listed means malicious", async () => {
    const p = drop({ intervalMs: 12 * HOUR });
    await until(() => reports.length === 2);
    assert.equal(await say(p, "45.9.148.3"), "malicious 100 Spamhaus DROP 45.9.148.0/24 (SBL589104)");
    assert.equal(await say(p, "2a0e:1c87::1", "ipv6"), "malicious 100 Spamhaus DROP 2a0e:1c80::/29 (SBL599900)");
    assert.equal(await say(p, "45.9.149.3"), "not_found");
    assert.equal(p.health().detail, "6 entries, under a minute old");
    assert.equal(p.supports("domain"), false);
  });

  it("first start with the feed site down: start-up does not wait, lookups say not_loaded, and the next attempt loads it", async () => {
    site.fail("/torbulkexitlist", { status: 503, times: 1 });
    const started = Date.now();
    const p = tor({ retryMs: 100 });
    await p.ready;
    assert.ok(Date.now() - started < 500);
    await until(() => reports.length === 1);
    assert.equal(await say(p, "185.220.101.34"), "skipped not_loaded");
    assert.deepEqual(p.health(), { provider: "tor-exit", state: "not_loaded", detail: "not downloaded yet; last download failed: HTTP 503", lookups: 1, cacheHits: 0 });
    await until(() => reports.length === 2, 3000);
    assert.equal(reports[1].outcome, "updated");
    assert.match(await say(p, "185.220.101.34"), /^suspicious/);
    assert.equal(p.health().state, "ok");
  });

  it("with the site unreachable (nothing listening) start-up still goes on", async () => {
    const url = site.url;
    await site.close();
    const p = createTorExitProvider({ dir, urls: [`${url}/torbulkexitlist`], intervalMs: HOUR, timeoutMs: 500, onReport: (r) => reports.push(r) });
    open.push(p);
    await until(() => reports.length === 1);
    assert.match(String(reports[0].error), /^download failed \(ECONNREFUSED\)$/);
    assert.equal(await say(p, "185.220.101.34"), "skipped not_loaded");
    site = await new FeedSite().listen();
  });

  for (const [what, fault, error] of [
    ["an error status", { status: 500 }, /^HTTP 500$/],
    ["garbage", { body: "<!doctype html><title>Login to the hotel Wi-Fi</title>" }, /^malformed list: no usable entry in 1 lines \(starts "<!doctype html><title>Login to the hotel Wi-Fi<\/title>"\)$/],
    ["a truncated list", { body: "185.220.101.1\n185.220.10" }, /^malformed list: 1 of 2 lines unreadable/],
    ["a slow answer", { delayMs: 1500 }, /^no complete answer within 300 ms$/],
    ["a hanging answer", { hang: true }, /^no complete answer within 300 ms$/],
  ] as const) {
    it(`a failed download (${what}) keeps the last good copy and says why`, async () => {
      const p = tor({ intervalMs: 200, retryMs: 200, timeoutMs: 300 });
      await until(() => reports.length === 1);
      const before = await readFile(path.join(dir, "tor-exit.json"), "utf8");
      site.serve("/torbulkexitlist", { body: "1.1.1.1\n" });
      site.fail("/torbulkexitlist", fault);
      await until(() => reports.length === 2, 3000);
      assert.equal(reports[1].outcome, "failed");
      assert.match(String(reports[1].error), error);
      assert.match(await say(p, "185.220.101.34"), /^suspicious/);
      assert.equal(await say(p, "1.1.1.1"), "not_found");
      assert.equal(p.health().state, "degraded");
      assert.match(String(p.health().detail), /^6 entries, under a minute old; last download failed: /);
      assert.equal(JSON.parse(await readFile(path.join(dir, "tor-exit.json"), "utf8")).body, JSON.parse(before).body);
    });
  }

  it("refuses an answer over the size limit", async () => {
    const p = tor({ maxBytes: 50 });
    await until(() => reports.length === 1);
    assert.equal(reports[0].error, "answer over the limit of 50 bytes");
    assert.equal(await say(p, "185.220.101.34"), "skipped not_loaded");
  });

  it("a restart loads the stored copy and does not download again before the interval", async () => {
    const first = tor();
    await until(() => reports.length === 1);
    await first.close();
    const again = tor();
    await again.ready;
    assert.match(await say(again, "185.220.101.34"), /^suspicious/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(site.count("/torbulkexitlist"), 1);
  });

  it("a restart after the interval downloads again, asking only for a change", async () => {
    await writeFile(
      path.join(dir, "spamhaus-drop-1.json"),
      JSON.stringify({ url: `${site.url}/drop/drop_v4.json`, body: fixture("drop_v4.json"), fetchedAt: Date.now() - 13 * HOUR, attemptedAt: Date.now() - 13 * HOUR, lastModified: "Fri, 01 May 2026 00:00:00 GMT" }),
    );
    const p = drop({ intervalMs: 12 * HOUR });
    await p.ready;
    assert.equal(p.health().detail, "4 entries, 13 h old");
    await until(() => reports.length === 2);
    assert.deepEqual(reports.map((r) => `${r.url.slice(site.url.length)} ${r.outcome}`), ["/drop/drop_v4.json unchanged", "/drop/drop_v6.json updated"]);
    assert.equal(site.requests[0].headers["if-modified-since"], "Fri, 01 May 2026 00:00:00 GMT");
    assert.equal(p.health().detail, "6 entries, under a minute old");
  });

  it("an old list is stale; a corrupt stored copy is reported and replaced by the next download", async () => {
    const old = Date.now() - 5 * HOUR;
    await writeFile(path.join(dir, "tor-exit.json"), JSON.stringify({ url: `${site.url}/torbulkexitlist`, body: "185.220.101.1\n", fetchedAt: old, attemptedAt: Date.now() }));
    const stale = tor();
    await stale.ready;
    assert.deepEqual([stale.health().state, stale.health().detail], ["degraded", "1 entries, 5 h old, stale"]);
    assert.equal(await say(stale, "185.220.101.1"), "suspicious 50 Tor exit node (list 5 h old)");
    await stale.close();

    await writeFile(path.join(dir, "tor-exit.json"), '{"url": "x", "body": "185.2');
    const p = tor();
    await p.ready;
    assert.equal(await say(p, "185.220.101.34"), "skipped not_loaded");
    assert.equal(p.health().detail, "not downloaded yet; stored copy is corrupt");
    await until(() => reports.length === 1);
    assert.match(await say(p, "185.220.101.34"), /^suspicious/);
  });

  it("asks with the ETag it was given, and an unchanged list costs no new copy", async () => {
    const p = tor();
    await until(() => reports.length === 1);
    await p.refresh();
    assert.deepEqual(reports.map((r) => r.outcome), ["updated", "unchanged"]);
    assert.equal(site.requests[0].headers["if-none-match"], undefined);
    assert.match(String(site.requests[1].headers["if-none-match"]), /^"[0-9a-f]{16}"$/);
    assert.match(await say(p, "185.220.101.34"), /^suspicious/);
    assert.equal(p.health().state, "ok");
  });

  it("closing during a download records nothing against the site", async () => {
    site.fail("/torbulkexitlist", { hang: true });
    const p = tor({ timeoutMs: 10_000 });
    await until(() => site.count("/torbulkexitlist") === 1);
    const started = Date.now();
    await p.close();
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(reports, []);
    assert.deepEqual(await readdir(dir), []);
  });

  it("refresh downloads now; close stops the schedule", async () => {
    const p = tor();
    await until(() => reports.length === 1);
    site.serve("/torbulkexitlist", { body: "45.141.215.19\n8.8.4.4\n" });
    await p.refresh();
    assert.match(await say(p, "8.8.4.4"), /^suspicious/);
    assert.equal(await say(p, "185.220.101.34"), "not_found");
    await p.close();
    const calls = site.count("/torbulkexitlist");
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(site.count("/torbulkexitlist"), calls);
  });
});
