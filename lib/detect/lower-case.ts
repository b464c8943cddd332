/**
 * Case-insensitive matching lower-cases event values, and toLowerCase allocates a new string every
 * time, even when nothing changes: with a dozen rules reading the same fields of every event, that
 * allocation was the largest cost of matching. Values that are already lower-case ASCII are
 * returned as they are; the others are remembered, since the same values (category names, methods,
 * user agents) recur from event to event.
 */

/** Distinct values remembered; the memory is dropped wholesale when full. */
const MAX_REMEMBERED = 4096;
/** Longer values are lower-cased each time rather than remembered. */
const MAX_REMEMBERED_LENGTH = 512;

let remembered = new Map<string, string>();

export function lowerCase(value: string): string {
  let plain = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) {
      plain = false;
      break;
    }
  }
  if (plain) return value;
  if (value.length > MAX_REMEMBERED_LENGTH) return value.toLowerCase();
  let lower = remembered.get(value);
  if (lower === undefined) {
    if (remembered.size >= MAX_REMEMBERED) remembered = new Map();
    lower = value.toLowerCase();
    remembered.set(value, lower);
  }
  return lower;
}

/**
 * The only character whose lower-case form is longer (U+0130, "İ" → "i̇"); no lower-case form is
 * shorter. So a value without it keeps its length when lower-cased, which lets a test reject on
 * length alone.
 */
export function keepsLength(value: string): boolean {
  return value.indexOf("\u0130") < 0;
}
