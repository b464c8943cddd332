import assert from "node:assert/strict";
import fc from "fast-check";
import { eventTime } from "../../../lib/detect/event-time";

/** What Date itself says the parsers' form means: Date.UTC of its fields, or Date.parse when they are not all digits in range. */
function byDate(ts: string): number | undefined {
  const n = (at: number, len: number) => (/^\d+$/.test(ts.slice(at, at + len)) ? Number(ts.slice(at, at + len)) : -1);
  const [year, month, day, hour, minute, second, ms] = [n(0, 4), n(5, 2), n(8, 2), n(11, 2), n(14, 2), n(17, 2), n(20, 3)];
  if (ts.length === 24 && ts[10] === "T" && ts[19] === "." && ts[23] === "Z" && year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && ms >= 0) {
    return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  }
  const parsed = Date.parse(ts);
  return Number.isNaN(parsed) ? undefined : parsed;
}

const digits = (len: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(len, "0"));
const isoLike = fc
  .tuple(digits(4, 9999), digits(2, 14), digits(2, 35), digits(2, 25), digits(2, 61), digits(2, 61), digits(3, 999), fc.constantFrom("-", "x"), fc.constantFrom("", "a", "/"))
  .map(([y, mo, d, h, mi, s, ms, sep, junk]) => {
    const text = `${y}${sep}${mo}-${d}T${h}:${mi}:${s}.${ms}Z`;
    return junk === "" ? text : text.slice(0, 12) + junk + text.slice(13);
  });

describe("event time", () => {
  it("reads the parsers' form as Date does, whatever its digits", () => {
    fc.assert(
      fc.property(isoLike, (ts) => {
        assert.equal(eventTime({ "@timestamp": ts }), byDate(ts), ts);
      }),
      { numRuns: 20000 },
    );
  });

  it("agrees with Date on every day of the months of a leap year and of a common one, end of month included", () => {
    for (const year of [1970, 2024, 2025, 2100, 9999, 50]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          const ts = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T23:59:59.999Z`;
          assert.equal(eventTime({ "@timestamp": ts }), byDate(ts), ts);
        }
      }
    }
  });

  it("leaves other forms to Date.parse and has no time for what is not a string", () => {
    assert.equal(eventTime({ "@timestamp": "2025-06-02T14:03:11+02:00" }), Date.parse("2025-06-02T14:03:11+02:00"));
    assert.equal(eventTime({ "@timestamp": "not a time" }), undefined);
    assert.equal(eventTime({ "@timestamp": 1748872991000 }), undefined);
    assert.equal(eventTime({}), undefined);
  });
});
