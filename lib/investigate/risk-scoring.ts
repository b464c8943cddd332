import type { CloudflareClient } from "../cloudflare/client";
import { CloudflareApiError } from "../cloudflare/errors";
import type { CallAnswer } from "./call-runner";
import type { RiskEvent } from "./types";
import { clip, field, isRecord, when } from "./untrusted";

export interface UserRisk {
  /** False when risk scoring has no record of the user (never scored, or reset). */
  scored: boolean;
  level: string | null;
  last_reset_time?: string;
  /** Newest first. */
  events: RiskEvent[];
}

const LEVELS = new Set(["low", "medium", "high"]);
const SOURCE = "api:risk";

/**
 * One user's risk level and newest risk events (reference §4.2). A user the API does not know
 * (404) is unscored, not a failure: reset users disappear until they trigger again.
 */
export async function userRisk(client: CloudflareClient, userId: string, maxEvents: number, signal: AbortSignal): Promise<CallAnswer<UserRisk>> {
  const perPage = Math.min(100, Math.max(1, maxEvents));
  let head: unknown;
  const events: RiskEvent[] = [];
  let bad = 0;
  let read = 0;
  let total: number | undefined;
  const path = client.accountPath(`/zt_risk_scoring/${encodeURIComponent(userId)}`);
  const pages = client.pages<unknown>(path, { order_by: "timestamp", direction: "desc" }, {
    perPage,
    maxPages: Math.ceil(maxEvents / perPage),
    items: (result) => {
      head ??= result;
      const list = field(result, "events");
      if (!Array.isArray(list)) throw new Error("malformed answer: the risk result has no events list");
      return list;
    },
  });
  try {
    for await (const page of pages) {
      total = page.resultInfo?.total_count ?? total;
      for (const item of page.items) {
        read++;
        const event = toEvent(item);
        if (!event) bad++;
        else if (events.length < maxEvents) events.push(event);
      }
      if (signal.aborted) break;
    }
  } catch (err) {
    if (err instanceof CloudflareApiError && err.status === 404) return { value: { scored: false, level: null, events: [] }, records: 0, note: "the user has no risk score" };
    throw err;
  }
  const rawLevel = field(head, "risk_level");
  const level = typeof rawLevel === "string" && LEVELS.has(rawLevel.toLowerCase()) ? rawLevel.toLowerCase() : null;
  const risk: UserRisk = { scored: true, level, events };
  const reset = when(field(head, "last_reset_time"));
  if (reset !== undefined) risk.last_reset_time = reset;
  return {
    value: risk,
    records: events.length,
    truncated: total !== undefined && total > read,
    note: bad > 0 ? `${bad} malformed risk event${bad === 1 ? "" : "s"} skipped` : undefined,
  };
}

function toEvent(raw: unknown): RiskEvent | undefined {
  if (!isRecord(raw)) return undefined;
  const time = when(raw.timestamp);
  const name = clip(raw.name, 256);
  if (time === undefined || name === undefined) return undefined;
  const event: RiskEvent = { name, "@timestamp": time, source: SOURCE };
  const id = clip(raw.id, 64);
  if (id !== undefined) event.id = id;
  const level = clip(raw.risk_level, 16)?.toLowerCase();
  if (level !== undefined) event.level = level;
  return event;
}
