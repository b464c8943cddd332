import type { Indicator } from "../../types";
import { found, notFound } from "../attempt";
import { compact, excerpt } from "../compact";
import { PROVIDER_DEFAULTS } from "../defaults";
import { badShape, isObject } from "../http-reply";
import type { HttpProviderSpec } from "../http-source";
import { abuseChBody } from "./abuse-ch";

/**
 * The query for an indicator. ThreatFox stores addresses as `ip:port`, so an address is searched
 * without exact match and the answers are filtered here to that address on any port.
 */
function query(indicator: Indicator): Record<string, unknown> {
  if (indicator.type === "md5" || indicator.type === "sha256") return { query: "search_hash", hash: indicator.value };
  return { query: "search_ioc", search_term: indicator.value, exact_match: indicator.type !== "ipv4" };
}

function matches(indicator: Indicator, ioc: unknown): boolean {
  if (indicator.type !== "ipv4") return true;
  return typeof ioc === "string" && (ioc === indicator.value || ioc.startsWith(`${indicator.value}:`));
}

/**
 * abuse.ch ThreatFox `POST /` with a JSON query (`search_ioc`, `search_hash`), Auth-Key header.
 * The highest `confidence_level` decides: 75 or more malicious, 50–74 suspicious, lower unknown.
 */
export const threatfox: HttpProviderSpec = {
  name: "threatfox",
  types: PROVIDER_DEFAULTS.threatfox.types,
  call(indicator, key) {
    return {
      method: "POST",
      path: "/",
      headers: { "auth-key": key, accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify(query(indicator)),
    };
  },
  read(reply, indicator) {
    const got = abuseChBody("ThreatFox", reply, "no_result");
    if (!got.ok) return got.attempt;
    if (!Array.isArray(got.body.data)) return badShape("ThreatFox", "data list");
    const iocs = got.body.data.filter((d): d is Record<string, unknown> => isObject(d) && matches(indicator, d.ioc));
    if (iocs.length === 0) return notFound("not in ThreatFox");
    const confidence = (d: Record<string, unknown>) => (typeof d.confidence_level === "number" ? Math.min(100, Math.max(0, d.confidence_level)) : 0);
    const top = iocs.reduce((best, d) => (confidence(d) > confidence(best) ? d : best));
    const level = confidence(top);
    const kept = compact({
      ioc_count: iocs.length,
      threat_type: top.threat_type,
      malware_printable: top.malware_printable,
      confidence_level: level,
      first_seen: top.first_seen,
      last_seen: top.last_seen,
      tags: top.tags,
      iocs: iocs.slice(0, 5).map((d) => compact({ ioc: d.ioc, ioc_type: d.ioc_type, threat_type: d.threat_type, malware_printable: d.malware_printable })),
    });
    const said = `${excerpt(top.malware_printable ?? "malware", 40)} ${excerpt(top.threat_type ?? "", 30)} (confidence ${level}%)`.replace(/\s+\(/, " (");
    if (level >= 75) return found("malicious", level, said, kept);
    if (level >= 50) return found("suspicious", level, said, kept);
    return found("unknown", Math.min(24, level), said, kept);
  },
};
