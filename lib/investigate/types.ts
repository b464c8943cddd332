/**
 * What an investigation answers (DESIGN §5): the result that lands on `alert.investigation.<kind>`.
 * Stable enough to route on: a flow may switch on `backends.api.state` or read `summary.related`.
 */

export type InvestigationKind = "ip" | "host" | "risk" | "user";

/** `partial`: the backend answered, but some of its calls failed (each one's reason is in `calls`). */
export type BackendState = "ok" | "partial" | "error" | "absent";

export interface CallStatus {
  state: "ok" | "error";
  /** Set for `error`; also says why an `ok` answer is incomplete (a page cap, rows dropped). */
  reason?: string;
  /** Rows, events or items the call gave. */
  records: number;
  /** The call stopped at a cap and more was there. */
  truncated?: boolean;
}

export interface BackendStatus {
  state: BackendState;
  /** Why the backend is absent, failed or partial. */
  reason?: string;
  /** Wall time the backend took, ms. */
  ms?: number;
  /** The API's individual calls, by name (`gateway_http`, `access_requests`, `users`, …). */
  calls?: Record<string, CallStatus>;
}

/**
 * One line of the timeline. Store events and API rows share the shape; `source` says where it came
 * from: `store`, or `api:<call>` (`api:gateway_http`, `api:access_requests`, `api:risk`, …).
 */
export interface TimelineEntry {
  "@timestamp": string;
  source: string;
  /** The source's dataset name, as the parsers name them (`gateway_http`, `access_requests`, `risk_score`). */
  dataset: string;
  action?: string;
  outcome?: string;
  /** Events this line stands for: API analytics rows are aggregates. Absent means one. */
  count?: number;
  user?: string;
  host?: string;
  source_ip?: string;
  destination_ip?: string;
  destination_port?: number;
  domain?: string;
  url?: string;
  country?: string;
  /** The Gateway or Access policy, posture check or risk behaviour. */
  rule?: string;
  /** Risk level of a risk event. */
  level?: string;
  id?: string;
}

/** A value and how often it was seen; `sources` are the backends that saw it. */
export interface Tally {
  value: string;
  count: number;
  sources: string[];
}

/** Who else touched the same IP or domain: by the pivot's source side, destination side, or domain. */
export interface RelatedConnection {
  by: "source_ip" | "destination_ip" | "domain";
  value: string;
  events: number;
  /** Users and hosts other than the alert's own. */
  users: Tally[];
  hosts: Tally[];
}

export interface DeviceRegistration {
  id: string;
  user?: string;
  last_seen_at?: string;
  created_at?: string;
  revoked_at?: string;
  deleted_at?: string;
  tunnel_type?: string;
}

export interface DeviceDetails {
  source: string;
  id?: string;
  name?: string;
  device_type?: string;
  os_version?: string;
  manufacturer?: string;
  model?: string;
  serial_number?: string;
  mac_address?: string;
  client_version?: string;
  created_at?: string;
  last_seen_at?: string;
  last_seen_user?: string;
  active_registrations?: number;
  registrations?: DeviceRegistration[];
}

/** The latest result of one posture check on the device. */
export interface PostureCheck {
  check: string;
  type?: string;
  outcome: string;
  "@timestamp": string;
  source: string;
}

export interface RiskEvent {
  id?: string;
  name: string;
  level?: string;
  "@timestamp": string;
  source: string;
}

export interface RiskProfile {
  /** The user's current level from the API (`low`, `medium`, `high`), else the newest stored one; null when unscored. */
  level: string | null;
  level_source?: string;
  user_id?: string;
  last_reset_time?: string;
  /** Newest first, capped. */
  events: RiskEvent[];
  by_level: Tally[];
  by_behavior: Tally[];
}

export interface UserProfile {
  id?: string;
  email?: string;
  name?: string;
  created_at?: string;
  last_successful_login?: string;
  active_device_count?: number;
  access_seat?: boolean;
  gateway_seat?: boolean;
}

export interface SignIns {
  total: number;
  success: number;
  failure: number;
  first?: string;
  last?: string;
}

export interface UserActivity {
  profile?: UserProfile;
  sign_ins: SignIns;
  countries: Tally[];
  source_ips: Tally[];
  apps: Tally[];
  devices: DeviceDetails[];
}

export interface InvestigationSummary {
  /** Events both backends saw, counted once (see `Tally`). */
  events: number;
  first_seen?: string;
  last_seen?: string;
  by_dataset: Tally[];
  by_action: Tally[];
  top_peers: Tally[];
  top_domains: Tally[];
  users: Tally[];
  hosts: Tally[];
  related: RelatedConnection[];
  device?: DeviceDetails;
  posture?: PostureCheck[];
  activity?: UserActivity;
  risk?: RiskProfile;
}

export interface Investigation {
  kind: InvestigationKind;
  /** What was investigated; null when there was nothing to investigate (`problem` says why). */
  value: string | null;
  /** Where the value came from: the alert's entity key, its evidence, or the flow. */
  from: "alert" | "evidence" | "value" | "none";
  problem?: string;
  window: { from: string; to: string };
  backends: { store: BackendStatus; api: BackendStatus };
  /** Oldest first; the newest `cap` lines when there were more. */
  timeline: TimelineEntry[];
  /** Lines before the cap. */
  timeline_total: number;
  truncated: boolean;
  summary: InvestigationSummary;
  ms: number;
}
