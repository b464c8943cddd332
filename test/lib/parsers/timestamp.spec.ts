import assert from "node:assert/strict";
import fc from "fast-check";
import { epochMs, isoFromMs, isoTimestamp } from "../../../lib/parsers/timestamp";

describe("parsers: timestamps", () => {
  const cases: Array<[string, unknown, string]> = [
    ["RFC3339 with Z", "2025-06-02T14:03:11Z", "2025-06-02T14:03:11.000Z"],
    ["RFC3339 with milliseconds", "2025-06-02T14:03:11.123Z", "2025-06-02T14:03:11.123Z"],
    ["RFC3339 with nanoseconds, cut to milliseconds", "2025-06-02T14:03:11.123456789Z", "2025-06-02T14:03:11.123Z"],
    ["RFC3339 with a +09:30 offset", "2023-05-24T02:48:33+09:30", "2023-05-23T17:18:33.000Z"],
    ["RFC3339 with a fraction and a -03:00 offset", "2025-06-02T11:03:11.5-03:00", "2025-06-02T14:03:11.500Z"],
    ["RFC3339 in lower case", "2025-06-02t14:03:11z", "2025-06-02T14:03:11.000Z"],
    ["a date-time without offset, taken as UTC", "2025-06-02T14:03:11", "2025-06-02T14:03:11.000Z"],
    ["a leap day", "2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
    ["unix seconds as a number", 1748873011, "2025-06-02T14:03:31.000Z"],
    ["unix seconds as a string", "1748873011", "2025-06-02T14:03:31.000Z"],
    ["unix seconds with a fraction", "1748873011.25", "2025-06-02T14:03:31.250Z"],
    ["unix milliseconds as a number", 1748873011123, "2025-06-02T14:03:31.123Z"],
    ["unix milliseconds as a string", "1748873011123", "2025-06-02T14:03:31.123Z"],
    ["unix microseconds as a number", 1748873011123456, "2025-06-02T14:03:31.123Z"],
    ["unix microseconds as a string", "1748873011123456", "2025-06-02T14:03:31.123Z"],
    ["unix nanoseconds as a number", 1748873011000000000, "2025-06-02T14:03:31.000Z"],
    ["unix nanoseconds as a string", "1748873011123456789", "2025-06-02T14:03:31.123Z"],
    ["unix nanoseconds as a string, not rounded into the next second", "1748873011999999999", "2025-06-02T14:03:31.999Z"],
    ["unix seconds with leading zeros", "0001748873011", "2025-06-02T14:03:31.000Z"],
  ];
  for (const [what, input, expected] of cases) {
    it(`reads ${what}`, () => assert.equal(isoTimestamp(input), expected));
  }

  const unusable: Array<[string, unknown]> = [
    ["missing", undefined],
    ["null", null],
    ["empty", ""],
    ["zero, Logpush's unknown", 0],
    ["zero as a string", "0"],
    ["the epoch as RFC3339", "1970-01-01T00:00:00Z"],
    ["negative", -1748873011],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a boolean", true],
    ["an object", { seconds: 1748873011 }],
    ["an array", [1748873011]],
    ["words", "yesterday"],
    ["a date Date.parse would read in local time", "Tue Mar 01 2022"],
    ["a slashed date", "2022/03/01"],
    ["month 13", "2025-13-01T00:00:00Z"],
    ["February 30th, which Date.parse rolls into March", "2025-02-30T00:00:00Z"],
    ["February 29th of a common year", "2025-02-29T10:00:00.000Z"],
    ["past the year 9999", "10000-01-01T00:00:00Z"],
    ["a nanosecond count past the year 9999", "999999999999999999999"],
    ["a sign", "+1748873011"],
  ];
  for (const [what, input] of unusable) {
    it(`has no timestamp for ${what}`, () => assert.equal(isoTimestamp(input), undefined));
  }

  it("formats like Date.prototype.toISOString for any time from 1970 to 9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 253_402_300_799_999 }), (ms) => {
        assert.equal(isoFromMs(ms), new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it("gives the same instant for every encoding of one time", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000_000_000, max: 4_102_444_800 }), fc.integer({ min: 0, max: 999 }), (s, milli) => {
        const ms = s * 1000 + milli;
        const iso = new Date(ms).toISOString();
        for (const form of [iso, String(ms), ms, String(ms * 1000), `${ms}000000`]) {
          assert.equal(epochMs(form), ms, `${form}`);
        }
        assert.equal(epochMs(s), s * 1000);
      }),
      { numRuns: 500 },
    );
  });
});
