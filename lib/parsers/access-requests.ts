import type { NormalizedEvent, Outcome, RawRecord } from "../schema/event";
import { endpoint, finish, newEvent, relate, relateEach, setEndpoint, setUser, type ParseContext } from "./build";
import { flag, lower, text } from "./fields";
import { domainAndPath } from "./url";

/** `access_requests` (reference §2.3): one login or logout at an Access application. */
export function normalizeAccessRequests(r: RawRecord, ctx: ParseContext): NormalizedEvent {
  const action = lower(r.Action);
  const allowed = flag(r.Allowed);
  const type = [action === "login" ? "start" : action === "logout" ? "end" : "info"];
  let outcome: Outcome = "unknown";
  if (allowed !== undefined) {
    type.push(allowed ? "allowed" : "denied");
    outcome = allowed ? "success" : "failure";
  }
  const ev = newEvent("access_requests", r.CreatedAt, { category: ["authentication", "network"], type, action, outcome, id: text(r.RayID) }, ctx);
  setUser(ev, r.Email, r.UserUID);
  // The client is the source of the login; Elastic's mapping has it as `client.*`, so both are set.
  setEndpoint(ev, "source", endpoint(r.IPAddress, undefined, r.Country));
  setEndpoint(ev, "client", endpoint(r.IPAddress, undefined, r.Country));
  const app = text(r.AppDomain);
  if (app !== undefined) {
    const url = domainAndPath(app);
    if (url !== undefined) ev.url = url;
    relate(ev.related.hosts, url?.domain);
  }
  relateEach(ev.related.user, r.TemporaryAccessApprovers);
  return finish(ev, { access_requests: r }, ctx);
}
