import type { EventSummary } from "../store/event-store";
import type { Contribution, PlanContext } from "./contribution";
import { mergeRelated, relatedPeers } from "./related";
import { mergeTallies, storeTally, tallyEntries, total } from "./tally";
import { span } from "./timeline";
import type { DeviceDetails, InvestigationKind, InvestigationSummary, RiskProfile, SignIns, Tally, TimelineEntry, UserActivity } from "./types";

/** Risk events kept in the summary, newest first. */
const MAX_RISK_EVENTS = 50;

/** What each backend's calls gave, in one place per backend. */
class BackendView {
  readonly entries: TimelineEntry[];
  readonly summary: EventSummary | undefined;

  constructor(readonly parts: Contribution[]) {
    this.entries = parts.flatMap((p) => p.timeline ?? []);
    this.summary = parts.find((p) => p.summary)?.summary;
  }

  all<K extends keyof Contribution>(key: K): Array<NonNullable<Contribution[K]>> {
    return this.parts.map((p) => p[key]).filter((v): v is NonNullable<Contribution[K]> => v !== undefined && v !== null);
  }

  first<K extends keyof Contribution>(key: K): Contribution[K] | undefined {
    return this.parts.find((p) => p[key] !== undefined)?.[key];
  }

  /** The store's aggregate list when it summarized, else (and for the API) a count over the lines given. */
  tally(list: keyof Pick<EventSummary, "by_dataset" | "by_action" | "top_source_ips" | "top_destination_ips" | "top_domains" | "users" | "hosts">, pick: (e: TimelineEntry) => string | undefined): Tally[] {
    return this.summary ? storeTally(this.summary[list]) : tallyEntries(this.entries, pick);
  }
}

/** Folds the store's and the API's contributions into the summary. */
export function buildSummary(kind: InvestigationKind, ctx: PlanContext, storeParts: Contribution[], apiParts: Contribution[]): InvestigationSummary {
  const store = new BackendView(storeParts);
  const api = new BackendView(apiParts);
  type List = Parameters<BackendView["tally"]>[0];
  const both = (list: List, pick: (e: TimelineEntry) => string | undefined, top = ctx.top) => mergeTallies([store.tally(list, pick), api.tally(list, pick)], top);
  const byDataset = both("by_dataset", (e) => e.dataset, Infinity);
  const seen = span([store.summary?.first_seen, store.summary?.last_seen, ...store.entries.map((e) => e["@timestamp"]), ...api.entries.map((e) => e["@timestamp"])]);
  const summary: InvestigationSummary = {
    events: total(byDataset),
    ...(seen.first ? { first_seen: seen.first } : {}),
    ...(seen.last ? { last_seen: seen.last } : {}),
    by_dataset: byDataset.slice(0, ctx.top),
    by_action: both("by_action", (e) => e.action),
    top_peers: mergeTallies([peers(kind, store), peers(kind, api)], ctx.top),
    top_domains: both("top_domains", (e) => e.domain),
    users: both("users", (e) => e.user),
    hosts: both("hosts", (e) => e.host),
    related: mergeRelated(ctx.related, [store.all("related").flat(), api.all("related").flat()], ctx.exclude, ctx.top),
  };
  if (kind === "host") {
    const device = hostDevice(store, api);
    if (device) summary.device = device;
    summary.posture = store.all("posture").flat();
  }
  if (kind === "risk" || kind === "user") summary.risk = riskProfile(store, api, ctx);
  if (kind === "user") summary.activity = activity(store, api, ctx);
  return summary;
}

/**
 * The pivot's peers: for an IP, the addresses on the other side of its connections (read off the
 * related connections of its two directions); for a user or a host, where they connected to.
 */
function peers(kind: InvestigationKind, view: BackendView): Tally[] {
  return kind === "ip" ? relatedPeers(view.all("related").flat()) : view.tally("top_destination_ips", (e) => e.destination_ip);
}

/** The API's best-matching device with its registrations; else what the store's posture events say. */
function hostDevice(store: BackendView, api: BackendView): DeviceDetails | undefined {
  const found = api.first("devices")?.[0];
  if (found) {
    const registrations = api.first("registrations");
    return registrations ? { ...found, registrations } : found;
  }
  return store.first("storedDevice");
}

function riskProfile(store: BackendView, api: BackendView, ctx: PlanContext): RiskProfile {
  const fromApi = api.first("risk");
  const stored = store.all("riskEvents").flat();
  const apiEvents = fromApi?.events ?? [];
  const ids = new Set(apiEvents.map((e) => e.id).filter((id) => id !== undefined));
  const events = [...apiEvents, ...stored.filter((e) => e.id === undefined || !ids.has(e.id))]
    .sort((a, b) => Date.parse(b["@timestamp"]) - Date.parse(a["@timestamp"]))
    .slice(0, MAX_RISK_EVENTS);
  const storedLevel = store.first("storedRiskLevel");
  const level = fromApi?.scored ? fromApi.level : (storedLevel ?? null);
  const profile: RiskProfile = {
    level,
    events,
    by_level: mergeTallies([tallyEntries(stored, (e) => e.level), tallyEntries(apiEvents, (e) => e.level)], ctx.top),
    by_behavior: mergeTallies([tallyEntries(stored, (e) => e.name), tallyEntries(apiEvents, (e) => e.name)], ctx.top),
  };
  if (level !== null) profile.level_source = fromApi?.scored ? "api:risk" : "store";
  const userId = api.first("profile")?.id;
  if (userId) profile.user_id = userId;
  if (fromApi?.last_reset_time) profile.last_reset_time = fromApi.last_reset_time;
  return profile;
}

function activity(store: BackendView, api: BackendView, ctx: PlanContext): UserActivity {
  const storeSignIns = store.all("signIns").flat();
  const apiSignIns = api.all("signIns").flat();
  const logins = api.all("logins").flat();
  const three = (pick: (e: TimelineEntry) => string | undefined) => mergeTallies([tallyEntries(storeSignIns, pick), tallyEntries(apiSignIns, pick), tallyEntries(logins, pick)], ctx.top);
  const profile = api.first("profile");
  const apiDevices = api.first("devices") ?? [];
  const devices: DeviceDetails[] = apiDevices.length > 0 ? apiDevices : (store.summary?.hosts ?? []).slice(0, ctx.top).map((h) => ({ source: "store", name: h.value }));
  const out: UserActivity = {
    sign_ins: mergeSignIns(signIns(storeSignIns), signIns(apiSignIns)),
    countries: three((e) => e.country),
    source_ips: three((e) => e.source_ip),
    apps: mergeTallies([tallyEntries(storeSignIns, (e) => e.domain), tallyEntries(apiSignIns, (e) => e.domain)], ctx.top),
    devices,
  };
  if (profile) out.profile = profile;
  return out;
}

function signIns(entries: readonly TimelineEntry[]): SignIns {
  const logins = entries.filter((e) => e.action === undefined || e.action === "login");
  const seen = span(logins.map((e) => e["@timestamp"]));
  return {
    total: logins.length,
    success: logins.filter((e) => e.outcome === "success").length,
    failure: logins.filter((e) => e.outcome === "failure").length,
    ...(seen.first ? { first: seen.first } : {}),
    ...(seen.last ? { last: seen.last } : {}),
  };
}

/** The store and the API count the same logins: the larger count of each kind, the widest span. */
function mergeSignIns(a: SignIns, b: SignIns): SignIns {
  const seen = span([a.first, a.last, b.first, b.last]);
  return {
    total: Math.max(a.total, b.total),
    success: Math.max(a.success, b.success),
    failure: Math.max(a.failure, b.failure),
    ...(seen.first ? { first: seen.first } : {}),
    ...(seen.last ? { last: seen.last } : {}),
  };
}
