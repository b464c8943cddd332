import type { IpNetwork } from "../ip-address";
import type { Indicator, Verdict } from "../types";

/** What an IOC line or object says about its indicator, and where it was read. */
export interface IocEntry {
  /** The file it came from, relative to its folder, or the feed's name. */
  source: string;
  /** Line number (lists, CSV) or index in `objects` (STIX), from 1 and 0 as the formats count. */
  line?: number;
  object?: number;
  verdict: Verdict;
  score: number;
  description?: string;
  /** Format-specific fields kept for the analyst (STIX name, labels, indicator_types; DROP sblid). */
  data?: Record<string, unknown>;
  /** Epoch ms; outside [validFrom, validUntil) the entry does not match. */
  validFrom?: number;
  validUntil?: number;
}

/** What an entry matches: one indicator, an address range, or a domain with all its subdomains (`*.example.com`). */
export type IocTarget = { kind: "indicator"; indicator: Indicator } | { kind: "network"; network: IpNetwork } | { kind: "domain_tree"; domain: string };

export interface IocRecord {
  target: IocTarget;
  entry: IocEntry;
}

/** A part of an input that could not be used, and why; the rest of the input is kept. */
export interface IocProblem {
  file: string;
  line?: number;
  object?: number;
  reason: string;
}

/** A parsed file: its usable records and the problems; `fatal` when nothing of it could be read. */
export interface ParsedIocFile {
  records: IocRecord[];
  problems: IocProblem[];
  /** Entries deliberately left out (revoked, not an indicator object), counted for the report. */
  skipped: number;
  fatal?: string;
}

/** "corp.txt line 3", "bundle.json object 4". */
export function whereOf(entry: IocEntry): string {
  if (entry.line !== undefined) return `${entry.source} line ${entry.line}`;
  if (entry.object !== undefined) return `${entry.source} object ${entry.object}`;
  return entry.source;
}

export function problemText(p: IocProblem): string {
  const at = p.line !== undefined ? ` line ${p.line}` : p.object !== undefined ? ` object ${p.object}` : "";
  return `${p.file}${at}: ${p.reason}`;
}

/** The score an entry gets when its source gives none. */
export const DEFAULT_SCORE: Readonly<Record<Verdict, number>> = { malicious: 100, suspicious: 50, benign: 0, unknown: 0 };
