import type { Dataset, RawRecord } from "../schema/event";

/**
 * Fields that only one source has (reference §2.8, plus the polled and pushed shapes). A record
 * holding any of them is of that source; a Logpush job may leave any field out, so each source
 * lists several, the most common first. No two lists share a field, so the order of the table
 * only decides how soon the frequent sources are found.
 */
const FINGERPRINTS: ReadonlyArray<readonly [Dataset, readonly string[]]> = [
  ["gateway_http", ["URL", "HTTPMethod", "HTTPHost", "HTTPStatusCode", "HTTPVersion", "UserAgent", "Referer", "RequestID"]],
  ["gateway_dns", ["QueryName", "ResolverDecision", "QueryTypeName", "QueryType", "QueryID", "SrcIP", "DstIP", "RCode", "ResolvedIPs"]],
  ["gateway_network", ["SNI", "TransportProtocol", "Transport", "OverrideIP", "OverridePort"]],
  ["zero_trust_network_sessions", ["SessionStartTime", "SessionEndTime", "ConnectionCloseReason", "OriginIP", "OriginPort", "EgressIP", "BytesSent", "BytesReceived", "Offramp"]],
  ["access_requests", ["AppUUID", "Allowed", "AppDomain", "RayID", "IPAddress", "CreatedAt", "TemporaryAccessApprovers", "PurposeJustificationPrompt"]],
  ["device_posture_results", ["PostureCheckName", "PostureCheckType", "PostureEvaluatedResult", "DeviceSerialNumber", "PostureExpectedJSON", "PostureReceivedJSON"]],
  ["audit_logs_v2", ["AuditLogID", "ActionTimestamp", "ActorIPAddress", "ResourceProduct", "ActorContext"]],
  ["audit_logs", ["When", "ActorIP", "OwnerID", "NewValue", "OldValue"]],
  ["scim", ["cf_resource_id", "idp_resource_id", "request_body", "resource_user_email", "resource_group_name", "resource_type", "logged_at"]],
  ["risk_score", ["risk_level", "user_risk_level", "event_details"]],
  ["notification", ["alert_type", "alert_event", "alert_correlation_id", "policy_name", "ts", "text"]],
];

const BY_DATASET: ReadonlyMap<Dataset, readonly string[]> = new Map(FINGERPRINTS);

/** Whether the record has a field only `dataset` has. */
export function fits(record: RawRecord, dataset: Dataset): boolean {
  const keys = BY_DATASET.get(dataset);
  return keys !== undefined && hasAny(record, keys);
}

/** The source a record's fields say it is of; undefined when they say nothing. */
export function sniffDataset(record: RawRecord): Dataset | undefined {
  for (const [dataset, keys] of FINGERPRINTS) if (hasAny(record, keys)) return dataset;
  // The fingerprint reference §2.8 gives for audit logs, for jobs that kept neither When nor ActorIP.
  if (Object.hasOwn(record, "ActionType") && Object.hasOwn(record, "ActorEmail")) return "audit_logs";
  return undefined;
}

/** Own fields only: "constructor" or "toString" must not make an object look like anything. */
function hasAny(record: RawRecord, keys: readonly string[]): boolean {
  for (const key of keys) if (record[key] !== undefined && Object.hasOwn(record, key)) return true;
  return false;
}
