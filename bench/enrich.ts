import { performance } from "node:perf_hooks";
import { Enricher } from "../lib/intel";
import { createRemoteProviders } from "../lib/intel/remote";
import { INTEL_KEYS, startIntelApi } from "../test/stand-ins/intel-api";

export interface EnrichBurst {
  alerts: number;
  distinct: number;
  latencyMs: number;
  /** Requests the provider received for the whole cold burst. */
  providerCalls: number;
  coldBurstMs: number;
  /** Per alert, enriched one after another once every answer is cached. */
  warm: { p50Us: number; p99Us: number; meanUs: number };
  /** The same alerts with no provider at all: what enrichment costs before any lookup. */
  bare: { meanUs: number };
  verdicts: Record<string, number>;
}

/** A public address per index (45.0.0.0/8 holds no special-use range). */
const publicIp = (i: number) => `45.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function alertsOver(count: number, distinct: number): Array<{ evidence: Record<string, string[]> }> {
  return Array.from({ length: count }, (_, i) => ({
    evidence: { ip: [publicIp(i % distinct), "100.96.0.12"], domain: [], url: [], user: ["jane@example.com"], host: ["JANE-LAPTOP"], hash: [] },
  }));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/**
 * A burst of alerts whose indicators repeat, against a provider stand-in with a fixed latency:
 * the provider must see at most one call per distinct indicator (shared in-flight lookups, then
 * the cache), and with a warm cache enrichment should add microseconds, not the provider's latency.
 */
export async function enrichBurst(alertCount = 10_000, distinct = 1_000, latencyMs = 20): Promise<EnrichBurst> {
  const api = await startIntelApi({ latencyMs });
  try {
    api.abuseipdb.seed(Array.from({ length: distinct }, (_, i) => ({ ipAddress: publicIp(i), abuseConfidenceScore: i % 10 === 0 ? 100 : 0, totalReports: i % 10 === 0 ? 40 : 0 })));
    const made = createRemoteProviders({ abuseipdb: { enabled: true, key: INTEL_KEYS.abuseipdb, baseUrl: api.baseUrl("abuseipdb"), rate: null, quota: null, concurrency: 32, queue: alertCount } });
    if (!made.ok) throw new Error(made.error);
    const enricher = new Enricher({ providers: made.value, timeoutMs: 120_000 });
    const alerts = alertsOver(alertCount, distinct);

    const coldStart = performance.now();
    const cold = await Promise.all(alerts.map((a) => enricher.enrich(a)));
    const coldBurstMs = performance.now() - coldStart;
    const providerCalls = api.count("abuseipdb");
    const leaked = api.requestsTo("abuseipdb").find((r) => !/ipAddress=45\./.test(r.search));
    if (leaked) throw new Error(`a request asked about something other than the public addresses: ${leaked.search}`);
    const verdicts: Record<string, number> = {};
    for (const e of cold) verdicts[e.verdict] = (verdicts[e.verdict] ?? 0) + 1;

    const times: number[] = [];
    for (const a of alerts) {
      const t = performance.now();
      await enricher.enrich(a);
      times.push((performance.now() - t) * 1000);
    }
    if (api.count("abuseipdb") !== providerCalls) throw new Error("a warm lookup reached the provider");
    times.sort((x, y) => x - y);

    const none = new Enricher({ providers: [], timeoutMs: 120_000 });
    const t0 = performance.now();
    for (const a of alerts) await none.enrich(a);
    const bareMeanUs = ((performance.now() - t0) * 1000) / alerts.length;
    await Promise.all(made.value.map((p) => p.close()));
    return {
      alerts: alertCount,
      distinct,
      latencyMs,
      providerCalls,
      coldBurstMs,
      warm: { p50Us: percentile(times, 0.5), p99Us: percentile(times, 0.99), meanUs: times.reduce((s, x) => s + x, 0) / times.length },
      bare: { meanUs: bareMeanUs },
      verdicts,
    };
  } finally {
    await api.close();
  }
}
