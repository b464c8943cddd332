/** What to do with an upload once the start of its body is known. */
export type ReplayVerdict = "new" | "seen" | "busy";

interface Accepted {
  fullHash: string;
  expires: number;
}

/**
 * Remembers recently accepted uploads so that Logpush re-sending a batch whose 200 it never saw
 * does not emit the records twice. Keys are a hash of the body's first bytes (known early, before
 * any record leaves); the full-body hash confirms the match at the end. Bounded in entries and time.
 */
export class ReplayGuard {
  private readonly accepted = new Map<string, Accepted>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.accepted.size;
  }

  /** Claims the key for one upload; `busy` while another upload with the same start is being read. */
  begin(prefixKey: string): ReplayVerdict {
    if (this.inProgress.has(prefixKey)) return "busy";
    this.inProgress.add(prefixKey);
    const hit = this.accepted.get(prefixKey);
    if (hit && hit.expires > this.now()) return "seen";
    if (hit) this.accepted.delete(prefixKey);
    return "new";
  }

  /** True if a body with this start and this full hash was accepted within the window. */
  matches(prefixKey: string, fullHash: string): boolean {
    const hit = this.accepted.get(prefixKey);
    return !!hit && hit.expires > this.now() && hit.fullHash === fullHash;
  }

  /** Releases the claim; records the body as accepted when `fullHash` is given. */
  finish(prefixKey: string, fullHash: string | null): void {
    this.inProgress.delete(prefixKey);
    if (fullHash === null) return;
    this.accepted.delete(prefixKey);
    this.accepted.set(prefixKey, { fullHash, expires: this.now() + this.windowMs });
    this.evict();
  }

  private evict(): void {
    const now = this.now();
    // Map iteration is insertion order, so the oldest entries come first.
    for (const [key, entry] of this.accepted) {
      if (this.accepted.size <= this.maxEntries && entry.expires > now) break;
      this.accepted.delete(key);
    }
  }
}
