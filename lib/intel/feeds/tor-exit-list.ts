import { normalizeAddress } from "../indicator";
import type { IocEntry } from "../ioc/ioc-entry";
import { readFeedLines, type FeedList } from "./feed-list";

export const TOR_EXIT_LIST_URL = "https://check.torproject.org/torbulkexitlist";

/** One entry for all addresses: membership is all the list says. */
const ENTRY: IocEntry = { source: "tor-exit", verdict: "suspicious", score: 50 };

/** The Tor bulk exit list: one address per line. */
export function parseTorExitList(text: string): FeedList {
  return readFeedLines(text, (line) => {
    if (line.startsWith("#")) return undefined;
    const n = normalizeAddress(line);
    return n.ok ? { target: { kind: "indicator", indicator: n.indicator }, entry: ENTRY } : null;
  });
}
