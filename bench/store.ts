import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { parseBatch } from "../lib/parsers";
import type { NormalizedEvent, RawRecord } from "../lib/schema/event";
import type { EventQuery, Pivot } from "../lib/store/event-store";
import { PIVOTS } from "../lib/store/event-row";
import { SqliteEventStore } from "../lib/store/sqlite-event-store";
import { normalTraffic } from "../lib/synthetic/normal-traffic";

/**
 * The event store at scale: a store built from a normal organisation's traffic (every source, in
 * time order, as ztna-record receives it from detect), its ingest rate against bare JSON.parse of
 * the same events' JSON lines timed batch by batch in the same loop, then query and summary
 * latency per pivot on the full store. Generating, normalizing and serializing the events is not
 * counted.
 */

export interface IngestSegment {
  /** Events in the store when the segment ended. */
  upTo: number;
  ingestPerSecond: number;
  barePerSecond: number;
}

export interface StoreBuild {
  events: number;
  seconds: number;
  bareSeconds: number;
  bytesPerEvent: number;
  segments: IngestSegment[];
  fileBytes: number;
  /** Values to query, each with the time of the event it came from. */
  samples: Map<Pivot, Array<{ value: string; at: number }>>;
}

export interface Latency {
  pivot: Pivot;
  queries: number;
  p50Ms: number;
  p99Ms: number;
  summaryP50Ms: number;
  summaryP99Ms: number;
  /** Median events matching a query in its window, before the limit. */
  medianMatches: number;
}

const SAMPLE_EVERY = 997;

/** Builds a store of `total` events in `batchSize` batches per dataset, timing each append against JSON.parse. */
export async function buildStore(store: SqliteEventStore, total: number, batchSize: number, segmentSize: number): Promise<StoreBuild> {
  const open = new Map<string, RawRecord[]>();
  const samples = new Map<Pivot, Array<{ value: string; at: number }>>(PIVOTS.map((p) => [p, []]));
  const segments: IngestSegment[] = [];
  let written = 0;
  let ingestNs = 0n;
  let bareNs = 0n;
  let segIngestNs = 0n;
  let segBareNs = 0n;
  let segEvents = 0;
  let jsonBytes = 0;
  let seen = 0;

  const flush = async (dataset: string, records: RawRecord[]) => {
    const { events } = parseBatch(records, dataset);
    const lines = events.map((e) => JSON.stringify(e));
    for (const line of lines) jsonBytes += line.length;
    for (const e of events) if (seen++ % SAMPLE_EVERY === 0) sample(e, samples);

    let t = process.hrtime.bigint();
    for (const line of lines) JSON.parse(line);
    const bare = process.hrtime.bigint() - t;
    t = process.hrtime.bigint();
    const result = await store.append(events);
    const ingest = process.hrtime.bigint() - t;
    if (result.written !== events.length) throw new Error(`store refused ${events.length - result.written} events: ${result.rejected[0]?.reason}`);

    written += result.written;
    bareNs += bare;
    ingestNs += ingest;
    segBareNs += bare;
    segIngestNs += ingest;
    segEvents += result.written;
    if (segEvents >= segmentSize) {
      segments.push({ upTo: written, ingestPerSecond: segEvents / (Number(segIngestNs) / 1e9), barePerSecond: segEvents / (Number(segBareNs) / 1e9) });
      segEvents = 0;
      segIngestNs = 0n;
      segBareNs = 0n;
    }
  };

  const days = Math.ceil(total / 200_000) + 1;
  let generated = 0;
  for (const { dataset, record } of normalTraffic({ users: 200, days })) {
    if (generated >= total) break;
    generated++;
    let batch = open.get(dataset);
    if (!batch) open.set(dataset, (batch = []));
    batch.push(record);
    if (batch.length >= batchSize) {
      open.delete(dataset);
      await flush(dataset, batch);
    }
  }
  for (const [dataset, batch] of open) await flush(dataset, batch);
  if (generated < total) throw new Error(`the generator gave ${generated} records, fewer than ${total}`);
  const stats = await store.stats();
  return {
    events: written,
    seconds: Number(ingestNs) / 1e9,
    bareSeconds: Number(bareNs) / 1e9,
    bytesPerEvent: jsonBytes / written,
    segments,
    fileBytes: stats.bytes,
    samples,
  };
}

/** Every pivot value of a sampled event: what an investigation of that event would ask for. */
function sample(e: NormalizedEvent, samples: Map<Pivot, Array<{ value: string; at: number }>>): void {
  const at = Date.parse(e["@timestamp"]);
  const add = (pivot: Pivot, value: string | undefined) => {
    if (value) samples.get(pivot)!.push({ value, at });
  };
  add("ip", e.related.ip[0]);
  add("source_ip", e.source?.ip);
  add("destination_ip", e.destination?.ip);
  add("domain", e.url?.domain ?? e.destination?.domain ?? e.dns?.question?.name);
  add("user", e.user?.email ?? e.user?.name);
  add("host", e.host?.name ?? e.host?.id);
  const raw = Object.values(e.cloudflare)[0] as Record<string, unknown> | undefined;
  add("session", typeof raw?.SessionID === "string" ? raw.SessionID : undefined);
}

/**
 * For each pivot, `perPivot` of the sampled values queried in a window of `windowMs` around the
 * event they came from: the timeline (capped at `limit`) and the summary, timed separately.
 */
export async function queryLatency(
  store: SqliteEventStore,
  samples: StoreBuild["samples"],
  perPivot: number,
  windowMs: number,
  limit: number,
): Promise<Latency[]> {
  const out: Latency[] = [];
  for (const pivot of PIVOTS) {
    const values = spread(samples.get(pivot)!, perPivot);
    if (values.length === 0) continue;
    const timeline: number[] = [];
    const summary: number[] = [];
    const matches: number[] = [];
    for (const { value, at } of values) {
      const q: EventQuery = { pivot, value, from: at - windowMs / 2, to: at + windowMs / 2, limit };
      let t = process.hrtime.bigint();
      const events = await store.query(q);
      timeline.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      const s = await store.summarize(q, 10);
      summary.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (events.length === 0 || s.total < events.length) throw new Error(`${pivot} ${value}: ${events.length} events, summary total ${s.total}`);
      matches.push(s.total);
    }
    out.push({
      pivot,
      queries: values.length,
      p50Ms: percentile(timeline, 0.5),
      p99Ms: percentile(timeline, 0.99),
      summaryP50Ms: percentile(summary, 0.5),
      summaryP99Ms: percentile(summary, 0.99),
      medianMatches: percentile(matches, 0.5),
    });
  }
  return out;
}

/** `n` items spread evenly over the list, so every part of the store's time range is queried. */
function spread<T>(list: T[], n: number): T[] {
  if (list.length <= n) return list;
  return Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** A fresh folder for the bench store, removed by the returned function. */
export function benchStoreFile(root: string): { file: string; remove: () => void } {
  const dir = path.join(root, ".bench-tmp", `store-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return { file: path.join(dir, "events.db"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
