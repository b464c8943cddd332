import assert from "node:assert/strict";
import fc from "fast-check";
import { NdjsonDecoder, type DecodedRecord, type LineError } from "../../../lib/ingest/ndjson-decoder";

const OPTS = { maxLineBytes: 1 << 20, maxDepth: 32 };

function decode(chunks: Buffer[], opts = OPTS) {
  const records: DecodedRecord[] = [];
  const errors: LineError[] = [];
  const d = new NdjsonDecoder(opts, { record: (r) => records.push(r), lineError: (e) => errors.push(e) });
  for (const c of chunks) d.write(c);
  d.end();
  return { records, errors, decoder: d };
}

function splitAt(data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(data.subarray(prev, p));
    prev = p;
  }
  out.push(data.subarray(prev));
  return out;
}

const RECORD = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 });
/** What a record should come out as: itself, through JSON, less the keys that reach prototypes. */
const expected = (r: unknown) =>
  JSON.parse(JSON.stringify(r), (k, v) => (k === "__proto__" || k === "constructor" ? undefined : v));

describe("NdjsonDecoder", () => {
  it("yields the records that went in, for any split of any valid body into chunks", () => {
    fc.assert(
      fc.property(
        fc.array(RECORD, { minLength: 0, maxLength: 30 }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 40 }),
        (recs, eol, trailing, cuts) => {
          const text = recs.map((r) => JSON.stringify(r)).join(eol) + (trailing && recs.length ? eol : "");
          const { records, errors } = decode(splitAt(Buffer.from(text, "utf8"), cuts));
          assert.deepEqual(errors, []);
          assert.deepEqual(
            records.map((r) => r.record),
            recs.map(expected),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("splits safely inside multi-byte characters, byte by byte", () => {
    const recs = [{ s: "東京🚀é" }, { s: "ß\u2028" }];
    const data = Buffer.from(recs.map((r) => JSON.stringify(r)).join("\n"));
    const { records } = decode(splitAt(data, Array.from({ length: data.length }, (_, i) => i)));
    assert.deepEqual(records.map((r) => r.record), recs);
  });

  it("numbers lines from 1, counting blank lines, and skips a leading byte-order mark", () => {
    const { records, errors } = decode([Buffer.from('\uFEFF{"a":1}\n\n  \n{oops\n{"b":2}')]);
    assert.deepEqual(records.map((r) => [r.line, r.record]), [[1, { a: 1 }], [5, { b: 2 }]]);
    assert.deepEqual(errors.map((e) => e.line), [4]);
    assert.match(errors[0].reason, /^not JSON/);
  });

  it("refuses an over-long line while it streams, without holding it, and goes on", () => {
    const long = `{"x":"${"y".repeat(5000)}"}`;
    const data = Buffer.from(`{"a":1}\n${long}\n{"b":2}\n${long}`);
    const { records, errors, decoder } = decode(splitAt(data, [10, 100, 2000, 4000, 5050, 5100, 6000]), { maxLineBytes: 1000, maxDepth: 8 });
    assert.deepEqual(records.map((r) => r.record), [{ a: 1 }, { b: 2 }]);
    assert.deepEqual(errors.map((e) => [e.line, e.reason]), [
      [2, "line is longer than 1000 bytes"],
      [4, "line is longer than 1000 bytes"],
    ]);
    assert.equal(decoder.lines, 4);
  });

  it("refuses non-objects and over-deep nesting per line, with a bounded excerpt", () => {
    const deep = `{"a":${"[".repeat(50)}${"]".repeat(50)}}`;
    const { records, errors } = decode([Buffer.from(`null\n42\n"s"\n[{}]\n${deep}\n{"ok":1}\n${"z".repeat(1000)}`)]);
    assert.deepEqual(records.map((r) => r.record), [{ ok: 1 }]);
    assert.deepEqual(errors.map((e) => e.reason.replace(/:.*/, "")), [
      "not a JSON object but null",
      "not a JSON object but a number",
      "not a JSON object but a string",
      "not a JSON object but an array",
      "nested deeper than 32 levels",
      "not JSON",
    ]);
    assert.ok(errors[5].text.length <= 201);
  });

  it("removes the keys that reach prototypes at any depth and counts them", () => {
    const { records, decoder } = decode([
      Buffer.from('{"__proto__":{"admin":true},"a":[{"constructor":{"prototype":1}},{"k":{"prototype":2,"v":3}}]}\n'),
    ]);
    assert.deepEqual(records[0].record, { a: [{}, { k: { prototype: 2, v: 3 } }] });
    assert.equal(decoder.neutralised, 2);
    assert.equal(({} as Record<string, unknown>).admin, undefined);
    assert.equal(Object.getPrototypeOf(records[0].record), Object.prototype);
  });
});
