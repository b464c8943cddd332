import type { IndicatorType } from "../types";
import type { BreakerSetting } from "./circuit-breaker";
import type { RateSetting } from "./rate-limiter";

export const PROVIDER_NAMES = ["abuseipdb", "greynoise", "virustotal", "otx", "internetdb", "urlhaus", "threatfox", "cloudflare"] as const;
export type RemoteProviderName = (typeof PROVIDER_NAMES)[number];

export interface ProviderDefaults {
  label: string;
  party: "first" | "third";
  /** InternetDB alone answers without a key; Cloudflare's "key" is the account's API token. */
  needsKey: boolean;
  /** Cloudflare's is the account's API root. */
  baseUrl: string;
  types: readonly IndicatorType[];
  rate: RateSetting | null;
  /** Requests per UTC day; null where the provider publishes none. */
  quota: number | null;
  concurrency: number;
  timeoutMs: number;
  /** Where the rate and quota come from, for the editor's help. */
  limits: string;
}

const IP: IndicatorType[] = ["ipv4", "ipv6"];
const HASHES: IndicatorType[] = ["md5", "sha1", "sha256"];
const MINUTE = 60_000;

/** URLhaus and ThreatFox: one vendor, one Auth-Key, one fair-use policy. */
const ABUSE_CH: Omit<ProviderDefaults, "label" | "baseUrl"> = {
  party: "third",
  needsKey: true,
  types: ["ipv4", "domain", "url", "md5", "sha256"],
  rate: { limit: 5, intervalMs: 1000 },
  quota: null,
  concurrency: 2,
  timeoutMs: 8000,
  limits: "fair use, no published numbers; 5 requests a second by default",
};

/**
 * Each provider's documented limits (free tier) as defaults. Where a provider publishes none, the
 * default is a cautious guess and `limits` says so; every number can be overridden per config.
 */
export const PROVIDER_DEFAULTS: Readonly<Record<RemoteProviderName, ProviderDefaults>> = {
  abuseipdb: {
    label: "AbuseIPDB",
    party: "third",
    needsKey: true,
    baseUrl: "https://api.abuseipdb.com/api/v2",
    types: IP,
    rate: null,
    quota: 1000,
    concurrency: 2,
    timeoutMs: 8000,
    limits: "1,000 checks a day (free plan); reset as the X-RateLimit-Reset header says",
  },
  greynoise: {
    label: "GreyNoise Community",
    party: "third",
    needsKey: true,
    baseUrl: "https://api.greynoise.io",
    types: ["ipv4"],
    rate: { limit: 1, intervalMs: 1000 },
    quota: 50,
    concurrency: 1,
    timeoutMs: 8000,
    limits: "unpublished; about 50 lookups a day is reported, so that is the default",
  },
  virustotal: {
    label: "VirusTotal",
    party: "third",
    needsKey: true,
    baseUrl: "https://www.virustotal.com/api/v3",
    types: [...IP, "domain", "url", ...HASHES],
    rate: { limit: 4, intervalMs: MINUTE },
    quota: 500,
    concurrency: 2,
    timeoutMs: 10_000,
    limits: "public API: 4 requests a minute and 500 a day, reset at 00:00 UTC; not for commercial use",
  },
  otx: {
    label: "AlienVault OTX",
    party: "third",
    needsKey: true,
    baseUrl: "https://otx.alienvault.com/api/v1",
    types: [...IP, "domain", "url", ...HASHES],
    rate: { limit: 10, intervalMs: 1000 },
    quota: null,
    concurrency: 4,
    timeoutMs: 10_000,
    limits: "unpublished; 10 requests a second by default",
  },
  internetdb: {
    label: "Shodan InternetDB",
    party: "third",
    needsKey: false,
    baseUrl: "https://internetdb.shodan.io",
    types: IP,
    rate: { limit: 1, intervalMs: 1000 },
    quota: null,
    concurrency: 1,
    timeoutMs: 8000,
    limits: "unpublished; bursts are banned for about an hour, so 1 request a second",
  },
  urlhaus: { label: "abuse.ch URLhaus", baseUrl: "https://urlhaus-api.abuse.ch/v1", ...ABUSE_CH },
  threatfox: { label: "abuse.ch ThreatFox", baseUrl: "https://threatfox-api.abuse.ch/api/v1", ...ABUSE_CH },
  cloudflare: {
    label: "Cloudflare Intel",
    party: "first",
    needsKey: true,
    baseUrl: "https://api.cloudflare.com/client/v4",
    types: [...IP, "domain"],
    rate: { limit: 1200, intervalMs: 5 * MINUTE },
    quota: null,
    concurrency: 4,
    timeoutMs: 10_000,
    limits: "1,200 requests per 5 minutes, shared with every other call on the account's token",
  },
};

/** Settings every provider shares unless its config says otherwise. */
export const COMMON_DEFAULTS = {
  /** Lookups waiting for a concurrency slot; beyond this they are skipped as rate limited. */
  queue: 1000,
  retries: 2,
  retryBaseMs: 500,
  /** A Retry-After up to this is waited for; a longer one pauses the provider instead. */
  maxRetryAfterMs: 10_000,
  breaker: { failures: 5, cooldownMs: MINUTE } satisfies BreakerSetting,
  cacheSize: 10_000,
  /** Far above any single-indicator answer (a VirusTotal file object is tens of kB). */
  maxResponseBytes: 2 * 1024 * 1024,
} as const;
