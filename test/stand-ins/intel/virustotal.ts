import { createHash } from "node:crypto";
import { withRetryAfter, type IntelRequest, type ProviderArea, type Rec, type Reply } from "./area";

export type VtCollection = "ip_addresses" | "domains" | "urls" | "files";

const TYPES: Record<VtCollection, string> = { ip_addresses: "ip_address", domains: "domain", urls: "url", files: "file" };

/**
 * VirusTotal API v3 `GET /{ip_addresses|domains|urls|files}/{id}` with `x-apikey`: the object of a
 * seeded indicator as `{data: {id, type, links, attributes}}`, and the `{error: {code, message}}`
 * bodies VirusTotal documents: NotFoundError, WrongCredentialsError, QuotaExceededError,
 * TooManyRequestsError, TransientError. A URL is found by the unpadded URL-safe base64 of the URL
 * or by its SHA-256; a file by any of its MD5, SHA-1 and SHA-256.
 */
export class VirusTotalArea implements ProviderArea {
  readonly name = "virustotal" as const;
  readonly root = "/api/v3";
  readonly keyHeader = "x-apikey";
  private readonly objects = new Map<string, { id: string; attributes: Rec }>();

  /** `attributes` as VirusTotal names them (`last_analysis_stats`, `reputation`, …). */
  seed(collection: VtCollection, value: string, attributes: Rec): void {
    const entry = { id: value, attributes: structuredClone(attributes) };
    if (collection === "urls") {
      entry.id = createHash("sha256").update(value).digest("hex");
      this.objects.set(`urls/${Buffer.from(value).toString("base64url")}`, entry);
    }
    if (collection === "files") {
      for (const hash of [attributes.md5, attributes.sha1, attributes.sha256]) if (typeof hash === "string") this.objects.set(`files/${hash}`, entry);
    }
    this.objects.set(`${collection}/${entry.id}`, entry);
  }

  answer(req: IntelRequest): Reply {
    const match = /^\/(ip_addresses|domains|urls|files)\/([^/]+)$/.exec(req.path);
    if (req.method !== "GET" || !match) return this.error(404, "NotFoundError", "Resource not found");
    const collection = match[1] as VtCollection;
    const id = decodeURIComponent(match[2]);
    if (collection === "urls" && id.includes("=")) return this.error(400, "InvalidArgumentError", "URL identifiers are unpadded base64");
    const found = this.objects.get(`${collection}/${id}`);
    if (!found) return this.error(404, "NotFoundError", `${TYPES[collection]} "${id}" not found`);
    return {
      body: {
        data: {
          id: found.id,
          type: TYPES[collection],
          links: { self: `https://www.virustotal.com/api/v3/${collection}/${found.id}` },
          attributes: { last_analysis_stats: { harmless: 0, malicious: 0, suspicious: 0, undetected: 70, timeout: 0 }, reputation: 0, tags: [], ...found.attributes },
        },
      },
    };
  }

  unauthorized(req: IntelRequest): Reply {
    return req.auth === "missing"
      ? this.error(401, "AuthenticationRequiredError", "X-Apikey header is missing")
      : this.error(401, "WrongCredentialsError", "Wrong API key");
  }

  quotaExhausted(): Reply {
    return this.error(429, "QuotaExceededError", "Quota exceeded");
  }

  rateLimited(retryAfter?: number | string): Reply {
    return withRetryAfter(this.error(429, "TooManyRequestsError", "Too many requests"), retryAfter);
  }

  failure(status: number): Reply {
    if (status === 504) return this.error(504, "DeadlineExceededError", "The operation took too long to complete");
    if (status >= 500) return this.error(status, "TransientError", "Transient error, please try again later");
    return this.error(status, "BadRequestError", "Bad request");
  }

  reset(): void {
    this.objects.clear();
  }

  private error(status: number, code: string, message: string): Reply {
    return { status, body: { error: { code, message } } };
  }
}
