import { GATEWAY_DNS, GATEWAY_HTTP, GATEWAY_NETWORK } from "./analytics-datasets";
import { accessLogsCall, analyticsCall, domainCall } from "./api-calls";
import { callsIf, type Planner } from "./contribution";
import { storeRelated, storeSummary, storeTimeline } from "./store-calls";

/**
 * Query IP (reference §6.8): the address on either side of a connection, in the store and in the
 * Gateway analytics (HTTP, network, DNS answers) and Access logins. The alert's domain is asked
 * for on its own, for who else went there.
 */
export const planIp: Planner = (ctx, store, client) => {
  const byIp = ctx.related.filter((r) => r.by !== "domain");
  const domain = ctx.related.find((r) => r.by === "domain");
  return {
    store: callsIf(store, (s) => ({ timeline: storeTimeline(s, ctx, "ip"), summary: storeSummary(s, ctx, "ip"), ...storeRelated(s, ctx) })),
    api: callsIf(client, (c) => ({
      gateway_http: analyticsCall(c, GATEWAY_HTTP, ["source_ip", "destination_ip"], ctx, byIp),
      gateway_network: analyticsCall(c, GATEWAY_NETWORK, ["source_ip", "destination_ip"], ctx, byIp),
      gateway_dns: analyticsCall(c, GATEWAY_DNS, ["source_ip", "destination_ip"], ctx, byIp),
      access_requests: accessLogsCall(c, "ip", ctx, byIp),
      ...(domain ? { domain_http: domainCall(c, GATEWAY_HTTP, ctx, domain), domain_dns: domainCall(c, GATEWAY_DNS, ctx, domain) } : {}),
    })),
  };
};
