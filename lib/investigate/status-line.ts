import { compactCount } from "../ingest/rate-meter";
import type { BackendStatus, Investigation } from "./types";

export interface StatusLine {
  fill: "green" | "yellow" | "red" | "grey";
  shape: "dot" | "ring";
  text: string;
}

const MAX_TEXT = 60;

/**
 * A node's status after an investigation: "42 events · store ok · api partial"; red when a
 * backend failed, yellow when one was partial or there was nothing to investigate, grey with no
 * backend at all. Absent backends are left out of the line.
 */
export function statusLine(r: Investigation): StatusLine {
  if (r.problem !== undefined) return { fill: "yellow", shape: "ring", text: cut(r.problem) };
  const present = (Object.entries(r.backends) as Array<[string, BackendStatus]>).filter(([, b]) => b.state !== "absent");
  if (present.length === 0) return { fill: "grey", shape: "ring", text: "no event store or Cloudflare account" };
  const states = present.map(([, b]) => b.state);
  const text = [`${compactCount(r.summary.events)} event${r.summary.events === 1 ? "" : "s"}`, ...present.map(([name, b]) => `${name} ${b.state}`)].join(" · ");
  if (states.includes("error")) return { fill: "red", shape: "ring", text };
  if (states.includes("partial")) return { fill: "yellow", shape: "dot", text };
  return { fill: "green", shape: "dot", text };
}

function cut(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
