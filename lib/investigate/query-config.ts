import type { Parsed } from "../schema/parsed";

/** A query node's settings as the editor stores them: minutes, lines and seconds. */
export interface QueryConfigInput {
  before?: unknown;
  after?: unknown;
  cap?: unknown;
  timeout?: unknown;
}

export interface QuerySettings {
  beforeMs: number;
  afterMs: number;
  cap: number;
  timeoutMs: number;
}

const MINUTE = 60_000;

interface Field {
  key: keyof QueryConfigInput;
  what: string;
  fallback: number;
  min: number;
  max: number;
  integer: boolean;
}

const FIELDS: readonly Field[] = [
  { key: "before", what: "look back (minutes)", fallback: 1440, min: 0, max: 43_200, integer: true },
  { key: "after", what: "look ahead (minutes)", fallback: 60, min: 0, max: 43_200, integer: true },
  { key: "cap", what: "timeline lines", fallback: 100, min: 1, max: 10_000, integer: true },
  { key: "timeout", what: "wait at most (seconds)", fallback: 10, min: 0.1, max: 600, integer: false },
];

/** Validates a query node's window, timeline cap and timeout; empty fields take the defaults. */
export function parseQueryConfig(input: QueryConfigInput): Parsed<QuerySettings> {
  const v: Record<string, number> = {};
  for (const f of FIELDS) {
    const raw = input[f.key];
    const n = raw === undefined || raw === null || raw === "" ? f.fallback : typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw.trim()) : NaN;
    if (!Number.isFinite(n) || n < f.min || n > f.max || (f.integer && !Number.isInteger(n))) {
      return { ok: false, error: `${f.what} must be ${f.integer ? "a whole number" : "a number"} from ${f.min} to ${f.max}` };
    }
    v[f.key] = n;
  }
  return { ok: true, value: { beforeMs: v.before * MINUTE, afterMs: v.after * MINUTE, cap: v.cap, timeoutMs: Math.round(v.timeout * 1000) } };
}
