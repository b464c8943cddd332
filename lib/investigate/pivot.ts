import { isIP } from "node:net";
import type { InvestigationKind } from "./types";
import { isAlert } from "../detect/alert-shape";
import { field } from "./untrusted";

export { isAlert };

export type PivotFrom = "alert" | "evidence" | "value";

export type PivotChoice = { ok: true; value: string; from: PivotFrom } | { ok: false; problem: string };

/**
 * The alert's entity key and evidence bucket each kind reads, which of them comes first, and what
 * a usable value looks like. An address is taken from the evidence first: a rule lists the
 * addresses that matter to it there (a C2 rule the destination), while the entity key is always
 * the first event's source. A host or user is the entity key first: the evidence's `related.*`
 * lists also hold an Access application's domain as a "host", or a SCIM actor as a user.
 */
const SOURCES: Record<InvestigationKind, { key: string; bucket: string; evidenceFirst: boolean; noun: string; check: (v: string) => string | undefined }> = {
  ip: { key: "ip", bucket: "ip", evidenceFirst: true, noun: "IP address", check: (v) => (isIP(v) ? undefined : "is not an IP address") },
  host: { key: "host", bucket: "host", evidenceFirst: false, noun: "host", check: (v) => name(v, 255) },
  user: { key: "user", bucket: "user", evidenceFirst: false, noun: "user", check: (v) => name(v, 320) },
  risk: { key: "user", bucket: "user", evidenceFirst: false, noun: "user", check: (v) => name(v, 320) },
};


/**
 * What to investigate: an explicit value wins; otherwise the alert's entity key (`alert.ip`,
 * `alert.host`, `alert.user`) and the first usable value of its evidence, in the kind's order. A
 * value that does not fit the kind is refused with the reason rather than sent to a backend.
 */
export function choosePivot(kind: InvestigationKind, alert: unknown, explicit: unknown): PivotChoice {
  const src = SOURCES[kind];
  if (explicit !== undefined && explicit !== null && explicit !== "") {
    if (typeof explicit !== "string" && typeof explicit !== "number") return { ok: false, problem: `the ${src.noun} to investigate must be text, not ${kindOf(explicit)}` };
    const value = String(explicit).trim();
    if (value === "") return { ok: false, problem: `the ${src.noun} to investigate is blank` };
    const bad = src.check(value);
    return bad ? { ok: false, problem: `"${shown(value)}" ${bad}` } : { ok: true, value, from: "value" };
  }
  if (!isAlert(alert)) return { ok: false, problem: `no ${src.noun} to investigate: the message carries neither an alert nor a value` };
  const fits = (v: unknown): v is string => typeof v === "string" && v.trim() !== "" && src.check(v.trim()) === undefined;
  const fromKey = (): PivotChoice | undefined => {
    const key = field(alert, src.key);
    return fits(key) ? { ok: true, value: key.trim(), from: "alert" } : undefined;
  };
  const fromEvidence = (): PivotChoice | undefined => {
    const bucket = field(field(alert, "evidence"), src.bucket);
    const found = Array.isArray(bucket) ? bucket.find(fits) : undefined;
    return found !== undefined ? { ok: true, value: found.trim(), from: "evidence" } : undefined;
  };
  const chosen = src.evidenceFirst ? (fromEvidence() ?? fromKey()) : (fromKey() ?? fromEvidence());
  return chosen ?? { ok: false, problem: `the alert names no ${src.noun}` };
}

/** The alert's own IP, domain, user and host: the related connections are about them. */
export function alertEntities(alert: unknown): { ip?: string; domain?: string; user?: string; host?: string } {
  if (!isAlert(alert)) return {};
  const text = (v: unknown, max: number) => (typeof v === "string" && v.trim() !== "" && v.length <= max ? v.trim() : undefined);
  const evidence = field(alert, "evidence");
  const first = (bucket: string, ok: (v: string) => boolean) => {
    const list = field(evidence, bucket);
    return Array.isArray(list) ? list.find((v): v is string => typeof v === "string" && ok(v)) : undefined;
  };
  const ipKey = text(field(alert, "ip"), 64);
  const domain = text(field(alert, "domain"), 253) ?? first("domain", (v) => v.length <= 253 && name(v, 253) === undefined);
  const out: { ip?: string; domain?: string; user?: string; host?: string } = {};
  const ip = ipKey !== undefined && isIP(ipKey) ? ipKey : first("ip", (v) => isIP(v) !== 0);
  if (ip !== undefined) out.ip = ip;
  if (domain !== undefined) out.domain = domain.toLowerCase();
  const user = text(field(alert, "user"), 320);
  if (user !== undefined) out.user = user;
  const host = text(field(alert, "host"), 255);
  if (host !== undefined) out.host = host;
  return out;
}

/** A name a person or device could have: not too long, no control characters. */
function name(v: string, max: number): string | undefined {
  if (v.length > max) return `is longer than ${max} characters`;
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(v) ? "contains control characters" : undefined;
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function shown(v: string): string {
  return v.length > 80 ? `${v.slice(0, 80)}…` : v;
}
