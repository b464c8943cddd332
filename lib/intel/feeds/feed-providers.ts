import { FeedProvider, type FeedProviderOptions } from "./feed-provider";
import { parseSpamhausDrop } from "./spamhaus-drop-list";
import { parseTorExitList } from "./tor-exit-list";

export type FeedSettings = Pick<FeedProviderOptions, "dir" | "urls" | "intervalMs" | "retryMs" | "timeoutMs" | "maxBytes" | "now" | "onReport">;

/**
 * Tor exit nodes: suspicious, tagged anonymizer. Tor is not malicious by itself, but a Tor exit
 * as the source of a login is a strong risk signal.
 */
export function createTorExitProvider(settings: FeedSettings): FeedProvider {
  return new FeedProvider({
    ...settings,
    name: "tor-exit",
    parse: parseTorExitList,
    types: ["ipv4", "ipv6"],
    reliability: "C",
    answer: (_, age) => ({
      verdict: "suspicious",
      score: 50,
      detail: `Tor exit node (list ${age} old)`,
      data: { tags: ["anonymizer", "tor-exit"] },
    }),
  });
}

/** Spamhaus DROP: networks hijacked or run by criminals ("drop all traffic"); listed is malicious. */
export function createSpamhausDropProvider(settings: FeedSettings): FeedProvider {
  return new FeedProvider({
    ...settings,
    name: "spamhaus-drop",
    parse: parseSpamhausDrop,
    types: ["ipv4", "ipv6"],
    reliability: "A",
    answer: (entry) => ({
      verdict: "malicious",
      score: 100,
      detail: `Spamhaus DROP ${String(entry.data?.cidr ?? "")}${entry.description ? ` (${entry.description})` : ""}`,
      data: { ...entry.data, tags: ["spamhaus-drop"] },
    }),
  });
}
