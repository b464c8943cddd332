/**
 * Cloudflare timestamps (reference §1.6): RFC3339 with or without fraction and offset, or a unix
 * time as a JSON number or a string of digits. Logpush documents seconds (`unix`) and nanoseconds
 * (`unixnano`); milliseconds and microseconds are accepted too, told apart by magnitude the way
 * Elastic's pipelines do (below 1e10 seconds, above 1e18 nanoseconds) with the middle split at the
 * year 5138 of each unit:
 *
 *   n < 1e10 seconds · n < 1e14 milliseconds · n < 1e17 microseconds · otherwise nanoseconds
 *
 * Zero and negative values are "unknown" (Logpush writes 0 for unknown ints), and so is anything
 * outside 1970–9999, which keeps `@timestamp` in the fixed-width ISO form.
 */

const MAX_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const MS_PER_DAY = 86_400_000;
/** Digit strings up to this length convert to a number exactly (below 2^53). */
const EXACT_DIGITS = 15;

/** Epoch milliseconds of a timestamp in any accepted encoding; undefined when it has none. */
export function epochMs(value: unknown): number | undefined {
  if (typeof value === "number") return fromNumber(value);
  if (typeof value !== "string" || value.length === 0) return undefined;
  switch (numericShape(value)) {
    case "integer":
      return fromDigits(value);
    case "decimal":
      return fromNumber(Number(value));
    default:
      return fromRfc3339(value);
  }
}

/** The ISO-8601 UTC form with milliseconds, e.g. `2025-06-02T14:03:11.000Z`. */
export function isoTimestamp(value: unknown): string | undefined {
  if (typeof value === "string") {
    const same = canonicalIso(value);
    if (same !== undefined) return same;
  }
  const ms = epochMs(value);
  return ms === undefined ? undefined : isoFromMs(ms);
}

/**
 * What Logpush's `rfc3339` and `rfc3339ms` formats write, `2025-06-02T14:03:11Z` and
 * `2025-06-02T14:03:11.123Z`, is already UTC: checked field by field and returned as it is, or with
 * `.000` added. Both ways round a date would cost more than normalizing the rest of the record.
 */
function canonicalIso(s: string): string | undefined {
  const len = s.length;
  if (len !== 20 && len !== 24) return undefined;
  if (s.charCodeAt(len - 1) !== 0x5a || s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d) return undefined;
  if (s.charCodeAt(10) !== 0x54 || s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a) return undefined;
  if (len === 24 && (s.charCodeAt(19) !== 0x2e || digits(s, 20, 3) < 0)) return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  // The epoch itself is Logpush's "unknown", as 0 is in the numeric forms.
  if (year === 1970 && month === 1 && day === 1 && hour + minute + second === 0 && (len === 20 || digits(s, 20, 3) === 0)) return undefined;
  return len === 24 ? s : isoFromParts(year, month, day, hour, minute, second, 0);
}

/** The number written by `n` ASCII digits from `at`, or -1. */
export function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/**
 * Same as `new Date(ms).toISOString()` for 1970–9999, at a third of the cost: it runs once per
 * event, and Date's formatting was the largest single cost of a normalizer.
 */
export function isoFromMs(ms: number): string {
  // Days to civil date: H. Hinnant's algorithm, in a proleptic Gregorian calendar from 0000-03-01.
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  return isoFromParts(year, month, day, hour, minute, second, rest - second * 1000);
}

const ZERO = 0x30;
const tens = (n: number) => ZERO + Math.floor(n / 10);
const ones = (n: number) => ZERO + (n % 10);

/**
 * `YYYY-MM-DDTHH:MM:SS.mmmZ` from its fields (a four-digit year), written character by character.
 * Joining pieces would make a rope of them that the first reader (detection, for every event) has
 * to flatten into a copy: twice the memory and, measured, twice the time of making and reading it.
 */
function isoFromParts(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): string {
  const century = Math.floor(year / 100);
  return String.fromCharCode(
    tens(century), ones(century), tens(year % 100), ones(year % 100), 0x2d, tens(month), ones(month), 0x2d, tens(day), ones(day),
    0x54, tens(hour), ones(hour), 0x3a, tens(minute), ones(minute), 0x3a, tens(second), ones(second),
    0x2e, ZERO + Math.floor(ms / 100), tens(ms % 100), ones(ms % 100), 0x5a,
  );
}

function fromNumber(n: number): number | undefined {
  if (!(n > 0) || !Number.isFinite(n)) return undefined;
  const ms = n < 1e10 ? n * 1000 : n < 1e14 ? n : n < 1e17 ? n / 1e3 : n / 1e6;
  return inRange(Math.floor(ms));
}

/**
 * A long digit string is cut rather than converted: nanoseconds are beyond a double's exact range,
 * and rounding could carry into the next millisecond.
 */
function fromDigits(digits: string): number | undefined {
  let start = 0;
  while (start < digits.length - 1 && digits.charCodeAt(start) === 0x30) start++;
  const significant = digits.length - start;
  if (significant <= EXACT_DIGITS) return fromNumber(Number(digits.slice(start)));
  const dropped = significant < 18 ? 3 : 6;
  return inRange(Number(digits.slice(start, digits.length - dropped)));
}

/**
 * Only ISO dates go to Date.parse: it also reads "Tue Mar 01 2022" and "2022/03/01", in the local
 * time zone. A date-time without an offset is taken as UTC, as Elastic does, rather than local.
 */
function fromRfc3339(text: string): number | undefined {
  if (text.length < 10 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d) return undefined;
  // Date.parse rolls 2025-02-30 over into March rather than refusing it.
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  const ms = Date.parse(text.length > 10 && !hasZone(text) ? `${text}Z` : text);
  return Number.isNaN(ms) ? undefined : inRange(ms);
}

function hasZone(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  if (last === 0x5a || last === 0x7a) return true; // Z z
  for (let i = text.length - 1; i > 10; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x2b || c === 0x2d) return true; // + -
    if (c === 0x3a && i < text.length - 6) return false; // a ":" before any offset: the time part
  }
  return false;
}

function numericShape(text: string): "integer" | "decimal" | null {
  let dot = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e && !dot && i > 0 && i < text.length - 1) dot = true;
    else if (c < 0x30 || c > 0x39) return null;
  }
  return dot ? "decimal" : "integer";
}

function inRange(ms: number): number | undefined {
  return ms > 0 && ms <= MAX_MS ? ms : undefined;
}
