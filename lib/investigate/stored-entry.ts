import { country, ip, port } from "../parsers/fields";
import { isoFromMs } from "../parsers/timestamp";
import type { StoredEvent } from "../store/event-store";
import type { TimelineEntry } from "./types";
import { clip, path } from "./untrusted";

const SOURCE = "store";

/**
 * A stored event as a timeline line. Read defensively: a store shared with other writers (or an
 * old file) may hold events of another shape, and one odd event must not fail the investigation.
 */
export function storedEntry(stored: StoredEvent): TimelineEntry {
  const e = stored.event as unknown;
  const time = clip(path(e, "@timestamp"), 40) ?? isoFromMs(stored.time);
  const entry: TimelineEntry = { "@timestamp": time, source: SOURCE, dataset: clip(stored.dataset, 64) ?? "unknown" };
  const set = <K extends keyof TimelineEntry>(key: K, value: TimelineEntry[K] | undefined) => {
    if (value !== undefined) entry[key] = value;
  };
  set("action", clip(path(e, "event.action"), 128));
  set("outcome", clip(path(e, "event.outcome"), 32));
  set("user", clip(path(e, "user.email"), 320) ?? clip(path(e, "user.name"), 320) ?? clip(path(e, "user.target.email"), 320));
  set("host", clip(path(e, "host.name"), 256) ?? clip(path(e, "host.id"), 256));
  set("source_ip", ip(path(e, "source.ip")));
  set("destination_ip", ip(path(e, "destination.ip")));
  set("destination_port", port(path(e, "destination.port")));
  set("domain", clip(path(e, "url.domain")) ?? clip(path(e, "destination.domain")) ?? clip(path(e, "dns.question.name")));
  set("url", clip(path(e, "url.full")) ?? clip(path(e, "url.original")));
  const cc = path(e, "source.geo.country_iso_code");
  set("country", typeof cc === "string" && /^[A-Za-z]{2}$/.test(cc) ? country(cc) : undefined);
  set("rule", clip(path(e, "rule.name"), 256));
  set("level", clip(path(e, "ztna.risk.level"), 16));
  set("id", clip(path(e, "event.id"), 128));
  return entry;
}
