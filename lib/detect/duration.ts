const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Sigma's `timespan` form, a number and a lower-case unit: `30s`, `10m`, `1h`, `7d`. */
export const DURATION_PATTERN = /^(\d{1,9})([smhd])$/;

/** Milliseconds of a duration, or undefined when the text is not one. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const m = DURATION_PATTERN.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]] : undefined;
}

/** The shortest exact form of a duration: 5400000 → `90m`. */
export function formatDuration(ms: number): string {
  for (const unit of ["d", "h", "m"]) if (ms > 0 && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}
