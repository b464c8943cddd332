import type { NormalizedEvent } from "../schema/event";

/** The outputs of the parse node in "one output per source" mode, in order. */
export const SOURCE_OUTPUTS = ["gateway_http", "gateway_network", "access_requests", "scim", "risk_score", "other"] as const;

const INDEX = new Map<string, number>(SOURCE_OUTPUTS.map((s, i) => [`cloudflare.${s}`, i]));
const OTHER = SOURCE_OUTPUTS.length - 1;

/** Splits a batch of events by source, keeping their order; sources without events get null. */
export function routeBySource(events: readonly NormalizedEvent[]): Array<NormalizedEvent[] | null> {
  const out: Array<NormalizedEvent[] | null> = SOURCE_OUTPUTS.map(() => null);
  for (const e of events) {
    const i = INDEX.get(e.event.dataset) ?? OTHER;
    (out[i] ??= []).push(e);
  }
  return out;
}
