import { isIP } from "node:net";
import { untilUtcMidnight, withRetryAfter, type IntelRequest, type ProviderArea, type Rec, type Reply } from "./area";

const LIMIT_HEADER = "x-ratelimit-limit";

/**
 * AbuseIPDB APIv2 `GET /check?ipAddress=`: `{data: {...}}` for any public IP (score 0 and no
 * reports when nobody reported it), 422 for a bad address, 401 for a bad key, and once the daily
 * limit is used up the 429 with X-RateLimit-* and Retry-After headers that AbuseIPDB sends.
 */
export class AbuseIpdbArea implements ProviderArea {
  readonly name = "abuseipdb" as const;
  readonly root = "/api/v2";
  readonly keyHeader = "key";
  /** Checks a day before the quota answer; lower it to test exhaustion. */
  dailyLimit = 1000;
  private used = 0;
  private readonly reports = new Map<string, Rec>();

  /** `{ipAddress, abuseConfidenceScore, totalReports, ...}`; unset fields get plausible values. */
  seed(records: Rec[]): void {
    for (const r of records) this.reports.set(String(r.ipAddress), structuredClone(r));
  }

  answer(req: IntelRequest): Reply {
    if (req.method !== "GET" || req.path !== "/check") return this.error(404, "Not found");
    if (this.used >= this.dailyLimit) return this.quotaExhausted();
    this.used++;
    const headers = { [LIMIT_HEADER]: String(this.dailyLimit), "x-ratelimit-remaining": String(this.dailyLimit - this.used) };
    const ip = req.query.get("ipAddress") ?? "";
    if (isIP(ip) === 0) {
      return { ...this.error(422, "The ip address must be a valid IPv4 or IPv6 address (e.g. 8.8.8.8 or 2001:4860:4860::8888)."), headers };
    }
    const seeded = this.reports.get(ip);
    const data = {
      ipAddress: ip,
      isPublic: true,
      ipVersion: isIP(ip),
      isWhitelisted: false,
      abuseConfidenceScore: 0,
      countryCode: null,
      usageType: null,
      isp: "Example Hosting",
      domain: "example.net",
      hostnames: [],
      isTor: false,
      totalReports: 0,
      numDistinctUsers: 0,
      lastReportedAt: null,
      ...seeded,
    };
    return { headers, body: { data } };
  }

  unauthorized(): Reply {
    return this.error(401, "Authentication failed. Your API key is either missing, incorrect, or revoked. Note: The APIv2 key differs from the APIv1 key.");
  }

  quotaExhausted(): Reply {
    const reset = untilUtcMidnight();
    return {
      ...this.error(429, `Daily rate limit of ${this.dailyLimit} requests exceeded for this endpoint. See headers for additional details.`),
      headers: {
        "retry-after": String(reset.seconds),
        [LIMIT_HEADER]: String(this.dailyLimit),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(reset.epoch),
      },
    };
  }

  rateLimited(retryAfter?: number | string): Reply {
    return withRetryAfter(this.error(429, "Too Many Attempts."), retryAfter);
  }

  failure(status: number): Reply {
    return this.error(status, status >= 500 ? "Server Error" : "Bad Request");
  }

  reset(): void {
    this.used = 0;
    this.dailyLimit = 1000;
    this.reports.clear();
  }

  private error(status: number, detail: string): Reply {
    return { status, body: { errors: [{ detail, status }] } };
  }
}
