import { setMaxListeners } from "node:events";
import { RateMeter } from "../ingest/rate-meter";
import { DisclosurePolicy, type Withholding } from "./disclosure-policy";
import { collectEvidence, type EvidenceIndicator } from "./evidence";
import { RELIABILITIES, reliabilityOf } from "./reliability";
import { askProvider, SharedLookups } from "./shared-lookups";
import type { AlertEnrichment, IndicatorEnrichment, IntelProvider, ProviderHealth, ProviderResult, Reliability, ResultReason } from "./types";
import { combineAlert, combineIndicator, type RatedResult } from "./verdict";

export interface EnricherOptions {
  providers: readonly IntelProvider[];
  /** The user's own domains (and their subdomains): never sent to remote providers. */
  ownDomains?: readonly string[];
  /** The user's own public networks: never sent to remote providers. */
  ownNetworks?: readonly string[];
  /** The longest an alert waits for its providers, from the call. Default 5000 ms. */
  timeoutMs?: number;
  /** Reliability per provider name, over each provider's own and the defaults. */
  reliability?: Readonly<Record<string, Reliability>>;
}

export interface EnricherStats {
  alerts: number;
  /** Provider answers received, timeouts included. */
  lookups: number;
  lookupsPerSecond: number;
  /**
   * Of the answers of remote providers, the share that cost no request: from the provider's cache
   * or shared with a lookup already in flight. Null until a remote provider has answered.
   */
  cacheHitRate: number | null;
  timeouts: number;
  errors: number;
  /** Providers whose health is anything but ok (an unconfigured provider is not degraded). */
  degraded: ProviderHealth[];
}

interface Member {
  provider: IntelProvider;
  reliability: Reliability;
  /** Position in the provider list: the in-flight key, since two providers may share a name. */
  slot: number;
}

/** A batch's deadline: the signal handed to providers, and a promise that settles when it passes. */
interface Deadline {
  signal: AbortSignal;
  passed: Promise<undefined>;
}

interface IndicatorOutcome {
  enrichment: IndicatorEnrichment;
  withheld: Withholding | undefined;
}

const DEFAULT_TIMEOUT_MS = 5000;
const MAX_TIMEOUT_MS = 600_000;
/** Statuses that mean the enrichment lacks an answer it would normally have. */
const INCOMPLETE = new Set<ResultReason>(["quota", "rate_limited", "circuit_open", "timeout", "not_loaded"]);

/**
 * Enriches alerts with every provider's answer on every indicator of their evidence, within a
 * deadline. Allowlists are asked first; indicators that must stay on this machine go only to
 * local first-party providers. An indicator is looked up once per batch, and once across
 * concurrent calls while its lookup runs. Nothing a provider does (fail, hang, throw) delays an
 * alert past the deadline or loses it: the answer is recorded as an error or timeout.
 */
export class Enricher {
  private readonly members: Member[];
  private readonly policy: DisclosurePolicy;
  private readonly timeoutMs: number;
  private readonly shared = new SharedLookups();
  private readonly meter = new RateMeter(10);
  private counts = { alerts: 0, lookups: 0, remote: 0, remoteHits: 0, timeouts: 0, errors: 0 };

  constructor(opts: EnricherOptions) {
    if (!Array.isArray(opts.providers)) throw new TypeError("providers must be a list");
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) throw new TypeError(`timeoutMs must be between 1 and ${MAX_TIMEOUT_MS}`);
    this.timeoutMs = timeoutMs;
    for (const [name, r] of Object.entries(opts.reliability ?? {})) {
      if (!RELIABILITIES.includes(r)) throw new TypeError(`reliability of ${name} must be one of ${RELIABILITIES.join(", ")}`);
    }
    this.policy = new DisclosurePolicy({ ownDomains: opts.ownDomains, ownNetworks: opts.ownNetworks });
    this.members = opts.providers.map((provider, slot) => ({ provider, reliability: reliabilityOf(provider, opts.reliability), slot }));
  }

  enrich(alert: unknown): Promise<AlertEnrichment> {
    return this.enrichBatch([alert]).then((all) => all[0]);
  }

  /** One enrichment per alert, in order; indicators shared by several alerts are looked up once. */
  async enrichBatch(alerts: readonly unknown[]): Promise<AlertEnrichment[]> {
    const started = performance.now();
    const deadline = new AbortController();
    // Every lookup of the batch listens on this one signal; that is by design, not a leak.
    setMaxListeners(0, deadline.signal);
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    const passed = new Promise<undefined>((resolve) => deadline.signal.addEventListener("abort", () => resolve(undefined), { once: true }));
    const batch: Deadline = { signal: deadline.signal, passed };
    const outcomes = new Map<string, Promise<IndicatorOutcome>>();
    try {
      return await Promise.all(
        alerts.map(async (alert) => {
          this.counts.alerts++;
          const evidence = collectEvidence(typeof alert === "object" && alert !== null ? (alert as { evidence?: unknown }).evidence : undefined, this.policy);
          const results = await Promise.all(
            evidence.indicators.map((indicator) => {
              const key = `${indicator.type}|${indicator.value}|${indicator.withheld?.reason ?? ""}`;
              let outcome = outcomes.get(key);
              if (!outcome) outcomes.set(key, (outcome = this.enrichIndicator(indicator, batch)));
              return outcome;
            }),
          );
          const indicators = results.map((r) => r.enrichment);
          const summary = combineAlert(indicators);
          const enrichment: AlertEnrichment = {
            ...summary,
            indicators,
            withheld: results.flatMap((r) => (r.withheld ? [{ indicator: r.enrichment.indicator, type: r.enrichment.type, reason: r.withheld.reason, detail: r.withheld.detail }] : [])),
            partial: indicators.some((i) => i.results.some(isIncomplete)),
            took_ms: Math.round(performance.now() - started),
          };
          if (evidence.rejected.length > 0) enrichment.rejected = evidence.rejected;
          return enrichment;
        }),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  stats(): EnricherStats {
    const c = this.counts;
    return {
      alerts: c.alerts,
      lookups: c.lookups,
      lookupsPerSecond: this.meter.perSecond(),
      cacheHitRate: c.remote > 0 ? c.remoteHits / c.remote : null,
      timeouts: c.timeouts,
      errors: c.errors,
      degraded: this.members.map((m) => healthOf(m.provider)).filter((h) => h.state !== "ok" && h.state !== "no_key"),
    };
  }

  private async enrichIndicator(indicator: EvidenceIndicator, deadline: Deadline): Promise<IndicatorOutcome> {
    let withheld = indicator.withheld;
    const allowlists = this.members.filter((m) => m.provider.allowlist === true && this.eligible(m, indicator, withheld));
    const allowed = await this.ask(allowlists, indicator, deadline);
    const hit = allowed.find((r) => r.result.status === "ok" && r.result.verdict === "benign");
    if (hit && !withheld) withheld = { reason: "allowlisted", detail: hit.result.detail ?? hit.result.provider };
    const others = this.members.filter((m) => m.provider.allowlist !== true && this.eligible(m, indicator, withheld));
    const answered = await this.ask(others, indicator, deadline);
    return { enrichment: combineIndicator(indicator, [...allowed, ...answered]), withheld };
  }

  /** A withheld indicator goes only to providers that are the user's own and run on this machine. */
  private eligible(m: Member, indicator: EvidenceIndicator, withheld: Withholding | undefined): boolean {
    if (withheld && !(m.provider.party === "first" && m.provider.local === true)) return false;
    try {
      return m.provider.supports(indicator.type);
    } catch {
      return false;
    }
  }

  /**
   * Each member's answer, or a timeout once the deadline passes. Remote lookups are shared with
   * concurrent callers; local ones answer from memory, where sharing would cost more than it saves.
   */
  private ask(members: Member[], indicator: EvidenceIndicator, deadline: Deadline): Promise<RatedResult[]> {
    const plain = { type: indicator.type, value: indicator.value };
    return Promise.all(
      members.map(async (m) => {
        const answer =
          m.provider.local === true
            ? { result: await Promise.race([askProvider(m.provider, plain, deadline.signal), deadline.passed]), merged: false }
            : await this.shared.lookup(`${m.slot}|${indicator.type}|${indicator.value}`, m.provider, plain, deadline.signal);
        const result = answer.result ?? this.timedOut(m.provider, indicator);
        this.count(m, result, answer.merged);
        return { result, reliability: m.reliability, allowlist: m.provider.allowlist === true };
      }),
    );
  }

  private count(m: Member, result: ProviderResult, merged: boolean): void {
    const c = this.counts;
    c.lookups++;
    this.meter.add(1);
    if (result.reason === "timeout") c.timeouts++;
    else if (result.status === "error") c.errors++;
    if (m.provider.local !== true && result.reason !== "timeout") {
      c.remote++;
      if (merged || result.cached === true) c.remoteHits++;
    }
  }

  private timedOut(provider: IntelProvider, indicator: EvidenceIndicator): ProviderResult {
    return {
      provider: provider.name,
      indicator: indicator.value,
      type: indicator.type,
      verdict: "unknown",
      score: 0,
      status: "error",
      reason: "timeout",
      detail: `no answer within ${this.timeoutMs} ms`,
      data: {},
    };
  }
}

function isIncomplete(r: ProviderResult): boolean {
  return r.status === "error" || (r.status === "skipped" && r.reason !== undefined && INCOMPLETE.has(r.reason));
}

function healthOf(provider: IntelProvider): ProviderHealth {
  try {
    return provider.health();
  } catch {
    return { provider: provider.name, state: "degraded", detail: "health unavailable", lookups: 0, cacheHits: 0 };
  }
}
