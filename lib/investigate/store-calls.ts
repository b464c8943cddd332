import { isoFromMs } from "../parsers/timestamp";
import type { EventQuery, EventStore, Pivot, StoredEvent } from "../store/event-store";
import type { Call } from "./call-runner";
import type { Contribution, PlanContext } from "./contribution";
import { storedEntry } from "./stored-entry";
import { storeTally } from "./tally";
import type { DeviceDetails, PostureCheck, RiskEvent } from "./types";
import { clip, path } from "./untrusted";

/** Stored events read for posture, sign-ins and risk history: enough to summarise, bounded. */
const DETAIL_LIMIT = 1000;
const RISK_LIMIT = 200;

function query(ctx: PlanContext, pivot: Pivot, value: string, limit: number, datasets?: string[]): EventQuery {
  return { pivot, value, from: ctx.window.from, to: ctx.window.to, limit, ...(datasets ? { datasets } : {}) };
}

/** The pivot's events, newest `cap` of them, as timeline lines. */
export function storeTimeline(store: EventStore, ctx: PlanContext, pivot: Pivot, datasets?: string[]): Call<Contribution> {
  return async () => {
    const events = await store.query(query(ctx, pivot, ctx.value, ctx.cap, datasets));
    const timeline = events.map(storedEntry);
    return { value: { timeline }, records: timeline.length, truncated: timeline.length >= ctx.cap };
  };
}

/** Aggregates over all of the pivot's events, not only those the timeline keeps. */
export function storeSummary(store: EventStore, ctx: PlanContext, pivot: Pivot, datasets?: string[]): Call<Contribution> {
  return async () => {
    const summary = await store.summarize(query(ctx, pivot, ctx.value, ctx.cap, datasets), ctx.top);
    return { value: { summary }, records: summary.total };
  };
}

/** Who else touched each related IP or domain in the window, per the store. */
export function storeRelated(store: EventStore, ctx: PlanContext): Record<string, Call<Contribution>> {
  const calls: Record<string, Call<Contribution>> = {};
  for (const r of ctx.related) {
    calls[`related_${r.by}`] = async () => {
      const s = await store.summarize(query(ctx, r.by, r.value, 1, undefined), ctx.top + ctx.exclude.size);
      const peers = r.by === "source_ip" ? s.top_destination_ips : r.by === "destination_ip" ? s.top_source_ips : [];
      return { value: { related: [{ by: r.by, value: r.value, events: s.total, users: storeTally(s.users), hosts: storeTally(s.hosts), peers: storeTally(peers) }] }, records: s.total };
    };
  }
  return calls;
}

/** The latest result of each posture check on the host, and the device as its newest posture event describes it. */
export function storePosture(store: EventStore, ctx: PlanContext): Call<Contribution> {
  return async () => {
    const events = await store.query(query(ctx, "host", ctx.value, DETAIL_LIMIT, ["device_posture_results"]));
    const latest = new Map<string, PostureCheck>();
    for (const stored of events) {
      const e = stored.event as unknown;
      const check = clip(path(e, "rule.name"), 256) ?? clip(path(e, "rule.id"), 128);
      if (check === undefined) continue;
      const item: PostureCheck = { check, outcome: clip(path(e, "event.outcome"), 32) ?? "unknown", "@timestamp": isoFromMs(stored.time), source: "store" };
      const type = clip(path(e, "rule.category"), 64);
      if (type !== undefined) item.type = type;
      // Events come oldest first: a later result of a check replaces the earlier one.
      latest.set(check, item);
    }
    const newest = events.at(-1);
    const posture = [...latest.values()].sort((a, b) => (a.check < b.check ? -1 : 1));
    return { value: { posture, ...(newest ? { storedDevice: deviceOf(newest) } : {}) }, records: events.length };
  };
}

/** The user's logins in the window, for sign-in counts, countries and apps. */
export function storeSignIns(store: EventStore, ctx: PlanContext): Call<Contribution> {
  return async () => {
    const events = await store.query(query(ctx, "user", ctx.value, DETAIL_LIMIT, ["access_requests"]));
    const signIns = events.map(storedEntry);
    return { value: { signIns }, records: signIns.length, truncated: signIns.length >= DETAIL_LIMIT };
  };
}

/** The user's stored risk events (polled from risk scoring), newest first. */
export function storeRiskEvents(store: EventStore, ctx: PlanContext): Call<Contribution> {
  return async () => {
    const events = await store.query(query(ctx, "user", ctx.value, RISK_LIMIT, ["risk_score"]));
    const riskEvents: RiskEvent[] = [];
    for (const stored of [...events].reverse()) {
      const e = stored.event as unknown;
      const name = clip(path(e, "ztna.risk.behavior"), 256) ?? clip(path(e, "rule.name"), 256) ?? clip(path(e, "event.action"), 256);
      if (name === undefined) continue;
      const item: RiskEvent = { name, "@timestamp": isoFromMs(stored.time), source: "store" };
      const id = clip(path(e, "event.id"), 128);
      if (id !== undefined) item.id = id;
      const level = clip(path(e, "ztna.risk.level"), 16);
      if (level !== undefined) item.level = level;
      riskEvents.push(item);
    }
    const level = clip(path(events.at(-1)?.event, "ztna.risk.user_level"), 16);
    return { value: { riskEvents, ...(level !== undefined ? { storedRiskLevel: level } : {}) }, records: riskEvents.length };
  };
}

function deviceOf(stored: StoredEvent): DeviceDetails {
  const e = stored.event as unknown;
  const d: DeviceDetails = { source: "store" };
  const pick: Array<[keyof DeviceDetails, unknown]> = [
    ["id", path(e, "host.id") ?? path(e, "device.id")],
    ["name", path(e, "host.name")],
    ["device_type", path(e, "host.os.family")],
    ["os_version", path(e, "host.os.version")],
    ["manufacturer", path(e, "device.manufacturer")],
    ["model", path(e, "device.model.name")],
    ["serial_number", path(e, "device.serial_number")],
    ["client_version", path(e, "user_agent.version")],
    ["last_seen_user", path(e, "user.email")],
  ];
  for (const [key, raw] of pick) {
    const v = clip(raw, 256);
    if (v !== undefined) (d as unknown as Record<string, string>)[key] = v;
  }
  d.last_seen_at = isoFromMs(stored.time);
  return d;
}
