/**
 * The normalized event (DESIGN §3.4): ECS field names as nested objects, following the mapping of
 * Elastic's `cloudflare_logpush` integration where it has one, so that queries and rules written
 * for an ECS SIEM read our events unchanged. Fields are present only when the source had a value:
 * no `""`, no `null`, no empty objects. `related.*` is the exception: always three arrays.
 */

/** Sources we normalize: Logpush dataset ids as Cloudflare spells them, plus the polled and pushed ones. */
export const DATASETS = [
  "gateway_http",
  "gateway_network",
  "gateway_dns",
  "access_requests",
  "audit_logs",
  "audit_logs_v2",
  "device_posture_results",
  "zero_trust_network_sessions",
  "scim",
  "risk_score",
  "notification",
] as const;

export type Dataset = (typeof DATASETS)[number];

/** A record as Cloudflare sent it (a parsed NDJSON line, a polled API object, a webhook body). */
export type RawRecord = Record<string, unknown>;

export type Outcome = "success" | "failure" | "unknown";

export interface EcsEventFields {
  kind: "event" | "alert";
  category: string[];
  type: string[];
  /** Omitted only when the source's own action field is missing or empty. */
  action?: string;
  outcome: Outcome;
  /** `cloudflare.<dataset>` */
  dataset: string;
  /** When the record reached us: the batch's receipt time. */
  ingested: string;
  id?: string;
  /** Numeric ECS severity: 21 low, 47 medium, 73 high, 99 critical. */
  severity?: number;
  start?: string;
  end?: string;
  /** Nanoseconds, as ECS has it. */
  duration?: number;
  reason?: string;
  provider?: string;
}

export interface EcsGeo {
  country_iso_code?: string;
  continent_code?: string;
}

export interface EcsNat {
  ip?: string;
  port?: number;
}

export interface EcsEndpoint {
  ip?: string;
  port?: number;
  domain?: string;
  bytes?: number;
  geo?: EcsGeo;
  nat?: EcsNat;
}

export interface EcsUserRef {
  id?: string;
  email?: string;
  name?: string;
}

export interface EcsUser extends EcsUserRef {
  /** The user an IAM change (SCIM) was made to; `user.*` itself is then the actor, if known. */
  target?: EcsUserRef;
}

export interface EcsHost {
  id?: string;
  name?: string;
  /** The device's own address: the WARP CGNAT IP or the LAN IP behind a GRE/IPsec on-ramp. */
  ip?: string[];
  os?: { family?: string; version?: string };
}

export interface EcsDevice {
  id?: string;
  manufacturer?: string;
  serial_number?: string;
  model?: { name?: string };
}

export interface EcsUrl {
  original?: string;
  full?: string;
  scheme?: string;
  domain?: string;
  port?: number;
  path?: string;
  query?: string;
  fragment?: string;
}

export interface EcsHttp {
  version?: string;
  request?: { method?: string; referrer?: string };
  response?: { status_code?: number };
}

export interface EcsRule {
  id?: string;
  name?: string;
  category?: string;
}

export interface EcsNetwork {
  transport?: string;
  protocol?: string;
}

export interface EcsDns {
  question?: { name?: string; type?: string };
  response_code?: string;
  resolved_ip?: string[];
}

export interface EcsRelated {
  ip: string[];
  user: string[];
  hosts: string[];
}

export interface ScimMember {
  value: string;
  display?: string;
}

/** What a SCIM request did, read from its method, resource type and body. */
export interface ScimSummary {
  /** `create`, `modify`, `replace` or `delete` (POST, PATCH, PUT, DELETE); the method lower-cased otherwise. */
  operation: string;
  /** `user`, `group`, or `unknown` when neither the record nor the body says. */
  resource_type: string;
  /** The `active` the request set; null when it did not touch it. */
  active: boolean | null;
  members_added: ScimMember[];
  members_removed: ScimMember[];
  /** The whole member list a PUT, POST or `replace members` set; absent when the request set none. */
  members?: ScimMember[];
  /** True when a member list was longer than we keep (the raw record has all of it). */
  members_truncated?: true;
  /** Attributes the request set or removed, other than `active` and `members` (e.g. `displayName`). */
  attributes: string[];
  /** Why `request_body` could not be read; the rest of the summary then comes from the record alone. */
  body_error?: string;
}

export interface RiskSummary {
  /** The behaviour's level as the API gives it: `low`, `medium`, `high`. */
  level?: string;
  /** The user's overall risk level when the event was polled. */
  user_level?: string;
  /** The behaviour's display name, e.g. "Impossible Travel". */
  behavior?: string;
}

export interface NotificationSummary {
  alert_type?: string;
  /** `ALERT_STATE_EVENT_START` / `ALERT_STATE_EVENT_END` where the alert has states. */
  alert_event?: string;
  /** Shared by the start and end notifications of one alert. */
  correlation_id?: string;
}

/** Our own fields: what ECS has no name for. */
export interface ZtnaFields {
  /** The dataset the record was delivered as, when its fields say it is another one. */
  received_as?: string;
  /** The record had no readable timestamp: `@timestamp` is the receipt time (`event.ingested`). */
  timestamp_missing?: true;
  scim?: ScimSummary;
  risk?: RiskSummary;
  notification?: NotificationSummary;
}

export interface NormalizedEvent {
  "@timestamp": string;
  event: EcsEventFields;
  message?: string;
  user?: EcsUser;
  group?: { id?: string; name?: string };
  host?: EcsHost;
  device?: EcsDevice;
  source?: EcsEndpoint;
  destination?: EcsEndpoint;
  client?: EcsEndpoint;
  url?: EcsUrl;
  http?: EcsHttp;
  user_agent?: { original?: string; version?: string };
  tls?: { client?: { server_name?: string } };
  rule?: EcsRule;
  network?: EcsNetwork;
  dns?: EcsDns;
  error?: { message?: string };
  related: EcsRelated;
  /**
   * The record exactly as received, under its dataset's name. It is the caller's object itself,
   * not a copy (a copy would double the memory of every batch): nothing here writes to it, and
   * nothing downstream should.
   */
  cloudflare: { [D in Dataset]?: RawRecord };
  ztna?: ZtnaFields;
}

const KNOWN: ReadonlySet<string> = new Set(DATASETS);

export function isDataset(name: unknown): name is Dataset {
  return typeof name === "string" && KNOWN.has(name);
}
