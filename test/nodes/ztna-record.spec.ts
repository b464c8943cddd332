import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import path from "node:path";
import detectNode from "../../nodes/ztna-detect/ztna-detect";
import parseNode from "../../nodes/ztna-parse/ztna-parse";
import recordNode from "../../nodes/ztna-record/ztna-record";
import { storeFor } from "../../nodes/ztna-store/ztna-store";
import { SqliteEventStore } from "../../lib/store/sqlite-event-store";
import { httpEvent, MINUTE, networkEvent, T0 } from "../lib/store/events";
import { helper, logged } from "../helpers/node-red";
import { until } from "../helpers/wait";
import { useStoreRuntime } from "./store-runtime";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;

describe("ztna-record", function () {
  const { tmp, storeModule, red } = useStoreRuntime();

  async function load(record: Record<string, unknown> = {}, store: Record<string, unknown> = {}) {
    await helper.load([storeModule, recordNode], [
      { id: "tab", type: "tab" },
      { id: "store", type: "ztna-store", file: tmp.file(), retentionDays: 0, maxSize: "0", ...store },
      { id: "record", type: "ztna-record", z: "tab", store: "store", passOn: true, wires: [["out"]], ...record },
      { id: "out", type: "helper", z: "tab" },
      { id: "catcher", type: "catch", z: "tab", scope: ["record"], uncaught: false, wires: [["caught"]] },
      { id: "caught", type: "helper", z: "tab" },
      { id: "watcher", type: "status", z: "tab", scope: ["record"], wires: [["statuses"]] },
      { id: "statuses", type: "helper", z: "tab" },
    ] as Msg[]);
    const got = { out: [] as Msg[], caught: [] as Msg[], status: [] as Msg[] };
    helper.getNode("out").on("input", (m: Msg) => got.out.push(m));
    helper.getNode("caught").on("input", (m: Msg) => got.caught.push(m));
    helper.getNode("statuses").on("input", (m: Msg) => got.status.push(m.status));
    return got;
  }

  it("writes batches into the store, passes the message on with what was recorded, and shows the rate and total", async () => {
    const got = await load();
    const batch = [httpEvent({ at: T0 }), networkEvent({ at: T0 + MINUTE }), { "@timestamp": "never", event: { dataset: "cloudflare.gateway_http" } }];
    helper.getNode("record").receive({ topic: "gateway_http", payload: batch });
    await until(() => got.out.length === 1);
    assert.deepEqual(got.out[0].record, { written: 2, rejected: [{ index: 2, reason: "@timestamp is not a readable time" }] });
    assert.equal(got.out[0].topic, "gateway_http");
    assert.equal(got.out[0].payload.length, 3);

    helper.getNode("record").receive({ payload: httpEvent({ at: T0 + 2 * MINUTE, src: "198.51.100.99" }) });
    await until(() => got.out.length === 2);
    assert.deepEqual(got.out[1].record, { written: 1, rejected: [] });
    await until(() => got.status.some((s) => /ev\/s · 3 stored$/.test(s.text ?? "")));

    const ref = storeFor(red(), "store");
    assert.ok(ref.store);
    const found = await ref.store.query({ pivot: "source_ip", value: "198.51.100.99", from: T0, to: T0 + 10 * MINUTE, limit: 10 });
    assert.equal(found.length, 1);
    assert.equal(found[0].dataset, "gateway_http");
  });

  it("refuses a payload that is not events, through a catch node", async () => {
    const got = await load();
    helper.getNode("record").receive({ payload: "not events" });
    await until(() => got.caught.length === 1);
    assert.match(got.caught[0].error.message, /msg\.payload must be a normalized event/);
    assert.equal(got.out.length, 0);
  });

  it("keeps the data across a redeploy: the store closes and opens again on the same file", async () => {
    let got = await load();
    helper.getNode("record").receive({ payload: [httpEvent({ at: T0 }), httpEvent({ at: T0 + 1 })] });
    await until(() => got.out.length === 1);
    await helper.unload();
    got = await load();
    helper.getNode("record").receive({ payload: [httpEvent({ at: T0 + 2 })] });
    await until(() => got.out.length === 1);
    const store = new SqliteEventStore({ file: tmp.file() });
    try {
      assert.equal((await store.stats()).events, 3);
    } finally {
      await store.close();
    }
  });

  it("reports a store that cannot be used in red, sends the error to catch, and keeps Node-RED running", async () => {
    await writeFile(tmp.file("not-a-folder"), "a file where the store's folder should be");
    const got = await load({}, { file: `${tmp.file("not-a-folder")}/events.db` });
    helper.getNode("record").receive({ payload: [httpEvent({ at: T0 })] });
    await until(() => got.caught.length === 1);
    assert.match(got.caught[0].error.message, /event store .*not-a-folder/);
    await until(() => got.status.some((s) => s.fill === "red"));
    assert.equal(got.out.length, 0);
  });

  it("says so when no store is configured, instead of failing on every message", async () => {
    await helper.load([storeModule, recordNode], [
      { id: "tab", type: "tab" },
      { id: "record", type: "ztna-record", z: "tab", store: "", wires: [] },
    ] as Msg[]);
    assert.ok(logged("ERROR").some((m) => /no event store configured/.test(m)), logged("ERROR").join("\n"));
  });

  it("records the example flow's Gateway records through parse and detect", async () => {
    const example = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "examples", "03 Record telemetry in the event store.json"), "utf8")) as Msg[];
    const inject = example.find((n) => n.type === "inject");
    const store = example.find((n) => n.type === "ztna-store");
    const record = example.find((n) => n.type === "ztna-record");
    // The inject, debug and comment nodes are not loaded here: the inject's payload goes straight to
    // what it is wired to, and a helper stands where the record node's debug is.
    const flow = example
      .filter((n) => !["inject", "debug", "comment"].includes(n.type))
      .map((n) => (n.id === store.id ? { ...n, file: tmp.file() } : n.id === record.id ? { ...n, wires: [["recorded"]] } : n));
    await helper.load([storeModule, recordNode, parseNode, detectNode], [...flow, { id: "recorded", type: "helper", z: record.z }] as Msg[]);
    const recorded: Msg[] = [];
    helper.getNode("recorded").on("input", (m: Msg) => recorded.push(m));
    helper.getNode(inject.wires[0][0]).receive({ payload: JSON.parse(inject.payload) });
    await until(() => recorded.length === 1);
    assert.deepEqual(recorded[0].record, { written: 2, rejected: [] });
    const found = await storeFor(red(), store.id).store!.query({ pivot: "host", value: "JDOE-MBP14", from: 0, to: Date.now(), limit: 10 });
    assert.deepEqual(found.map((e) => e.dataset), ["gateway_http", "gateway_network"]);
  });
});
