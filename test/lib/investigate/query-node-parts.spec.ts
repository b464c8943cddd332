import assert from "node:assert/strict";
import { notInvestigated, parseQueryConfig, statusLine, WorkGate, type Investigation } from "../../../lib/investigate";

describe("query node parts", () => {
  describe("parseQueryConfig", () => {
    it("fills defaults and converts units", () => {
      assert.deepEqual(parseQueryConfig({}), { ok: true, value: { valueType: "alert", value: "", beforeMs: 86_400_000, afterMs: 3_600_000, cap: 200, timeoutMs: 20_000 } });
      assert.deepEqual(parseQueryConfig({ valueType: "msg", value: " req.query.ip ", before: "1440", after: "0", cap: 5000, timeout: "300" }), {
        ok: true,
        value: { valueType: "msg", value: "req.query.ip", beforeMs: 86_400_000, afterMs: 0, cap: 5000, timeoutMs: 300_000 },
      });
    });

    const refused: Array<[string, Record<string, unknown>, RegExp]> = [
      ["an unknown value source", { valueType: "jsonata" }, /the value must come from alert, msg, flow, global, env, str/],
      ["a typed input without its property", { valueType: "flow", value: "   " }, /the value's property or text is missing/],
      ["a property path too long to be one", { valueType: "msg", value: "a".repeat(2000) }, /value length must be less than or equal to 1024/],
      ["a negative window", { before: -1 }, /before must be greater than or equal to 0/],
      ["a window beyond 30 days", { before: 43_201 }, /before must be less than or equal to 43200/],
      ["a fractional cap", { cap: 2.5 }, /cap must be an integer/],
      ["a cap of nothing", { cap: 0 }, /cap must be greater than or equal to 1/],
      ["text for a number", { timeout: "soon" }, /timeout must be a number/],
      ["an object for a number", { after: { $gt: 1 } }, /after must be a number/],
    ];
    for (const [what, input, reason] of refused) {
      it(`refuses ${what}`, () => {
        const parsed = parseQueryConfig(input);
        assert.equal(parsed.ok, false);
        assert.match((parsed as { error: string }).error, reason);
      });
    }
  });

  describe("statusLine", () => {
    const base = (): Investigation => ({
      ...notInvestigated("ip", "x", { from: 0, to: 1 }),
      problem: undefined,
      value: "192.0.2.1",
      backends: { store: { state: "ok" }, api: { state: "absent", reason: "no account" } },
    });

    it("counts events and names each present backend's state, coloured by the worst", () => {
      const r = base();
      r.summary.events = 1234;
      assert.deepEqual(statusLine(r), { fill: "green", shape: "dot", text: "1.2k events · store ok" });
      r.backends.api = { state: "partial", reason: "1 of 4 calls failed" };
      assert.deepEqual(statusLine(r), { fill: "yellow", shape: "dot", text: "1.2k events · store ok · api partial" });
      r.backends.store = { state: "error", reason: "closed" };
      r.summary.events = 1;
      assert.deepEqual(statusLine(r), { fill: "red", shape: "ring", text: "1 event · store error · api partial" });
    });

    it("is grey without backends and yellow with nothing to investigate, cut to fit", () => {
      const none = base();
      none.backends = { store: { state: "absent" }, api: { state: "absent" } };
      assert.equal(statusLine(none).fill, "grey");
      const problem = notInvestigated("host", `"${"x".repeat(100)}" is longer than 255 characters`, { from: 0, to: 1 });
      const line = statusLine(problem);
      assert.equal(line.fill, "yellow");
      assert.equal(line.text.length, 60);
      assert.ok(line.text.endsWith("…"));
    });
  });

  describe("WorkGate", () => {
    it("runs at most its active count at once, queues a bounded number and refuses beyond", async () => {
      const gate = new WorkGate(2, 1);
      const releases: Array<() => void> = [];
      let running = 0;
      let most = 0;
      const job = () =>
        new Promise<string>((resolve) => {
          running++;
          most = Math.max(most, running);
          releases.push(() => {
            running--;
            resolve("done");
          });
        });
      const a = gate.run(job);
      const b = gate.run(job);
      const c = gate.run(job);
      assert.equal(gate.run(job), "full");
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(gate.load, { active: 2, queued: 1 });
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
      assert.equal(most, 2);
      while (releases.length > 0) {
        releases.shift()!();
        await new Promise((r) => setImmediate(r));
      }
      assert.deepEqual(await Promise.all([a, b, c]), ["done", "done", "done"]);
      assert.deepEqual(gate.load, { active: 0, queued: 0 });
    });

    it("frees the slot of a job that fails", async () => {
      const gate = new WorkGate(1, 0);
      await assert.rejects(gate.run(() => Promise.reject(new Error("boom"))) as Promise<never>, /boom/);
      assert.equal(await gate.run(() => Promise.resolve(7)), 7);
    });
  });
});
