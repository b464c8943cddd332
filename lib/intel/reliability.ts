import type { IntelProvider, Reliability } from "./types";

/**
 * Default reliability by provider, keyed by the name with everything but letters and digits
 * removed, so `cloudflare-intel` and `cloudflare_intel` are one. The user's own data and Spamhaus
 * DROP ("drop all traffic") are trusted completely; the established reputation services usually;
 * OTX pulses and Tor membership fairly (popular benign hosts sit in many pulses, Tor is not
 * malicious by itself); InternetDB gives context, never a verdict.
 */
const DEFAULTS: Readonly<Record<string, Reliability>> = {
  iocfiles: "A",
  allowlist: "A",
  spamhausdrop: "A",
  abuseipdb: "B",
  virustotal: "B",
  threatfox: "B",
  urlhaus: "B",
  greynoise: "B",
  cloudflareintel: "B",
  otx: "C",
  alienvaultotx: "C",
  torexit: "C",
  internetdb: "F",
  shodaninternetdb: "F",
};

/** A provider nobody rated: enough for its word to make an indicator suspicious, not malicious alone. */
const UNRATED: Reliability = "C";

const RANK: Readonly<Record<Reliability, number>> = { "A+": 6, A: 5, B: 4, C: 3, D: 2, E: 1, F: 0 };

/** How much of a provider's score counts toward the indicator's score. */
const WEIGHT: Readonly<Record<Reliability, number>> = { "A+": 1, A: 1, B: 0.9, C: 0.7, D: 0.5, E: 0.3, F: 0 };

export const RELIABILITIES: readonly Reliability[] = ["A+", "A", "B", "C", "D", "E", "F"];

/** The configured override, else what the provider says of itself, else the table above. */
export function reliabilityOf(provider: IntelProvider, overrides: Readonly<Record<string, Reliability>> = {}): Reliability {
  return overrides[provider.name] ?? provider.reliability ?? DEFAULTS[provider.name.toLowerCase().replace(/[^a-z0-9]/g, "")] ?? UNRATED;
}

/** True if `r` is at least as reliable as `floor`. */
export function atLeast(r: Reliability, floor: Reliability): boolean {
  return RANK[r] >= RANK[floor];
}

export function compareReliability(a: Reliability, b: Reliability): number {
  return RANK[b] - RANK[a];
}

export function scoreWeight(r: Reliability): number {
  return WEIGHT[r];
}
