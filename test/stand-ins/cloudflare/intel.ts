import { isIP } from "node:net";
import { ApiRefusal, CODES, ok } from "./http";
import type { Rec } from "./query-tools";
import type { RouteTable } from "./routes";

const risk = (id: number, name: string, superCategory: number) => ({ id, name, super_category_id: superCategory });

/**
 * What the stand-in's Intel endpoints know: fixed, like a provider's database, so tests read
 * their expectations from here. Any other address or domain gets Cloudflare's answer for an
 * unremarkable one: an owner, and no risk types.
 */
export const CLOUDFLARE_INTEL: { ips: Record<string, Rec>; domains: Record<string, Rec> } = {
  ips: {
    "192.0.2.66": {
      belongs_to_ref: { id: "AS64500", value: 64500, type: "hosting_provider", country: "NL", description: "EXAMPLE-HOSTING" },
      risk_types: [risk(117, "Malware", 21), risk(131, "Command and Control & Botnet", 21)],
    },
    "192.0.2.67": {
      belongs_to_ref: { id: "AS64501", value: 64501, type: "isp", country: "DE", description: "EXAMPLE-ISP" },
      risk_types: [risk(169, "Anonymizer", 32)],
    },
    "2001:db8::66": {
      belongs_to_ref: { id: "AS64500", value: 64500, type: "hosting_provider", country: "NL", description: "EXAMPLE-HOSTING" },
      risk_types: [risk(68, "Phishing", 21)],
    },
  },
  domains: {
    "login-examp1e.com": {
      risk_types: [risk(68, "Phishing", 21)],
      content_categories: [risk(155, "Newly Seen Domains", 32)],
      popularity_rank: null,
      risk_score: 96,
    },
    "qx7vz3kq9w.example": {
      risk_types: [],
      content_categories: [],
      popularity_rank: null,
      additional_information: { suspected_malware_family: "Necurs" },
    },
    "example.com": {
      risk_types: [],
      content_categories: [risk(155, "Technology", 26)],
      popularity_rank: 214,
      application: { id: 0, name: "" },
    },
    "ads.example.org": {
      risk_types: [],
      inherited_risk_types: [risk(129, "Spam", 32)],
      inherited_from: "example.org",
      content_categories: [],
      popularity_rank: 50_000,
    },
  },
};

const UNREMARKABLE_OWNER = { id: "AS64496", value: 64496, type: "isp", country: "US", description: "EXAMPLE-NET" };

/** Security intelligence: `GET /intel/ip?ipv4=|ipv6=` and `GET /intel/domain?domain=`. */
export function intelRoutes(routes: RouteTable): void {
  routes.add("GET", "/accounts/:account/intel/ip", (req) => {
    const ip = req.query.get("ipv4") ?? req.query.get("ipv6");
    const family = req.query.has("ipv4") ? 4 : 6;
    if (ip === null || isIP(ip) !== family) throw new ApiRefusal(400, CODES.invalidRequest, "ipv4 or ipv6 must be a valid address of that family");
    const known = CLOUDFLARE_INTEL.ips[ip] ?? { belongs_to_ref: UNREMARKABLE_OWNER, risk_types: [] };
    return ok([{ ip, ...structuredClone(known) }]);
  });

  routes.add("GET", "/accounts/:account/intel/domain", (req) => {
    const domain = req.query.get("domain");
    if (!domain) throw new ApiRefusal(400, CODES.invalidRequest, "domain is required");
    const known = CLOUDFLARE_INTEL.domains[domain] ?? { risk_types: [], content_categories: [], popularity_rank: null };
    return ok({
      domain,
      inherited_content_categories: [],
      inherited_risk_types: [],
      inherited_from: null,
      additional_information: {},
      resolves_to_refs: [],
      ...structuredClone(known),
    });
  });
}
