import type { Database, Statement } from "better-sqlite3";
import type { NormalizedEvent } from "../schema/event";
import type { Counted, EventQuery, EventSummary, StoredEvent } from "./event-store";
import { bucketOf, DATASET_PREFIX, isPivot, keyValue, PIVOT_CODES } from "./event-row";

/**
 * A pivot value's key rows in a time window, joined to their events (`e`), optionally of some
 * datasets only. A summary joins through the facts index and so reads no JSON.
 */
const match = (events: string) => `
  FROM event_keys k JOIN ${events} ON e.id = k.event AND e.time = k.time
  WHERE k.pivot = @pivot AND k.value = @value AND k.time BETWEEN @from AND @to
    AND (@datasets IS NULL OR e.dataset IN (SELECT value FROM json_each(@datasets)))`;

/**
 * One hour's matches, newest first so the limit keeps the newest; the caller goes through the
 * hours newest first and turns the page around. The join also checks the time, so a key row can
 * never point at another event.
 */
const TIMELINE = `SELECT e.time AS time, e.dataset AS dataset, e.body AS body ${match("events e")} AND k.bucket = @bucket
  ORDER BY k.time DESC, k.event DESC LIMIT @limit`;

/** The hours of a window that hold key rows, newest first. */
const HOURS = "SELECT bucket FROM key_hours WHERE bucket BETWEEN ? AND ? ORDER BY bucket DESC";

/** Lists of a summary, by the number the aggregate below tags its rows with. */
const LISTS = ["by_dataset", "by_action", "top_source_ips", "top_destination_ips", "top_domains", "users", "hosts"] as const;
const COLUMNS = ["dataset", "action", "source_ip", "destination_ip", "domain", "user", "host"];

/**
 * Every aggregate of a summary in one statement over one materialized match: each list's counts
 * tagged with its number, the top N of each kept by rank; then the total and the first and last
 * times as a row tagged -1.
 */
const SUMMARY = `
  WITH m AS MATERIALIZED (
    SELECT ${COLUMNS.map((c) => `e.${c}`).join(", ")}, e.time ${match("events e INDEXED BY events_facts")}
      AND k.bucket IN (SELECT value FROM json_each(@buckets))
  ),
  counted AS (
    ${COLUMNS.map((c, i) => `SELECT ${i} AS list, ${c} AS value, count(*) AS n FROM m WHERE ${c} IS NOT NULL GROUP BY ${c}`).join("\n    UNION ALL ")}
  )
  SELECT list, value, n, NULL AS first, NULL AS last
    FROM (SELECT list, value, n, row_number() OVER (PARTITION BY list ORDER BY n DESC, value) AS rank FROM counted)
    WHERE rank <= @top
  UNION ALL
  SELECT -1, NULL, count(*), min(time), max(time) FROM m
  ORDER BY list, n DESC, value`;

/**
 * The most events one query returns and the longest summary list, whatever the caller asks: a
 * query's answer is held in memory whole, and its limit can come from a flow's configuration.
 */
export const MAX_QUERY_LIMIT = 10_000;
export const MAX_TOP_N = 1000;

interface Bound {
  /** The hours of the window in which the store has events, newest first. */
  buckets: number[];
  pivot: number;
  value: string;
  from: number;
  to: number;
  datasets: string | null;
}

interface SummaryRow {
  list: number;
  value: string | null;
  n: number;
  first: number | null;
  last: number | null;
}

export class EventQueries {
  private readonly timeline: Statement;
  private readonly summary: Statement;
  private readonly hours: Statement;

  constructor(db: Database) {
    this.timeline = db.prepare(TIMELINE);
    this.summary = db.prepare(SUMMARY);
    this.hours = db.prepare(HOURS).pluck();
  }

  /** Matching events, oldest first; the newest `limit` (at most MAX_QUERY_LIMIT) when there are more. */
  query(q: EventQuery): StoredEvent[] {
    const bound = this.bind(q);
    let left = count(q.limit, MAX_QUERY_LIMIT);
    if (!bound || left === 0) return [];
    const { buckets, ...params } = bound;
    const newestFirst: TimelineRow[] = [];
    for (const bucket of buckets) {
      const rows = this.timeline.all({ ...params, bucket, limit: left }) as TimelineRow[];
      for (const r of rows) newestFirst.push(r);
      left -= rows.length;
      if (left === 0) break;
    }
    const out = new Array<StoredEvent>(newestFirst.length);
    for (let i = 0; i < newestFirst.length; i++) {
      const r = newestFirst[newestFirst.length - 1 - i];
      out[i] = { time: r.time, dataset: r.dataset, event: JSON.parse(r.body) as NormalizedEvent };
    }
    return out;
  }

  /** Aggregates over every matching event, whatever the query's limit. */
  summarize(q: EventQuery, topN: number): EventSummary {
    const result: EventSummary = {
      total: 0,
      by_dataset: [],
      by_action: [],
      top_source_ips: [],
      top_destination_ips: [],
      top_domains: [],
      users: [],
      hosts: [],
    };
    const bound = this.bind(q);
    if (!bound) return result;
    const top = count(topN, MAX_TOP_N);
    for (const r of this.summary.all({ ...bound, buckets: JSON.stringify(bound.buckets), top }) as SummaryRow[]) {
      if (r.list < 0) {
        result.total = r.n;
        if (r.first !== null) result.first_seen = new Date(r.first).toISOString();
        if (r.last !== null) result.last_seen = new Date(r.last).toISOString();
      } else {
        (result[LISTS[r.list]] as Counted[]).push({ value: r.value as string, count: r.n });
      }
    }
    return result;
  }

  /** The query's parameters as the statements take them, or null when nothing can match. */
  private bind(q: EventQuery): Bound | null {
    if (!isPivot(q.pivot) || typeof q.value !== "string") return null;
    const value = keyValue(q.pivot, q.value);
    if (value === "" || typeof q.from !== "number" || typeof q.to !== "number" || Number.isNaN(q.from) || Number.isNaN(q.to)) return null;
    let datasets: string | null = null;
    if (Array.isArray(q.datasets)) {
      const names = q.datasets.filter((d): d is string => typeof d === "string").map((d) => (d.startsWith(DATASET_PREFIX) ? d.slice(DATASET_PREFIX.length) : d));
      if (names.length === 0) return null;
      datasets = JSON.stringify(names);
    }
    if (q.from > q.to) return null;
    // Infinite ends stay in range for SQLite's integers; the hours table holds the real span.
    const from = Math.max(q.from, Number.MIN_SAFE_INTEGER);
    const to = Math.min(q.to, Number.MAX_SAFE_INTEGER);
    const buckets = this.hours.all(bucketOf(from), bucketOf(to)) as number[];
    if (buckets.length === 0) return null;
    return { buckets, pivot: PIVOT_CODES[q.pivot], value, from, to, datasets };
  }
}

interface TimelineRow {
  time: number;
  dataset: string;
  body: string;
}

/** A whole number from 0 to `max`; 0 for anything that is not a number. */
function count(n: unknown, max: number): number {
  return typeof n === "number" && !Number.isNaN(n) ? Math.min(max, Math.max(0, Math.floor(n))) : 0;
}
