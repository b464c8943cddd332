import assert from "node:assert/strict";
import { parseSize, parseStoreConfig } from "../../../lib/store/store-config";

const CWD = "/srv/node-red";

describe("event store configuration", () => {
  it("defaults to ${ZTNA_DATA_DIR}/events.db, 7 days and 1 GB, ZTNA_DATA_DIR falling back to ./data", () => {
    assert.deepEqual(parseStoreConfig({}, {}, CWD), { ok: true, value: { file: "/srv/node-red/data/events.db", retentionDays: 7, maxBytes: 1e9 } });
    assert.deepEqual(parseStoreConfig({ file: "", retentionDays: "", maxSize: "" }, { ZTNA_DATA_DIR: "/var/lib/ztna" }, CWD), {
      ok: true,
      value: { file: "/var/lib/ztna/events.db", retentionDays: 7, maxBytes: 1e9 },
    });
  });

  it("reads ${NAME} references anywhere in the path and resolves relative paths from the working directory", () => {
    const parsed = parseStoreConfig({ file: "${STORE_ROOT}/ztna/${STORE_NAME}.db", retentionDays: "0.5", maxSize: "512 MiB" }, { STORE_ROOT: "relative", STORE_NAME: "ev" }, CWD);
    assert.deepEqual(parsed, { ok: true, value: { file: "/srv/node-red/relative/ztna/ev.db", retentionDays: 0.5, maxBytes: 512 * 1024 ** 2 } });
  });

  it("refuses a path naming an unset variable, or a malformed reference, saying which", () => {
    assert.deepEqual(parseStoreConfig({ file: "${NOPE}/events.db" }, {}, CWD), { ok: false, error: "file path refers to environment variable NOPE, which is not set" });
    assert.deepEqual(parseStoreConfig({ file: "${two words}/events.db" }, {}, CWD), {
      ok: false,
      error: "file path has ${two words}, which is not an environment variable reference",
    });
    assert.match((parseStoreConfig({ file: 42 }, {}, CWD) as { error: string }).error, /file path must be text/);
    assert.match((parseStoreConfig({ file: "a\u0000b" }, {}, CWD) as { error: string }).error, /NUL/);
  });

  for (const days of [-1, "ten", "1e9", Number.NaN, {}]) {
    it(`refuses retention ${JSON.stringify(days)}`, () => {
      const parsed = parseStoreConfig({ retentionDays: days }, {}, CWD);
      assert.equal(parsed.ok, false);
      assert.match((parsed as { error: string }).error, /retention must be a number of days/);
    });
  }

  for (const size of ["-1 GB", "1 PB", "lots", "1e3", "999 KB", {}, 2 ** 60]) {
    it(`refuses size cap ${JSON.stringify(size)}`, () => {
      const parsed = parseStoreConfig({ maxSize: size }, {}, CWD);
      assert.equal(parsed.ok, false);
      assert.match((parsed as { error: string }).error, /size cap must be/);
    });
  }

  it("reads sizes in decimal and binary units, or bare bytes; 0 is no cap", () => {
    assert.equal(parseSize("1 GB"), 1e9);
    assert.equal(parseSize("1.5gb"), 1.5e9);
    assert.equal(parseSize("2 GiB"), 2 * 1024 ** 3);
    assert.equal(parseSize("750MB"), 750e6);
    assert.equal(parseSize("123456789"), 123456789);
    assert.equal(parseSize(" 0 "), 0);
    assert.equal(parseSize("1 PB"), undefined);
    assert.deepEqual(parseStoreConfig({ maxSize: "0", retentionDays: 0 }, {}, CWD), { ok: true, value: { file: "/srv/node-red/data/events.db", retentionDays: 0, maxBytes: 0 } });
  });
});
