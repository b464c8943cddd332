/**
 * What a poller remembers between polls, and across redeploys and restarts: how far it has read,
 * the ids it emitted inside the overlap window (so an overlapping window emits nothing twice),
 * and whatever per-source state the source keeps (the risk source keeps each user's last event).
 */
export interface Checkpoint {
  version: 1;
  /** Where the next poll's window starts, before the overlap is taken off (ms since epoch). */
  watermark: number | null;
  /** Record id → record time (ms), for records inside the overlap window. */
  seen: Record<string, number>;
  source: Record<string, unknown>;
}

export function emptyCheckpoint(): Checkpoint {
  return { version: 1, watermark: null, seen: {}, source: {} };
}

/** A checkpoint read back from storage, or an empty one if what was stored is not one. */
export function reviveCheckpoint(value: unknown): Checkpoint {
  const v = value as Partial<Checkpoint> | null;
  if (!v || typeof v !== "object" || v.version !== 1) return emptyCheckpoint();
  const seen: Record<string, number> = {};
  if (v.seen && typeof v.seen === "object") {
    for (const [id, t] of Object.entries(v.seen)) if (typeof t === "number" && Number.isFinite(t)) seen[id] = t;
  }
  return {
    version: 1,
    watermark: typeof v.watermark === "number" && Number.isFinite(v.watermark) ? v.watermark : null,
    seen,
    source: v.source && typeof v.source === "object" && !Array.isArray(v.source) ? (v.source as Record<string, unknown>) : {},
  };
}

/**
 * Keeps ids no older than `horizon` and at most `max` of them (the newest). Bounded whatever the
 * API returns.
 */
export function pruneSeen(seen: Record<string, number>, horizon: number, max: number): Record<string, number> {
  const kept = Object.entries(seen).filter(([, t]) => t >= horizon);
  if (kept.length > max) kept.sort((a, b) => b[1] - a[1]).length = max;
  return Object.fromEntries(kept);
}
