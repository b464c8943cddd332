import { thresholdsOf } from "./overrides";
import type { Rule, Severity } from "./rule";
import { alertsAlone } from "./rule-links";

/** A rule as a user picks it: for the editor, `ztna rules list` and docs/RULES.md. */
export interface CatalogEntry {
  id: string;
  title: string;
  description: string;
  status?: string;
  kind: Rule["kind"];
  /** Datasets the rule looks at (a correlation: its rules' datasets); empty: every event. */
  sources: string[];
  severity: Severity;
  mitre: string[];
  optin: boolean;
  duet?: string;
  /** What an override may set, with the rule's own values: `{"correlation.condition.gte": 10}`. */
  thresholds: Record<string, number | string>;
  file: string;
}

/**
 * The rules that alert, in order. Rules that only feed a correlation (`generate: false`) are
 * building blocks, not detections a user turns on or off, and are left out.
 */
export function ruleCatalog(rules: readonly Rule[]): CatalogEntry[] {
  return rules
    .filter((r) => alertsAlone(r, rules))
    .map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description,
      status: r.status,
      kind: r.kind,
      sources: sourcesOf(r),
      severity: r.severity,
      mitre: r.mitre,
      optin: r.optin,
      duet: r.duet,
      thresholds: thresholdsOf(r),
      file: r.file,
    }));
}

function sourcesOf(rule: Rule): string[] {
  if (rule.kind === "detection" || rule.sources.length > 0) return rule.sources;
  const each = rule.bases.map(sourcesOf);
  return each.some((s) => s.length === 0) ? [] : [...new Set(each.flat())];
}
