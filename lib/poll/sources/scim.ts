import { createHash } from "node:crypto";
import type { RawRecord } from "../../ingest/logpush-body";
import { apiTime, iso, type PollSource } from "../poll-source";

interface IdentityProvider {
  id?: unknown;
  scim_config?: { enabled?: unknown };
}

/**
 * SCIM provisioning updates. The endpoint requires an identity provider, so the account's
 * providers with SCIM switched on are listed first, then each one's updates are read oldest first.
 */
export const scimSource: PollSource = {
  dataset: "scim",
  async *fetch(api, window) {
    const providers: string[] = [];
    for await (const page of api.pages<IdentityProvider>(api.accountPath("/access/identity_providers"))) {
      for (const idp of page.items) {
        if (idp && idp.scim_config?.enabled === true && typeof idp.id === "string") providers.push(idp.id);
      }
    }
    for (const idp of providers) {
      const query = { idp_id: [idp], since: iso(window.since), until: iso(window.until), direction: "asc" };
      for await (const page of api.pages<RawRecord>(api.accountPath("/access/logs/scim/updates"), query, { perPage: 100 })) {
        yield page.items.filter(isRecord).map((record) => ({ record, id: contentId(record), time: apiTime(record.logged_at) }));
      }
    }
  },
};

/** SCIM updates carry no id of their own; the whole record names itself. */
function contentId(record: RawRecord): string {
  return createHash("sha256").update(JSON.stringify(record)).digest("base64url").slice(0, 32);
}

export function isRecord(value: unknown): value is RawRecord {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
