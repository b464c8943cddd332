import { networkContains, parseNetwork, type Network } from "../detect/cidr";
import type { IpAddress } from "./ip-address";

/**
 * Addresses that name no host on the public internet (IANA special-purpose registries, RFC 6890
 * and successors). Sending them to a third party says something about the user's own network and
 * can never return anything useful. WARP's virtual addresses live in CGNAT space.
 */
const SPECIAL: ReadonlyArray<[string, string]> = [
  ["0.0.0.0/8", "unspecified"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "CGNAT"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "reserved (IETF protocol assignments)"],
  ["192.0.2.0/24", "documentation"],
  ["192.88.99.0/24", "reserved (6to4 relay anycast)"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "reserved (benchmarking)"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  ["64:ff9b:1::/48", "reserved (local-use NAT64)"],
  ["100::/64", "reserved (discard-only)"],
  ["2001:2::/48", "reserved (benchmarking)"],
  ["2001:db8::/32", "documentation"],
  ["3fff::/20", "documentation"],
  ["fc00::/7", "unique local"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "reserved (site-local)"],
  ["ff00::/8", "multicast"],
];

const NETWORKS: ReadonlyArray<{ net: Network; label: string }> = SPECIAL.map(([cidr, label]) => {
  const net = parseNetwork(cidr);
  if (!net) throw new Error(`special-purpose network ${cidr} does not parse`);
  return { net, label: `${label} ${cidr}` };
});

/** What kind of non-public address this is, e.g. "CGNAT 100.64.0.0/10"; undefined for a public address. */
export function specialAddress(address: IpAddress): string | undefined {
  for (const { net, label } of NETWORKS) if (networkContains(net, address.v6, address.words)) return label;
  return undefined;
}
