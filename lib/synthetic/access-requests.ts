import { hex, userId, USERS } from "./ids";

/**
 * Synthetic `access_requests` Logpush records with the field set of real events (cloudflare
 * reference §2.3), timestamps in unix nanoseconds as the API's default job writes them.
 */
const APPS = ["wiki.example.com", "grafana.example.com", "acme-corp.cloudflareaccess.com/warp", "hr.example.com"];
const COUNTRIES = ["us", "us", "de", "gb", "us", "fr", "ru"];
const CONNECTIONS = ["okta", "okta", "azureAD", "onetimepin"];

export function accessRequestRecord(i: number, baseTime = Date.UTC(2025, 5, 2, 14, 0, 0)): Record<string, unknown> {
  const user = USERS[i % USERS.length];
  const app = APPS[(i >>> 2) % APPS.length];
  const denied = i % 11 === 0;
  return {
    Action: i % 9 === 0 ? "logout" : "login",
    Allowed: !denied,
    AppDomain: app,
    AppUUID: `${hex((i >>> 2) % APPS.length, 8)}-0128-4429-87f3-${hex((i >>> 2) % APPS.length + 7, 12)}`,
    Connection: CONNECTIONS[i % CONNECTIONS.length],
    Country: COUNTRIES[i % COUNTRIES.length],
    CreatedAt: (baseTime + i * 53) * 1e6,
    Email: `${user}@example.org`,
    IPAddress: `198.51.100.${(i * 3) % 250}`,
    PurposeJustificationPrompt: "",
    PurposeJustificationResponse: "",
    RayID: hex(i + 3_000_017, 16),
    TemporaryAccessApprovers: [],
    TemporaryAccessDuration: 0,
    UserUID: userId(user),
  };
}
