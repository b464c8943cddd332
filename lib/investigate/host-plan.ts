import { GATEWAY_DATASETS } from "./analytics-datasets";
import { analyticsCall, deviceLookup, devicesCall, registrationsCall } from "./api-calls";
import { callsIf, type Planner } from "./contribution";
import { looksLikeId } from "./devices";
import { storePosture, storeRelated, storeSummary, storeTimeline } from "./store-calls";

/**
 * Query Host (reference §6.8): the device by name, id or serial in the devices API, who enrolled
 * it, its Gateway activity; from the store its events and the latest result of each posture check.
 */
export const planHost: Planner = (ctx, store, client) => {
  const pivot = looksLikeId(ctx.value) ? "host_id" : "host";
  return {
    store: callsIf(store, (s) => ({ timeline: storeTimeline(s, ctx, "host"), summary: storeSummary(s, ctx, "host"), posture: storePosture(s, ctx), ...storeRelated(s, ctx) })),
    api: callsIf(client, (c) => {
      const devices = deviceLookup(c, "host", ctx.value);
      return {
        devices: devicesCall(devices),
        registrations: registrationsCall(c, devices),
        ...Object.fromEntries(GATEWAY_DATASETS.map((ds) => [ds.call, analyticsCall(c, ds, [pivot], ctx, ctx.related)])),
      };
    }),
  };
};
