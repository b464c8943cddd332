import type { DisclosurePolicy, Withholding } from "./disclosure-policy";
import { hashTypeOf, normalizeAddress, normalizeIndicator, type Normalized } from "./indicator";
import type { AlertEnrichment, Indicator, IndicatorType } from "./types";

/** An indicator found in an alert's evidence, and why it must stay on this machine if it must. */
export interface EvidenceIndicator extends Indicator {
  withheld?: Withholding;
}

export type RejectedEvidence = NonNullable<AlertEnrichment["rejected"]>[number];

export interface CollectedEvidence {
  indicators: EvidenceIndicator[];
  rejected: RejectedEvidence[];
}

/** Values read per evidence kind; an alert from elsewhere in a flow may carry anything. */
const MAX_VALUES_PER_KIND = 200;
/** Distinct indicators per alert. */
const MAX_INDICATORS = 300;
const PREVIEW_LENGTH = 64;

type Reader = (value: unknown) => Normalized | undefined;

/**
 * How each evidence bucket (Alert.evidence) becomes an indicator. Users are indicators only when
 * they are emails; a user name names nobody outside the organisation. Host names are the user's
 * devices: looked up only in the user's own data.
 */
const READERS: ReadonlyArray<[string, Reader]> = [
  ["ip", normalizeAddress],
  ["domain", (v) => normalizeIndicator("domain", v)],
  ["url", (v) => normalizeIndicator("url", v)],
  ["user", (v) => (typeof v === "string" && v.includes("@") ? normalizeIndicator("email", v) : undefined)],
  ["host", (v) => normalizeIndicator("domain", v)],
  ["hash", (v) => {
    const type: IndicatorType | undefined = typeof v === "string" ? hashTypeOf(v.trim()) : undefined;
    return type ? normalizeIndicator(type, v) : { ok: false, reason: "not an MD5, SHA-1 or SHA-256 hash" };
  }],
];

const HOST_ONLY: Withholding = { reason: "first_party_only", detail: "host name" };

/**
 * The alert's indicators, normalized and de-duplicated, each marked with why it is withheld from
 * remote providers; and the values that are no indicator, with the reason. Never throws.
 */
export function collectEvidence(evidence: unknown, policy: DisclosurePolicy): CollectedEvidence {
  const found = new Map<string, EvidenceIndicator>();
  const rejected: RejectedEvidence[] = [];
  if (evidence === undefined || evidence === null) return { indicators: [], rejected };
  if (typeof evidence !== "object" || Array.isArray(evidence)) {
    return { indicators: [], rejected: [{ evidence: "evidence", value: preview(evidence), reason: "not an object" }] };
  }
  const buckets = evidence as Record<string, unknown>;
  let dropped = 0;
  for (const [kind, read] of READERS) {
    const bucket = buckets[kind];
    if (bucket === undefined || bucket === null) continue;
    const values = Array.isArray(bucket) ? bucket : [bucket];
    if (values.length > MAX_VALUES_PER_KIND) rejected.push({ evidence: kind, value: `${values.length} values`, reason: `more than ${MAX_VALUES_PER_KIND}; the rest were not read` });
    for (const value of values.slice(0, MAX_VALUES_PER_KIND)) {
      const n = read(value);
      if (!n) continue;
      if (!n.ok) {
        rejected.push({ evidence: kind, value: preview(value), reason: n.reason });
        continue;
      }
      const key = `${n.indicator.type}|${n.indicator.value}`;
      const withheld = policy.withhold(n.indicator) ?? (kind === "host" ? HOST_ONLY : undefined);
      const seen = found.get(key);
      if (seen) {
        // The same value as a host name and as a domain: the stricter reading wins.
        if (!seen.withheld && withheld) seen.withheld = withheld;
      } else if (found.size >= MAX_INDICATORS) dropped++;
      else found.set(key, withheld ? { ...n.indicator, withheld } : { ...n.indicator });
    }
  }
  if (dropped > 0) rejected.push({ evidence: "evidence", value: `${dropped} indicators`, reason: `more than ${MAX_INDICATORS} distinct indicators; the rest were not looked up` });
  return { indicators: [...found.values()], rejected };
}

/** A short, printable rendering of an untrusted value for reports. */
function preview(value: unknown): string {
  const text = typeof value === "string" ? value : typeof value === "object" ? Object.prototype.toString.call(value) : String(value);
  const printable = text.slice(0, PREVIEW_LENGTH).replace(/[\p{Cc}\p{Cf}]/gu, "\uFFFD");
  return text.length > PREVIEW_LENGTH ? `${printable}…` : printable;
}
