import { parseBatch, type BatchResult } from "../parsers";
import type { NormalizedEvent } from "../schema/event";

/** A normalized event carries its dataset as `event.dataset: "cloudflare.<dataset>"`. */
function isNormalized(value: unknown): value is NormalizedEvent {
  const event = (value as { event?: { dataset?: unknown } } | null)?.event;
  return typeof event?.dataset === "string" && event.dataset.startsWith("cloudflare.");
}

/**
 * What detection works on, whatever arrives: normalized events pass as they are; raw records (from
 * the webhook or a poll, `declared` being their dataset) are normalized first, in order.
 */
export function toEvents(payload: unknown, declared?: string): BatchResult {
  const items: readonly unknown[] = Array.isArray(payload) ? payload : [payload];
  if (items.every(isNormalized)) return { events: items as NormalizedEvent[], errors: [] };
  if (!items.some(isNormalized)) return parseBatch(items, declared);
  const events: NormalizedEvent[] = [];
  const errors: BatchResult["errors"] = [];
  items.forEach((item, index) => {
    if (isNormalized(item)) return void events.push(item);
    const one = parseBatch([item], declared);
    events.push(...one.events);
    for (const e of one.errors) errors.push({ ...e, index });
  });
  return { events, errors };
}
