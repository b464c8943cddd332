import { isIP } from "node:net";
import type { InvestigationKind } from "./types";
import { field, isRecord } from "./untrusted";

export type PivotFrom = "alert" | "evidence" | "value";

export type PivotChoice = { ok: true; value: string; from: PivotFrom } | { ok: false; problem: string };

/** The alert's entity key and evidence bucket each kind reads, and what a usable value looks like. */
const SOURCES: Record<InvestigationKind, { key: string; bucket: string; noun: string; check: (v: string) => string | undefined }> = {
  ip: { key: "ip", bucket: "ip", noun: "IP address", check: (v) => (isIP(v) ? undefined : "is not an IP address") },
  host: { key: "host", bucket: "host", noun: "host", check: (v) => name(v, 255) },
  user: { key: "user", bucket: "user", noun: "user", check: (v) => name(v, 320) },
  risk: { key: "user", bucket: "user", noun: "user", check: (v) => name(v, 320) },
};

/** Whether a message payload is an alert (DESIGN §3.5) rather than some other object. */
export function isAlert(payload: unknown): payload is Record<string, unknown> {
  return isRecord(payload) && isRecord(field(payload, "rule")) && isRecord(field(payload, "evidence"));
}

/**
 * What to investigate: an explicit value wins; otherwise the alert's entity key (`alert.host`,
 * `alert.user`), then the first usable value of its evidence. For an IP the evidence comes first:
 * a rule lists the address that matters before the standard fields (the destination of an
 * outbound SMB session, the source of a password spray), while `alert.ip` is always the source.
 * A value that does not fit the kind is refused with the reason rather than sent to the API.
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
  const fromKey = (): PivotChoice | undefined => {
    const key = field(alert, src.key);
    return typeof key === "string" && src.check(key.trim()) === undefined ? { ok: true, value: key.trim(), from: "alert" } : undefined;
  };
  const fromEvidence = (): PivotChoice | undefined => {
    const bucket = field(field(alert, "evidence"), src.bucket);
    if (!Array.isArray(bucket)) return undefined;
    const v = bucket.find((x): x is string => typeof x === "string" && x.trim() !== "" && src.check(x.trim()) === undefined);
    return v === undefined ? undefined : { ok: true, value: v.trim(), from: "evidence" };
  };
  const choice = kind === "ip" ? (fromEvidence() ?? fromKey()) : (fromKey() ?? fromEvidence());
  return choice ?? { ok: false, problem: `the alert names no ${src.noun}` };
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
  const ipKey = first("ip", (v) => isIP(v) !== 0) ?? text(field(alert, "ip"), 64);
  const domain = text(field(alert, "domain"), 253) ?? first("domain", (v) => v.length <= 253 && name(v, 253) === undefined);
  const out: { ip?: string; domain?: string; user?: string; host?: string } = {};
  const ip = ipKey !== undefined && isIP(ipKey) ? ipKey : undefined;
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
