import { parseNetwork, type Network } from "../detect/cidr";

/** An address in canonical form: IPv4 dotted quad, IPv6 compressed (RFC 5952), IPv4-mapped unwrapped. */
export interface IpAddress {
  v6: boolean;
  /** 32-bit words, one for IPv4 and four for IPv6, as Network.words. */
  words: Uint32Array;
  text: string;
}

/** The longest textual IPv6 address, `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`, plus a zone. */
const MAX_ADDRESS_LENGTH = 64;

/**
 * The canonical address, or undefined when `raw` is not exactly one address. Accepts brackets and
 * an IPv6 zone (`fe80::1%eth0`, dropped). Refuses IPv4 octets with leading zeros: some resolvers
 * read `010` as octal, so the text names two different hosts depending on who reads it.
 */
export function parseIpAddress(raw: string): IpAddress | undefined {
  if (raw.length > MAX_ADDRESS_LENGTH) return undefined;
  let text = raw.startsWith("[") && raw.endsWith("]") ? raw.slice(1, -1) : raw;
  if (text.includes("/")) return undefined;
  const v6 = text.includes(":");
  if (v6) {
    const zone = text.indexOf("%");
    if (zone >= 0) text = text.slice(0, zone);
  }
  const net = parseNetwork(text);
  if (!net) return undefined;
  if (!v6) {
    const canonical = formatV4(net.words[0]);
    return canonical === text ? { v6: false, words: net.words, text: canonical } : undefined;
  }
  const mapped = mappedV4(net.words);
  if (mapped !== undefined) return { v6: false, words: Uint32Array.of(mapped), text: formatV4(mapped) };
  return { v6: true, words: net.words, text: formatV6(net.words) };
}

/** A network in canonical form (`10.0.0.0/8`), host bits cleared, IPv4-mapped IPv6 ranges as IPv4. */
export interface IpNetwork extends Network {
  text: string;
}

/** A CIDR network (`203.0.113.0/24`, `2001:db8::/32`); undefined when `raw` is not one. */
export function parseIpNetwork(raw: string): IpNetwork | undefined {
  const slash = raw.indexOf("/");
  if (slash < 0 || raw.length > MAX_ADDRESS_LENGTH + 4) return undefined;
  const address = parseIpAddress(raw.slice(0, slash));
  const net = address && parseNetwork(`${raw.slice(0, slash)}/${raw.slice(slash + 1)}`);
  if (!address || !net) return undefined;
  if (net.v6 && !address.v6) {
    // An IPv4-mapped range: only its IPv4 part means anything.
    if (net.bits < 96) return undefined;
    const v4 = parseNetwork(`${address.text}/${net.bits - 96}`);
    return v4 && { ...v4, text: `${formatV4(v4.words[0])}/${v4.bits}` };
  }
  return { ...net, text: `${net.v6 ? formatV6(net.words) : formatV4(net.words[0])}/${net.bits}` };
}

function mappedV4(words: Uint32Array): number | undefined {
  return words[0] === 0 && words[1] === 0 && words[2] === 0xffff ? words[3] : undefined;
}

function formatV4(word: number): string {
  return `${word >>> 24}.${(word >>> 16) & 0xff}.${(word >>> 8) & 0xff}.${word & 0xff}`;
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero groups as `::` (the first on a tie). */
function formatV6(words: Uint32Array): string {
  const groups: number[] = [];
  for (const w of words) groups.push(w >>> 16, w & 0xffff);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) => groups.slice(from, to).map((g) => g.toString(16)).join(":");
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}
