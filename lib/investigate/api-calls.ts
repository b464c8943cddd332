import type { CloudflareClient } from "../cloudflare/client";
import { slug } from "../parsers/fields";
import { accessLogs } from "./access-logs";
import { findUser } from "./access-users";
import type { AnalyticsDataset, AnalyticsPivot } from "./analytics-datasets";
import { queryAnalytics } from "./analytics-query";
import type { Call, CallAnswer } from "./call-runner";
import type { Contribution, PlanContext, RelatedPivot } from "./contribution";
import { deviceRegistrations, findDevices } from "./devices";
import { relatedFromEntries } from "./related";
import { userRisk } from "./risk-scoring";
import type { DeviceDetails, TimelineEntry, UserProfile } from "./types";

/** Access logins scanned for an IP, which the API cannot filter on: pages × per page. */
const IP_SCAN_PER_PAGE = 1000;
const IP_SCAN_PAGES = 5;
const RISK_EVENTS = 100;

/** The shape of a call's answer changed, its counts kept. */
function reshape<A, B>(answer: CallAnswer<A>, value: B): CallAnswer<B> {
  return { ...answer, value };
}

/**
 * One Analytics dataset filtered by the pivots; its rows go to the timeline unless `relatedOnly`,
 * and feed the related connections of `related`.
 */
export function analyticsCall(client: CloudflareClient, ds: AnalyticsDataset, pivots: AnalyticsPivot[], ctx: PlanContext, related: RelatedPivot[], relatedOnly = false): Call<Contribution> {
  return async (signal) => {
    const answer = await queryAnalytics(client, ds, { pivots, value: ctx.value, from: ctx.window.from, to: ctx.window.to, limit: ctx.cap }, signal);
    const contribution: Contribution = { related: relatedFromEntries(answer.value, related) };
    if (!relatedOnly) contribution.timeline = answer.value;
    return reshape(answer, contribution);
  };
}

/** A related domain's Analytics rows, asked for on their own: who else resolved or browsed it. */
export function domainCall(client: CloudflareClient, ds: AnalyticsDataset, ctx: PlanContext, domain: RelatedPivot): Call<Contribution> {
  return analyticsCall(client, ds, ["domain"], { ...ctx, value: domain.value }, [domain], true);
}

/** Access authentication logs of an e-mail or an IP in the window. */
export function accessLogsCall(client: CloudflareClient, by: "email" | "ip", ctx: PlanContext, related: RelatedPivot[] = []): Call<Contribution> {
  return async (signal) => {
    const perPage = by === "ip" ? IP_SCAN_PER_PAGE : Math.min(1000, ctx.cap);
    const maxPages = by === "ip" ? IP_SCAN_PAGES : Math.ceil(ctx.cap / perPage);
    const answer = await accessLogs(client, { by, value: ctx.value, from: ctx.window.from, to: ctx.window.to, perPage, maxPages }, signal);
    const contribution: Contribution = { timeline: answer.value, related: relatedFromEntries(answer.value, related) };
    if (by === "email") contribution.signIns = answer.value;
    return reshape(answer, contribution);
  };
}

/** Looks a user up once, however many calls need the user's id. */
export function userLookup(client: CloudflareClient, email: string): () => Promise<CallAnswer<UserProfile | null>> {
  let pending: Promise<CallAnswer<UserProfile | null>> | undefined;
  return () => (pending ??= findUser(client, email));
}

export function usersCall(lookup: () => Promise<CallAnswer<UserProfile | null>>): Call<Contribution> {
  return async () => {
    const answer = await lookup();
    return reshape(answer, { profile: answer.value });
  };
}

/** The user id a later call needs: given, or looked up from the e-mail. */
export type UserIdSource = { id: string } | { lookup: () => Promise<CallAnswer<UserProfile | null>> };

async function userIdOf(source: UserIdSource): Promise<string> {
  if ("id" in source) return source.id;
  const found = (await source.lookup().catch((err: Error) => {
    throw new Error(`the user's id is unknown: ${err.message}`);
  })).value;
  if (!found?.id) throw new Error("the user's id is unknown: no Zero Trust user has this e-mail");
  return found.id;
}

/** The user's risk level and events; events inside the window also go to the timeline. */
export function riskCall(client: CloudflareClient, user: UserIdSource, ctx: PlanContext): Call<Contribution> {
  return async (signal) => {
    const answer = await userRisk(client, await userIdOf(user), RISK_EVENTS, signal);
    const timeline: TimelineEntry[] = answer.value.events
      .filter((e) => {
        const t = Date.parse(e["@timestamp"]);
        return t >= ctx.window.from && t <= ctx.window.to;
      })
      .map((e) => ({
        "@timestamp": e["@timestamp"],
        source: e.source,
        dataset: "risk_score",
        action: slug(e.name) ?? "risk-event",
        rule: e.name,
        ...(e.level ? { level: e.level } : {}),
        ...(e.id ? { id: e.id } : {}),
      }));
    return reshape(answer, { risk: answer.value, timeline });
  };
}

/** The user's Access logins per the login analytics: where from, by country and address. */
export function accessLoginsCall(client: CloudflareClient, ds: AnalyticsDataset, user: UserIdSource, ctx: PlanContext): Call<Contribution> {
  return async (signal) => {
    const id = await userIdOf(user);
    const answer = await queryAnalytics(client, ds, { pivots: ["user_id"], value: id, from: ctx.window.from, to: ctx.window.to, limit: ctx.cap }, signal);
    return reshape(answer, { logins: answer.value });
  };
}

/** Looks devices up once, for the device call and the registrations that need its id. */
export function deviceLookup(client: CloudflareClient, by: "host" | "user", value: string): (signal: AbortSignal) => Promise<CallAnswer<DeviceDetails[]>> {
  let pending: Promise<CallAnswer<DeviceDetails[]>> | undefined;
  return (signal) => (pending ??= findDevices(client, by, value, signal));
}

export function devicesCall(lookup: (signal: AbortSignal) => Promise<CallAnswer<DeviceDetails[]>>): Call<Contribution> {
  return async (signal) => {
    const answer = await lookup(signal);
    return reshape(answer, { devices: answer.value });
  };
}

/** Who enrolled the best-matching device, revoked enrolments included. */
export function registrationsCall(client: CloudflareClient, lookup: (signal: AbortSignal) => Promise<CallAnswer<DeviceDetails[]>>): Call<Contribution> {
  return async (signal) => {
    const devices = await lookup(signal).catch((err: Error) => {
      throw new Error(`the device is unknown: ${err.message}`);
    });
    const id = devices.value[0]?.id;
    if (id === undefined) return { value: { registrations: [] }, records: 0, note: "no device to list registrations of" };
    const answer = await deviceRegistrations(client, id, signal);
    return reshape(answer, { registrations: answer.value });
  };
}
