import type { RawRecord } from "../../ingest/logpush-body";
import { apiTime, type PollSource } from "../poll-source";
import { isRecord } from "./scim";

interface SummaryUser {
  user_id?: unknown;
  email?: unknown;
  event_count?: unknown;
  last_event?: unknown;
}

/** What the checkpoint keeps per user, to tell which users have new events. */
interface Seen {
  last: number;
  count: number;
}

const PER_PAGE = 50;
const NEWEST_FIRST = { order_by: "timestamp", direction: "desc" };

/**
 * User risk events. The summary lists every scored user with their last event; only users whose
 * last event or event count moved since the previous poll (and whose last event falls in the
 * window) are read in detail, newest first, until the events are older than the window.
 * One record per risk event: the API's event plus `user_id`, `email` and `user_risk_level`.
 */
export const riskScoreSource: PollSource = {
  dataset: "risk_score",
  async *fetch(api, window, state) {
    const known = (state.users ?? {}) as Record<string, Seen>;
    const next: Record<string, Seen> = {};
    const changed: Array<{ id: string; email: unknown }> = [];
    const summaryUsers = (result: unknown) => (isRecord(result) && Array.isArray(result.users) ? (result.users as SummaryUser[]) : []);
    for await (const page of api.pages<SummaryUser>(api.accountPath("/zt_risk_scoring/summary"), NEWEST_FIRST, { perPage: PER_PAGE, items: summaryUsers })) {
      for (const u of page.items) {
        if (!isRecord(u) || typeof u.user_id !== "string") continue;
        const seen: Seen = { last: apiTime(u.last_event), count: typeof u.event_count === "number" ? u.event_count : -1 };
        next[u.user_id] = seen;
        const before = known[u.user_id];
        const moved = !before || seen.last > before.last || seen.count !== before.count;
        if (moved && !(seen.last < window.since)) changed.push({ id: u.user_id, email: u.email });
      }
    }
    for (const user of changed) {
      // The user's level and email sit beside the events in each page's result.
      let userLevel: unknown = null;
      let email = user.email;
      const events = (result: unknown) => {
        if (!isRecord(result)) return [];
        userLevel = result.risk_level ?? userLevel;
        email = result.email ?? email;
        return Array.isArray(result.events) ? (result.events as RawRecord[]) : [];
      };
      const records: RawRecord[] = [];
      pages: for await (const page of api.pages<RawRecord>(api.accountPath(`/zt_risk_scoring/${encodeURIComponent(user.id)}`), NEWEST_FIRST, { perPage: PER_PAGE, items: events })) {
        for (const event of page.items) {
          if (!isRecord(event)) continue;
          if (apiTime(event.timestamp) < window.since) break pages;
          records.push(event);
        }
      }
      yield records.reverse().map((event) => ({
        record: { ...event, user_id: user.id, email, user_risk_level: userLevel },
        id: `${user.id}|${String(event.id ?? event.timestamp)}`,
        time: apiTime(event.timestamp),
      }));
    }
    // Users no longer in the summary were reset; forgetting them keeps the state bounded.
    state.users = next;
  },
};
