interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded cache whose entries each carry their own expiry: the least recently used entry goes
 * when it is full, an expired one when it is read. Map keeps insertion order, so re-inserting on
 * a hit is what makes the first key the least recently used.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  hits = 0;

  constructor(private readonly maxEntries: number) {}

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expiresAt <= now) {
      if (entry !== undefined) this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return entry.value;
  }

  set(key: string, value: V, ttlMs: number, now: number): void {
    if (this.maxEntries <= 0 || ttlMs <= 0) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAt: now + ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
