import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { CACHE_TTL_MS } from "../../../../lib/intel/remote";
import type { ProviderResult } from "../../../../lib/intel/types";
import { settle, until } from "../../../helpers/wait";
import { ip, never, useIntelStandIn } from "./fixture";
import { flush, ManualClock } from "./manual-clock";

const HOUR = 3_600_000;
const brief = (r: ProviderResult) => [r.status, r.reason ?? null];

describe("remote provider resilience", function () {
  const fx = useIntelStandIn();

  describe("cache", function () {
    it("answers a repeat lookup from the cache without a request, and counts the hit", async function () {
      fx.api.internetdb.seed([{ ip: "198.51.100.20", ports: [22, 443] }]);
      const p = fx.provider("internetdb");
      const first = await p.lookup(ip("198.51.100.20"), never());
      const second = await p.lookup(ip("198.51.100.20"), never());
      assert.equal(first.cached, undefined);
      assert.equal(second.cached, true);
      assert.deepEqual(second.data, first.data);
      assert.equal(fx.api.count("internetdb"), 1);
      assert.deepEqual([p.health().lookups, p.health().cacheHits], [2, 1]);
    });

    it("keeps bad news 6 h, not-found 2 h and good news 24 h", async function () {
      const clock = new ManualClock();
      fx.api.abuseipdb.seed([
        { ipAddress: "198.51.100.1", abuseConfidenceScore: 90, totalReports: 9 },
        { ipAddress: "198.51.100.2", isWhitelisted: true, totalReports: 1 },
      ]);
      const p = fx.provider("abuseipdb", {}, { clock });
      for (const value of ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) await p.lookup(ip(value), never());
      const asksAgain = async (value: string) => {
        const before = fx.api.count("abuseipdb");
        await p.lookup(ip(value), never());
        return fx.api.count("abuseipdb") > before;
      };
      await clock.advance(CACHE_TTL_MS.notFound - 1);
      assert.equal(await asksAgain("198.51.100.3"), false);
      await clock.advance(1);
      assert.equal(await asksAgain("198.51.100.3"), true);
      await clock.advance(CACHE_TTL_MS.malicious - CACHE_TTL_MS.notFound - 1);
      assert.equal(await asksAgain("198.51.100.1"), false);
      await clock.advance(1);
      assert.equal(await asksAgain("198.51.100.1"), true);
      await clock.advance(CACHE_TTL_MS.benign - CACHE_TTL_MS.malicious - 1);
      assert.equal(await asksAgain("198.51.100.2"), false);
      await clock.advance(1);
      assert.equal(await asksAgain("198.51.100.2"), true);
      assert.deepEqual([CACHE_TTL_MS.malicious, CACHE_TTL_MS.benign, CACHE_TTL_MS.notFound], [6 * HOUR, 24 * HOUR, 2 * HOUR]);
    });

    it("never caches errors or skips", async function () {
      const p = fx.provider("internetdb", { retries: 0, rate: null });
      fx.api.fail({ provider: "internetdb", status: 500 });
      assert.deepEqual(brief(await p.lookup(ip("198.51.100.21"), never())), ["error", "http_error"]);
      assert.deepEqual(brief(await p.lookup(ip("198.51.100.21"), never())), ["not_found", null]);
      assert.equal(fx.api.count("internetdb"), 2);
    });

    it("holds at most cacheSize answers, dropping the least recently used", async function () {
      const p = fx.provider("internetdb", { cacheSize: 2, rate: null });
      for (const value of ["198.51.100.31", "198.51.100.32", "198.51.100.31", "198.51.100.33", "198.51.100.31", "198.51.100.32"]) {
        await p.lookup(ip(value), never());
      }
      assert.deepEqual(
        fx.api.requestsTo("internetdb").map((r) => r.path),
        ["/198.51.100.31", "/198.51.100.32", "/198.51.100.33", "/198.51.100.32"],
      );
      assert.equal(p.health().cacheHits, 2);
    });
  });

  describe("one lookup in flight per indicator", function () {
    it("lets concurrent callers of one indicator share one request", async function () {
      fx.api.internetdb.seed([{ ip: "198.51.100.40", ports: [80] }]);
      fx.api.fail({ provider: "internetdb", delayMs: 50 });
      const p = fx.provider("internetdb");
      const results = await Promise.all(Array.from({ length: 25 }, () => p.lookup(ip("198.51.100.40"), never())));
      assert.equal(fx.api.count("internetdb"), 1);
      assert.ok(results.every((r) => r.status === "ok" && (r.data.ports as number[])[0] === 80));
    });

    it("lets one caller give up without cancelling the request the others wait for", async function () {
      fx.api.fail({ provider: "internetdb", delayMs: 100 });
      const p = fx.provider("internetdb", { rate: null });
      const quitter = new AbortController();
      const gaveUp = p.lookup(ip("198.51.100.41"), quitter.signal);
      const stayed = p.lookup(ip("198.51.100.41"), never());
      await until(() => fx.api.count("internetdb") === 1);
      quitter.abort();
      assert.deepEqual(brief(await gaveUp), ["error", "timeout"]);
      assert.deepEqual(brief(await stayed), ["not_found", null]);
      assert.equal(fx.api.count("internetdb"), 1);
    });

    it("cancels the request once every caller has given up, and starts afresh for the next", async function () {
      fx.api.fail({ provider: "internetdb", delayMs: 10_000 });
      const p = fx.provider("internetdb", { rate: null });
      const callers = [new AbortController(), new AbortController()];
      const pending = callers.map((c) => p.lookup(ip("198.51.100.42"), c.signal));
      await until(() => fx.api.count("internetdb") === 1);
      const started = Date.now();
      for (const c of callers) c.abort();
      for (const r of await Promise.all(pending)) assert.deepEqual(brief(r), ["error", "timeout"]);
      assert.ok(Date.now() - started < 1000);
      assert.deepEqual(brief(await p.lookup(ip("198.51.100.42"), never())), ["not_found", null]);
      assert.equal(fx.api.count("internetdb"), 2);
    });
  });

  describe("a burst of repeating indicators", function () {
    it("makes one request per distinct indicator for 4,000 concurrent lookups of 400", async function () {
      fx.api.latencyMs = 2;
      fx.api.internetdb.seed([{ ip: "10.0.0.7", ports: [443] }]);
      const p = fx.provider("internetdb", { rate: null, concurrency: 16 });
      const value = (i: number) => `10.0.${(i % 400) >> 8}.${(i % 400) & 255}`;
      const results = await Promise.all(Array.from({ length: 4000 }, (_, i) => p.lookup(ip(value(i)), never())));
      assert.equal(fx.api.count("internetdb"), 400);
      assert.equal(new Set(fx.api.requestsTo("internetdb").map((r) => r.path)).size, 400);
      assert.ok(results.every((r) => r.status === "not_found" || (r.indicator === "10.0.0.7" && r.status === "ok")));
      const again = await Promise.all(Array.from({ length: 400 }, (_, i) => p.lookup(ip(value(i)), never())));
      assert.ok(again.every((r) => r.cached === true));
      assert.equal(fx.api.count("internetdb"), 400);
      assert.equal(p.health().cacheHits, 400);
    });
  });

  describe("one signal for a whole alert", function () {
    it("listens to it once however many lookups share it, and cancels them all on abort", async function () {
      fx.api.fail({ provider: "internetdb", delayMs: 10_000, times: Infinity });
      const p = fx.provider("internetdb", { rate: null, concurrency: 4 });
      const alert = new AbortController();
      const pending = Array.from({ length: 40 }, (_, i) => p.lookup(ip(`198.51.100.${150 + i}`), alert.signal));
      await until(() => fx.api.count("internetdb") === 4);
      assert.equal(getEventListeners(alert.signal, "abort").length, 1);
      alert.abort();
      const results = await Promise.all(pending);
      assert.ok(results.every((r) => r.status === "error" && r.reason === "timeout"));
      assert.equal(fx.api.count("internetdb"), 4);
    });
  });

  describe("rate limit, concurrency and queue", function () {
    it("holds the configured rate: 4 a minute lets 4 through, then 4 more a minute later", async function () {
      const clock = new ManualClock();
      const p = fx.provider("internetdb", { rate: { limit: 4, intervalMs: 60_000 }, concurrency: 10 }, { clock });
      const pending = Array.from({ length: 10 }, (_, i) => p.lookup(ip(`198.51.100.${50 + i}`), never()));
      await until(() => fx.api.count("internetdb") === 4);
      await settle();
      assert.equal(fx.api.count("internetdb"), 4);
      await clock.advance(59_999);
      await settle();
      assert.equal(fx.api.count("internetdb"), 4);
      await clock.advance(1);
      await until(() => fx.api.count("internetdb") === 8);
      await clock.advance(60_000);
      await until(() => fx.api.count("internetdb") === 10);
      assert.ok((await Promise.all(pending)).every((r) => r.status === "not_found"));
    });

    it("runs at most `concurrency` requests at once", async function () {
      fx.api.fail({ provider: "internetdb", delayMs: 100, times: Infinity });
      const p = fx.provider("internetdb", { rate: null, concurrency: 2 });
      const pending = Array.from({ length: 6 }, (_, i) => p.lookup(ip(`198.51.100.${70 + i}`), never()));
      await until(() => fx.api.count("internetdb") === 2);
      // Each answer takes 100 ms: a third request inside that time would mean a third slot.
      await settle(50);
      assert.equal(fx.api.count("internetdb"), 2);
      await until(() => fx.api.count("internetdb") === 4);
      await Promise.all(pending);
      assert.equal(fx.api.count("internetdb"), 6);
    });

    it("skips as rate_limited, at once, a lookup that finds the wait queue full", async function () {
      fx.api.fail({ provider: "internetdb", delayMs: 100, times: Infinity });
      const p = fx.provider("internetdb", { rate: null, concurrency: 1, queue: 1 });
      const first = p.lookup(ip("198.51.100.80"), never());
      const second = p.lookup(ip("198.51.100.81"), never());
      const third = await p.lookup(ip("198.51.100.82"), never());
      assert.deepEqual(brief(third), ["skipped", "rate_limited"]);
      assert.equal(third.detail, "too many lookups waiting for this provider");
      assert.deepEqual([brief(await first), brief(await second)], [["not_found", null], ["not_found", null]]);
      assert.equal(fx.api.count("internetdb"), 2);
    });

    it("lets a caller give up while waiting for a rate slot, and sends nothing for it later", async function () {
      const clock = new ManualClock();
      const p = fx.provider("internetdb", { rate: { limit: 1, intervalMs: 1000 } }, { clock });
      await p.lookup(ip("198.51.100.83"), never());
      const caller = new AbortController();
      const waiting = p.lookup(ip("198.51.100.84"), caller.signal);
      await flush();
      caller.abort();
      assert.deepEqual(brief(await waiting), ["error", "timeout"]);
      await clock.advance(5000);
      await settle();
      assert.equal(fx.api.count("internetdb"), 1);
    });
  });

  describe("daily quota", function () {
    it("skips without a request once the quota is spent, says until when, and resumes at 00:00 UTC", async function () {
      const clock = new ManualClock(Date.UTC(2026, 2, 10, 21, 30));
      const p = fx.provider("internetdb", { quota: 3, rate: null }, { clock });
      for (let i = 0; i < 2; i++) assert.equal((await p.lookup(ip(`198.51.100.${90 + i}`), never())).status, "not_found");
      assert.deepEqual(p.health(), { provider: "internetdb", state: "ok", detail: "2/3 today", lookups: 2, cacheHits: 0 });
      assert.equal((await p.lookup(ip("198.51.100.92"), never())).status, "not_found");
      const over = await p.lookup(ip("198.51.100.93"), never());
      assert.deepEqual(brief(over), ["skipped", "quota"]);
      assert.equal(over.detail, "daily quota spent; quota until 00:00Z");
      assert.equal(fx.api.count("internetdb"), 3);
      assert.deepEqual([p.health().state, p.health().detail], ["quota", "quota until 00:00Z"]);
      await clock.advance(Date.UTC(2026, 2, 11) - clock.now() - 1);
      assert.equal((await p.lookup(ip("198.51.100.94"), never())).reason, "quota");
      await clock.advance(1);
      assert.equal((await p.lookup(ip("198.51.100.94"), never())).status, "not_found");
      assert.equal(fx.api.count("internetdb"), 4);
      assert.equal(p.health().state, "ok");
    });
  });

  describe("retries", function () {
    it("retries a 5xx twice with back-off and answers when the provider recovers", async function () {
      fx.api.fail({ provider: "internetdb", status: 503, times: 2 });
      const r = await fx.provider("internetdb", { rate: null }).lookup(ip("198.51.100.100"), never());
      assert.deepEqual(brief(r), ["not_found", null]);
      assert.equal(fx.api.count("internetdb"), 3);
    });

    it("gives up after 2 retries and says how many attempts it made", async function () {
      fx.api.fail({ provider: "internetdb", status: 500, times: Infinity });
      const r = await fx.provider("internetdb", { rate: null }).lookup(ip("198.51.100.101"), never());
      assert.deepEqual(brief(r), ["error", "http_error"]);
      assert.equal(r.detail, "InternetDB HTTP 500 (after 3 attempts)");
      assert.equal(fx.api.count("internetdb"), 3);
    });

    it("retries a dropped connection as a network error", async function () {
      fx.api.fail({ provider: "internetdb", reset: true });
      const p = fx.provider("internetdb", { rate: null });
      assert.deepEqual(brief(await p.lookup(ip("198.51.100.102"), never())), ["not_found", null]);
      fx.api.fail({ provider: "internetdb", reset: true, times: 3 });
      const r = await p.lookup(ip("198.51.100.103"), never());
      assert.deepEqual(brief(r), ["error", "network"]);
      assert.equal(fx.api.count("internetdb"), 5);
    });

    it("waits a full-jitter back-off between attempts: a random share of base × 2^(retry-1)", async function () {
      const clock = new ManualClock();
      fx.api.fail({ provider: "abuseipdb", kind: "rate_limited", times: 2 });
      const p = fx.provider("abuseipdb", { retryBaseMs: 1000 }, { clock, random: () => 0.5 });
      const pending = p.lookup(ip("198.51.100.104"), never());
      await until(() => clock.waitingFor(500));
      await clock.advance(499);
      await settle();
      assert.equal(fx.api.count("abuseipdb"), 1);
      await clock.advance(1);
      await until(() => clock.waitingFor(1000));
      assert.equal(fx.api.count("abuseipdb"), 2);
      await clock.advance(999);
      await settle();
      assert.equal(fx.api.count("abuseipdb"), 2);
      await clock.advance(1);
      assert.deepEqual(brief(await pending), ["not_found", null]);
      assert.equal(fx.api.count("abuseipdb"), 3);
    });

    it("waits exactly the Retry-After a 429 asks for when it is short", async function () {
      const clock = new ManualClock();
      fx.api.fail({ provider: "abuseipdb", kind: "rate_limited", retryAfter: 3 });
      const p = fx.provider("abuseipdb", {}, { clock, random: () => 0 });
      const pending = p.lookup(ip("198.51.100.105"), never());
      await until(() => clock.waitingFor(3000));
      await clock.advance(2999);
      await settle();
      assert.equal(fx.api.count("abuseipdb"), 1);
      await clock.advance(1);
      assert.deepEqual(brief(await pending), ["not_found", null]);
    });

    it("does not wait out a long Retry-After: it pauses the provider and skips until then", async function () {
      const clock = new ManualClock(Date.UTC(2026, 2, 10, 9, 0));
      fx.api.fail({ provider: "abuseipdb", kind: "rate_limited", retryAfter: 120 });
      const p = fx.provider("abuseipdb", { maxRetryAfterMs: 10_000 }, { clock });
      const r = await p.lookup(ip("198.51.100.106"), never());
      assert.deepEqual(brief(r), ["skipped", "rate_limited"]);
      assert.equal(r.detail, "AbuseIPDB HTTP 429: Too Many Attempts.; asked to wait 120 s, paused until 09:02Z");
      assert.deepEqual(brief(await p.lookup(ip("198.51.100.107"), never())), ["skipped", "rate_limited"]);
      assert.deepEqual([p.health().state, p.health().detail], ["degraded", "rate limited until 09:02Z"]);
      assert.equal(fx.api.count("abuseipdb"), 1);
      await clock.advance(120_000);
      assert.deepEqual(brief(await p.lookup(ip("198.51.100.107"), never())), ["not_found", null]);
      assert.equal(p.health().state, "ok");
    });

    it("reads a Retry-After given as an HTTP date", async function () {
      fx.api.fail({ provider: "abuseipdb", kind: "rate_limited", retryAfter: new Date(Date.now() + 120_000).toUTCString() });
      const r = await fx.provider("abuseipdb").lookup(ip("198.51.100.109"), never());
      assert.deepEqual(brief(r), ["skipped", "rate_limited"]);
      assert.match(r.detail ?? "", /asked to wait 1(19|20) s/);
    });

    it("does not retry a timeout, and reports it promptly as error/timeout", async function () {
      fx.api.fail({ provider: "internetdb", delayMs: 5000 });
      const p = fx.provider("internetdb", { timeoutMs: 100 });
      const started = Date.now();
      const r = await p.lookup(ip("198.51.100.108"), never());
      assert.deepEqual(brief(r), ["error", "timeout"]);
      assert.equal(r.detail, "no answer within 100 ms");
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
      assert.equal(fx.api.count("internetdb"), 1);
    });
  });

  describe("circuit breaker", function () {
    it("opens after N consecutive failures, skips without requests, and closes on a successful trial", async function () {
      const clock = new ManualClock(Date.UTC(2026, 2, 10, 9, 0));
      fx.api.fail({ provider: "internetdb", status: 500, times: 3 });
      const p = fx.provider("internetdb", { retries: 0, rate: null, breaker: { failures: 3, cooldownMs: 60_000 } }, { clock });
      for (let i = 0; i < 3; i++) assert.deepEqual(brief(await p.lookup(ip(`198.51.100.${110 + i}`), never())), ["error", "http_error"]);
      const open = await p.lookup(ip("198.51.100.113"), never());
      assert.deepEqual(brief(open), ["skipped", "circuit_open"]);
      assert.equal(open.detail, "3 failures in a row; next try 09:01Z");
      assert.deepEqual([p.health().state, p.health().detail], ["circuit_open", "3 failures in a row (http_error); next try 09:01Z"]);
      assert.equal(fx.api.count("internetdb"), 3);
      await clock.advance(60_000);
      assert.deepEqual(brief(await p.lookup(ip("198.51.100.113"), never())), ["not_found", null]);
      assert.equal(p.health().state, "ok");
      assert.deepEqual(brief(await p.lookup(ip("198.51.100.114"), never())), ["not_found", null]);
    });

    it("re-opens when the trial fails, and lets only one trial through at a time", async function () {
      const clock = new ManualClock();
      fx.api.fail({ provider: "internetdb", status: 502, times: 2 });
      const p = fx.provider("internetdb", { retries: 0, rate: null, breaker: { failures: 1, cooldownMs: 1000 } }, { clock });
      assert.equal((await p.lookup(ip("198.51.100.120"), never())).reason, "http_error");
      await clock.advance(1000);
      assert.equal((await p.lookup(ip("198.51.100.121"), never())).reason, "http_error");
      assert.equal((await p.lookup(ip("198.51.100.122"), never())).reason, "circuit_open");
      await clock.advance(1000);
      fx.api.fail({ provider: "internetdb", delayMs: 50 });
      const trial = p.lookup(ip("198.51.100.123"), never());
      const other = await p.lookup(ip("198.51.100.124"), never());
      assert.deepEqual(brief(other), ["skipped", "circuit_open"]);
      assert.deepEqual(brief(await trial), ["not_found", null]);
      assert.equal(fx.api.count("internetdb"), 3);
    });

    it("does not count refusals of one indicator, rate limits or quota against the provider", async function () {
      const p = fx.provider("abuseipdb", { retries: 0, breaker: { failures: 1, cooldownMs: 60_000 } });
      assert.equal((await p.lookup(ip("999.0.0.1"), never())).reason, "http_error");
      fx.api.fail({ provider: "abuseipdb", kind: "rate_limited" });
      assert.equal((await p.lookup(ip("198.51.100.130"), never())).reason, "rate_limited");
      assert.equal((await p.lookup(ip("198.51.100.131"), never())).status, "not_found");
      assert.equal(p.health().state, "ok");
    });
  });

  describe("what never gets asked", function () {
    it("skips with no_key, without a request, a provider that needs a key and has none", async function () {
      const p = fx.provider("abuseipdb", { key: "" });
      const r = await p.lookup(ip("198.51.100.140"), never());
      assert.deepEqual([r.status, r.reason, r.detail], ["skipped", "no_key", "no API key configured"]);
      assert.deepEqual([p.health().state, p.health().detail], ["no_key", "no API key configured"]);
      const env = fx.provider("abuseipdb", { key: "${ABUSEIPDB_API_KEY}" });
      assert.equal((await env.lookup(ip("198.51.100.140"), never())).detail, "the API key refers to environment variable ABUSEIPDB_API_KEY, which is not set");
      assert.equal(fx.api.count("abuseipdb"), 0);
    });

    it("skips an indicator type the provider does not look up", async function () {
      const r = await fx.provider("internetdb").lookup({ type: "domain", value: "example.com" }, never());
      assert.deepEqual([r.status, r.reason, r.detail], ["skipped", "unsupported_type", "internetdb does not look up domain"]);
      assert.equal(fx.api.count("internetdb"), 0);
    });

    it("answers an already aborted lookup at once, and a closed provider's lookups without requests", async function () {
      const p = fx.provider("internetdb");
      const aborted = new AbortController();
      aborted.abort();
      assert.deepEqual(brief(await p.lookup(ip("198.51.100.141"), aborted.signal)), ["error", "timeout"]);
      await p.close();
      assert.deepEqual(brief(await p.lookup(ip("198.51.100.141"), never())), ["skipped", "not_loaded"]);
      assert.equal(fx.api.count("internetdb"), 0);
    });
  });
});
