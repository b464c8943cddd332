import { withRetryAfter, type Reply } from "./area";

/**
 * The answers URLhaus and ThreatFox share: both run on abuse.ch's API front, refuse a bad
 * Auth-Key with `unknown_auth_key`, and publish no quota beyond fair use, so their "quota spent"
 * is a 429 asking for an hour's pause.
 */
export const abuseCh = {
  unauthorized(): Reply {
    return { status: 401, body: { query_status: "unknown_auth_key" } };
  },
  quotaExhausted(): Reply {
    return abuseCh.rateLimited(3600);
  },
  rateLimited(retryAfter?: number | string): Reply {
    return withRetryAfter({ status: 429, body: { query_status: "rate_limited" } }, retryAfter);
  },
  /** The front answers errors with an HTML page, as a proxy does. */
  failure(status: number): Reply {
    return { status, headers: { "content-type": "text/html" }, body: `<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center><hr><center>nginx</center></body></html>` };
  },
};
