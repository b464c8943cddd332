import { failure, found, notFound, quotaSpent, type Attempt, type QuotaHint } from "../attempt";
import { compact, excerpt } from "../compact";
import { PROVIDER_DEFAULTS } from "../defaults";
import { badShape, isObject, jsonBody, retryAfterMs, statusFailure } from "../http-reply";
import type { HttpProviderSpec, HttpReply } from "../http-source";

/** The report window asked for; AbuseIPDB's own default. */
const MAX_AGE_DAYS = 30;

/**
 * AbuseIPDB `GET /check`. Whitelisted → benign; confidence ≥ 75 malicious,
 * 25–74 suspicious, lower unknown; no reports at all → not found. Every answer carries the
 * X-RateLimit-* headers, which keep the daily quota in step with AbuseIPDB's own count.
 */
export const abuseipdb: HttpProviderSpec = {
  name: "abuseipdb",
  types: PROVIDER_DEFAULTS.abuseipdb.types,
  call(indicator, key) {
    const query = new URLSearchParams({ ipAddress: indicator.value, maxAgeInDays: String(MAX_AGE_DAYS) });
    return { method: "GET", path: `/check?${query}`, headers: { key, accept: "application/json" } };
  },
  read(reply) {
    const attempt = readCheck(reply);
    const quota = quotaHint(reply);
    return quota && attempt.kind !== "quota" ? { ...attempt, quota } : attempt;
  },
};

function readCheck(reply: HttpReply): Attempt {
  const body = jsonBody(reply);
  if (!body.ok) return body.failure;
  if (reply.status !== 200) return refusal(reply, body.value);
  const data = isObject(body.value) ? body.value.data : undefined;
  if (!isObject(data) || typeof data.abuseConfidenceScore !== "number") return badShape("AbuseIPDB", "data.abuseConfidenceScore");
  const confidence = Math.min(100, Math.max(0, data.abuseConfidenceScore));
  const reports = typeof data.totalReports === "number" ? data.totalReports : 0;
  const kept = compact({
    abuseConfidenceScore: confidence,
    totalReports: reports,
    numDistinctUsers: data.numDistinctUsers,
    lastReportedAt: data.lastReportedAt,
    isWhitelisted: data.isWhitelisted,
    isTor: data.isTor,
    usageType: data.usageType,
    isp: data.isp,
    domain: data.domain,
    countryCode: data.countryCode,
  });
  if (data.isWhitelisted === true) return found("benign", 0, "whitelisted by AbuseIPDB", kept);
  if (confidence === 0 && reports === 0) return notFound(`no reports in ${MAX_AGE_DAYS} days`, kept);
  // The confidence is on the same scale as our score, bands included.
  const verdict = confidence >= 75 ? "malicious" : confidence >= 25 ? "suspicious" : "unknown";
  const users = typeof data.numDistinctUsers === "number" ? ` from ${data.numDistinctUsers} users` : "";
  return found(verdict, confidence, `abuse confidence ${confidence}%, ${reports} reports${users}`, kept);
}

/** A non-200 answer: `{"errors":[{"detail","status"}]}`; a 429 naming the daily limit is the quota. */
function refusal(reply: HttpReply, body: unknown): Attempt {
  const errors = isObject(body) && Array.isArray(body.errors) ? body.errors : [];
  const said = errors.map((e) => (isObject(e) ? excerpt(e.detail) : "")).filter(Boolean).join("; ");
  const detail = `AbuseIPDB HTTP ${reply.status}${said ? `: ${said}` : ""}`;
  if (reply.status === 429) {
    const hint = quotaHint(reply);
    if (/daily rate limit/i.test(said) || hint?.remaining === 0) {
      const waited = retryAfterMs(reply);
      return quotaSpent(detail, hint?.resetAt ?? (waited === null ? null : reply.now + waited));
    }
  }
  if (reply.status === 401) return failure("auth", "AbuseIPDB rejected the API key");
  return statusFailure(reply, detail);
}

/** X-RateLimit-Remaining and X-RateLimit-Reset (epoch seconds). */
function quotaHint(reply: HttpReply): QuotaHint | undefined {
  const remaining = Number(reply.headers["x-ratelimit-remaining"]);
  if (reply.headers["x-ratelimit-remaining"] === undefined || !Number.isFinite(remaining)) return undefined;
  const reset = Number(reply.headers["x-ratelimit-reset"]);
  return { remaining, resetAt: Number.isFinite(reset) && reset > 0 ? reset * 1000 : null };
}
