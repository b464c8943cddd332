import type { Indicator } from "../../types";
import { bandScore, found, notFound, quotaSpent, type Attempt } from "../attempt";
import { compact, excerpt } from "../compact";
import { PROVIDER_DEFAULTS } from "../defaults";
import { badShape, isObject, jsonBody, statusFailure } from "../http-reply";
import type { HttpProviderSpec, HttpReply } from "../http-source";

/** Engines flagging it malicious that make it malicious, as XSOAR's default threshold. */
const MALICIOUS_ENGINES = 3;

/**
 * The collection path of an indicator. A URL's id is the unpadded URL-safe base64 of the URL
 * itself (Node's base64url has no padding), which VirusTotal accepts in place of its SHA-256.
 */
export function virusTotalPath(indicator: Indicator): string {
  switch (indicator.type) {
    case "ipv4":
    case "ipv6":
      return `/ip_addresses/${encodeURIComponent(indicator.value)}`;
    case "domain":
      return `/domains/${encodeURIComponent(indicator.value)}`;
    case "url":
      return `/urls/${Buffer.from(indicator.value, "utf8").toString("base64url")}`;
    default:
      return `/files/${encodeURIComponent(indicator.value)}`;
  }
}

const stat = (stats: Record<string, unknown>, name: string) => (typeof stats[name] === "number" ? (stats[name] as number) : 0);

/**
 * VirusTotal API v3 objects (IP address, domain, URL, file). `last_analysis_stats` decides: 3 or
 * more engines saying malicious is malicious, 1–2 (or 2 saying suspicious) suspicious, fewer
 * unknown; harmless counts alone never make anything benign. 404 NotFoundError is not found;
 * 429 QuotaExceededError is the daily quota (reset at 00:00 UTC), TooManyRequestsError a 429.
 */
export const virustotal: HttpProviderSpec = {
  name: "virustotal",
  types: PROVIDER_DEFAULTS.virustotal.types,
  call(indicator, key) {
    return { method: "GET", path: virusTotalPath(indicator), headers: { "x-apikey": key, accept: "application/json" } };
  },
  read(reply) {
    const body = jsonBody(reply);
    if (!body.ok) return body.failure;
    if (reply.status !== 200) return refusal(reply, body.value);
    const data = isObject(body.value) ? body.value.data : undefined;
    const attrs = isObject(data) ? data.attributes : undefined;
    if (!isObject(attrs) || !isObject(attrs.last_analysis_stats)) return badShape("VirusTotal", "data.attributes.last_analysis_stats");
    const stats = attrs.last_analysis_stats;
    const malicious = stat(stats, "malicious");
    const suspicious = stat(stats, "suspicious");
    const engines = Object.values(stats).reduce<number>((n, v) => n + (typeof v === "number" ? v : 0), 0);
    const label = isObject(attrs.popular_threat_classification) ? attrs.popular_threat_classification.suggested_threat_label : undefined;
    const kept = compact({
      last_analysis_stats: stats,
      reputation: attrs.reputation,
      tags: attrs.tags,
      suggested_threat_label: label,
      meaningful_name: attrs.meaningful_name,
      type_description: attrs.type_description,
      as_owner: attrs.as_owner,
      country: attrs.country,
      categories: attrs.categories,
      last_analysis_date: attrs.last_analysis_date,
    });
    const said = `${malicious}/${engines} engines malicious, ${suspicious} suspicious${typeof label === "string" ? ` (${excerpt(label, 60)})` : ""}`;
    if (malicious >= MALICIOUS_ENGINES) return found("malicious", bandScore("malicious", (malicious - MALICIOUS_ENGINES) / 10), said, kept);
    if (malicious >= 1 || suspicious >= 2) return found("suspicious", bandScore("suspicious", (malicious + suspicious / 2) / MALICIOUS_ENGINES), said, kept);
    return found("unknown", 0, said, kept);
  },
};

/** `{"error": {"code", "message"}}` */
function refusal(reply: HttpReply, body: unknown): Attempt {
  const error = isObject(body) && isObject(body.error) ? body.error : {};
  const code = typeof error.code === "string" ? error.code : "";
  const detail = `VirusTotal HTTP ${reply.status}${code ? ` ${code}` : ""}${error.message ? `: ${excerpt(error.message)}` : ""}`;
  if (reply.status === 404 || code === "NotFoundError") return notFound("not in VirusTotal");
  if (reply.status === 429 && code === "QuotaExceededError") return quotaSpent(detail, null);
  return statusFailure(reply, detail);
}
