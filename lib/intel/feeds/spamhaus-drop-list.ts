import { readTarget } from "../ioc/ioc-target";
import { readFeedLines, type FeedList } from "./feed-list";

export const SPAMHAUS_DROP_URLS = ["https://www.spamhaus.org/drop/drop_v4.json", "https://www.spamhaus.org/drop/drop_v6.json"];

/**
 * Spamhaus DROP as JSON lines, `{"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}`; the
 * closing metadata line carries no cidr and is skipped.
 */
export function parseSpamhausDrop(text: string): FeedList {
  return readFeedLines(text, (line) => {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return null;
    }
    if (typeof row !== "object" || row === null) return null;
    const { cidr, sblid, rir, type } = row as Record<string, unknown>;
    if (cidr === undefined && type === "metadata") return undefined;
    if (typeof cidr !== "string") return null;
    const read = readTarget(cidr);
    if (!read.ok || read.target.kind === "domain_tree" || (read.target.kind === "indicator" && !read.target.indicator.type.startsWith("ipv"))) return null;
    const data: Record<string, unknown> = { cidr };
    if (typeof sblid === "string") data.sblid = sblid.slice(0, 40);
    if (typeof rir === "string") data.rir = rir.slice(0, 40);
    return { target: read.target, entry: { source: "spamhaus-drop", verdict: "malicious", score: 100, ...(typeof sblid === "string" ? { description: sblid.slice(0, 40) } : {}), data } };
  });
}
