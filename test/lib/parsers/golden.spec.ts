import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseRecord } from "../../../lib/parsers";

/**
 * Golden tests: `test/fixtures/<dir>/<name>.record.json` is a raw record delivered as dataset
 * <dir> (`unknown`: delivered without one), and `<name>.event.json` the event expected from it,
 * written by hand from the mapping. The expected files leave out `cloudflare.<dataset>`: it must be
 * the record object itself, checked here, not a copy of it in every file.
 */
const FIXTURES = path.resolve(__dirname, "../../fixtures");
const RECEIVED_AT = "2025-06-02T15:00:00.000Z";

const read = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

describe("parsers: golden fixtures", () => {
  for (const dir of readdirSync(FIXTURES).sort()) {
    const records = readdirSync(path.join(FIXTURES, dir)).filter((f) => f.endsWith(".record.json"));
    if (records.length === 0) continue;
    describe(dir, () => {
      for (const file of records.sort()) {
        const name = file.slice(0, -".record.json".length);
        it(name, () => {
          const recordPath = path.join(FIXTURES, dir, file);
          const record = read(recordPath) as Record<string, unknown>;
          const expected = read(path.join(FIXTURES, dir, `${name}.event.json`)) as { event: { dataset: string } };
          const result = parseRecord(record, dir === "unknown" ? undefined : dir, { receivedAt: RECEIVED_AT });
          assert.ok(result.ok, `not parsed: ${JSON.stringify(!result.ok && result.error)}`);
          const { cloudflare, ...rest } = result.event;
          assert.deepEqual(rest, expected);
          const dataset = expected.event.dataset.slice("cloudflare.".length);
          assert.deepEqual(Object.keys(cloudflare), [dataset]);
          assert.equal(cloudflare[dataset as keyof typeof cloudflare], record, "the raw record is kept by reference");
          assert.deepEqual(record, read(recordPath), "the raw record is untouched");
        });
      }
    });
  }
});
