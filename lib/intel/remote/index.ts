/**
 * The threat-intel providers reached over HTTP, each behind its own cache, rate limit, daily
 * quota, concurrency cap, timeout, retries and circuit breaker.
 *
 *   const made = createRemoteProviders({ virustotal: { enabled: true, key }, internetdb: { enabled: true } });
 *   if (!made.ok) → made.error names the field, e.g. "virustotal.rate.limit must be at least 1"
 *   made.value: IntelProvider[], one per enabled provider, in PROVIDER_NAMES order
 *
 * - Per provider: enabled, key, baseUrl, rate {limit, intervalMs} | null, quota (a day) | null,
 *   timeoutMs, concurrency, queue, cacheSize, retries (≤ 2), retryBaseMs, maxRetryAfterMs,
 *   breaker {failures, cooldownMs}; unset ones come from PROVIDER_DEFAULTS / COMMON_DEFAULTS.
 *   Cloudflare takes the account's `accountId`, and its API token as `key`.
 * - `lookup(indicator, signal)` never rejects. Status `ok | not_found` is the provider's answer
 *   (cached: malicious/suspicious 6 h, benign 24 h, not found and unknown 2 h); `skipped` with
 *   reason no_key | unsupported_type | quota | rate_limited | circuit_open (| not_loaded once
 *   closed) made no request; `error` with reason timeout | network | http_error | auth |
 *   bad_response did. A lookup the caller cancelled comes back as error/timeout.
 * - Concurrent lookups of one indicator share one request; the signal cancels waiting and the
 *   request, for that caller only.
 * - `health()` says e.g. `{state: "quota", detail: "quota until 00:00Z"}`.
 * - No key, token or account secret appears in any result, detail or health.
 */
import type { IntelProvider } from "../types";
import type { Parsed } from "../../schema/parsed";
import { systemClock, type Clock } from "./clock";
import { parseRemoteConfig, type ProviderSettings, type RemoteConfigInput } from "./config";
import { PROVIDER_NAMES, type RemoteProviderName } from "./defaults";
import { HttpSource, type HttpProviderSpec } from "./http-source";
import { abuseipdb } from "./providers/abuseipdb";
import { CloudflareIntelSource } from "./providers/cloudflare-intel";
import { greynoise } from "./providers/greynoise";
import { internetdb } from "./providers/internetdb";
import { otx } from "./providers/otx";
import { threatfox } from "./providers/threatfox";
import { urlhaus } from "./providers/urlhaus";
import { virustotal } from "./providers/virustotal";
import { ResilientProvider, type ResilienceSettings, type ResilienceTools } from "./resilient-provider";
import type { RemoteSource } from "./attempt";

export { CACHE_TTL_MS } from "./cache-policy";
export type { Clock } from "./clock";
export { parseRemoteConfig, type ProviderConfigInput, type ProviderSettings, type RemoteConfigInput, type RemoteSettings } from "./config";
export { COMMON_DEFAULTS, PROVIDER_DEFAULTS, PROVIDER_NAMES, type ProviderDefaults, type RemoteProviderName } from "./defaults";
export type { RateSetting } from "./rate-limiter";

export interface RemoteOptions {
  /** Default: the system clock. */
  clock?: Clock;
  /** For the back-off jitter; default Math.random. */
  random?: () => number;
}

const HTTP_SPECS: Record<Exclude<RemoteProviderName, "cloudflare">, HttpProviderSpec> = { abuseipdb, greynoise, virustotal, otx, internetdb, urlhaus, threatfox };

/** One provider per enabled entry of `config`, each with its own cache and limits. */
export function createRemoteProviders(config: RemoteConfigInput | undefined, options: RemoteOptions = {}): Parsed<IntelProvider[]> {
  const parsed = parseRemoteConfig(config);
  if (!parsed.ok) return parsed;
  const tools: ResilienceTools = { clock: options.clock ?? systemClock, random: options.random ?? Math.random };
  const providers: IntelProvider[] = [];
  for (const name of PROVIDER_NAMES) {
    const settings = parsed.value[name];
    if (!settings.enabled) continue;
    providers.push(new ResilientProvider(sourceFor(name, settings, tools), resilienceOf(settings), tools, settings.unavailable));
  }
  return { ok: true, value: providers };
}

/** The limits alone: the provider keeps these for as long as it lives, so they must not hold the key. */
function resilienceOf(s: ProviderSettings): ResilienceSettings {
  const { rate, quota, concurrency, queue, timeoutMs, retries, retryBaseMs, maxRetryAfterMs, breaker, cacheSize } = s;
  return { rate, quota, concurrency, queue, timeoutMs, retries, retryBaseMs, maxRetryAfterMs, breaker, cacheSize };
}

function sourceFor(name: RemoteProviderName, settings: ProviderSettings, tools: ResilienceTools): RemoteSource {
  if (name !== "cloudflare") {
    return new HttpSource(HTTP_SPECS[name], { baseUrl: settings.baseUrl, key: settings.key, maxResponseBytes: settings.maxResponseBytes, now: () => tools.clock.now() });
  }
  return new CloudflareIntelSource({ accountId: settings.accountId, token: settings.key, baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs });
}
