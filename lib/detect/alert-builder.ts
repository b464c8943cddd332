import { randomUUID } from "node:crypto";
import { isoFromMs } from "../parsers/timestamp";
import type { NormalizedEvent } from "../schema/event";
import { fieldGetter, type FieldGetter } from "./field-path";
import type { Hit } from "./hit";
import type { Rule, Severity } from "./rule";

export type EvidenceKind = "ip" | "domain" | "url" | "user" | "host" | "hash";

/** DESIGN §3.5: one alert per rule firing, stable enough to route on in a switch node. */
export interface Alert {
  id: string;
  /** Time of the event that triggered the alert. */
  "@timestamp": string;
  rule: { id: string; name: string; severity: Severity; mitre: string[]; description: string };
  /** Datasets of the alert's events, as sources are named (`gateway_http`, not `cloudflare.gateway_http`). */
  datasets: string[];
  /** Entity keys, from the alert's first event; absent when it has none. */
  user?: string;
  host?: string;
  ip?: string;
  domain?: string;
  /** A correlation's group-by values. */
  group?: Record<string, string>;
  /** Indicators for enrichment: the rule's evidence fields first, then the standard ECS ones. */
  evidence: Record<EvidenceKind, string[]>;
  /** The events that triggered it, oldest first, capped. */
  events: NormalizedEvent[];
  /** What the alert stands for: events, including repeats folded in (see Hit.count). */
  count: number;
  first_seen: string;
  last_seen: string;
  duet?: { question: string };
}

const DATASET_PREFIX = "cloudflare.";

/** A bucket holds at most this many indicators: an alert must stay a message, not a dump. */
const MAX_PER_KIND = 50;

const STANDARD: ReadonlyArray<[EvidenceKind, string]> = [
  ["ip", "related.ip"],
  ["ip", "source.ip"],
  ["ip", "destination.ip"],
  ["domain", "url.domain"],
  ["domain", "destination.domain"],
  ["domain", "dns.question.name"],
  ["url", "url.full"],
  ["user", "related.user"],
  ["user", "user.email"],
  ["user", "user.target.email"],
  ["host", "related.hosts"],
  ["host", "host.name"],
  ["hash", "file.hash"],
];

const ENTITIES: ReadonlyArray<["user" | "host" | "ip" | "domain", string[]]> = [
  ["user", ["user.email", "user.name", "user.target.email"]],
  ["host", ["host.name", "host.id"]],
  ["ip", ["source.ip"]],
  ["domain", ["url.domain", "destination.domain", "dns.question.name"]],
];

/** Builds a rule's alerts; field getters compiled once per rule. */
export class AlertBuilder {
  private readonly evidence: Array<{ kind: EvidenceKind | undefined; get: FieldGetter }>;
  private readonly entities: Array<["user" | "host" | "ip" | "domain", FieldGetter[]]>;
  private readonly duet: Array<string | FieldGetter> | undefined;

  constructor(private readonly rule: Rule) {
    const own = rule.evidence.map((field) => ({ kind: kindOfField(field), get: fieldGetter(field) }));
    this.evidence = [...own, ...STANDARD.map(([kind, field]) => ({ kind, get: fieldGetter(field) }))];
    this.entities = ENTITIES.map(([key, fields]) => [key, fields.map(fieldGetter)]);
    this.duet = rule.duet === undefined ? undefined : template(rule.duet);
  }

  build(hit: Hit): Alert {
    const events = hit.events.map((e) => e.event);
    const first = events[0];
    const trigger = events[events.length - 1];
    const datasets: string[] = [];
    for (const e of events) {
      const ds = e.event?.dataset;
      const name = typeof ds === "string" && ds.startsWith(DATASET_PREFIX) ? ds.slice(DATASET_PREFIX.length) : ds;
      if (typeof name === "string" && !datasets.includes(name)) datasets.push(name);
    }
    const evidence: Record<EvidenceKind, string[]> = { ip: [], domain: [], url: [], user: [], host: [], hash: [] };
    for (const { kind, get } of this.evidence) for (const e of events) addTexts(get(e), kind, evidence);
    const alert: Alert = {
      id: randomUUID(),
      "@timestamp": typeof trigger?.["@timestamp"] === "string" ? trigger["@timestamp"] : isoFromMs(hit.last),
      rule: { id: this.rule.id, name: this.rule.title, severity: this.rule.severity, mitre: this.rule.mitre, description: this.rule.description },
      datasets,
      evidence,
      events,
      count: hit.count,
      first_seen: isoFromMs(hit.first),
      last_seen: isoFromMs(hit.last),
    };
    if (first) {
      for (const [key, getters] of this.entities) {
        const value = firstText(getters, first);
        if (value !== undefined) alert[key] = value;
      }
    }
    if (hit.group) alert.group = hit.group;
    if (this.duet) alert.duet = { question: this.duet.map((part) => (typeof part === "string" ? part : (first && texts(part(first)).join(", ")) || "unknown")).join("") };
    return alert;
  }
}

/** The bucket a field's name says it belongs to (ECS names and Cloudflare's raw ones). */
function kindOfField(field: string): EvidenceKind | undefined {
  const last = field.slice(field.lastIndexOf(".") + 1);
  if (/hash|sha1|sha256|sha512|md5/i.test(field)) return "hash";
  if (/(^|\.)(ip|resolved_ip)$/.test(field) || /IPs?$/.test(last)) return "ip";
  if (/(^|\.)url\.(full|original)$/.test(field) || last === "URL") return "url";
  if (/(^|\.)(domain|dns\.question\.name|server_name)$/.test(field) || /^(HTTPHost|SNI|QueryName|Domain)$/.test(last)) return "domain";
  if (/(^|\.)(user(\.target)?\.(email|name)|related\.user)$/.test(field) || /Email$/.test(last)) return "user";
  if (/^(host\.(name|id)|related\.hosts)$/.test(field) || /^Device(Name|ID)$/.test(last)) return "host";
  return undefined;
}

/** For a field whose name says nothing: what the value looks like, if it looks like anything. */
function kindOfValue(value: string): EvidenceKind | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value) || (/^[0-9a-fA-F:]+$/.test(value) && value.includes("::"))) return "ip";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return "url";
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return "user";
  if (/^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i.test(value)) return "hash";
  return undefined;
}

/** Files the strings (and numbers) a field holds under `kind`, or where each looks like it belongs. */
function addTexts(value: unknown, kind: EvidenceKind | undefined, evidence: Record<EvidenceKind, string[]>): void {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    const text = String(value);
    const k = kind ?? kindOfValue(text);
    if (text === "" || k === undefined) return;
    const bucket = evidence[k];
    if (bucket.length < MAX_PER_KIND && !bucket.includes(text)) bucket.push(text);
  } else if (Array.isArray(value)) {
    for (const v of value) addTexts(v, kind, evidence);
  } else if (value !== null && typeof value === "object") {
    // `file.hash` is an object of hashes by algorithm.
    for (const v of Object.values(value)) addTexts(v, kind, evidence);
  }
}

/** The strings (and numbers) a field holds, arrays flattened. */
function texts(value: unknown): string[] {
  if (typeof value === "string") return value === "" ? [] : [value];
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  return Array.isArray(value) ? value.flatMap(texts) : [];
}

function firstText(getters: readonly FieldGetter[], event: NormalizedEvent): string | undefined {
  for (const get of getters) {
    const [value] = texts(get(event));
    if (value !== undefined) return value;
  }
  return undefined;
}

/** `Did you expect {user.email} to …` → literal parts and field getters. */
function template(text: string): Array<string | FieldGetter> {
  return text.split(/\{([^{}\s]+)\}/).map((part, i) => (i % 2 === 1 ? fieldGetter(part) : part));
}
