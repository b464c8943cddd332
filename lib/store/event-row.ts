import { lowerCase } from "../detect/lower-case";
import type { Pivot } from "./event-store";

/**
 * What the store keeps of one normalized event: its time and dataset, the single values the
 * summaries group by, the values each pivot finds it under, and the JSON text itself. Everything
 * is read defensively: events reach the store from any node, so any field may be missing or of the
 * wrong type, and only strings are indexed.
 */

/** Pivots as the small integers the key table stores (a row per event and value). */
export const PIVOT_CODES: Readonly<Record<Pivot, number>> = {
  ip: 1,
  source_ip: 2,
  destination_ip: 3,
  domain: 4,
  user: 5,
  host: 6,
  session: 7,
};

export const PIVOTS = Object.keys(PIVOT_CODES) as Pivot[];

export function isPivot(name: unknown): name is Pivot {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(PIVOT_CODES, name);
}

/** Key rows are grouped by the hour of their event's time (see schema.ts). */
const KEY_BUCKET_MS = 3_600_000;

export function bucketOf(time: number): number {
  return Math.floor(time / KEY_BUCKET_MS);
}

/** Longer values are not indexed: no real address, name or id is this long, and keys stay small. */
const MAX_KEY_LENGTH = 512;
/** A hostile `related.*` list cannot make one event cost thousands of index rows. */
const MAX_VALUES_PER_LIST = 64;
export const DATASET_PREFIX = "cloudflare.";

export interface EventRow {
  time: number;
  dataset: string;
  action: string | null;
  sourceIp: string | null;
  destinationIp: string | null;
  domain: string | null;
  user: string | null;
  host: string | null;
  /** [pivot code, value] pairs, each pair once. */
  keys: Array<[number, string]>;
}

export type RowOutcome = { ok: true; row: EventRow } | { ok: false; reason: string };

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The same value always lands on the same key, however the source spelled its case. */
export function keyValue(pivot: Pivot, value: string): string {
  const v = lowerCase(value.trim());
  return pivot === "domain" && v.endsWith(".") ? v.slice(0, -1) : v;
}

/** Reads an event; refuses it, with the reason, when it has no usable time or dataset. */
export function eventRow(event: unknown): RowOutcome {
  const ev = obj(event);
  if (!ev) return { ok: false, reason: "not an event object" };
  const stamp = ev["@timestamp"];
  // Epoch milliseconds are taken too, within the range a Date can hold, as Date.parse keeps to.
  const time = typeof stamp === "string" ? Date.parse(stamp) : typeof stamp === "number" ? new Date(Math.floor(stamp)).getTime() : NaN;
  if (!Number.isFinite(time)) return { ok: false, reason: stamp === undefined ? "no @timestamp" : "@timestamp is not a readable time" };
  const head = obj(ev.event);
  const qualified = str(head?.dataset);
  if (!qualified) return { ok: false, reason: "no event.dataset" };
  const dataset = qualified.startsWith(DATASET_PREFIX) ? qualified.slice(DATASET_PREFIX.length) : qualified;
  if (dataset === "" || dataset.length > MAX_KEY_LENGTH) return { ok: false, reason: "event.dataset is not a dataset name" };

  const source = obj(ev.source);
  const destination = obj(ev.destination);
  const user = obj(ev.user);
  const host = obj(ev.host);
  const related = obj(ev.related);
  const url = obj(ev.url);
  const question = obj(obj(ev.dns)?.question);

  const keys = new KeyList();
  const sourceIp = str(source?.ip);
  const destinationIp = str(destination?.ip);
  keys.add("source_ip", sourceIp);
  keys.add("destination_ip", destinationIp);
  keys.add("ip", sourceIp);
  keys.add("ip", destinationIp);
  keys.addAll("ip", related?.ip);
  const domains = [str(url?.domain), str(destination?.domain), str(question?.name)];
  for (const d of domains) keys.add("domain", d);
  const users = [str(user?.email), str(user?.name)];
  for (const u of users) keys.add("user", u);
  keys.addAll("user", related?.user);
  const hosts = [str(host?.name), str(host?.id)];
  for (const h of hosts) keys.add("host", h);
  keys.addAll("host", related?.hosts);
  keys.add("session", sessionId(obj(ev.cloudflare)));

  return {
    ok: true,
    row: {
      time,
      dataset,
      action: bounded(str(head?.action)) ?? null,
      sourceIp: summaryValue(sourceIp),
      destinationIp: summaryValue(destinationIp),
      domain: summaryValue(domains.find((d) => d !== undefined), "domain"),
      user: summaryValue(users.find((u) => u !== undefined) ?? str(user?.id)),
      host: summaryValue(hosts.find((h) => h !== undefined)),
      keys: keys.pairs,
    },
  };
}

/**
 * The network session a record belongs to: `SessionID` joins Gateway HTTP requests to their
 * Gateway network session and to the Zero Trust network session (reference §2), and is only in the
 * raw record (the HTTP event's own id is the request's).
 */
function sessionId(raw: Obj | undefined): string | undefined {
  if (!raw) return undefined;
  for (const name in raw) {
    const id = str(obj(raw[name])?.SessionID);
    if (id) return id;
  }
  return undefined;
}

function bounded(s: string | undefined): string | undefined {
  return s !== undefined && s.length <= MAX_KEY_LENGTH ? s : undefined;
}

/** The value a summary counts, spelled as the pivot's keys are so the two can be matched. */
function summaryValue(v: string | undefined, pivot: Pivot = "ip"): string | null {
  const s = bounded(v);
  return s !== undefined ? keyValue(pivot, s) : null;
}

/** An event's keys, each (pivot, value) once. */
class KeyList {
  readonly pairs: Array<[number, string]> = [];

  add(pivot: Pivot, value: string | undefined): void {
    if (value === undefined || value.length > MAX_KEY_LENGTH) return;
    const v = keyValue(pivot, value);
    if (v === "") return;
    const code = PIVOT_CODES[pivot];
    // A dozen keys at most in practice: a scan beats hashing a composed string.
    for (const [c, known] of this.pairs) if (c === code && known === v) return;
    this.pairs.push([code, v]);
  }

  addAll(pivot: Pivot, list: unknown): void {
    if (!Array.isArray(list)) return;
    const n = Math.min(list.length, MAX_VALUES_PER_LIST);
    for (let i = 0; i < n; i++) this.add(pivot, str(list[i]));
  }
}
