import { isIP } from "node:net";
import { withRetryAfter, type IntelRequest, type ProviderArea, type Rec, type Reply } from "./area";

const TYPES = new Set(["IPv4", "IPv6", "domain", "hostname", "url", "file"]);
/** What OTX (Django REST framework) answers a throttled client: a day's wait once its budget is gone. */
const DAY_S = 86_400;

/**
 * AlienVault OTX `GET /indicators/{type}/{value}/general` with `X-OTX-API-KEY`: the `general`
 * section of a seeded indicator; for any other valid one the same shape with no pulses (OTX's
 * "not found"); 400 for an address of the wrong family; 403 without a valid key; DRF's 429
 * "Request was throttled" with Retry-After.
 */
export class OtxArea implements ProviderArea {
  readonly name = "otx" as const;
  readonly root = "/api/v1";
  readonly keyHeader = "x-otx-api-key";
  private readonly sections = new Map<string, Rec>();

  /** `general`: `{pulse_info: {count, pulses}, validation, reputation, …}` for `type` (IPv4, hostname, file…). */
  seed(type: string, value: string, general: Rec): void {
    this.sections.set(`${type}|${value}`, structuredClone(general));
  }

  answer(req: IntelRequest): Reply {
    const match = /^\/indicators\/([^/]+)\/([^/]+)\/general$/.exec(req.path);
    if (req.method !== "GET" || !match || !TYPES.has(match[1])) return { status: 404, body: { detail: "Not found." } };
    const [type, value] = [match[1], decodeURIComponent(match[2])];
    if ((type === "IPv4" && isIP(value) !== 4) || (type === "IPv6" && isIP(value) !== 6)) return { status: 400, body: { detail: "Invalid IP address" } };
    const seeded = this.sections.get(`${type}|${value}`);
    return {
      body: {
        indicator: value,
        type,
        type_title: type,
        reputation: 0,
        validation: [],
        false_positive: [],
        sections: ["general"],
        ...seeded,
        pulse_info: { count: 0, pulses: [], references: [], related: { alienvault: { adversary: [], malware_families: [], industries: [] }, other: {} }, ...(seeded?.pulse_info as Rec) },
      },
    };
  }

  unauthorized(req: IntelRequest): Reply {
    return { status: 403, body: { detail: req.auth === "missing" ? "Authentication credentials were not provided." : "Invalid API key" } };
  }

  quotaExhausted(): Reply {
    return this.rateLimited(DAY_S);
  }

  rateLimited(retryAfter?: number | string): Reply {
    const expected = retryAfter === undefined ? "" : ` Expected available in ${retryAfter} seconds.`;
    return withRetryAfter({ status: 429, body: { detail: `Request was throttled.${expected}` } }, retryAfter);
  }

  failure(status: number): Reply {
    return { status, body: { detail: status >= 500 ? "A server error occurred." : "Bad request" } };
  }

  reset(): void {
    this.sections.clear();
  }
}
