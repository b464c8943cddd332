import { withRetryAfter, type IntelAreaName, type IntelRequest, type ProviderArea, type Reply } from "./area";

/**
 * What URLhaus and ThreatFox share: both run on abuse.ch's API front, take the `Auth-Key` header,
 * refuse a bad one with `unknown_auth_key`, and publish no quota beyond fair use, so their "quota
 * spent" is a 429 asking for an hour's pause.
 */
export abstract class AbuseChArea implements ProviderArea {
  abstract readonly name: IntelAreaName;
  abstract readonly root: string;
  readonly keyHeader = "auth-key";

  abstract answer(req: IntelRequest): Reply;
  abstract reset(): void;

  unauthorized(): Reply {
    return { status: 401, body: { query_status: "unknown_auth_key" } };
  }

  quotaExhausted(): Reply {
    return this.rateLimited(3600);
  }

  rateLimited(retryAfter?: number | string): Reply {
    return withRetryAfter({ status: 429, body: { query_status: "rate_limited" } }, retryAfter);
  }

  /** The front answers errors with an HTML page, as a proxy does. */
  failure(status: number): Reply {
    return { status, headers: { "content-type": "text/html" }, body: `<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center><hr><center>nginx</center></body></html>` };
  }
}
