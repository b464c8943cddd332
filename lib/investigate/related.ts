import type { RelatedPiece, RelatedPivot } from "./contribution";
import { mergeTallies, sumTallies, tallyEntries, without } from "./tally";
import type { RelatedConnection, Tally, TimelineEntry } from "./types";

/** One backend's related connections, read off lines it already answered. */
export function relatedFromEntries(entries: readonly TimelineEntry[], pivots: readonly RelatedPivot[]): RelatedPiece[] {
  const out: RelatedPiece[] = [];
  for (const p of pivots) {
    const want = p.by === "domain" ? p.value.toLowerCase() : p.value;
    const hits = entries.filter((e) => (p.by === "domain" ? e.domain?.toLowerCase() === want : e[p.by] === want));
    if (hits.length === 0) continue;
    const other = p.by === "source_ip" ? (e: TimelineEntry) => e.destination_ip : p.by === "destination_ip" ? (e: TimelineEntry) => e.source_ip : () => undefined;
    out.push({
      by: p.by,
      value: p.value,
      events: hits.reduce((n, e) => n + (e.count ?? 1), 0),
      users: tallyEntries(hits, (e) => e.user),
      hosts: tallyEntries(hits, (e) => e.host),
      peers: tallyEntries(hits, other),
    });
  }
  return out;
}

/**
 * The related connections of all backends: within a backend, pieces of one pivot add up (they
 * come from different datasets); across backends the larger count wins (see tally.ts). The
 * alert's own user and host are left out: the question is who *else* was there.
 */
/** The addresses on the other side of the pivot's connections, per backend (summed within one). */
export function relatedPeers(pieces: readonly RelatedPiece[]): Tally[] {
  return sumTallies(pieces.filter((p) => p.by !== "domain").map((p) => p.peers));
}

export function mergeRelated(pivots: readonly RelatedPivot[], perBackend: ReadonlyArray<readonly RelatedPiece[]>, exclude: ReadonlySet<string>, top: number): RelatedConnection[] {
  return pivots.map((p) => {
    const sums = perBackend.map((pieces) => {
      const mine = pieces.filter((x) => x.by === p.by && x.value === p.value);
      return { events: mine.reduce((n, x) => n + x.events, 0), users: sumTallies(mine.map((x) => x.users)), hosts: sumTallies(mine.map((x) => x.hosts)) };
    });
    return {
      by: p.by,
      value: p.value,
      events: Math.max(0, ...sums.map((s) => s.events)),
      users: without(mergeTallies(sums.map((s) => s.users), Infinity), exclude).slice(0, top),
      hosts: without(mergeTallies(sums.map((s) => s.hosts), Infinity), exclude).slice(0, top),
    };
  });
}
