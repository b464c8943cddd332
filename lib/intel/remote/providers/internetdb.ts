import { failure, found, notFound } from "../attempt";
import { compact } from "../compact";
import { PROVIDER_DEFAULTS } from "../defaults";
import { badShape, isObject, jsonBody, retryAfterMs, statusFailure } from "../http-reply";
import type { HttpProviderSpec } from "../http-source";

/** InternetDB bans clients that burst for about an hour and says so without a Retry-After. */
const BAN_MS = 3_600_000;

const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);

/**
 * Shodan InternetDB `GET /{ip}`: open ports, hostnames, tags and CVEs, as
 * context only, so the verdict is always unknown. 404 `{"detail":"No information available"}` is
 * not found. A 429 is taken as the hour-long ban it usually is: the provider pauses.
 */
export const internetdb: HttpProviderSpec = {
  name: "internetdb",
  types: PROVIDER_DEFAULTS.internetdb.types,
  call(indicator) {
    return { method: "GET", path: `/${encodeURIComponent(indicator.value)}`, headers: { accept: "application/json" } };
  },
  read(reply) {
    const body = jsonBody(reply);
    if (!body.ok) return body.failure;
    if (reply.status === 404) return notFound("no information available");
    if (reply.status === 429) {
      return failure("rate_limited", "InternetDB rate limit exceeded", { retryable: true, retryAfterMs: retryAfterMs(reply) ?? BAN_MS });
    }
    if (reply.status !== 200) return statusFailure(reply, `InternetDB HTTP ${reply.status}`);
    const d = body.value;
    if (!isObject(d) || !Array.isArray(d.ports)) return badShape("InternetDB", "ports");
    const tags = Array.isArray(d.tags) ? d.tags.filter((t) => typeof t === "string") : [];
    const detail = `${count(d.ports)} open ports, ${count(d.vulns)} CVEs${tags.length ? `, tags: ${tags.slice(0, 5).join(", ")}` : ""}`;
    return found("unknown", 0, detail, compact({ ports: d.ports, hostnames: d.hostnames, tags, vulns: d.vulns, cpes: d.cpes }));
  },
};
