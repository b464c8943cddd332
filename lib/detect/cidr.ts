/** An IPv4 or IPv6 network, `10.0.0.0/8` or `2001:db8::/32`; a bare address is a /32 or /128. */
export interface Network {
  v6: boolean;
  /** The network address as 32-bit words (one for IPv4, four for IPv6). */
  words: Uint32Array;
  bits: number;
}

/** The network a CIDR string names, or undefined when it is not one. */
export function parseNetwork(text: string): Network | undefined {
  const slash = text.indexOf("/");
  const addr = slash < 0 ? text : text.slice(0, slash);
  const words = new Uint32Array(4);
  const v6 = addr.includes(":");
  if (!(v6 ? parseV6(addr, words) : parseV4(addr, words))) return undefined;
  const max = v6 ? 128 : 32;
  let bits = max;
  if (slash >= 0) {
    const suffix = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(suffix) || Number(suffix) > max) return undefined;
    bits = Number(suffix);
  }
  const net = { v6, words: v6 ? words : words.slice(0, 1), bits };
  for (let w = 0; w < net.words.length; w++) net.words[w] = (net.words[w] & maskOf(bits - w * 32)) >>> 0;
  return net;
}

// One scratch buffer: matching is synchronous and a value is parsed only to be compared at once.
const scratch = new Uint32Array(4);

/** True if `value` is an address inside any of the networks. IPv4-mapped IPv6 addresses count as IPv4. */
export function inNetworks(value: string, networks: readonly Network[]): boolean {
  let v6 = value.includes(":");
  if (v6) {
    const zone = value.indexOf("%");
    if (!parseV6(zone < 0 ? value : value.slice(0, zone), scratch)) return false;
    if (scratch[0] === 0 && scratch[1] === 0 && scratch[2] === 0xffff) {
      scratch[0] = scratch[3];
      v6 = false;
    }
  } else if (!parseV4(value, scratch)) return false;
  for (const net of networks) if (networkContains(net, v6, scratch)) return true;
  return false;
}

/** True if the address given as 32-bit words (see Network.words) lies inside `net`. */
export function networkContains(net: Network, v6: boolean, words: Uint32Array): boolean {
  if (net.v6 !== v6) return false;
  for (let w = 0; w < net.words.length; w++) if (((words[w] & maskOf(net.bits - w * 32)) >>> 0) !== net.words[w]) return false;
  return true;
}

/** The mask for one 32-bit word given how many network bits remain for it. */
export function maskOf(remaining: number): number {
  if (remaining >= 32) return 0xffffffff;
  if (remaining <= 0) return 0;
  return (0xffffffff << (32 - remaining)) >>> 0;
}

function parseV4(text: string, out: Uint32Array, word = 0): boolean {
  let value = 0;
  let octet = -1;
  let dots = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (c >= 0x30 && c <= 0x39) {
      octet = (octet < 0 ? 0 : octet * 10) + (c - 0x30);
      if (++digits > 3 || octet > 255) return false;
    } else if (c === 0x2e) {
      if (octet < 0) return false;
      value = value * 256 + octet;
      octet = -1;
      digits = 0;
      if (++dots > 4) return false;
    } else return false;
  }
  if (dots !== 4) return false;
  out[word] = value >>> 0;
  return true;
}

function parseV6(text: string, out: Uint32Array): boolean {
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups: number[] = [];
  const tail: number[] = [];
  const read = (part: string, into: number[], last: boolean): boolean => {
    if (part === "") return true;
    const pieces = part.split(":");
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (last && i === pieces.length - 1 && piece.includes(".")) {
        const v4 = new Uint32Array(1);
        if (!parseV4(piece, v4)) return false;
        into.push(v4[0] >>> 16, v4[0] & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) into.push(parseInt(piece, 16));
      else return false;
    }
    return true;
  };
  if (halves.length === 1) {
    if (!read(halves[0], groups, true) || groups.length !== 8) return false;
  } else {
    if (!read(halves[0], groups, false) || !read(halves[1], tail, true) || groups.length + tail.length > 7) return false;
    while (groups.length + tail.length < 8) groups.push(0);
    groups.push(...tail);
  }
  for (let w = 0; w < 4; w++) out[w] = ((groups[2 * w] << 16) | groups[2 * w + 1]) >>> 0;
  return true;
}
