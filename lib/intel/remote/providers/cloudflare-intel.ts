import { CloudflareApiError, CloudflareClient } from "../../../cloudflare";
import type { Indicator, IndicatorType } from "../../types";
import { failure, found, notFound, type Attempt, type RemoteSource } from "../attempt";
import { compact, excerpt } from "../compact";
import { PROVIDER_DEFAULTS } from "../defaults";
import { isObject } from "../http-reply";
import { scrub } from "../scrub";

/** Going over the limit blocks every call on the token for 5 minutes, whatever Retry-After says. */
const BLOCK_MS = 300_000;
/** A domain this popular without any risk type is taken as benign (Cloudflare ranks 1–100,000). */
const POPULAR_RANK = 10_000;
const MALICIOUS_RISK = /malware|phishing|command and control|botnet|spyware|cryptomining|ransomware/i;

export interface CloudflareIntelOptions {
  accountId: string;
  token: string;
  baseUrl: string;
  timeoutMs: number;
}

/**
 * Cloudflare Intel (`/accounts/{id}/intel/ip` and `/intel/domain`) through the project's
 * Cloudflare client, so that its requests draw on the account's shared rate budget with the log
 * polls. The client retries nothing here: retries, timeout and breaker are the resilience layer's.
 * A malware, phishing or C2 risk type is malicious, any other risk type suspicious, a very
 * popular domain with none benign; no risk type is not found.
 */
export class CloudflareIntelSource implements RemoteSource {
  readonly name = "cloudflare";
  readonly party = "first" as const;
  /** Null without an account or token: the provider then skips every lookup and never asks this source. */
  private readonly client: CloudflareClient | null;
  readonly #token: string;

  constructor(opts: CloudflareIntelOptions) {
    this.#token = opts.token;
    this.client = opts.accountId !== "" && opts.token !== "" ? new CloudflareClient({ ...opts, maxRetries: 0 }) : null;
  }

  supports(type: IndicatorType): boolean {
    return PROVIDER_DEFAULTS.cloudflare.types.includes(type);
  }

  /** The client takes no signal; the resilience layer stops waiting for it on abort or timeout. */
  async request(indicator: Indicator): Promise<Attempt> {
    const client = this.client;
    if (client === null) return failure("auth", "no Cloudflare account configured");
    let attempt: Attempt;
    try {
      if (indicator.type === "domain") attempt = readDomain(await client.get<unknown>(client.accountPath("/intel/domain"), { domain: indicator.value }));
      else attempt = readIp(indicator, await client.get<unknown>(client.accountPath("/intel/ip"), { [indicator.type]: indicator.value }));
    } catch (err) {
      attempt = fromError(client, err);
    }
    // The client keeps the token out of its errors; what the API itself sent back is scrubbed here.
    return scrub(attempt, this.#token);
  }
}

function fromError(client: CloudflareClient, err: unknown): Attempt {
  if (!(err instanceof CloudflareApiError)) return failure("network", `Cloudflare Intel: ${excerpt((err as Error)?.message)}`, { retryable: true });
  const detail = `Cloudflare Intel: ${excerpt(err.message)}`;
  if (err.status === 401 || err.status === 403) return failure("auth", detail);
  if (err.status === 429) {
    // Everything on this token is blocked now, the log polls included: hold them back too.
    client.budget.blockUntil(Date.now() + BLOCK_MS);
    return failure("rate_limited", detail, { retryable: true, retryAfterMs: BLOCK_MS });
  }
  if (err.kind === "timeout") return failure("timeout", detail);
  if (err.kind === "network") return failure("network", detail, { retryable: true });
  if (err.kind === "malformed") return failure("bad_response", detail);
  return failure("http_error", detail, { retryable: err.retryable });
}

function riskNames(list: unknown): string[] {
  return Array.isArray(list) ? list.flatMap((r) => (isObject(r) && typeof r.name === "string" ? [r.name] : [])) : [];
}

function judgeRisks(risks: string[], data: Record<string, unknown>): Attempt {
  const bad = risks.filter((r) => MALICIOUS_RISK.test(r));
  const said = `risk: ${excerpt(risks.join(", "), 100)}`;
  return bad.length > 0 ? found("malicious", 90, said, data) : found("suspicious", 50, said, data);
}

/** `result`: `[{ip, belongs_to_ref, risk_types}]` */
function readIp(indicator: Indicator, result: unknown): Attempt {
  if (!Array.isArray(result)) return failure("bad_response", "Cloudflare Intel answer has no list of addresses");
  const entry = result.find((e) => isObject(e) && e.ip === indicator.value) ?? result.find(isObject);
  if (!isObject(entry)) return notFound("unknown to Cloudflare Intel");
  const owner = isObject(entry.belongs_to_ref) ? entry.belongs_to_ref : {};
  const risks = riskNames(entry.risk_types);
  const data = compact({ risk_types: risks, belongs_to: compact({ value: owner.value, type: owner.type, country: owner.country, description: owner.description }) });
  return risks.length > 0 ? judgeRisks(risks, data) : notFound("no risk types", data);
}

/** `result`: `{domain, risk_types, inherited_risk_types, content_categories, popularity_rank, additional_information, …}` */
function readDomain(result: unknown): Attempt {
  if (!isObject(result)) return failure("bad_response", "Cloudflare Intel answer has no domain object");
  const risks = [...new Set([...riskNames(result.risk_types), ...riskNames(result.inherited_risk_types)])];
  const info = isObject(result.additional_information) ? result.additional_information : {};
  const family = typeof info.suspected_malware_family === "string" && info.suspected_malware_family !== "" ? info.suspected_malware_family : null;
  const rank = typeof result.popularity_rank === "number" ? result.popularity_rank : null;
  const data = compact({
    risk_types: risks,
    content_categories: riskNames(result.content_categories),
    popularity_rank: rank,
    risk_score: result.risk_score,
    suspected_malware_family: family,
    application: isObject(result.application) ? result.application.name : undefined,
  });
  if (family !== null) return found("malicious", 90, `suspected malware family ${excerpt(family, 40)}${risks.length ? `, risk: ${excerpt(risks.join(", "), 80)}` : ""}`, data);
  if (risks.length > 0) return judgeRisks(risks, data);
  if (rank !== null && rank <= POPULAR_RANK) return found("benign", 0, `popular domain (rank ${rank}), no risk types`, data);
  return notFound("no risk types", data);
}
