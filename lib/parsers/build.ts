import { DATASETS, type Dataset, type EcsEndpoint, type EcsHost, type EcsNat, type EcsRelated, type EcsRule, type EcsUser, type NormalizedEvent, type Outcome, type RawRecord } from "../schema/event";
import { country, ip, port, text } from "./fields";
import { isoTimestamp } from "./timestamp";

/** What a normalizer knows besides the record. */
export interface ParseContext {
  /** ISO time the batch was received: `event.ingested`, and `@timestamp` when the record has none. */
  receivedAt: string;
  /** The dataset the record was delivered as, when sniffing found it to be another. */
  receivedAs?: string;
}

export type Normalizer = (raw: RawRecord, ctx: ParseContext) => NormalizedEvent;

/** A `related.*` list being built: filled in place, copied at its exact length by finish(). */
export interface RelatedList {
  values: string[];
  n: number;
}

/**
 * An event being built: the raw record is attached last, so that it comes last when serialized,
 * and the `related.*` lists become arrays then.
 */
export type Draft = Omit<NormalizedEvent, "cloudflare" | "related"> & { related: Record<keyof EcsRelated, RelatedList> };

/**
 * The lists of the one event being built at a time (normalizers run to completion, one record after
 * another). An array grown by push from empty keeps room for 17 entries: the three lists made that
 * way were a sixth of all that normalizing a record allocated.
 */
const related: Draft["related"] = { ip: { values: [], n: 0 }, user: { values: [], n: 0 }, hosts: { values: [], n: 0 } };

/** The classification a normalizer decides before it maps fields. */
export interface Head {
  kind?: "event" | "alert";
  category: string[];
  type: string[];
  action?: string;
  outcome: Outcome;
  id?: string;
  severity?: number;
}

/** One interned string per dataset: every rule lookup keys on it, and a fresh one per event costs. */
const EVENT_DATASET = new Map<string, string>(DATASETS.map((d) => [d, `cloudflare.${d}`]));

/**
 * `@timestamp` and `event.*`. A record without a readable time is still an event (dropping it
 * would hide activity from the analyst); it is stamped with the receipt time and flagged
 * `ztna.timestamp_missing`, so a rule or a query can tell.
 */
export function newEvent(dataset: Dataset, time: unknown, head: Head, ctx: ParseContext): Draft {
  const at = isoTimestamp(time);
  const ev: Draft = {
    "@timestamp": at ?? ctx.receivedAt,
    event: {
      kind: head.kind ?? "event",
      category: head.category,
      type: head.type,
      outcome: head.outcome,
      dataset: EVENT_DATASET.get(dataset) ?? `cloudflare.${dataset}`,
      ingested: ctx.receivedAt,
    },
    related,
  };
  related.ip.n = 0;
  related.user.n = 0;
  related.hosts.n = 0;
  if (head.action !== undefined) ev.event.action = head.action;
  if (head.id !== undefined) ev.event.id = head.id;
  if (head.severity !== undefined) ev.event.severity = head.severity;
  if (at === undefined) ev.ztna = { timestamp_missing: true };
  return ev;
}

/**
 * Attaches the raw record (by reference, see `NormalizedEvent.cloudflare`) and where it came in.
 * Each normalizer passes `{ <dataset>: record }` as a literal, which V8 builds with a fixed shape.
 */
export function finish(ev: Draft, raw: NormalizedEvent["cloudflare"], ctx: ParseContext): NormalizedEvent {
  if (ctx.receivedAs !== undefined) (ev.ztna ??= {}).received_as = ctx.receivedAs;
  const done = ev as unknown as NormalizedEvent;
  done.related = { ip: listed(related.ip), user: listed(related.user), hosts: listed(related.hosts) };
  done.cloudflare = raw;
  return done;
}

function listed(list: RelatedList): string[] {
  return list.values.slice(0, list.n);
}

/** Appends a value to a `related.*` list once. The lists hold a handful of values, so a scan beats a Set. */
export function relate(list: RelatedList, value: string | undefined): void {
  if (value === undefined) return;
  for (let i = 0; i < list.n; i++) if (list.values[i] === value) return;
  list.values[list.n++] = value;
}

/**
 * How many entries of one list field (approvers, resolved IPs, SCIM members) reach `related.*`:
 * enough for any real record, and a bound on the quadratic de-duplication for a hostile one.
 */
export const RELATED_LIST_MAX = 100;

/** Appends the non-empty strings of an array field, up to RELATED_LIST_MAX of them. */
export function relateEach(list: RelatedList, values: unknown): void {
  if (!Array.isArray(values)) return;
  const n = Math.min(values.length, RELATED_LIST_MAX);
  for (let i = 0; i < n; i++) relate(list, text(values[i]));
}

/** `source`/`destination` from an address, a port, geo codes and a name; undefined when all are empty. */
export function endpoint(
  addr: unknown,
  portValue: unknown,
  countryCode?: unknown,
  continent?: unknown,
  domain?: unknown,
): EcsEndpoint | undefined {
  const a = ip(addr);
  const p = port(portValue);
  const c = country(countryCode);
  const k = country(continent);
  const d = text(domain);
  if (a === undefined && p === undefined && c === undefined && k === undefined && d === undefined) return undefined;
  const out: EcsEndpoint = {};
  if (a !== undefined) out.ip = a;
  if (p !== undefined) out.port = p;
  if (d !== undefined) out.domain = d;
  if (c !== undefined || k !== undefined) {
    out.geo = {};
    if (c !== undefined) out.geo.country_iso_code = c;
    if (k !== undefined) out.geo.continent_code = k;
  }
  return out;
}

/**
 * Adds an endpoint's address to `related.ip` and hangs it on the event under `key`. Stores by name,
 * not `ev[key]`: a keyed store over the many shapes events take is V8's slowest kind.
 */
export function setEndpoint(ev: Draft, key: "source" | "destination" | "client", value: EcsEndpoint | undefined): void {
  if (value === undefined) return;
  if (key === "source") ev.source = value;
  else if (key === "destination") ev.destination = value;
  else ev.client = value;
  relate(ev.related.ip, value.ip);
}

/** The translated address and port of `source` or `destination`, created if need be. */
export function setNat(ev: Draft, key: "source" | "destination", addr: unknown, portValue: unknown): void {
  const a = ip(addr);
  const p = port(portValue);
  if (a === undefined && p === undefined) return;
  const nat: EcsNat = {};
  if (a !== undefined) nat.ip = a;
  if (p !== undefined) nat.port = p;
  peer(ev, key).nat = nat;
  relate(ev.related.ip, a);
}

/** `source` or `destination`, created empty if the event has none yet; by name, as in setEndpoint. */
export function peer(ev: Draft, key: "source" | "destination"): EcsEndpoint {
  return key === "source" ? (ev.source ??= {}) : (ev.destination ??= {});
}

/** `network.transport` (tcp, udp, quic, icmp) and `network.protocol` (the application protocol). */
export function setNetwork(ev: Draft, transport: string | undefined, protocol: string | undefined): void {
  if (transport === undefined && protocol === undefined) return;
  ev.network = {};
  if (transport !== undefined) ev.network.transport = transport;
  if (protocol !== undefined) ev.network.protocol = protocol;
}

/** `user.email/id/name` and their `related.user` entries. */
export function setUser(ev: Draft, email: unknown, id: unknown, name?: unknown): void {
  const e = text(email);
  const i = text(id);
  const n = text(name);
  if (e === undefined && i === undefined && n === undefined) return;
  const user: EcsUser = {};
  if (e !== undefined) user.email = e;
  if (i !== undefined) user.id = i;
  if (n !== undefined) user.name = n;
  ev.user = user;
  relate(ev.related.user, i);
  relate(ev.related.user, e);
  relate(ev.related.user, n);
}

/**
 * `host.id/name` from the WARP device, and `host.ip` from the device's own address: the CGNAT IP
 * of WARP or the LAN IP behind a tunnel. ECS `source.nat.ip` would be the wrong way round (it is
 * the translated, outside address), and `source.ip` stays the public address Elastic puts there.
 */
export function setHost(ev: Draft, id: unknown, name: unknown, internalIp?: unknown): void {
  const i = text(id);
  const n = text(name);
  const a = ip(internalIp);
  if (i === undefined && n === undefined && a === undefined) return;
  const host: EcsHost = {};
  if (i !== undefined) host.id = i;
  if (n !== undefined) host.name = n;
  if (a !== undefined) host.ip = [a];
  ev.host = host;
  relate(ev.related.hosts, i);
  relate(ev.related.hosts, n);
  relate(ev.related.ip, a);
}

export function setRule(ev: Draft, id: unknown, name: unknown, category?: unknown): void {
  const i = text(id);
  const n = text(name);
  const c = text(category);
  if (i === undefined && n === undefined && c === undefined) return;
  const rule: EcsRule = {};
  if (i !== undefined) rule.id = i;
  if (n !== undefined) rule.name = n;
  if (c !== undefined) rule.category = c;
  ev.rule = rule;
}

const ALLOWED = new Set([
  "allow", "bypass", "off", "noscan", "noisolate", "isolate", "safesearch", "ytrestricted",
  "override", "l4_override", "egress", "resolve", "scan", "audit_ssh", "on", "forward",
]);
const DENIED = new Set(["block", "quarantine"]);

/**
 * A Gateway policy verdict as ECS `event.type` and `event.outcome`: the request got through
 * (`allowed`, `success`) or was stopped (`denied`, `failure`). Values not documented anywhere
 * (`redirect` sends elsewhere, new ones appear) say neither and leave the outcome `unknown`.
 */
export function verdict(action: string | undefined, baseType: string): { type: string[]; outcome: Outcome } {
  if (action !== undefined) {
    if (ALLOWED.has(action)) return { type: [baseType, "allowed"], outcome: "success" };
    if (DENIED.has(action)) return { type: [baseType, "denied"], outcome: "failure" };
  }
  return { type: [baseType], outcome: "unknown" };
}
