import type { EcsDns, NormalizedEvent, Outcome, RawRecord } from "../schema/event";
import { endpoint, finish, newEvent, relate, RELATED_LIST_MAX, setEndpoint, setHost, setNetwork, setRule, setUser, type Draft, type ParseContext } from "./build";
import { count, ident, ips, lower, text } from "./fields";

/** Resolver decisions by number, for jobs that log the code rather than the name (reference §2.4). */
const DECISIONS: Readonly<Record<number, string>> = {
  3: "blockedByCategory",
  4: "allowedOnNoLocation",
  5: "allowedOnNoPolicyMatch",
  6: "blockedAlwaysCategory",
  7: "overrideForSafeSearch",
  8: "overrideApplied",
  9: "blockedRule",
  10: "allowedRule",
};

const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"];

/** `gateway_dns` (reference §2.4): one query answered by the Gateway resolver. */
export function normalizeGatewayDns(r: RawRecord, ctx: ParseContext): NormalizedEvent {
  const decision = typeof r.ResolverDecision === "number" ? DECISIONS[r.ResolverDecision] : text(r.ResolverDecision);
  const type = ["protocol"];
  let outcome: Outcome = "unknown";
  // Decision names say what happened to the query; the response code only says what the client got
  // back, and a blocked query is usually answered NOERROR with 0.0.0.0.
  if (decision?.startsWith("blocked")) {
    type.push("denied");
    outcome = "failure";
  } else if (decision?.startsWith("allowed") || decision?.startsWith("override")) {
    type.push("allowed");
    outcome = "success";
  }
  const ev = newEvent("gateway_dns", r.Datetime, { category: ["network"], type, action: decision, outcome, id: ident(r.QueryID) }, ctx);
  setUser(ev, r.Email, r.UserID);
  setHost(ev, r.DeviceID, r.DeviceName);
  setEndpoint(ev, "source", endpoint(r.SrcIP, r.SrcPort, r.SrcIPCountryCode, r.SrcIPContinentCode));
  setEndpoint(ev, "destination", endpoint(r.DstIP, r.DstPort));
  const transport = lower(r.Protocol);
  setNetwork(ev, transport === "udp" || transport === "tcp" ? transport : undefined, "dns");
  dnsFields(ev, r);
  setRule(ev, ident(r.PolicyID), text(r.PolicyName) ?? text(r.Policy));
  return finish(ev, { gateway_dns: r }, ctx);
}

function dnsFields(ev: Draft, r: RawRecord): void {
  const name = text(r.QueryName);
  const qtype = text(r.QueryTypeName) ?? ident(r.QueryType);
  const rcode = count(r.RCode, true);
  const resolved = ips(r.ResolvedIPs, RELATED_LIST_MAX);
  const dns: EcsDns = {};
  if (name !== undefined || qtype !== undefined) {
    dns.question = {};
    if (name !== undefined) dns.question.name = name;
    if (qtype !== undefined) dns.question.type = qtype;
  }
  if (rcode !== undefined) dns.response_code = RCODES[rcode] ?? String(rcode);
  if (resolved !== undefined) {
    dns.resolved_ip = resolved;
    for (const addr of resolved) relate(ev.related.ip, addr);
  }
  relate(ev.related.hosts, name);
  if (name !== undefined || qtype !== undefined || rcode !== undefined || resolved !== undefined) ev.dns = dns;
}
