import type { CloudflareClient } from "../cloudflare/client";
import { country, flag, ip } from "../parsers/fields";
import type { CallAnswer } from "./call-runner";
import type { TimelineEntry } from "./types";
import { clip, isRecord, when, type Rec } from "./untrusted";

export interface AccessLogRequest {
  /** Exact e-mail (server-side filter) or IP address (no server filter exists: matched here). */
  by: "email" | "ip";
  value: string;
  from: number;
  to: number;
  /** Records per page and pages at most: an IP scan reads the window's logins up to this many. */
  perPage: number;
  maxPages: number;
}

const SOURCE = "api:access_requests";

/**
 * Access authentication logs (reference §6.2) in the window, newest first. The API filters by
 * e-mail but not by IP, so an IP is matched against each record of the pages read; the answer says
 * when the window held more than was read.
 */
export async function accessLogs(client: CloudflareClient, req: AccessLogRequest, signal: AbortSignal): Promise<CallAnswer<TimelineEntry[]>> {
  const query = {
    since: new Date(req.from).toISOString(),
    until: new Date(req.to).toISOString(),
    direction: "desc",
    ...(req.by === "email" ? { email: req.value, email_exact: true } : {}),
  };
  const entries: TimelineEntry[] = [];
  let scanned = 0;
  let bad = 0;
  let total: number | undefined;
  const pages = client.pages<unknown>(client.accountPath("/access/logs/access_requests"), query, { perPage: req.perPage, maxPages: req.maxPages });
  for await (const page of pages) {
    total = page.resultInfo?.total_count ?? total;
    for (const item of page.items) {
      scanned++;
      const entry = isRecord(item) ? toEntry(item) : undefined;
      if (!entry) bad++;
      else if (matches(entry, req)) entries.push(entry);
    }
    if (signal.aborted) break;
  }
  const truncated = total !== undefined ? total > scanned : scanned >= req.perPage * req.maxPages;
  const notes = [
    bad > 0 ? `${bad} malformed record${bad === 1 ? "" : "s"} skipped` : undefined,
    truncated && req.by === "ip" ? `matched within the newest ${scanned} logins of the window` : undefined,
  ].filter(Boolean);
  return { value: entries, records: entries.length, truncated, note: notes.length > 0 ? notes.join("; ") : undefined };
}

function matches(entry: TimelineEntry, req: AccessLogRequest): boolean {
  if (req.by === "ip") return entry.source_ip === req.value;
  // The server matched already; a server that ignores the filter must not put others' logins here.
  return entry.user?.toLowerCase() === req.value.toLowerCase();
}

function toEntry(r: Rec): TimelineEntry | undefined {
  const time = when(r.created_at);
  if (time === undefined) return undefined;
  const entry: TimelineEntry = { "@timestamp": time, source: SOURCE, dataset: "access_requests" };
  const action = clip(r.action, 64);
  if (action !== undefined) entry.action = action.toLowerCase();
  const allowed = flag(r.allowed);
  if (allowed !== undefined) entry.outcome = allowed ? "success" : "failure";
  const user = clip(r.user_email, 320);
  if (user !== undefined) entry.user = user;
  const source = ip(r.ip_address);
  if (source !== undefined) entry.source_ip = source;
  const domain = clip(r.app_domain);
  if (domain !== undefined) entry.domain = domain;
  const cc = typeof r.country === "string" && /^[A-Za-z]{2}$/.test(r.country) ? country(r.country) : undefined;
  if (cc !== undefined) entry.country = cc;
  const ray = clip(r.ray_id, 64);
  if (ray !== undefined) entry.id = ray;
  return entry;
}
