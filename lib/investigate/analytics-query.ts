import type { CloudflareClient } from "../cloudflare/client";
import { CloudflareApiError } from "../cloudflare/errors";
import { country, ip, port } from "../parsers/fields";
import { TIME_DIMENSION, type AnalyticsDataset, type AnalyticsPivot, type DimensionTarget } from "./analytics-datasets";
import type { CallAnswer } from "./call-runner";
import type { TimelineEntry } from "./types";
import { clip, field, isRecord, when, whole } from "./untrusted";

export interface AnalyticsRequest {
  /** Rows matching any of these pivots are returned. */
  pivots: AnalyticsPivot[];
  value: string;
  from: number;
  to: number;
  /** Rows asked for; Cloudflare's ceiling is 10,000. */
  limit: number;
}

export const MAX_ANALYTICS_LIMIT = 10_000;

/** A schema refusing a field names it in quotes, in Cloudflare's and the common GraphQL wording. */
const UNKNOWN_FIELD = /(?:unknown field|cannot query field)\s+"([^"]+)"/i;

/**
 * Dimensions an account's schema refused, per client and dataset, so that each is asked for once
 * per process, not on every alert. Bounded by the datasets' dimension lists.
 */
const refused = new WeakMap<CloudflareClient, Map<string, Set<string>>>();

/**
 * Rows of one Analytics dataset matching the pivot, newest first, as timeline entries (one per
 * group; `count` says how many events a group stands for). A dimension the schema does not know is
 * dropped and the query asked again; a malformed answer is an error, and malformed rows are
 * skipped and counted.
 */
export async function queryAnalytics(client: CloudflareClient, ds: AnalyticsDataset, req: AnalyticsRequest, signal: AbortSignal): Promise<CallAnswer<TimelineEntry[]>> {
  const filters = req.pivots.map((p) => ds.filters[p]).filter((f) => f !== undefined);
  if (filters.length === 0) throw new Error(`${ds.node} cannot be filtered by ${req.pivots.join(" or ")}`);
  const limit = Math.min(Math.max(1, Math.floor(req.limit)), MAX_ANALYTICS_LIMIT);
  const known = refusedOf(client, ds.node);
  const dropped: string[] = [];
  for (;;) {
    const targets = (Object.entries(ds.dimensions) as Array<[DimensionTarget, string]>).filter(([, dim]) => !known.has(dim));
    const dims = [TIME_DIMENSION, ...targets.map(([, dim]) => dim)];
    const filterText = filters.map((f) => `{${f.field}${f.op ? `_${f.op}` : ""}: $value}`);
    const match = filterText.length === 1 ? filterText[0].slice(1, -1) : `OR: [${filterText.join(", ")}]`;
    const query =
      `query($account: string!, $from: Time!, $to: Time!, $value: string!) { viewer { accounts(filter: {accountTag: $account}) { ` +
      `${ds.node}(limit: ${limit}, filter: {datetime_geq: $from, datetime_leq: $to, ${match}}, orderBy: [datetime_DESC]) ` +
      `{ count dimensions { ${dims.join(" ")} } } } } }`;
    const variables = { account: client.accountId, from: new Date(req.from).toISOString(), to: new Date(req.to).toISOString(), value: req.value };
    let data: unknown;
    try {
      data = await client.graphql<unknown>(query, variables);
    } catch (err) {
      const dim = refusedDimension(err, targets.map(([, d]) => d));
      if (dim === undefined || signal.aborted) throw err;
      known.add(dim);
      dropped.push(dim);
      continue;
    }
    const answer = readRows(data, ds, req, limit);
    const notes = [answer.note, dropped.length > 0 ? `the schema has no ${dropped.map((d) => `"${d}"`).join(", ")}; asked without` : undefined].filter(Boolean);
    return { ...answer, note: notes.length > 0 ? notes.join("; ") : undefined };
  }
}

function refusedOf(client: CloudflareClient, node: string): Set<string> {
  let byNode = refused.get(client);
  if (!byNode) refused.set(client, (byNode = new Map()));
  let set = byNode.get(node);
  if (!set) byNode.set(node, (set = new Set()));
  return set;
}

/** The selected dimension a GraphQL error says the schema lacks, if that is what it says. */
function refusedDimension(err: unknown, selected: string[]): string | undefined {
  if (!(err instanceof CloudflareApiError) || err.kind !== "graphql") return undefined;
  for (const message of err.messages) {
    const name = UNKNOWN_FIELD.exec(message)?.[1];
    if (name !== undefined && selected.includes(name)) return name;
  }
  return undefined;
}

function readRows(data: unknown, ds: AnalyticsDataset, req: AnalyticsRequest, limit: number): CallAnswer<TimelineEntry[]> {
  const accounts = field(field(data, "viewer"), "accounts");
  if (!Array.isArray(accounts) || accounts.length === 0) throw new Error(`malformed answer: viewer.accounts is not a list of one account`);
  const rows = field(accounts[0], ds.node);
  if (!Array.isArray(rows)) throw new Error(`malformed answer: viewer.accounts[0].${ds.node} is not a list`);
  const entries: TimelineEntry[] = [];
  let bad = 0;
  // A server that sends more than was asked for is not trusted with the memory it asks for.
  const n = Math.min(rows.length, limit);
  for (let i = 0; i < n; i++) {
    const entry = toEntry(rows[i], ds, req);
    if (entry) entries.push(entry);
    else bad++;
  }
  const notes: string[] = [];
  if (bad > 0) notes.push(`${bad} malformed row${bad === 1 ? "" : "s"} skipped`);
  if (rows.length > limit) notes.push(`${rows.length} rows answered where ${limit} were asked for; the rest ignored`);
  return { value: entries, records: entries.length, truncated: rows.length >= limit, note: notes.length > 0 ? notes.join("; ") : undefined };
}

function toEntry(row: unknown, ds: AnalyticsDataset, req: AnalyticsRequest): TimelineEntry | undefined {
  if (!isRecord(row)) return undefined;
  const dims = field(row, "dimensions");
  if (!isRecord(dims)) return undefined;
  const time = when(field(dims, TIME_DIMENSION));
  if (time === undefined) return undefined;
  const count = field(row, "count") === undefined ? 1 : whole(field(row, "count"));
  if (count === undefined) return undefined;
  const entry: TimelineEntry = { "@timestamp": time, source: `api:${ds.call}`, dataset: ds.dataset };
  if (ds.action !== undefined) entry.action = ds.action;
  for (const [target, dim] of Object.entries(ds.dimensions) as Array<[DimensionTarget, string]>) {
    setTarget(entry, target, field(dims, dim));
  }
  if (count !== 1) entry.count = count;
  // A DNS answer matched by its resolved addresses has the pivot as its destination.
  if (req.pivots.includes("destination_ip") && entry.destination_ip === undefined && entry.source_ip !== req.value && ds.filters.destination_ip) {
    entry.destination_ip = req.value;
  }
  return entry;
}

function setTarget(entry: TimelineEntry, target: DimensionTarget, raw: unknown): void {
  switch (target) {
    case "source_ip":
    case "destination_ip": {
      const v = ip(raw);
      if (v !== undefined) entry[target] = v;
      return;
    }
    case "destination_port": {
      const v = port(raw);
      if (v !== undefined) entry.destination_port = v;
      return;
    }
    case "country": {
      const v = typeof raw === "string" && /^[A-Za-z]{2}$/.test(raw) ? country(raw) : undefined;
      if (v !== undefined) entry.country = v;
      return;
    }
    case "outcome": {
      const v = raw === true || raw === 1 ? "success" : raw === false || raw === 0 ? "failure" : clip(raw, 32);
      if (v !== undefined) entry.outcome = v;
      return;
    }
    default: {
      const v = clip(raw);
      if (v !== undefined) entry[target] = v;
    }
  }
}
