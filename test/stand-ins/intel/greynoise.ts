import { isIP } from "node:net";
import { withRetryAfter, type IntelRequest, type ProviderArea, type Rec, type Reply } from "./area";

const NOT_OBSERVED = "IP not observed scanning the internet or contained in RIOT data set.";

/**
 * GreyNoise Community `GET /v3/community/{ip}` with the `key` header: the community record of a
 * seeded IP, 404 with "not observed" for any other, 400 for what is not a routable IPv4, and the
 * 429 naming the daily limit once the (unpublished, so settable) quota is spent.
 */
export class GreyNoiseArea implements ProviderArea {
  readonly name = "greynoise" as const;
  readonly root = "";
  readonly keyHeader = "key";
  private readonly records = new Map<string, Rec>();

  /** `{ip, noise, riot, classification?, name?, last_seen?}` */
  seed(records: Rec[]): void {
    for (const r of records) this.records.set(String(r.ip), structuredClone(r));
  }

  answer(req: IntelRequest): Reply {
    const match = /^\/v3\/community\/([^/]+)$/.exec(req.path);
    if (req.method !== "GET" || !match) return { status: 404, body: { message: "Not Found" } };
    const ip = decodeURIComponent(match[1]);
    if (isIP(ip) !== 4) return { status: 400, body: { ip, message: "Request is not a valid routable IPv4 address" } };
    const seeded = this.records.get(ip);
    if (!seeded) return { status: 404, body: { ip, noise: false, riot: false, message: NOT_OBSERVED } };
    return {
      body: {
        ip,
        noise: false,
        riot: false,
        classification: "unknown",
        name: "unknown",
        link: `https://viz.greynoise.io/ip/${ip}`,
        last_seen: "2026-11-21",
        message: "Success",
        ...seeded,
      },
    };
  }

  unauthorized(): Reply {
    return { status: 401, body: { message: "Authentication failed: invalid API key" } };
  }

  quotaExhausted(): Reply {
    return {
      status: 429,
      body: {
        plan: "community",
        "rate-limit": "50-lookups/day",
        plan_url: "https://greynoise.io/pricing",
        message: "You have hit your daily rate limit of 50 requests for community users. Please upgrade your plan.",
      },
    };
  }

  rateLimited(retryAfter?: number | string): Reply {
    return withRetryAfter({ status: 429, body: { message: "Too many requests, slow down" } }, retryAfter);
  }

  failure(status: number): Reply {
    return { status, body: { message: status >= 500 ? "Internal Server Error" : "Bad Request" } };
  }

  reset(): void {
    this.records.clear();
  }
}
