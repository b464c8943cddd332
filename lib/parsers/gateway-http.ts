import type { EcsHttp, NormalizedEvent, RawRecord } from "../schema/event";
import { endpoint, finish, newEvent, relate, setEndpoint, setHost, setNetwork, setRule, setUser, verdict, type Draft, type ParseContext } from "./build";
import { count, lower, text } from "./fields";
import { hostUrl, urlParts } from "./url";

/** `gateway_http` (reference §2.1): one HTTP request seen by Secure Web Gateway. */
export function normalizeGatewayHttp(r: RawRecord, ctx: ParseContext): NormalizedEvent {
  const action = lower(r.Action);
  const { type, outcome } = verdict(action, "info");
  const ev = newEvent("gateway_http", r.Datetime, { category: ["network", "web"], type, action, outcome, id: text(r.RequestID) }, ctx);
  setUser(ev, r.Email, r.UserID);
  const full = text(r.URL);
  const host = text(r.HTTPHost);
  const url = full !== undefined ? urlParts(full) : host !== undefined ? hostUrl(host) : undefined;
  if (url !== undefined) ev.url = url;
  setEndpoint(ev, "source", endpoint(r.SourceIP, r.SourcePort, r.SourceIPCountryCode, r.SourceIPContinentCode));
  setEndpoint(ev, "destination", endpoint(r.DestinationIP, r.DestinationPort, r.DestinationIPCountryCode, r.DestinationIPContinentCode, url?.domain));
  setHost(ev, r.DeviceID, r.DeviceName, r.SourceInternalIP);
  relate(ev.related.hosts, url?.domain);
  httpFields(ev, r);
  setRule(ev, r.PolicyID, r.PolicyName);
  setNetwork(ev, undefined, "http");
  return finish(ev, { gateway_http: r }, ctx);
}

function httpFields(ev: Draft, r: RawRecord): void {
  const method = text(r.HTTPMethod);
  const referrer = text(r.Referer);
  const status = count(r.HTTPStatusCode);
  const version = text(r.HTTPVersion);
  const agent = text(r.UserAgent);
  if (agent !== undefined) ev.user_agent = { original: agent };
  if (method === undefined && referrer === undefined && status === undefined && version === undefined) return;
  const http: EcsHttp = {};
  if (method !== undefined || referrer !== undefined) {
    http.request = {};
    if (method !== undefined) http.request.method = method;
    if (referrer !== undefined) http.request.referrer = referrer;
  }
  if (status !== undefined) http.response = { status_code: status };
  if (version !== undefined) http.version = version;
  ev.http = http;
}
