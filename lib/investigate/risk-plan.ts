import { riskCall, userLookup, usersCall } from "./api-calls";
import type { Call } from "./call-runner";
import { callsIf, type Contribution, type Planner } from "./contribution";
import { looksLikeId } from "./devices";
import { storeRiskEvents, storeSummary, storeTimeline } from "./store-calls";

/**
 * Query Risk Events (reference §4.2, §6.8): the user's level and risk events from risk scoring
 * (an e-mail is resolved to the user id first), and the risk events the store has kept.
 */
export const planRisk: Planner = (ctx, store, client) => {
  const datasets = ["risk_score"];
  return {
    store: callsIf(store, (s) => ({ timeline: storeTimeline(s, ctx, "user", datasets), summary: storeSummary(s, ctx, "user", datasets), risk_events: storeRiskEvents(s, ctx) })),
    api: callsIf(client, (c): Record<string, Call<Contribution>> => {
      if (looksLikeId(ctx.value)) return { risk: riskCall(c, { id: ctx.value }, ctx) };
      const lookup = userLookup(c, ctx.value);
      return { users: usersCall(lookup), risk: riskCall(c, { lookup }, ctx) };
    }),
  };
};
