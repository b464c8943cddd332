import { failure, found, notFound, quotaSpent } from "../attempt";
import { compact, excerpt } from "../compact";
import { PROVIDER_DEFAULTS } from "../defaults";
import { badShape, isObject, jsonBody, statusFailure } from "../http-reply";
import type { HttpProviderSpec } from "../http-source";

/**
 * GreyNoise Community `GET /v3/community/{ip}`. RIOT ("rule it out": a known business service)
 * is benign; a scanner classified malicious is suspicious (scanning the whole internet is not an
 * attack on us); a benign scanner is benign; other noise is unknown. 404 ("not observed") is not
 * found. Its 429 names the daily limit, which resets at 00:00 UTC.
 */
export const greynoise: HttpProviderSpec = {
  name: "greynoise",
  types: PROVIDER_DEFAULTS.greynoise.types,
  call(indicator, key) {
    return { method: "GET", path: `/v3/community/${encodeURIComponent(indicator.value)}`, headers: { key, accept: "application/json" } };
  },
  read(reply) {
    const body = jsonBody(reply);
    if (!body.ok) return body.failure;
    const b = isObject(body.value) ? body.value : {};
    const message = excerpt(b.message);
    if (reply.status === 404) return notFound(message || "not observed");
    if (reply.status === 429 && /day|daily/i.test(`${message} ${String(b["rate-limit"] ?? "")}`)) return quotaSpent(`GreyNoise: ${message}`, null);
    if (reply.status === 401) return failure("auth", "GreyNoise rejected the API key");
    if (reply.status !== 200) return statusFailure(reply, `GreyNoise HTTP ${reply.status}${message ? `: ${message}` : ""}`);
    if (typeof b.noise !== "boolean" || typeof b.riot !== "boolean") return badShape("GreyNoise", "noise and riot flags");
    const kept = compact({ noise: b.noise, riot: b.riot, classification: b.classification, name: b.name, link: b.link, last_seen: b.last_seen });
    const name = typeof b.name === "string" && b.name !== "unknown" ? ` (${excerpt(b.name, 60)})` : "";
    if (b.riot) return found("benign", 0, `RIOT: known business service${name}`, kept);
    if (b.classification === "malicious") return found("suspicious", 70, `scanning the internet, classified malicious${name}`, kept);
    if (b.classification === "benign") return found("benign", 0, `benign scanner${name}`, kept);
    return found("unknown", b.noise ? 15 : 0, b.noise ? `scanning the internet${name}` : message || "observed", kept);
  },
};
