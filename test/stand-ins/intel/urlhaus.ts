import { AbuseChArea } from "./abuse-ch";
import type { IntelRequest, Rec, Reply } from "./area";

const MD5 = /^[0-9a-f]{32}$/i;
const SHA256 = /^[0-9a-f]{64}$/i;

/**
 * abuse.ch URLhaus: form-encoded `POST /url/`, `/host/` and `/payload/` with the `Auth-Key`
 * header. Seeded URLs answer `/url/`, and are gathered by their host for `/host/`; seeded
 * payloads answer `/payload/`. Outcomes are in `query_status`: ok, no_results, invalid_url,
 * invalid_host, invalid_md5, invalid_sha256, unknown_auth_key.
 */
export class UrlhausArea extends AbuseChArea {
  readonly name = "urlhaus" as const;
  readonly root = "/v1";
  private readonly urls = new Map<string, Rec>();
  private readonly payloads: Rec[] = [];

  /** `{url, url_status, threat?, tags?, …}` */
  seedUrls(records: Rec[]): void {
    for (const r of records) {
      const id = String(this.urls.size + 3_049_287);
      this.urls.set(String(r.url), {
        id,
        urlhaus_reference: `https://urlhaus.abuse.ch/url/${id}/`,
        host: new URL(String(r.url)).hostname,
        date_added: "2026-11-19 10:02:11 UTC",
        threat: "malware_download",
        blacklists: { spamhaus_dbl: "not listed", surbl: "not listed" },
        reporter: "example",
        larted: "true",
        tags: [],
        payloads: [],
        ...structuredClone(r),
      });
    }
  }

  /** `{md5_hash, sha256_hash, file_type?, signature?, urls?}` */
  seedPayloads(records: Rec[]): void {
    this.payloads.push(...structuredClone(records));
  }

  answer(req: IntelRequest): Reply {
    if (req.method !== "POST") return { status: 405, body: { query_status: "method_not_allowed" } };
    if (req.path === "/url/") return this.url(req.form.get("url") ?? "");
    if (req.path === "/host/") return this.host(req.form.get("host") ?? "");
    if (req.path === "/payload/") return this.payload(req.form);
    return { status: 404, body: { query_status: "unknown_endpoint" } };
  }

  reset(): void {
    this.urls.clear();
    this.payloads.length = 0;
  }

  private url(url: string): Reply {
    if (!/^https?:\/\/\S+$/i.test(url)) return { body: { query_status: "invalid_url" } };
    const found = this.urls.get(url);
    return { body: found ? { query_status: "ok", ...found } : { query_status: "no_results" } };
  }

  private host(host: string): Reply {
    if (!/^[a-z0-9.-]+$/i.test(host)) return { body: { query_status: "invalid_host" } };
    const urls = [...this.urls.values()].filter((u) => u.host === host);
    if (urls.length === 0) return { body: { query_status: "no_results" } };
    return {
      body: {
        query_status: "ok",
        urlhaus_reference: `https://urlhaus.abuse.ch/host/${host}/`,
        host,
        firstseen: urls[0].date_added,
        url_count: String(urls.length),
        blacklists: { spamhaus_dbl: "not listed", surbl: "not listed" },
        urls: urls.map(({ id, urlhaus_reference, url, url_status, date_added, threat, reporter, larted, tags }) => ({ id, urlhaus_reference, url, url_status, date_added, threat, reporter, larted, takedown_time_seconds: null, tags })),
      },
    };
  }

  private payload(form: URLSearchParams): Reply {
    const md5 = form.get("md5_hash");
    const sha256 = form.get("sha256_hash");
    if (md5 !== null && !MD5.test(md5)) return { body: { query_status: "invalid_md5" } };
    if (sha256 !== null && !SHA256.test(sha256)) return { body: { query_status: "invalid_sha256" } };
    const found = this.payloads.find((p) => (md5 !== null && p.md5_hash === md5) || (sha256 !== null && p.sha256_hash === sha256));
    if (!found) return { body: { query_status: "no_results" } };
    const urls = Array.isArray(found.urls) ? found.urls : [];
    return { body: { query_status: "ok", file_type: "exe", file_size: "73728", signature: null, firstseen: "2026-11-18 08:00:00", lastseen: null, url_count: String(urls.length), ...found, urls } };
  }
}
