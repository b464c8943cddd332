import type { NormalizedEvent, RawRecord } from "../schema/event";
import { endpoint, finish, newEvent, relate, setEndpoint, setHost, setNat, setNetwork, setRule, setUser, verdict, type ParseContext } from "./build";
import { lower, text } from "./fields";

/** `gateway_network` (reference §2.2): one L4 session evaluated by Gateway network policies. */
export function normalizeGatewayNetwork(r: RawRecord, ctx: ParseContext): NormalizedEvent {
  const action = lower(r.Action);
  const { type, outcome } = verdict(action, "connection");
  const ev = newEvent("gateway_network", r.Datetime, { category: ["network"], type, action, outcome, id: text(r.SessionID) }, ctx);
  setUser(ev, r.Email, r.UserID);
  setEndpoint(ev, "source", endpoint(r.SourceIP, r.SourcePort, r.SourceIPCountryCode, r.SourceIPContinentCode));
  const sni = text(r.SNI);
  setEndpoint(ev, "destination", endpoint(r.DestinationIP, r.DestinationPort, r.DestinationIPCountryCode, r.DestinationIPContinentCode, sni));
  setHost(ev, r.DeviceID, r.DeviceName, r.SourceInternalIP);
  if (sni !== undefined) {
    ev.tls = { client: { server_name: sni } };
    relate(ev.related.hosts, sni);
  }
  // A Network Override rewrites where the session goes: destination NAT in ECS terms.
  setNat(ev, "destination", r.OverrideIP, r.OverridePort);
  setNetwork(ev, lower(r.TransportProtocol) ?? lower(r.Transport), lower(r.DetectedProtocol));
  setRule(ev, r.PolicyID, r.PolicyName);
  return finish(ev, { gateway_network: r }, ctx);
}
