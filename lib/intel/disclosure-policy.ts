import { networkContains } from "../detect/cidr";
import { normalizeIndicator, urlHost } from "./indicator";
import { parseIpAddress, parseIpNetwork, type IpNetwork } from "./ip-address";
import { specialAddress } from "./special-addresses";
import type { Indicator, ResultReason } from "./types";

/** Why an indicator stays on this machine. */
export interface Withholding {
  reason: ResultReason;
  detail: string;
}

export interface DisclosureOptions {
  /** The user's own domains; each covers its subdomains. */
  ownDomains?: readonly string[];
  /** The user's own public networks (CIDR or single addresses), e.g. the office egress. */
  ownNetworks?: readonly string[];
}

/**
 * Names that never resolve on the public internet (RFC 6761, 6762, 8375, ICANN's `.internal`) or
 * that ICANN will never delegate because so many private networks use them. A lookup elsewhere
 * reveals the user's internal naming and can find nothing.
 */
const SPECIAL_USE_SUFFIXES = ["localhost", "local", "internal", "home.arpa", "arpa", "invalid", "test", "example", "lan", "home", "corp", "intranet", "localdomain"];

/**
 * Decides what may be sent to a provider that runs elsewhere: never a non-public address, a
 * special-use or single-label name, one of the user's own domains or networks, an email, or
 * anything on those hosts.
 */
export class DisclosurePolicy {
  private readonly ownDomains: string[];
  private readonly ownNetworks: IpNetwork[];

  constructor(opts: DisclosureOptions = {}) {
    this.ownDomains = (opts.ownDomains ?? []).map((raw) => {
      const n = normalizeIndicator("domain", raw);
      if (!n.ok || n.indicator.type !== "domain") throw new TypeError(`own domain ${JSON.stringify(String(raw).slice(0, 80))} is not a domain name`);
      return n.indicator.value;
    });
    this.ownNetworks = (opts.ownNetworks ?? []).map((raw) => {
      const text = typeof raw === "string" ? raw.trim() : "";
      const address = parseIpAddress(text);
      const net = address ? parseIpNetwork(`${address.text}/${address.v6 ? 128 : 32}`) : parseIpNetwork(text);
      if (!net) throw new TypeError(`own network ${JSON.stringify(String(raw).slice(0, 80))} is not an address or CIDR network`);
      return net;
    });
  }

  withhold(indicator: Indicator): Withholding | undefined {
    switch (indicator.type) {
      case "ipv4":
      case "ipv6":
        return this.address(indicator.value);
      case "domain":
        return this.domain(indicator.value);
      case "url": {
        const host = urlHost(indicator.value);
        if (!host) return { reason: "private_address", detail: "URL host unreadable" };
        const why = host.type === "domain" ? this.domain(host.value) : this.address(host.value);
        return why && { reason: why.reason, detail: `URL on ${why.detail}` };
      }
      case "email":
        return { reason: "first_party_only", detail: "email address" };
      default:
        return undefined;
    }
  }

  private address(value: string): Withholding | undefined {
    const address = parseIpAddress(value);
    if (!address) return { reason: "private_address", detail: "unreadable address" };
    const special = specialAddress(address);
    if (special) return { reason: "private_address", detail: special };
    const own = this.ownNetworks.find((net) => networkContains(net, address.v6, address.words));
    return own && { reason: "private_address", detail: `own network ${own.text}` };
  }

  private domain(name: string): Withholding | undefined {
    if (!name.includes(".")) return { reason: "private_address", detail: "single-label name" };
    const special = SPECIAL_USE_SUFFIXES.find((suffix) => isWithin(name, suffix));
    if (special) return { reason: "private_address", detail: `special-use name .${special}` };
    const own = this.ownDomains.find((domain) => isWithin(name, domain));
    return own === undefined ? undefined : { reason: "own_domain", detail: `own domain ${own}` };
  }
}

/** True if `name` is `domain` or one of its subdomains (label boundary: `evilcorp.example` is not within `corp.example`). */
function isWithin(name: string, domain: string): boolean {
  return name === domain || (name.length > domain.length && name.endsWith(domain) && name.charCodeAt(name.length - domain.length - 1) === 0x2e);
}
