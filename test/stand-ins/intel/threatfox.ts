import { AbuseChArea } from "./abuse-ch";
import type { IntelRequest, Rec, Reply } from "./area";

const HASH = /^([0-9a-f]{32}|[0-9a-f]{64})$/i;
const NO_RESULT = { query_status: "no_result", data: "Your search did not yield any results" };

/**
 * abuse.ch ThreatFox `POST /` (JSON) with the `Auth-Key` header: `search_ioc` (exact or, as the
 * API does, substring match) and `search_hash` over seeded IOCs, which keep addresses as
 * `ip:port` as ThreatFox does. Outcomes are in `query_status`: ok, no_result,
 * illegal_search_term, illegal_hash, unknown_query, unknown_auth_key.
 */
export class ThreatFoxArea extends AbuseChArea {
  readonly name = "threatfox" as const;
  readonly root = "/api/v1";
  private readonly iocs: Rec[] = [];

  /** `{ioc, ioc_type, threat_type?, malware_printable?, confidence_level?, …}` */
  seed(records: Rec[]): void {
    for (const r of records) {
      this.iocs.push({
        id: String(1_234_567 + this.iocs.length),
        threat_type: "botnet_cc",
        threat_type_desc: "Indicator that identifies a botnet command&control server (C&C)",
        malware: "win.cobalt_strike",
        malware_printable: "Cobalt Strike",
        malware_alias: null,
        confidence_level: 100,
        first_seen: "2026-11-18 05:57:41 UTC",
        last_seen: null,
        reference: null,
        reporter: "abuse_ch",
        tags: [],
        ...structuredClone(r),
      });
    }
  }

  answer(req: IntelRequest): Reply {
    if (req.method !== "POST" || req.path !== "/") return { status: 404, body: { query_status: "unknown_endpoint" } };
    const q = typeof req.body === "object" && req.body !== null ? (req.body as Rec) : {};
    if (q.query === "search_ioc") return this.searchIoc(q);
    if (q.query === "search_hash") return this.searchHash(q);
    return { body: { query_status: "unknown_query" } };
  }

  reset(): void {
    this.iocs.length = 0;
  }

  private searchIoc(q: Rec): Reply {
    const term = typeof q.search_term === "string" ? q.search_term : "";
    if (term.trim() === "") return { body: { query_status: "illegal_search_term" } };
    const exact = q.exact_match === true;
    const hits = this.iocs.filter((i) => (exact ? i.ioc === term : String(i.ioc).includes(term)));
    return { body: hits.length ? { query_status: "ok", data: hits } : NO_RESULT };
  }

  private searchHash(q: Rec): Reply {
    const hash = typeof q.hash === "string" ? q.hash : "";
    if (!HASH.test(hash)) return { body: { query_status: "illegal_hash" } };
    const hits = this.iocs.filter((i) => String(i.ioc).toLowerCase() === hash.toLowerCase());
    return { body: hits.length ? { query_status: "ok", data: hits } : NO_RESULT };
  }
}
