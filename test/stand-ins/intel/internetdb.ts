import { isIP } from "node:net";
import { withRetryAfter, type IntelRequest, type ProviderArea, type Rec, type Reply } from "./area";

const RATE_LIMITED = "Rate limit exceeded. Contact sales@shodan.io if you need a higher rate limit.";

/**
 * Shodan InternetDB `GET /{ip}`: no key; `{ip, ports, hostnames, cpes, tags, vulns}` for a seeded
 * IP, 404 `{"detail":"No information available"}` for any other. It has no daily quota: its
 * "quota" is the ban that follows a burst, answered like its 429.
 */
export class InternetDbArea implements ProviderArea {
  readonly name = "internetdb" as const;
  readonly root = "";
  readonly keyHeader = null;
  private readonly hosts = new Map<string, Rec>();

  /** `{ip, ports, hostnames?, cpes?, tags?, vulns?}` */
  seed(records: Rec[]): void {
    for (const r of records) this.hosts.set(String(r.ip), { hostnames: [], cpes: [], tags: [], vulns: [], ...structuredClone(r) });
  }

  answer(req: IntelRequest): Reply {
    const ip = decodeURIComponent(req.path.slice(1));
    if (req.method !== "GET" || ip.includes("/")) return { status: 404, body: { detail: "Not Found" } };
    if (isIP(ip) === 0) return { status: 422, body: { detail: [{ loc: ["path", "ip"], msg: "value is not a valid IPv4 or IPv6 address", type: "value_error" }] } };
    const host = this.hosts.get(ip);
    return host ? { body: { ...host, ip } } : { status: 404, body: { detail: "No information available" } };
  }

  unauthorized(): Reply {
    return { status: 401, body: { detail: "Unauthorized" } };
  }

  quotaExhausted(): Reply {
    return { status: 429, body: { error: RATE_LIMITED } };
  }

  rateLimited(retryAfter?: number | string): Reply {
    return withRetryAfter(this.quotaExhausted(), retryAfter);
  }

  failure(status: number): Reply {
    return { status, body: { detail: status >= 500 ? "Internal Server Error" : "Bad Request" } };
  }

  reset(): void {
    this.hosts.clear();
  }
}
