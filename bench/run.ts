import { execFileSync } from "node:child_process";
import path from "node:path";
import type { DetectionEngine } from "../lib/detect";
import { DEFAULT_BATCH_SIZE } from "../lib/ingest/limits";
import { SqliteEventStore } from "../lib/store/sqlite-event-store";
import { allRulesEngine, detectOnly, detectThroughput, normalizedBatches, normalMix, stateUnderManyUsers } from "./detect";
import { enrichBurst } from "./enrich";
import { packageRoot, startServer } from "./node-red-server";
import { bareJsonParse, logpushMix, normalizeOnly, parseThroughput } from "./parse";
import { benchStoreFile, buildStore, queryLatency } from "./store";
import { bareParse, logpushBodies, streamLargeUpload, webhookThroughput, type Rate } from "./webhook";

/**
 * `npm run bench`: the parsers' throughput as a ratio to bare JSON.parse of the same lines, the
 * webhook's as a ratio to the bare cost of gunzip + JSON.parse of the same bytes, both measured in
 * the same run (DESIGN §6), the event store's ingest against JSON.parse and its query latency at a
 * million events, and Node-RED's peak RSS while a 200 MB upload streams through. Prints
 * Markdown tables for BENCHMARKS.md.
 */
const SECRET = "bench-secret";
const RUNS = 5;
const BODIES_PER_RUN = 60;
const RECORDS_PER_BODY = 1000;
const SENDERS = 2;
const LARGE_UPLOAD_RECORDS = 170_000;
const MB = 1e6;
const PARSE_ROUNDS = 5;
/** Records per batch as the webhook node hands them to the flow by default. */
const PARSE_RECORDS_PER_BATCH = DEFAULT_BATCH_SIZE;
const PARSE_BATCHES = 30_000 / PARSE_RECORDS_PER_BATCH;

const median = (rates: Rate[]) => [...rates].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rates.length / 2)];
/**
 * Each round's ratio is taken against its own baseline, so that load on the machine that comes
 * and goes between rounds cancels out; the median of those ratios is the figure.
 */
const ratioPct = (measured: Rate[], baseline: Rate[]) => {
  const ratios = measured.map((x, i) => x.perSecond / baseline[i].perSecond).sort((x, y) => x - y);
  return `${(100 * ratios[Math.floor(ratios.length / 2)]).toFixed(0)}%`;
};
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
/** Runs a measure after a full collection (`npm run bench` passes --expose-gc). */
const collected = <T>(measure: () => T): T => {
  global.gc?.();
  return measure();
};

/** Parse throughput over equal parts of gateway_http, gateway_network and access_requests; rounds interleaved. */
function parseTable(): string {
  const mix = logpushMix(PARSE_BATCHES, PARSE_RECORDS_PER_BATCH);
  const parsed = mix.batches.map((b) => b.lines.map((line) => JSON.parse(line) as unknown));
  const bare: Rate[] = [];
  const declared: Rate[] = [];
  const sniffed: Rate[] = [];
  const only: Rate[] = [];
  for (let r = 0; r <= PARSE_ROUNDS; r++) {
    const round = [bareJsonParse(mix), parseThroughput(mix, false), parseThroughput(mix, true), normalizeOnly(mix, parsed)];
    if (r === 0) continue; // warm-up: lets the JIT settle on every path before anything counts
    bare.push(round[0]);
    declared.push(round[1]);
    sniffed.push(round[2]);
    only.push(round[3]);
  }
  const b = median(bare);
  const d = median(declared);
  const s = median(sniffed);
  const o = median(only);
  const pct = (measured: Rate[]) => ratioPct(measured, bare);
  const records = PARSE_BATCHES * PARSE_RECORDS_PER_BATCH;
  return [
    `| parse: ${fmt(records)} records, ${(mix.bytes / records).toFixed(0)} B each on average, ${PARSE_RECORDS_PER_BATCH}-record batches | value |`,
    `|---|---|`,
    `| bare JSON.parse of each line (baseline) | ${fmt(b.perSecond)} records/s (${b.mbPerSecond.toFixed(1)} MB/s) |`,
    `| JSON.parse + parseBatch, dataset named (as the webhook path does) | ${fmt(d.perSecond)} records/s |`,
    `| **parse / baseline** (median of the rounds' ratios) | **${pct(declared)}** (target ≥ 50%) |`,
    `| JSON.parse + parseBatch, dataset sniffed from the fields | ${fmt(s.perSecond)} records/s (${pct(sniffed)}) |`,
    `| parseBatch alone, on records parsed beforehand | ${fmt(o.perSecond)} records/s (${(1e6 / o.perSecond).toFixed(2)} µs/record) |`,
    `| runs (median shown) | baseline ${bare.map((x) => fmt(x.perSecond)).join(", ")}; parse ${declared.map((x) => fmt(x.perSecond)).join(", ")} |`,
  ].join("\n");
}

const DETECT_RECORDS = 60_000;
/** More rounds than the parse table: a round is short, and this machine's load comes and goes within seconds. */
const DETECT_ROUNDS = 9;
const DETECT_USERS = 1_000_000;
const DETECT_MAX_GROUPS = 100_000;

/**
 * Parse + detect with every rule on (opt-in included) over a normal organisation's traffic, against
 * bare JSON.parse of the same lines; rounds interleaved.
 */
function detectTable(): string {
  const mix = normalMix(DETECT_RECORDS, PARSE_RECORDS_PER_BATCH);
  const bare: Rate[] = [];
  const full: Rate[] = [];
  let alerts = 0;
  const last: LastEngine = {};
  for (let r = 0; r <= DETECT_ROUNDS; r++) {
    // A fresh engine per round: state from the round before would make the rounds unequal. Each
    // measure starts from a collected heap, so that garbage the one before left (the previous
    // round's batches) is not collected on its time.
    const engine = allRulesEngine();
    const round = [collected(() => bareJsonParse(mix)), collected(() => detectThroughput(mix, engine))] as const;
    last.engine = engine;
    if (r === 0) continue;
    bare.push(round[0]);
    full.push(round[1]);
    alerts = round[1].alerts;
  }
  const only = rulesAlone(mix);
  const memory = stateUnderManyUsers(DETECT_USERS, DETECT_MAX_GROUPS);
  const rules = allRulesEngine().stats().rules.active;
  return [
    `| detect: ${fmt(DETECT_RECORDS)} records of a normal organisation's day (every source, ${PARSE_RECORDS_PER_BATCH}-record batches), all ${rules} rules on (opt-in included) | value |`,
    `|---|---|`,
    `| bare JSON.parse of each line (baseline) | ${fmt(median(bare).perSecond)} records/s |`,
    `| JSON.parse + parseBatch + every rule | ${fmt(median(full).perSecond)} records/s (${alerts} alerts a round) |`,
    `| **parse + detect / baseline** (median of the rounds' ratios) | **${ratioPct(full, bare)}** (target ≥ 40%) |`,
    `| every rule alone, on events normalized beforehand | ${fmt(median(only).perSecond)} records/s (${(1e6 / median(only).perSecond).toFixed(2)} µs/record) |`,
    `| runs | baseline ${bare.map((x) => fmt(x.perSecond)).join(", ")}; detect ${full.map((x) => fmt(x.perSecond)).join(", ")}; rules alone ${only.map((x) => fmt(x.perSecond)).join(", ")} |`,
    `| ${fmt(memory.users)} distinct users through the stateful rules, cap ${fmt(memory.maxGroups)} groups | ${fmt(memory.groups)} groups kept, ${fmt(memory.evictions)} evicted, ${memory.seconds.toFixed(1)} s |`,
    `| heap before → after (after GC) | ${memory.heapBeforeMb.toFixed(0)} MB → ${memory.heapAfterMb.toFixed(0)} MB |`,
  ].join("\n");
}

/**
 * Detection alone, apart from the rounds of the pipeline, whose heap the normalized events would
 * weigh on; they are dropped before the memory measure.
 */
function rulesAlone(mix: ReturnType<typeof normalMix>): Rate[] {
  const normalized = normalizedBatches(mix);
  const only: Rate[] = [];
  const last: LastEngine = {};
  for (let r = 0; r <= DETECT_ROUNDS; r++) {
    const engine = allRulesEngine();
    const rate = collected(() => detectOnly(normalized, mix.bytes, engine));
    last.engine = engine;
    if (r > 0) only.push(rate);
  }
  return only;
}

/**
 * Holds the last round's engine through the next round's collection and run, as a deployed engine
 * lives on from batch to batch. Dropped before, a forced collection finds no object of the classes
 * its state is made of, and V8 throws every function compiled against them back to the
 * interpreter: 20–60 deoptimizations a round (traced), a cost a running flow never pays.
 */
interface LastEngine {
  engine?: DetectionEngine;
}

/** Asks this script for the detect table alone (detectTablesApart). */
const DETECT_TABLE = "--detect-table";

/** The V8 settings `npm start` runs Node-RED with. */
const { V8_FLAGS } = require(path.join(packageRoot, "scripts", "v8-flags.js")) as { V8_FLAGS: string[] };

/**
 * The detect table from a process of its own, twice: with the V8 settings `npm start` runs Node-RED
 * with, and with Node's defaults, which a Node-RED started without them has. In this process the
 * parse table has run before, on another mix of records: the parsers' machine code, specialised on
 * that mix and then undone by this one, cost the detect table's parse step 5–10 points in measured
 * runs, which is the order of the tables and not the cost of detection.
 */
function detectTablesApart(): string {
  const table = (flags: string[]) =>
    execFileSync(process.execPath, [...process.execArgv, ...flags, __filename, DETECT_TABLE], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  return [`As \`npm start\` runs Node-RED (\`${V8_FLAGS.join(" ")}\`):`, "", table(V8_FLAGS), "", "With Node's default V8 settings:", "", table([])].join("\n");
}


const STORE_EVENTS = 1_000_000;
/** Events per append, as the webhook hands batches to the flow by default. */
const STORE_BATCH = DEFAULT_BATCH_SIZE;
const STORE_SEGMENT = 250_000;
const STORE_QUERIES = 200;
const STORE_WINDOW_MS = 24 * 3600_000;
const STORE_LIMIT = 100;

/** A store of a million events: ingest against JSON.parse batch by batch, then query latency per pivot. */
async function storeTable(): Promise<string> {
  const { file, remove } = benchStoreFile(packageRoot);
  const store = new SqliteEventStore({ file, retentionDays: 0, maxBytes: 0 });
  try {
    const built = await buildStore(store, STORE_EVENTS, STORE_BATCH, STORE_SEGMENT);
    const latency = await queryLatency(store, built.samples, STORE_QUERIES, STORE_WINDOW_MS, STORE_LIMIT);
    const ms = (x: number) => (x < 1 ? x.toFixed(2) : x.toFixed(1));
    return [
      `| store: ${fmt(built.events)} normalized events of a normal organisation (every source, in time order), ${STORE_BATCH}-event batches per dataset | value |`,
      `|---|---|`,
      `| bare JSON.parse of the events' JSON lines (baseline, ${fmt(built.bytesPerEvent)} B each on average) | ${fmt(built.events / built.bareSeconds)} events/s |`,
      `| store.append: JSON text, 7 pivot indices and summary columns, one transaction per batch | ${fmt(built.events / built.seconds)} events/s |`,
      `| **ingest / baseline** (whole build) | **${((100 * built.bareSeconds) / built.seconds).toFixed(0)}%** |`,
      `| ingest as the store grows, per ${fmt(STORE_SEGMENT)} events | ${built.segments.map((g) => `${fmt(g.ingestPerSecond)} (${((100 * g.ingestPerSecond) / g.barePerSecond).toFixed(0)}%)`).join(", ")} |`,
      `| pages in use | ${(built.fileBytes / 1e9).toFixed(2)} GB, ${fmt(built.fileBytes / built.events)} B per event |`,
      ``,
      `| pivot (${STORE_QUERIES} values from stored events, ${STORE_WINDOW_MS / 3600_000} h window around each) | timeline p50 / p99 (limit ${STORE_LIMIT}) | summary p50 / p99 (every match, top 10) | median matches |`,
      `|---|---|---|---|`,
      ...latency.map((l) => `| ${l.pivot} | ${ms(l.p50Ms)} / ${ms(l.p99Ms)} ms | ${ms(l.summaryP50Ms)} / ${ms(l.summaryP99Ms)} ms | ${fmt(l.medianMatches)} |`),
    ].join("\n");
  } finally {
    await store.close();
    remove();
  }
}

/** 10,000 alerts over 1,000 distinct indicators against a provider with a fixed latency. */
async function enrichTable(): Promise<string> {
  const r = await enrichBurst();
  if (r.providerCalls > r.distinct) throw new Error(`the provider saw ${r.providerCalls} calls for ${r.distinct} distinct indicators`);
  return [
    `| enrich: ${fmt(r.alerts)} alerts, ${fmt(r.distinct)} distinct public IPs (plus a private IP, an e-mail and a host each), AbuseIPDB stand-in answering in ${r.latencyMs} ms | value |`,
    `|---|---|`,
    `| **provider calls for the whole burst** | **${fmt(r.providerCalls)}** (at most one per distinct indicator: ${fmt(r.distinct)}) |`,
    `| cold burst, all alerts at once | ${fmt(r.coldBurstMs)} ms |`,
    `| **added latency per alert, warm cache** | **p50 ${r.warm.p50Us.toFixed(0)} µs, p99 ${r.warm.p99Us.toFixed(0)} µs** (mean ${r.warm.meanUs.toFixed(0)} µs) |`,
    `| the same alerts with no provider (evidence, policy, verdict only) | mean ${r.bare.meanUs.toFixed(0)} µs |`,
    `| alert verdicts | ${Object.entries(r.verdicts).map(([v, n]) => `${v} ${fmt(n)}`).join(", ")} |`,
  ].join("\n");
}

/** `npm run bench [-- parse detect store enrich webhook]`: every section without arguments. */
const SECTIONS = ["parse", "detect", "store", "enrich", "webhook"] as const;

async function main(): Promise<void> {
  if (process.argv.includes(DETECT_TABLE)) {
    console.log(detectTable());
    return;
  }
  const asked = process.argv.slice(2);
  const unknownSection = asked.find((a) => !(SECTIONS as readonly string[]).includes(a));
  if (unknownSection !== undefined) throw new Error(`unknown section ${unknownSection}; sections: ${SECTIONS.join(", ")}`);
  const wanted = (section: (typeof SECTIONS)[number]) => asked.length === 0 || asked.includes(section);
  if (wanted("parse")) console.log(`${parseTable()}\n`);
  if (wanted("detect")) console.log(`${detectTablesApart()}\n`);
  if (wanted("store")) console.log(`${await storeTable()}\n`);
  if (wanted("enrich")) console.log(`${await enrichTable()}\n`);
  if (wanted("webhook")) await webhookTable();
}

async function webhookTable(): Promise<void> {
  const server = await startServer(path.join(packageRoot, "bench", "flows", "webhook-bench.json"), SECRET);
  try {
    const idle = server.memory();
    const large = await streamLargeUpload(server, SECRET, LARGE_UPLOAD_RECORDS);
    if (large.status !== 200) throw new Error(`large upload answered ${large.status}: ${large.body}`);
    const afterLarge = server.memory();

    // Each run's records differ, so the webhook's replay guard sees new uploads every time.
    const runs = Array.from({ length: RUNS + 1 }, (_, r) =>
      logpushBodies(BODIES_PER_RUN, RECORDS_PER_BODY, (LARGE_UPLOAD_RECORDS + r * BODIES_PER_RUN) * RECORDS_PER_BODY),
    );
    await webhookThroughput(server, SECRET, runs[0].bodies.slice(0, 10), 0, SENDERS);
    bareParse(runs[0].bodies, runs[0].rawBytes);
    const bare: Rate[] = [];
    const hook: Rate[] = [];
    for (let r = 1; r <= RUNS; r++) {
      bare.push(bareParse(runs[r].bodies, runs[r].rawBytes));
      hook.push(await webhookThroughput(server, SECRET, runs[r].bodies, runs[r].rawBytes, SENDERS));
    }
    const counted = (await (await fetch(server.url("/bench/count"))).json()) as { count: number };
    const expected = LARGE_UPLOAD_RECORDS + 10 * RECORDS_PER_BODY + RUNS * BODIES_PER_RUN * RECORDS_PER_BODY;
    if (counted.count !== expected) throw new Error(`downstream counted ${counted.count} records, expected ${expected}`);

    const b = median(bare);
    const h = median(hook);
    const lines = [
      `| measure | value |`,
      `|---|---|`,
      `| bare gunzip + JSON.parse (baseline, in-process) | ${fmt(b.perSecond)} records/s (${b.mbPerSecond.toFixed(1)} MB/s) |`,
      `| webhook, ${RECORDS_PER_BODY}-record gzip uploads, ${SENDERS} senders over loopback | ${fmt(h.perSecond)} records/s (${h.mbPerSecond.toFixed(1)} MB/s) |`,
      `| **webhook / baseline** (median of the rounds' ratios) | **${ratioPct(hook, bare)}** (target ≥ 60%) |`,
      `| runs (median shown) | baseline ${bare.map((x) => fmt(x.perSecond)).join(", ")}; webhook ${hook.map((x) => fmt(x.perSecond)).join(", ")} |`,
      `| ${(large.rawBytes / MB).toFixed(0)} MB upload (${fmt(LARGE_UPLOAD_RECORDS)} records, streamed gzip) | answered ${large.status} |`,
      `| Node-RED RSS idle before it | ${(idle.rss / MB).toFixed(0)} MB |`,
      `| **Node-RED peak RSS through it** | **${(afterLarge.peak / MB).toFixed(0)} MB** (target < 300 MB) |`,
      `| records counted downstream | ${fmt(counted.count)} of ${fmt(expected)} |`,
    ];
    console.log(lines.join("\n"));
  } finally {
    await server.stop();
  }
}

main().catch((err: Error) => {
  console.error(`bench failed: ${err.message}`);
  process.exitCode = 1;
});
