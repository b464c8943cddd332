/**
 * Sets of UTF-16 code units (the engine matches code units, as JavaScript's RegExp does without the
 * `u` flag). Kept as sorted, disjoint, inclusive ranges, with a bitmap for ASCII because nearly every
 * character tested is ASCII.
 */
export class CharSet {
  private readonly ascii = new Uint32Array(4);
  /** Flattened [lo, hi] pairs above ASCII, sorted. */
  private readonly high: Int32Array;

  constructor(readonly ranges: readonly number[]) {
    const high: number[] = [];
    for (let i = 0; i < ranges.length; i += 2) {
      const lo = ranges[i];
      const hi = ranges[i + 1];
      for (let c = lo; c <= Math.min(hi, 127); c++) this.ascii[c >> 5] |= 1 << (c & 31);
      if (hi >= 128) high.push(Math.max(lo, 128), hi);
    }
    this.high = Int32Array.from(high);
  }

  has(c: number): boolean {
    if (c < 128) return (this.ascii[c >> 5] & (1 << (c & 31))) !== 0;
    const r = this.high;
    let lo = 0;
    let hi = (r.length >> 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (c < r[mid * 2]) hi = mid - 1;
      else if (c > r[mid * 2 + 1]) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

/** Normalizes [lo, hi] pairs in any order, overlapping or adjacent, into a CharSet. */
export function charSet(pairs: readonly number[]): CharSet {
  const list: Array<[number, number]> = [];
  for (let i = 0; i < pairs.length; i += 2) list.push([pairs[i], pairs[i + 1]]);
  list.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of list) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last] + 1) out[last] = Math.max(out[last], hi);
    else out.push(lo, hi);
  }
  return new CharSet(out);
}

export function union(sets: readonly CharSet[]): CharSet {
  return charSet(sets.flatMap((s) => s.ranges));
}

export function complement(set: CharSet): CharSet {
  const out: number[] = [];
  let next = 0;
  const r = set.ranges;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i] > next) out.push(next, r[i] - 1);
    next = r[i + 1] + 1;
  }
  if (next <= 0xffff) out.push(next, 0xffff);
  return new CharSet(out);
}

export const DIGIT = charSet([0x30, 0x39]);
export const WORD = charSet([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]);
/** What `\s` matches in JavaScript: WhiteSpace and LineTerminator. */
export const SPACE = charSet([
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
]);
export const LINE_TERMINATOR = charSet([0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029]);

let canonTable: Uint16Array | undefined;

/**
 * JavaScript's case folding for `i` without `u` (ECMA-262 Canonicalize): the upper-case form, unless
 * it is several code units long or would turn a non-ASCII character into an ASCII one.
 */
export function canonicalTable(): Uint16Array {
  if (canonTable) return canonTable;
  const table = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const upper = String.fromCharCode(c).toUpperCase();
    const u = upper.length === 1 ? upper.charCodeAt(0) : c;
    table[c] = c >= 128 && u < 128 ? c : u;
  }
  canonTable = table;
  return table;
}

/** The canonical forms of every member: `canonical(ch) ∈ result` is how `i` tests membership. */
export function canonicalSet(set: CharSet): CharSet {
  const canon = canonicalTable();
  const seen = new Uint8Array(0x10000);
  const r = set.ranges;
  for (let i = 0; i < r.length; i += 2) for (let c = r[i]; c <= r[i + 1]; c++) seen[canon[c]] = 1;
  const out: number[] = [];
  for (let c = 0; c < 0x10000; c++) {
    if (!seen[c]) continue;
    const start = c;
    while (c + 1 < 0x10000 && seen[c + 1]) c++;
    out.push(start, c);
  }
  return new CharSet(out);
}
