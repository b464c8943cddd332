import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pruneSeen, reviveCheckpoint } from "../../../lib/poll/checkpoint";
import { FileCheckpointStore } from "../../../lib/poll/checkpoint-store";

describe("checkpoints", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ztna-cp-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("round-trips through a file and leaves no temporary file behind", async () => {
    const store = new FileCheckpointStore(path.join(dir, "nested"));
    const cp = { version: 1 as const, watermark: 1000, seen: { a: 900 }, source: { users: { u: { last: 1, count: 2 } } } };
    await store.save("poll-n1", cp);
    assert.deepEqual(await store.load("poll-n1"), { checkpoint: cp, warning: null });
    assert.deepEqual(await readdir(path.join(dir, "nested")), ["poll-n1.json"]);
  });

  it("starts empty when there is no file, and warns when the file is corrupt", async () => {
    const store = new FileCheckpointStore(dir);
    assert.deepEqual(await store.load("none"), { checkpoint: { version: 1, watermark: null, seen: {}, source: {} }, warning: null });
    await writeFile(path.join(dir, "bad.json"), '{"version":1,"watermark":');
    const bad = await store.load("bad");
    assert.equal(bad.checkpoint.watermark, null);
    assert.match(String(bad.warning), /unreadable.*starting from the look-back/);
  });

  it("keeps file names safe whatever the key", async () => {
    const store = new FileCheckpointStore(dir);
    await store.save("../../etc/passwd", reviveCheckpoint(null));
    assert.deepEqual(await readdir(dir), [".._.._etc_passwd.json"]);
  });

  it("revives only well-formed parts of a stored checkpoint", () => {
    assert.deepEqual(reviveCheckpoint({ version: 1, watermark: "x", seen: { a: 1, b: "no", c: null }, source: [1] }), {
      version: 1,
      watermark: null,
      seen: { a: 1 },
      source: {},
    });
    assert.equal(reviveCheckpoint({ version: 2, watermark: 5 }).watermark, null);
  });

  it("prunes seen ids older than the horizon and keeps at most the newest max", () => {
    assert.deepEqual(pruneSeen({ a: 1, b: 5, c: 7, d: 9 }, 4, 2), { d: 9, c: 7 });
  });
});
