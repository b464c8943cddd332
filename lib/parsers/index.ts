import { isDataset, type Dataset, type NormalizedEvent, type RawRecord } from "../schema/event";
import { normalizeAccessRequests } from "./access-requests";
import { normalizeAuditLogs, normalizeAuditLogsV2 } from "./audit-logs";
import type { Normalizer, ParseContext } from "./build";
import { normalizeDevicePostureResults } from "./device-posture-results";
import { normalizeGatewayDns } from "./gateway-dns";
import { normalizeGatewayHttp } from "./gateway-http";
import { normalizeGatewayNetwork } from "./gateway-network";
import { normalizeNotification } from "./notification";
import { normalizeRiskScore } from "./risk-score";
import { normalizeScim } from "./scim";
import { ShapeKeeper } from "./shape-keeper";
import { fits, sniffDataset } from "./sniff";
import { normalizeZeroTrustNetworkSessions } from "./zero-trust-network-sessions";

export { sniffDataset } from "./sniff";

/**
 * - `not_an_object`: null, an array or a primitive where a record was expected;
 * - `unrecognised`: an object whose fields match no source, delivered without a known dataset;
 * - `internal`: a normalizer threw (a bug, or an exotic object such as a Proxy), reported, not thrown.
 */
export type ParseErrorCode = "not_an_object" | "unrecognised" | "internal";

export interface ParseError {
  /** The dataset the record was delivered as (`unknown` when none was given). */
  dataset: string;
  code: ParseErrorCode;
  reason: string;
}

export type ParseResult = { ok: true; event: NormalizedEvent } | { ok: false; error: ParseError };

export interface ParseOptions {
  /** ISO-8601 receipt time: `event.ingested`, and `@timestamp` of records without one. Default: now. */
  receivedAt?: string;
}

export interface BatchError extends ParseError {
  /** Position of the record in the batch. */
  index: number;
}

export interface BatchResult {
  events: NormalizedEvent[];
  errors: BatchError[];
}

/** Indexed only with names isDataset has checked; typed so that a new dataset cannot lack one. */
const NORMALIZERS: Readonly<Record<Dataset, Normalizer>> = {
  gateway_http: normalizeGatewayHttp,
  gateway_network: normalizeGatewayNetwork,
  gateway_dns: normalizeGatewayDns,
  access_requests: normalizeAccessRequests,
  audit_logs: normalizeAuditLogs,
  audit_logs_v2: normalizeAuditLogsV2,
  device_posture_results: normalizeDevicePostureResults,
  zero_trust_network_sessions: normalizeZeroTrustNetworkSessions,
  scim: normalizeScim,
  risk_score: normalizeRiskScore,
  notification: normalizeNotification,
};

const UNKNOWN = "unknown";

const shapes = new ShapeKeeper();

/**
 * One raw record to one normalized event. `declared` is the dataset it was delivered as (the
 * webhook path, `msg.topic`, `--dataset`; `unknown`, empty or absent when nobody said); it wins
 * when the record has a field of that source, or none of any other. Otherwise the fields decide, and the event says what it arrived as in
 * `ztna.received_as`. Never throws, whatever `record` is.
 */
export function parseRecord(record: unknown, declared?: string, options?: ParseOptions): ParseResult {
  const out = normalize(record, declared, { receivedAt: options?.receivedAt ?? new Date().toISOString() });
  return isError(out) ? { ok: false, error: out } : { ok: true, event: out };
}

/**
 * A batch as ingest emits it (an array, or a single record), in order. One receipt time for the
 * whole batch, and a bad record costs only itself.
 */
export function parseBatch(records: unknown, declared?: string, options?: ParseOptions): BatchResult {
  const ctx: ParseContext = { receivedAt: options?.receivedAt ?? new Date().toISOString() };
  const list: readonly unknown[] = Array.isArray(records) ? records : [records];
  const events: NormalizedEvent[] = [];
  const errors: BatchError[] = [];
  for (let i = 0; i < list.length; i++) {
    const out = normalize(list[i], declared, ctx);
    if (isError(out)) errors.push({ index: i, ...out });
    else events.push(out);
  }
  shapes.keep(events);
  return { events, errors };
}

/** The work of parseRecord without its result wrapper, which a batch would allocate per record. */
function normalize(record: unknown, declared: string | undefined, ctx: ParseContext): NormalizedEvent | ParseError {
  // `msg.topic` reaches here from flows, where it can be anything.
  const name = typeof declared === "string" && declared !== "" ? declared : UNKNOWN;
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    return failure(name, "not_an_object", `the record is ${kindOf(record)}, not a JSON object`);
  }
  try {
    const raw = record as RawRecord;
    if (isDataset(name) && fits(raw, name)) return NORMALIZERS[name](raw, ctx);
    const sniffed = sniffDataset(raw);
    if (sniffed !== undefined) {
      const arrived = sniffed !== name && name !== UNKNOWN ? { receivedAt: ctx.receivedAt, receivedAs: name } : ctx;
      return NORMALIZERS[sniffed](raw, arrived);
    }
    if (isDataset(name)) return NORMALIZERS[name](raw, ctx);
    const why = name === UNKNOWN ? "its fields match no known source; give its dataset" : `"${name}" is not a known dataset and its fields match none`;
    return failure(name, "unrecognised", why);
  } catch (err) {
    return failure(name, "internal", `normalizing failed: ${err instanceof Error ? err.message : "a non-Error was thrown"}`);
  }
}

function isError(out: NormalizedEvent | ParseError): out is ParseError {
  return (out as Partial<ParseError>).code !== undefined;
}

function failure(dataset: string, code: ParseErrorCode, reason: string): ParseError {
  return { dataset, code, reason };
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
}
