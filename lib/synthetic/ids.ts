/** The same people in every synthetic source, so that their events correlate as real ones do. */
export const USERS = ["r.okafor", "j.doe", "m.tanaka", "a.silva", "k.nowak", "l.martin", "s.ivanova", "p.kumar"];

export function userId(user: string): string {
  return hex(USERS.indexOf(user) + 99, 32);
}

/** Deterministic hex of `len` digits for a seed (xorshift): IDs that vary like real ones and compress like them. */
export function hex(seed: number, len: number): string {
  let out = "";
  let x = (seed * 2654435761) >>> 0;
  while (out.length < len) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out += x.toString(16).padStart(8, "0");
  }
  return out.slice(0, len);
}
