import type { NormalizedEvent, Outcome, RawRecord } from "../schema/event";
import { endpoint, finish, newEvent, setEndpoint, setHost, setNat, peer, setNetwork, setRule, setUser, type Draft, type ParseContext } from "./build";
import { count, lower, text } from "./fields";
import { epochMs, isoFromMs } from "./timestamp";

/** Close reasons of a session that ended normally; errors, refusals and limits are failures. */
const CLEAN_CLOSE = new Set(["CLIENT_CLOSED", "ORIGIN_CLOSED", "CLIENT_IDLE_TIMEOUT"]);

/**
 * `zero_trust_network_sessions` (reference §2.7): one proxied session, failed ones included
 * (Gateway network logs only established TCP). It has no policy verdict; the close reason is the
 * outcome.
 */
export function normalizeZeroTrustNetworkSessions(r: RawRecord, ctx: ParseContext): NormalizedEvent {
  const reason = text(r.ConnectionCloseReason);
  const outcome: Outcome =
    reason === undefined || reason === "UNKNOWN" ? "unknown" : CLEAN_CLOSE.has(reason) ? "success" : "failure";
  const start = epochMs(r.SessionStartTime);
  const end = epochMs(r.SessionEndTime);
  const head = { category: ["network", "session"], type: ["connection"], action: "network-session", outcome, id: text(r.SessionID) };
  const ev = newEvent("zero_trust_network_sessions", start !== undefined ? r.SessionStartTime : r.SessionEndTime, head, ctx);
  if (start !== undefined) ev.event.start = isoFromMs(start);
  if (end !== undefined) ev.event.end = isoFromMs(end);
  if (start !== undefined && end !== undefined && end >= start) ev.event.duration = (end - start) * 1e6;
  if (reason !== undefined) ev.event.reason = reason;
  setUser(ev, r.Email, r.UserID);
  setEndpoint(ev, "source", endpoint(r.SourceIP, r.SourcePort));
  setEndpoint(ev, "destination", endpoint(r.OriginIP, r.OriginPort));
  setHost(ev, r.DeviceID, r.DeviceName, r.SourceInternalIP);
  // Cloudflare's egress address is the source as the origin saw it: source NAT.
  setNat(ev, "source", r.EgressIP, r.EgressPort);
  setBytes(ev, "source", count(r.BytesSent, true));
  setBytes(ev, "destination", count(r.BytesReceived, true));
  setNetwork(ev, lower(r.Protocol), lower(r.DetectedProtocol));
  setRule(ev, r.EgressRuleID, r.EgressRuleName);
  return finish(ev, { zero_trust_network_sessions: r }, ctx);
}

function setBytes(ev: Draft, key: "source" | "destination", bytes: number | undefined): void {
  if (bytes !== undefined) peer(ev, key).bytes = bytes;
}
