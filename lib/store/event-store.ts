import type { NormalizedEvent } from "../schema/event";

/**
 * The event store's contract (DESIGN §5): telemetry kept and searchable for investigations.
 * SQLite implements it embedded; a shared database server can implement it later without the
 * nodes noticing, which is why every call is asynchronous even where SQLite is not.
 */

/** What a query pivots on; `ip` matches either side of a connection and `related.ip`. */
export type Pivot = "ip" | "source_ip" | "destination_ip" | "domain" | "user" | "host" | "session";

export interface EventQuery {
  pivot: Pivot;
  value: string;
  /** Event time window, epoch milliseconds, inclusive. */
  from: number;
  to: number;
  /** At most this many events, the newest kept when there are more. */
  limit: number;
  /** Source names as in `event.dataset` without the `cloudflare.` prefix; all when absent. */
  datasets?: string[];
}

export interface StoredEvent {
  /** Event time, epoch milliseconds. */
  time: number;
  dataset: string;
  event: NormalizedEvent;
}

export interface Counted {
  value: string;
  count: number;
}

/** Aggregates over every matching event, not just the capped timeline. */
export interface EventSummary {
  total: number;
  first_seen?: string;
  last_seen?: string;
  by_dataset: Counted[];
  by_action: Counted[];
  top_source_ips: Counted[];
  top_destination_ips: Counted[];
  top_domains: Counted[];
  users: Counted[];
  hosts: Counted[];
}

export interface AppendResult {
  written: number;
  /** Events without a usable time or dataset, with the reason; the rest of the batch is written. */
  rejected: Array<{ index: number; reason: string }>;
}

export interface StoreStats {
  events: number;
  bytes: number;
  oldest?: string;
  newest?: string;
  /** Events removed by retention or the size cap since the store opened. */
  pruned: number;
}

export interface EventStore {
  append(events: NormalizedEvent[]): Promise<AppendResult>;
  /** Matching events, oldest first. */
  query(q: EventQuery): Promise<StoredEvent[]>;
  /** Aggregates for the same query; `topN` caps each list. */
  summarize(q: EventQuery, topN: number): Promise<EventSummary>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
