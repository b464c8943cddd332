import { hex, userId, USERS } from "./ids";

/**
 * Synthetic `gateway_http` Logpush records with the field set and encodings of real events
 * (cloudflare reference §2.1), about 1 KB each. Deterministic for a given index, varied enough
 * that gzip compresses them like real logs rather than like a repeated string.
 */
const HOSTS = ["portal.example.net", "mail.example.com", "files.example.org", "api.example.io", "cdn.example.net"];
const CATEGORIES: Array<[number, string]> = [
  [26, "Technology"],
  [81, "Content Servers"],
  [155, "File Sharing"],
  [12, "Business"],
];

export function gatewayHttpRecord(i: number, baseTime = Date.UTC(2025, 5, 2, 14, 0, 0)): Record<string, unknown> {
  const user = USERS[i % USERS.length];
  const host = HOSTS[(i >>> 3) % HOSTS.length];
  const [catId, catName] = CATEGORIES[i % CATEGORIES.length];
  const blocked = i % 17 === 0;
  return {
    AccountID: "699d98642c564d2e855e9661899b7252",
    Action: blocked ? "block" : "allow",
    BlockedFileHash: "",
    BlockedFileName: "",
    BlockedFileReason: "unknown",
    BlockedFileSize: 0,
    CategoryIDs: [catId],
    CategoryNames: [catName],
    Datetime: new Date(baseTime + i * 37).toISOString(),
    DestinationIP: `198.51.100.${(i * 7) % 250}`,
    DestinationPort: 443,
    DeviceID: hex(i % 64, 32),
    DeviceName: `LAPTOP-${hex(i % 64, 4).toUpperCase()}`,
    Email: `${user}@example.org`,
    HTTPHost: host,
    HTTPMethod: i % 5 === 0 ? "POST" : "GET",
    HTTPStatusCode: blocked ? 403 : 200,
    HTTPVersion: "HTTP/2",
    IsIsolated: false,
    PolicyID: blocked ? "85063bec-74cb-4546-85a3-e0cde2cdfda2" : "",
    PolicyName: blocked ? "Block risky categories" : "",
    Quarantined: false,
    Referer: `https://${host}/`,
    RequestID: hex(i + 1_000_003, 32),
    SessionID: hex((i >>> 4) + 7, 32),
    SourceIP: `203.0.113.${i % 200}`,
    SourceIPCountryCode: "US",
    SourceInternalIP: "",
    SourcePort: 49152 + (i % 16000),
    URL: `https://${host}/app/${hex(i, 12)}?page=${i % 100}`,
    UserAgent:
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36",
    UserID: userId(user),
    UntrustedCertificateAction: "none",
    UploadMatchedDlpProfiles: [],
    DownloadMatchedDlpProfiles: [],
    ApplicationNames: [],
    ForensicCopyStatus: "none",
  };
}

/** `count` records from `start` as NDJSON text, one record per line, newline-terminated. */
export function gatewayHttpNdjson(count: number, start = 0): string {
  let out = "";
  for (let i = start; i < start + count; i++) out += `${JSON.stringify(gatewayHttpRecord(i))}\n`;
  return out;
}
