import type { CloudflareClient } from "../cloudflare/client";
import { flag } from "../parsers/fields";
import type { CallAnswer } from "./call-runner";
import type { UserProfile } from "./types";
import { clip, field, isRecord, when, whole, type Rec } from "./untrusted";

/** More users than this answering one exact e-mail means the server ignored the filter. */
const PER_PAGE = 50;

/**
 * The Zero Trust user with this e-mail (reference §6.3), or null when the account has none. The
 * server's `email` filter is checked here too: only an exact, case-insensitive match counts.
 */
export async function findUser(client: CloudflareClient, email: string): Promise<CallAnswer<UserProfile | null>> {
  const got = await client.request<unknown>("GET", client.accountPath("/access/users"), { query: { email, per_page: PER_PAGE } });
  if (!Array.isArray(got.result)) throw new Error("malformed answer: the users result is not a list");
  const wanted = email.toLowerCase();
  const match = got.result.find((u) => isRecord(u) && typeof u.email === "string" && u.email.toLowerCase() === wanted);
  if (!match) return { value: null, records: 0, note: "no Zero Trust user has this e-mail" };
  return { value: profile(match as Rec), records: 1 };
}

function profile(u: Rec): UserProfile {
  const p: UserProfile = {};
  const id = clip(u.id, 64);
  if (id !== undefined) p.id = id;
  const email = clip(u.email, 320);
  if (email !== undefined) p.email = email;
  const name = clip(u.name, 256);
  if (name !== undefined) p.name = name;
  const created = when(u.created_at);
  if (created !== undefined) p.created_at = created;
  const last = when(u.last_successful_login);
  if (last !== undefined) p.last_successful_login = last;
  const devices = whole(u.active_device_count);
  if (devices !== undefined) p.active_device_count = devices;
  const access = flag(field(u, "access_seat"));
  if (access !== undefined) p.access_seat = access;
  const gateway = flag(field(u, "gateway_seat"));
  if (gateway !== undefined) p.gateway_seat = gateway;
  return p;
}
