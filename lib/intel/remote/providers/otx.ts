import type { Indicator } from "../../types";
import { bandScore, failure, found, notFound } from "../attempt";
import { compact, excerpt } from "../compact";
import { PROVIDER_DEFAULTS } from "../defaults";
import { badShape, isObject, jsonBody, statusFailure } from "../http-reply";
import type { HttpProviderSpec } from "../http-source";

/** Pulses that make an indicator as suspicious as OTX alone can make it. */
const PULSES_FOR_FULL_STRENGTH = 20;

/**
 * OTX's indicator type. A name of two labels is asked as a `domain`, a longer one as a
 * `hostname`: without the public suffix list this cannot tell `example.co.uk` from a host, but
 * OTX answers both sections for either, only filing them differently.
 */
export function otxType(indicator: Indicator): string {
  switch (indicator.type) {
    case "ipv4":
      return "IPv4";
    case "ipv6":
      return "IPv6";
    case "domain":
      return indicator.value.split(".").length <= 2 ? "domain" : "hostname";
    case "url":
      return "url";
    default:
      return "file";
  }
}

const names = (list: unknown, field: string) =>
  Array.isArray(list) ? list.flatMap((item) => (isObject(item) && typeof item[field] === "string" ? [item[field] as string] : [])) : [];

/**
 * AlienVault OTX `GET /indicators/{type}/{value}/general`. An entry in `validation` (OTX's own
 * allowlist: popular domains, known infrastructure) makes it benign. Pulses only make it
 * suspicious, never malicious: popular benign infrastructure sits in many of them. No pulses is
 * not found, as is a 404.
 */
export const otx: HttpProviderSpec = {
  name: "otx",
  types: PROVIDER_DEFAULTS.otx.types,
  call(indicator, key) {
    return {
      method: "GET",
      path: `/indicators/${otxType(indicator)}/${encodeURIComponent(indicator.value)}/general`,
      headers: { "x-otx-api-key": key, accept: "application/json" },
    };
  },
  read(reply) {
    const body = jsonBody(reply);
    if (!body.ok) return body.failure;
    const b = isObject(body.value) ? body.value : {};
    if (reply.status === 404) return notFound("not in OTX");
    if (reply.status === 401 || reply.status === 403) return failure("auth", "OTX rejected the API key");
    if (reply.status !== 200) return statusFailure(reply, `OTX HTTP ${reply.status}${b.detail ? `: ${excerpt(b.detail)}` : ""}`);
    const pulseInfo = b.pulse_info;
    if (!isObject(pulseInfo) || typeof pulseInfo.count !== "number") return badShape("OTX", "pulse_info.count");
    const pulses = Array.isArray(pulseInfo.pulses) ? pulseInfo.pulses.filter(isObject) : [];
    const validation = names(b.validation, "name");
    const related = isObject(pulseInfo.related) && isObject(pulseInfo.related.alienvault) ? pulseInfo.related.alienvault : {};
    const kept = compact({
      pulse_count: pulseInfo.count,
      pulses: pulses.slice(0, 5).map((p) => compact({ name: p.name, created: p.created, tags: p.tags, adversary: p.adversary, TLP: p.TLP })),
      malware_families: related.malware_families,
      adversary: related.adversary,
      validation,
      false_positive: b.false_positive,
      reputation: b.reputation,
      country_code: b.country_code,
      asn: b.asn,
    });
    if (validation.length > 0) return found("benign", 0, `OTX validation: ${excerpt(validation.join(", "), 100)}`, kept);
    if (pulseInfo.count <= 0) return notFound("in no OTX pulse", kept);
    const first = pulses.length > 0 && typeof pulses[0].name === "string" ? `, e.g. "${excerpt(pulses[0].name, 60)}"` : "";
    return found("suspicious", bandScore("suspicious", pulseInfo.count / PULSES_FOR_FULL_STRENGTH), `in ${pulseInfo.count} OTX pulses${first}`, kept);
  },
};
