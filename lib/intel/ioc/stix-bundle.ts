import type { Verdict } from "../types";
import { DEFAULT_SCORE, type IocEntry, type IocRecord, type ParsedIocFile } from "./ioc-entry";
import { readTarget } from "./ioc-target";
import { parseStixPattern } from "./stix-pattern";

const MAX_TEXT = 300;
const MAX_LIST = 20;

/**
 * A STIX 2.1 bundle (`{"type":"bundle","objects":[…]}`, or a TAXII envelope with `objects`).
 * Indicator objects with a STIX pattern become entries; other objects (malware, relationships…)
 * and revoked or expired indicators are skipped; a malformed indicator or one whose pattern falls
 * outside the supported subset is reported with its index in `objects` and left out.
 */
export function parseStixBundle(file: string, text: string, now: number): ParsedIocFile {
  const records: IocRecord[] = [];
  const problems: ParsedIocFile["problems"] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { records, problems, skipped: 0, fatal: `not JSON (${(err as Error).message.slice(0, 120)})` };
  }
  const objects = isObject(doc) ? doc.objects : undefined;
  if (!Array.isArray(objects)) return { records, problems, skipped: 0, fatal: "not a STIX bundle: no objects list" };
  let skipped = 0;
  objects.forEach((obj: unknown, object) => {
    if (!isObject(obj)) {
      problems.push({ file, object, reason: "not an object" });
      return;
    }
    if (obj.type !== "indicator") {
      skipped++;
      return;
    }
    const read = readIndicator(obj, now);
    if (read === "skip") skipped++;
    else if ("reason" in read) problems.push({ file, object, reason: read.reason });
    else {
      const entry = { source: file, object, ...read.entry };
      for (const target of read.targets) records.push({ target, entry });
    }
  });
  return { records, problems, skipped };
}

type IndicatorRead = "skip" | { reason: string } | { targets: IocRecord["target"][]; entry: Omit<IocEntry, "source" | "object"> };

function readIndicator(obj: Record<string, unknown>, now: number): IndicatorRead {
  if (obj.revoked === true) return "skip";
  if (obj.pattern_type !== "stix") return { reason: `pattern_type ${JSON.stringify(String(obj.pattern_type).slice(0, 40))} is not supported` };
  if (typeof obj.pattern !== "string") return { reason: "no pattern" };
  const validFrom = timestamp(obj.valid_from);
  const validUntil = timestamp(obj.valid_until);
  if (validFrom === null) return { reason: "valid_from is not a timestamp" };
  if (validUntil === null) return { reason: "valid_until is not a timestamp" };
  if (validUntil !== undefined && validUntil <= now) return "skip";
  const confidence = obj.confidence;
  if (confidence !== undefined && !(Number.isInteger(confidence) && (confidence as number) >= 0 && (confidence as number) <= 100)) {
    return { reason: "confidence must be an integer from 0 to 100" };
  }
  const pattern = parseStixPattern(obj.pattern);
  if (!pattern.ok) return { reason: `pattern: ${pattern.reason}` };
  const targets: IocRecord["target"][] = [];
  for (const atom of pattern.atoms) {
    const read = readTarget(atom.value, atom.kind);
    if (!read.ok) return { reason: `pattern value ${JSON.stringify(atom.value.slice(0, 60))}: ${read.reason}` };
    targets.push(read.target);
  }
  const types = strings(obj.indicator_types);
  const verdict = verdictOf(types, confidence as number | undefined);
  const name = typeof obj.name === "string" ? obj.name.slice(0, MAX_TEXT) : undefined;
  const data: Record<string, unknown> = {};
  if (typeof obj.id === "string") data.id = obj.id.slice(0, MAX_TEXT);
  if (name) data.name = name;
  if (types.length > 0) data.indicator_types = types;
  if (strings(obj.labels).length > 0) data.labels = strings(obj.labels);
  if (confidence !== undefined) data.confidence = confidence;
  const description = name ?? (typeof obj.description === "string" ? obj.description.slice(0, MAX_TEXT) : undefined);
  return {
    targets,
    entry: {
      verdict,
      score: (confidence as number | undefined) ?? DEFAULT_SCORE[verdict],
      ...(description ? { description } : {}),
      data,
      ...(validFrom !== undefined ? { validFrom } : {}),
      ...(validUntil !== undefined ? { validUntil } : {}),
    },
  };
}

/**
 * From the indicator_types vocabulary: `benign` is benign, `anomalous-activity` and `anonymization`
 * suspicious, anything else (malicious-activity, compromised, attribution, none) malicious; a
 * malicious indicator whose author gives it under 50 confidence counts as suspicious.
 */
function verdictOf(types: string[], confidence: number | undefined): Verdict {
  if (types.includes("benign")) return "benign";
  if (types.includes("anomalous-activity") || types.includes("anonymization")) return "suspicious";
  return confidence !== undefined && confidence < 50 ? "suspicious" : "malicious";
}

/** Epoch ms; undefined when absent, null when present but not a timestamp. */
function timestamp(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== "string") return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string").slice(0, MAX_LIST).map((v) => v.slice(0, MAX_TEXT)) : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
