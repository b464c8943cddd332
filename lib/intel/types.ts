/**
 * Threat-intel contracts (DESIGN §5): what every provider returns and what the alert carries.
 * Providers differ in transport (HTTP API, downloaded feed, the user's own files) but all answer
 * one indicator at a time with a ProviderResult, so the enricher can fan out without knowing them.
 */

export type IndicatorType = "ipv4" | "ipv6" | "domain" | "url" | "email" | "md5" | "sha1" | "sha256";

export type Verdict = "malicious" | "suspicious" | "benign" | "unknown";

export type ResultStatus = "ok" | "not_found" | "skipped" | "error";

/** How far a provider's verdicts are trusted, on the Admiralty / XSOAR scale: A+ best, F cannot be judged. */
export type Reliability = "A+" | "A" | "B" | "C" | "D" | "E" | "F";

/** An indicator after normalization: compressed IPv6, lower-case host, no URL fragment, lower-case hash. */
export interface Indicator {
  type: IndicatorType;
  value: string;
}

/** Why a provider skipped an indicator or failed on it; stable words to route on. */
export type ResultReason =
  | "no_key"
  | "unsupported_type"
  | "private_address"
  | "own_domain"
  /** Emails and host names: looked up only in the user's own data on this machine. */
  | "first_party_only"
  | "allowlisted"
  | "quota"
  | "rate_limited"
  | "circuit_open"
  | "timeout"
  | "auth"
  | "http_error"
  | "network"
  | "bad_response"
  | "not_loaded";

export interface ProviderResult {
  provider: string;
  indicator: string;
  type: IndicatorType;
  verdict: Verdict;
  /** 0–100: how bad the provider thinks it is. */
  score: number;
  status: ResultStatus;
  /** Set for `skipped` and `error`. */
  reason?: ResultReason;
  /** A human line for the analyst: what the provider said or why it said nothing. */
  detail?: string;
  /** True when the answer came from the cache rather than the provider. */
  cached?: boolean;
  /** The provider's own fields that back the verdict, size-capped; untrusted text. */
  data: Record<string, unknown>;
}

/** How a provider is doing, for the node status and the enrichment's provider table. */
export interface ProviderHealth {
  provider: string;
  state: "ok" | "degraded" | "quota" | "circuit_open" | "no_key" | "not_loaded";
  /** e.g. "quota until 00:00Z", "3 failures", "412 IOCs". */
  detail?: string;
  lookups: number;
  cacheHits: number;
}

export interface IntelProvider {
  readonly name: string;
  /** First-party: the user's own data or their Cloudflare account; third-party: everything else. */
  readonly party: "first" | "third";
  /**
   * True when lookups never leave this machine (the user's files, downloaded lists); absent means
   * remote. Private addresses, own domains, emails and host names go only to providers that are
   * both first-party and local.
   */
  readonly local?: boolean;
  /**
   * True for the user's allowlists: asked before the others; a hit makes the indicator benign,
   * overrides every other verdict, and keeps it from remote providers.
   */
  readonly allowlist?: boolean;
  /** Default reliability of this provider's verdicts; the enricher's options may override it. */
  readonly reliability?: Reliability;
  supports(type: IndicatorType): boolean;
  /**
   * Never rejects: failures, timeouts and quota come back as a result with status `error` or
   * `skipped`. The signal aborts the lookup when the enricher's per-alert deadline passes.
   */
  lookup(indicator: Indicator, signal: AbortSignal): Promise<ProviderResult>;
  health(): ProviderHealth;
  close(): Promise<void>;
}

/** One indicator's combined verdict, with the reasoning that produced it. */
export interface IndicatorEnrichment {
  indicator: string;
  type: IndicatorType;
  verdict: Verdict;
  score: number;
  /** Which provider said what, in the order that decided the verdict, e.g. "abuseipdb: malicious (97)". */
  reasons: string[];
  results: ProviderResult[];
}

/** `alert.enrichment` (DESIGN §3.3). */
export interface AlertEnrichment {
  verdict: Verdict;
  score: number;
  reasons: string[];
  indicators: IndicatorEnrichment[];
  /** Indicators that were never sent out, and why (private address, own domain, email). */
  withheld: Array<{ indicator: string; type: IndicatorType; reason: ResultReason; detail?: string }>;
  /** Evidence values that are not indicators (malformed, oversized, hostile), shortened, with why. */
  rejected?: Array<{ evidence: string; value: string; reason: string }>;
  /** True when some provider erred, timed out, was over quota or had its breaker open. */
  partial: boolean;
  /** Milliseconds the enrichment took. */
  took_ms: number;
}
