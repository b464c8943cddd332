import type { Indicator, IntelProvider, ProviderHealth, ProviderResult, ResultReason } from "../types";
import type { Attempt, Failure, QuotaHint, RemoteSource } from "./attempt";
import { fullJitterMs } from "./backoff";
import { Bulkhead } from "./bulkhead";
import { cacheTtlMs } from "./cache-policy";
import { CircuitBreaker, type BreakerSetting } from "./circuit-breaker";
import { deadline, sleep, utcLabel, type Clock } from "./clock";
import { excerpt } from "./compact";
import { DailyQuota } from "./daily-quota";
import { InFlight } from "./in-flight";
import { RateLimiter, type RateSetting } from "./rate-limiter";
import { TtlCache } from "./ttl-cache";

export interface ResilienceSettings {
  /** Null: the provider documents no rate; only the daily quota and concurrency hold it back. */
  rate: RateSetting | null;
  /** Requests per UTC day; null for none. */
  quota: number | null;
  concurrency: number;
  /** Lookups that may wait for a concurrency slot; more are skipped as rate limited. */
  queue: number;
  /** Per request, from sending it to the end of the answer. */
  timeoutMs: number;
  /** Further attempts after a network error, 5xx or 429. */
  retries: number;
  retryBaseMs: number;
  /** A longer Retry-After is not waited for: the provider is paused and lookups skipped until then. */
  maxRetryAfterMs: number;
  breaker: BreakerSetting;
  /** Cached answers at most; 0 caches nothing. */
  cacheSize: number;
}

export interface ResilienceTools {
  clock: Clock;
  random: () => number;
}

type Pass = "yes" | "trial";

/**
 * A remote provider made safe to call on every alert: answers come from a TTL cache when they
 * can; concurrent lookups of one indicator share one request; requests keep to the provider's
 * rate, daily quota and concurrency, time out, are retried with back-off on network errors, 5xx
 * and 429 (honouring Retry-After), and stop while a circuit breaker is open. `lookup` never
 * rejects: whatever happens becomes a result whose status and reason say so.
 */
export class ResilientProvider implements IntelProvider {
  readonly name: string;
  readonly party: "first" | "third";
  private readonly cache: TtlCache<ProviderResult>;
  private readonly inFlight = new InFlight<ProviderResult>();
  private readonly bulkhead: Bulkhead;
  private readonly limiter: RateLimiter | null;
  private readonly quota: DailyQuota;
  private readonly breaker: CircuitBreaker;
  private readonly clock: Clock;
  private readonly random: () => number;
  private pausedUntil = 0;
  private lastFailure = "";
  private lookups = 0;
  private closed = false;

  /** `unavailable`: why the provider cannot be asked at all (no key); every lookup is skipped with it. */
  constructor(
    private readonly source: RemoteSource,
    private readonly settings: ResilienceSettings,
    tools: ResilienceTools,
    private readonly unavailable: string | null = null,
  ) {
    this.name = source.name;
    this.party = source.party;
    this.clock = tools.clock;
    this.random = tools.random;
    this.cache = new TtlCache(settings.cacheSize);
    this.bulkhead = new Bulkhead(settings.concurrency, settings.queue);
    this.limiter = settings.rate ? new RateLimiter(settings.rate, this.clock) : null;
    this.quota = new DailyQuota(settings.quota, this.clock.now());
    this.breaker = new CircuitBreaker(settings.breaker);
  }

  supports(type: Indicator["type"]): boolean {
    return this.source.supports(type);
  }

  async lookup(indicator: Indicator, signal: AbortSignal): Promise<ProviderResult> {
    try {
      if (!this.source.supports(indicator.type)) return this.skipped(indicator, "unsupported_type", `${this.name} does not look up ${indicator.type}`);
      this.lookups++;
      if (this.closed) return this.skipped(indicator, "not_loaded", "the provider is closed");
      if (this.unavailable !== null) return this.skipped(indicator, "no_key", this.unavailable);
      const key = `${indicator.type}|${indicator.value}`;
      const hit = this.cache.get(key, this.clock.now());
      if (hit) return { ...hit, cached: true };
      const result = await this.inFlight.run(key, signal, (shared) => this.fetch(key, indicator, shared), () => this.cancelled(indicator));
      return { ...result };
    } catch (err) {
      return this.result(indicator, "error", { reason: "network", detail: `internal error: ${excerpt((err as Error)?.message)}` });
    }
  }

  health(): ProviderHealth {
    const now = this.clock.now();
    const base = { provider: this.name, lookups: this.lookups, cacheHits: this.cache.hits };
    if (this.unavailable !== null) return { ...base, state: "no_key", detail: this.unavailable };
    const quotaUntil = this.quota.blockedUntil(now);
    if (quotaUntil !== null) return { ...base, state: "quota", detail: `quota until ${utcLabel(quotaUntil, now)}` };
    const breaker = this.breaker.state(now);
    if (breaker === "open") {
      return { ...base, state: "circuit_open", detail: `${failures(this.breaker.failures)} in a row (${this.lastFailure}); next try ${utcLabel(this.breaker.reopensAt(), now)}` };
    }
    if (breaker === "half_open") return { ...base, state: "degraded", detail: `trying again after ${failures(this.breaker.failures)} (${this.lastFailure})` };
    if (this.pausedUntil > now) return { ...base, state: "degraded", detail: `rate limited until ${utcLabel(this.pausedUntil, now)}` };
    if (this.breaker.failures > 0) return { ...base, state: "degraded", detail: `${failures(this.breaker.failures)} in a row (${this.lastFailure})` };
    const used = this.settings.quota === null ? undefined : `${this.quota.usedToday(now)}/${this.settings.quota} today`;
    return { ...base, state: "ok", ...(used ? { detail: used } : {}) };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.inFlight.abortAll();
    this.cache.clear();
  }

  /** The provider's answer for an indicator not in the cache; shared by every caller asking meanwhile. */
  private async fetch(key: string, indicator: Indicator, signal: AbortSignal): Promise<ProviderResult> {
    const now = this.clock.now();
    const held = this.heldBack(indicator, now);
    if (held) return held;
    const pass = this.breaker.allow(now);
    if (pass === "no") return this.circuitOpen(indicator);
    const slot = await this.bulkhead.enter(signal);
    if (slot === "full" || slot === "aborted") {
      this.breaker.neutral();
      return slot === "full" ? this.skipped(indicator, "rate_limited", "too many lookups waiting for this provider") : this.cancelled(indicator);
    }
    try {
      const result = await this.attempts(indicator, signal, pass);
      const ttl = cacheTtlMs(result);
      if (ttl > 0 && !this.closed) this.cache.set(key, result, ttl, this.clock.now());
      return result;
    } finally {
      slot();
    }
  }

  /** Up to 1 + `retries` requests; each waits for the rate limit and counts against the quota. */
  private async attempts(indicator: Indicator, signal: AbortSignal, pass: Pass): Promise<ProviderResult> {
    for (let attempt = 1; ; attempt++) {
      const ready = await this.readyToSend(indicator, signal, pass);
      if (ready !== null) return ready;
      const outcome = await this.send(indicator, signal);
      const now = this.clock.now();
      if (outcome === "cancelled") return this.neutral(this.cancelled(indicator));
      if (outcome.kind !== "quota" && outcome.quota) this.syncQuota(outcome.quota, now);
      if (outcome.kind === "answer") {
        this.breaker.success();
        const status = outcome.found ? "ok" : "not_found";
        return this.result(indicator, status, { verdict: outcome.verdict, score: outcome.score, detail: outcome.detail, data: outcome.data });
      }
      if (outcome.kind === "quota") {
        this.quota.exhaust(now, outcome.resetAt);
        return this.neutral(this.skipped(indicator, "quota", `${outcome.detail}; quota until ${utcLabel(this.quota.blockedUntil(now) ?? now, now)}`));
      }
      const next = await this.afterFailure(indicator, outcome, attempt, signal);
      if (next !== "retry") return next;
    }
  }

  /** Null when a request may go now; otherwise why not, after waiting for the rate limit if that is all. */
  private async readyToSend(indicator: Indicator, signal: AbortSignal, pass: Pass): Promise<ProviderResult | null> {
    const before = this.heldBack(indicator, this.clock.now()) ?? (this.breaker.stillAllows(pass) ? null : this.circuitOpen(indicator));
    if (before) return this.neutral(before);
    if (this.limiter && !(await this.limiter.take(signal))) return this.neutral(this.cancelled(indicator));
    // The wait for a rate slot may have been long enough for another lookup to spend the quota or be told to pause.
    const now = this.clock.now();
    const after = this.heldBack(indicator, now);
    if (after) return this.neutral(after);
    if (!this.quota.take(now)) return this.neutral(this.quotaSkip(indicator, now));
    return null;
  }

  /** "retry" after waiting its back-off, or the final result. */
  private async afterFailure(indicator: Indicator, failure: Failure, attempt: number, signal: AbortSignal): Promise<ProviderResult | "retry"> {
    const now = this.clock.now();
    const wait = failure.retryAfterMs;
    if (failure.retryable && wait !== null && wait > this.settings.maxRetryAfterMs) {
      this.pausedUntil = Math.max(this.pausedUntil, now + wait);
      return this.neutral(this.skipped(indicator, "rate_limited", `${failure.detail}; asked to wait ${Math.ceil(wait / 1000)} s, paused until ${utcLabel(this.pausedUntil, now)}`));
    }
    if (failure.retryable && attempt <= this.settings.retries) {
      const delay = wait ?? fullJitterMs(attempt, this.settings.retryBaseMs, this.random);
      return (await sleep(this.clock, delay, signal)) ? "retry" : this.neutral(this.cancelled(indicator));
    }
    const tries = attempt > 1 ? ` (after ${attempt} attempts)` : "";
    if (failure.reason === "rate_limited") return this.neutral(this.skipped(indicator, "rate_limited", `${failure.detail}${tries}`));
    // A refusal of this one indicator (a 4xx that is not about the key) says nothing about the provider's health.
    if (failure.reason === "http_error" && !failure.retryable) this.breaker.neutral();
    else {
      this.breaker.failure(now);
      this.lastFailure = failure.reason;
    }
    return this.result(indicator, "error", { reason: failure.reason, detail: `${failure.detail}${tries}` });
  }

  /** One request under the per-request timeout; "cancelled" when the callers gave up. */
  private async send(indicator: Indicator, signal: AbortSignal): Promise<Attempt | "cancelled"> {
    const timer = deadline(this.clock, this.settings.timeoutMs);
    const both = AbortSignal.any([signal, timer.signal]);
    try {
      // Raced against the signal as well, so a source that is slow to notice cannot hold the lookup.
      const outcome = await Promise.race([this.source.request(indicator, both), whenAborted(both)]);
      if (signal.aborted) return "cancelled";
      // A failure after the deadline is the deadline's doing (the source saw its request aborted); an answer stands.
      if (outcome === "aborted" || (outcome.kind === "failure" && timer.signal.aborted)) {
        return { kind: "failure", reason: "timeout", detail: `no answer within ${this.settings.timeoutMs} ms`, retryable: false, retryAfterMs: null };
      }
      return outcome;
    } finally {
      timer.clear();
    }
  }

  /** The quota, a pause or the breaker holding lookups back before any request. */
  private heldBack(indicator: Indicator, now: number): ProviderResult | null {
    if (this.quota.blockedUntil(now) !== null) return this.quotaSkip(indicator, now);
    if (this.pausedUntil > now) return this.skipped(indicator, "rate_limited", `rate limited until ${utcLabel(this.pausedUntil, now)}`);
    return null;
  }

  private syncQuota(hint: QuotaHint, now: number): void {
    if (hint.remaining <= 0) this.quota.exhaust(now, hint.resetAt);
  }

  private neutral(result: ProviderResult): ProviderResult {
    this.breaker.neutral();
    return result;
  }

  private quotaSkip(indicator: Indicator, now: number): ProviderResult {
    return this.skipped(indicator, "quota", `daily quota spent; quota until ${utcLabel(this.quota.blockedUntil(now) ?? now, now)}`);
  }

  private circuitOpen(indicator: Indicator): ProviderResult {
    const at = utcLabel(this.breaker.reopensAt(), this.clock.now());
    return this.skipped(indicator, "circuit_open", `${failures(this.breaker.failures)} in a row; next try ${at}`);
  }

  private cancelled(indicator: Indicator): ProviderResult {
    return this.result(indicator, "error", { reason: "timeout", detail: "the lookup was cancelled before the provider answered" });
  }

  private skipped(indicator: Indicator, reason: ResultReason, detail: string): ProviderResult {
    return this.result(indicator, "skipped", { reason, detail });
  }

  private result(indicator: Indicator, status: ProviderResult["status"], fields: Partial<ProviderResult>): ProviderResult {
    return { provider: this.name, indicator: indicator.value, type: indicator.type, verdict: "unknown", score: 0, status, data: {}, ...fields };
  }
}

const failures = (n: number) => `${n} failure${n === 1 ? "" : "s"}`;

function whenAborted(signal: AbortSignal): Promise<"aborted"> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve("aborted");
    else signal.addEventListener("abort", () => resolve("aborted"), { once: true });
  });
}
