import type { RawRecord } from "../../ingest/logpush-body";
import { apiTime, iso, type PollSource } from "../poll-source";
import { isRecord } from "./scim";

/** Access authentication logs from the REST API, for accounts that do not push them by Logpush. */
export const accessRequestsSource: PollSource = {
  dataset: "access_requests",
  async *fetch(api, window) {
    const query = { since: iso(window.since), until: iso(window.until), direction: "asc" };
    for await (const page of api.pages<RawRecord>(api.accountPath("/access/logs/access_requests"), query, { perPage: 1000 })) {
      yield page.items.filter(isRecord).map((record) => ({
        record,
        id: `${String(record.ray_id ?? "")}|${String(record.created_at ?? "")}|${String(record.action ?? "")}|${String(record.user_email ?? "")}`,
        time: apiTime(record.created_at),
      }));
    }
  },
};
