import { ACCESS_LOGINS, GATEWAY_DATASETS } from "./analytics-datasets";
import { accessLoginsCall, accessLogsCall, analyticsCall, deviceLookup, devicesCall, riskCall, userLookup, usersCall, type UserIdSource } from "./api-calls";
import type { Call } from "./call-runner";
import { callsIf, type Contribution, type Planner } from "./contribution";
import { looksLikeId } from "./devices";
import { storeRelated, storeRiskEvents, storeSignIns, storeSummary, storeTimeline } from "./store-calls";

/**
 * User activity (reference §6.8): the user's profile, sign-ins and where they came from, devices,
 * risk, and Gateway activity. An e-mail opens every call; a user id only those keyed by id.
 */
export const planUser: Planner = (ctx, store, client) => ({
  store: callsIf(store, (s) => ({
    timeline: storeTimeline(s, ctx, "user"),
    summary: storeSummary(s, ctx, "user"),
    sign_ins: storeSignIns(s, ctx),
    risk_events: storeRiskEvents(s, ctx),
    ...storeRelated(s, ctx),
  })),
  api: callsIf(client, (c): Record<string, Call<Contribution>> => {
    if (looksLikeId(ctx.value)) {
      const user: UserIdSource = { id: ctx.value };
      return { access_logins: accessLoginsCall(c, ACCESS_LOGINS, user, ctx), risk: riskCall(c, user, ctx) };
    }
    if (!ctx.value.includes("@")) return {};
    const lookup = userLookup(c, ctx.value);
    const user: UserIdSource = { lookup };
    return {
      users: usersCall(lookup),
      access_requests: accessLogsCall(c, "email", ctx, ctx.related),
      access_logins: accessLoginsCall(c, ACCESS_LOGINS, user, ctx),
      devices: devicesCall(deviceLookup(c, "user", ctx.value)),
      risk: riskCall(c, user, ctx),
      ...Object.fromEntries(GATEWAY_DATASETS.map((ds) => [ds.call, analyticsCall(c, ds, ["user"], ctx, ctx.related)])),
    };
  }),
});
