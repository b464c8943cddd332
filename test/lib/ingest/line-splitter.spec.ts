import assert from "node:assert/strict";
import { LineSplitter } from "../../../lib/ingest/line-splitter";

function split(chunks: string[], max: number) {
  const out: Array<[number, string]> = [];
  const long: number[] = [];
  const s = new LineSplitter(max, { line: (b, n) => out.push([n, b.toString()]), tooLong: (n) => long.push(n) });
  for (const c of chunks) s.write(Buffer.from(c));
  s.end();
  return { out, long, lines: s.lines };
}

describe("LineSplitter", () => {
  it("joins lines across chunks and flushes a last line without newline", () => {
    const r = split(["ab", "c\nde", "f\n\ng"], 10);
    assert.deepEqual(r.out, [[1, "abc"], [2, "def"], [3, ""], [4, "g"]]);
    assert.equal(r.lines, 4);
  });

  it("drops a line the moment it passes the limit, inside a chunk or across chunks", () => {
    const r = split(["12345678901\nok\n1234", "5678", "901", "2\nend"], 10);
    assert.deepEqual(r.out, [[2, "ok"], [4, "end"]]);
    assert.deepEqual(r.long, [1, 3]);
  });

  it("counts a too-long last line that has no newline", () => {
    const r = split(["ok\n", "x".repeat(50)], 10);
    assert.deepEqual(r.long, [2]);
    assert.equal(r.lines, 2);
  });
});
