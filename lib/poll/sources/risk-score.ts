import type { RawRecord } from "../../ingest/logpush-body";
import { apiTime, type PageInfo, type PollApi, type PollSource } from "../poll-source";
import { isRecord } from "./scim";

interface SummaryUser {
  user_id?: unknown;
  email?: unknown;
  event_count?: unknown;
  last_event?: unknown;
}

interface UserRisk {
  email?: unknown;
  risk_level?: unknown;
  events?: unknown;
}

/** What the checkpoint keeps per user, to tell which users have new events. */
interface Seen {
  last: number;
  count: number;
}

const PER_PAGE = 50;
/** The summary and event lists are paged by a server that may lie; never read more than this. */
const MAX_PAGES = 200;

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
    for await (const users of objectPages<{ users?: unknown }>(api, "/zt_risk_scoring/summary", { order_by: "timestamp", direction: "desc" })) {
      for (const u of Array.isArray(users.users) ? (users.users as SummaryUser[]) : []) {
        if (!isRecord(u) || typeof u.user_id !== "string") continue;
        const seen: Seen = { last: apiTime(u.last_event), count: typeof u.event_count === "number" ? u.event_count : -1 };
        next[u.user_id] = seen;
        const before = known[u.user_id];
        const moved = !before || seen.last > before.last || seen.count !== before.count;
        if (moved && !(seen.last < window.since)) changed.push({ id: u.user_id, email: u.email });
      }
    }
    for (const user of changed) {
      const records: RawRecord[] = [];
      let userLevel: unknown;
      let email = user.email;
      pages: for await (const detail of objectPages<UserRisk>(api, `/zt_risk_scoring/${encodeURIComponent(user.id)}`, { order_by: "timestamp", direction: "desc" })) {
        userLevel = detail.risk_level ?? userLevel;
        email = detail.email ?? email;
        for (const event of Array.isArray(detail.events) ? detail.events : []) {
          if (!isRecord(event)) continue;
          if (apiTime(event.timestamp) < window.since) break pages;
          records.push(event);
        }
      }
      yield records.reverse().map((event) => ({
        record: { ...event, user_id: user.id, email, user_risk_level: userLevel ?? null },
        id: `${user.id}|${String(event.id ?? event.timestamp)}`,
        time: apiTime(event.timestamp),
      }));
    }
    // Users no longer in the summary were reset; forgetting them keeps the state bounded.
    state.users = next;
  },
};

/** Page-based endpoints whose `result` is an object rather than a list. */
async function* objectPages<T>(api: PollApi, sub: string, query: Record<string, string>): AsyncGenerator<T> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { result, resultInfo } = await api.request<T>("GET", api.accountPath(sub), { query: { ...query, page, per_page: PER_PAGE } });
    if (!isRecord(result)) return;
    yield result as T;
    if (!hasMore(resultInfo, page)) return;
  }
}

function hasMore(info: PageInfo | undefined, page: number): boolean {
  if (!info) return false;
  if (typeof info.total_pages === "number") return page < info.total_pages;
  if (typeof info.total_count === "number" && typeof info.per_page === "number") return page * info.per_page < info.total_count;
  return false;
}
