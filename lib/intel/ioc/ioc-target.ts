import { hashTypeOf, inferIndicator, normalizeAddress, normalizeIndicator, type Normalized } from "../indicator";
import { parseIpNetwork } from "../ip-address";
import type { IocTarget } from "./ioc-entry";

/** The types an IOC file may name; an address may also be a range, a hash is typed by its length. */
export type IocKind = "ip" | "cidr" | "domain" | "url" | "email" | "hash" | "md5" | "sha1" | "sha256";

/** Type words as IOC tools write them (ours, STIX object types, MISP attribute types). */
const KIND_WORDS: Readonly<Record<string, IocKind>> = {
  ip: "ip",
  ipv4: "ip",
  ipv6: "ip",
  "ipv4-addr": "ip",
  "ipv6-addr": "ip",
  "ip-src": "ip",
  "ip-dst": "ip",
  address: "ip",
  cidr: "cidr",
  network: "cidr",
  "ip-range": "cidr",
  domain: "domain",
  "domain-name": "domain",
  hostname: "domain",
  fqdn: "domain",
  host: "domain",
  url: "url",
  uri: "url",
  email: "email",
  "email-addr": "email",
  "email-src": "email",
  hash: "hash",
  "file-hash": "hash",
  filehash: "hash",
  md5: "md5",
  sha1: "sha1",
  "sha-1": "sha1",
  sha256: "sha256",
  "sha-256": "sha256",
};

export function iocKindOf(word: string): IocKind | undefined {
  const key = word.trim().toLowerCase();
  return Object.hasOwn(KIND_WORDS, key) ? KIND_WORDS[key] : undefined;
}

export type TargetRead = { ok: true; target: IocTarget } | { ok: false; reason: string };

/**
 * What an IOC value matches. Without a kind it is read from the value: a range (`a.b.c.d/n`), a
 * domain tree (`*.example.com`), else whatever inferIndicator finds. A range of one address is
 * that address.
 */
export function readTarget(raw: string, kind?: IocKind): TargetRead {
  const text = raw.trim();
  if (text.startsWith("*.") && (kind === undefined || kind === "domain")) {
    const n = normalizeIndicator("domain", text.slice(2));
    if (!n.ok || n.indicator.type !== "domain") return { ok: false, reason: "not a domain after *." };
    return { ok: true, target: { kind: "domain_tree", domain: n.indicator.value } };
  }
  if (text.includes("/") && !text.includes("://") && (kind === undefined || kind === "ip" || kind === "cidr")) {
    const network = parseIpNetwork(text);
    if (!network) return { ok: false, reason: "not a CIDR network" };
    if (network.bits === (network.v6 ? 128 : 32)) return asTarget(normalizeAddress(network.text.slice(0, network.text.indexOf("/"))));
    return { ok: true, target: { kind: "network", network } };
  }
  switch (kind) {
    case undefined:
      return asTarget(inferIndicator(text));
    case "ip":
    case "cidr":
      return asTarget(normalizeAddress(text));
    case "hash": {
      const type = hashTypeOf(text);
      return type ? asTarget(normalizeIndicator(type, text)) : { ok: false, reason: "not an MD5, SHA-1 or SHA-256 hash" };
    }
    default:
      return asTarget(normalizeIndicator(kind, text));
  }
}

function asTarget(n: Normalized): TargetRead {
  return n.ok ? { ok: true, target: { kind: "indicator", indicator: n.indicator } } : n;
}
