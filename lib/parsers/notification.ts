import type { NormalizedEvent, NotificationSummary, RawRecord } from "../schema/event";
import { finish, newEvent, setRule, type ParseContext } from "./build";
import { text } from "./fields";

/** Alert types about connectivity; the rest (expiring tokens and certificates, Logpush jobs) are configuration. */
const NETWORK_ALERTS = ["tunnel_", "device_connectivity", "synthetic_test"];

/**
 * `notification` (reference §5): a Cloudflare Notifications webhook payload, already an alert on
 * Cloudflare's side, hence `event.kind: alert`. `alert_correlation_id` is shared by an alert's start
 * and end, so it is no `event.id`.
 */
export function normalizeNotification(r: RawRecord, ctx: ParseContext): NormalizedEvent {
  const alertType = text(r.alert_type);
  const category = alertType !== undefined && NETWORK_ALERTS.some((p) => alertType.startsWith(p)) ? "network" : "configuration";
  const ev = newEvent("notification", r.ts, { kind: "alert", category: [category], type: ["info"], action: alertType, outcome: "unknown" }, ctx);
  const message = text(r.text);
  if (message !== undefined) ev.message = message;
  setRule(ev, r.policy_id, text(r.policy_name) ?? text(r.name));
  const summary: NotificationSummary = {};
  const alertEvent = text(r.alert_event);
  const correlation = text(r.alert_correlation_id);
  if (alertType !== undefined) summary.alert_type = alertType;
  if (alertEvent !== undefined) summary.alert_event = alertEvent;
  if (correlation !== undefined) summary.correlation_id = correlation;
  if (alertType !== undefined || alertEvent !== undefined || correlation !== undefined) (ev.ztna ??= {}).notification = summary;
  return finish(ev, { notification: r }, ctx);
}
