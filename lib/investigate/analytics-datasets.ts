/**
 * The GraphQL Analytics datasets the investigations read (reference §6.4), and which dimension
 * fills which timeline field. Cloudflare documents the dimensions of the Access login dataset but
 * not those of the Gateway ones; the names below are those public integrations use. A name the
 * account's schema refuses is dropped at run time (see analytics-query.ts), so one wrong guess
 * costs a field, not the dataset.
 */

/** Timeline fields a dimension can fill. */
export type DimensionTarget = "action" | "outcome" | "user" | "host" | "source_ip" | "destination_ip" | "destination_port" | "domain" | "url" | "country" | "rule" | "id";

/** What a query filters on. */
export type AnalyticsPivot = "source_ip" | "destination_ip" | "domain" | "user" | "user_id" | "host" | "host_id";

export interface AnalyticsFilter {
  field: string;
  /** `has`: the dimension is a list that must contain the value. */
  op?: "has";
}

export interface AnalyticsDataset {
  /** The call's name in statuses, and the timeline source `api:<call>`. */
  call: string;
  /** The GraphQL node under `viewer.accounts`. */
  node: string;
  /** The parsers' dataset name, so API rows and stored events count together. */
  dataset: string;
  dimensions: Partial<Record<DimensionTarget, string>>;
  filters: Partial<Record<AnalyticsPivot, AnalyticsFilter>>;
  /** The action of every row when the dataset has no action dimension. */
  action?: string;
}

export const TIME_DIMENSION = "datetime";

export const GATEWAY_HTTP: AnalyticsDataset = {
  call: "gateway_http",
  node: "gatewayL7RequestsAdaptiveGroups",
  dataset: "gateway_http",
  dimensions: {
    action: "action",
    user: "email",
    host: "deviceName",
    source_ip: "sourceIp",
    destination_ip: "destinationIp",
    destination_port: "destinationPort",
    domain: "httpHost",
    url: "url",
    rule: "policyName",
  },
  filters: {
    source_ip: { field: "sourceIp" },
    destination_ip: { field: "destinationIp" },
    domain: { field: "httpHost" },
    user: { field: "email" },
    host: { field: "deviceName" },
    host_id: { field: "deviceId" },
  },
};

export const GATEWAY_NETWORK: AnalyticsDataset = {
  call: "gateway_network",
  node: "gatewayL4SessionsAdaptiveGroups",
  dataset: "gateway_network",
  dimensions: {
    action: "action",
    user: "email",
    host: "deviceName",
    source_ip: "sourceIp",
    destination_ip: "destinationIp",
    destination_port: "destinationPort",
    rule: "policyName",
  },
  filters: {
    source_ip: { field: "sourceIp" },
    destination_ip: { field: "destinationIp" },
    user: { field: "email" },
    host: { field: "deviceName" },
    host_id: { field: "deviceId" },
  },
};

export const GATEWAY_DNS: AnalyticsDataset = {
  call: "gateway_dns",
  node: "gatewayResolverQueriesAdaptiveGroups",
  dataset: "gateway_dns",
  dimensions: {
    action: "resolverDecision",
    user: "email",
    host: "deviceName",
    source_ip: "srcIp",
    domain: "queryName",
    rule: "policyName",
  },
  filters: {
    source_ip: { field: "srcIp" },
    // An answer that resolved to the address: the DNS side of "who connected to this IP".
    destination_ip: { field: "resolvedIps", op: "has" },
    domain: { field: "queryName" },
    user: { field: "email" },
    host: { field: "deviceName" },
    host_id: { field: "deviceId" },
  },
};

/** Access logins: documented dimensions (reference §6.4); the only API source of a login's country. */
export const ACCESS_LOGINS: AnalyticsDataset = {
  call: "access_logins",
  node: "accessLoginRequestsAdaptiveGroups",
  dataset: "access_requests",
  action: "login",
  dimensions: {
    outcome: "isSuccessfulLogin",
    source_ip: "ipAddress",
    country: "country",
    id: "cfRayId",
  },
  filters: {
    source_ip: { field: "ipAddress" },
    user_id: { field: "userUuid" },
    host_id: { field: "deviceId" },
  },
};

export const GATEWAY_DATASETS: readonly AnalyticsDataset[] = [GATEWAY_HTTP, GATEWAY_NETWORK, GATEWAY_DNS];
