import assert from "node:assert/strict";
import { helper } from "../helpers/node-red";
import { until } from "../helpers/wait";
import { JANE, at, payloadAlert } from "../lib/investigate/scenario";
import { useQueryRuntime } from "./ztna-query-harness";

const QUERY = { id: "q", type: "ztna-query-user", store: "store", account: "acct", valueType: "alert", value: "", before: 60, after: 15, cap: 50, timeout: 5, wires: [["out"]] };

describe("ztna-query-user", function () {
  const rt = useQueryRuntime();

  it("adds the user's sign-ins, countries, devices and risk", async () => {
    const got = await rt.load([QUERY]);
    helper.getNode("q").receive({ payload: payloadAlert() });
    await until(() => got.out.length === 1);
    const user = got.out[0].payload.investigation.user;
    assert.equal(user.value, JANE);
    assert.deepEqual(user.summary.activity.sign_ins, { total: 2, success: 1, failure: 1, first: at(-40), last: at(-35) });
    assert.deepEqual(user.summary.activity.countries.map((c: { value: string }) => c.value), ["RU", "US"]);
    assert.equal(user.summary.activity.profile.name, "Jane Doe");
    assert.equal(user.summary.risk.level, "high");
    assert.equal(user.backends.store.state, "ok");
    assert.equal(user.backends.api.state, "ok");
  });

  it("investigates an e-mail handed in by an HTTP-like request, around now", async () => {
    const got = await rt.load([{ ...QUERY, valueType: "msg", value: "req.query.user", store: "" }]);
    helper.getNode("q").receive({ payload: { user: JANE }, req: { query: { user: JANE } } });
    await until(() => got.out.length === 1);
    const user = got.out[0].payload.investigation.user;
    assert.equal(user.value, JANE);
    assert.ok(Math.abs(Date.parse(user.window.to) - (Date.now() + 15 * 60_000)) < 60_000);
    assert.equal(user.backends.store.state, "absent");
    assert.equal(user.summary.activity.profile.email, "Jane.Doe@Example.com");
  });
});
