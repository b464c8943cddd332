import assert from "node:assert/strict";
import { helper } from "../helpers/node-red";
import { until } from "../helpers/wait";
import { JANE, JANE_ID, payloadAlert } from "../lib/investigate/scenario";
import { useQueryRuntime } from "./ztna-query-harness";

const QUERY = { id: "q", type: "ztna-query-risk", store: "store", account: "acct", valueType: "alert", value: "", before: 60, after: 15, cap: 50, timeout: 5, wires: [["out"]] };

describe("ztna-query-risk", function () {
  const rt = useQueryRuntime();

  it("adds the user's risk level and events from risk scoring and the store", async () => {
    const got = await rt.load([QUERY]);
    helper.getNode("q").receive({ payload: payloadAlert() });
    await until(() => got.out.length === 1);
    const risk = got.out[0].payload.investigation.risk;
    assert.equal(risk.value, JANE);
    assert.equal(risk.summary.risk.level, "high");
    assert.equal(risk.summary.risk.user_id, JANE_ID);
    assert.deepEqual(risk.summary.risk.events.map((e: { id: string }) => e.id), ["risk-2", "risk-1"]);
    assert.ok(risk.timeline.every((e: { dataset: string }) => e.dataset === "risk_score"));
  });

  it("answers from the store when the account's token is refused, and says so in red", async () => {
    const got = await rt.load([QUERY], { token: "wrong-token" });
    helper.getNode("q").receive({ payload: payloadAlert() });
    await until(() => got.out.length === 1);
    const risk = got.out[0].payload.investigation.risk;
    assert.equal(risk.backends.api.state, "error");
    assert.match(risk.backends.api.calls.users.reason, /HTTP 401.*10000/);
    assert.equal(risk.summary.risk.level, "high");
    assert.equal(risk.summary.risk.level_source, "store");
    assert.ok(!JSON.stringify(got.out[0]).includes("wrong-token"));
    await until(() => got.statuses().some((s) => s.fill === "red"));
    assert.match(got.statuses().at(-1).text, /store ok · api error$/);
  });
});
