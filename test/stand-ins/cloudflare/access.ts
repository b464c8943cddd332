import { ApiRefusal, CODES, ok } from "./http";
import { direction, listParam, oneOf, pageOf, timeWindow, type Rec } from "./query-tools";
import type { RouteTable } from "./routes";

const SCIM_FILTERS = ["status", "resource_type", "request_method", "resource_user_email", "resource_group_name", "cf_resource_id", "idp_resource_id"];

/** Access: identity providers, SCIM update logs, authentication logs, users (reference §3, §6.2, §6.3). */
export function accessRoutes(routes: RouteTable): void {
  routes.add("GET", "/accounts/:account/access/identity_providers", (req, data) => {
    const page = pageOf(data.identityProviders, req.query, { perPage: 25, maxPerPage: 1000 });
    return ok(page.items, page.info);
  });

  routes.add("GET", "/accounts/:account/access/logs/scim/updates", (req, data) => {
    const idps = listParam(req.query, "idp_id");
    if (idps.length === 0) throw new ApiRefusal(400, CODES.invalidRequest, "idp_id is required");
    let records = oneOf(data.scim, "idp_id", idps);
    for (const filter of SCIM_FILTERS) records = oneOf(records, filter, listParam(req.query, filter));
    const page = pageOf(timeWindow(records, "logged_at", req.query, direction(req.query, "desc")), req.query, { perPage: 25, maxPerPage: 1000 });
    return ok(page.items, page.info);
  });

  routes.add("GET", "/accounts/:account/access/logs/access_requests", (req, data) => {
    const q = req.query;
    const email = q.get("email");
    const exact = q.get("email_exact") === "true";
    const matches = (r: Rec) => {
      if (!email) return true;
      const have = String(r.user_email ?? "").toLowerCase();
      return exact ? have === email.toLowerCase() : have.includes(email.toLowerCase());
    };
    const records = timeWindow(data.accessRequests.filter(matches), "created_at", q, direction(q, "desc"));
    // Older clients page with `limit` alone; `per_page` wins when both are given.
    const limit = q.get("limit");
    const paging = limit && !q.has("per_page") ? new URLSearchParams([...q, ["per_page", limit]]) : q;
    const page = pageOf(records, paging, { perPage: 25, maxPerPage: 1000 });
    return ok(page.items, page.info);
  });

  routes.add("GET", "/accounts/:account/access/users", (req, data) => {
    const q = req.query;
    const lower = (v: unknown) => String(v ?? "").toLowerCase();
    const email = q.get("email");
    const name = q.get("name");
    const search = q.get("search");
    const users = data.users.filter(
      (u) =>
        (!email || lower(u.email) === email.toLowerCase()) &&
        (!name || lower(u.name) === name.toLowerCase()) &&
        (!search || lower(u.email).includes(search.toLowerCase()) || lower(u.name).includes(search.toLowerCase())),
    );
    const page = pageOf(users, q, { perPage: 25, maxPerPage: 1000 });
    return ok(page.items, page.info);
  });
}
