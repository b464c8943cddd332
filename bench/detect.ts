import { DetectionEngine, loadBuiltinRules } from "../lib/detect";
import { parseBatch } from "../lib/parsers";
import type { NormalizedEvent, RawRecord } from "../lib/schema/event";
import { normalTraffic } from "../lib/synthetic/normal-traffic";
import type { LineBatch, ParseMix } from "./parse";
import { rate, type Rate } from "./webhook";

/**
 * `count` records of a normal organisation's day (every source, in time order), cut into batches
 * of `perBatch` lines per dataset as Logpush jobs deliver them: the traffic detection runs on.
 */
export function normalMix(count: number, perBatch: number): ParseMix {
  const open = new Map<string, LineBatch>();
  const batches: LineBatch[] = [];
  let bytes = 0;
  let n = 0;
  for (const { dataset, record } of normalTraffic({ users: 200 })) {
    if (n++ >= count) break;
    const line = JSON.stringify(record);
    bytes += Buffer.byteLength(line) + 1;
    let batch = open.get(dataset);
    if (!batch) open.set(dataset, (batch = { dataset, lines: [] }));
    batch.lines.push(line);
    if (batch.lines.length >= perBatch) {
      batches.push(batch);
      open.delete(dataset);
    }
  }
  batches.push(...open.values());
  return { batches, bytes };
}

/** Every built-in rule, the opt-in ones included: the heaviest configuration a user can pick. */
export function allRulesEngine(limits?: ConstructorParameters<typeof DetectionEngine>[0]["limits"]): DetectionEngine {
  const { rules, errors } = loadBuiltinRules();
  if (errors.length > 0) throw new Error(`the built-in pack does not load: ${errors[0].file}:${errors[0].line}: ${errors[0].reason}`);
  return new DetectionEngine({ rules, includeOptin: true, limits });
}

/** JSON.parse of a batch's lines, parseBatch over them, then every rule: the pipeline's cost per record. */
export function detectThroughput(mix: ParseMix, engine: DetectionEngine): Rate & { alerts: number } {
  const start = process.hrtime.bigint();
  let records = 0;
  let alerts = 0;
  for (const batch of mix.batches) {
    const parsed = new Array<unknown>(batch.lines.length);
    for (let i = 0; i < batch.lines.length; i++) parsed[i] = JSON.parse(batch.lines[i]);
    const { events } = parseBatch(parsed, batch.dataset);
    alerts += engine.process(events).length;
    records += events.length;
  }
  return { ...rate(records, mix.bytes, start), alerts };
}

/** The events of each batch, normalized beforehand, for detectOnly(). */
export function normalizedBatches(mix: ParseMix): NormalizedEvent[][] {
  return mix.batches.map((batch) => parseBatch(batch.lines.map((line) => JSON.parse(line) as unknown), batch.dataset).events);
}

/** `engine.process` alone, over events normalized beforehand (the batch is not modified, so they can be reused). */
export function detectOnly(batches: readonly NormalizedEvent[][], bytes: number, engine: DetectionEngine): Rate {
  const start = process.hrtime.bigint();
  let records = 0;
  for (const events of batches) {
    engine.process(events);
    records += events.length;
  }
  return rate(records, bytes, start);
}

export interface StateMemory {
  users: number;
  groups: number;
  maxGroups: number;
  evictions: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  seconds: number;
}

/**
 * `users` distinct users, each failing an Access login from their own address, through every
 * stateful rule: per-user counts, per-IP distinct users, first-seen countries. The state must stay
 * within `maxGroups` whatever the number of users; what did not fit is evicted and counted.
 */
export function stateUnderManyUsers(users: number, maxGroups: number): StateMemory {
  const engine = allRulesEngine({ maxGroups });
  const heap = () => {
    global.gc?.();
    return process.memoryUsage().heapUsed / 1e6;
  };
  const heapBeforeMb = heap();
  const start = process.hrtime.bigint();
  const t0 = Date.UTC(2025, 5, 2, 8, 0, 0);
  const batch = 1000;
  for (let b = 0; b < users; b += batch) {
    const records: RawRecord[] = [];
    for (let i = b; i < Math.min(b + batch, users); i++) {
      records.push({
        Action: "login",
        Allowed: false,
        AppDomain: "wiki.example.com",
        Connection: "okta",
        Country: ["us", "de", "fr", "br", "in"][i % 5],
        CreatedAt: new Date(t0 + i * 10).toISOString(),
        Email: `user${i}@example.com`,
        IPAddress: `${11 + ((i >> 16) & 127)}.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`,
        RayID: `ray${i}`,
        UserUID: `uid-${i}`,
      });
    }
    engine.process(parseBatch(records, "access_requests").events);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stats = engine.stats();
  return { users, groups: stats.groups, maxGroups, evictions: stats.evictions, heapBeforeMb, heapAfterMb: heap(), seconds };
}
