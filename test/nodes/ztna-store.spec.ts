import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import recordNode from "../../nodes/ztna-record/ztna-record";
import { storeFor } from "../../nodes/ztna-store/ztna-store";
import { StoreError } from "../../lib/store/store-error";
import { connect, httpEvent, MINUTE, T0 } from "../lib/store/events";
import { helper, logged } from "../helpers/node-red";
import { until } from "../helpers/wait";
import { useStoreRuntime } from "./store-runtime";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;

describe("ztna-store", function () {
  const { tmp, storeModule, red } = useStoreRuntime();

  /** A store config node and two record nodes using it, each passing its messages on. */
  async function load(store: Record<string, unknown>) {
    await helper.load([storeModule, recordNode], [
      { id: "tab", type: "tab" },
      { id: "store", type: "ztna-store", retentionDays: 7, maxSize: "1 GB", ...store },
      { id: "a", type: "ztna-record", z: "tab", store: "store", passOn: true, wires: [["out"]] },
      { id: "b", type: "ztna-record", z: "tab", store: "store", passOn: true, wires: [["out"]] },
      { id: "out", type: "helper", z: "tab" },
    ] as Msg[]);
    const out: Msg[] = [];
    helper.getNode("out").on("input", (m: Msg) => out.push(m));
    return out;
  }

  it("opens its file only when first used, and shares one store between the nodes using it", async () => {
    const out = await load({ file: tmp.file() });
    assert.equal(existsSync(tmp.file()), false, "deploying alone creates no file");
    helper.getNode("a").receive({ payload: [httpEvent({ at: T0, session: "from-a" })] });
    helper.getNode("b").receive({ payload: [httpEvent({ at: T0 + MINUTE, session: "from-b" })] });
    await until(() => out.length === 2);
    assert.ok(existsSync(tmp.file()));
    const ref = storeFor(red(), "store");
    assert.ok(ref.store);
    assert.equal(storeFor(red(), "store").store, ref.store, "one store object for every caller");
    const found = await ref.store.query({ pivot: "user", value: "jane.doe@example.com", from: T0, to: T0 + MINUTE, limit: 10 });
    assert.deepEqual(found.map((e) => (e.event.cloudflare.gateway_http as Msg).SessionID), ["from-a", "from-b"]);
  });

  it("closes the store on redeploy, releasing the file", async () => {
    const out = await load({ file: tmp.file() });
    helper.getNode("a").receive({ payload: [httpEvent({ at: T0 })] });
    await until(() => out.length === 1);
    const store = storeFor(red(), "store").store!;
    await helper.unload();
    await assert.rejects(store.stats(), (err: unknown) => err instanceof StoreError && err.failure === "closed");
    // nothing holds the file: another connection can take it exclusively
    const other = connect(tmp.file());
    try {
      other.pragma("locking_mode = EXCLUSIVE");
      other.exec("BEGIN EXCLUSIVE; COMMIT;");
      assert.equal((other.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n, 1);
    } finally {
      other.close();
    }
  });

  it("puts the store in ${ZTNA_DATA_DIR}/events.db when no file is set", async () => {
    const before = process.env.ZTNA_DATA_DIR;
    process.env.ZTNA_DATA_DIR = path.join(tmp.dir, "data-dir");
    try {
      const out = await load({ file: "" });
      helper.getNode("a").receive({ payload: [httpEvent({ at: T0 })] });
      await until(() => out.length === 1);
      assert.ok(existsSync(path.join(tmp.dir, "data-dir", "events.db")));
    } finally {
      if (before === undefined) delete process.env.ZTNA_DATA_DIR;
      else process.env.ZTNA_DATA_DIR = before;
    }
  });

  it("logs loudly, as an error, when it sets a damaged file aside and starts anew", async () => {
    writeFileSync(tmp.file(), "not a database ".repeat(500));
    const out = await load({ file: tmp.file() });
    helper.getNode("a").receive({ payload: [httpEvent({ at: T0 })] });
    await until(() => out.length === 1);
    assert.deepEqual(out[0].record, { written: 1, rejected: [] });
    assert.ok(logged("ERROR").some((m) => /is not a usable SQLite database .* moved it to .*events\.db\.corrupt-/.test(m)), logged("ERROR").join("\n"));
    assert.ok(readdirSync(tmp.dir).some((f) => f.startsWith("events.db.corrupt-")));
  });

  it("refuses an invalid configuration with the reason, and the nodes using it say so", async () => {
    await load({ file: tmp.file(), retentionDays: "-1" });
    const ref = storeFor(red(), "store");
    assert.equal(ref.store, null);
    assert.match(ref.problem!, /retention must be a number of days/);
    // the config node and both record nodes say it
    assert.equal(logged("ERROR").filter((m) => /invalid event store configuration: retention/.test(m)).length, 3);
    assert.match(storeFor(red(), "nope").problem!, /no event store configured/);
  });
});
