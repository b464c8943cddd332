import { hex, userId, USERS } from "./ids";

/**
 * Synthetic `gateway_network` Logpush records with the field set of real events (cloudflare
 * reference §2.2), about 0.9 KB each, deterministic for a given index.
 */
const SNIS = ["portal.example.net", "git.example.com", "vpn.example.org", "", "smtp.example.io"];
const PORTS = [443, 443, 22, 445, 587, 3389, 53];

export function gatewayNetworkRecord(i: number, baseTime = Date.UTC(2025, 5, 2, 14, 0, 0)): Record<string, unknown> {
  const user = USERS[i % USERS.length];
  const blocked = i % 13 === 0;
  const port = PORTS[i % PORTS.length];
  return {
    AccountID: "699d98642c564d2e855e9661899b7252",
    Action: blocked ? "block" : "allow",
    ApplicationIDs: [],
    ApplicationNames: [],
    CategoryIDs: [26],
    CategoryNames: ["Technology"],
    Datetime: new Date(baseTime + i * 41).toISOString().replace(".000Z", "Z"),
    DestinationIP: `192.0.2.${(i * 11) % 250}`,
    DestinationIPContinentCode: "EU",
    DestinationIPCountryCode: i % 3 === 0 ? "NL" : "DE",
    DestinationPort: port,
    DetectedProtocol: port === 443 ? "TLS" : "",
    DeviceID: hex(i % 64, 32),
    DeviceName: `LAPTOP-${hex(i % 64, 4).toUpperCase()}`,
    Email: `${user}@example.org`,
    OverrideIP: "",
    OverridePort: 0,
    PolicyID: blocked ? "3f0e2a77-1c1b-4c47-9a8a-1b2c3d4e5f60" : "",
    PolicyName: blocked ? "Block outbound SMB and RDP" : "",
    ProxyEndpoint: "",
    RegistrationID: hex(i % 64 + 500, 32),
    SNI: port === 443 ? SNIS[i % SNIS.length] : "",
    SessionID: hex(i + 2_000_003, 32),
    SourceIP: `203.0.113.${i % 200}`,
    SourceIPContinentCode: "NA",
    SourceIPCountryCode: "US",
    SourceInternalIP: `100.96.${(i >>> 8) % 250}.${i % 250}`,
    SourcePort: 49152 + (i % 16000),
    TransportProtocol: port === 53 ? "udp" : "tcp",
    UserID: userId(user),
    VirtualNetworkID: "",
    VirtualNetworkName: "",
  };
}
