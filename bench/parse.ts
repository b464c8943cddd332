import { parseBatch } from "../lib/parsers";
import type { RawRecord } from "../lib/schema/event";
import { accessRequestRecord } from "../lib/synthetic/access-requests";
import { gatewayHttpRecord } from "../lib/synthetic/gateway-http";
import { gatewayNetworkRecord } from "../lib/synthetic/gateway-network";
import { rate, type Rate } from "./webhook";

/** One Logpush upload's worth of lines from one job, as `ztna-parse` receives a batch. */
export interface LineBatch {
  dataset: string;
  lines: string[];
}

export interface ParseMix {
  batches: LineBatch[];
  bytes: number;
}

const SOURCES: ReadonlyArray<readonly [string, (i: number) => RawRecord]> = [
  ["gateway_http", gatewayHttpRecord],
  ["gateway_network", gatewayNetworkRecord],
  ["access_requests", accessRequestRecord],
];

/** `batches` batches of `perBatch` NDJSON lines, the three Logpush sources in turn: equal parts of each. */
export function logpushMix(batches: number, perBatch: number): ParseMix {
  const out: LineBatch[] = [];
  let bytes = 0;
  for (let b = 0; b < batches; b++) {
    const [dataset, record] = SOURCES[b % SOURCES.length];
    const lines: string[] = [];
    for (let i = 0; i < perBatch; i++) {
      const line = JSON.stringify(record(b * perBatch + i));
      bytes += Buffer.byteLength(line) + 1;
      lines.push(line);
    }
    out.push({ dataset, lines });
  }
  return { batches: out, bytes };
}

/** The baseline: JSON.parse of every line, nothing else. */
export function bareJsonParse(mix: ParseMix): Rate {
  const start = process.hrtime.bigint();
  let records = 0;
  for (const batch of mix.batches) {
    for (const line of batch.lines) {
      JSON.parse(line);
      records++;
    }
  }
  return rate(records, mix.bytes, start);
}

/**
 * What `ztna-parse` costs on top of ingest: JSON.parse of a batch's lines, then parseBatch over
 * them, with the batch's dataset as the webhook path names it or, `sniff`, without one.
 */
export function parseThroughput(mix: ParseMix, sniff: boolean): Rate {
  const start = process.hrtime.bigint();
  let records = 0;
  for (const batch of mix.batches) {
    const parsed = new Array<unknown>(batch.lines.length);
    for (let i = 0; i < batch.lines.length; i++) parsed[i] = JSON.parse(batch.lines[i]);
    records += count(parseBatch(parsed, sniff ? undefined : batch.dataset));
  }
  return rate(records, mix.bytes, start);
}

/** parseBatch alone, over records parsed beforehand (the raw records are not changed, so they can be reused). */
export function normalizeOnly(mix: ParseMix, parsed: unknown[][]): Rate {
  const start = process.hrtime.bigint();
  let records = 0;
  for (let b = 0; b < parsed.length; b++) records += count(parseBatch(parsed[b], mix.batches[b].dataset));
  return rate(records, mix.bytes, start);
}

function count(result: ReturnType<typeof parseBatch>): number {
  if (result.errors.length > 0) throw new Error(`parse failed: ${JSON.stringify(result.errors[0])}`);
  return result.events.length;
}
